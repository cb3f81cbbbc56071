"""Read legacy spreadsheets (``.xls``, ``.ods``, ``.csv``) into the reader's cells.

:func:`read_any` gives every format the shape :func:`converter.read.xlsx.read_workbook`
gives ``.xlsx``: a :class:`~converter.read.xlsx.WorkbookData` of sheets, rows of
:class:`~converter.model.cells.Cell` with their addresses, number formats and
merged ranges. The mapping rules then apply unchanged, including "as the
cell shows it" (Kundnr 13 formatted ``000`` is ``"013"``; 0.1 in a percentage
cell is 10), because each reader keeps what decides how a cell is shown:

- ``.xls``: xlrd with ``formatting_info``, which keeps every cell's number
  format (pandas and calamine drop them);
- ``.ods``: the cell's ODF value type and its data style, translated into the
  equivalent Excel number format code;
- ``.csv``: Swedish CSV (``;``, a decimal comma, UTF-8 with or without a BOM,
  or cp1252). Every field is text, so ``0013`` stays ``0013``; only numbers
  written with a decimal comma (``1,250``) become numbers, because in a
  decimal-comma file they can't be anything else.

The file's content decides the reader, not its name: an ``.xls`` that is
really an ``.xlsx`` is read as one, and a web page named ``.xls`` is refused
with a message that says so. Files are only read, never written.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from openpyxl.utils.cell import get_column_letter

from converter.errors import WorkbookError, foreign_reason
from converter.model.cells import Cell, CellRef, CellValue
from converter.model.records import WRITABLE_SUFFIXES, FileStamp
from converter.read.xlsx import (
    SheetData,
    WorkbookData,
    read_file_bytes,
    read_workbook,
)

LEGACY_SUFFIXES = (".xls", ".ods", ".csv")
MIGRATABLE_SUFFIXES = WRITABLE_SUFFIXES + LEGACY_SUFFIXES

# An offer file is kilobytes; these bounds only stop damaged or hostile files
# from taking the memory of a migration that reads thousands of them.
MAX_FILE_BYTES = 64 << 20
MAX_XML_BYTES = 256 << 20  # an ODS part, unpacked
MAX_CELLS = 1_000_000  # non-empty cells of one workbook, repeats expanded
_MAX_ROW = 1_048_576
_MAX_COLUMN = 16_384

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# the stream an encrypted .xlsx keeps inside its OLE container, as the directory names it
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def read_any(path: Path) -> WorkbookData:
    """Read a ``.xlsx``, ``.xlsm``, ``.xls``, ``.ods`` or ``.csv`` file at ``path``.

    Raises :class:`~converter.errors.WorkbookError` naming the file when it
    can't be read.
    """
    data, stamp = _read_bytes(path)
    if data.startswith(_OLE_MAGIC):
        return read_xls_bytes(path, data, stamp)
    if data.startswith(b"PK"):
        if _is_ods(data):
            return read_ods_bytes(path, data, stamp)
        return read_workbook(path)  # xlsx/xlsm, whatever the name says
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv_bytes(path, data, stamp)
    if suffix == ".xls":
        raise WorkbookError("xls_not_excel", file=path.name)
    raise WorkbookError("not_a_spreadsheet", file=path.name)


def _read_bytes(path: Path) -> tuple[bytes, FileStamp]:
    # legacy files are read whole, so their size is capped before they are
    return read_file_bytes(path, MAX_FILE_BYTES)


class _CellBudget:
    """Counts the cells of one workbook, so a file of endless repeats is refused, not read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.left = MAX_CELLS

    def take(self, count: int = 1) -> None:
        self.left -= count
        if self.left < 0:
            raise WorkbookError(
                "package_too_large", file=self.path.name, reason=f"over {MAX_CELLS:,} cells"
            )


def _number(value: float) -> int | float:
    """A whole number as ``int``, as openpyxl reads ``<v>13</v>`` from an .xlsx."""
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _range_ref(row1: int, col1: int, row2: int, col2: int) -> str:
    """``A8:C8`` for 1-based inclusive bounds."""
    return f"{get_column_letter(col1)}{row1}:{get_column_letter(col2)}{row2}"


# ------------------------------------------------------------------------------- .xls

_XLS_STATES = {0: "visible", 1: "hidden", 2: "veryHidden"}


def read_xls_bytes(path: Path, data: bytes, stamp: FileStamp) -> WorkbookData:
    """Read an Excel 97–2003 workbook with xlrd, keeping every cell's number format."""
    import xlrd  # only migrations of .xls files pay for importing it
    import xlrd.compdoc

    budget = _CellBudget(path)
    try:
        book = xlrd.open_workbook(
            file_contents=data,
            formatting_info=True,
            on_demand=True,
            ragged_rows=True,
            logfile=io.StringIO(),  # xlrd prints warnings about odd files to stdout otherwise
        )
    except xlrd.XLRDError as exc:
        # an encrypted .xls, or an encrypted .xlsx: an OLE container holding the package
        if "encrypt" in str(exc).lower() or _ENCRYPTED_PACKAGE in data:
            raise WorkbookError("xls_protected", file=path.name) from exc
        raise WorkbookError("xls_unreadable", file=path.name, reason=foreign_reason(exc)) from exc
    except (xlrd.compdoc.CompDocError, *_XLS_DAMAGED) as exc:
        raise WorkbookError("xls_unreadable", file=path.name, reason=foreign_reason(exc)) from exc
    try:
        sheets = [_xls_sheet(book, index, budget) for index in range(book.nsheets)]
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, *_XLS_DAMAGED) as exc:
        raise WorkbookError("xls_unreadable", file=path.name, reason=foreign_reason(exc)) from exc
    finally:
        book.release_resources()
    return WorkbookData(path=path, stamp=stamp, sheets=sheets)


# xlrd has no exception hierarchy for damaged files: these are what its parser
# raises on truncated or garbled records.
_XLS_DAMAGED: tuple[type[Exception], ...] = (
    AssertionError,
    EOFError,
    IndexError,
    KeyError,
    OverflowError,
    TypeError,
    UnicodeDecodeError,
    ValueError,
    struct.error,
)


def _xls_sheet(book: Any, index: int, budget: _CellBudget) -> SheetData:
    import xlrd

    sh = book.sheet_by_index(index)
    sheet = SheetData(name=sh.name, index=index, state=_XLS_STATES.get(sh.visibility, "visible"))
    formats: dict[int, str] = {}
    for r in range(sh.nrows):
        cells: list[Cell] = []
        for c, raw in enumerate(sh.row(r)):
            if raw.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                continue
            budget.take()
            fmt = formats.get(raw.xf_index)
            if fmt is None:
                fmt = formats[raw.xf_index] = _xls_format(book, raw.xf_index)
            ref = CellRef(sh.name, r + 1, c + 1)
            value, is_error = _xls_value(book, raw)
            cells.append(Cell(ref, value, fmt, None, is_error))
        if cells:
            sheet.rows.append(cells)
    sheet.merged = [
        _range_ref(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sh.merged_cells
    ]
    book.unload_sheet(index)
    return sheet


def _xls_format(book: Any, xf_index: int | None) -> str:
    if xf_index is None:
        return "General"
    try:
        fmt = book.format_map.get(book.xf_list[xf_index].format_key)
    except IndexError:
        return "General"
    return str(fmt.format_str) if fmt is not None and fmt.format_str else "General"


def _xls_value(book: Any, raw: Any) -> tuple[CellValue, bool]:
    import xlrd

    if raw.ctype == xlrd.XL_CELL_TEXT:
        return str(raw.value), False
    if raw.ctype == xlrd.XL_CELL_NUMBER:
        return _number(float(raw.value)), False
    if raw.ctype == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate.xldate_as_datetime(raw.value, book.datemode)
        except (xlrd.XLDateError, ValueError, OverflowError):
            return _number(float(raw.value)), False  # shown as a number by Excel too
        # a time-of-day format gives a time, as openpyxl reads it from an .xlsx
        return (moment.time() if 0 <= raw.value < 1 else moment), False
    if raw.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(raw.value), False
    if raw.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(raw.value, "#N/A"), True
    return str(raw.value), False


# ------------------------------------------------------------------------------- .ods

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
}


def _q(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


_TABLE = _q("table", "table")
_ROW = _q("table", "table-row")
_CELL = _q("table", "table-cell")
_COVERED = _q("table", "covered-table-cell")
_COLUMN = _q("table", "table-column")
_STYLE = _q("style", "style")
_MAP = _q("style", "map")
_TEXT_P = _q("text", "p")
_TEXT_H = _q("text", "h")
_DATA_STYLES = {
    _q("number", kind)
    for kind in (
        "number-style",
        "currency-style",
        "percentage-style",
        "date-style",
        "time-style",
        "boolean-style",
        "text-style",
    )
}
_A_STYLE_NAME = _q("style", "name")
_A_FAMILY = _q("style", "family")
_A_PARENT = _q("style", "parent-style-name")
_A_DATA_STYLE = _q("style", "data-style-name")
_A_TABLE_STYLE = _q("table", "style-name")
_A_DEFAULT_CELL_STYLE = _q("table", "default-cell-style-name")
_A_COLS_REPEATED = _q("table", "number-columns-repeated")
_A_ROWS_REPEATED = _q("table", "number-rows-repeated")
_A_COLS_SPANNED = _q("table", "number-columns-spanned")
_A_ROWS_SPANNED = _q("table", "number-rows-spanned")
_A_VALUE_TYPE = _q("office", "value-type")
_A_CALC_VALUE_TYPE = _q("calcext", "value-type")
_A_FORMULA = _q("table", "formula")
_A_DISPLAY = _q("table", "display")


def _is_ods(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            with archive.open("mimetype") as fh:
                return fh.read(len(_ODS_MIME) + 16).strip() == _ODS_MIME
    except (zipfile.BadZipFile, KeyError, OSError, zlib.error, EOFError, ValueError):
        return False


class _OdsStyles:
    """What the styles of an ODS file say about showing values and hiding sheets."""

    def __init__(self) -> None:
        self.data_styles: dict[str, Element] = {}
        self.cell_styles: dict[str, tuple[str | None, str | None]] = {}  # name → (data, parent)
        self.hidden_tables: set[str] = set()
        self._codes: dict[str, str] = {}

    def add(self, elem: Element) -> None:
        """Remember a data style, a cell style or a table style."""
        name = elem.get(_A_STYLE_NAME)
        if name is None:
            return
        if elem.tag in _DATA_STYLES:
            self.data_styles[name] = elem
        elif elem.tag == _STYLE:
            family = elem.get(_A_FAMILY)
            if family == "table-cell":
                self.cell_styles[name] = (elem.get(_A_DATA_STYLE), elem.get(_A_PARENT))
            elif family == "table":
                props = elem.find(_q("style", "table-properties"))
                if props is not None and props.get(_A_DISPLAY) == "false":
                    self.hidden_tables.add(name)

    def number_format(self, cell_style: str | None) -> str:
        """The Excel number format code equivalent to a cell style's data style."""
        if cell_style is None:
            return "General"
        code = self._codes.get(cell_style)
        if code is None:
            data_style = self._data_style_of(cell_style)
            code = "General" if data_style is None else self._translate(data_style, 0)
            self._codes[cell_style] = code
        return code

    def _data_style_of(self, cell_style: str) -> str | None:
        seen: set[str] = set()
        name: str | None = cell_style
        while name is not None and name not in seen:  # a parent chain, never a loop
            seen.add(name)
            data, parent = self.cell_styles.get(name, (None, None))
            if data is not None:
                return data
            name = parent
        return None

    def _translate(self, name: str, depth: int) -> str:
        elem = self.data_styles.get(name)
        if elem is None or depth > 4:
            return "General"
        own = _format_code(elem)
        # LibreOffice writes "positive;negative" formats as a style that maps
        # value()>=0 to another style: the first section is the one for ours
        for mapping in elem.findall(_MAP):
            condition = (mapping.get(_q("style", "condition")) or "").replace(" ", "")
            target = mapping.get(_q("style", "apply-style-name"))
            if target and condition in ("value()>=0", "value()>0"):
                return f"{self._translate(target, depth + 1)};{own}"
        return own


_DATE_TOKENS = {
    "year": ("YY", "YYYY"),
    "month": ("M", "MM"),
    "day": ("D", "DD"),
    "hours": ("h", "hh"),
    "minutes": ("m", "mm"),
    "seconds": ("s", "ss"),
    "day-of-week": ("DDD", "DDDD"),
}


def _format_code(elem: Element) -> str:
    """An ODF data style as the Excel format code that shows values the same way."""
    percent_style = elem.tag == _q("number", "percentage-style")
    parts: list[str] = []
    for child in elem:
        kind = child.tag.rsplit("}", 1)[-1]
        if kind == "number":
            parts.append(_digits_code(child))
        elif kind == "text":
            text = child.text or ""
            if percent_style and "%" in text:
                parts.append(text.replace('"', ""))  # the % that scales the value, unquoted
            elif text:
                parts.append('"' + text.replace('"', "") + '"')
        elif kind == "currency-symbol":
            parts.append('"' + (child.text or "").replace('"', "") + '"')
        elif kind == "scientific-number":
            parts.append("0.00E+00")
        elif kind == "fraction":
            parts.append("# ?/?")
        elif kind == "text-content":
            parts.append("@")
        elif kind == "boolean":
            parts.append('"TRUE"')
        elif kind == "am-pm":
            parts.append("AM/PM")
        elif kind in _DATE_TOKENS:
            short, long_ = _DATE_TOKENS[kind]
            parts.append(long_ if child.get(_q("number", "style")) == "long" else short)
    if percent_style and not any("%" in p for p in parts):
        parts.append("%")
    return "".join(parts) or "General"


def _digits_code(elem: Element) -> str:
    decimals = int(elem.get(_q("number", "decimal-places")) or 0)
    min_int = int(elem.get(_q("number", "min-integer-digits")) or 1)
    grouping = elem.get(_q("number", "grouping")) == "true"
    whole = "0" * min_int if min_int > 0 else "#"
    if grouping:
        whole = "#,##" + whole if len(whole) < 4 else whole
    return whole + ("." + "0" * decimals if decimals > 0 else "")


def read_ods_bytes(path: Path, data: bytes, stamp: FileStamp) -> WorkbookData:
    """Read an OpenDocument spreadsheet, keeping value types and number formats."""
    from defusedxml.ElementTree import fromstring, iterparse

    budget = _CellBudget(path)
    styles = _OdsStyles()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_parts(path, archive)
            names = set(archive.namelist())
            if "styles.xml" in names:
                root = fromstring(archive.read("styles.xml"))
                for elem in root.iter():
                    styles.add(elem)
            with archive.open("content.xml") as content:
                sheets = _ods_sheets(iterparse(content, events=("start", "end")), styles, budget)
    except WorkbookError:
        raise
    except KeyError as exc:  # no content.xml
        raise WorkbookError("ods_unreadable", file=path.name, reason=foreign_reason(exc)) from exc
    except (zipfile.BadZipFile, zlib.error, ParseError, OSError, EOFError, ValueError) as exc:
        # ValueError: also defusedxml's refusals (entities, external references)
        raise WorkbookError("ods_unreadable", file=path.name, reason=foreign_reason(exc)) from exc
    return WorkbookData(path=path, stamp=stamp, sheets=sheets)


def _check_parts(path: Path, archive: zipfile.ZipFile) -> None:
    for info in archive.infolist():
        if info.filename in ("content.xml", "styles.xml") and info.file_size > MAX_XML_BYTES:
            raise WorkbookError(
                "package_too_large", file=path.name, reason=f"{info.file_size >> 20} MiB unpacked"
            )


class _OdsTable:
    """The sheet being read, and where the parser is in it."""

    def __init__(self, name: str, index: int, hidden: bool) -> None:
        self.sheet = SheetData(name=name, index=index, state="hidden" if hidden else "visible")
        self.row = 0  # 1-based number of the row being read
        self.column_styles: list[tuple[int, int, str | None]] = []  # first, last, style
        self.next_column = 1
        self.row_style: str | None = None
        self.row_repeat = 1
        self.cells: list[Cell] = []
        self.column = 0

    def column_style(self, column: int) -> str | None:
        for first, last, style in self.column_styles:
            if first <= column <= last:
                return style
        return None


def _ods_sheets(
    events: Iterator[tuple[str, Element]], styles: _OdsStyles, budget: _CellBudget
) -> list[SheetData]:
    sheets: list[SheetData] = []
    table: _OdsTable | None = None
    depth = 0  # cells inside a cell (a table in a text box) are not the sheet's
    for event, elem in events:
        tag = elem.tag
        if event == "start":
            if tag == _TABLE:
                if table is not None:
                    depth += 1
                    continue
                style = elem.get(_A_TABLE_STYLE)
                table = _OdsTable(
                    elem.get(_q("table", "name")) or f"Sheet{len(sheets) + 1}",
                    len(sheets),
                    style in styles.hidden_tables,
                )
            elif tag == _ROW and table is not None and depth == 0:
                table.row_style = elem.get(_A_DEFAULT_CELL_STYLE)
                table.row_repeat = _count(elem.get(_A_ROWS_REPEATED))
                table.row += 1
                table.column = 1
                table.cells = []
            continue
        # event == "end"
        if tag == _TABLE:
            if depth:
                depth -= 1
                continue
            if table is not None:
                sheets.append(table.sheet)
            table = None
            elem.clear()
        elif table is None or depth:
            if tag in _DATA_STYLES or tag == _STYLE:
                styles.add(elem)  # content.xml's automatic styles come before the tables
        elif tag == _COLUMN:
            repeat = _count(elem.get(_A_COLS_REPEATED))
            first = table.next_column
            table.next_column += repeat
            table.column_styles.append((first, first + repeat - 1, elem.get(_A_DEFAULT_CELL_STYLE)))
        elif tag in (_CELL, _COVERED):
            _ods_cell(table, elem, styles, budget)
            elem.clear()
        elif tag == _ROW:
            _ods_row_done(table, budget)
            elem.clear()
    return sheets


def _count(value: str | None) -> int:
    try:
        return max(1, int(value)) if value else 1
    except ValueError:
        return 1


def _ods_cell(table: _OdsTable, elem: Element, styles: _OdsStyles, budget: _CellBudget) -> None:
    repeat = _count(elem.get(_A_COLS_REPEATED))
    column = table.column
    table.column += repeat
    if elem.tag == _COVERED or column > _MAX_COLUMN:
        return
    value, is_error = _ods_value(elem)
    formula = elem.get(_A_FORMULA)
    if formula is not None:
        formula = "=" + formula.split("=", 1)[-1] if "=" in formula else "=" + formula
    if value is None and formula is None:
        return  # an empty cell, however often repeated
    style = elem.get(_A_TABLE_STYLE) or table.row_style or table.column_style(column) or "Default"
    fmt = styles.number_format(style)
    if elem.get(_A_VALUE_TYPE) == "percentage" and "%" not in fmt:
        fmt = "0%"  # the value type alone says it is shown as a percentage
    spanned_cols = _count(elem.get(_A_COLS_SPANNED))
    spanned_rows = _count(elem.get(_A_ROWS_SPANNED))
    if spanned_cols > 1 or spanned_rows > 1:
        table.sheet.merged.append(
            _range_ref(table.row, column, table.row + spanned_rows - 1, column + spanned_cols - 1)
        )
    for offset in range(min(repeat, _MAX_COLUMN - column + 1)):
        budget.take()
        ref = CellRef(table.sheet.name, table.row, column + offset)
        table.cells.append(Cell(ref, value, fmt, formula, is_error))


def _ods_row_done(table: _OdsTable, budget: _CellBudget) -> None:
    """File the row's cells, once per repeat; empty repeats (often a million) only count."""
    first = table.row
    if table.cells and first <= _MAX_ROW:
        table.sheet.rows.append(table.cells)
        last = min(first + table.row_repeat - 1, _MAX_ROW)
        for row in range(first + 1, last + 1):
            budget.take(len(table.cells))
            table.sheet.rows.append(
                [
                    Cell(
                        CellRef(c.ref.sheet, row, c.column),
                        c.value,
                        c.number_format,
                        c.formula,
                        c.is_error,
                    )
                    for c in table.cells
                ]
            )
    table.row = first + table.row_repeat - 1
    table.cells = []


def _ods_value(elem: Element) -> tuple[CellValue, bool]:
    """The value a cell saved, as openpyxl would give it for the same cell in an .xlsx."""
    kind = elem.get(_A_VALUE_TYPE)
    if elem.get(_A_CALC_VALUE_TYPE) == "error":
        return _ods_text(elem) or "#VALUE!", True
    if kind is None:
        return None, False
    try:
        if kind in ("float", "percentage", "currency"):
            return _ods_number(elem.get(_q("office", "value"))), False
        if kind == "date":
            return datetime.fromisoformat(elem.get(_q("office", "date-value")) or ""), False
        if kind == "time":
            return _ods_duration(elem.get(_q("office", "time-value")) or ""), False
    except (ValueError, InvalidOperation):
        return _ods_text(elem), False  # a damaged value: keep what the cell shows
    if kind == "boolean":
        return elem.get(_q("office", "boolean-value")) == "true", False
    string_value = elem.get(_q("office", "string-value"))
    return (string_value if string_value is not None else _ods_text(elem)), False


def _ods_number(text: str | None) -> int | float:
    number = Decimal((text or "").strip())
    if not number.is_finite():
        raise ValueError(text)
    if number == number.to_integral_value() and abs(number) < 2**53:
        return int(number)
    return float(number)


_DURATION = re.compile(r"^-?P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$")


def _ods_duration(text: str) -> time | timedelta:
    m = _DURATION.match(text.strip())
    if not m:
        raise ValueError(text)
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in m.groups())
    span = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    if timedelta(0) <= span < timedelta(days=1):
        return (datetime.min + span).time()
    return span


def _ods_text(elem: Element) -> str:
    """The text of a cell: its paragraphs joined by line breaks, spaces kept."""
    paragraphs = [_paragraph(p) for p in elem if p.tag in (_TEXT_P, _TEXT_H)]
    return "\n".join(paragraphs)


def _paragraph(elem: Element) -> str:
    parts = [elem.text or ""]
    for child in elem:
        kind = child.tag.rsplit("}", 1)[-1]
        if kind == "s":
            parts.append(" " * _count(child.get(_q("text", "c"))))
        elif kind == "tab":
            parts.append("\t")
        elif kind == "line-break":
            parts.append("\n")
        elif kind != "annotation" and kind != "note":
            parts.append(_paragraph(child))  # spans, links, fields: their text
        parts.append(child.tail or "")
    return "".join(parts)


# ------------------------------------------------------------------------------- .csv

_DECIMAL_COMMA = re.compile(r"^[-−]?\d+,\d+$")
_OTHER_SEPARATORS = (",", "\t")


def read_csv_bytes(path: Path, data: bytes, stamp: FileStamp) -> WorkbookData:
    """Read a Swedish CSV file as one sheet named after the file, as Excel names it."""
    text = _decode(path, data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    if ";" not in first and any(sep in first for sep in _OTHER_SEPARATORS):
        raise WorkbookError("csv_separator", file=path.name)
    budget = _CellBudget(path)
    sheet = SheetData(name=path.stem[:31] or "Sheet1", index=0, state="visible")
    try:
        for r, fields in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=";"), 1):
            cells = [
                Cell(CellRef(sheet.name, r, c), _csv_value(field))
                for c, field in enumerate(fields, 1)
                if field != ""
            ]
            if cells:
                budget.take(len(cells))
                sheet.rows.append(cells)
    except csv.Error as exc:
        raise WorkbookError("csv_unreadable", file=path.name, reason=foreign_reason(exc)) from exc
    return WorkbookData(path=path, stamp=stamp, sheets=[sheet])


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without a BOM), else Windows-1252, as Swedish Excel saves CSV."""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "cp1252"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise WorkbookError("csv_unreadable", file=path.name, reason=foreign_reason(exc)) from exc


def _csv_value(field: str) -> CellValue:
    """A field as text, except a number with a decimal comma, which is nothing else here."""
    if _DECIMAL_COMMA.match(field.strip()):
        number = Decimal(field.strip().replace("−", "-").replace(",", "."))
        return float(number)
    return field
