"""Write-back: offer numbers land in the workbook, and nothing else in it changes.

Every check re-reads the saved file with openpyxl and the project's reader, and
compares packages part by part; where LibreOffice is installed, the written file
is also opened by it (``-m libreoffice``). The corpus of template features is
in ``tests/test_writeback_corpus.py``.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Collection
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, libreoffice_convert
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from package_diff import changed_parts, parts

import converter.fileio
import converter.writeback.patch as patch_module
import converter.writeback.workbook as writeback
from converter.errors import WritebackError
from converter.model.cells import CellRef
from converter.model.records import FileStamp
from converter.read.xlsx import read_workbook
from converter.writeback.workbook import (
    RECORDS_SHEET,
    SheetResult,
    UploadRecord,
    read_records,
    write_back,
    write_results_file,
)

STATUS = "Uppladdad 2026-11-23 14:05"
EVIL = "=cmd|' /C calc'!A0"
# The cells the write-back of the standard result writes into; all others must stay.
WRITTEN = {("Offert", "B3"), ("Offert", "C3")}
OFFER_NR_CELL = CellRef("Offert", 3, 2)  # right of the "Offertnr" label in A3


# --------------------------------------------------------------------------- helpers


def build_offer_book(path: Path, *, with_label: bool = True, active: int = 0) -> Path:
    """An offer workbook with most things a user's workbook has: styles, names, validation..."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "Offert"
    ws["A1"] = "Kundnr"
    ws["A1"].font = Font(bold=True, color="1F4E78")
    ws["B1"] = "1001"
    ws["B1"].fill = PatternFill("solid", fgColor="FFF9DB")
    ws["A2"] = "Offertdatum"
    ws["A2"].font = Font(bold=True, color="1F4E78")
    ws["B2"] = datetime(2026, 1, 30)
    ws["B2"].number_format = "yyyy-mm-dd"
    if with_label:
        ws["A3"] = "Offertnr"
        ws["A3"].font = Font(bold=True, color="1F4E78")
        ws["B3"].number_format = "@"
    ws["D2"] = CellRichText("Säljare: ", TextBlock(InlineFont(b=True), "Eva"))
    for column, label in enumerate(["Artikel", "Antal", "Pris", "Summa"], start=1):
        ws.cell(row=5, column=column, value=label)
    ws.append(["P-100", 3, 99.5, "=B6*C6"])
    ws.append(["P-200", 1, 1200, "=B7*C7"])
    ws["C6"].number_format = "#,##0.00"
    ws["A9"] = "Villkor enligt avtal"
    ws.merge_cells("A9:D9")
    ws.column_dimensions["A"].width = 31.5
    ws.column_dimensions["D"].width = 14
    ws.row_dimensions[1].height = 27
    dv = DataValidation(type="list", formula1='"st,tim,m"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add("B6:B30")
    ws.freeze_panes = "A6"
    ws.print_area = "A1:D30"
    ws.print_title_rows = "5:5"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "Sida &P"
    ws.defined_names["Kund"] = DefinedName("Kund", attr_text="Offert!$B$1")
    ws["E1"].comment = Comment("Fylls i av säljaren", "Eva")

    data = wb.create_sheet("Data")
    data["A1"] = "Moms"
    data["B1"] = 0.25
    data["B1"].number_format = "0%"
    data["A2"] = "Summa"
    data["B2"] = "=SUM(Offert!D6:D7)*(1+B1)"
    data["B2"].number_format = '#,##0.00 "kr"'
    wb.defined_names["Moms"] = DefinedName("Moms", attr_text="Data!$B$1")

    hidden = wb.create_sheet("Gömd")
    hidden["A1"] = "intern"
    hidden.sheet_state = "hidden"

    wb.active = active
    wb.save(path)
    return path


def result(
    *,
    sheet: str = "Offert",
    cell: CellRef | None = OFFER_NR_CELL,
    labels: list[CellRef] | None = None,
    offer_nr: str | None = "486",
    status: str = STATUS,
    record: UploadRecord | None = None,
) -> SheetResult:
    return SheetResult(
        sheet=sheet,
        offer_nr_cell=cell,
        header_labels=labels
        if labels is not None
        else [CellRef(sheet, 1, 1), CellRef(sheet, 2, 1)],
        offer_nr=offer_nr,
        status_text=status,
        record=record,
    )


def record(sheet: str = "Offert", target: str = "sandbox", **changes: Any) -> UploadRecord:
    fields: dict[str, Any] = {
        "target": target,
        "sheet": sheet,
        "external_id": f"oc-{sheet}-{target}",
        "invoice_id": 9001,
        "offer_nr": "486",
        "fingerprint": "ab" * 32,
        "customer_nr": "0042",
        "uploaded_at": "2026-11-23T13:05:00+00:00",
    }
    fields.update(changes)
    return UploadRecord(**fields)


def stamp_of(path: Path) -> FileStamp:
    return read_workbook(path).stamp


def snapshot(path: Path, skip: Collection[tuple[str, str]] = ()) -> dict[str, Any]:
    """What a user would notice about a workbook, minus the cells in ``skip``."""
    wb = load_workbook(path, keep_vba=path.suffix == ".xlsm", rich_text=True)
    sheets: dict[str, Any] = {}
    for ws in wb.worksheets:
        if ws.title == RECORDS_SHEET:
            continue
        cells = {
            c.coordinate: (
                repr(c.value) if isinstance(c.value, CellRichText) else c.value,
                c.data_type,
                c.number_format,
                repr(c.font),
                repr(c.fill),
            )
            for row in ws.iter_rows()
            for c in row
            if (ws.title, c.coordinate) not in skip and (c.value is not None or c.has_style)
        }
        sheets[ws.title] = {
            "state": ws.sheet_state,
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "widths": {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth},
            "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
            "validation": [
                (dv.type, dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation
            ],
            "print_area": ws.print_area,
            "print_titles": ws.print_title_rows,
            "page_setup": (
                ws.page_setup.orientation,
                ws.page_setup.paperSize,
                ws.page_setup.fitToWidth,
                (ws.sheet_properties.pageSetUpPr or PageSetupProperties()).fitToPage,
            ),
            "footer": ws.oddFooter.center.text,
            "freeze": ws.freeze_panes,
            "local_names": {n: d.attr_text for n, d in ws.defined_names.items()},
            "comments": {
                c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment
            },
        }
    return {
        "order": [n for n in wb.sheetnames if n != RECORDS_SHEET],
        "active": wb.active.title if wb.active else None,
        "names": {n: d.attr_text for n, d in wb.defined_names.items()},
        "sheets": sheets,
    }


def folder_listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --------------------------------------------------------------------------- cells


def test_number_and_status_are_written_as_text(tmp_path: Path) -> None:
    path = build_offer_book(tmp_path / "offer.xlsx")
    backup = write_back(path, stamp_of(path), [result()], tmp_path / "backups")

    ws = load_workbook(path)["Offert"]
    assert ws["B3"].value == "486"
    assert ws["B3"].data_type == "s"
    assert ws["C3"].value == STATUS
    assert backup is not None and backup.parent == tmp_path / "backups"


def test_failed_offer_keeps_the_number_and_shows_the_error(tmp_path: Path) -> None:
    path = build_offer_book(tmp_path / "offer.xlsx")
    write_back(path, stamp_of(path), [result(offer_nr="400")], tmp_path / "b")
    failed = result(offer_nr=None, status="Fel: Kund kunde inte mappas")
    write_back(path, stamp_of(path), [failed], tmp_path / "b")

    ws = load_workbook(path)["Offert"]
    assert ws["B3"].value == "400"
    assert ws["C3"].value == "Fel: Kund kunde inte mappas"


def test_status_goes_right_of_a_merged_number_cell(tmp_path: Path) -> None:
    path = build_offer_book(tmp_path / "offer.xlsx")
    wb = load_workbook(path)
    wb["Offert"].merge_cells("B3:C3")
    wb.save(path)

    write_back(path, stamp_of(path), [result()], tmp_path / "b")

    ws = load_workbook(path)["Offert"]
    assert (ws["B3"].value, ws["D3"].value) == ("486", STATUS)
    assert "B3:C3" in {str(r) for r in ws.merged_cells.ranges}


def test_server_strings_that_look_like_formulas_stay_text(tmp_path: Path) -> None:
    path = build_offer_book(tmp_path / "offer.xlsx")
    write_back(path, stamp_of(path), [result(offer_nr=EVIL, status="=1+1")], tmp_path / "b")

    ws = load_workbook(path)["Offert"]
    assert (ws["B3"].value, ws["B3"].data_type) == (EVIL, "s")
    assert (ws["C3"].value, ws["C3"].data_type) == ("=1+1", "s")
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    cell_xml = re.search(r'<c r="B3".*?</c>', xml)
    assert cell_xml is not None and "<f>" not in cell_xml.group(0)
    # The reader sees text, not a formula.
    offert = read_workbook(path).sheets[0]
    b3 = next(c for row in offert.rows for c in row if c.ref.coordinate == "B3")
    assert (b3.value, b3.formula) == (EVIL, None)


def test_control_characters_from_the_server_are_dropped(tmp_path: Path) -> None:
    path = build_offer_book(tmp_path / "offer.xlsx")
    write_back(path, stamp_of(path), [result(status="Fel:\x00 trasig\x1b text")], tmp_path / "b")
    assert load_workbook(path)["Offert"]["C3"].value == "Fel: trasig text"


def test_label_is_added_beside_the_header_block_when_missing(tmp_path: Path) -> None:
    path = build_offer_book(tmp_path / "offer.xlsx", with_label=False)
    before = snapshot(path)

    write_back(path, stamp_of(path), [result(cell=None)], tmp_path / "b")

    ws = load_workbook(path)["Offert"]
    # Header rows 1-2 use columns A..D (D2 "Säljare"); one empty column (E), then F1.
    assert ws["E1"].value is None and ws["E2"].value is None
    assert (ws["F1"].value, ws["G1"].value, ws["H1"].value) == ("Offertnr", "486", STATUS)
    assert ws["F1"].font.b and ws["F1"].font.color.rgb == ws["A1"].font.color.rgb
    added = {("Offert", "F1"), ("Offert", "G1"), ("Offert", "H1")}
    assert snapshot(path, skip=added) == before


def test_added_label_skips_merged_cells_and_is_reused_next_time(tmp_path: Path) -> None:
    path = build_offer_book(tmp_path / "offer.xlsx", with_label=False)
    wb = load_workbook(path)
    wb["Offert"].merge_cells("G1:G3")  # reaches into the header rows: the block is wider
    wb.save(path)

    write_back(path, stamp_of(path), [result(cell=None)], tmp_path / "b")
    write_back(path, stamp_of(path), [result(cell=None, offer_nr="487")], tmp_path / "b")

    ws = load_workbook(path)["Offert"]
    assert (ws["I1"].value, ws["J1"].value, ws["K1"].value) == ("Offertnr", "487", STATUS)
    labels = [c.coordinate for row in ws.iter_rows() for c in row if c.value == "Offertnr"]
    assert labels == ["I1"]


# --------------------------------------------------------------------------- records


def test_records_are_kept_in_the_document_properties_and_read_back(tmp_path: Path) -> None:
    path = build_offer_book(tmp_path / "offer.xlsx", active=1)
    sheets_before = load_workbook(path).sheetnames
    rec = record(customer_nr="0042", external_id="=not-a-formula")

    write_back(path, stamp_of(path), [result(record=rec)], tmp_path / "b")

    assert read_records(path) == [rec]
    wb = load_workbook(path)
    assert wb.sheetnames == sheets_before  # no sheet of ours for a user to find
    assert wb.active is not None and wb.active.title == "Data"
    assert b"offer-converter 1/" in parts(path)["docProps/custom.xml"]


def test_records_are_upserted_per_target_and_sheet(tmp_path: Path) -> None:
    path = build_offer_book(tmp_path / "offer.xlsx")
    first = record()
    write_back(path, stamp_of(path), [result(record=first)], tmp_path / "b")

    updated = record(invoice_id=9002, fingerprint="cd" * 32)
    other_target = record(target="https://host#ab12cd", invoice_id=77, offer_nr=None)
    write_back(path, stamp_of(path), [result(record=updated)], tmp_path / "b")
    assert read_records(path) == [updated]
    write_back(path, stamp_of(path), [result(record=other_target)], tmp_path / "b")
    write_back(path, stamp_of(path), [result(record=None, status="Fel: x")], tmp_path / "b")

    assert sorted(read_records(path), key=lambda r: r.target) == sorted(
        [updated, other_target], key=lambda r: r.target
    )
    assert RECORDS_SHEET not in load_workbook(path).sheetnames


def test_read_records_without_records_and_on_unreadable_files(tmp_path: Path) -> None:
    path = build_offer_book(tmp_path / "offer.xlsx")
    assert read_records(path) == []
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(WritebackError, match="broken.xlsx"):
        read_records(broken)


# --------------------------------------------------------------------------- survival


def test_everything_else_survives(tmp_path: Path) -> None:
    path = build_offer_book(tmp_path / "offer.xlsx", active=1)
    before = snapshot(path, skip=WRITTEN)

    write_back(path, stamp_of(path), [result(record=record())], tmp_path / "b")

    after = snapshot(path, skip=WRITTEN)
    assert after == before
    # Spot checks, so that a snapshot which silently captured nothing still fails.
    offert = after["sheets"]["Offert"]
    assert offert["cells"]["D6"][:2] == ("=B6*C6", "f")
    assert offert["cells"]["B2"][2] == "yyyy-mm-dd"
    assert offert["cells"]["A1"][3] == before["sheets"]["Offert"]["cells"]["A1"][3]
    assert after["sheets"]["Data"]["cells"]["B2"][:3] == (
        "=SUM(Offert!D6:D7)*(1+B1)",
        "f",
        '#,##0.00 "kr"',
    )
    assert "InlineFont" in offert["cells"]["D2"][0]  # the bold run in the rich text
    assert offert["merged"] == ["A9:D9"]
    assert offert["widths"]["A"] == 31.5 and offert["heights"][1] == 27
    assert offert["validation"] == [("list", '"st,tim,m"', "B6:B30")]
    assert offert["freeze"] == "A6"
    assert offert["page_setup"] == ("landscape", 9, 1, True)
    assert "$A$1:$D$30" in offert["print_area"] and offert["print_titles"]
    assert offert["footer"] == "Sida &P"
    assert offert["local_names"] == {"Kund": "Offert!$B$1"}
    assert offert["comments"] == {"E1": "Fylls i av säljaren"}
    assert after["names"] == {"Moms": "Data!$B$1"}
    assert after["sheets"]["Gömd"]["state"] == "hidden"
    assert after["order"] == ["Offert", "Data", "Gömd"] and after["active"] == "Data"


def test_file_permissions_are_kept(tmp_path: Path) -> None:
    path = build_offer_book(tmp_path / "offer.xlsx")
    path.chmod(0o640)
    write_back(path, stamp_of(path), [result()], tmp_path / "b")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_realistic_template_round_trip(tmp_path: Path) -> None:
    import converter.desktop.template as template
    from converter.map.offer_sheet import map_workbook
    from converter.model.profile import load_profile

    path = tmp_path / "offert.xlsx"
    template.build_template().save(path)
    data = read_workbook(path)
    offer = map_workbook(data, load_profile()).offers[0]
    number = offer.offer_nr_cell
    assert number is not None
    status = number.offset(columns=1)
    assert (number.coordinate, status.coordinate) == (
        template.OFFER_NR_CELL,
        template.STATUS_CELL,
    )
    written = {(number.sheet, number.coordinate), (status.sheet, status.coordinate)}
    before = snapshot(path, skip=written)
    sheet_result = SheetResult(
        sheet=offer.sheet,
        offer_nr_cell=number,
        header_labels=offer.header_labels,
        offer_nr="486",
        status_text=STATUS,
        record=record(sheet=offer.sheet),
    )

    write_back(path, data.stamp, [sheet_result], tmp_path / "b")

    assert snapshot(path, skip=written) == before
    again = map_workbook(read_workbook(path), load_profile()).offers[0]
    assert again.offer_nr_shown == "486"
    assert read_records(path) == [record(sheet=offer.sheet)]


def macro_book(path: Path) -> Path:
    """A workbook with macros: the shared corpus's ``vba.xlsm`` (saved by Excel) where it
    is, else one made with the real ``vbaProject.bin`` in ``tests/data``."""
    source = CORPUS / "vba.xlsm"
    if source.exists():
        shutil.copyfile(source, path)
        return path
    import xlsxwriter
    from wb_corpus import vba_project

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Makro")
    ws.write("A1", "Kundnr")
    ws.write("B1", "013")
    wb.add_vba_project(io.BytesIO(vba_project()), is_stream=True)
    wb.close()
    return path


def test_xlsm_keeps_its_macros(tmp_path: Path) -> None:
    path = macro_book(tmp_path / "makro.xlsm")
    with zipfile.ZipFile(path) as zf:
        vba_before = zf.read("xl/vbaProject.bin")
    data = read_workbook(path)
    sheet = data.sheets[0].name
    cell = CellRef(sheet, 20, 5)

    write_back(
        path, data.stamp, [result(sheet=sheet, cell=cell, record=record(sheet))], tmp_path / "b"
    )

    with zipfile.ZipFile(path) as zf:
        assert zf.read("xl/vbaProject.bin") == vba_before
        assert b"macroEnabled" in zf.read("[Content_Types].xml")
    # not keep_vba=True: openpyxl leaves that archive open, to be closed by the collector
    wb = load_workbook(path)
    assert wb[sheet]["E20"].value == "486"
    assert read_records(path) == [record(sheet)]


# --------------------------------------------------------------------------- saving safely


def test_backup_is_byte_identical_to_the_original(tmp_path: Path) -> None:
    path = build_offer_book(tmp_path / "offer.xlsx")
    original = path.read_bytes()

    backup = write_back(path, stamp_of(path), [result()], tmp_path / "deep" / "backups")

    assert backup is not None and backup.read_bytes() == original
    assert re.fullmatch(r"offer\.\d{8}-\d{6}-\d{6}\.xlsx", backup.name)
    assert path.read_bytes() != original


def test_file_changed_since_read_is_not_overwritten(tmp_path: Path) -> None:
    path = build_offer_book(tmp_path / "offer.xlsx")
    stamp = stamp_of(path)
    wb = load_workbook(path)
    wb["Offert"]["B1"] = "2002"  # the user saves in Excel meanwhile
    wb.save(path)
    edited = path.read_bytes()

    with pytest.raises(WritebackError, match=r"offer\.xlsx.*changed since it was read"):
        write_back(path, stamp, [result()], tmp_path / "b")

    assert path.read_bytes() == edited
    assert not (tmp_path / "b").exists()


def _assert_locked_message(exc: pytest.ExceptionInfo[WritebackError]) -> None:
    message = str(exc.value)
    assert "offer.xlsx" in message
    assert "Close it in Excel" in message and "run again" in message


def test_read_only_file_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = build_offer_book(tmp_path / "offer.xlsx")
    original = path.read_bytes()
    stamp = stamp_of(path)
    path.chmod(0o444)
    if os.access(path, os.W_OK):  # root may write anyway: simulate what Windows/Excel do

        def refuse(target: Path, data: bytes, **_: object) -> None:
            raise PermissionError(errno.EACCES, "Permission denied", str(target))

        monkeypatch.setattr(patch_module, "write_atomically", refuse)

    with pytest.raises(WritebackError) as exc:
        write_back(path, stamp, [result()], tmp_path / "backups")

    _assert_locked_message(exc)
    assert path.read_bytes() == original
    # No temporary file, and no backup of a file that was not changed.
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and p != path]
    assert leftovers == []


def test_file_locked_by_excel_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows refuses to replace a file Excel has open; the real write_atomically must clean up."""
    path = build_offer_book(tmp_path / "offer.xlsx")
    original = path.read_bytes()
    listing = folder_listing(tmp_path)

    def sharing_violation(src: str, dst: str) -> None:
        raise PermissionError(errno.EACCES, "The process cannot access the file", dst)

    monkeypatch.setattr(converter.fileio.os, "replace", sharing_violation)
    with pytest.raises(WritebackError) as exc:
        write_back(path, stamp_of(path), [result()], tmp_path / "backups")

    _assert_locked_message(exc)
    assert path.read_bytes() == original
    assert folder_listing(tmp_path) == sorted([*listing, "backups"])
    assert folder_listing(tmp_path / "backups") == []  # a backup of an unchanged file is clutter


def test_disk_full_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = build_offer_book(tmp_path / "offer.xlsx")
    original = path.read_bytes()

    def full(target: Path, data: bytes, **_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(patch_module, "write_atomically", full)
    with pytest.raises(WritebackError, match=r"offer\.xlsx.*disk is full"):
        write_back(path, stamp_of(path), [result()], tmp_path / "b")
    assert path.read_bytes() == original


def test_other_os_errors_carry_the_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = build_offer_book(tmp_path / "offer.xlsx")

    def broken(target: Path, data: bytes, **_: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(patch_module, "write_atomically", broken)
    with pytest.raises(WritebackError, match=r"offer\.xlsx.*Input/output error"):
        write_back(path, stamp_of(path), [result()], tmp_path / "b")


def test_backup_that_cannot_be_made_stops_the_write(tmp_path: Path) -> None:
    path = build_offer_book(tmp_path / "offer.xlsx")
    original = path.read_bytes()
    not_a_folder = tmp_path / "backups"
    not_a_folder.write_text("a file where the backup folder should be")

    with pytest.raises(WritebackError, match=r"offer\.xlsx.*backup.*not changed"):
        write_back(path, stamp_of(path), [result()], not_a_folder)
    assert path.read_bytes() == original


def test_unknown_sheet_is_an_error_and_nothing_changes(tmp_path: Path) -> None:
    path = build_offer_book(tmp_path / "offer.xlsx")
    original = path.read_bytes()
    with pytest.raises(WritebackError, match="Borta"):
        write_back(path, stamp_of(path), [result(sheet="Borta")], tmp_path / "b")
    assert path.read_bytes() == original


# --------------------------------------------------------------------------- parts kept


def _with_extra_parts(source: Path, target: Path, extra: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename))
        for name, data in extra.items():
            zout.writestr(name, data)
    return target


def _replace_part(source: Path, target: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, data if info.filename == name else zin.read(info.filename))
    return target


TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
# what the write-back of result(record=...) into a package without custom properties changes
RECORD_PARTS = {"docProps/custom.xml", "[Content_Types].xml", "_rels/.rels"}


@pytest.mark.parametrize(
    "extra",
    [
        {"xl/drawings/drawing1.xml": b"<xdr:wsDr/>", "xl/media/image1.png": TINY_PNG},
        {"xl/charts/chart1.xml": b"<c:chartSpace/>"},
        {"xl/pivotTables/pivotTable1.xml": b"<pivotTableDefinition/>"},
        {"xl/ctrlProps/ctrlProp1.xml": b"<formControlPr/>"},
        {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"},
        {"customXml/item1.xml": b"<root/>", "unknown/part.bin": bytes(range(256))},
    ],
    ids=["drawing", "chart", "pivot", "form-control", "macros", "custom-xml-and-unknown"],
)
def test_parts_openpyxl_would_drop_are_kept(tmp_path: Path, extra: dict[str, bytes]) -> None:
    plain = build_offer_book(tmp_path / "plain.xlsx")
    path = _with_extra_parts(plain, tmp_path / "rich.xlsx", extra)
    original = tmp_path / "original.xlsx"
    shutil.copyfile(path, original)

    write_back(path, stamp_of(path), [result(record=record())], tmp_path / "b")

    assert changed_parts(original, path) == {"xl/worksheets/sheet1.xml", *RECORD_PARTS}
    assert {n: parts(path)[n] for n in extra} == extra
    assert load_workbook(path)["Offert"]["B3"].value == "486"


def test_sheet_extensions_and_form_controls_are_kept(tmp_path: Path) -> None:
    plain = build_offer_book(tmp_path / "plain.xlsx")
    with zipfile.ZipFile(plain) as zf:
        vml_name = next(n for n in zf.namelist() if n.endswith(".vml"))
        vml = zf.read(vml_name)
        sheet = zf.read("xl/worksheets/sheet1.xml")
    button = vml.replace(b'ObjectType="Note"', b'ObjectType="Button"')
    assert button != vml
    validation_ext = b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"/></extLst>'
    extended = sheet.replace(b"</worksheet>", validation_ext + b"</worksheet>")
    path = _replace_part(plain, tmp_path / "button.xlsx", vml_name, button)
    path = _replace_part(path, tmp_path / "ext.xlsx", "xl/worksheets/sheet1.xml", extended)

    write_back(path, stamp_of(path), [result()], tmp_path / "b")

    assert parts(path)[vml_name] == button
    assert parts(path)["xl/worksheets/sheet1.xml"].endswith(validation_ext + b"</worksheet>")


def test_corpus_pictures_and_pivots_are_written_into() -> None:
    names = ["picture.xlsx", "pivots.xlsx", "pictures_in_cell_and_over_cell.xlsx"]
    found = [CORPUS / n for n in names if (CORPUS / n).exists()]
    if not found:
        pytest.skip("corpus not available")
    with tempfile.TemporaryDirectory() as folder:
        for source in found:
            path = Path(folder) / source.name
            shutil.copyfile(source, path)
            data = read_workbook(path)
            sheet = data.sheets[0].name
            res = result(sheet=sheet, cell=CellRef(sheet, 40, 8), record=record(sheet))
            write_back(path, data.stamp, [res], Path(folder) / "b")
            changed = changed_parts(source, path)
            assert len(changed - RECORD_PARTS - {"docProps/custom.xml"}) == 1, source.name
            assert read_records(path) == [record(sheet)]


# --------------------------------------------------------------------------- results file


def test_results_file_beside_the_input(tmp_path: Path) -> None:
    source = tmp_path / "offer.ods"
    source.write_bytes(b"not touched")
    results = [
        result(record=record()),
        result(sheet="Offert 2", offer_nr=None, status="Fel: Kund kunde inte mappas"),
        result(sheet="Offert 3", offer_nr=EVIL),
    ]

    out = write_results_file(source, results)

    assert out == tmp_path / "offer.results.xlsx"
    assert source.read_bytes() == b"not touched"
    ws = load_workbook(out).worksheets[0]
    rows = [tuple(c.value for c in row) for row in ws.iter_rows()]
    assert rows == [
        ("Blad", "Offertnr", "Status"),
        ("Offert", "486", STATUS),
        ("Offert 2", None, "Fel: Kund kunde inte mappas"),
        ("Offert 3", EVIL, STATUS),
    ]
    assert ws["B4"].data_type == "s"
    assert read_records(out) == [record()]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_results_file_that_cannot_be_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(target: Path, data: bytes, **_: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(target))

    monkeypatch.setattr(writeback, "write_atomically", refuse)
    with pytest.raises(WritebackError, match=r"offer\.results\.xlsx.*Close it"):
        write_results_file(tmp_path / "offer.xls", [result()])


# --------------------------------------------------------------------------- LibreOffice


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["offer.xlsx", "makro.xlsm"])
def test_libreoffice_opens_the_written_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".xlsm"):
        macro_book(path)
        data = read_workbook(path)
        sheet = data.sheets[0].name
        res = result(sheet=sheet, cell=CellRef(sheet, 20, 5), offer_nr="48613")
    else:
        build_offer_book(path)
        data = read_workbook(path)
        res = result(offer_nr="48613", record=record())
    write_back(path, data.stamp, [res], tmp_path / "b")

    [csv] = libreoffice_convert([path], tmp_path / "csv", "csv")
    assert "48613" in csv.read_text(encoding="utf-8", errors="replace")


def test_sha_in_stamp_is_what_write_back_compares(tmp_path: Path) -> None:
    """A stamp from elsewhere (same bytes, other mtime) still counts as unchanged."""
    path = build_offer_book(tmp_path / "offer.xlsx")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    write_back(path, FileStamp(0, 0, digest), [result()], tmp_path / "b")
    assert load_workbook(path)["Offert"]["B3"].value == "486"
