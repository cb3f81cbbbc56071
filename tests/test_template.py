"""The offer template: the committed file is what build_template() makes, and it maps."""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from converter.desktop.template import (
    COLUMN,
    FIRST_ROW,
    GRID_HEADER_ROW,
    HEADER_ROWS,
    INSTRUCTIONS_SHEET,
    INSTRUCTIONS_WIDTH,
    LABEL_COLUMN,
    LAST_ROW,
    OFFER_NR_CELL,
    OFFER_SHEET,
    STATUS_CELL,
    TOTALS_ROW,
    UNITS,
    VALUE_COLUMN,
    build_template,
    write_template,
)
from converter.i18n import EN, SV
from converter.map.offer_sheet import map_workbook
from converter.model.profile import load_profile
from converter.read.xlsx import read_workbook

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "templates" / "offer_template.xlsx"


def _width(ws: Worksheet, index: int) -> float | None:
    """A column's width, wherever openpyxl keeps it (a <col> may span several columns)."""
    for letter, dim in ws.column_dimensions.items():
        first = dim.min or column_index_from_string(letter)  # unset until the sheet is saved
        last = dim.max or first
        if first <= index <= last:
            return dim.width if dim.customWidth else None
    return None


def _content(wb: Workbook) -> dict[str, Any]:
    """Everything about a workbook that a user sees or the converter reads."""
    sheets: dict[str, Any] = {}
    for ws in wb.worksheets:
        cells = {
            c.coordinate: (c.value, c.number_format)
            for row in ws.iter_rows()
            for c in row
            if c.value is not None or c.number_format != "General"
        }
        sheets[ws.title] = {
            "state": ws.sheet_state,
            "cells": cells,
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
            "validations": sorted(
                (str(dv.sqref), dv.formula1, dv.type, bool(dv.showErrorMessage))
                for dv in ws.data_validations.dataValidation
            ),
            "print_area": ws.print_area,
            "print_titles": ws.print_title_rows,
            "freeze": ws.freeze_panes,
            "widths": [_width(ws, i) for i in range(1, ws.max_column + 2)],
            "orientation": ws.page_setup.orientation,
        }
    return {"order": wb.sheetnames, "sheets": sheets}


def test_committed_template_matches_build_template() -> None:
    assert COMMITTED.is_file(), "run write_template(templates/offer_template.xlsx)"
    assert _content(load_workbook(COMMITTED)) == _content(build_template())


def test_write_template_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "mall.xlsx"
    path.write_bytes(b"old content")  # replaced, not refused: the CLI decides
    write_template(path)
    assert _content(load_workbook(path)) == _content(build_template())
    assert [p.name for p in tmp_path.iterdir()] == ["mall.xlsx"]  # no temp file left
    umask = os.umask(0o022)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0600


def test_write_template_into_missing_folder_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_template(tmp_path / "nope" / "mall.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_layout() -> None:
    wb = build_template()
    assert wb.sheetnames == ["Offert", "Instruktioner"]
    ws = wb[OFFER_SHEET]
    assert [ws[f"{get_column_letter(i)}{GRID_HEADER_ROW}"].value for i in range(1, 10)] == [
        "Rad", "Artikel", "Beskrivning", "Antal", "Enhet", "Pris", "Rabatt", "Moms", "Summa",
    ]  # fmt: skip
    for label, row in HEADER_ROWS.items():
        assert ws[f"{LABEL_COLUMN}{row}"].value == label
    assert ws[f"{VALUE_COLUMN}{HEADER_ROWS['Valuta']}"].value == "SEK"
    assert ws[f"{VALUE_COLUMN}{HEADER_ROWS['Kundnr']}"].number_format == "@"
    for label in ("Offertdatum", "Leveransdatum", "Giltig till"):
        assert ws[f"{VALUE_COLUMN}{HEADER_ROWS[label]}"].is_date
    assert ws[OFFER_NR_CELL].value is None and ws[STATUS_CELL].value is None
    assert LAST_ROW - FIRST_ROW + 1 == 50
    for row in (FIRST_ROW, LAST_ROW):
        assert ws[f"{COLUMN['Rabatt']}{row}"].number_format == "0%"
        assert ws[f"{COLUMN['Moms']}{row}"].number_format == "0%"
        assert ws[f"{COLUMN['Pris']}{row}"].number_format == "#,##0.00"
        assert ws[f"{COLUMN['Summa']}{row}"].number_format == "#,##0.00"
        assert ws[f"{COLUMN['Summa']}{row}"].value == (
            f'=IF(OR(D{row}="",F{row}=""),"",D{row}*F{row}*(1-G{row}))'
        )
        for name in ("Rad", "Artikel", "Beskrivning", "Antal", "Enhet", "Pris", "Rabatt"):
            assert ws[f"{COLUMN[name]}{row}"].value is None
    label = ws[f"{COLUMN['Moms']}{TOTALS_ROW}"]
    assert str(label.value).startswith("Summa")
    assert ws[f"{COLUMN['Summa']}{TOTALS_ROW}"].value == f"=SUM(I{FIRST_ROW}:I{LAST_ROW})"
    (dv,) = ws.data_validations.dataValidation
    assert str(dv.sqref) == f"E{FIRST_ROW}:E{LAST_ROW}"
    assert dv.formula1 == '"' + ",".join(UNITS) + '"'
    assert not dv.showErrorMessage  # other units are allowed
    assert ws.freeze_panes == f"A{FIRST_ROW}"
    assert ws.print_area == f"'Offert'!$A$1:$I${TOTALS_ROW + 2}"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1


def test_empty_template_is_not_an_offer() -> None:
    report = map_workbook(read_workbook(COMMITTED), load_profile())
    problems = {(p.sheet, p.code, p.severity) for p in report.all_problems()}
    assert ("Offert", "no_rows", "error") in problems
    assert ("Instruktioner", "sheet_no_grid", "info") in problems
    assert [o.sheet for o in report.offers] == ["Offert"]
    assert report.offers[0].request is None
    assert report.offers[0].offer_nr_cell is not None
    assert report.offers[0].offer_nr_cell.coordinate == OFFER_NR_CELL


def test_filled_template_maps_to_the_expected_body(tmp_path: Path) -> None:
    path = tmp_path / "offert.xlsx"
    shutil.copyfile(COMMITTED, path)
    wb = load_workbook(path)
    ws = wb[OFFER_SHEET]

    def put(label: str, value: object) -> None:
        ws[f"{VALUE_COLUMN}{HEADER_ROWS[label]}"] = value

    put("Kundnr", "0042")
    put("Offertdatum", datetime(2026, 1, 30))
    put("Vår referens", "André Johansson")
    put("Giltig till", datetime(2026, 2, 28))
    r = FIRST_ROW
    for name, value in {
        "Artikel": "A11", "Beskrivning": "Arbetskostnad", "Antal": 5, "Enhet": "tim",
        "Pris": 580, "Rabatt": 0.1, "Moms": 0.25,
    }.items():  # fmt: skip
        ws[f"{COLUMN[name]}{r}"] = value
    ws[f"{COLUMN['Beskrivning']}{r + 1}"] = "Montage enligt ritning.\nInkoppling ingår."
    for name, value in {"Artikel": 1001, "Antal": 2.5, "Pris": 7400, "Rabatt": 0}.items():
        ws[f"{COLUMN[name]}{r + 2}"] = value
    wb.save(path)

    report = map_workbook(read_workbook(path), load_profile())
    errors = [(p.where, p.code) for p in report.all_problems() if p.severity == "error"]
    assert errors == []
    assert [o.request.body() for o in report.offers if o.request is not None] == [
        {
            "CustomerNr": "0042",
            "InvoiceDate": "2026-01-30",
            "DueDate": "2026-02-28",
            "ReferenceOur": "André Johansson",
            "Currency": "SEK",
            "OriginType": 5,
            "RegistrationType": 1,
            "BillingType": 1,
            "AutoCreateCustomer": False,
            "InvoiceRows": [
                {
                    "CustomerRowType": 2,
                    "RowNr": 1,
                    "ProductNr": "A11",
                    "Text": "Arbetskostnad",
                    "Quantity": 5,
                    "Amount": 580,
                    "Unit": "tim",
                    "Discount": 10,
                    "VatRate": 25,
                },
                {
                    "CustomerRowType": 3,
                    "RowNr": 2,
                    "Text": "Montage enligt ritning.\nInkoppling ingår.",
                },
                {
                    "CustomerRowType": 2,
                    "RowNr": 3,
                    "ProductNr": "1001",
                    "Quantity": 2.5,
                    "Amount": 7400,
                    "Discount": 0,
                },
            ],
        }
    ]


def test_instructions_have_no_grid_like_row() -> None:
    profile = load_profile()
    ws = build_template()["Instruktioner"]
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    for needed in ("Kundnr", "Offertnr", "Rabatt", "textrad", "offer-converter upload", "English"):
        assert needed.lower() in text.lower()
    for row in ws.iter_rows():
        labels = [c.value for c in row if isinstance(c.value, str)]
        named = [v for v in labels if "".join(v.split()).casefold() in profile.column_lookup]
        assert len(named) < 2, f"row {row[0].row} looks like a grid header: {named}"


# --- what the salesperson sees: the instructions and the text cells, as printed ---------------

A4_PORTRAIT = (595.3, 841.9)  # points
MARGIN = 0.4 * 72  # nothing printed closer than this to the paper's edge


def _instructions() -> list[tuple[int, str]]:
    ws = build_template()[INSTRUCTIONS_SHEET]
    return [(c.row, c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_the_instructions_name_the_icon_as_it_is_called() -> None:
    text = " ".join(value for _row, value in _instructions())
    assert "Dra den sedan till ikonen Ladda upp offerter på skrivbordet." in text
    assert "använd ikonen Ladda upp offerter (övning)" in text
    assert "on the Upload offers icon on the Desktop (Ladda upp offerter on a Swedish" in text
    assert "Offer Converter" not in text
    # the names install-shortcut gives the icon, from the same catalogue
    assert (EN["shortcut_name"], SV["shortcut_name"]) == ("Upload offers", "Ladda upp offerter")


def test_every_instruction_wraps_in_an_a4_wide_column_with_room_for_its_lines(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mall.xlsx"
    write_template(path)
    ws = load_workbook(path)[INSTRUCTIONS_SHEET]
    assert ws.column_dimensions["A"].width == INSTRUCTIONS_WIDTH
    assert (ws.page_setup.paperSize, ws.page_setup.orientation) == (9, "portrait")  # A4
    assert ws.print_area == f"'{INSTRUCTIONS_SHEET}'!$A$1:$A${ws.max_row}"
    for row, text in _instructions():
        cell = ws.cell(row=row, column=1)
        assert cell.alignment.wrap_text and cell.alignment.vertical == "top", row
        assert cell.font.name in ("Calibri", "Consolas"), row  # never a serif fallback
        height = ws.row_dimensions[row].height
        lines = len(text) / 95  # Calibri 11 fits about 95 characters in the column
        assert height is not None and height >= 15 * lines, (row, height, text)


def _boxes_overlap(a: Any, b: Any) -> bool:
    """Two printed words over each other. A word's box is its font's full height, so the
    boxes of two lines that follow each other touch: only a third of it counts."""
    across = min(a.x_max, b.x_max) - max(a.x_min, b.x_min)
    down = min(a.y_max, b.y_max) - max(a.y_min, b.y_min)
    shorter = min(a.y_max - a.y_min, b.y_max - b.y_min)
    return across > 0.5 and down > shorter / 3


@pytest.mark.libreoffice
@pytest.mark.slow
def test_the_printed_instructions_are_whole_on_a4_and_no_line_overlaps(tmp_path: Path) -> None:
    from conftest import render_with_libreoffice

    path = tmp_path / "Offertmall.xlsx"
    write_template(path)
    rendered = render_with_libreoffice(path, tmp_path / "render")
    pages = [n for n, (w, h) in enumerate(rendered.page_sizes, start=1) if w < h]
    assert pages, "the instructions print in portrait"
    for page in pages:
        assert rendered.page_sizes[page - 1] == pytest.approx(A4_PORTRAIT, abs=1)
    words = [w for w in rendered.words if w.page in pages]
    width, height = A4_PORTRAIT
    outside = [w.text for w in words if w.x_min < MARGIN or w.x_max > width - MARGIN]
    assert not outside, f"cut off at the edge of the paper: {outside}"
    for page in pages:
        on_page = [w for w in words if w.page == page]
        overlapping = [
            (a.text, b.text)
            for i, a in enumerate(on_page)
            for b in on_page[i + 1 :]
            if _boxes_overlap(a, b)
        ]
        assert not overlapping, f"lines printed over each other: {overlapping[:5]}"
    printed = " ".join(w.text for w in words)
    for _row, text in _instructions():
        assert " ".join(text.split()) in printed, f"not printed whole: {text}"


@pytest.mark.libreoffice
@pytest.mark.slow
def test_a_text_row_typed_with_line_breaks_shows_every_line_inside_beskrivning(
    tmp_path: Path,
) -> None:
    """Typed into the template in LibreOffice (Excel behaves alike), a Beskrivning with
    line breaks and a long line grows its row and prints whole, inside its column."""
    from conftest import type_in_libreoffice

    ws = load_workbook(COMMITTED)[OFFER_SHEET]
    for row in range(FIRST_ROW, LAST_ROW + 1):  # every text cell wraps, at the top
        alignment = ws[f"{COLUMN['Beskrivning']}{row}"].alignment
        assert alignment.wrap_text and alignment.vertical == "top"
        assert ws.row_dimensions[row].height is None  # grows with its text
    note = ws[f"{VALUE_COLUMN}{HEADER_ROWS['Meddelande']}"]  # the note is text too
    assert note.alignment.wrap_text and note.alignment.vertical == "top"
    assert ws.row_dimensions[HEADER_ROWS["Meddelande"]].height is None

    lines = [
        "Montage enligt ritning, med fästen, kabelkanaler och allt material som behövs.",
        "Inkoppling ingår.",
        "Tredje raden.",
    ]
    cell = f"{COLUMN['Beskrivning']}{FIRST_ROW}"
    rendered, heights = type_in_libreoffice(
        COMMITTED, OFFER_SHEET, {cell: "\n".join(lines)}, tmp_path / "render"
    )
    before, after = heights[cell]
    assert after >= 3.5 * before  # four lines: the long one wraps once
    words = [w for w in rendered.words if w.page == 1]
    antal = next(w for w in words if w.text == "Antal")  # the next column's header
    beskrivning = next(w for w in words if w.text == "Beskrivning")
    below = [w for w in words if w.y_min > beskrivning.y_max]
    inside = " ".join(
        w.text for w in below if beskrivning.x_min <= w.x_min and w.x_max < antal.x_min
    )
    for line in lines:
        assert line in inside, f"{line!r} is not printed inside Beskrivning: {inside!r}"
    typed = set(" ".join(lines).split())
    assert not [w.text for w in below if w.x_max >= antal.x_min and w.text in typed]
