"""The sheet parser gives exactly what openpyxl gives, only faster, and refuses DTDs.

``converter.read.sheet_xml`` replaced openpyxl's ``WorkSheetParser`` for speed. These
tests hold it to openpyxl's values (with ``data_only=True``) on generated
sheets, on the bundled examples, on every real-world file in the shared corpus
and on sheet XML that hypothesis writes, attribute by attribute.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from xml.parsers.expat import ExpatError

import openpyxl
import pytest
from conftest import EXAMPLES, Formula, WorkbookFactory, corpus_files, needs_corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont, Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHARED_STRINGS as SHARED_STRINGS_TYPE
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from converter.errors import WorkbookError
from converter.model.cells import Cell
from converter.read.package import Package
from converter.read.parts import decode_escapes
from converter.read.sheet_xml import SheetStyles, UnsafeXmlError, parse_sheet
from converter.read.xlsx import _DAMAGED, SheetData, _fill_sheet, read_workbook, workbook_styles

FORMULA_TAG = f"{{{SHEET_MAIN_NS}}}f"
Snapshot = list[tuple[int, int, Any, str, str | None, bool]]


class ReferencePackage(ExcelReader):  # type: ignore[misc]
    """openpyxl's package reader, stopping short of building worksheet objects.

    It reads the manifest, shared strings, workbook, styles and relationships
    as openpyxl does, and only notes each worksheet's name, state and part.
    """

    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data), read_only=True, data_only=True)
        self.sheet_parts: list[tuple[str, str, str | None]] = []  # name, state, part

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if "chartsheet" in rel.Type:
                continue
            part = rel.target if rel.target in self.valid_files else None
            self.sheet_parts.append((sheet.name, sheet.state or "visible", part))

    def read_strings(self) -> None:
        """openpyxl's shared strings as written, escapes and all.

        openpyxl drops the ``x005F_`` of an escaped underscore and leaves the
        other ``_xHHHH_`` escapes; the reader decodes them all in every text
        (tested on their own in ``tests/test_fidelity.py``), so the reference
        decodes each text value once, in :func:`reference_cells`.
        """
        content_type = self.package.find(SHARED_STRINGS_TYPE)
        if content_type is None:
            return
        with self.archive.open(content_type.PartName[1:]) as src:
            self.shared_strings = [
                Text.from_tree(node).content
                for _, node in iterparse(src)
                if node.tag == f"{{{SHEET_MAIN_NS}}}si"
            ]


def _reference_number_format(wb: Any, style_id: int) -> str:
    """A style's number format, from openpyxl's style internals (pinned to 3.1)."""
    try:
        fmt_id = wb._cell_styles[style_id].numFmtId
    except IndexError:
        return "General"
    if fmt_id < BUILTIN_FORMATS_MAX_SIZE:
        return str(BUILTIN_FORMATS.get(fmt_id, "General"))
    try:
        return str(wb._number_formats[fmt_id - BUILTIN_FORMATS_MAX_SIZE])
    except IndexError:
        return "General"


class ReferenceParser(WorkSheetParser):  # type: ignore[misc]
    """openpyxl's own parser, noting formulas as the reader did before sheet_xml."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell: dict[str, Any] = super().parse_cell(element)
        formula = element.find(FORMULA_TAG)
        cell["formula"] = None if formula is None else "=" + (formula.text or "")
        return cell


def reference_cells(
    source: Any, shared_strings: list[str], number_format: Callable[[int], str], **dates: Any
) -> tuple[Snapshot, list[tuple[Any, ...]]]:
    """One sheet's non-empty cells and merged ranges, as openpyxl's own parser reads them."""
    parser = ReferenceParser(source, shared_strings, data_only=True, **dates)
    cells: Snapshot = [
        (
            raw["row"],
            raw["column"],
            (
                decode_escapes(raw["value"])
                if raw["data_type"] == "s" and isinstance(raw["value"], str)
                else raw["value"]
            ),
            number_format(raw["style_id"] or 0),
            raw["formula"],
            raw["data_type"] == "e",
        )
        for _row, raw_cells in parser.parse()
        for raw in raw_cells
        if raw["value"] is not None or raw["formula"] is not None
    ]
    merged = []
    if parser.merged_cells is not None:
        merged = [range_boundaries(str(m.ref)) for m in parser.merged_cells.mergeCell]
    return sorted(cells, key=lambda c: (c[0], c[1])), merged


def snapshot(rows: list[list[Cell]]) -> Snapshot:
    return [
        (c.ref.row, c.ref.column, c.value, c.number_format, c.formula, c.is_error)
        for row in rows
        for c in row
    ]


def reference_sheets(data: bytes) -> list[tuple[Snapshot, list[tuple[Any, ...]]]]:
    """Every sheet of a package as openpyxl's parser reads it."""
    package = ReferencePackage(data)
    package.read()
    wb: Any = package.wb
    sheets = []
    for _name, _state, part in package.sheet_parts:
        if part is None:
            continue  # a missing sheet part: the reader's own tests cover its error
        with package.archive.open(part) as src:
            sheets.append(
                reference_cells(
                    src,
                    package.shared_strings,
                    lambda style_id: _reference_number_format(wb, style_id),
                    epoch=wb.epoch,
                    date_formats=wb._date_formats,
                    timedelta_formats=wb._timedelta_formats,
                )
            )
    package.archive.close()
    return sheets


def our_sheets(data: bytes) -> list[tuple[Snapshot, list[tuple[Any, ...]]]]:
    """The same, as converter.read.sheet_xml reads them (through the reader's own wiring)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        package = Package(archive)
        styles = workbook_styles(package)
        sheets = []
        for entry in package.sheets:
            if entry.kind == "chartsheet" or entry.part is None:
                continue
            sheet = SheetData(entry.name, 0, entry.state)
            _fill_sheet(sheet, package, entry.part, styles)
            assert all(c.ref.sheet == entry.name for row in sheet.rows for c in row)
            sheets.append((snapshot(sheet.rows), [range_boundaries(m) for m in sheet.merged]))
    return sheets


def assert_same(
    reference: Callable[[bytes], object], ours: Callable[[bytes], object], data: bytes
) -> None:
    """Both parsers give the same, or both refuse the input."""
    try:
        expected = reference(data)
    except _DAMAGED:
        with pytest.raises(_DAMAGED):
            ours(data)
        return
    assert ours(data) == expected


def assert_same_as_openpyxl(data: bytes) -> None:
    assert_same(reference_sheets, our_sheets, data)


# --- generated workbooks -------------------------------------------------------------------


def test_every_kind_of_value_matches_openpyxl(make_workbook: WorkbookFactory) -> None:
    rich = CellRichText("Fet ", TextBlock(InlineFont(b=True), "text"), " här")
    path = make_workbook(
        {
            "Offert": {
                "A1": "Kundnr",
                "B1": "013",
                "A2": 5,
                "B2": 5.25,
                "C2": -1e-7,
                "D2": 10**15,
                "A3": datetime(2026, 1, 30, 14, 5),
                "B3": date(2026, 1, 30),
                "C3": time(8, 30),
                "D3": timedelta(hours=36),
                "A4": True,
                "B4": False,
                "C4": "#DIV/0!",
                "A5": Formula("=A2*2", 10),
                "B5": Formula("=A1&B1", "Kundnr013"),
                "C5": Formula("=1/0", None),
                "D5": rich,
                "A7": "åäö ÅÄÖ é 😀 \t tab",
                "B7": "   ",
                "C7": "",
            },
            "Tomt": {},
        },
        merged={"Offert": ["A9:C9", "B11:B12"]},
    )
    assert_same_as_openpyxl(path.read_bytes())
    cells = {
        (c.ref.row, c.ref.column): c for row in read_workbook(path).sheets[0].rows for c in row
    }
    assert cells[(3, 1)].value == datetime(2026, 1, 30, 14, 5)
    assert cells[(3, 4)].value == timedelta(hours=36)
    assert cells[(4, 3)].is_error and cells[(4, 3)].value == "#DIV/0!"
    assert cells[(5, 1)].formula == "=A2*2" and cells[(5, 1)].value == 10
    assert cells[(5, 4)].value == "Fet text här"


def test_examples_match_openpyxl() -> None:
    examples = sorted(EXAMPLES.glob("*.xlsx"))
    assert examples
    for path in examples:
        assert_same_as_openpyxl(path.read_bytes())


@needs_corpus
@pytest.mark.parametrize("path", corpus_files(".xlsx", ".xlsm"), ids=lambda p: p.name)
def test_real_world_files_match_openpyxl(path: Path) -> None:
    """Files saved by Excel, LibreOffice and others: the same cells as openpyxl reads.

    Except where openpyxl misreads a package the standard allows: there the
    reader's values are checked by ``tests/test_fidelity.py``.
    """
    if path.name in OPENPYXL_MISREADS:
        assert our_sheets(path.read_bytes()), OPENPYXL_MISREADS[path.name]
        return
    assert_same_as_openpyxl(path.read_bytes())


# Corpus files openpyxl reads wrongly, and why; tests/test_fidelity.py checks them.
OPENPYXL_MISREADS = {
    "issue_419.xlsx": "shared strings at xl/SharedStrings.xml: part names are case-insensitive",
    "minimal_package.xlsx": "styles at /styles.xml, named by the relationships: openpyxl "
    "loses every number format and reads dates as numbers",
    "strict_iso_paths.xlsx": "Strict Open XML: openpyxl finds no sheets",
}


# --- hand-written and generated sheet XML --------------------------------------------------

STRINGS = ["null", "ett", "två"]
DATE_STYLE, DURATION_STYLE = 1, 2
FORMATS = {0: "General", DATE_STYLE: "yyyy-mm-dd", DURATION_STYLE: "[h]:mm:ss"}
STYLES = SheetStyles(
    shared_strings=STRINGS,
    number_format=FORMATS.__getitem__,
    date_styles=frozenset({DATE_STYLE, DURATION_STYLE}),
    timedelta_styles=frozenset({DURATION_STYLE}),
)


def sheet_xml(body: str, before: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{before}'
        f'<worksheet xmlns="{SHEET_MAIN_NS}"><sheetData>{body}</sheetData></worksheet>'
    ).encode()


def ours(xml: bytes) -> Snapshot:
    return snapshot(parse_sheet(io.BytesIO(xml), "S", STYLES).rows)


def reference(xml: bytes) -> Snapshot:
    return reference_cells(
        io.BytesIO(xml),
        STRINGS,
        FORMATS.__getitem__,
        date_formats={DATE_STYLE, DURATION_STYLE},
        timedelta_formats={DURATION_STYLE},
    )[0]


def test_prefixed_namespace_and_missing_addresses() -> None:
    # some writers prefix the main namespace and leave out r= on rows and cells
    xml = (
        f'<x:worksheet xmlns:x="{SHEET_MAIN_NS}"><x:sheetData>'
        '<x:row><x:c><x:v>1</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c></x:row>'
        '<x:row><x:c t="inlineStr"><x:is><x:t>fri</x:t></x:is></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    ).encode()
    assert (
        ours(xml)
        == reference(xml)
        == [
            (1, 1, 1, "General", None, False),
            (1, 2, "två", "General", None, False),
            (2, 1, "fri", "General", None, False),
        ]
    )


def test_phonetic_reading_is_not_part_of_the_text() -> None:
    xml = sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><r><t>東</t></r><r><t>京</t></r>'
        '<rPh sb="0" eb="2"><t>トウキョウ</t></rPh></is></c></row>'
    )
    assert ours(xml) == reference(xml) == [(1, 1, "東京", "General", None, False)]


def test_a_cell_addressed_to_another_row_is_read_on_that_row() -> None:
    xml = sheet_xml(
        '<row r="5"><c r="A5"><v>1</v></c><c r="B7"><v>2</v></c></row>'
        '<row r="2"><c r="A2"><v>3</v></c></row>'
    )
    parsed = parse_sheet(io.BytesIO(xml), "S", STYLES)
    assert [[c.ref.coordinate for c in row] for row in parsed.rows] == [["A2"], ["A5"], ["B7"]]


@pytest.mark.parametrize(
    "body",
    [
        '<row r="1"><c r="A0"><v>1</v></c></row>',  # row 0
        '<row r="1"><c r="XFE1"><v>1</v></c></row>',  # past the last column
        '<row r="1"><c r="A1048577"><v>1</v></c></row>',  # past the last row
        '<row r="1"><c r="1A"><v>1</v></c></row>',
        '<row r="1.5"><c><v>1</v></c></row>',
        '<row r="1"><c r="A1" t="s"><v>7</v></c></row>',  # no such shared string
        '<row r="1"><c r="A1"><v>fem</v></c></row>',
        '<row r="1"><c r="A1" s="x"><v>1</v></c></row>',
        '<row r="1"><c r="A1" t="d"><v>igår</v></c></row>',
        '<row r="1"><c r="A1"><v>1</v></row>',  # not well-formed
    ],
)
def test_values_no_spreadsheet_writes_are_refused(body: str) -> None:
    with pytest.raises(_DAMAGED):
        ours(sheet_xml(body))


def test_a_merged_range_that_is_not_one_is_refused() -> None:
    xml = sheet_xml("").replace(
        b"</worksheet>", b'<mergeCells><mergeCell ref="A1:nonsense"/></mergeCells></worksheet>'
    )
    with pytest.raises(ValueError):
        ours(xml)


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
EXTERNAL = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize("doctype", [BILLION_LAUGHS, EXTERNAL, "<!DOCTYPE worksheet>"])
def test_a_document_type_declaration_is_refused(doctype: str) -> None:
    xml = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row>', doctype)
    with pytest.raises(UnsafeXmlError, match="DTD"):
        ours(xml)
    assert issubclass(UnsafeXmlError, _DAMAGED)


def test_a_dtd_in_a_sheet_part_is_a_workbook_error_naming_the_file(
    make_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    source = make_workbook({"S": {"A1": "x"}})
    with zipfile.ZipFile(source) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    entries[sheet] = entries[sheet].replace(b"<worksheet", EXTERNAL.encode() + b"<worksheet", 1)
    assert EXTERNAL.encode() in entries[sheet]
    path = tmp_path / "xxe.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    with pytest.raises(WorkbookError, match=r"^xxe\.xlsx: .*DTD"):
        read_workbook(path)


def test_not_well_formed_sheet_xml_is_an_expat_error() -> None:
    with pytest.raises(ExpatError):
        ours(b"<worksheet><sheetData><row></sheetData>")
    assert issubclass(ExpatError, _DAMAGED)


# hypothesis writes cells attribute by attribute, including ones no program writes
_types = st.sampled_from([None, "n", "s", "str", "b", "e", "d", "inlineStr", "x"])
_values = st.one_of(
    st.none(),
    st.sampled_from(
        ["", "0", "1", "2", "3", "-4", "1.5", "1e3", "2E-2", "45000", "45000.75", "0.25"]
        + ["3000000", "-1", "2026-01-30", "2026-01-30T08:30:00", "#N/A", "TRUE", "ja", " 7 "]
    ),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8),
)


@st.composite
def _cell(draw: st.DrawFn, row: int, column: int) -> str:
    attrs = ""
    if draw(st.booleans()):
        attrs += f' r="{openpyxl.utils.get_column_letter(column)}{row}"'
    kind = draw(_types)
    if kind is not None:
        attrs += f' t="{kind}"'
    style = draw(st.sampled_from([None, 0, DATE_STYLE, DURATION_STYLE]))
    if style is not None:
        attrs += f' s="{style}"'
    inner = ""
    if draw(st.booleans()):
        inner += f"<f>{_escape(draw(st.sampled_from(['', 'A1*2', 'SUM(A1:A3)'])))}</f>"
    value = draw(_values)
    if value is not None:
        inner += f"<v>{_escape(value)}</v>"
    if draw(st.booleans()):
        runs = draw(st.lists(st.text(max_size=4).map(_escape), max_size=2))
        inner += "<is>" + "".join(f"<r><t>{r}</t></r>" for r in runs) + "</is>"
    return f"<c{attrs}>{inner}</c>"


def _escape(text: str) -> str:
    # XML 1.0 can't hold most control characters at all: keep what it can
    kept = "".join(ch for ch in text if ch in "\t\n" or ord(ch) >= 0x20)
    return kept.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def _sheet(draw: st.DrawFn) -> bytes:
    rows = []
    for number in range(1, draw(st.integers(1, 4)) + 1):
        cells = [draw(_cell(number, col)) for col in range(1, draw(st.integers(0, 4)) + 1)]
        r = f' r="{number}"' if draw(st.booleans()) else ""
        rows.append(f"<row{r}>{''.join(cells)}</row>")
    return sheet_xml("".join(rows))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_sheet())
def test_any_cell_xml_reads_as_openpyxl_reads_it(xml: bytes) -> None:
    assert_same(reference, ours, xml)


def test_the_garbage_collector_is_on_again_after_parsing_even_a_broken_sheet() -> None:
    import gc

    assert gc.isenabled()
    ours(sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'))
    assert gc.isenabled()
    with pytest.raises(ExpatError):
        ours(b"<worksheet><sheetData><row></sheetData>")
    assert gc.isenabled()
    gc.disable()  # and a caller that switched it off keeps it off
    try:
        ours(sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'))
        assert not gc.isenabled()
    finally:
        gc.enable()
