"""What checking a sheet keeps in memory (issue 16: a 200,000-row validate within 450 MB).

``validate`` reads the values it checks and totals, not the request: the
pydantic models of the body are built when something sends, converts or
fingerprints the offer, from those same values.
"""

from __future__ import annotations

import threading
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import openpyxl
from conftest import WorkbookFactory, large_offer_workbook
from mapper_helpers import check, sheet

from converter.map.offer_sheet import map_workbook
from converter.map.values import to_decimal
from converter.model.cells import CellRef
from converter.model.profile import load_profile
from converter.pipeline import convert_files, validate_files
from converter.read import sheet_xml
from converter.read.xlsx import read_workbook

ROWS = [
    [1, "1001", "Arbetskostnad", 5, "Tim", 580, None, 25, 2900],
    [2, None, "Arbetet utförs vecka 12"],
    [3, "0042", "Material", 2, "st", "1 250,50", 10, 25, 2250.9],
    [4, "0042", "Material", 0.5, "st", 99.99999999999999, None, 25, None],
]


def test_checking_builds_no_request_and_sending_builds_it_once(
    make_workbook: WorkbookFactory,
) -> None:
    report = check(make_workbook, {"Offert": sheet(ROWS)})
    [offer] = report.offers
    assert offer.ok and offer.source is not None
    assert not offer.source.built  # validate made no pydantic model

    request = offer.request
    assert request is not None and offer.source.built
    assert offer.request is request  # built once, then kept
    assert [r.row_nr for r in request.invoice_rows] == [1, 2, 3, 4]


def test_the_total_checked_is_the_total_of_the_rows_sent(make_workbook: WorkbookFactory) -> None:
    [offer] = check(make_workbook, {"Offert": sheet(ROWS)}).offers
    assert offer.request is not None
    sent = sum(
        r.quantity * r.amount * (1 - (r.discount or Decimal(0)) / 100)
        for r in offer.request.invoice_rows
        if r.quantity is not None and r.amount is not None
    )
    assert offer.total == Decimal("5200.90")  # 2900 + 2 × 1250.50 × 0.9 + 0.5 × 100
    assert Decimal(sent).quantize(Decimal("0.01")) == offer.total


def test_a_sheet_with_an_error_has_nothing_to_build(make_workbook: WorkbookFactory) -> None:
    rows = [[1, "1001", "Arbetskostnad", "fem", "Tim", 580]]
    [offer] = check(make_workbook, {"Offert": sheet(rows)}).offers
    assert offer.source is None and offer.request is None and not offer.ok


def test_the_article_cells_are_worked_out_when_asked_for(make_workbook: WorkbookFactory) -> None:
    [offer] = check(make_workbook, {"Offert": sheet(ROWS)}).offers
    # product rows only (row 2 is text), at their Artikel cells in column B
    assert dict(offer.article_cells) == {
        1: CellRef("Offert", 7, 2),
        3: CellRef("Offert", 9, 2),
        4: CellRef("Offert", 10, 2),
    }
    assert offer.article_cells.get(2) is None and len(offer.article_cells) == 3


def test_convert_builds_the_body_from_the_checked_values(make_workbook: WorkbookFactory) -> None:
    path = make_workbook({"Offert": sheet(ROWS)})
    [body] = convert_files([path])
    assert [(r.get("Quantity"), r.get("Amount")) for r in body["InvoiceRows"]] == [
        (5, 580),
        (None, None),
        (2, 1250.5),
        (0.5, 100),  # as Excel shows it: 15 significant digits
    ]
    [offer] = validate_files([path]).offers
    assert offer.total == Decimal("5200.90")


def test_a_number_repeated_in_many_cells_is_one_decimal() -> None:
    assert to_decimal(7) is to_decimal(7)
    assert to_decimal(579.99999999999989) is to_decimal(579.99999999999989)
    assert to_decimal(579.99999999999989) == Decimal(580)
    # 0.0 and -0.0 are equal (one key to a cache) but show differently
    assert (str(to_decimal(0.0)), str(to_decimal(-0.0))) == ("0", "-0")
    assert (str(to_decimal(-0.0)), str(to_decimal(0.0))) == ("-0", "0")


def test_mapping_a_large_sheet_adds_little_to_its_cells(tmp_path: Path) -> None:
    """What mapping allocates beyond the cells already read, per row, at its peak.

    Building the request's models for every row took about 3 kB a row (a
    200,000-row validate peaked at 900 MB); the values checked take about 200 bytes.
    """
    rows = 5_000
    workbook = read_workbook(large_offer_workbook(tmp_path / "large.xlsx", rows, reference=None))
    profile = load_profile()
    tracemalloc.start()
    try:
        report = map_workbook(workbook, profile)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    [offer] = report.offers
    assert offer.ok and offer.row_count == rows
    assert peak / rows < 600, f"{peak / rows:.0f} bytes a row"
    assert offer.source is not None and not offer.source.built


def test_the_reader_shares_repeated_inline_strings_and_row_numbers(tmp_path: Path) -> None:
    path = large_offer_workbook(
        tmp_path / "inline.xlsx", 400, reference=None
    )  # openpyxl writes inline strings
    [offer_sheet] = read_workbook(path).sheets
    rows = {row[0].row: row for row in offer_sheet.rows}
    units = [c for row in offer_sheet.rows for c in row if c.value == "Tim"]
    assert len(units) == 360 and len({id(c.value) for c in units}) == 1
    # the cells of row 300 carry one int object for their row, not one each
    assert len(rows[300]) == 8 and len({id(c.row) for c in rows[300]}) == 1
    assert [c.value for c in rows[14]] == [
        10,
        "Textrad 10: montage enligt ritning",
    ]  # grid row 10, a text row


def test_a_sheet_of_unique_inline_strings_reads_every_one(tmp_path: Path) -> None:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Unika")
    count = sheet_xml.MAX_SHARED_INLINE + 50  # past the table of strings to share
    for i in range(count):
        ws.append([f"text {i}", "same"])
    wb.save(tmp_path / "unique.xlsx")
    [unique] = read_workbook(tmp_path / "unique.xlsx").sheets
    assert [row[0].value for row in unique.rows] == [f"text {i}" for i in range(count)]
    assert all(row[1].value == "same" for row in unique.rows)


def test_threads_asking_at_once_all_get_the_request_and_the_article_cells(
    make_workbook: WorkbookFactory,
) -> None:
    [offer] = check(make_workbook, {"Offert": sheet(ROWS)}).offers
    threads = 8
    start = threading.Barrier(threads)

    def ask(_: int) -> tuple[object, object]:
        start.wait()  # all at once
        return offer.request, offer.article_cells.get(3)

    with ThreadPoolExecutor(threads) as pool:
        answers = list(pool.map(ask, range(threads)))
    assert offer.request is not None
    assert all(request == offer.request for request, _cell in answers)
    assert {cell for _request, cell in answers} == {CellRef("Offert", 9, 2)}
