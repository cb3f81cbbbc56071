"""The mapper, the header block above the rows: labels, values, dates (issue 2).

Each test builds a small workbook; ``mapper_helpers`` says what a sheet holds
unless the test says otherwise.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from conftest import CellSpec, Formula, WorkbookFactory
from mapper_helpers import HEADER, PRODUCT, body, check, found, sheet

# --- header block --------------------------------------------------------------------------

HEADER_LABELS: list[tuple[str, str, CellSpec, Any]] = (
    [
        ("CustomerNr", label, "4711", "4711")
        for label in ["Kundnr", "Kundnummer", "Kund nr", "Customer no", "Customer number"]
    ]
    + [
        ("InvoiceDate", label, "2026-02-03", "2026-02-03")
        for label in ["Offertdatum", "Datum", "Offer date", "Quote date", "Date"]
    ]
    + [
        ("ReferenceOur", label, "Anna Andersson", "Anna Andersson")
        for label in ["Vår referens", "Our reference"]
    ]
    + [
        ("ReferenceYour", label, "Bo Berg", "Bo Berg")
        for label in ["Er referens", "Your reference"]
    ]
    + [("Currency", label, "EUR", "EUR") for label in ["Valuta", "Currency"]]
    + [
        ("DeliveryDate", label, datetime(2026, 3, 1), "2026-03-01")
        for label in ["Leveransdatum", "Delivery date"]
    ]
    + [
        ("DueDate", label, "2026-04-30", "2026-04-30")
        for label in ["Giltig till", "Förfallodatum", "Valid until"]
    ]
    + [
        ("Note", label, "Tack för förfrågan", "Tack för förfrågan")
        for label in ["Meddelande", "Anteckning", "Note"]
    ]
)

DECORATIONS = {
    "as-is": lambda label: label,
    "upper-colon": lambda label: label.upper() + ":",
    "lower-dot-spaces": lambda label: "  " + label.lower().replace(" ", "  ") + ". : ",
}


@pytest.mark.parametrize("decoration", list(DECORATIONS))
@pytest.mark.parametrize(
    ("field", "label", "value", "expected"),
    HEADER_LABELS,
    ids=[f"{f}-{lbl}" for f, lbl, _v, _e in HEADER_LABELS],
)
def test_header_labels_swedish_and_english_in_any_form(
    make_workbook: WorkbookFactory,
    field: str,
    label: str,
    value: CellSpec,
    expected: Any,
    decoration: str,
) -> None:
    header: dict[str, CellSpec] = {}
    if field != "CustomerNr":
        header.update({"H1": "Kundnr", "I1": "1001"})
    if field != "InvoiceDate":
        header.update({"H2": "Offertdatum", "I2": "2026-01-30"})
    # anywhere above the grid, the value in the first non-empty cell to the right
    header.update({"C3": DECORATIONS[decoration](label), "D3": None, "E3": "   ", "F3": value})
    report = check(make_workbook, {"Offert": sheet([PRODUCT], header=header, grid_row=8)})
    assert found(report) == []
    assert body(report)[field] == expected


def test_header_value_is_the_first_non_empty_cell_to_the_right(
    make_workbook: WorkbookFactory,
) -> None:
    header: dict[str, CellSpec] = {
        "F2": "Kundnr:",
        "J2": 4416,
        "K2": "not this one",
        "B3": "Datum",
        "C3": "2026-01-30",
        "D3": "Valuta",
        "E3": "SEK",
    }
    report = check(make_workbook, {"Offert": sheet([PRODUCT], header=header, grid_row=9)})
    offer = body(report)
    assert (offer["CustomerNr"], offer["InvoiceDate"], offer["Currency"]) == (
        "4416",
        "2026-01-30",
        "SEK",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ((13, "000"), "013"),
        (4416, "4416"),
        (Formula("=4400+16", cached=4416.0), "4416"),  # a float result is still "4416"
        ("0042", "0042"),
        ((42, "00000"), "00042"),
        (" K-77 ", "K-77"),
    ],
)
def test_customer_nr_is_the_text_the_cell_shows(
    make_workbook: WorkbookFactory, value: CellSpec, expected: str
) -> None:
    report = check(make_workbook, {"Offert": sheet([PRODUCT], header={**HEADER, "B1": value})})
    assert body(report)["CustomerNr"] == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 1, 30), "2026-01-30"),
        ((datetime(2026, 1, 30, 14, 45), "yyyy-mm-dd hh:mm"), "2026-01-30"),
        ((datetime(2026, 12, 1), "d mmm yyyy"), "2026-12-01"),
        ("2026-01-30", "2026-01-30"),
        (" 2026-01-30 ", "2026-01-30"),
        ("2026-01-30T08:00:00", "2026-01-30"),
    ],
)
def test_dates_from_date_cells_and_iso_text(
    make_workbook: WorkbookFactory, value: CellSpec, expected: str
) -> None:
    header = {
        **HEADER,
        "B2": value,
        "D1": "Leveransdatum",
        "E1": value,
        "D2": "Giltig till",
        "E2": value,
    }
    offer = body(check(make_workbook, {"Offert": sheet([PRODUCT], header=header)}))
    assert (offer["InvoiceDate"], offer["DeliveryDate"], offer["DueDate"]) == (expected,) * 3


@pytest.mark.parametrize(
    "text", ["30/01/2026", "01/30/2026", "30.01.2026", "2026/01/30", "30 jan 2026", "1/2/26"]
)
def test_other_text_dates_are_errors_at_that_cell(
    make_workbook: WorkbookFactory, text: str
) -> None:
    header = {**HEADER, "B2": text, "D1": "Giltig till", "E1": text}
    report = check(make_workbook, {"Offert": sheet([PRODUCT], header=header)})
    assert sorted(found(report)) == [
        ("error", "text_date", "Offert!B2"),
        ("error", "text_date", "Offert!E1"),
    ]
    messages = {p.where: p.message() for p in report.problems}
    assert messages["Offert!B2"] == (
        f"Offertdatum {text!r} is not a date we can read safely. "
        "Write it as YYYY-MM-DD (2026-01-30) or format the cell as a date"
    )
    assert messages["Offert!E1"].startswith(f"Giltig till {text!r} is not a date")
    assert report.offers[0].request is None


def test_impossible_iso_date_is_an_error(make_workbook: WorkbookFactory) -> None:
    report = check(
        make_workbook, {"Offert": sheet([PRODUCT], header={**HEADER, "B2": "2026-02-30"})}
    )
    assert found(report) == [("error", "bad_date", "Offert!B2")]


def test_missing_kundnr_label_names_the_sheet_and_the_label(
    make_workbook: WorkbookFactory,
) -> None:
    header = {"A2": "Offertdatum", "B2": datetime(2026, 1, 30)}
    report = check(make_workbook, {"Offert 2": sheet([PRODUCT], header=header)})
    assert found(report) == [("error", "missing_label", "'Offert 2'")]
    problem = report.problems[0]
    assert problem.ref is None
    assert problem.sheet == "Offert 2"
    assert problem.message() == (
        "no Kundnr label on this sheet. Add a cell 'Kundnr' above the grid, "
        "with the value in the cell to its right"
    )
    assert not report.ok


def test_missing_date_label(make_workbook: WorkbookFactory) -> None:
    report = check(make_workbook, {"Offert": sheet([PRODUCT], header={"A1": "Kundnr", "B1": 1})})
    assert found(report) == [("error", "missing_label", "Offert")]
    assert "Offertdatum" in report.problems[0].message()


@pytest.mark.parametrize(
    ("header", "merged", "address"),
    [
        ({"A1": "Kundnr"}, [], "Offert!B1"),
        ({"A1": "Kundnr", "B1": "   "}, [], "Offert!B1"),
        ({"A1": "Kundnr"}, ["A1:B1"], "Offert!C1"),  # the label spans two cells
        ({"C1": "Kundnr", "D1": "Datum", "E1": "2026-01-30"}, [], "Offert!D1"),
    ],
    ids=["nothing", "spaces", "merged-label", "next-label-follows"],
)
def test_empty_kundnr_is_an_error_at_the_cell_right_of_the_label(
    make_workbook: WorkbookFactory,
    header: dict[str, CellSpec],
    merged: list[str],
    address: str,
) -> None:
    if "D1" not in header:
        header = {**header, "A2": "Datum", "B2": "2026-01-30"}
    report = check(
        make_workbook, {"Offert": sheet([PRODUCT], header=header)}, merged={"Offert": merged}
    )
    assert found(report) == [("error", "missing_value", address)]
    assert report.problems[0].message() == (
        "Kundnr is empty. Fill it in, in the cell right of the Kundnr label"
    )


def test_header_formula_without_saved_value_is_an_error(make_workbook: WorkbookFactory) -> None:
    header = {**HEADER, "B1": "=K1", "K1": 1001}
    report = check(make_workbook, {"Offert": sheet([PRODUCT], header=header)})
    assert found(report) == [("error", "formula_no_value", "Offert!B1")]


def test_header_formula_with_saved_value_is_used(make_workbook: WorkbookFactory) -> None:
    header = {**HEADER, "B1": Formula('="10"&"01"', cached="1001")}
    assert (
        body(check(make_workbook, {"Offert": sheet([PRODUCT], header=header)}))["CustomerNr"]
        == "1001"
    )
