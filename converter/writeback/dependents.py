"""Which formulas depend on the cells a patch writes: their saved results go stale.

The write-back keeps every formula's saved result (``<v>``), so after it writes
prices into a workbook last saved by Excel or LibreOffice, the sums would still
show the old results. LibreOffice recomputes, on opening, a formula that has no
saved result; Excel recomputes everything when the workbook part's ``calcPr``
says ``fullCalcOnLoad``. :func:`find_dependents` tells the patch which formula
cells lose their saved result (and nothing else does), and whether the workbook
must be recalculated when opened.

A formula depends on a cell when one of its references covers it: a cell or a
range on its own sheet (``D12``, ``$D$12:D40``, ``A:A``, ``12:12``, with or
without its own sheet's name) or on another sheet by name (``Offert!I40``,
``'Offert (2)'!I40``, ``Blad1:Blad3!B2``), or covers a formula that does
(transitively: a total summing the Summa cells). A shared formula's cells each
get the master's references shifted by their distance from it. Text in quotes,
function names, numbers and error literals are not references.

Some references can't be followed: ``INDIRECT`` and ``OFFSET`` compute theirs,
a defined name, a table reference or an array spread over several cells may or
may not cover a written cell, and a reference to another workbook can't be
read. A formula with such a reference keeps its saved result, and the workbook
is marked to be recalculated when opened (``undecided``), so Excel shows fresh
results and the project's reader still has a value to read.

The sheet parts are scanned with regular expressions, not parsed: a sheet
without a formula costs one byte search, one with formulas one pass in C.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from converter.model.cells import column_index, parse_coordinate
from converter.read.package import Package

__all__ = ["Dependents", "Reference", "find_dependents", "references"]

MAX_ROW = 1_048_576
MAX_COLUMN = 16_384
_UNFOLLOWABLE = frozenset({"INDIRECT", "OFFSET"})  # the reference is computed


@dataclass(frozen=True, slots=True)
class Reference:
    """One reference of a formula: an area of a sheet (``None``: the formula's own).

    ``absolute`` says which of (first row, first column, last row, last column)
    carry a ``$`` (they don't move when a shared formula is shifted); a whole
    column's rows and a whole row's columns count as absolute.
    """

    sheets: tuple[str, ...] | None  # casefolded sheet names; None: the formula's sheet
    min_row: int
    min_col: int
    max_row: int
    max_col: int
    absolute: tuple[bool, bool, bool, bool] = (True, True, True, True)

    def shifted(self, rows: int, columns: int) -> Reference:
        """This reference in a cell ``rows`` down and ``columns`` right of the formula's."""
        ar1, ac1, ar2, ac2 = self.absolute
        return Reference(
            self.sheets,
            self.min_row if ar1 else self.min_row + rows,
            self.min_col if ac1 else self.min_col + columns,
            self.max_row if ar2 else self.max_row + rows,
            self.max_col if ac2 else self.max_col + columns,
            self.absolute,
        )


@dataclass(frozen=True, slots=True)
class Parsed:
    """What a formula's text refers to."""

    references: tuple[Reference, ...] = ()
    names: tuple[tuple[str | None, str], ...] = ()  # (casefolded sheet or None, casefolded name)
    unfollowable: bool = False  # INDIRECT, OFFSET, a table, unreadable
    books: tuple[str, ...] = ()  # other workbooks referred to: "1" of [1]Blad1!A1


# one token at a time: a string, a (sheet-qualified) reference, a name or function, a number
_TOKEN = re.compile(
    r"""
    (?P<string>"(?:[^"]|"")*"?)
  | (?P<error>\#[A-Za-z0-9/]+[!?]?)
  | (?:(?P<sheet>'(?:[^']|'')+'|\[[^\]]*\][^\s!'"(),;=<>+\-*/^&%{}]+|[\w.]+(?::[\w.]+)?)!)?
    (?:
        (?P<area>\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)(?![\w.(\[!])
      | (?P<rows>\$?\d+:\$?\d+)(?![\w.(])
      | (?P<columns>\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3})(?![\w.(\[!])
      | (?P<name>(?:[^\W\d]|\\)[\w.?\\]*)(?P<call>\()?(?P<table>\[)?
      | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
    )
    """,
    re.VERBOSE,
)
_CELL = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)(\d+)")


def references(formula: str) -> Parsed:
    """The references, defined names and unfollowable parts of ``formula`` (``=`` optional)."""
    found: list[Reference] = []
    names: list[tuple[str | None, str]] = []
    books: list[str] = []
    unfollowable = False
    for match in _TOKEN.finditer(formula):
        if match.group("string") is not None or match.group("error") is not None:
            continue
        if match.group("number") is not None and match.group("sheet") is None:
            continue
        sheet_text = match.group("sheet")
        sheets: tuple[str, ...] | None = None
        if sheet_text is not None:
            sheets = _sheet_names(sheet_text)
            if not sheets:
                book = re.search(r"\[([^\]]*)\]", sheet_text)
                books.append(book.group(1) if book else "")  # another workbook ([1]Blad1!A1)
                continue
        if match.group("area") is not None:
            reference = _area(sheets, match.group("area"))
        elif match.group("rows") is not None:
            reference = _rows(sheets, match.group("rows"))
        elif match.group("columns") is not None:
            reference = _columns(sheets, match.group("columns"))
        elif match.group("name") is not None:
            name = match.group("name")
            bare = name.upper().removeprefix("_XLFN.").removeprefix("_XLWS.")
            if match.group("call"):
                unfollowable |= bare in _UNFOLLOWABLE
            elif match.group("table"):
                unfollowable = True  # Tabell1[Pris]: a table's cells
            elif bare not in ("TRUE", "FALSE"):
                names.append((None if sheets is None else sheets[0], name.casefold()))
            continue
        else:
            unfollowable = True  # Blad1!123: nothing we know
            continue
        if reference is None:  # A0, ZZZ1: a name, not a cell
            text = match.group(0).split("!")[-1]
            names.append((None if sheets is None else sheets[0], text.casefold()))
        else:
            found.append(reference)
    return Parsed(tuple(found), tuple(names), unfollowable, tuple(books))


def _sheet_names(text: str) -> tuple[str, ...]:
    """The sheet (or sheets, ``Blad1:Blad3``) a prefix names; () for another workbook."""
    if text.startswith("'"):
        text = text[1:-1].replace("''", "'")
    if "[" in text or "]" in text:
        return ()
    first, _, last = text.partition(":")
    return (first.casefold(),) if not last else (first.casefold(), last.casefold())


@functools.lru_cache(maxsize=4096)
def _column(letters: str) -> int:
    """The column number of ``letters`` (any case); 0 when it is past the last column."""
    try:
        number = column_index(letters)
    except ValueError:
        return 0
    return number if number <= MAX_COLUMN else 0


def _area(sheets: tuple[str, ...] | None, text: str) -> Reference | None:
    first, _, last = text.partition(":")
    a = _CELL.fullmatch(first)
    b = _CELL.fullmatch(last) if last else a
    if a is None or b is None:
        return None
    r1, c1, r2, c2 = int(a.group(4)), _column(a.group(2)), int(b.group(4)), _column(b.group(2))
    if not (1 <= r1 <= MAX_ROW and 1 <= r2 <= MAX_ROW and c1 and c2):
        return None
    ar1, ac1, ar2, ac2 = bool(a.group(3)), bool(a.group(1)), bool(b.group(3)), bool(b.group(1))
    if r1 > r2:  # B12:A1 is A1:B12
        r1, r2, ar1, ar2 = r2, r1, ar2, ar1
    if c1 > c2:
        c1, c2, ac1, ac2 = c2, c1, ac2, ac1
    return Reference(sheets, r1, c1, r2, c2, (ar1, ac1, ar2, ac2))


def _rows(sheets: tuple[str, ...] | None, text: str) -> Reference | None:
    first, last = text.split(":")
    r1, r2 = int(first.lstrip("$")), int(last.lstrip("$"))
    if not (1 <= r1 <= MAX_ROW and 1 <= r2 <= MAX_ROW):
        return None
    a1, a2 = first.startswith("$"), last.startswith("$")
    if r1 > r2:
        r1, r2, a1, a2 = r2, r1, a2, a1
    return Reference(sheets, r1, 1, r2, MAX_COLUMN, (a1, True, a2, True))


def _columns(sheets: tuple[str, ...] | None, text: str) -> Reference | None:
    first, last = text.split(":")
    c1, c2 = _column(first.lstrip("$")), _column(last.lstrip("$"))
    if not (c1 and c2):
        return None
    a1, a2 = first.startswith("$"), last.startswith("$")
    if c1 > c2:
        c1, c2, a1, a2 = c2, c1, a2, a1
    return Reference(sheets, 1, c1, MAX_ROW, c2, (True, a1, True, a2))


# --------------------------------------------------------------------------- the workbook


@dataclass(frozen=True, slots=True)
class Dependents:
    """What a patch must do so that formulas show fresh results.

    ``cells``: per sheet name, the formula cells (row, column) whose saved result
    goes stale. ``recalculate``: whether the workbook must be recalculated when
    opened (a dependent formula exists, or a dependency could not be decided).
    """

    cells: dict[str, frozenset[tuple[int, int]]] = field(default_factory=dict)
    undecided: bool = False

    @property
    def recalculate(self) -> bool:
        return self.undecided or any(self.cells.values())


@dataclass(slots=True)
class _Formula:
    sheet: str  # as the workbook names it
    row: int
    column: int
    parsed: Parsed
    spread: bool = False  # an array formula over several cells


# a cell's start tag followed by its formula (a cell's first child is its <f>)
_FORMULA_CELL = re.compile(
    rb"<(?:[\w.-]+:)?c\b(?P<attrs>[^>]*)>\s*<(?:[\w.-]+:)?f\b(?P<fattrs>[^>]*?)"
    rb"(?:/>|>(?P<text>[^<]*)</(?:[\w.-]+:)?f\s*>)"
)
_ATTR = rb"""\s%s\s*=\s*["']([^"']*)["']"""
_R, _T, _SI, _REF = (re.compile(_ATTR % name) for name in (b"r", b"t", b"si", b"ref"))
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_F_TAG = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")


def find_dependents(
    package: Package, edited: Mapping[str, Collection[tuple[int, int]]], file_name: str = ""
) -> Dependents:
    """The formula cells of the workbook that depend on the ``edited`` cells (sheet → cells).

    ``file_name`` is the workbook's own: a reference to another workbook of that
    name may be one to this workbook (saved under its name elsewhere).
    """
    names = _defined_names(package)
    ours = _own_books(package, file_name)
    formulas: list[_Formula] = []
    undecided = False
    for entry in package.worksheets():
        if entry.part is None:
            continue
        found, unreadable = _sheet_formulas(entry.name, package.read(entry.part))
        formulas.extend(found)
        undecided |= unreadable
    order = [s.name.casefold() for s in package.worksheets()]
    edited_cells = {(s.casefold(), r, c) for s, cells in edited.items() for r, c in cells}
    # who refers to what: single cells by address, areas by sheet
    at_cell: dict[tuple[str, int, int], list[int]] = {}
    in_area: dict[str, list[tuple[int, int, int, int, int]]] = {}
    for index, formula in enumerate(formulas):
        own = formula.sheet.casefold()
        for ref in formula.parsed.references:
            for sheet in _sheets_of(ref, own, order):
                if ref.min_row == ref.max_row and ref.min_col == ref.max_col:
                    at_cell.setdefault((sheet, ref.min_row, ref.min_col), []).append(index)
                else:
                    area = (ref.min_row, ref.min_col, ref.max_row, ref.max_col, index)
                    in_area.setdefault(sheet, []).append(area)
    work = sorted(edited_cells)
    reached = set(work)  # the written cells and every dependent: what is no longer as saved
    hit: set[int] = set()
    while work:
        sheet, row, column = work.pop()
        hits = list(at_cell.get((sheet, row, column), ()))
        hits += [
            i
            for r1, c1, r2, c2, i in in_area.get(sheet, ())
            if r1 <= row <= r2 and c1 <= column <= c2
        ]
        for index in hits:
            formula = formulas[index]
            key = (formula.sheet.casefold(), formula.row, formula.column)
            if index in hit or key in edited_cells:
                continue
            hit.add(index)
            if formula.spread:
                undecided = True  # an array over several cells: its results stay, Excel recomputes
                continue
            if key not in reached:
                reached.add(key)
                work.append(key)
    dirty: dict[str, list[tuple[int, int]]] = {}
    for sheet, row, column in sorted(reached):
        dirty.setdefault(sheet, []).append((row, column))
    dependents: dict[str, set[tuple[int, int]]] = {}
    for index, formula in enumerate(formulas):
        if index in hit:
            if not formula.spread:
                dependents.setdefault(formula.sheet, set()).add((formula.row, formula.column))
            continue
        parsed = formula.parsed
        if parsed.unfollowable or any(b in ours for b in parsed.books):
            undecided = True
        elif parsed.names and any(
            _covers(dirty, order, formula.sheet.casefold(), ref)
            for name in parsed.names
            for ref in names.get(name[1], ())
        ):
            undecided = True  # a defined name covering a written cell
    return Dependents({s: frozenset(c) for s, c in dependents.items()}, undecided)


def _sheets_of(ref: Reference, own: str, order: list[str]) -> Iterable[str]:
    """The sheets (casefolded) ``ref`` of a formula on sheet ``own`` refers to."""
    if ref.sheets is None:
        return (own,)
    if len(ref.sheets) == 2:
        try:
            a, b = sorted((order.index(ref.sheets[0]), order.index(ref.sheets[1])))
        except ValueError:
            return ()  # a sheet that isn't there: #REF!
        return order[a : b + 1]
    return ref.sheets


def _own_books(package: Package, file_name: str) -> set[str]:
    """The numbers ([1], [2], …) of the linked workbooks that may be this one: those
    with the same file name, or whose link can't be followed."""
    own = file_name.casefold()
    refs = [e for e in package.workbook.iter() if e.tag.rsplit("}", 1)[-1] == "externalReference"]
    rels = package.relationships(package.workbook_part)
    found: set[str] = {"", "0"}  # [0] is the workbook itself
    for number, element in enumerate(refs, 1):
        rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
        rel = rels.get(rid)
        targets = (
            []
            if rel is None or rel.external
            else [r.target for r in package.relationships(rel.target).values() if r.external]
        )
        names = {re.split(r"[/\\]", t.replace("%20", " "))[-1].casefold() for t in targets}
        if not names or own in names:
            found.add(str(number))
    return found


def _covers(
    dirty: Mapping[str, list[tuple[int, int]]], order: list[str], own: str, ref: Reference
) -> bool:
    """Whether ``ref`` (of a formula on sheet ``own``) covers one of the ``dirty`` cells."""
    for sheet in _sheets_of(ref, own, order):
        points = dirty.get(sheet)
        if not points:
            continue
        i = bisect.bisect_left(points, (ref.min_row, 0))
        while i < len(points) and points[i][0] <= ref.max_row:
            if ref.min_col <= points[i][1] <= ref.max_col:
                return True
            i += 1
    return False


def _sheet_formulas(sheet: str, xml: bytes) -> tuple[list[_Formula], bool]:
    """Every formula cell of one sheet part, and whether some could not be read."""
    if not _F_TAG.search(xml):
        return [], False
    if b"<![CDATA[" in xml:
        return [], True
    if b"<!--" in xml:
        xml = _COMMENT.sub(b"", xml)
    found: list[_Formula] = []
    unreadable = False
    masters: dict[bytes, tuple[int, int, Parsed]] = {}
    children: list[tuple[bytes, int, int]] = []
    for match in _FORMULA_CELL.finditer(xml):
        ref = _R.search(match.group("attrs"))
        if ref is None:
            unreadable = True  # a cell without its address: where it is, we'd have to count
            continue
        try:
            row, column = parse_coordinate(ref.group(1).decode("ascii"))
        except (ValueError, UnicodeDecodeError):
            unreadable = True
            continue
        fattrs = match.group("fattrs")
        kind = _T.search(fattrs)
        kind_text = kind.group(1) if kind else b"normal"
        if kind_text not in (b"normal", b"shared", b"array"):
            unreadable = True  # a data table: its inputs are elsewhere
            continue
        text = match.group("text")
        if kind_text == b"shared":
            si = _SI.search(fattrs)
            if si is None:
                unreadable = True
                continue
            if text is None or not text.strip():
                children.append((si.group(1), row, column))
                continue
            parsed = references(html.unescape(text.decode("utf-8")))
            masters[si.group(1)] = (row, column, parsed)
            found.append(_Formula(sheet, row, column, parsed))
            continue
        if text is None:
            continue
        parsed = references(html.unescape(text.decode("utf-8")))
        spread = False
        if kind_text == b"array":
            area = _REF.search(fattrs)
            if area is not None and b":" in area.group(1):
                a, _, b = area.group(1).partition(b":")
                spread = a != b  # several cells hold its results: they can't lose them one by one
        found.append(_Formula(sheet, row, column, parsed, spread))
    for group, row, column in children:
        master = masters.get(group)
        if master is None:
            unreadable = True
            continue
        m_row, m_col, parsed = master
        shifted = tuple(r.shifted(row - m_row, column - m_col) for r in parsed.references)
        found.append(
            _Formula(sheet, row, column, Parsed(shifted, parsed.names, parsed.unfollowable))
        )
    return found, unreadable


def _defined_names(package: Package) -> dict[str, tuple[Reference, ...]]:
    """Each defined name (casefolded, any scope) → every area its definition refers to.

    A definition that computes its area, or one with relative references, is
    taken as its sheets' every cell: it may cover a written cell.
    """
    found: dict[str, list[Reference]] = {}
    for element in package.workbook.iter():
        if element.tag.rsplit("}", 1)[-1] != "definedName":
            continue
        name = (element.get("name") or "").casefold()
        parsed = references(element.text or "")
        areas = found.setdefault(name, [])
        whole = parsed.unfollowable or bool(parsed.names)
        for ref in parsed.references:
            if whole or not all(ref.absolute) or ref.sheets is None:
                areas.append(Reference(ref.sheets, 1, 1, MAX_ROW, MAX_COLUMN))
            else:
                areas.append(ref)
        if whole and not parsed.references:
            areas.append(Reference(None, 1, 1, MAX_ROW, MAX_COLUMN))
    return {name: tuple(areas) for name, areas in found.items()}
