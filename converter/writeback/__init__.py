"""Stage 4, results → the same workbook: the offer number and status in place, and the
upload records where every copy of the file carries them.
"""
