"""The package patch: only the edited cells and the records' part change, every other byte stays.

Each test patches a real package and compares it with the original part by
part (uncompressed, and the zip's compressed bytes too), the edited sheet cell
by cell as raw XML and as the project's reader reads it.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import zipfile
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import EXAMPLES, Formula, build_workbook, resave_with_libreoffice
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from package_diff import (
    assert_other_cells_kept,
    changed_parts,
    entries,
    parts,
    raw_cells,
    read_cells,
)

from converter.errors import WritebackError
from converter.model.records import (
    PROPERTY_CHUNK,
    RECORD_FIELDS,
    RECORDS_SHEET,
    FileStamp,
    UploadRecord,
    encode_properties,
)
from converter.read.xlsx import read_workbook
from converter.writeback.backup import KEEP_LAST, prune_backups
from converter.writeback.patch import CellEdit, apply_patch, patch_workbook, read_records

SHEET1 = "xl/worksheets/sheet1.xml"


def stamp_of(path: Path) -> FileStamp:
    st = path.stat()
    return FileStamp(st.st_size, st.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())


def record(sheet: str = "Offert", invoice_id: int | None = 486, **changes: str) -> UploadRecord:
    fields = {
        "target": "sandbox",
        "sheet": sheet,
        "external_id": "offer-converter:0b7e-åäö test",
        "offer_nr": "486" if invoice_id is not None else None,
        "fingerprint": "f" * 64,
        "customer_nr": "013",
        "uploaded_at": "2026-11-23T14:05:00+00:00",
        **changes,
    }
    return UploadRecord(invoice_id=invoice_id, **fields)  # type: ignore[arg-type]


def raw_entries(path: Path) -> dict[str, bytes]:
    """Each entry's compressed bytes as stored in the zip."""
    out = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            with open(path, "rb") as fh:
                fh.seek(info.header_offset + 26)
                n, m = int.from_bytes(fh.read(2), "little"), int.from_bytes(fh.read(2), "little")
                fh.seek(info.header_offset + 30 + n + m)
                out[info.filename] = fh.read(info.compress_size)
    return out


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "spec offer.xlsx"
    shutil.copy(EXAMPLES / "spec_offer.xlsx", path)
    return path


def test_only_the_edited_cells_change(spec: Path, tmp_path: Path) -> None:
    original = tmp_path / "original.xlsx"
    shutil.copy(spec, original)
    edits = [
        CellEdit("Offert", 3, 5, "486"),  # a new cell at the end of an existing row
        CellEdit(
            "Offert", 3, 1, "=1+1 & <text>"
        ),  # before the row's first cell: text, not a formula
        CellEdit("Offert", 2, 1, 12.5),  # a filled cell, replaced by a number
        CellEdit("Offert", 200, 3, "far below"),  # a row that doesn't exist
    ]
    patch_workbook(spec, stamp_of(spec), edits, None, tmp_path / "backups")

    assert changed_parts(original, spec) == {SHEET1}
    assert entries(original) == entries(spec)
    kept_raw = raw_entries(original)
    assert {n: b for n, b in raw_entries(spec).items() if n != SHEET1} == {
        n: b for n, b in kept_raw.items() if n != SHEET1
    }, "untouched entries are copied compressed, byte for byte"
    after = read_cells(spec, "Offert")
    written = {"E3": "486", "A3": "=1+1 & <text>", "A2": 12.5, "C200": "far below"}
    for coordinate, value in written.items():
        assert after[coordinate][0] == value and after[coordinate][1] is None
    assert_other_cells_kept(original, spec, "Offert", SHEET1, written)
    old_cells, new_cells = raw_cells(parts(original)[SHEET1]), raw_cells(parts(spec)[SHEET1])
    # the replaced cell kept its style; the text is an inline string
    style = old_cells["A2"].split(b' s="')[1].split(b'"')[0]
    assert new_cells["A2"] == b'<c r="A2" s="' + style + b'"><v>12.5</v></c>'
    assert b't="inlineStr"' in new_cells["A3"] and b"&lt;text&gt;" in new_cells["A3"]
    other = read_cells(spec, "Instruktioner")
    assert other == read_cells(original, "Instruktioner")


def test_cells_go_in_column_order_and_rows_in_row_order(tmp_path: Path) -> None:
    path = build_workbook(
        tmp_path / "order.xlsx",
        {"Offert": {"B2": "b", "D2": "d", "A5": "a5", "A9": "a9"}},
    )
    edits = [
        CellEdit("Offert", 2, 3, "c"),
        CellEdit("Offert", 2, 1, "a"),
        CellEdit("Offert", 2, 6, "f"),
        CellEdit("Offert", 1, 1, "top"),
        CellEdit("Offert", 7, 2, "between"),
        CellEdit("Offert", 12, 1, "last"),
    ]
    patch_workbook(path, stamp_of(path), edits, None, tmp_path / "b")
    xml = parts(path)[SHEET1]
    order = list(raw_cells(xml))
    assert order == ["A1", "A2", "B2", "C2", "D2", "F2", "A5", "B7", "A9", "A12"]
    assert re.search(rb"<dimension ref=\"A1:F12\"\s*/>", xml)
    wb = load_workbook(path)
    assert wb["Offert"]["C2"].value == "c" and wb["Offert"]["A12"].value == "last"


def test_a_formula_cell_loses_only_its_own_formula(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Offert"
    ws["A1"], ws["B1"], ws["C1"] = 1, "=A1*2", "=A1*3"
    ws["B1"].font = Font(bold=True)
    path = tmp_path / "formula.xlsx"
    wb.save(path)
    patch_workbook(path, stamp_of(path), [CellEdit("Offert", 1, 2, "486")], None, tmp_path / "b")
    cells = raw_cells(parts(path)[SHEET1])
    assert b"<f>" not in cells["B1"] and b"<f>A1*3</f>" in cells["C1"]
    assert load_workbook(path)["Offert"]["B1"].font.b


def test_a_cell_others_share_a_formula_with_is_refused(tmp_path: Path) -> None:
    path = build_workbook(tmp_path / "shared.xlsx", {"Offert": {"A1": 1, "B1": 2}})
    data = parts(path)
    xml = data[SHEET1].replace(
        b'<c r="B1" t="n"><v>2</v></c>',
        b'<c r="B1"><f t="shared" ref="B1:B3" si="0">A1</f><v>1</v></c>',
    )
    assert xml != data[SHEET1]
    _replace(path, SHEET1, xml)
    before = path.read_bytes()
    with pytest.raises(WritebackError) as exc:
        patch_workbook(path, stamp_of(path), [CellEdit("Offert", 1, 2, "x")], None, tmp_path / "b")
    assert exc.value.code == "wb_cell_shared_formula" and "B1" in exc.value.message("en")
    assert path.read_bytes() == before


def test_calc_chain_loses_the_entry_of_an_overwritten_formula(tmp_path: Path) -> None:
    path = build_workbook(tmp_path / "chain.xlsx", {"Offert": {"A1": 1, "B1": "=A1", "C1": "=A1"}})
    chain = (
        b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<c r="B1" i="1"/><c r="C1"/></calcChain>'
    )
    _add_calc_chain(path, chain)
    patch_workbook(path, stamp_of(path), [CellEdit("Offert", 1, 2, "x")], None, tmp_path / "b")
    new_chain = parts(path)["xl/calcChain.xml"]
    assert b'r="B1"' not in new_chain and b'<c i="1" r="C1"/>' in new_chain


def test_an_edit_inside_a_merged_range_goes_to_its_first_cell(tmp_path: Path) -> None:
    path = build_workbook(
        tmp_path / "merged.xlsx", {"Offert": {"A1": "Offertnr"}}, merged={"Offert": ["B1:C2"]}
    )
    patch_workbook(path, stamp_of(path), [CellEdit("Offert", 2, 3, "486")], None, tmp_path / "b")
    assert read_cells(path, "Offert")["B1"][0] == "486"
    assert "C2" not in read_cells(path, "Offert")


def test_an_empty_row_and_an_empty_sheet_are_opened(tmp_path: Path) -> None:
    path = build_workbook(tmp_path / "empty.xlsx", {"Offert": {"A1": "x"}, "Tom": {}})
    data = parts(path)
    _replace(
        path, SHEET1, data[SHEET1].replace(b"</sheetData>", b'<row r="3" spans="1:1"/></sheetData>')
    )
    edits = [CellEdit("Offert", 3, 4, "in row 3"), CellEdit("Tom", 2, 2, 7)]
    patch_workbook(path, stamp_of(path), edits, None, tmp_path / "b")
    assert read_cells(path, "Offert")["D3"][0] == "in row 3"
    assert b'spans="1:4"' in parts(path)[SHEET1]
    assert read_cells(path, "Tom") == {"B2": (7, None, "General", False)}
    assert (
        b'<sheetData><row r="2"><c r="B2"><v>7</v></c></row></sheetData>'
        in parts(path)["xl/worksheets/sheet2.xml"]
    )


def test_a_style_is_borrowed_for_a_new_cell(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Offert"
    ws["A1"] = "Kundnr"
    ws["A1"].font = Font(bold=True, color="1F4E78")
    path = tmp_path / "style.xlsx"
    wb.save(path)
    patch_workbook(
        path,
        stamp_of(path),
        [CellEdit("Offert", 1, 4, "Offertnr", style_like=(1, 1))],
        None,
        tmp_path / "b",
    )
    label = load_workbook(path)["Offert"]["D1"]
    assert label.value == "Offertnr" and label.font.b
    cells = raw_cells(parts(path)[SHEET1])
    style = cells["A1"].split(b' s="')[1].split(b'"')[0]
    assert cells["D1"].startswith(b'<c r="D1" s="' + style + b'" t="inlineStr">')


def test_a_new_cell_shows_the_style_its_empty_place_showed(tmp_path: Path) -> None:
    """Excel shows an empty cell with its row's style (a formatted row), else its column's."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Offert"
    ws["A1"], ws["A2"] = "x", "y"
    ws.row_dimensions[2].font = Font(italic=True)  # a formatted row: customFormat
    ws.column_dimensions["D"].font = Font(bold=True)
    ws.column_dimensions["D"].width = 12
    path = tmp_path / "styles.xlsx"
    wb.save(path)
    xml = parts(path)[SHEET1]
    row_style = re.search(rb'<row r="2"[^>]*\bs="(\d+)"', xml)
    col_tag = re.search(rb'<col [^>]*min="4"[^>]*>', xml)
    col_style = re.search(rb'style="(\d+)"', col_tag.group(0)) if col_tag else None
    assert row_style and col_style, xml
    edits = [CellEdit("Offert", 2, 3, "in the row"), CellEdit("Offert", 1, 4, "in the column")]
    patch_workbook(path, stamp_of(path), edits, None, tmp_path / "b")
    cells = raw_cells(parts(path)[SHEET1])
    assert b' s="' + row_style.group(1) + b'"' in cells["C2"]
    assert b' s="' + col_style.group(1) + b'"' in cells["D1"]
    fonts = load_workbook(path)["Offert"]
    assert fonts["C2"].font.i and fonts["D1"].font.b


# --------------------------------------------------------------------------- records


def test_records_live_in_custom_properties_and_survive_a_patch(spec: Path, tmp_path: Path) -> None:
    original = tmp_path / "original.xlsx"
    shutil.copy(spec, original)
    records = [record(), record("Offert 2", invoice_id=None), record("x" * 31, customer_nr="4416")]
    assert len(encode_properties(records)) > 1, "more than one property's worth"
    patch_workbook(spec, stamp_of(spec), [], records, tmp_path / "b")
    assert read_records(spec) == records
    assert changed_parts(original, spec) == {"docProps/custom.xml"}
    # the properties LibreOffice wrote before are still there, byte for byte
    old = parts(original)["docProps/custom.xml"]
    new = parts(spec)["docProps/custom.xml"]
    for prop in old.split(b"<property")[1:]:
        assert b"<property" + prop.split(b"</Properties>")[0] in new
    patch_workbook(spec, stamp_of(spec), [], records[:1], tmp_path / "b")
    assert read_records(spec) == records[:1]
    patch_workbook(spec, stamp_of(spec), [], [], tmp_path / "b")
    assert read_records(spec) == []


def test_records_added_to_a_package_without_custom_properties(tmp_path: Path) -> None:
    path = build_workbook(tmp_path / "plain.xlsx", {"Offert": {"A1": "x"}})
    original = tmp_path / "original.xlsx"
    shutil.copy(path, original)
    assert "docProps/custom.xml" not in entries(path)
    patch_workbook(path, stamp_of(path), [], [record()], tmp_path / "b")
    assert read_records(path) == [record()]
    assert changed_parts(original, path) == {
        "docProps/custom.xml",
        "[Content_Types].xml",
        "_rels/.rels",
    }
    props = load_workbook(path).custom_doc_props
    assert [p.name for p in props] == [name for name, _ in encode_properties([record()])]
    assert all(len(p.value) <= PROPERTY_CHUNK for p in props)


def test_nothing_to_change_leaves_the_file_alone(tmp_path: Path) -> None:
    path = build_workbook(tmp_path / "same.xlsx", {"Offert": {"A1": "x"}})
    patch_workbook(
        path, stamp_of(path), [CellEdit("Offert", 1, 2, "486")], [record()], tmp_path / "b"
    )
    before = path.read_bytes()
    done = apply_patch(
        path, stamp_of(path), [CellEdit("Offert", 1, 2, "486")], [record()], tmp_path / "b"
    )
    assert done.backup is None and path.read_bytes() == before


@pytest.mark.libreoffice
@pytest.mark.slow
def test_records_survive_a_save_by_libreoffice(spec: Path, tmp_path: Path) -> None:
    records = [record(), record("Offert 2", invoice_id=None)]
    patch_workbook(spec, stamp_of(spec), [CellEdit("Offert", 3, 5, "486")], records, tmp_path / "b")
    resaved = resave_with_libreoffice(spec, tmp_path / "lo")
    assert read_records(resaved) == records
    assert read_cells(resaved, "Offert")["E3"][0] == "486"


def test_legacy_records_sheet_is_still_read(tmp_path: Path) -> None:
    path = _legacy_book(tmp_path / "legacy.xlsx", "veryHidden")
    assert read_records(path) == [record()]
    assert [s.name for s in read_workbook(path).sheets] == ["Offert"]


@pytest.mark.libreoffice
@pytest.mark.slow
def test_legacy_records_sheet_made_hidden_by_libreoffice_is_still_read(tmp_path: Path) -> None:
    resaved = resave_with_libreoffice(
        _legacy_book(tmp_path / "legacy.xlsx", "veryHidden"), tmp_path / "lo"
    )
    states = {s.title: s.sheet_state for s in load_workbook(resaved).worksheets}
    assert states[RECORDS_SHEET] in ("hidden", "veryHidden")
    assert read_records(resaved) == [record()]
    assert [s.name for s in read_workbook(resaved).sheets] == ["Offert"]
    # new records replace the sheet's: the properties are read from then on
    patch_workbook(resaved, stamp_of(resaved), [], [record(offer_nr="487")], tmp_path / "b")
    assert read_records(resaved) == [record(offer_nr="487")]


def test_damaged_records_are_an_error_not_an_empty_list(tmp_path: Path) -> None:
    path = build_workbook(tmp_path / "plain.xlsx", {"Offert": {"A1": "x"}})
    patch_workbook(path, stamp_of(path), [], [record(), record("B")], tmp_path / "b")
    xml = parts(path)["docProps/custom.xml"]
    _replace(
        path,
        "docProps/custom.xml",
        xml.replace(b'name="offer-converter 2/', b'name="something else 2/'),
    )
    with pytest.raises(WritebackError) as exc:
        read_records(path)
    assert exc.value.code == "wb_records_damaged"


STRICT = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": (
        b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    ),
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
}


def test_a_strict_workbook_is_written_back_when_the_reader_reads_it(tmp_path: Path) -> None:

    path = build_workbook(tmp_path / "strict.xlsx", {"Offert": {"A1": "Offertnr", "C1": "x"}})
    for name, data in parts(path).items():
        if name.endswith((".xml", ".rels")):
            strict = data
            for old, new in STRICT.items():
                strict = strict.replace(old, new)
            if strict != data:
                _replace(path, name, strict)
    read_workbook(path)  # the reader reads Strict Open XML
    edits = [CellEdit("Offert", 1, 2, "486")]
    patch_workbook(path, stamp_of(path), edits, [record()], tmp_path / "b")
    assert read_cells(path, "Offert")["B1"][0] == "486"
    assert read_records(path) == [record()]
    assert (
        b"purl.oclc.org/ooxml/officeDocument/customProperties" in parts(path)["docProps/custom.xml"]
    )


# --------------------------------------------------------------------------- safety


def test_a_changed_file_is_not_overwritten(tmp_path: Path) -> None:
    path = build_workbook(tmp_path / "changed.xlsx", {"Offert": {"A1": "x"}})
    stamp = stamp_of(path)
    path.write_bytes(path.read_bytes() + b"\0")
    before = path.read_bytes()
    with pytest.raises(WritebackError) as exc:
        patch_workbook(path, stamp, [CellEdit("Offert", 1, 2, "1")], None, tmp_path / "b")
    assert exc.value.code == "wb_changed" and path.read_bytes() == before
    assert not (tmp_path / "b").exists()


def test_a_failed_verification_leaves_the_file_and_no_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import converter.writeback.patch as patch

    path = build_workbook(tmp_path / "verify.xlsx", {"Offert": {"A1": "x"}})
    before = path.read_bytes()
    monkeypatch.setattr(patch, "_shows", lambda found, value: False)
    with pytest.raises(WritebackError) as exc:
        patch_workbook(path, stamp_of(path), [CellEdit("Offert", 1, 2, "1")], None, tmp_path / "b")
    assert exc.value.code == "wb_verify_cell" and "B1" in exc.value.message("sv")
    assert path.read_bytes() == before and list((tmp_path / "b").iterdir()) == []
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_backups_are_bounded(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    now = datetime(2026, 12, 1, 12, 0)
    names = []
    for days in (0, 1, 2, 3, 4, 5, 6, 40):
        made = now - timedelta(days=days)
        name = f"offer.{made:%Y%m%d-%H%M%S-%f}.xlsx"
        (folder / name).write_bytes(b"x")
        names.append(name)
    (folder / "offer.v2.20200101-000000-000000.xlsx").write_bytes(b"another workbook")
    current = folder / names[0]
    prune_backups(Path("offer.xlsx"), folder, keep=current, now=now)
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted([*names[:KEEP_LAST], "offer.v2.20200101-000000-000000.xlsx"])
    # the run in progress keeps its backup even when it is old
    old = folder / names[4]
    prune_backups(Path("offer.xlsx"), folder, keep=old, now=now + timedelta(days=60))
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [names[4], "offer.v2.20200101-000000-000000.xlsx"]
    )


def test_the_backup_is_the_original_file_itself_or_a_copy_of_its_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import converter.writeback.backup as backup_module

    path = build_workbook(tmp_path / "offer.xlsx", {"Offert": {"A1": "x"}})
    original, inode = path.read_bytes(), path.stat().st_ino
    done = apply_patch(path, stamp_of(path), [CellEdit("Offert", 1, 2, "1")], None, tmp_path / "b")
    assert done.backup is not None and done.backup.read_bytes() == original
    assert done.backup.stat().st_ino == inode != path.stat().st_ino  # linked: nothing copied

    def other_disk(src: object, dst: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(backup_module.os, "link", other_disk)
    before = path.read_bytes()
    done = apply_patch(path, stamp_of(path), [CellEdit("Offert", 1, 2, "2")], None, tmp_path / "b")
    assert done.backup is not None and done.backup.read_bytes() == before


def test_many_write_backs_keep_five_backups(tmp_path: Path) -> None:
    path = build_workbook(tmp_path / "offer.xlsx", {"Offert": {"A1": "x"}})
    for n in range(8):
        patch_workbook(path, stamp_of(path), [CellEdit("Offert", 1, 2, n)], None, tmp_path / "b")
    backups = sorted((tmp_path / "b").iterdir())
    assert len(backups) == KEEP_LAST
    assert (
        read_cells(backups[-1], "Offert")["B1"][0] == 6
    )  # the last one is the file before the 8th


def test_read_only_file_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import converter.writeback.patch as patch

    path = build_workbook(tmp_path / "ro.xlsx", {"Offert": {"A1": "x"}})
    before = path.read_bytes()
    real_access = os.access
    monkeypatch.setattr(
        patch.os, "access", lambda p, mode: False if Path(p) == path else real_access(p, mode)
    )
    with pytest.raises(WritebackError) as exc:
        patch_workbook(path, stamp_of(path), [CellEdit("Offert", 1, 2, "1")], None, tmp_path / "b")
    assert exc.value.code == "wb_locked" and path.read_bytes() == before


# --------------------------------------------------------------------------- helpers


def _replace(path: Path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info)) for info in archive.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info, content in items:
            out.writestr(info, data if info.filename == name else content)
    path.write_bytes(buffer.getvalue())


def _add_calc_chain(path: Path, chain: bytes) -> None:
    data = parts(path)
    types = data["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/calcChain.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>',
    )
    rels = data["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdChain" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>',
    )
    _replace(path, "[Content_Types].xml", types)
    _replace(path, "xl/_rels/workbook.xml.rels", rels)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/calcChain.xml", chain)


def _legacy_book(path: Path, state: str) -> Path:
    """A workbook as the previous version wrote it: records in a very hidden sheet."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Offert"
    ws["A1"] = "Kundnr"
    sheet = wb.create_sheet(RECORDS_SHEET)
    sheet.sheet_state = state
    r = record()
    sheet.append(list(RECORD_FIELDS))
    sheet.append(
        [
            r.target,
            r.sheet,
            r.external_id,
            r.invoice_id,
            r.offer_nr,
            r.fingerprint,
            r.customer_nr,
            r.uploaded_at,
        ]
    )
    wb.save(path)
    return path


def test_the_short_pass_finds_what_the_whole_pass_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pass that lets expat see only the rows that matter plans (and patches) exactly
    as the pass over the whole sheet, on every real-world sheet of the corpus and ours."""
    from conftest import CORPUS
    from wb_corpus import FEATURES, build

    import converter.writeback.sheet_patch as sheet_patch

    sheets = []
    for source in sorted(CORPUS.glob("*.xls[xm]")):
        try:
            with zipfile.ZipFile(source) as archive:
                sheets += [
                    archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/s")
                ]
        except (zipfile.BadZipFile, KeyError):
            continue
    # where the shared corpus is absent, every workbook of ours stands in for it
    ours = FEATURES[:6] if sheets else FEATURES
    sheets += [parts(build(f, tmp_path))[SHEET1] for f in ours]
    sheets.append(parts(build_workbook(tmp_path / "e.xlsx", {"S": {"A1": 1}, "T": {}}))[SHEET1])
    gaps = {f"{c}{r}": r * 10 + i for r in range(1, 400, 2) for i, c in enumerate("ACF")}
    sheets.append(parts(build_workbook(tmp_path / "gaps.xlsx", {"S": gaps}))[SHEET1])
    assert len(sheets) > (60 if CORPUS.is_dir() else len(FEATURES))
    edits = {
        (1, 1): sheet_patch.NewValue("a"),
        (2, 3): sheet_patch.NewValue("b", style_like=(1, 1)),
        (5, 30): sheet_patch.NewValue(7),
        (9, 2): sheet_patch.NewValue("c"),
        (10, 4): sheet_patch.NewValue("between rows 9 and 11"),
        (399, 7): sheet_patch.NewValue("the last row"),
        (4000, 1): sheet_patch.NewValue("d"),
    }
    # formula cells whose saved results go (where they are formulas with one)
    stale = {(r, c) for r in (2, 3, 4, 8, 12, 100) for c in range(1, 12)} - edits.keys()
    short_taken = 0
    for xml in sheets:
        outcomes = []
        for limit in (sheet_patch.FAST_LIMIT, 0):  # 0: the whole sheet, streamed
            monkeypatch.setattr(sheet_patch, "FAST_LIMIT", limit)
            try:
                plan = sheet_patch.plan_cells(io.BytesIO(xml), edits, stale)
            except sheet_patch.SheetPatchError as exc:
                outcomes.append(("refused", exc.reason))
                continue
            out = io.BytesIO()
            sheet_patch.apply_plan(io.BytesIO(xml), plan, out)
            outcomes.append(("patched", out.getvalue()))
        assert outcomes[0] == outcomes[1]
        monkeypatch.setattr(sheet_patch, "FAST_LIMIT", 64 << 20)
        rows_tags = sheet_patch._ROW_TAG.findall(xml)
        short_taken += bool(rows_tags) and sheet_patch._rows_only(xml, {1, 2, 5, 9}) is not None
    assert short_taken > len(sheets) * 2 // 3  # most real sheets take the short way


# ------------------------------------------------------------------------- what the patch hands on


def _three_sheets(path: Path) -> Path:
    """An offer, a sheet whose formula reads the offer's B1, and one nothing touches."""
    return build_workbook(
        path,
        {
            "Offert": {"A1": "Offertnr", "A2": "Kundnr", "B2": "013", "C5": ("text", "@")},
            "Summering": {"A1": Formula('=Offert!B1&"!"', cached="!"), "B1": 7},
            "Prislista": {"A1": "A11", "B1": 100.5},
        },
    )


@pytest.mark.parametrize("records", [None, [record()]])
def test_the_patched_sheets_are_what_reading_the_new_file_gives(
    tmp_path: Path, records: list[UploadRecord] | None
) -> None:
    """The write-back after a claim goes on from what the claim verified, not from a new
    read: that must be exactly what a new read would find (issue 12: one read)."""
    path = _three_sheets(tmp_path / "offer.xlsx")
    before = read_workbook(path)
    edits = [CellEdit("Offert", 1, 2, "486"), CellEdit("Offert", 1, 3, "Uppladdad")]
    done = apply_patch(path, before.stamp, edits, records, tmp_path / "b")
    again = read_workbook(path)
    assert set(done.sheets) == {"Offert", "Summering"}  # the edited and the dependent one
    now = done.applied_to(before)
    assert now.stamp == again.stamp and now.path == again.path
    assert now.sheets == again.sheets
    assert now.sheets[2] is before.sheets[2]  # the sheet nothing touched is not read again


def test_a_file_changed_while_it_is_patched_is_left_as_the_user_saved_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Excel saves (a new file renamed into place) after the backup, before the replace."""
    import converter.writeback.patch as patch

    path = build_workbook(tmp_path / "offer.xlsx", {"Offert": {"A1": "x"}})
    stamp = stamp_of(path)
    saved = build_workbook(tmp_path / "saved.xlsx", {"Offert": {"A1": "the user's"}})
    real_verify = patch._verify

    def user_saves(*args: object, **kwargs: object) -> object:
        found = real_verify(*args, **kwargs)  # type: ignore[arg-type]
        os.replace(saved, path)
        return found

    monkeypatch.setattr(patch, "_verify", user_saves)
    mine = build_workbook(tmp_path / "mine.xlsx", {"Offert": {"A1": "the user's"}}).read_bytes()
    with pytest.raises(WritebackError) as exc:
        patch_workbook(path, stamp, [CellEdit("Offert", 1, 2, "1")], None, tmp_path / "b")
    assert exc.value.code == "wb_changed"
    assert path.read_bytes() == mine and list((tmp_path / "b").iterdir()) == []
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_file_written_to_in_place_before_the_backup_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The linked backup shares the file's bytes: they are checked to be the ones read."""
    import converter.writeback.backup as backup_module

    path = build_workbook(tmp_path / "offer.xlsx", {"Offert": {"A1": "x"}})
    stamp = stamp_of(path)
    real_link = os.link

    def written_first(src: str, dst: str) -> None:
        with open(path, "r+b") as fh:  # the same length, other bytes, the same file
            fh.seek(-1, os.SEEK_END)
            fh.write(b"\x01")
        real_link(src, dst)

    monkeypatch.setattr(backup_module.os, "link", written_first)
    with pytest.raises(WritebackError) as exc:
        patch_workbook(path, stamp, [CellEdit("Offert", 1, 2, "1")], None, tmp_path / "b")
    assert exc.value.code == "wb_changed" and path.read_bytes().endswith(b"\x01")
    assert list((tmp_path / "b").iterdir()) == []


def test_the_bytes_read_prove_the_file_unchanged_without_a_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workbook read whole keeps its bytes: the write-back compares them with the file
    instead of hashing it again (a 5 MB workbook's hash is a tenth of its write-back)."""
    import converter.writeback.patch as patch
    from converter.writeback.workbook import SheetResult, write_back

    path = build_workbook(tmp_path / "offer.xlsx", {"Offert": {"A1": "Offertnr", "A2": "Kundnr"}})
    read = read_workbook(path)
    assert read.data == path.read_bytes()

    def no_hash(*_args: object) -> None:
        raise AssertionError("hashed again")

    monkeypatch.setattr(patch, "check_unchanged", no_hash)
    result = SheetResult("Offert", None, [], "486", "Uppladdad", None)
    twin = tmp_path / "twin.xlsx"
    shutil.copyfile(path, twin)
    assert write_back(path, read.stamp, [result], tmp_path / "b", read) is not None
    assert read_cells(path, "Offert")["B1"][0] == "486"
    # the same stamp, other bytes: the comparison tells
    data = twin.read_bytes()
    twin.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    twin_read = replace(read, path=twin)
    with pytest.raises(WritebackError) as exc:
        write_back(twin, read.stamp, [result], tmp_path / "b", twin_read)
    assert exc.value.code == "wb_changed"
