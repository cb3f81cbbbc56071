"""The mapper: every rule of issue 2 ("What the reader must understand", "How a sheet maps").

Each test builds a small workbook with the ``make_workbook`` factory. Unless a
test says otherwise, the header block is Kundnr 1001 (A1:B1) and Offertdatum
2026-01-30 (A2:B2), the grid header is row 6 and the first grid row is row 7,
with the columns of ``ALL`` in A..I.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    CellSpec,
    Formula,
    WorkbookFactory,
    corpus_files,
    needs_corpus,
    offer_sheet,
    resave_with_libreoffice,
)

from converter.errors import ProfileError
from converter.map.offer_sheet import map_workbook
from converter.model.cells import CellRef
from converter.model.profile import Profile, default_profile_path, load_profile
from converter.model.report import Report
from converter.pipeline import validate_file, validate_files
from converter.read.xlsx import read_workbook

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


# --- the whole body ------------------------------------------------------------------------


def test_a_typical_offer_gives_exactly_this_body(make_workbook: WorkbookFactory) -> None:
    report = check(
        make_workbook,
        {
            "Offert": sheet(
                [
                    [1, "1001", "Arbetskostnad", 5, "Tim", 580, None, 25, 2900],
                    [2, None, "Arbetet utförs vecka 12"],
                    [3, "0042", "Material", 2, "st", "1 250,50", 10, (0.25, "0%"), 2250.9],
                ],
                header={
                    **HEADER,
                    "D1": "Offertnr",
                    "E1": 12345,
                    "D2": "Vår referens",
                    "E2": "Anna",
                },
            )
        },
    )
    assert found(report) == []
    assert report.bodies() == [
        {
            "CustomerNr": "1001",
            "InvoiceDate": "2026-01-30",
            "ReferenceOur": "Anna",
            **CONSTANTS,
            "InvoiceRows": [
                {
                    "CustomerRowType": 2,
                    "RowNr": 1,
                    "ProductNr": "1001",
                    "Text": "Arbetskostnad",
                    "Quantity": 5,
                    "Unit": "Tim",
                    "Amount": 580,
                    "VatRate": 25,
                },
                {"CustomerRowType": 3, "RowNr": 2, "Text": "Arbetet utförs vecka 12"},
                {
                    "CustomerRowType": 2,
                    "RowNr": 3,
                    "ProductNr": "0042",
                    "Text": "Material",
                    "Quantity": 2,
                    "Unit": "st",
                    "Amount": 1250.5,
                    "Discount": 10,
                    "VatRate": 25,
                },
            ],
        }
    ]


def test_constant_fields_are_always_sent(make_workbook: WorkbookFactory) -> None:
    offer = body(check(make_workbook, {"Offert": sheet([PRODUCT])}))
    assert {k: offer[k] for k in CONSTANTS} == CONSTANTS
    assert offer["AutoCreateCustomer"] is False


def test_offertnr_value_is_not_sent(make_workbook: WorkbookFactory) -> None:
    report = check(
        make_workbook,
        {"Offert": sheet([PRODUCT], header={**HEADER, "A3": "Offertnr", "B3": 987654})},
    )
    offer = body(report)
    assert set(offer) == {"CustomerNr", "InvoiceDate", "InvoiceRows", *CONSTANTS}
    assert "987654" not in repr(offer)
    assert report.offers[0].offer_nr_cell == CellRef("Offert", 3, 2)


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
    assert report.offers[0].offer is None


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
        {
            "CustomerRowType": 2,
            "RowNr": 1,
            "ProductNr": "1001",
            "Text": "Arbetskostnad",
            "Quantity": 5,
            "Unit": "Tim",
            "Amount": 580,
        },
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
    assert report.offers[0].offer is None


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
        {
            "CustomerRowType": 2,
            "RowNr": 1,
            "ProductNr": "1001",
            "Text": "Arbetskostnad",
            "Quantity": 5,
            "Unit": "Tim",
            "Amount": 580,
        },
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


# --- sheets and files ----------------------------------------------------------------------


def test_a_price_list_grid_without_a_header_block_is_not_an_offer(
    make_workbook: WorkbookFactory,
) -> None:
    price_list = {
        "A1": "Art.nr",
        "B1": "Benämning",
        "C1": "Enhet",
        "D1": "Pris",
        "A2": "A11",
        "B2": "Skruv",
        "C2": "St",
        "D2": 12.5,
        "A3": "A12",
        "B3": "Mutter",
        "C3": "St",
        "D3": "tolv",  # not a price an offer could send: still no problem of a price list
    }
    sheets = {"Offert": sheet([PRODUCT]), "Prislista": price_list}
    report = check(make_workbook, sheets)
    assert [o.sheet for o in report.offers] == ["Offert"] and report.ok
    assert found(report) == [("info", "sheet_no_header", "Prislista")]
    assert report.problems[0].message() == (
        "skipped: rows like an offer's, but no header block above them (Kundnr, Offertdatum, "
        "Offertnr, …): a price list or another table, not an offer"
    )
    assert report.problems[0].message("sv").startswith("hoppades över: rader som en offerts")
    # one header label is enough: the offer's mistakes are then reported, not skipped
    below = {f"{k[0]}{int(k[1:]) + 2}": v for k, v in price_list.items()}
    with_label = check(make_workbook, {"Offert": {"A1": "Kundnr", **below}})
    assert [o.sheet for o in with_label.offers] == ["Offert"] and not with_label.ok


def test_several_sheets_are_several_offers_in_sheet_order(make_workbook: WorkbookFactory) -> None:
    sheets = {
        "Instruktioner": {"A1": "Fyll i Kundnr och raderna.", "A2": "Artikel, Antal och Pris"},
        "Offert B": sheet([PRODUCT], header={**HEADER, "B1": "2"}),
        "Dold": sheet([PRODUCT], header={**HEADER, "B1": "99"}),
        "Offert A": sheet([PRODUCT], header={**HEADER, "B1": "1"}),
        "Mycket dold": sheet([PRODUCT], header={**HEADER, "B1": "98"}),
        "Offert C": sheet([PRODUCT], header={**HEADER, "B1": "3"}),
    }
    report = check(make_workbook, sheets, hidden={"Dold": "hidden", "Mycket dold": "veryHidden"})
    assert [b["CustomerNr"] for b in report.bodies()] == ["2", "1", "3"]
    assert [o.sheet for o in report.offers] == ["Offert B", "Offert A", "Offert C"]
    assert found(report) == [
        ("info", "sheet_no_grid", "Instruktioner"),
        ("info", "sheet_hidden", "Dold"),
        ("info", "sheet_hidden", "'Mycket dold'"),
    ]
    messages = [p.message() for p in report.problems]
    assert messages[1:] == ["skipped: hidden sheet", "skipped: hidden sheet"]
    assert messages[0].startswith("skipped: no grid")
    assert report.ok


@pytest.mark.parametrize(
    ("sheets", "hidden"),
    [
        ({"Blad1": {"A1": "Hej"}}, {}),
        ({"Blad1": {}}, {}),
        ({"Dold": sheet([PRODUCT]), "Tom": {"B2": "text"}}, {"Dold": "hidden"}),
    ],
    ids=["text-only", "empty", "only-offer-hidden"],
)
def test_a_file_without_any_offer_is_an_error(
    make_workbook: WorkbookFactory,
    sheets: dict[str, dict[str, CellSpec]],
    hidden: dict[str, Any],
) -> None:
    report = check(make_workbook, sheets, hidden=hidden)
    errors = [p for p in report.problems if p.severity == "error"]
    assert [(p.code, p.sheet, p.ref) for p in errors] == [("no_offers", None, None)]
    assert errors[0].message().startswith("no offer found")
    assert not report.ok
    assert report.offers == []


def test_problems_in_one_sheet_do_not_block_the_others_but_convert_fails(
    make_workbook: WorkbookFactory,
) -> None:
    sheets = {
        "Bra": sheet([PRODUCT]),
        "Dålig": sheet([[1, "1001", None, "fem", None, 5]]),
    }
    report = check(make_workbook, sheets)
    assert [o.ok for o in report.offers] == [True, False]
    assert found(report) == [("error", "not_a_number", "Dålig!D7")]
    assert str(report.problems[0].ref) == "Dålig!D7"


def test_problems_carry_file_sheet_and_cell(make_workbook: WorkbookFactory) -> None:
    path = make_workbook({"Offert 2": sheet([[1, "1001", None, "fem", None, 5]])}, name="o.xlsx")
    problem = validate_files([path]).problems[0]
    assert problem.file == path
    assert problem.sheet == "Offert 2"
    assert problem.ref == CellRef("Offert 2", 7, 4)
    assert str(problem.ref) == "'Offert 2'!D7"
    assert problem.params["value"] == "fem"


def test_map_workbook_directly(make_workbook: WorkbookFactory, profile: Profile) -> None:
    path = make_workbook({"Offert": sheet([PRODUCT, [2, "2", None, 2, None, 10, 10]])})
    file_report = map_workbook(read_workbook(path), profile)
    (offer,) = file_report.offers
    assert offer.ok
    assert (offer.customer_nr, offer.invoice_date, offer.row_count, str(offer.total)) == (
        "1001",
        datetime(2026, 1, 30).date(),
        2,
        "2918.00",
    )
    assert offer.summary() == "OK: Kundnr 1001, 2026-01-30, 2 rows, 2,918.00 excl. VAT"


# --- layout profiles -----------------------------------------------------------------------


def _profile_with(tmp_path: Path, old: str, new: str) -> Path:
    text = default_profile_path().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "my-profile.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_profile_default_article_makes_priced_rows_product_rows(
    make_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    profile = load_profile(
        _profile_with(tmp_path, 'default_article = ""', 'default_article = "DIVERSE"')
    )
    path = make_workbook({"Offert": sheet([PRODUCT, [2, None, "Frakt", 1, None, 150]])})
    report = validate_files([path], profile)
    assert found(report) == []
    assert rows_of(report)[1] == {
        "CustomerRowType": 2,
        "RowNr": 2,
        "ProductNr": "DIVERSE",
        "Text": "Frakt",
        "Quantity": 1,
        "Amount": 150,
    }
    # a text row stays a text row
    path2 = make_workbook({"Offert": sheet([PRODUCT, [2, None, "Text"]])}, name="b.xlsx")
    assert rows_of(validate_files([path2], profile))[1]["CustomerRowType"] == 3


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('name = "standard"', 'name = "standard"\ncolour = "red"', "colour"),
        ('default_article = ""', 'default_artikel = "X"', "default_artikel"),
        ("OriginType = 5", "OriginTyp = 5", "OriginTyp"),
        ('Rad = ["Rad", "Row"]', 'Radnr = ["Rad", "Row"]', "Radnr"),
    ],
)
def test_profile_with_an_unknown_key_is_an_error_naming_the_file(
    tmp_path: Path, old: str, new: str, key: str
) -> None:
    path = _profile_with(tmp_path, old, new)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(path) in str(caught.value)
    assert key in str(caught.value)


def test_profile_that_is_not_toml_or_missing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("name = \n", encoding="utf-8")
    with pytest.raises(ProfileError, match="bad.toml"):
        load_profile(bad)
    with pytest.raises(ProfileError, match="missing.toml"):
        load_profile(tmp_path / "missing.toml")


def test_profile_labels_drive_the_mapping(make_workbook: WorkbookFactory, tmp_path: Path) -> None:
    profile = load_profile(
        _profile_with(tmp_path, 'CustomerNr = ["Kundnr",', 'CustomerNr = ["Kundkod", "Kundnr",')
    )
    header = {**HEADER, "A1": "Kundkod"}
    report = validate_files([make_workbook({"Offert": sheet([PRODUCT], header=header)})], profile)
    assert body(report)["CustomerNr"] == "1001"


# --- robustness ----------------------------------------------------------------------------


def _with_raw_value(path: Path, coordinate: str, raw: str) -> Path:
    """Give a numeric cell a raw ``<v>`` text, as a crafted or broken file could."""
    with zipfile.ZipFile(path) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    xml = entries["xl/worksheets/sheet1.xml"].decode()
    start = xml.index(f'<c r="{coordinate}"')
    v0 = xml.index("<v>", start) + 3
    v1 = xml.index("</v>", v0)
    entries["xl/worksheets/sheet1.xml"] = (xml[:v0] + raw + xml[v1:]).encode()
    out = path.with_name("crafted.xlsx")
    with zipfile.ZipFile(out, "w") as z:
        for n, data in entries.items():
            z.writestr(n, data)
    return out


@pytest.mark.parametrize("coordinate", ["B1", "B7", "D7", "F7"])
def test_infinite_number_in_a_cell_is_a_problem_not_a_crash(
    make_workbook: WorkbookFactory, coordinate: str
) -> None:
    path = make_workbook(
        {"Offert": sheet([[1, 1001, None, 5, None, 580]], header={**HEADER, "B1": 1001})}
    )
    report = validate_files([_with_raw_value(path, coordinate, "1E999")])
    assert [(p.severity, p.where) for p in report.problems] == [("error", f"Offert!{coordinate}")]


@pytest.mark.parametrize(
    "row",
    [
        [1, "1001", None, 1e20, None, 1e10],
        [1, "1001", None, 1, None, 10, (1e26, "0%")],
        [1, "1001", None, "1" * 40, None, 1],
    ],
    ids=["huge-line-total", "huge-percentage", "forty-digit-antal"],
)
def test_huge_numbers_are_a_result_or_a_problem_not_a_crash(
    make_workbook: WorkbookFactory, row: list[CellSpec]
) -> None:
    report = validate_files([make_workbook({"Offert": sheet([row])})])
    for problem in report.problems:
        assert problem.ref is not None and problem.ref.row == 7


@pytest.mark.parametrize("value", [(0.5, "h:mm"), (1.5, "[h]:mm")], ids=["time", "duration"])
@pytest.mark.parametrize(
    "coordinate",
    ["B1", "B2", "B7", "C7", "D7", "E7", "F7"],
    ids=["Kundnr", "Offertdatum", "Artikel", "Beskrivning", "Antal", "Enhet", "Pris"],
)
def test_time_formatted_cells_are_a_problem_not_a_crash(
    make_workbook: WorkbookFactory, coordinate: str, value: CellSpec
) -> None:
    """Excel turns "8:00" typed into any cell into a time value."""
    path = make_workbook({"Offert": sheet([PRODUCT], extra={coordinate: value})})
    report = validate_files([path])
    assert {p.where for p in report.problems} <= {f"Offert!{coordinate}"}


@needs_corpus
@pytest.mark.parametrize(
    "path",
    corpus_files(".xlsx", ".xlsm"),
    ids=lambda p: p.name,
)
def test_real_world_workbooks_give_a_report(path: Path, profile: Profile) -> None:
    """Mapping never raises: a foreign workbook gives problems, at worst ``no_offers``."""
    report = validate_file(path, profile)
    assert report.path == path
    for problem in report.all_problems():
        assert problem.message()
        assert problem.severity in ("error", "warning", "info")


# --- warnings that leave the offer alone ---------------------------------------------------


def test_a_second_column_with_the_same_meaning_is_a_warning(make_workbook: WorkbookFactory) -> None:
    cells = sheet([PRODUCT], extra={"J6": "Qty", "J7": 99})
    report = check(make_workbook, {"Offert": cells})
    assert found(report) == [("warning", "duplicate_column", "Offert!J6")]
    assert report.problems[0].message() == "a second Antal column; the first one, D6, is used"
    assert one_row(report)["Quantity"] == 5


def test_a_second_label_with_the_same_meaning_is_a_warning(make_workbook: WorkbookFactory) -> None:
    header = {**HEADER, "D1": "Customer no", "E1": "2002"}
    report = check(make_workbook, {"Offert": sheet([PRODUCT], header=header)})
    assert found(report) == [("warning", "duplicate_label", "Offert!D1")]
    assert report.problems[0].message() == "a second Kundnr label; the first one, A1, is used"
    assert body(report)["CustomerNr"] == "1001"


def test_a_plain_small_percentage_is_taken_as_is_with_a_warning(
    make_workbook: WorkbookFactory,
) -> None:
    report = check(make_workbook, {"Offert": sheet([PRODUCT], extra={"G7": 0.5})})
    assert found(report) == [("warning", "small_percent", "Offert!G7")]
    assert report.problems[0].message() == (
        "Rabatt 0.5 is read as 0.5 %. If you meant 50 %, type 50 or format the cell as a percentage"
    )
    assert one_row(report)["Discount"] == 0.5


def test_summa_that_is_not_a_number_is_a_warning(make_workbook: WorkbookFactory) -> None:
    report = check(make_workbook, {"Offert": sheet([PRODUCT], extra={"I7": "ca 3000"})})
    assert found(report) == [("warning", "summa_not_number", "Offert!I7")]
    assert report.problems[0].message() == "Summa 'ca 3000' is not a number, so it was not checked"
    assert report.ok


def test_a_date_where_kundnr_belongs_is_an_error(make_workbook: WorkbookFactory) -> None:
    header = {**HEADER, "B1": datetime(2026, 1, 1)}
    report = check(make_workbook, {"Offert": sheet([PRODUCT], header=header)})
    assert found(report) == [("error", "date_not_text", "Offert!B1")]
    assert report.problems[0].message() == (
        "Kundnr holds a date or time (2026-01-01); type the Kundnr as text"
    )


@pytest.mark.libreoffice
def test_offer_saved_by_libreoffice_maps_like_the_original(
    make_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    """openpyxl leaves Summa formulas without results; LibreOffice stores them, as Excel does."""
    grid: list[list[CellSpec]] = [
        [1, "1001", "Arbetskostnad", 5, "Tim", 580, None, (0.25, "0%"), "=D7*F7*(1-G7/100)"],
        [2, None, "Arbetet utförs\nvecka 12"],
        [3, (42, "0000"), "Material", 2.5, "st", 1250.5, 10, 25, "=D9*F9*(1-G9/100)"],
    ]
    extra: dict[str, CellSpec] = {"H11": "Summa", "I11": "=SUM(I7:I9)"}
    header = {**HEADER, "B1": (13, "000")}
    source = make_workbook({"Offert": sheet(grid, header=header, extra=extra)}, name="source.xlsx")
    from_openpyxl = validate_files([source])
    assert sorted(found(from_openpyxl)) == [
        ("warning", "summa_no_value", "Offert!I7"),
        ("warning", "summa_no_value", "Offert!I9"),
    ]
    saved = resave_with_libreoffice(source, tmp_path / "lo")
    from_libreoffice = validate_files([saved])
    assert found(from_libreoffice) == []  # the saved results match Antal × Pris × (1 − Rabatt)
    assert from_libreoffice.bodies() == from_openpyxl.bodies()
    assert body(from_libreoffice)["CustomerNr"] == "013"
    assert [r.get("ProductNr") for r in rows_of(from_libreoffice)] == ["1001", None, "0042"]
