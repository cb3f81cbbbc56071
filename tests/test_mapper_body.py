"""The mapper, the whole request body, and a workbook's sheets as offers (issue 2).

Each test builds a small workbook; ``mapper_helpers`` says what a sheet holds
unless the test says otherwise.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from conftest import CellSpec, WorkbookFactory
from mapper_helpers import CONSTANTS, HEADER, PRODUCT, PRODUCT_ROW, body, check, found, sheet

from converter.map.offer_sheet import map_workbook
from converter.model.cells import CellRef
from converter.model.profile import Profile
from converter.pipeline import validate_files
from converter.read.xlsx import read_workbook

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
                {**PRODUCT_ROW, "VatRate": 25},
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
