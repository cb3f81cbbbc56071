"""Stage 1, file → cells: the xlsx package and its sheets, and legacy xls / ods / csv
files. Every value leaves with its address.
"""
