"""Cells with their addresses.

Every value read from a sheet travels with a :class:`CellRef`, so that any
message later in the pipeline can say ``Offert!D12: 'fem' is not a number``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeAlias

from openpyxl.utils.cell import get_column_letter

# openpyxl gives dates, times and durations for cells formatted as such
CellValue: TypeAlias = str | int | float | bool | datetime | date | time | timedelta | None


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
        return f"{get_column_letter(self.column)}{self.row}"

    def offset(self, rows: int = 0, columns: int = 0) -> CellRef:
        """The address ``rows`` down and ``columns`` right of this one."""
        return CellRef(self.sheet, self.row + rows, self.column + columns)

    def __str__(self) -> str:
        return f"{quote_sheet(self.sheet)}!{self.coordinate}"


@dataclass(frozen=True, slots=True)
class Cell:
    """A non-empty cell as the spreadsheet saved it.

    ``value`` is the saved value (for a formula, its cached result). ``formula``
    holds the formula text when the cell has one; a formula whose saved value
    is missing has ``value is None``. ``is_error`` marks ``#DIV/0!`` and kin.
    """

    ref: CellRef
    value: CellValue
    number_format: str = "General"
    formula: str | None = None
    is_error: bool = False

    @property
    def is_blank(self) -> bool:
        """True for a cell that shows nothing (empty text, no formula)."""
        if self.formula is not None:
            return False
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())
