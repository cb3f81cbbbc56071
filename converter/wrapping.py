"""How many lines a wrapped cell's text takes, and the row height that shows it whole.

Spreadsheets size a row to its wrapped text only as one types; a workbook
written by the converter (the template, the migration report) gives each such
row its height, so no text is cut off or printed over the next row.
"""

from __future__ import annotations

#: the font the sizes below are for, named in every styled cell so that no
#: spreadsheet falls back to its serif default
FONT_NAME = "Calibri"
#: characters of ordinary text that fit in one unit of column width (Calibri 11,
#: with room for the wider fonts other spreadsheets put in its place)
CHARS_PER_WIDTH = 1.08
LINE_HEIGHT = 15.0  # points: one line of 11-point text
_PADDING = 4.0  # points above and below the text
MAX_ROW_HEIGHT = 409.0  # points: the most Excel allows


def wrapped_lines(text: str, per_line: int) -> int:
    """The lines ``text`` takes wrapped at ``per_line`` characters: each line break
    starts a line, and a word that does not fit starts the next one."""
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        width = 0
        for word in paragraph.split(" "):
            if width and width + 1 + len(word) > per_line:
                lines += 1
                width = len(word)
            else:
                width += (1 if width else 0) + len(word)
    return lines


def wrapped_height(text: str, per_line: int, line_height: float = LINE_HEIGHT) -> float:
    """The row height (points) that shows ``text`` whole, wrapped at ``per_line`` characters."""
    return min(wrapped_lines(text, per_line) * line_height + _PADDING, MAX_ROW_HEIGHT)


def chars_per_line(width: float) -> int:
    """The characters of 11-point text that fit on one line of a column ``width`` wide."""
    return max(1, int(width * CHARS_PER_WIDTH))
