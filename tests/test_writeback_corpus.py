"""Write-back into workbooks with what company templates carry (``tests/wb_corpus.py``).

For each workbook, after an upload to the sandbox over HTTP:

* the offer number is in the offer sheet, in place, and the status beside it;
* every part except the offer sheet and the records' part is byte-identical to
  the original, compared part by part after unzipping;
* in the offer sheet every other cell is unchanged: as the project's reader
  reads it (value, formula, cached value, number format) and as raw XML (style
  included), and nothing outside the cells changed;
* a second run says unchanged and leaves the file byte-identical;
* a run with an empty journal creates nothing;
* LibreOffice opens the result, and after LibreOffice has saved it, a run with
  an empty journal still creates nothing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import pytest
from conftest import libreoffice_convert
from package_diff import (
    assert_other_cells_kept,
    changed_parts,
    entries,
    parts,
    raw_cells,
    read_cells,
)
from wb_corpus import FEATURES, OFFER_SHEET, Feature, build

from converter.erp.client import RetryPolicy, SoftOneClient
from converter.erp.journal import Journal
from converter.erp.uploader import Uploader
from converter.i18n import Lang
from converter.pipeline import UploadRun, upload_files, validate_file
from converter.read.package import Package
from converter.sandbox import SandboxConfig, SandboxServer
from converter.writeback.patch import read_records

OFFER_PART = "xl/worksheets/sheet1.xml"
RECORD_PARTS = {"docProps/custom.xml", "[Content_Types].xml", "_rels/.rels"}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    state = tmp_path_factory.mktemp("sandbox") / "state.json"
    with SandboxServer(SandboxConfig(state_path=state)) as server:
        yield server


def upload(
    paths: Sequence[Path], server: SandboxServer, journal: Path, lang: Lang = "en"
) -> UploadRun:
    with (
        Journal(journal) as opened,
        httpx.Client(base_url=server.url + "/", timeout=10.0) as http,
    ):
        client = SoftOneClient(
            http,
            server.client_credentials(),
            retry=RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05),
        )
        return upload_files(
            paths,
            Uploader(client, opened, "sandbox", settle_seconds=0.05),
            backup_dir=journal.parent / "backups",
            lang=lang,
        )


def offer_part(path: Path) -> str:
    """The offer sheet's part, found through the package's relationships."""
    return offer_part_of(path, OFFER_SHEET)


def check_written(original: Path, path: Path, feature: Feature, offer_nr: str) -> None:
    """The number and status are in place, and nothing else changed."""
    part = offer_part(path)
    number_cell, status_cell = feature.written
    after = read_cells(path, OFFER_SHEET)
    assert after[number_cell][0] == offer_nr
    assert str(after[status_cell][0]).startswith("Uploaded ")
    # every other part: byte-identical
    had_properties = "docProps/custom.xml" in entries(original)
    allowed = {part, "docProps/custom.xml"} | (set() if had_properties else RECORD_PARTS)
    assert changed_parts(original, path) == allowed, feature.name
    assert [n for n in entries(path) if n in set(entries(original))] == entries(original)
    # the offer sheet: every other cell as it was, read and raw
    written = {number_cell, status_cell}
    assert_other_cells_kept(original, path, OFFER_SHEET, part, written)
    old_cells, new_cells = raw_cells(parts(original)[part]), raw_cells(parts(path)[part])
    # the written cells kept the style they had (B5's grey, the merged range's)
    for cell in written & old_cells.keys():
        old_style = (
            old_cells[cell].split(b' s="')[1].split(b'"')[0] if b' s="' in old_cells[cell] else None
        )
        if old_style is not None:
            assert b' s="' + old_style + b'"' in new_cells[cell]
    # formulas kept their saved values: the offer reads the same, without warnings
    report = validate_file(path, _profile())
    assert [o.sheet for o in report.offers] == [OFFER_SHEET]
    assert [p for p in report.all_problems() if p.severity != "info"] == []


def _profile() -> object:
    from converter.model.profile import load_profile

    return load_profile()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("corpus")
    return {f.name: build(f, folder) for f in FEATURES}


@pytest.mark.parametrize("feature", FEATURES, ids=[f.name for f in FEATURES])
def test_write_back_changes_only_the_number_and_the_records(
    feature: Feature, corpus: dict[str, Path], sandbox: SandboxServer, tmp_path: Path
) -> None:
    original = corpus[feature.name]
    path = tmp_path / original.name
    shutil.copyfile(original, path)
    offers_before = len(sandbox.offers())

    first = upload([path], sandbox, tmp_path / "journal.sqlite")
    assert [r.status for r in first.results] == ["created"], first.results[0].message()
    offer_nr = first.results[0].offer_nr
    assert offer_nr is not None and first.ok
    check_written(original, path, feature, offer_nr)
    assert [r.offer_nr for r in read_records(path)] == [offer_nr]

    written = path.read_bytes()
    second = upload([path], sandbox, tmp_path / "journal.sqlite")
    assert [r.status for r in second.results] == ["skipped"] and second.ok
    assert path.read_bytes() == written

    fresh = upload([path], sandbox, tmp_path / "another computer" / "journal.sqlite")
    assert [r.status for r in fresh.results] == ["skipped"] and fresh.ok
    assert path.read_bytes() == written
    assert len(sandbox.offers()) == offers_before + 1


def test_price_list_sheet_is_not_an_offer_and_is_not_written_into(corpus: dict[str, Path]) -> None:
    report = validate_file(corpus["price_list_vlookup"], _profile())
    assert [o.sheet for o in report.offers] == [OFFER_SHEET]
    assert [(p.code, p.sheet) for p in report.problems] == [("sheet_no_header", "Prislista")]


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_opens_the_results_and_its_saves_keep_the_records(
    corpus: dict[str, Path], sandbox: SandboxServer, tmp_path: Path
) -> None:
    """One soffice run opens every written workbook; its saves, uploaded again with an empty
    journal, create nothing: the records survived and the number is still in place."""
    written = []
    for feature in FEATURES:
        path = tmp_path / "written" / corpus[feature.name].name
        path.parent.mkdir(exist_ok=True)
        shutil.copyfile(corpus[feature.name], path)
        run = upload([path], sandbox, tmp_path / "journal.sqlite")
        assert [r.status for r in run.results] == ["created"], feature.name
        written.append((feature, path, run.results[0].offer_nr))
    resaved = libreoffice_convert([p for _f, p, _n in written], tmp_path / "lo")
    offers = len(sandbox.offers())
    for (feature, _path, offer_nr), saved in zip(written, resaved, strict=True):
        assert read_cells(saved, OFFER_SHEET)[feature.written[0]][0] == offer_nr, feature.name
        assert [r.offer_nr for r in read_records(saved)] == [offer_nr], feature.name
    again = upload(resaved, sandbox, tmp_path / "empty" / "journal.sqlite")
    assert [r.status for r in again.results] == ["skipped"] * len(FEATURES)
    assert len(sandbox.offers()) == offers


@pytest.mark.libreoffice
@pytest.mark.slow
def test_workbooks_saved_by_libreoffice_are_written_back_losslessly(
    corpus: dict[str, Path], sandbox: SandboxServer, tmp_path: Path
) -> None:
    """The same checks on the corpus as LibreOffice saves it (its own parts, its custom.xml)."""
    names = ["logo", "chart", "comments", "data_bars", "drop_down_x14", "custom_xml_label", "all"]
    features = {f.name: f for f in FEATURES}
    resaved = libreoffice_convert([corpus[n] for n in names], tmp_path / "lo")
    for name, original in zip(names, resaved, strict=True):
        path = tmp_path / f"{name}.written{original.suffix}"
        shutil.copyfile(original, path)
        run = upload([path], sandbox, tmp_path / "journal.sqlite")
        assert [r.status for r in run.results] == ["created"], name
        offer_nr = run.results[0].offer_nr
        assert offer_nr is not None
        check_written(original, path, features[name], offer_nr)
        fresh = upload([path], sandbox, tmp_path / name / "journal.sqlite")
        assert [r.status for r in fresh.results] == ["skipped"], name


@pytest.mark.slow
def test_every_real_world_workbook_the_reader_reads_is_written_back(tmp_path: Path) -> None:
    """Each .xlsx/.xlsm of ../shared/corpus that the reader reads gets two cells and records;
    only its first sheet, the records' parts and (for an overwritten formula) the calculation
    chain change. A cell others share a formula with is refused, and the file left alone."""
    from conftest import CORPUS

    from converter.errors import WorkbookError, WritebackError
    from converter.model.records import UploadRecord
    from converter.read.xlsx import read_workbook
    from converter.writeback.patch import CellEdit, patch_workbook

    sources = sorted([*CORPUS.glob("*.xlsx"), *CORPUS.glob("*.xlsm")])
    if not sources:
        pytest.skip("the shared corpus is not available")
    record = UploadRecord("sandbox", "S", "offer-converter:x", 1, "1", "f" * 64, "013", "")
    written = refused = 0
    recalculated: dict[str, set[str]] = {}
    for source in sources:
        path = tmp_path / source.name
        shutil.copyfile(source, path)
        try:
            book = read_workbook(path)
        except WorkbookError:
            continue  # a clear error on reading: tests/test_reader.py
        if not book.sheets:
            continue
        sheet = book.sheets[0].name
        edits = [CellEdit(sheet, 2, 3, "486"), CellEdit(sheet, 1, 30, 7)]
        try:
            patch_workbook(path, book.stamp, edits, [record], tmp_path / "backups")
        except WritebackError as exc:
            assert exc.code == "wb_cell_shared_formula", (source.name, exc.code)
            assert path.read_bytes() == source.read_bytes()
            refused += 1
            continue
        written += 1
        assert read_records(path) == [record], source.name
        cells = read_cells(path, sheet)
        for (row, column), value in (((2, 3), "486"), ((1, 30), 7)):
            shown = _top_left(book.sheets[0].merged, row, column)
            assert cells[shown][0] == value, (source.name, shown)
        changed = changed_parts(source, path) - RECORD_PARTS - {"xl/calcChain.xml"}
        offer = offer_part_of(path, sheet)
        if changed - {offer}:
            # formulas depend on C2 or AD1: only the workbook's calcPr changed outside the
            # sheet, and the dependents lost their saved results, nothing else
            assert changed - {offer} == {"xl/workbook.xml"}, (source.name, changed)
            old_book, new_book = parts(source)["xl/workbook.xml"], parts(path)["xl/workbook.xml"]
            assert b'fullCalcOnLoad="1"' in new_book, source.name
            assert (
                new_book.replace(b' fullCalcOnLoad="1"', b"")
                == old_book.replace(b' fullCalcOnLoad="1"', b"")
                or new_book.replace(b'<calcPr fullCalcOnLoad="1"/>', b"") == old_book
            ), source.name
            before = read_cells(source, sheet)
            stale = {
                c
                for c, (value, formula, *_rest) in cells.items()
                if formula is not None and value is None and before[c][0] is not None
            }
            recalculated[source.name] = stale
        else:
            assert changed == {offer}, (source.name, changed)
    assert written >= 50 and refused <= 2, (written, refused)
    # the workbooks with formulas on C2 or AD1 (followed through shared formulas)
    assert recalculated == {"non_monotonic_si.xlsx": {"C3", "C4", "C5", "C6"}}


def offer_part_of(path: Path, sheet: str) -> str:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        entry = Package(archive).sheet(sheet)
        assert entry is not None and entry.part is not None
        return entry.part


def _top_left(merged: list[str], row: int, column: int) -> str:
    """The address Excel shows (row, column) at: the first cell of its merged range."""
    from openpyxl.utils.cell import get_column_letter, range_boundaries

    for ref in merged:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        assert min_col and min_row and max_col and max_row
        if min_row <= row <= max_row and min_col <= column <= max_col:
            row, column = min_row, min_col
            break
    return f"{get_column_letter(column)}{row}"
