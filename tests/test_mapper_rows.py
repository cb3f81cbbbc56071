"""The mapper, the other rows: text rows, totals rows, formulas and the Summa check (issue 2).

Each test builds a small workbook; ``mapper_helpers`` says what a sheet holds
unless the test says otherwise.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import CellSpec, Formula, WorkbookFactory
from mapper_helpers import ALL, NO_RAD, PRODUCT, PRODUCT_ROW, check, found, one_row, rows_of, sheet

# --- text rows -----------------------------------------------------------------------------


def test_text_row_has_only_type_row_nr_and_text(make_workbook: WorkbookFactory) -> None:
    report = check(make_workbook, {"Offert": sheet([PRODUCT, [2, None, "  Leverans v. 12  "]])})
    assert rows_of(report)[1] == {"CustomerRowType": 3, "RowNr": 2, "Text": "Leverans v. 12"}


def test_text_row_keeps_line_breaks(make_workbook: WorkbookFactory) -> None:
    text = "Arbetet omfattar:\n- rivning\n- montering"
    report = check(make_workbook, {"Offert": sheet([PRODUCT, [2, None, text]])})
    assert rows_of(report)[1] == {"CustomerRowType": 3, "RowNr": 2, "Text": text}


def test_product_text_keeps_line_breaks(make_workbook: WorkbookFactory) -> None:
    report = check(make_workbook, {"Offert": sheet([[1, "1001", "Rad ett\nRad två", 1, None, 1]])})
    assert one_row(report)["Text"] == "Rad ett\nRad två"


@pytest.mark.parametrize(
    ("columns", "cells", "merged"),
    [
        (ALL, {"A8": 2, "C8": "Villkor:\nbetalning 30 dagar"}, "C8:I8"),
        (NO_RAD, {"A8": "Villkor:\nbetalning 30 dagar"}, "A8:H8"),
        (NO_RAD, {"B8": "Villkor:\nbetalning 30 dagar"}, "B8:E8"),
    ],
    ids=["beskrivning-to-summa", "whole-row-no-rad", "part-of-row"],
)
def test_text_spread_over_merged_cells_is_read_once(
    make_workbook: WorkbookFactory,
    columns: tuple[str, ...],
    cells: dict[str, CellSpec],
    merged: str,
) -> None:
    first = [1, "1001", None, 1, None, 1] if columns == ALL else ["1001", None, 1, None, 1]
    report = check(
        make_workbook,
        {"Offert": sheet([first], columns=columns, extra=cells)},
        merged={"Offert": [merged]},
    )
    assert found(report) == []
    assert rows_of(report)[1:] == [
        {"CustomerRowType": 3, "RowNr": 2, "Text": "Villkor:\nbetalning 30 dagar"}
    ]


# --- totals rows ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label",
    [
        "Summa",
        "Summa exkl. moms",
        "Totalt",
        "Moms 25 %",
        "Att betala",
        "Total",
        "Subtotal",
        "VAT",
        "Amount due",
        "SUMMA:",
        "att betala:",
    ],
)
@pytest.mark.parametrize("place", ["beskrivning", "left-of-summa"])
def test_totals_rows_are_not_sent(make_workbook: WorkbookFactory, label: str, place: str) -> None:
    where = "C" if place == "beskrivning" else "H"
    extra: dict[str, CellSpec] = {
        f"{where}9": label,
        "I9": 2900,
        f"{where}10": label,
        "I10": Formula("=I9*0.25", cached=725),
    }
    grid: list[list[CellSpec]] = [[1, "1001", "Arbete", 5, "Tim", 580, None, None, 2900]]
    report = check(make_workbook, {"Offert": sheet(grid, extra=extra)})
    assert found(report) == []
    assert [r["RowNr"] for r in rows_of(report)] == [1]


def test_text_starting_with_a_totals_word_without_a_number_is_a_text_row(
    make_workbook: WorkbookFactory,
) -> None:
    grid: list[list[CellSpec]] = [
        ["1001", "Arbete", 5, "Tim", 580],
        [None, "Moms tillkommer"],
        [None, "Totalentreprenad enligt AB 04"],
    ]
    report = check(make_workbook, {"Offert": sheet(grid, columns=NO_RAD)})
    assert rows_of(report)[1:] == [
        {"CustomerRowType": 3, "RowNr": 2, "Text": "Moms tillkommer"},
        {"CustomerRowType": 3, "RowNr": 3, "Text": "Totalentreprenad enligt AB 04"},
    ]


def test_numbered_text_row_starting_with_a_totals_word_is_kept(
    make_workbook: WorkbookFactory,
) -> None:
    """The Rad number is the row's number, not an amount: the row is still a text row."""
    grid: list[list[CellSpec]] = [PRODUCT, [2, None, "Moms tillkommer"]]
    report = check(make_workbook, {"Offert": sheet(grid)})
    assert rows_of(report) == [
        PRODUCT_ROW,
        {"CustomerRowType": 3, "RowNr": 2, "Text": "Moms tillkommer"},
    ]


def test_totals_block_labelled_in_the_artikel_column_is_not_sent(
    make_workbook: WorkbookFactory,
) -> None:
    """A sheet not made from the template: Artikel is column A, and so are the totals labels."""
    grid: list[list[CellSpec]] = [
        ["1001", "Arbete", 5, "Tim", 580, None, 25, 2900],
        [],
        ["Summa exkl. moms", None, None, None, None, None, None, 2900],
        ["Moms", None, None, None, None, None, None, 725],
        ["Att betala", None, None, None, None, None, None, 3625],
    ]
    report = check(make_workbook, {"Offert": sheet(grid, columns=NO_RAD)})
    assert found(report) == []
    assert [r["ProductNr"] for r in rows_of(report)] == ["1001"]


def test_rows_with_only_prefilled_columns_are_not_sent_as_empty_text_rows(
    make_workbook: WorkbookFactory,
) -> None:
    """A text row needs a Text (api-notes); a row with only Moms or Enhet filled in has none."""
    grid: list[list[CellSpec]] = [
        ["1001", "Arbete", 5, "Tim", 580, None, 25],
        [None, None, None, None, None, None, 25],
        [None, None, None, "st", None, None, 25],
        [None, None, None, None, None, 0],
    ]
    report = check(make_workbook, {"Offert": sheet(grid, columns=NO_RAD)})
    assert report.ok
    rows = rows_of(report)
    assert [r for r in rows if r["CustomerRowType"] == 3 and not r.get("Text")] == []
    assert [r["RowNr"] for r in rows] == [1]


def test_a_product_row_whose_text_starts_with_a_totals_word_is_sent(
    make_workbook: WorkbookFactory,
) -> None:
    report = check(make_workbook, {"Offert": sheet([[1, "T1", "Totalrenovering", 1, None, 100]])})
    assert one_row(report)["Text"] == "Totalrenovering"


# --- formulas ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "column"),
    [
        ("#DIV/0!", "F"),
        (Formula("=1/0", cached="#DIV/0!"), "F"),
        ("#REF!", "D"),
        (Formula("=X1", cached="#NAME?"), "D"),
    ],
)
def test_formula_error_value_is_an_error_at_that_cell(
    make_workbook: WorkbookFactory, cell: CellSpec, column: str
) -> None:
    report = check(make_workbook, {"Offert": sheet([PRODUCT], extra={f"{column}7": cell})})
    assert found(report) == [("error", "formula_error", f"Offert!{column}7")]
    code = cell.cached if isinstance(cell, Formula) else cell
    word = {"D": "Antal", "F": "Pris"}[column]
    assert report.problems[0].message() == f"{word} shows the error {code}. Fix the formula"


@pytest.mark.parametrize("column", ["B", "D", "F", "G", "H"])
def test_formula_without_saved_value_feeding_the_body_is_an_error(
    make_workbook: WorkbookFactory, column: str
) -> None:
    report = check(make_workbook, {"Offert": sheet([PRODUCT], extra={f"{column}7": "=1+1"})})
    assert found(report) == [("error", "formula_no_value", f"Offert!{column}7")]
    assert (
        report.problems[0]
        .message()
        .endswith(
            "is a formula with no saved result. Open the file in Excel or LibreOffice "
            "and save it, so that the result is stored"
        )
    )


def test_formula_without_saved_value_in_summa_is_a_warning(make_workbook: WorkbookFactory) -> None:
    report = check(make_workbook, {"Offert": sheet([PRODUCT], extra={"I7": "=D7*F7"})})
    assert found(report) == [("warning", "summa_no_value", "Offert!I7")]
    assert report.ok and not report.strict_ok
    assert one_row(report)["Amount"] == 580


def test_empty_template_rows_with_summa_formulas_are_skipped(
    make_workbook: WorkbookFactory,
) -> None:
    extra: dict[str, CellSpec] = {f"I{r}": f"=D{r}*F{r}" for r in range(7, 20)}
    extra.update({f"A{r}": r - 6 for r in range(8, 20)})
    grid: list[list[CellSpec]] = [PRODUCT]
    report = check(make_workbook, {"Offert": sheet(grid, extra={**extra, "I7": 2900})})
    assert found(report) == []
    assert len(rows_of(report)) == 1


# --- Summa check ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("antal", "pris", "rabatt", "summa", "warned"),
    [
        (5, 580, None, 2900, False),
        (5, 580, None, 2900.01, False),
        (5, 580, None, 2899.99, False),
        (5, 580, None, 2900.02, True),
        (5, 580, None, 2899.98, True),
        (10, 100, 10, 900, False),
        (10, 100, (0.1, "0%"), 900, False),
        (10, 100, 10, 1000, True),
        (3, 33.33, None, 99.99, False),
        (3, 33.33, None, "99,99", False),
    ],
)
def test_summa_is_checked_within_a_cent(
    make_workbook: WorkbookFactory,
    antal: Any,
    pris: Any,
    rabatt: Any,
    summa: Any,
    warned: bool,
) -> None:
    grid: list[list[CellSpec]] = [[1, "1001", None, antal, None, pris, rabatt, None, summa]]
    report = check(make_workbook, {"Offert": sheet(grid)})
    expected = [("warning", "summa_mismatch", "Offert!I7")] if warned else []
    assert found(report) == expected
    assert report.ok  # a warning never blocks the offer
    assert len(report.bodies()) == 1


def test_summa_mismatch_message(make_workbook: WorkbookFactory) -> None:
    grid: list[list[CellSpec]] = [[1, "1001", None, 5, None, 580, None, None, 2950]]
    report = check(make_workbook, {"Offert": sheet(grid)})
    assert report.problems[0].message() == (
        "Summa 2,950.00 does not match Antal × Pris × (1 − Rabatt) = 2,900.00"
    )
    assert report.problems[0].message("sv") == (
        "Summa 2\u00a0950,00 stämmer inte med Antal × Pris × (1 − Rabatt) = 2\u00a0900,00"
    )
