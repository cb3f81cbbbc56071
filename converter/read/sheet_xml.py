"""Stream one worksheet part (``xl/worksheets/sheetN.xml``) into addressed cells.

The reader (:mod:`converter.read.xlsx`) finds the parts through the package's
relationships (:mod:`converter.read.package`) and reads the shared strings and
styles (:mod:`converter.read.parts`). The sheets themselves are streamed here,
straight from expat, in either namespace (Transitional or Strict), because that is where a
large workbook spends its time: openpyxl builds an ElementTree element for
every ``<c>``, ``<v>`` and ``<is>``, and objects for every inline string,
which made a 200,000-row sheet take over 20 s. Here each element costs two
callbacks and nothing is built but the :class:`~converter.model.cells.Cell`.

The values are exactly openpyxl's for a workbook opened with
``data_only=True`` (``tests/test_sheet_xml.py`` compares the two on every
generated and real-world file), plus the formula text openpyxl drops in that
mode, and with the OOXML ``_xHHHH_`` escapes of inline strings and formula
text results decoded (openpyxl leaves them). Like defusedxml, the parser
refuses a document type declaration, so no entity (billion laughs) or external
entity can be declared or expanded.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import IO
from xml.parsers import expat

from converter.model.cells import Cell, CellValue, parse_coordinate, range_bounds
from converter.read.package import SPREADSHEET_NS
from converter.read.parts import UnsafeXmlError, decode_escapes, safe_parser

__all__ = [
    "MAX_COLUMN",
    "MAX_ROW",
    "ParsedSheet",
    "SheetStyles",
    "UnsafeXmlError",
    "cyclic_gc_paused",
    "parse_sheet",
]

MAX_ROW = 1_048_576
MAX_COLUMN = 16_384
# distinct inline strings kept to share: a sheet's repeated units, articles and texts
# come early; a sheet of unique texts stops adding here (the table lives while it is read)
MAX_SHARED_INLINE = 10_000

WINDOWS_EPOCH = datetime(1899, 12, 30)  # day 0 of the 1900 date system (leap bug included)
MAC_EPOCH = datetime(1904, 1, 1)  # day 0 of the 1904 date system


@dataclass(frozen=True, slots=True)
class _Tags:
    """The element names expat reports (``"uri local"``) in one namespace."""

    row: str
    cell: str
    value: str
    formula: str
    inline: str
    text: str
    phonetic: str
    merge: str
    col: str

    @classmethod
    def of(cls, namespace: str) -> _Tags:
        ns = namespace + " "
        locals_ = ("row", "c", "v", "f", "is", "t", "rPh", "mergeCell", "col")
        return cls(*(ns + local for local in locals_))


_TAGS = {ns: _Tags.of(ns) for ns in SPREADSHEET_NS}  # Transitional and Strict
_TRANSITIONAL = _TAGS[SPREADSHEET_NS[0]]


@dataclass(frozen=True, slots=True)
class SheetStyles:
    """What a sheet's cells need from the workbook to be read as openpyxl reads them."""

    shared_strings: list[str]
    number_format: Callable[[int], str]  # style id → number format
    date_styles: frozenset[int]  # style ids whose numbers are dates or times
    timedelta_styles: frozenset[int]  # style ids whose numbers are durations
    epoch: datetime = WINDOWS_EPOCH  # 1900 or 1904 date system


@dataclass(slots=True)
class ParsedSheet:
    """A sheet's non-empty cells, row by row in row order, and its merged ranges."""

    rows: list[list[Cell]] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    # the number format of each asked-for empty cell: its own style, else its row's
    # or its column's (a cell never typed in has no <c>, but shows that format)
    blank_formats: dict[tuple[int, int], str] = field(default_factory=dict)


def parse_sheet(
    source: IO[bytes],
    sheet: str,
    styles: SheetStyles,
    blanks: frozenset[tuple[int, int]] = frozenset(),
) -> ParsedSheet:
    """Stream the worksheet XML in ``source``; cells are addressed on ``sheet``.

    ``blanks`` are (row, column) pairs of empty cells whose number format is
    wanted (a value written there shows in it): :attr:`ParsedSheet.blank_formats`.

    Raises :class:`ValueError` (or :class:`xml.parsers.expat.ExpatError`) on XML
    or values no spreadsheet program writes; the reader turns those into a
    :class:`~converter.errors.WorkbookError` naming the file.
    """
    handler = _Handler(sheet, styles, blanks)
    with cyclic_gc_paused():
        _parse(source, handler)
    return handler.finish()


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while cells (or what is made of them) are created.

    A large sheet creates millions of objects, and each batch of them starts a
    collection that walks every object still alive: a third of the reading
    time went there, and a third of the mapping time after it. Cells, and the
    rows and numbers the mapper makes of them, form no reference cycles, so
    there is nothing for it to find. It is switched back on even on an error.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse(source: IO[bytes], handler: _Handler) -> None:
    parser = safe_parser()
    handler.parser = parser
    parser.StartElementHandler = handler.root
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.text
    parser.ParseFile(source)


def _cast_number(text: str) -> int | float:
    """openpyxl's rule: a decimal point or an exponent makes a float."""
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


class _Handler:
    """expat callbacks: collect one ``<c>`` at a time, one ``<row>`` at a time."""

    def __init__(
        self, sheet: str, styles: SheetStyles, blanks: frozenset[tuple[int, int]] = frozenset()
    ) -> None:
        self.sheet = sheet
        self.styles = styles
        self.blanks = blanks
        self.blank_styles: dict[tuple[int, int], int] = {}  # asked-for cells with a <c>
        self.row_styles: dict[int, int] = {}  # rows with customFormat, where asked for
        self.col_styles: list[tuple[int, int, int]] = []  # (min, max, style) of <col>
        self.formats: dict[int, str] = {}
        self.inline_strings: dict[str, str] = {}  # one object per repeated inline string
        self.result = ParsedSheet()
        self.row: list[Cell] = []
        self.row_counter = 0
        self.col_counter = 0
        self.in_order = True
        self.tags = _TRANSITIONAL
        self.parser: expat.XMLParserType | None = None
        # the cell being read
        self.attrs: dict[str, str] = {}
        self.value: list[str] | None = None  # text of <v>
        self.formula: list[str] | None = None  # text of <f>
        self.inline: list[str] | None = None  # text of <is>'s <t> and <r><t>
        self.in_phonetic = False  # inside <rPh>, whose <t> is a reading aid, not text
        self.target: list[str] | None = None  # where character data goes now

    # -- expat callbacks ---------------------------------------------------------------------

    def root(self, name: str, attrs: dict[str, str]) -> None:
        """The root element: its namespace (Transitional or Strict) names every other."""
        self.tags = _TAGS.get(name.rpartition(" ")[0], _TRANSITIONAL)
        assert self.parser is not None
        self.parser.StartElementHandler = self.start
        self.start(name, attrs)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tags = self.tags
        if name == tags.cell:
            self.attrs = attrs
            self.value = self.formula = self.inline = None
        elif name == tags.value:
            self.target = self.value = []
        elif name == tags.row:
            self._start_row(attrs.get("r"))
            if self.blanks and attrs.get("customFormat") in ("1", "true") and attrs.get("s"):
                self.row_styles[self.row_counter] = int(attrs["s"])
        elif name == tags.col:
            if self.blanks and attrs.get("style"):
                bounds = (int(attrs.get("min", "0")), int(attrs.get("max", "0")))
                self.col_styles.append((*bounds, int(attrs["style"])))
        elif name == tags.formula:
            self.target = self.formula = []
        elif name == tags.inline:
            self.inline = []
        elif name == tags.text:
            if self.inline is not None and not self.in_phonetic:
                self.target = self.inline
        elif name == tags.phonetic:
            self.in_phonetic = True
        elif name == tags.merge:
            ref = attrs.get("ref", "")
            range_bounds(ref)  # ValueError for a range that isn't one
            self.result.merged.append(ref)

    def end(self, name: str) -> None:
        tags = self.tags
        if name == tags.cell:
            self._end_cell()
        elif name == tags.row:
            self._end_row()
        elif name == tags.phonetic:
            self.in_phonetic = False
        self.target = None

    def text(self, data: str) -> None:
        if self.target is not None:
            self.target.append(data)

    # -- rows and cells ----------------------------------------------------------------------

    def _start_row(self, number: str | None) -> None:
        self._end_row()
        if number is None:
            self.row_counter += 1
        else:
            try:
                self.row_counter = int(number)
            except ValueError:
                as_float = float(number)
                if not as_float.is_integer():
                    raise ValueError(f"{number} is not a valid row number") from None
                self.row_counter = int(as_float)
        self.col_counter = 0

    def _end_row(self) -> None:
        if not self.row:
            return
        rows = self.result.rows
        if rows and rows[-1][0].row >= self.row[0].row:
            self.in_order = False
        rows.append(self.row)
        self.row = []

    def _end_cell(self) -> None:
        attrs = self.attrs
        coordinate = attrs.get("r")
        if coordinate:
            row, column = parse_coordinate(coordinate)
            if row == self.row_counter:
                row = self.row_counter  # one int object for the row's cells, not one each
            self.col_counter = column
        else:
            self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        if not (1 <= row <= MAX_ROW and 1 <= column <= MAX_COLUMN):
            raise ValueError(f"cell {coordinate or (row, column)} lies outside any sheet")
        formula = None if self.formula is None else "=" + "".join(self.formula)
        style = attrs.get("s")
        style_id = int(style) if style else 0
        value, is_error = self._value(attrs.get("t", "n"), style_id)
        if value is None and formula is None:
            if self.blanks and (row, column) in self.blanks:
                self.blank_styles[(row, column)] = style_id
            return
        number_format = self.formats.get(style_id)
        if number_format is None:
            number_format = self.formats[style_id] = self.styles.number_format(style_id)
        cell = Cell.at(self.sheet, row, column, value, number_format, formula, is_error)
        if self.row and self.row[-1].row != row:
            self._end_row()  # a cell whose address puts it on another row
        self.row.append(cell)

    def _value(self, data_type: str, style_id: int) -> tuple[CellValue, bool]:
        """The saved value and whether it is an error, as openpyxl's ``parse_cell`` gives."""
        if data_type == "inlineStr":
            return (None if self.inline is None else self._inline_text()), False
        chunks = self.value
        text = (chunks[0] if len(chunks) == 1 else "".join(chunks)) if chunks else None
        if not text:
            return None, data_type == "e"
        if data_type == "n":
            number = _cast_number(text)
            if style_id not in self.styles.date_styles:
                return number, False
            try:
                moment = from_serial(
                    number, self.styles.epoch, timedelta=style_id in self.styles.timedelta_styles
                )
            except (OverflowError, ValueError):
                return "#VALUE!", True  # a date serial outside any calendar
            return moment, False
        if data_type == "s":
            return self.styles.shared_strings[int(text)], False
        if data_type == "b":
            return bool(int(text)), False
        if data_type == "d":
            return from_iso8601(text), False
        if data_type == "str":
            return decode_escapes(text), False  # a formula's text result
        return text, data_type == "e"  # "e" (#DIV/0!) and types no program writes

    def _inline_text(self) -> str:
        """An inline string's text; one string object for every cell that repeats it (as
        shared strings are), instead of one each (the values are equal either way)."""
        assert self.inline is not None
        text = decode_escapes("".join(self.inline))
        known = self.inline_strings.get(text)
        if known is not None:
            return known
        if len(self.inline_strings) < MAX_SHARED_INLINE:
            self.inline_strings[text] = text
        return text

    def finish(self) -> ParsedSheet:
        self._end_row()
        if not self.in_order:
            self.result.rows = _in_row_order(self.result.rows)
        for row, column in self.blanks:
            style_id = self.blank_styles.get((row, column), self.row_styles.get(row))
            if style_id is None:
                cols = (s for low, high, s in self.col_styles if low <= column <= high)
                style_id = next(cols, 0)
            self.result.blank_formats[(row, column)] = self.styles.number_format(style_id)
        return self.result


def _in_row_order(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Rows sorted by number, a row written in several places joined into one."""
    by_number: dict[int, list[Cell]] = {}
    for row in rows:
        by_number.setdefault(row[0].row, []).extend(row)
    return [by_number[number] for number in sorted(by_number)]


_SECONDS_PER_DAY = 86_400


def from_serial(
    value: float, epoch: datetime = WINDOWS_EPOCH, timedelta: bool = False
) -> CellValue:
    """A date, time or duration from an Excel serial number (openpyxl's ``from_excel``).

    Fractions are rounded to the millisecond. In the 1900 system the days
    before 1 March 1900 are one off (Excel counts a 29 February 1900), and a
    value under one day is a time of day.
    """
    if timedelta:
        td = _timedelta(days=value)
        if td.microseconds:
            td = _timedelta(
                seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3)
            )
        return td
    day, fraction = divmod(value, 1)
    diff = _timedelta(milliseconds=round(fraction * _SECONDS_PER_DAY * 1000))
    if 0 <= value < 1 and diff.days == 0:
        minutes, seconds = divmod(diff.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return time(hours, minutes, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return epoch + _timedelta(days=day) + diff


_timedelta = timedelta

_ISO = re.compile(
    r"(?P<date>(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2}))?T?"
    r"(?P<time>(?P<hour>\d{2}):(?P<minute>\d{2})(:(?P<second>\d{2})(?P<fraction>\.\d{1,3})?)?)?Z?"
)
_ISO_DURATION = re.compile(
    r"PT((?P<hours>\d+)H)?((?P<minutes>\d+)M)?((?P<seconds>\d+(\.\d{1,3})?)S)?"
)


def from_iso8601(text: str) -> CellValue:
    """A ``t="d"`` cell's ISO 8601 value (openpyxl's ``from_ISO8601``; Strict files write them).

    ``2026-01-30`` is a date, ``2026-01-30T08:30:00`` a datetime, ``08:30:00`` a
    time, ``PT36H`` a duration. ValueError for anything else.
    """
    m = _ISO.match(text)
    if m and any(m.groups()):
        g = m.groupdict()
        micro = int(float(g["fraction"]) * 1_000_000) if g["fraction"] else 0
        hms = (int(g["hour"] or 0), int(g["minute"] or 0), int(g["second"] or 0))
        if not g["date"]:
            return time(*hms, micro)
        ymd = (int(g["year"]), int(g["month"]), int(g["day"]))
        if not g["time"]:
            return date(*ymd)
        return datetime(*ymd, *hms, micro)
    m = _ISO_DURATION.match(text)
    if m and any(m.groups()):
        return _timedelta(**{k: float(v) for k, v in m.groupdict().items() if v})
    raise ValueError(f"invalid datetime value {text}")
