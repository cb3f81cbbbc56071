"""Cells with their addresses.

Every value read from a sheet travels with a :class:`CellRef`, so that any
message later in the pipeline can say ``Offert!D12: 'fem' is not a number``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache
from typing import TypeAlias

# openpyxl gives dates, times and durations for cells formatted as such
CellValue: TypeAlias = str | int | float | bool | datetime | date | time | timedelta | None


LAST_COLUMN = 18_278  # ZZZ, the most three letters can name


@cache
def column_letter(column: int) -> str:
    """The letters of 1-based column ``column``: 1 → ``A``, 27 → ``AA``."""
    if not 1 <= column <= LAST_COLUMN:
        raise ValueError(f"invalid column index {column}")
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@lru_cache(maxsize=4096)
def column_index(letters: str) -> int:
    """The 1-based column named by ``letters`` (any case): ``AA`` → 27; ValueError otherwise."""
    if not 1 <= len(letters) <= 3 or not letters.isascii() or not letters.isalpha():
        raise ValueError(f"{letters!r} is not a valid column name")
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index


_DIGITS = "0123456789"
_COLUMNS: dict[str, int] = {}  # column letters seen so far → column number


def parse_coordinate(text: str) -> tuple[int, int]:
    """``"B12"`` → ``(row, column)`` ``(12, 2)``; ValueError for text that is no cell address."""
    letters = text.rstrip(_DIGITS)
    column = _COLUMNS.get(letters)
    if column is None:
        column = _COLUMNS[letters] = column_index(letters)  # ValueError unless 1-3 letters
    return int(text[len(letters) :]), column  # ASCII digits only: ValueError when none


_RANGE = re.compile(r"\$?([A-Za-z]{1,3})?\$?(\d+)?(:\$?([A-Za-z]{1,3})?\$?(\d+)?)?")


def range_bounds(text: str) -> tuple[int | None, int | None, int | None, int | None]:
    """``"A1:C3"`` → ``(min_col, min_row, max_col, max_row)``, as openpyxl's ``range_boundaries``.

    A single cell is a range of one; whole columns (``A:C``) and rows (``1:3``)
    have None for the missing ends. ValueError for text that is no range.
    """
    m = _RANGE.fullmatch(text)
    if m is None:
        raise ValueError(f"{text} is not a valid coordinate or range")
    min_col, min_row, sep, max_col, max_row = m.groups()
    if sep:
        cols, rows = (min_col, max_col), (min_row, max_row)
        if not (all(cols + rows) or (all(cols) and not any(rows)) or (all(rows) and not any(cols))):
            raise ValueError(f"{text} is not a valid coordinate or range")
    first_col = column_index(min_col) if min_col is not None else None
    first_row = int(min_row) if min_row is not None else None
    last_col = column_index(max_col) if max_col is not None else first_col
    last_row = int(max_row) if max_row is not None else first_row
    return first_col, first_row, last_col, last_row


def quote_sheet(name: str) -> str:
    """Return the sheet name as Excel writes it in a reference (quoted when needed)."""
    if name.replace("_", "").isalnum():
        return name
    return "'" + name.replace("'", "''") + "'"


@dataclass(frozen=True, slots=True, order=True)
class CellRef:
    """A cell's address: sheet name, 1-based Excel row and column."""

    sheet: str
    row: int
    column: int

    @property
    def coordinate(self) -> str:
        """The A1-style coordinate, e.g. ``D12``."""
        return f"{column_letter(self.column)}{self.row}"

    def offset(self, rows: int = 0, columns: int = 0) -> CellRef:
        """The address ``rows`` down and ``columns`` right of this one."""
        return CellRef(self.sheet, self.row + rows, self.column + columns)

    def __str__(self) -> str:
        return f"{quote_sheet(self.sheet)}!{self.coordinate}"


_new = object.__new__


class Cell:
    """A non-empty cell as the spreadsheet saved it.

    ``value`` is the saved value (for a formula, its cached result). ``formula``
    holds the formula text when the cell has one; a formula whose saved value
    is missing has ``value is None``. ``is_error`` marks ``#DIV/0!`` and kin.

    A plain slotted class: a large sheet makes millions of these, and a frozen
    dataclass with a :class:`CellRef` inside cost five times as much to build.
    The address is kept as sheet, row and column; :attr:`ref` builds the
    :class:`CellRef` when a message needs it. Treat cells as read-only.
    """

    __slots__ = ("sheet", "row", "column", "value", "number_format", "formula", "is_error")

    sheet: str
    row: int
    column: int
    value: CellValue
    number_format: str
    formula: str | None
    is_error: bool

    def __init__(
        self,
        ref: CellRef,
        value: CellValue,
        number_format: str = "General",
        formula: str | None = None,
        is_error: bool = False,
    ) -> None:
        self.sheet = ref.sheet
        self.row = ref.row
        self.column = ref.column
        self.value = value
        self.number_format = number_format
        self.formula = formula
        self.is_error = is_error

    @classmethod
    def at(
        cls,
        sheet: str,
        row: int,
        column: int,
        value: CellValue,
        number_format: str = "General",
        formula: str | None = None,
        is_error: bool = False,
    ) -> Cell:
        """A cell at (``sheet``, ``row``, ``column``), without building its :class:`CellRef`."""
        cell: Cell = _new(cls)
        cell.sheet = sheet
        cell.row = row
        cell.column = column
        cell.value = value
        cell.number_format = number_format
        cell.formula = formula
        cell.is_error = is_error
        return cell

    @property
    def ref(self) -> CellRef:
        """The cell's address."""
        return CellRef(self.sheet, self.row, self.column)

    def _key(self) -> tuple[object, ...]:
        return (
            self.sheet,
            self.row,
            self.column,
            self.value,
            self.number_format,
            self.formula,
            self.is_error,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Cell):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Cell(ref={self.ref!r}, value={self.value!r}, number_format={self.number_format!r}, "
            f"formula={self.formula!r}, is_error={self.is_error!r})"
        )

    @property
    def is_blank(self) -> bool:
        """True for a cell that shows nothing (empty text, no formula)."""
        if self.formula is not None:
            return False
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())
