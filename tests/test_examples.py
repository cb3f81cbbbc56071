"""The example workbooks map to the offers written by hand beside them.

Every ``example_sheets/*.xlsx`` has a ``NAME.expected.json``: the JSON array
``offer-converter convert NAME.xlsx`` must print, worked out by hand from the
mapping rules (see example_sheets/make_examples.py). ``errors/bad_cells.xlsx``
lists the cells where errors must be reported. The ``libreoffice`` tests re-save
the files through LibreOffice and check nothing changes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, REPO, libreoffice_convert, soffice
from openpyxl import load_workbook

from converter.map.offer_sheet import map_workbook
from converter.model.mapped import FileReport
from converter.model.profile import load_profile
from converter.read.xlsx import read_workbook

WORKBOOKS = sorted(EXAMPLES.glob("*.xlsx"))
BAD_CELLS = EXAMPLES / "errors" / "bad_cells.xlsx"
TEMPLATE = REPO / "templates" / "offer_template.xlsx"
SOFFICE = soffice()

needs_libreoffice = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
]


def _map(path: Path) -> FileReport:
    return map_workbook(read_workbook(path), load_profile())


def _expected(path: Path) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(
        path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8")
    )
    return data


def _errors(report: FileReport) -> set[tuple[str, str]]:
    return {(p.where, p.code) for p in report.all_problems() if p.severity == "error"}


def _outcome(report: FileReport) -> tuple[list[dict[str, Any] | None], set[tuple[str, str, str]]]:
    """What the mapping produced, independent of the file's path."""
    bodies = [o.request.body() if o.request is not None else None for o in report.offers]
    problems = {(p.severity, p.where, p.code) for p in report.all_problems()}
    return bodies, problems


def test_examples_are_there() -> None:
    names = {p.name for p in WORKBOOKS}
    assert {"spec_offer.xlsx", "multi_offer.xlsx", "swedish_text_numbers.xlsx"} <= names
    assert BAD_CELLS.is_file()
    assert BAD_CELLS.with_name("bad_cells.expected.txt").is_file()


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_example_maps_to_expected_offers(path: Path) -> None:
    report = _map(path)
    assert _errors(report) == set()
    assert [o.request.body() for o in report.offers if o.request is not None] == _expected(path)


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_example_has_no_warnings(path: Path) -> None:
    # the examples carry LibreOffice's cached Summa results, and every Summa matches
    report = _map(path)
    assert [(p.where, p.code) for p in report.all_problems() if p.severity == "warning"] == []


def test_multi_offer_skips_hidden_and_instruction_sheets() -> None:
    report = _map(EXAMPLES / "multi_offer.xlsx")
    assert [o.sheet for o in report.offers] == ["Offert 1", "Offert 2", "Offert 3"]
    skipped = {(p.sheet, p.code) for p in report.problems}
    assert ("Utkast", "sheet_hidden") in skipped
    assert ("Instruktioner", "sheet_no_grid") in skipped


def test_bad_cells_reports_every_error_at_its_cell() -> None:
    lines = BAD_CELLS.with_name("bad_cells.expected.txt").read_text(encoding="utf-8")
    expected = {tuple(line.rsplit(" ", 1)) for line in lines.splitlines() if line.strip()}
    report = _map(BAD_CELLS)
    assert _errors(report) == expected
    assert all(o.request is None for o in report.offers)


@pytest.fixture(scope="module")
def resaved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every example, re-saved through LibreOffice (one soffice run for all)."""
    sources = [*WORKBOOKS, BAD_CELLS]
    written = libreoffice_convert(sources, tmp_path_factory.mktemp("resaved"))
    return {source.name: path for source, path in zip(sources, written, strict=True)}


@pytest.mark.parametrize(
    "path", [pytest.param(p, id=p.name, marks=needs_libreoffice) for p in [*WORKBOOKS, BAD_CELLS]]
)
def test_libreoffice_resave_changes_nothing(path: Path, resaved: dict[str, Path]) -> None:
    copy = resaved[path.name]
    assert copy.is_file(), f"LibreOffice wrote no {copy.name}"
    assert _outcome(_map(copy)) == _outcome(_map(path))


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_template_opens_cleanly_in_libreoffice(tmp_path: Path) -> None:
    [converted] = libreoffice_convert([TEMPLATE], tmp_path / "out")
    wb = load_workbook(converted)
    assert wb.sheetnames == ["Offert", "Instruktioner"]
    assert wb["Offert"]["B3"].value == "Kundnr"
    assert _outcome(_map(converted)) == _outcome(_map(TEMPLATE))
    totals = load_workbook(converted, data_only=True)["Offert"]
    assert [totals[f"I{r}"].value for r in (66, 67, 68)] == [0, 0, 0]
