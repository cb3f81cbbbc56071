"""What the mapper tests share: the default sheet, and ways to look at a report.

Unless a test says otherwise, the header block is Kundnr 1001 (A1:B1) and
Offertdatum 2026-01-30 (A2:B2), the grid header is row 6 and the first grid row
is row 7, with the columns of ``ALL`` in A..I.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from conftest import CellSpec, WorkbookFactory, offer_sheet

from converter.model.mapped import Report
from converter.pipeline import validate_files

ALL = ("Rad", "Artikel", "Beskrivning", "Antal", "Enhet", "Pris", "Rabatt", "Moms", "Summa")
NO_RAD = ALL[1:]  # A..H: Artikel Beskrivning Antal Enhet Pris Rabatt Moms Summa
HEADER: dict[str, CellSpec] = {
    "A1": "Kundnr",
    "B1": "1001",
    "A2": "Offertdatum",
    "B2": datetime(2026, 1, 30),
}
CONSTANTS = {"OriginType": 5, "RegistrationType": 1, "BillingType": 1, "AutoCreateCustomer": False}


def sheet(
    grid: list[list[CellSpec]],
    *,
    header: Mapping[str, CellSpec] | None = None,
    columns: tuple[str, ...] = ALL,
    grid_row: int = 6,
    first_column: str = "A",
    extra: Mapping[str, CellSpec] | None = None,
) -> dict[str, CellSpec]:
    cells = offer_sheet(
        HEADER if header is None else header,
        grid,
        columns=columns,
        grid_row=grid_row,
        first_column=first_column,
    )
    cells.update(extra or {})
    return cells


def check(
    make_workbook: WorkbookFactory, sheets: Mapping[str, Mapping[str, CellSpec]], **kwargs: Any
) -> Report:
    return validate_files([make_workbook(sheets, **kwargs)])


def found(report: Report) -> list[tuple[str, str, str]]:
    """Every problem as (severity, code, address)."""
    return [(p.severity, p.code, p.where) for p in report.problems]


def body(report: Report) -> dict[str, Any]:
    bodies = report.bodies()
    assert len(bodies) == 1
    return bodies[0]


def rows_of(report: Report) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = body(report)["InvoiceRows"]
    return rows


def one_row(report: Report) -> dict[str, Any]:
    rows = rows_of(report)
    assert len(rows) == 1
    return rows[0]


PRODUCT = [1, "1001", "Arbetskostnad", 5, "Tim", 580]
#: the InvoiceRows entry that ``PRODUCT`` (Rad 1, no Moms column filled in) becomes
PRODUCT_ROW: dict[str, Any] = {
    "CustomerRowType": 2,
    "RowNr": 1,
    "ProductNr": "1001",
    "Text": "Arbetskostnad",
    "Quantity": 5,
    "Unit": "Tim",
    "Amount": 580,
}
