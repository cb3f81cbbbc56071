"""What the salesperson touches outside the terminal: the template, the drop icon and
its daily log.
"""
