"""Change a few cells of one worksheet part, streaming, and leave every other byte as it was.

Two passes over the part's bytes, neither of which builds a tree:

1. :func:`plan_cells` lets expat run over the XML and notes, by byte offset,
   where each row and cell the edits touch starts and ends, where a missing
   row or cell belongs (in row and column order), the ``<dimension>`` and the
   ``<sheetData>`` elements. expat reports, for an element's end, the offset of
   its end tag, or, for an empty element (``<c r="A1"/>``), the offset just
   after it; both are used. When every row carries its number (Excel and
   LibreOffice write it), expat is shown only the rows that matter and what
   lies before and after the rows, found by a byte scan: a 100,000-row sheet
   costs little more than a small one. Otherwise the whole sheet is streamed.
2. :func:`apply_plan` copies the bytes through, splicing the new cells in at
   those offsets.

An edited cell keeps only its address and its style (``s``): its old value,
formula and metadata go. A *stale* formula cell (one that depends on an edit)
loses only its saved result: its ``<v>`` and the ``t`` (and ``vm``) that
describe it; its formula and every other attribute stay. Text is written as an
inline string (``t="inlineStr"``), so the shared-strings part stays as it is;
numbers as ``<v>``. New elements
take the namespace prefix of the sheet's own ``<sheetData>``.

:func:`merged_ranges` finds the ``<mergeCell>`` ranges with a plain byte scan
(they follow the cells), so an edit inside a merge can go to its top-left cell.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO
from xml.parsers import expat

from converter.model.cells import column_letter, parse_coordinate, range_bounds
from converter.read.package import SPREADSHEET_NS

MAX_CELL_TEXT = 32_767  # Excel's limit on the characters in one cell
_CHUNK = 1 << 16


class SheetPatchError(ValueError):
    """The sheet can't be patched safely; ``reason`` is a catalogue code, ``cell`` its place."""

    def __init__(self, reason: str, cell: str = "") -> None:
        super().__init__(reason, cell)
        self.reason = reason
        self.cell = cell


@dataclass(frozen=True, slots=True)
class NewValue:
    """What one cell becomes: its value, and a cell whose style it takes when it has none."""

    value: str | int | float
    style_like: tuple[int, int] | None = None


@dataclass
class _CellSeen:
    column: int
    start: int
    end: int  # expat's offset for the element's end (see the module doc)
    style: str | None
    formula: bool = False
    value: bool = False  # has a <v>


@dataclass
class _RowSeen:
    number: int
    start: int
    end: int = -1
    spans: str | None = None
    style: str | None = None  # the row's own style (customFormat): what its empty cells show
    cells: list[_CellSeen] = field(default_factory=list)


@dataclass
class Plan:
    """Where the new cells go; made by :func:`plan_cells`, used by :func:`apply_plan`."""

    prefix: str
    edits: dict[tuple[int, int], NewValue]
    rows: dict[int, _RowSeen] = field(default_factory=dict)
    new_rows_at: dict[int, int] = field(default_factory=dict)  # row → offset to insert it at
    styles: dict[tuple[int, int], str] = field(default_factory=dict)  # style sources found
    sheet_data: tuple[int, int] | None = None  # (start, end) of <sheetData>
    dimension: int | None = None  # offset of <dimension>
    formulas_removed: list[tuple[int, int]] = field(default_factory=list)
    any_row: bool = False  # whether <sheetData> has a row at all
    column_styles: list[tuple[int, int, str]] = field(default_factory=list)  # <col> min, max, s
    stale: frozenset[tuple[int, int]] = frozenset()  # formula cells whose saved result goes
    stale_found: dict[tuple[int, int], _CellSeen] = field(default_factory=dict)  # with a <v>


# expat's name ("uri local") of each element the passes look at, in either namespace;
# one dict look-up per element keeps a large sheet's pass short
_KIND = {
    f"{ns} {local}": local
    for ns in SPREADSHEET_NS
    for local in ("c", "f", "v", "row", "sheetData", "dimension", "col")
}


def _parser() -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    return parser


_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']""")


def _check_encoding(head: bytes) -> None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SheetPatchError("wb_sheet_encoding")
    match = _ENCODING.match(head.removeprefix(b"\xef\xbb\xbf"))
    if match and match.group(1).decode("ascii", "replace").lower().replace("_", "-") not in (
        "utf-8",
        "utf8",
    ):
        raise SheetPatchError("wb_sheet_encoding")


class _Planner:
    """expat callbacks for :func:`plan_cells`."""

    def __init__(
        self, parser: expat.XMLParserType, plan: Plan, style_sources: set[tuple[int, int]]
    ):
        self.parser = parser
        self.plan = plan
        self.style_sources = style_sources
        self.edit_rows = {r for r, _ in plan.edits}
        self.rows_wanted = (
            self.edit_rows | {r for r, _ in style_sources} | {r for r, _ in plan.stale}
        )
        self.pending_rows = sorted(self.edit_rows)  # rows not seen yet
        self.row: _RowSeen | None = None
        self.row_number = 0
        self.column = 0
        self.cell: _CellSeen | None = None
        self.cell_row = 0
        self.last_row = 0
        self.prefix = ""
        self.offsets: _Offsets | None = None  # when expat reads a shortened document
        self.text = b""  # that document

    def _start_at(self) -> int:
        at = self.parser.CurrentByteIndex
        return at if self.offsets is None else self.offsets.start(at)

    def _end_at(self) -> int:
        """expat's offset for an element's end: its end tag's start, or, for an empty element,
        the offset after it, which at the end of a piece belongs to that piece."""
        at = self.parser.CurrentByteIndex
        if self.offsets is None:
            return at
        if self.text[at : at + 2] == b"</":
            return self.offsets.start(at)
        return self.offsets.end(at)

    def namespace(self, prefix: str | None, uri: str) -> None:
        if uri in SPREADSHEET_NS:
            self.prefix = prefix or ""  # any prefix bound to the namespace names its elements

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _KIND.get(name)
        if local is None:
            return
        at = self._start_at()
        if local == "c" and self.row is not None:
            ref = attrs.get("r")
            if ref:
                row, column = parse_coordinate(ref)
                if row != self.row_number:
                    raise SheetPatchError("wb_sheet_unusual", ref)
            else:
                column = self.column + 1
            self.column = column
            self.cell = _CellSeen(column, at, -1, attrs.get("s"))
            self.cell_row = self.row_number
        elif local == "c":
            self.cell = None
        elif local == "v" and self.cell is not None:
            self.cell.value = True
        elif local == "f" and self.cell is not None:
            self.cell.formula = True
            if (self.cell_row, self.cell.column) in self.plan.edits and (
                attrs.get("t") == "array" or (attrs.get("t") == "shared" and attrs.get("ref"))
            ):
                # other cells depend on this formula: overwriting it would break them
                raise SheetPatchError(
                    "wb_cell_shared_formula", _coordinate(self.cell_row, self.cell.column)
                )
        elif local == "row":
            number = attrs.get("r")
            self.row_number = int(float(number)) if number else self.row_number + 1
            if self.row_number <= self.last_row:
                raise SheetPatchError("wb_sheet_unusual", str(self.row_number))
            self.last_row = self.row_number
            self.plan.any_row = True
            self.column = 0
            while self.pending_rows and self.pending_rows[0] < self.row_number:
                self.plan.new_rows_at[self.pending_rows.pop(0)] = at
            if self.pending_rows and self.pending_rows[0] == self.row_number:
                self.pending_rows.pop(0)
            if self.row_number in self.rows_wanted:
                custom = attrs.get("customFormat") in ("1", "true")
                style = attrs.get("s") if custom else None
                self.row = _RowSeen(self.row_number, at, spans=attrs.get("spans"), style=style)
                self.plan.rows[self.row_number] = self.row
            else:
                self.row = None
        elif local == "sheetData":
            self.plan.prefix = self.prefix + ":" if self.prefix else ""
            self.plan.sheet_data = (at, -1)
        elif local == "dimension":
            self.plan.dimension = at
        elif local == "col" and attrs.get("style"):
            try:
                low, high = int(attrs.get("min", "0")), int(attrs.get("max", "0"))
            except ValueError:
                return
            self.plan.column_styles.append((low, high, attrs["style"]))

    def end(self, name: str) -> None:
        local = _KIND.get(name)
        if local is None:
            return
        at = self._end_at()
        if local == "c" and self.cell is not None and self.row is not None:
            self.cell.end = at
            self.row.cells.append(self.cell)
            key = (self.row.number, self.cell.column)
            if key in self.style_sources and self.cell.style:
                self.plan.styles[key] = self.cell.style
            if key in self.plan.edits and self.cell.formula:
                self.plan.formulas_removed.append(key)
            elif key in self.plan.stale and self.cell.formula and self.cell.value:
                self.plan.stale_found[key] = self.cell
            self.cell = None
        elif local == "row" and self.row is not None:
            self.row.end = at
            self.row = None
        elif local == "sheetData" and self.plan.sheet_data is not None:
            self.plan.sheet_data = (self.plan.sheet_data[0], at)
            for row in self.pending_rows:
                self.plan.new_rows_at[row] = at
            self.pending_rows = []


def plan_cells(
    source: IO[bytes],
    edits: Mapping[tuple[int, int], NewValue],
    stale: Collection[tuple[int, int]] = (),
) -> Plan:
    """Pass 1: find where each edit (``(row, column)`` → new value) goes in the sheet XML,
    and the saved results of the ``stale`` formula cells (which lose them).

    A sheet of up to :data:`FAST_LIMIT` bytes whose rows all carry their number
    is read in memory, and expat sees only the rows that matter (:func:`_rows_only`);
    any other is streamed through expat whole.
    """
    head = source.read(512)
    _check_encoding(head)
    plan = Plan(prefix="", edits=dict(edits), stale=frozenset(stale) - edits.keys())
    style_sources = {e.style_like for e in edits.values() if e.style_like is not None}
    parser = _parser()
    planner = _Planner(parser, plan, style_sources)
    parser.StartNamespaceDeclHandler = planner.namespace
    parser.StartElementHandler = planner.start
    parser.EndElementHandler = planner.end
    data = head + source.read(FAST_LIMIT)
    shortened = None
    if len(data) <= FAST_LIMIT:
        shortened = _rows_only(data, planner.rows_wanted)
    if shortened is not None:
        planner.offsets, planner.text = shortened.offsets, shortened.text
        parser.Parse(shortened.text, True)
    else:
        parser.Parse(data, False)
        while chunk := source.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    if plan.sheet_data is None or plan.sheet_data[1] < 0:
        raise SheetPatchError("wb_sheet_unusual")
    return plan


FAST_LIMIT = 64 << 20  # bytes of sheet XML read in memory for the short pass
_ROW_TAG = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)row\b[^>]*>")
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")


@dataclass(frozen=True, slots=True)
class _Offsets:
    """Where each piece of a shortened document stood in the original."""

    starts: list[int]  # offset of each piece in the shortened text
    originals: list[int]  # offset of the same piece in the original

    def start(self, at: int) -> int:
        """The original offset of ``at``, where something starts."""
        i = bisect.bisect_right(self.starts, at) - 1
        return self.originals[i] + at - self.starts[i]

    def end(self, at: int) -> int:
        """The original offset of ``at``, where something ends (a piece's end stays in it)."""
        i = max(bisect.bisect_left(self.starts, at) - 1, 0)
        return self.originals[i] + at - self.starts[i]


@dataclass(frozen=True, slots=True)
class _Shortened:
    text: bytes
    offsets: _Offsets


def _rows_only(data: bytes, rows: Collection[int]) -> _Shortened | None:
    """The sheet XML ``data`` with only the rows an edit needs: each row in ``rows``, and
    the first row after each missing one (where it is inserted); everything before the
    first row and after the last stays. None when that can't be done safely: a row without
    its number, rows out of order, comments, CDATA or processing instructions."""
    if b"<!--" in data or b"<![CDATA[" in data or data.count(b"<?") > 1:
        return None
    tags = list(_ROW_TAG.finditer(data))
    if not tags:
        return None
    numbers = []
    for tag in tags:
        number = _ROW_NUMBER.search(tag.group(0))
        if number is None:
            return None
        numbers.append(int(number.group(1)))
    if any(b <= a for a, b in zip(numbers, numbers[1:], strict=False)):
        return None
    keep: set[int] = set()
    for row in rows:
        i = bisect.bisect_left(numbers, row)
        if i < len(numbers):
            keep.add(i)  # the row itself, or the one it goes before
    last_end = _row_end(data, tags[-1])
    if last_end is None:
        return None
    pieces = [(0, tags[0].start())]
    for i in sorted(keep):
        end = _row_end(data, tags[i])
        if end is None:
            return None
        pieces.append((tags[i].start(), end))
    pieces.append((last_end, len(data)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(pieces):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    starts, originals, parts = [], [], []
    at = 0
    for start, end in merged:
        starts.append(at)
        originals.append(start)
        parts.append(data[start:end])
        at += end - start
    return _Shortened(b"".join(parts), _Offsets(starts, originals))


def _row_end(data: bytes, tag: re.Match[bytes]) -> int | None:
    """Where the row whose start tag is ``tag`` ends (after ``</row>``), or None."""
    if tag.group(0).endswith(b"/>"):
        return tag.end()
    close = data.find(b"</" + tag.group(1) + b"row", tag.end())
    if close < 0:
        return None
    end = data.find(b">", close)
    return None if end < 0 else end + 1


def _refuse(*_args: object) -> int:
    raise SheetPatchError("wb_sheet_unusual")


# --------------------------------------------------------------------------- pass 2


@dataclass(order=True)
class _Op:
    at: int
    order: int  # ties at one offset: in the order planned
    kind: str = field(compare=False)  # "insert", "replace", "tag", "stale"
    payload: bytes = field(compare=False, default=b"")
    end: int = field(compare=False, default=-1)  # "replace": expat's end offset
    rewrite: _TagRewrite | None = field(compare=False, default=None)


@dataclass
class _TagRewrite:
    """How to rewrite a start tag: new attribute values, and content when it was empty."""

    attrs: dict[str, str] = field(default_factory=dict)
    content: bytes = b""  # put inside; an empty element is opened for it
    close: str = ""  # the element's qualified name, to close an opened empty element


def _ops(plan: Plan) -> list[_Op]:
    p = plan.prefix
    ops: list[_Op] = []

    def style_of(key: tuple[int, int], existing: _CellSeen | None) -> str | None:
        """An existing cell keeps its style; a new one takes the one asked for, else the
        style its empty place showed: the row's (when the row has one), else the column's."""
        if existing is not None:
            return existing.style
        like = plan.edits[key].style_like
        if like is not None and like in plan.styles:
            return plan.styles[like]
        row = plan.rows.get(key[0])
        if row is not None and row.style:
            return row.style
        return next((s for low, high, s in plan.column_styles if low <= key[1] <= high), None)

    def new_cell(key: tuple[int, int], existing: _CellSeen | None) -> bytes:
        return cell_xml(p, key[0], key[1], style_of(key, existing), plan.edits[key].value)

    by_row: dict[int, list[int]] = {}
    for row, column in sorted(plan.edits):
        by_row.setdefault(row, []).append(column)
    into_empty = b""  # rows for a <sheetData> without any: it is opened for them
    for row, columns in by_row.items():
        seen = plan.rows.get(row)
        if seen is None:
            cells = b"".join(new_cell((row, c), None) for c in columns)
            xml = f'<{p}row r="{row}">'.encode() + cells + f"</{p}row>".encode()
            if plan.any_row:
                ops.append(_Op(plan.new_rows_at[row], len(ops), "insert", xml))
            else:
                into_empty += xml
            continue
        existing = {c.column: c for c in seen.cells}
        at_end = b""
        for column in columns:
            cell = existing.get(column)
            if cell is not None:
                ops.append(
                    _Op(cell.start, len(ops), "replace", new_cell((row, column), cell), cell.end)
                )
                continue
            following = next((c for c in seen.cells if c.column > column), None)
            if following is not None:
                ops.append(_Op(following.start, len(ops), "insert", new_cell((row, column), None)))
            else:
                at_end += new_cell((row, column), None)
        rewrite = _TagRewrite()
        if seen.spans:
            widened = _widen_spans(seen.spans, columns)
            if widened != seen.spans:
                rewrite.attrs["spans"] = widened
        if at_end and seen.end > seen.start and not seen.cells:
            # <row ...></row> or <row .../>: which one, the tag itself tells in pass 2
            rewrite.content, rewrite.close = at_end, f"{p}row"
        elif at_end:
            ops.append(_Op(seen.end, len(ops), "insert", at_end))
        if rewrite.attrs or rewrite.content:
            ops.append(_Op(seen.start, len(ops), "tag", rewrite=rewrite))
    if into_empty and plan.sheet_data is not None:
        rewrite = _TagRewrite(content=into_empty, close=f"{p}sheetData")
        ops.append(_Op(plan.sheet_data[0], len(ops), "tag", rewrite=rewrite))
    for cell in plan.stale_found.values():
        ops.append(_Op(cell.start, len(ops), "stale", end=cell.end))
    if plan.dimension is not None and plan.edits:
        ops.append(_Op(plan.dimension, len(ops), "tag", rewrite=_TagRewrite({"ref": ""})))
    return sorted(ops)


def _widen_spans(spans: str, columns: list[int]) -> str:
    try:
        bounds = [tuple(int(x) for x in part.split(":")) for part in spans.split()]
        low = min(b[0] for b in bounds)
        high = max(b[-1] for b in bounds)
    except (ValueError, IndexError):
        return spans
    low, high = min(low, *columns), max(high, *columns)
    return spans if len(bounds) == 1 and (low, high) == bounds[0] else f"{low}:{high}"


class _Stream:
    """The source bytes with a position: copy or skip up to an offset, take one tag."""

    def __init__(self, source: IO[bytes], sink: IO[bytes]) -> None:
        self.source = source
        self.sink = sink
        self.buffer = b""
        self.offset = 0  # absolute offset of buffer[0]

    def _fill(self) -> bool:
        chunk = self.source.read(_CHUNK)
        if not chunk:
            return False
        self.buffer += chunk
        return True

    def copy_to(self, at: int, write: bool = True) -> None:
        while self.offset + len(self.buffer) < at:
            if write:
                self.sink.write(self.buffer)
            self.offset += len(self.buffer)
            self.buffer = b""
            if not self._fill():
                raise SheetPatchError("wb_sheet_unusual")
        cut = at - self.offset
        if write:
            self.sink.write(self.buffer[:cut])
        self.buffer = self.buffer[cut:]
        self.offset = at

    def take_to(self, at: int) -> bytes:
        """The bytes from here up to offset ``at``, consumed."""
        taken: list[bytes] = []
        while self.offset + len(self.buffer) < at:
            taken.append(self.buffer)
            self.offset += len(self.buffer)
            self.buffer = b""
            if not self._fill():
                raise SheetPatchError("wb_sheet_unusual")
        cut = at - self.offset
        taken.append(self.buffer[:cut])
        self.buffer = self.buffer[cut:]
        self.offset = at
        return b"".join(taken)

    def take_tag(self) -> bytes:
        """The tag starting here, up to and including its ``>`` (quotes respected)."""
        quote = 0
        i = 0
        while True:
            while i < len(self.buffer):
                byte = self.buffer[i]
                if quote:
                    if byte == quote:
                        quote = 0
                elif byte in (0x22, 0x27):
                    quote = byte
                elif byte == 0x3E:  # ">"
                    tag = self.buffer[: i + 1]
                    self.buffer = self.buffer[i + 1 :]
                    self.offset += i + 1
                    return tag
                i += 1
            if not self._fill():
                raise SheetPatchError("wb_sheet_unusual")

    def rest(self) -> None:
        self.sink.write(self.buffer)
        self.buffer = b""
        while chunk := self.source.read(_CHUNK):
            self.sink.write(chunk)


_ATTR = r"""(\s{name}\s*=\s*)(["'])(.*?)\2"""


def set_attribute(tag: bytes, name: str, value: str) -> bytes:
    """The start tag ``tag`` with attribute ``name`` set to ``value`` (added when missing)."""
    pattern = re.compile(_ATTR.format(name=re.escape(name)).encode(), re.DOTALL)
    new = escape_attribute(value).encode()
    if pattern.search(tag):
        return pattern.sub(lambda m: m.group(1) + m.group(2) + new + m.group(2), tag, count=1)
    end = len(tag) - (2 if tag.endswith(b"/>") else 1)
    return tag[:end].rstrip() + f' {name}="'.encode() + new + b'"' + tag[end:]


def _attribute(tag: bytes, name: str) -> str | None:
    match = re.search(_ATTR.format(name=re.escape(name)).encode(), tag, re.DOTALL)
    return match.group(3).decode() if match else None


def apply_plan(source: IO[bytes], plan: Plan, sink: IO[bytes]) -> None:
    """Pass 2: copy ``source`` (the same bytes :func:`plan_cells` read) into ``sink``, patched."""
    stream = _Stream(source, sink)
    for op in _ops(plan):
        stream.copy_to(op.at)
        if op.kind == "insert":
            sink.write(op.payload)
        elif op.kind == "replace":
            tag = stream.take_tag()
            if not tag.endswith(b"/>"):
                stream.copy_to(op.end, write=False)
                stream.take_tag()  # the end tag
            sink.write(op.payload)
        elif op.kind == "stale":
            tag = stream.take_tag()
            content = stream.take_to(op.end)
            sink.write(_without_attributes(tag, ("t", "vm")) + _VALUE.sub(b"", content))
        else:
            assert op.rewrite is not None
            tag = stream.take_tag()
            sink.write(_rewritten(tag, op.rewrite, plan))
    stream.rest()


# a cell's saved result: <v>…</v> (or an empty <v/>)
_VALUE = re.compile(rb"<(?P<p>(?:[\w.-]+:)?)v\b[^>]*?(?:/>|>[^<]*</(?P=p)v\s*>)")


def _without_attributes(tag: bytes, names: Collection[str]) -> bytes:
    """A start tag without the attributes ``names`` (those describing the saved result)."""
    for name in names:
        tag = re.sub(_ATTR.format(name=re.escape(name)).encode(), b"", tag, count=1, flags=re.S)
    return tag


def _rewritten(tag: bytes, rewrite: _TagRewrite, plan: Plan) -> bytes:
    for name, value in rewrite.attrs.items():
        if name == "ref":  # <dimension>: the used range, widened to the edits
            value = _widened_dimension(_attribute(tag, "ref"), plan.edits)
        tag = set_attribute(tag, name, value)
    if not rewrite.content:
        return tag
    if tag.endswith(b"/>"):
        return tag[:-2].rstrip() + b">" + rewrite.content + f"</{rewrite.close}>".encode()
    return tag + rewrite.content


def _widened_dimension(ref: str | None, edits: Mapping[tuple[int, int], NewValue]) -> str:
    rows = [r for r, _ in edits]
    columns = [c for _, c in edits]
    low_row, high_row, low_col, high_col = min(rows), max(rows), min(columns), max(columns)
    if ref:
        try:
            min_col, min_row, max_col, max_row = range_bounds(ref.split()[0])
        except (ValueError, TypeError):
            min_col = min_row = max_col = max_row = None
        if min_col and min_row:
            low_row, low_col = min(low_row, min_row), min(low_col, min_col)
            high_row = max(high_row, max_row or min_row)
            high_col = max(high_col, max_col or min_col)
    first = _coordinate(low_row, low_col)
    last = _coordinate(high_row, high_col)
    return first if first == last else f"{first}:{last}"


def check_structure(source: IO[bytes], rows: Collection[int] = ()) -> None:
    """:class:`SheetPatchError` unless every cell is in a row and every row in ``<sheetData>``.

    With ``rows`` (those an edit touched), only they and what surrounds the rows are
    looked at, where :func:`_rows_only` can shorten the sheet: every other byte is the
    original's, which the reader parses whole anyway.
    """
    state = {"sheetData": 0, "row": 0}

    def start(name: str, _attrs: dict[str, str]) -> None:
        local = _KIND.get(name)
        if local == "c" and not state["row"]:
            raise SheetPatchError("wb_sheet_unusual", "c")
        if local == "row" and (state["row"] or not state["sheetData"]):
            raise SheetPatchError("wb_sheet_unusual", "row")
        if local in state:
            state[local] += 1

    def end(name: str) -> None:
        local = _KIND.get(name)
        if local in state:
            state[local] -= 1

    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    data = source.read(FAST_LIMIT + 1)
    shortened = _rows_only(data, rows) if rows and len(data) <= FAST_LIMIT else None
    if shortened is not None:
        parser.Parse(shortened.text, True)
        return
    parser.Parse(data, False)
    while chunk := source.read(_CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


# --------------------------------------------------------------------------- cells


def _coordinate(row: int, column: int) -> str:
    return f"{column_letter(column)}{row}"


# the control characters no cell can hold (openpyxl's ILLEGAL_CHARACTERS_RE): openpyxl
# itself is not imported on the upload path, where loading it cost a third of the run
_ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def clean_text(text: str) -> str:
    """``text`` as a cell can hold it: no control characters, at most Excel's length."""
    return _ILLEGAL_CHARACTERS.sub("", text)[:MAX_CELL_TEXT]


def escape_text(text: str) -> str:
    """``text`` for XML character data (a carriage return kept as one)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def escape_attribute(text: str) -> str:
    """``text`` for a double-quoted XML attribute."""
    return escape_text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def cell_xml(
    prefix: str, row: int, column: int, style: str | None, value: str | int | float
) -> bytes:
    """One ``<c>``: text as an inline string, a number as ``<v>``, with style ``style``."""
    p = prefix
    style_attr = f' s="{escape_attribute(style)}"' if style else ""
    ref = _coordinate(row, column)
    if isinstance(value, str):
        text = escape_text(clean_text(value))
        return (
            f'<{p}c r="{ref}"{style_attr} t="inlineStr"><{p}is>'
            f'<{p}t xml:space="preserve">{text}</{p}t></{p}is></{p}c>'
        ).encode()
    if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        raise TypeError(f"{value!r} is not a cell number")
    return f'<{p}c r="{ref}"{style_attr}><{p}v>{value!r}</{p}v></{p}c>'.encode()


# --------------------------------------------------------------------------- merged ranges

_MERGE = re.compile(rb"""<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref\s*=\s*["']([^"']+)["']""")


def merged_ranges(source: IO[bytes]) -> list[tuple[int, int, int, int]]:
    """Every merged range of the sheet as (min_row, min_col, max_row, max_col), by a byte scan."""
    found: list[tuple[int, int, int, int]] = []
    for ref in _scan(source, _MERGE, b"mergeCell"):
        try:
            min_col, min_row, max_col, max_row = range_bounds(ref.decode("ascii"))
        except (ValueError, TypeError, UnicodeDecodeError):
            continue
        if None not in (min_col, min_row, max_col, max_row):
            assert min_col and min_row and max_col and max_row
            found.append((min_row, min_col, max_row, max_col))
    return found


def _scan(source: IO[bytes], pattern: re.Pattern[bytes], marker: bytes) -> Iterator[bytes]:
    tail = b""
    while chunk := source.read(_CHUNK * 16):
        window = tail + chunk
        last = 0
        if marker in window:
            for match in pattern.finditer(window):
                if match.end() == len(window):
                    break
                yield match.group(1)
                last = match.end()
        tail = window[max(last, len(window) - 512) :]
    for match in pattern.finditer(tail):
        yield match.group(1)
