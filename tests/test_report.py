"""The problems view of an offer, a file and a report: errors and warnings, nothing else."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from converter.model.cells import CellRef
from converter.model.mapped import FileReport, MappedOffer, Problem, Report

FILE = Path("offer.xlsx")


def _offer(*problems: Problem) -> MappedOffer:
    return MappedOffer(
        file=FILE,
        sheet="Offert",
        sheet_index=0,
        source=None,
        problems=list(problems),
        customer_nr="013",
        invoice_date=None,
        row_count=0,
        total=Decimal(0),
        header_labels=[],
        offer_nr_cell=None,
        offer_nr_shown=None,
    )


def test_errors_and_warnings_of_an_offer_a_file_and_a_report() -> None:
    error = Problem("error", "not_a_number", FILE, ref=CellRef("Offert", 12, 4))
    warning = Problem("warning", "sheet_hidden", FILE, sheet="Dold")
    info = Problem("info", "sheet_hidden", FILE, sheet="Gammal")
    offer = _offer(error, info)
    file = FileReport(FILE, offers=[offer], problems=[warning])
    report = Report([file])

    assert (offer.errors, offer.warnings) == ([error], [])
    assert (file.errors, file.warnings) == ([], [warning])  # the file's own problems
    assert (report.errors, report.warnings) == ([error], [warning])  # every file and offer
    assert not report.ok and not report.strict_ok

    calm = Report([FileReport(FILE, offers=[_offer(info)], problems=[warning])])
    assert calm.ok and not calm.strict_ok and calm.errors == []


def test_located_names_the_cell_or_the_sheet_or_nothing() -> None:
    at_cell = Problem(
        "error",
        "not_a_number",
        FILE,
        ref=CellRef("Offert", 12, 4),
        params={
            "field": "Antal",
            "value": "fem",
        },
    )
    assert at_cell.located("sv") == "Offert!D12: Antal 'fem' är inte ett tal"
    assert (
        Problem("error", "no_offers", FILE).located()
        == Problem("error", "no_offers", FILE).message()
    )
