"""A corpus of offer workbooks, each carrying one feature company templates carry.

Every workbook holds the same offer on its sheet *Offert* (Kundnr 013 in B3,
Offertdatum in B4, the Offertnr label in A5 with its value cell B5, the grid
from row 7, Summa as formulas with their saved values), plus one feature: a
logo, a header logo, a chart, a text box, comments, conditional formatting,
data bars, drop-downs, names and a print area, a table, hyperlinks, frozen
panes, protection, print settings, number formats, merged cells, hidden rows,
columns and sheets, a price list feeding the offer by VLOOKUP, macros, custom
XML with a sensitivity label; and one workbook with all of them.

They are written by xlsxwriter, which writes what openpyxl can't (pictures in
headers, data bars, text boxes, macros, formulas with saved values), and a few
parts are added to the package afterwards where no library writes them (the
x14 drop-down, workbook protection, a custom XML part).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter

ROWS = [  # Artikel, Beskrivning, Antal, Enhet, Pris
    ("A11", "Skruv M8", 10, "St", 12.5),
    ("A12", "Mutter M8", 20, "St", 4.25),
    ("A14", "Montering", 3, "Tim", 650.0),
]
OFFER_SHEET = "Offert"
NUMBER_CELL = "B5"
STATUS_CELL = "C5"


@dataclass(frozen=True)
class Feature:
    """One workbook of the corpus: its name, how it is built, and the cells the upload writes."""

    name: str
    build: Callable[[Any, Any, dict[str, Any]], None]  # (workbook, offer sheet, formats)
    written: tuple[str, str] = (NUMBER_CELL, STATUS_CELL)
    suffix: str = ".xlsx"
    after: Callable[[Path], None] | None = None  # parts added to the package once saved
    price_list: bool = False  # Beskrivning, Enhet and Pris come from a price list sheet


def png(width: int = 120, height: int = 40, rgb: tuple[int, int, int] = (31, 78, 120)) -> bytes:
    """A small solid PNG, made without Pillow."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def offer_sheet(wb: Any, price_list: bool = False) -> tuple[Any, dict[str, Any]]:
    """The offer every workbook of the corpus holds; returns its sheet and the formats."""
    formats = {
        "label": wb.add_format({"bold": True, "font_color": "#1F4E78"}),
        "input": wb.add_format({"bg_color": "#FFF9DB", "num_format": "@"}),
        "date": wb.add_format({"bg_color": "#FFF9DB", "num_format": "yyyy-mm-dd"}),
        "head": wb.add_format({"bold": True, "bottom": 1, "bg_color": "#DDEBF7"}),
        "money": wb.add_format({"num_format": '#,##0.00 "kr"'}),
        "title": wb.add_format({"bold": True, "font_size": 16}),
        "number": wb.add_format({"num_format": "@", "bg_color": "#EEEEEE"}),
    }
    ws = wb.add_worksheet(OFFER_SHEET)
    ws.set_column("A:A", 14)
    ws.set_column("B:B", 12)
    ws.set_column("C:C", 28)
    ws.set_column("F:G", 12)
    ws.write("A1", "Offert", formats["title"])
    ws.write("A3", "Kundnr", formats["label"])
    ws.write_string("B3", "013", formats["input"])
    ws.write("A4", "Offertdatum", formats["label"])
    ws.write_datetime("B4", datetime(2026, 1, 30), formats["date"])
    ws.write("A5", "Offertnr", formats["label"])
    ws.write_blank("B5", None, formats["number"])
    for column, label in enumerate(
        ["Rad", "Artikel", "Beskrivning", "Antal", "Enhet", "Pris", "Summa"]
    ):
        ws.write(6, column, label, formats["head"])
    for i, (article, text, quantity, unit, price) in enumerate(ROWS):
        row = 7 + i
        excel_row = row + 1
        ws.write_number(row, 0, i + 1)
        ws.write_string(row, 1, article)
        if price_list:
            lookup = f"Prislista!$A$2:$D${len(ROWS) + 1}"
            ws.write_formula(row, 2, f"=VLOOKUP(B{excel_row},{lookup},2,FALSE)", None, text)
            ws.write_formula(row, 4, f"=VLOOKUP(B{excel_row},{lookup},3,FALSE)", None, unit)
            ws.write_formula(
                row, 5, f"=VLOOKUP(B{excel_row},{lookup},4,FALSE)", formats["money"], price
            )
        else:
            ws.write_string(row, 2, text)
            ws.write_string(row, 4, unit)
            ws.write_number(row, 5, price, formats["money"])
        ws.write_number(row, 3, quantity)
        ws.write_formula(row, 6, f"=D{excel_row}*F{excel_row}", formats["money"], quantity * price)
    total = sum(q * p for _a, _t, q, _u, p in ROWS)
    last = 7 + len(ROWS)
    ws.write(last + 1, 5, "Summa", formats["label"])
    ws.write_formula(last + 1, 6, f"=SUM(G8:G{last})", formats["money"], total)
    return ws, formats


# --------------------------------------------------------------------------- features


def _logo(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    ws.insert_image("E1", "logo.png", {"image_data": io.BytesIO(png()), "x_scale": 1.0})


def _header_logo(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    ws.set_header(
        '&L&G&C&"Arial,Bold"Offert',
        {"image_left": "logo.png", "image_data_left": io.BytesIO(png())},
    )
    ws.set_footer("&CSida &P av &N")


def _chart(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    chart = wb.add_chart({"type": "column"})
    chart.add_series(
        {"categories": "=Offert!$B$8:$B$10", "values": "=Offert!$G$8:$G$10", "name": "Summa"}
    )
    ws.insert_chart("I2", chart, {"x_scale": 0.6, "y_scale": 0.6})


def _text_box(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    ws.insert_textbox(
        "I2", "Priserna gäller i 30 dagar.\nMoms tillkommer.", {"width": 220, "height": 60}
    )


def _comments(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    ws.write_comment("B3", "Kundens nummer i SoftOne GO", {"author": "Eva"})
    ws.write_comment(
        "F8",
        "Alltid synlig: priset är förhandlat",
        {"visible": True, "author": "Eva", "x_scale": 1.5},
    )


def _conditional(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    red = wb.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})
    ws.conditional_format("G8:G10", {"type": "cell", "criteria": ">", "value": 1000, "format": red})


def _data_bars(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    ws.conditional_format(
        "G8:G10", {"type": "data_bar", "bar_color": "#63BE7B", "data_bar_2010": True}
    )


def _drop_downs(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    lists = wb.add_worksheet("Listor")
    for i, unit in enumerate(["St", "Tim", "M"]):
        lists.write(i, 0, unit)
        ws.write(i, 10, unit)
    ws.data_validation("E8:E20", {"validate": "list", "source": "=$K$1:$K$3"})
    ws.data_validation("B8:B20", {"validate": "list", "source": "=Listor!$A$1:$A$3"})


def _x14_drop_down(path: Path) -> None:
    ext = (
        b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        b'<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        b'<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1">'
        b"<x14:formula1><xm:f>Listor!$A$1:$A$3</xm:f></x14:formula1><xm:sqref>E8:E20</xm:sqref>"
        b"</x14:dataValidation></x14:dataValidations></ext></extLst>"
    )
    _edit(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"</worksheet>", ext + b"</worksheet>"),
    )


def _x14_lists(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    lists = wb.add_worksheet("Listor")
    for i, unit in enumerate(["St", "Tim", "M"]):
        lists.write(i, 0, unit)


def _names(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    wb.define_name("Kund", "=Offert!$B$3")
    wb.define_name("Offert!Rader", "=Offert!$A$8:$G$10")
    ws.print_area("A1:G12")
    ws.repeat_rows(6)


def _table(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    data = wb.add_worksheet("Tabell")
    data.add_table(
        "A1:C4",
        {
            "data": [["A11", 12.5, 1], ["A12", 4.25, 2], ["A14", 650, 3]],
            "columns": [{"header": "Art"}, {"header": "Pris"}, {"header": "Nr"}],
        },
    )


def _hyperlinks(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    ws.write_url("E3", "https://example.com/villkor", string="Villkor")
    ws.write_url("E4", "internal:Offert!A7", string="Till raderna")


def _frozen(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    ws.freeze_panes(7, 1)


def _protection(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    ws.protect("", {"format_cells": True})


def _workbook_protection(path: Path) -> None:
    _edit(
        path,
        "xl/workbook.xml",
        lambda xml: re.sub(
            rb"(<workbookPr\b[^>]*/>)", rb'\1<workbookProtection lockStructure="1"/>', xml, count=1
        ),
    )


def _print_settings(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.8, bottom=0.8)
    ws.set_header('&C&"Arial,Bold"Offert &D')
    ws.set_footer("&RSida &P")


def _number_formats(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    ws.write_number("E4", 0.25, wb.add_format({"num_format": "0 %;[Red]-0 %"}))
    ws.write_number(
        "E3", 1234.5, wb.add_format({"num_format": '# ##0,00 "SEK";[Red]-# ##0,00 "SEK"'})
    )


def _merged(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    ws.merge_range("B5:C5", "", f["number"])
    ws.merge_range("A1:D1", "Offert", f["title"])


def _hidden(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    ws.set_row(11, None, None, {"hidden": True})
    ws.set_column("H:H", None, None, {"hidden": True})
    ws.write("H3", "dold kolumn")
    hidden = wb.add_worksheet("Gömd")
    hidden.write("A1", "intern")
    hidden.hide()
    very = wb.add_worksheet("Mycket gömd")
    very.write("A1", "intern")
    very.very_hidden()


def _price_list(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    prices = wb.add_worksheet("Prislista")
    for column, label in enumerate(["Art.nr", "Benämning", "Enhet", "Pris"]):
        prices.write(0, column, label, f["head"])
    for i, (article, text, _q, unit, price) in enumerate(ROWS, start=1):
        prices.write_row(i, 0, [article, text, unit, price])


def _macros(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    wb.add_vba_project(io.BytesIO(vba_project()), is_stream=True)


def vba_project() -> bytes:
    """A real vbaProject.bin (calamine's vba.xlsm's, kept in tests/data: see its README)."""
    return (Path(__file__).parent / "data" / "vbaProject.bin").read_bytes()


def _label_properties(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    guid = "a1b2c3d4-0000-4e5f-8a9b-0123456789ab"
    for key, value in {
        "Enabled": "true",
        "SetDate": "2026-11-20T10:00:00Z",
        "Method": "Standard",
        "Name": "Intern",
        "SiteId": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "ActionId": "11111111-2222-3333-4444-555555555555",
        "ContentBits": "0",
    }.items():
        wb.set_custom_property(f"MSIP_Label_{guid}_{key}", value)


def _custom_xml(path: Path) -> None:
    item = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
        b'<p:properties xmlns:p="http://schemas.microsoft.com/office/2006/metadata/properties">'
        b"<documentManagement><TaxCatchAll/></documentManagement></p:properties>"
    )
    props = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
        b'<ds:datastoreItem ds:itemID="{6D0F3C1E-1111-4222-8333-944455556666}" '
        b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
        b'<ds:schemaRefs><ds:schemaRef ds:uri="http://schemas.microsoft.com/office/2006/metadata/properties"/>'
        b"</ds:schemaRefs></ds:datastoreItem>"
    )
    item_rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/customXmlProps" Target="itemProps1.xml"/>'
        b"</Relationships>"
    )
    _add(
        path,
        {
            "customXml/item1.xml": item,
            "customXml/itemProps1.xml": props,
            "customXml/_rels/item1.xml.rels": item_rels,
        },
    )
    _edit(
        path,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            b"</Types>",
            b'<Override PartName="/customXml/itemProps1.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.customXmlProperties+xml"/></Types>',
        ),
    )
    _edit(
        path,
        "xl/_rels/workbook.xml.rels",
        lambda xml: xml.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdCustomXml1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/customXml" Target="../customXml/item1.xml"/>'
            b"</Relationships>",
        ),
    )


def _all(wb: Any, ws: Any, f: dict[str, Any]) -> None:
    for build in (
        _logo,
        _header_logo,
        _chart,
        _comments,
        _conditional,
        _data_bars,
        _names,
        _table,
        _hyperlinks,
        _frozen,
        _protection,
        _print_settings,
        _number_formats,
        _merged,
        _hidden,
        _price_list,
        _macros,
        _label_properties,
    ):
        build(wb, ws, f)
    ws.insert_textbox("I20", "Priserna gäller i 30 dagar.", {"width": 200, "height": 40})
    _drop_downs(wb, ws, f)


def _all_after(path: Path) -> None:
    _workbook_protection(path)
    _custom_xml(path)


FEATURES = [
    Feature("logo", _logo),
    Feature("header_logo", _header_logo),
    Feature("chart", _chart),
    Feature("text_box", _text_box),
    Feature("comments", _comments),
    Feature("conditional_formatting", _conditional),
    Feature("data_bars", _data_bars),
    Feature("drop_downs", _drop_downs),
    Feature("drop_down_x14", _x14_lists, after=_x14_drop_down),
    Feature("names_print_area", _names),
    Feature("table", _table),
    Feature("hyperlinks", _hyperlinks),
    Feature("frozen_panes", _frozen),
    Feature("protection", _protection, after=_workbook_protection),
    Feature("print_settings", _print_settings),
    Feature("number_formats", _number_formats),
    Feature("merged_cells", _merged, written=(NUMBER_CELL, "D5")),
    Feature("hidden", _hidden),
    Feature("price_list_vlookup", _price_list, price_list=True),
    Feature("macros", _macros, suffix=".xlsm"),
    Feature("custom_xml_label", _label_properties, after=_custom_xml),
    Feature(
        "all", _all, written=(NUMBER_CELL, "D5"), suffix=".xlsm", after=_all_after, price_list=True
    ),
]


def build(feature: Feature, folder: Path) -> Path:
    """Write ``feature``'s workbook into ``folder``; return its path."""
    path = folder / f"{feature.name}{feature.suffix}"
    options = {"default_date_format": "yyyy-mm-dd"}
    wb = xlsxwriter.Workbook(str(path), options)
    ws, formats = offer_sheet(wb, price_list=feature.price_list)
    feature.build(wb, ws, formats)
    wb.close()
    if feature.after is not None:
        feature.after(path)
    return path


# --------------------------------------------------------------------------- package edits


def _edit(path: Path, name: str, change: Callable[[bytes], bytes]) -> None:
    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info)) for info in archive.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            if info.filename == name:
                new = change(data)
                assert new != data, f"{name} did not change"
                data = new
            out.writestr(info, data)
    path.write_bytes(buffer.getvalue())


def _add(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
