"""Data folder: the offer template and the layout profiles.

It is a package only so that an installed converter can find these files with
``importlib.resources.files("converter.templates")`` (see pyproject's
package-dir). There is no code here.
"""
