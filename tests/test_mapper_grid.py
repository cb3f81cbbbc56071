"""The mapper, the grid: its header row, product rows and their numbers, RowNr (issue 2).

Each test builds a small workbook; ``mapper_helpers`` says what a sheet holds
unless the test says otherwise.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from conftest import CellSpec, Formula, WorkbookFactory
from mapper_helpers import (
    ALL,
    NO_RAD,
    PRODUCT,
    PRODUCT_ROW,
    body,
    check,
    found,
    one_row,
    rows_of,
    sheet,
)

# --- the grid ------------------------------------------------------------------------------


def test_grid_anywhere_columns_in_any_order_unknown_columns_ignored(
    make_workbook: WorkbookFactory,
) -> None:
    columns = ("Lagerplats", "Unit price", "Qty", "Description", "Item", "Unit", "Kommentar")
    grid: list[list[CellSpec]] = [
        ["Hylla 3", 580, 5, "Arbetskostnad", 1001, "Tim", "intern"],
        ["Hylla 4", "99,50", "2,5", "Skruv", "0042", "st", 17],
    ]
    header = {"D2": "Customer number", "E2": 77, "D3": "Quote date", "E3": "2026-05-04"}
    report = check(
        make_workbook,
        {"Offer": sheet(grid, header=header, columns=columns, grid_row=12, first_column="D")},
    )
    assert found(report) == []
    assert body(report)["CustomerNr"] == "77"
    assert rows_of(report) == [
        PRODUCT_ROW,
        {
            "CustomerRowType": 2,
            "RowNr": 2,
            "ProductNr": "0042",
            "Text": "Skruv",
            "Quantity": 2.5,
            "Unit": "st",
            "Amount": 99.5,
        },
    ]


@pytest.mark.parametrize(
    "labels",
    [
        ("Rad", "Artikel", "Beskrivning", "Antal", "Enhet", "Pris", "Rabatt", "Moms", "Summa"),
        (
            "Row",
            "Article",
            "Description",
            "Quantity",
            "Unit",
            "Price",
            "Discount",
            "VAT %",
            "Line total",
        ),
        ("ROW:", "artikelnr", "Benämning", "qty.", "UNIT", "À-pris", "Rabatt %", "moms", "Belopp"),
        ("Rad", "Item", "Description", "Qty", "Enhet", "Unit price", "Discount %", "Moms", "Total"),
    ],
)
def test_grid_column_labels(make_workbook: WorkbookFactory, labels: tuple[str, ...]) -> None:
    report = check(
        make_workbook,
        {"Offert": sheet([[1, "1001", "Arbete", 5, "Tim", 580, 10, 25, 2610]], columns=labels)},
    )
    assert found(report) == []
    assert one_row(report) == {
        "CustomerRowType": 2,
        "RowNr": 1,
        "ProductNr": "1001",
        "Text": "Arbete",
        "Quantity": 5,
        "Unit": "Tim",
        "Amount": 580,
        "Discount": 10,
        "VatRate": 25,
    }


def test_rows_are_read_to_the_end_of_the_sheet_and_blank_rows_skipped(
    make_workbook: WorkbookFactory,
) -> None:
    extra: dict[str, CellSpec] = {"A500": 3, "B500": "3003", "D500": 1, "F500": 30}
    report = check(
        make_workbook,
        {"Offert": sheet([PRODUCT, [], [None], [2, "2002", None, 1, None, 20]], extra=extra)},
    )
    assert [(r["RowNr"], r["ProductNr"]) for r in rows_of(report)] == [
        (1, "1001"),
        (2, "2002"),
        (3, "3003"),
    ]


def test_no_rows_under_the_grid_is_an_error(make_workbook: WorkbookFactory) -> None:
    report = check(make_workbook, {"Offert": sheet([])})
    assert found(report) == [("error", "no_rows", "Offert")]
    assert report.problems[0].ref is None
    assert not report.ok


# --- product rows --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        (1001, "1001"),
        (Formula("=1000+1", cached=1001.0), "1001"),
        ("1001", "1001"),
        ("0042", "0042"),
        ((42, "0000"), "0042"),
        ("100-5t", "100-5t"),
        (" ABC 12 ", "ABC 12"),
    ],
)
def test_product_nr_is_the_artikel_as_shown(
    make_workbook: WorkbookFactory, article: CellSpec, expected: str
) -> None:
    report = check(make_workbook, {"Offert": sheet([[1, article, None, 1, None, 10]])})
    row = one_row(report)
    assert row["ProductNr"] == expected
    assert row == {
        "CustomerRowType": 2,
        "RowNr": 1,
        "ProductNr": expected,
        "Quantity": 1,
        "Amount": 10,
    }


@pytest.mark.parametrize(
    ("antal", "pris", "quantity", "amount"),
    [
        (5, 580, 5, 580),
        (2.5, 99.9, 2.5, 99.9),
        ("2,5", "7 400,00", 2.5, 7400),
        ("1", "7\u00a0400,00", 1, 7400),
        (3, "1 250,50 kr", 3, 1250.5),
        (1, "1,234.50", 1, 1234.5),
        (1, "1.234,50", 1, 1234.5),
        (Formula("=2+3", cached=5), Formula("=500+80", cached=580), 5, 580),
    ],
)
def test_quantity_and_amount(
    make_workbook: WorkbookFactory, antal: CellSpec, pris: CellSpec, quantity: Any, amount: Any
) -> None:
    row = one_row(check(make_workbook, {"Offert": sheet([[1, "A1", None, antal, None, pris]])}))
    assert (row["Quantity"], row["Amount"]) == (quantity, amount)


@pytest.mark.parametrize(
    ("column", "value", "code", "message"),
    [
        ("D", "fem", "not_a_number", "Antal 'fem' is not a number"),
        (
            "F",
            "1,250",
            "ambiguous_number",
            "Pris '1,250' is ambiguous: it could be a thousand or a decimal. "
            "Type it as 1250 or 1,25 (or make the cell a number cell)",
        ),
        (
            "F",
            "1.250",
            "ambiguous_number",
            "Pris '1.250' is ambiguous: it could be a thousand or a decimal. "
            "Type it as 1250 or 1,25 (or make the cell a number cell)",
        ),
        (
            "D",
            "10 %",
            "unexpected_percent",
            "Antal '10 %' has a % sign, but Antal is not a percentage",
        ),
        (
            "F",
            datetime(2026, 1, 30),
            "date_not_number",
            "Pris holds a date or time (2026-01-30), not a number",
        ),
    ],
)
def test_unreadable_numbers_are_errors_that_quote_cell_and_value(
    make_workbook: WorkbookFactory, column: str, value: CellSpec, code: str, message: str
) -> None:
    report = check(make_workbook, {"Offert": sheet([PRODUCT], extra={f"{column}7": value})})
    assert found(report) == [("error", code, f"Offert!{column}7")]
    assert report.problems[0].message() == message
    assert report.offers[0].request is None


@pytest.mark.parametrize("column", ["Rabatt", "Moms"])
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ((0.1, "0%"), 10),  # a percentage cell holding 0.1 means 10
        ((0.125, "0.0%"), 12.5),
        ((0.25, "0.00%"), 25),
        (10, 10),  # a plain 10 means 10
        (25, 25),
        ("10 %", 10),  # and so does the text "10 %"
        ("12,5%", 12.5),
        ("6", 6),
    ],
)
def test_percentages(
    make_workbook: WorkbookFactory, column: str, value: CellSpec, expected: float
) -> None:
    letter = "G" if column == "Rabatt" else "H"
    report = check(make_workbook, {"Offert": sheet([PRODUCT], extra={f"{letter}7": value})})
    assert found(report) == []
    key = "Discount" if column == "Rabatt" else "VatRate"
    assert one_row(report)[key] == expected


@pytest.mark.parametrize("value", [0, (0, "0%"), "0 %"])
def test_discount_zero_is_sent_as_zero(make_workbook: WorkbookFactory, value: CellSpec) -> None:
    row = one_row(check(make_workbook, {"Offert": sheet([PRODUCT], extra={"G7": value})}))
    assert "Discount" in row
    assert row["Discount"] == 0


def test_vat_zero_is_sent_as_zero(make_workbook: WorkbookFactory) -> None:
    row = one_row(check(make_workbook, {"Offert": sheet([PRODUCT], extra={"H7": 0})}))
    assert row["VatRate"] == 0


def test_empty_discount_and_vat_are_left_out(make_workbook: WorkbookFactory) -> None:
    row = one_row(check(make_workbook, {"Offert": sheet([PRODUCT])}))
    assert "Discount" not in row and "VatRate" not in row
    assert set(row) == {
        "CustomerRowType",
        "RowNr",
        "ProductNr",
        "Text",
        "Quantity",
        "Unit",
        "Amount",
    }


@pytest.mark.parametrize(("value", "shown"), [(150, "150"), (-5, "-5"), ((1.5, "0%"), "150")])
def test_percent_out_of_range_is_an_error(
    make_workbook: WorkbookFactory, value: CellSpec, shown: str
) -> None:
    report = check(make_workbook, {"Offert": sheet([PRODUCT], extra={"G7": value})})
    assert found(report) == [("error", "percent_range", "Offert!G7")]
    assert report.problems[0].message().startswith("Rabatt ")


def test_antal_missing_is_an_error_at_the_empty_antal_cell(make_workbook: WorkbookFactory) -> None:
    report = check(make_workbook, {"Offert": sheet([[1, "1001", "Arbete", None, "Tim", 580]])})
    assert found(report) == [("error", "missing_cell", "Offert!D7")]
    assert report.problems[0].message() == ("Antal is missing on this product row (Artikel 1001)")


def test_pris_missing_is_an_error_at_the_empty_pris_cell(make_workbook: WorkbookFactory) -> None:
    report = check(
        make_workbook,
        {"Offert": sheet([PRODUCT, [2, "2002", "Material", 3]], columns=ALL)},
    )
    assert found(report) == [("error", "missing_cell", "Offert!F8")]
    assert report.problems[0].message() == "Pris is missing on this product row (Artikel 2002)"


@pytest.mark.parametrize(
    "row",
    [
        [2, None, "Rabatt på allt", 1, None, -100],
        [2, None, None, 3],
        [2, None, None, None, None, 9],
    ],
    ids=["antal-and-pris", "antal-only", "pris-only"],
)
def test_priced_row_without_artikel_is_an_error_at_the_artikel_cell(
    make_workbook: WorkbookFactory, row: list[CellSpec]
) -> None:
    report = check(make_workbook, {"Offert": sheet([PRODUCT, row])})
    assert found(report)[0] == ("error", "priced_without_article", "Offert!B8")
    assert report.problems[0].message() == (
        "priced row without Artikel: fill in the Artikel, or clear Antal and Pris "
        "to make it a text row"
    )
    assert not report.ok


# --- RowNr ---------------------------------------------------------------------------------


def test_row_nr_is_the_rad_value(make_workbook: WorkbookFactory) -> None:
    grid: list[list[CellSpec]] = [
        [10, "1001", None, 1, None, 1],
        [20, None, "text"],
        [],
        [35, "1002", None, 1, None, 1],
    ]
    report = check(make_workbook, {"Offert": sheet(grid)})
    assert [r["RowNr"] for r in rows_of(report)] == [10, 20, 35]


def test_row_nr_is_the_position_without_a_rad_column(make_workbook: WorkbookFactory) -> None:
    grid: list[list[CellSpec]] = [
        ["1001", None, 1, None, 1],
        [],
        [None, "a text row"],
        [None, "Summa", None, None, None, None, None, 2],  # totals: not sent, not counted
        ["1002", None, 1, None, 1],
    ]
    report = check(make_workbook, {"Offert": sheet(grid, columns=NO_RAD)})
    assert [(r["RowNr"], r["CustomerRowType"]) for r in rows_of(report)] == [(1, 2), (2, 3), (3, 2)]


def test_row_nr_is_the_position_when_the_rad_column_is_empty(
    make_workbook: WorkbookFactory,
) -> None:
    grid: list[list[CellSpec]] = [
        [None, "1001", None, 1, None, 1],
        [None, "1002", None, 1, None, 1],
    ]
    report = check(make_workbook, {"Offert": sheet(grid)})
    assert [r["RowNr"] for r in rows_of(report)] == [1, 2]


@pytest.mark.parametrize(
    ("rads", "problem", "message"),
    [
        (
            (1, 1),
            ("error", "rad_order", "Offert!A8"),
            "Rad 1 must be greater than the Rad above it (1)",
        ),
        (
            (2, 1),
            ("error", "rad_order", "Offert!A8"),
            "Rad 1 must be greater than the Rad above it (2)",
        ),
        (
            (1, 1.5),
            ("error", "rad_not_integer", "Offert!A8"),
            "Rad 1.5 must be a whole number of 1 or more",
        ),
        (
            (1, 0),
            ("error", "rad_not_integer", "Offert!A8"),
            "Rad 0 must be a whole number of 1 or more",
        ),
        (
            (1, None),
            ("error", "rad_missing", "Offert!A8"),
            "Rad is empty here, but other rows have one. Number every row, or none",
        ),
    ],
)
def test_row_nr_must_be_unique_and_increasing(
    make_workbook: WorkbookFactory,
    rads: tuple[Any, Any],
    problem: tuple[str, str, str],
    message: str,
) -> None:
    grid: list[list[CellSpec]] = [
        [rads[0], "1001", None, 1, None, 1],
        [rads[1], "1002", None, 1, None, 1],
    ]
    report = check(make_workbook, {"Offert": sheet(grid)})
    assert found(report) == [problem]
    assert report.problems[0].message() == message
