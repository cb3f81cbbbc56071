"""The one lossless way to change a workbook: patch its package, copy everything else.

A workbook is a zip of parts. :func:`patch_workbook` changes only

* the worksheet parts of the sheets with edits, streamed through
  :mod:`converter.writeback.sheet_patch` (only the edited cells change), and
* when ``records`` is given, the custom document properties part that holds
  the upload records (:mod:`converter.model.records` encodes them), plus the
  package's content types and root relationships when that part is new,
* when an edited cell held a formula, that cell's entry in the
  calculation chain (Excel reports a chain entry without a formula as damage),
* and, when formulas depend on the edited cells
  (:mod:`converter.writeback.dependents`), their saved results (so that
  LibreOffice recomputes them on opening; they may be on other sheets) and the
  workbook part's ``calcPr``, which gets ``fullCalcOnLoad="1"`` (so that Excel
  recomputes everything). A workbook nothing depends on keeps its workbook part.

Every other entry of the zip is copied as it is, compressed bytes included,
in the same order under the same name: drawings, pictures, charts, comments,
styles, shared strings, macros, custom XML, and parts this tool has never
heard of.

The safety around the change:

* nothing is written when the file changed on disk since ``stamp`` (the bytes
  read are compared with those the stamp was taken of, or hashed);
* a backup of the original is made first (a hard link where it can be, checked
  to hold the bytes read; the backups are kept bounded);
* the new package is written straight into a temporary file beside the
  workbook (the pictures are never copied in memory) and checked there before
  it replaces the file: every entry not meant to change is identical as stored,
  and the project's own reader, reading the changed sheets from the temporary
  file, finds the written cells and records, and each dependent formula still
  there without its saved result;
* right before the temporary file replaces the workbook (atomically), the
  workbook is checked not to have been saved or replaced meanwhile.

What the reader found in the changed sheets is handed on
(:meth:`Patched.applied_to`), so that the next write-back of the same upload
needn't read the workbook again.

OS errors are translated here, once, into :class:`~converter.errors.WritebackError`.
"""

from __future__ import annotations

import copy
import hashlib
import io
import os
import re
import struct
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from converter.errors import WorkbookError, WritebackError, foreign_reason
from converter.fileio import holds_at, write_atomically
from converter.model.cells import column_letter, parse_coordinate, range_bounds
from converter.model.records import (
    RECORDS_SHEET,
    FileStamp,
    RecordsDamaged,
    UploadRecord,
    decode_properties,
    encode_properties,
    is_record_property,
    records_from_rows,
)
from converter.read.package import (
    CONTENT_TYPES_PART,
    ROOT_RELS_PART,
    Package,
    PackageError,
)
from converter.read.xlsx import SheetData, WorkbookData, read_sheets
from converter.writeback.backup import DISK_FULL, make_backup, prune_backups
from converter.writeback.dependents import Dependents, find_dependents
from converter.writeback.sheet_patch import (
    NewValue,
    Plan,
    SheetPatchError,
    apply_plan,
    check_structure,
    clean_text,
    escape_attribute,
    escape_text,
    merged_ranges,
    plan_cells,
    set_attribute,
)

__all__ = ["CellEdit", "patch_workbook", "read_records"]

_CUSTOM_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "http://purl.oclc.org/ooxml/officeDocument/customProperties",
)
_VT_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
)
_CUSTOM_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/customProperties",
)
_CUSTOM_REL_TYPES = ("custom-properties", "customProperties")  # last segments
_CUSTOM_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # what Excel and LibreOffice write
_BROKEN_PACKAGE = (
    zipfile.BadZipFile,
    PackageError,
    KeyError,
    ParseError,
    DefusedXmlException,
    ValueError,
    EOFError,
    NotImplementedError,
    RuntimeError,
)


@dataclass(frozen=True, slots=True)
class CellEdit:
    """One cell to write: text becomes an inline string, a number a number.

    The cell keeps its style; a cell with none takes the style of the cell at
    ``style_like`` (row, column) on the same sheet, if given. An edit inside a
    merged range goes to the range's top-left cell, the one Excel shows.
    """

    sheet: str  # sheet name as the user sees it
    row: int  # 1-based
    column: int  # 1-based
    value: str | int | float
    style_like: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Patched:
    """What :func:`apply_patch` did: the file's new stamp, its backup (None: unchanged),
    and the sheets it changed as the verifying read found them in the new file."""

    stamp: FileStamp
    backup: Path | None
    sheets: dict[str, SheetData] = field(default_factory=dict)

    def applied_to(self, workbook: WorkbookData) -> WorkbookData:
        """``workbook`` (what was read before the patch) as the file now reads.

        Only the changed sheets differ, and every other part is the same bytes, so
        this is what reading the whole file again would give.
        """
        sheets = [self.sheets.get(sheet.name, sheet) for sheet in workbook.sheets]
        return WorkbookData(path=workbook.path, stamp=self.stamp, sheets=sheets)


def patch_workbook(
    path: Path,
    stamp: FileStamp,
    edits: Sequence[CellEdit],
    records: Sequence[UploadRecord] | None,
    backup_dir: Path,
) -> FileStamp:
    """Write ``edits`` and (when not None) the workbook's whole record list; return the new stamp.

    Raises :class:`WritebackError` when the file changed since ``stamp``, is
    locked or read-only, or can't be patched safely; the file is then as it was.
    """
    return apply_patch(path, stamp, edits, records, backup_dir).stamp


def apply_patch(
    path: Path,
    stamp: FileStamp,
    edits: Sequence[CellEdit],
    records: Sequence[UploadRecord] | None,
    backup_dir: Path,
    original: bytes | None = None,
    stamped: bytes | None = None,
) -> Patched:
    """:func:`patch_workbook`, also telling where the backup went and what the changed
    sheets now hold. ``original``, when given, is the file's bytes as just read; they
    are checked against ``stamp``, or compared with ``stamped``, the bytes ``stamp``
    was taken of, when those are at hand."""
    try:
        return _apply(path, stamp, edits, records, backup_dir, original, stamped)
    except WritebackError:
        raise
    except PermissionError as exc:
        raise WritebackError("wb_locked", file=path.name) from exc
    except OSError as exc:
        raise os_error(path, exc, "wb_cannot_save") from exc


def _apply(
    path: Path,
    stamp: FileStamp,
    edits: Sequence[CellEdit],
    records: Sequence[UploadRecord] | None,
    backup_dir: Path,
    original: bytes | None,
    stamped: bytes | None,
) -> Patched:
    if original is None:
        original = path.read_bytes()
    if stamped is None:
        check_unchanged(path, original, stamp)
    elif original != stamped:
        raise WritebackError("wb_changed", file=path.name)
    with _opened(path, original) as archive:
        new = _new_package(path, archive, edits, records)
        if new is None:
            return Patched(stamp, None)  # the workbook already says all of it
        if not os.access(path, os.W_OK):
            # os.replace would happily swap out a read-only file on POSIX; Windows and
            # the user both expect read-only to mean "don't write".
            raise PermissionError(13, "read-only file", str(path))
        seen = os.stat(path)
        # the backup also proves the file still holds the bytes read (see make_backup)
        backup = make_backup(path, original, backup_dir)
        found: list[tuple[str, dict[str, SheetData]]] = []  # what the verifying read found

        def check(tmp: Path) -> None:
            found.append(_verify(path, tmp, archive, original, new, edits, records))
            if _moved_on(path, seen):  # again, right before the replace
                raise WritebackError("wb_changed", file=path.name)

        try:
            write_atomically(
                path, lambda sink: _write_package(archive, original, new, sink), check=check
            )
        except BaseException:
            # The original is untouched, so this backup is only clutter.
            backup.unlink(missing_ok=True)
            raise
    prune_backups(path, backup_dir, keep=backup)
    st = path.stat()
    sha256, sheets = found[0]
    return Patched(FileStamp(st.st_size, st.st_mtime_ns, sha256), backup, sheets)


def check_unchanged(path: Path, data: bytes, stamp: FileStamp) -> None:
    """:class:`WritebackError` unless ``data`` (the file's bytes now) is what ``stamp`` saw."""
    if hashlib.sha256(data).hexdigest() != stamp.sha256:
        raise WritebackError("wb_changed", file=path.name)


def _moved_on(path: Path, seen: os.stat_result) -> bool:
    """Has ``path`` been replaced or written to since ``seen`` was taken?"""
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return True
    return (now.st_ino, now.st_size, now.st_mtime_ns) != (
        seen.st_ino,
        seen.st_size,
        seen.st_mtime_ns,
    )


def os_error(path: Path, exc: OSError, code: str) -> WritebackError:
    """``code`` with the system's reason, or the disk-full message that says what to do."""
    if exc.errno in DISK_FULL:
        return WritebackError("wb_disk_full", file=path.name)
    return WritebackError(code, file=path.name, reason=exc.strerror or exc)


# --------------------------------------------------------------------------- the new package

_Stale = dict[str, set[tuple[int, int]]]  # sheet → formula cells that lost their saved result


@dataclass(frozen=True, slots=True)
class _NewPackage:
    """The entries that change (name → new bytes), those added, and the formula cells
    that lose their saved result."""

    replaced: dict[str, bytes]
    added: list[tuple[str, bytes]]
    stale: _Stale
    sheets: frozenset[str]  # the sheets whose part changes


@contextmanager
def _opened(path: Path, original: bytes) -> Iterator[zipfile.ZipFile]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(original))
    except _BROKEN_PACKAGE as exc:
        raise WritebackError("wb_cannot_open", file=path.name, reason=foreign_reason(exc)) from exc
    with archive:
        yield archive


def _new_package(
    path: Path,
    archive: zipfile.ZipFile,
    edits: Sequence[CellEdit],
    records: Sequence[UploadRecord] | None,
) -> _NewPackage | None:
    """What the patched package holds instead of ``archive``'s entries; None when that
    would be nothing new. Every patched sheet is checked to reopen."""
    try:
        package = Package(archive)
        replaced, added, stale = _changes(path, package, edits, records)
        contents: dict[str, bytes] = {}
        sheets = set()
        for name, change in replaced.items():
            if isinstance(change, bytes):
                contents[name] = change
                continue
            sink = io.BytesIO()
            change(sink)
            contents[name] = sink.getvalue()
            sheets.add(change.sheet)
            try:
                check_structure(io.BytesIO(contents[name]), change.rows)
            except (SheetPatchError, expat.ExpatError) as exc:
                raise WritebackError(
                    "wb_would_not_reopen", file=path.name, reason=foreign_reason(exc)
                ) from exc
        if not added and all(archive.read(name) == data for name, data in contents.items()):
            return None
    except SheetPatchError as exc:
        raise WritebackError(exc.reason, file=path.name, cell=exc.cell) from exc
    except _BROKEN_PACKAGE as exc:
        raise WritebackError("wb_cannot_open", file=path.name, reason=foreign_reason(exc)) from exc
    return _NewPackage(contents, added, stale, frozenset(sheets))


def _changes(
    path: Path,
    package: Package,
    edits: Sequence[CellEdit],
    records: Sequence[UploadRecord] | None,
) -> tuple[dict[str, _SheetWriter | bytes], list[tuple[str, bytes]], _Stale]:
    """What to write instead of some entries, the entries to add, and the formula cells
    that lose their saved result (they depend on an edit: see :mod:`.dependents`)."""
    replaced: dict[str, _SheetWriter | bytes] = {}
    added: list[tuple[str, bytes]] = []
    by_sheet: dict[str, list[CellEdit]] = {}
    for edit in edits:
        by_sheet.setdefault(edit.sheet, []).append(edit)
    wanted: dict[str, dict[tuple[int, int], NewValue]] = {}
    for sheet_name, sheet_edits in by_sheet.items():
        entry = package.sheet(sheet_name)
        if entry is None or entry.part is None or entry.kind != "worksheet":
            raise WritebackError("wb_sheet_gone", file=path.name, sheet=sheet_name)
        with package.open(entry.part) as fh:
            merges = merged_ranges(fh)
        cells = wanted.setdefault(sheet_name, {})
        for edit in sheet_edits:
            row, column = _top_left(edit.row, edit.column, merges)
            cells[(row, column)] = NewValue(edit.value, edit.style_like)
    dependents = find_dependents(package, wanted, path.name) if wanted else Dependents()
    removed_formulas: dict[int, set[tuple[int, int]]] = {}
    stale_found: _Stale = {}
    for sheet_name in [*wanted, *(s for s in dependents.cells if s not in wanted)]:
        entry = package.sheet(sheet_name)
        assert entry is not None and entry.part is not None
        name = package.name_of(entry.part)
        assert name is not None
        stale = dependents.cells.get(sheet_name, frozenset())
        with package.open(entry.part) as fh:
            plan = plan_cells(fh, wanted.get(sheet_name, {}), stale)
        if plan.edits or plan.stale_found:
            replaced[name] = _SheetWriter(package, sheet_name, entry.part, plan)
        if plan.stale_found:
            stale_found[sheet_name] = set(plan.stale_found)
        if plan.formulas_removed:
            removed_formulas[entry.sheet_id] = set(plan.formulas_removed)
    if dependents.recalculate:
        workbook = package.name_of(package.workbook_part)
        assert workbook is not None
        recalculating = with_full_calculation(package.read(package.workbook_part))
        if recalculating is not None:
            replaced[workbook] = recalculating
    if removed_formulas:
        chain = package.workbook_related("calcChain")
        if chain is not None:
            name = package.name_of(chain)
            assert name is not None
            replaced[name] = _without_chain_entries(package.read(chain), removed_formulas)
    if records is not None:
        _record_changes(package, list(records), replaced, added)
    return replaced, added, stale_found


def _top_left(
    row: int, column: int, merges: Iterable[tuple[int, int, int, int]]
) -> tuple[int, int]:
    for min_row, min_col, max_row, max_col in merges:
        if min_row <= row <= max_row and min_col <= column <= max_col:
            return min_row, min_col
    return row, column


class _SheetWriter:
    """Writes one sheet part patched by ``plan``; ``rows`` are the rows it changes."""

    def __init__(self, package: Package, sheet: str, part: str, plan: Plan) -> None:
        self.package, self.sheet, self.part, self.plan = package, sheet, part, plan
        self.rows = {row for row, _column in plan.edits} | {row for row, _ in plan.stale}

    def __call__(self, sink: IO[bytes]) -> None:
        with self.package.open(self.part) as source:
            apply_plan(source, self.plan, sink)


_CHAIN_ENTRY = re.compile(rb"<(?:[\w.-]+:)?c\b[^>]*?/>")
_ATTR_R = re.compile(rb"""\sr\s*=\s*["']([^"']*)["']""")
_ATTR_I = re.compile(rb"""\si\s*=\s*["']([^"']*)["']""")


def _without_chain_entries(chain: bytes, removed: dict[int, set[tuple[int, int]]]) -> bytes:
    """The calculation chain without the entries of cells whose formula was overwritten."""
    wanted = {
        sheet_id: {_coordinate(r, c).encode() for r, c in cells}
        for sheet_id, cells in removed.items()
    }
    current = 0
    dropped_sheet: int | None = None
    out: list[bytes] = []
    last = 0
    for match in _CHAIN_ENTRY.finditer(chain):
        entry = match.group(0)
        has_i = _ATTR_I.search(entry)
        if has_i:
            current = int(has_i.group(1) or 0)
        ref = _ATTR_R.search(entry)
        out.append(chain[last : match.start()])
        last = match.end()
        if ref and ref.group(1) in wanted.get(current, set()):
            parse_coordinate(ref.group(1).decode())  # a real address, or ValueError
            dropped_sheet = current
            continue
        if dropped_sheet is not None and not has_i:
            # the next entry inherited the sheet from the one removed: say it explicitly
            entry = entry[:2] + f' i="{dropped_sheet}"'.encode() + entry[2:]
        dropped_sheet = None
        out.append(entry)
    out.append(chain[last:])
    return b"".join(out)


def _coordinate(row: int, column: int) -> str:
    return f"{column_letter(column)}{row}"


# --------------------------------------------------------------------------- recalculation

_WORKBOOK_ROOT = re.compile(rb"<(?P<prefix>(?:[\w.-]+:)?)workbook\b")
_CALC_PR = re.compile(rb"<(?:[\w.-]+:)?calcPr\b[^>]*?/?>")
_ANY_FULL_CALC = re.compile(rb"\sfullCalcOnLoad\s*=")
_FULL_CALC = re.compile(rb"""\sfullCalcOnLoad\s*=\s*["'](1|true)["']""")
# what follows calcPr in CT_Workbook, in schema order
_AFTER_CALC_PR = (
    "oleSize",
    "customWorkbookViews",
    "pivotCaches",
    "smartTagPr",
    "smartTagTypes",
    "webPublishing",
    "fileRecoveryPr",
    "webPublishObjects",
    "extLst",
)


def with_full_calculation(xml: bytes) -> bytes | None:
    """The workbook part ``xml`` with ``<calcPr fullCalcOnLoad="1">``; None when it has it.

    Excel then recalculates every formula when it opens the file. A missing
    ``calcPr`` is created where the schema puts it; every other byte stays.
    """
    calc = _CALC_PR.search(xml)
    if calc is not None:
        if _FULL_CALC.search(calc.group(0)):
            return None
        tag = calc.group(0)
        if _ANY_FULL_CALC.search(tag):
            tag = set_attribute(tag, "fullCalcOnLoad", "1")
        else:  # right after the name: every other byte of the tag stays
            tag = re.sub(rb"^(<[\w.:-]+)", rb'\1 fullCalcOnLoad="1"', tag, count=1)
        return xml[: calc.start()] + tag + xml[calc.end() :]
    root = _WORKBOOK_ROOT.search(xml)
    if root is None:
        raise PackageError("the workbook part has no workbook element")
    prefix = root.group("prefix").decode()
    element = f'<{prefix}calcPr fullCalcOnLoad="1"/>'.encode()
    p = re.escape(root.group("prefix"))
    following = b"|".join(name.encode() for name in _AFTER_CALC_PR)
    at = re.search(rb"<" + p + rb"(?:" + following + rb")\b|</" + p + rb"workbook\s*>", xml)
    if at is None:
        raise PackageError("the workbook part is not closed")
    return xml[: at.start()] + element + xml[at.start() :]


# --------------------------------------------------------------------------- records' part


def _custom_part(package: Package) -> str | None:
    for kind in _CUSTOM_REL_TYPES:
        for rel in package.related("", kind):
            if package.has(rel.target):
                return rel.target
    return None


def custom_properties(xml: bytes) -> dict[str, str]:
    """The custom document properties (name → text) in a ``docProps/custom.xml``."""
    root = ElementTree.fromstring(xml)
    found: dict[str, str] = {}
    for element in root:
        if element.tag.rsplit("}", 1)[-1] != "property":
            continue
        name = element.get("name")
        if name is None:
            continue
        value = next(iter(element), None)
        found[name] = "" if value is None else (value.text or "")
    return found


def _record_changes(
    package: Package,
    records: list[UploadRecord],
    replaced: dict[str, _SheetWriter | bytes],
    added: list[tuple[str, bytes]],
) -> None:
    properties = encode_properties(records)
    part = _custom_part(package)
    if part is not None:
        name = package.name_of(part)
        assert name is not None
        replaced[name] = _with_properties(package.read(part), properties)
        return
    if not properties:
        return  # no records and nowhere they were: nothing to change
    strict = 1 if package.strict else 0
    name = "docProps/custom.xml"
    n = 1
    while package.has(name):
        n += 1
        name = f"docProps/custom{n}.xml"
    body = "".join(
        _property_xml("", "vt:", "", pid, key, value)
        for pid, (key, value) in enumerate(properties, 2)
    )
    added.append(
        (
            name,
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Properties xmlns="{_CUSTOM_NS[strict]}" xmlns:vt="{_VT_NS[strict]}">'
                f"{body}</Properties>"
            ).encode(),
        )
    )
    types_name = package.name_of(CONTENT_TYPES_PART)
    rels_name = package.name_of(ROOT_RELS_PART)
    if types_name is None or rels_name is None:
        raise PackageError("the package has no content types or relationships")
    override = f'<Override PartName="/{name}" ContentType="{_CUSTOM_CONTENT_TYPE}"/>'
    replaced[types_name] = _insert_before_close(package.read(CONTENT_TYPES_PART), "Types", override)
    rels = package.read(ROOT_RELS_PART)
    ids = set(package.relationships(""))
    rid = next(f"rId{i}" for i in range(1, len(ids) + 2) if f"rId{i}" not in ids)
    relationship = f'<Relationship Id="{rid}" Type="{_CUSTOM_REL[strict]}" Target="{name}"/>'
    replaced[rels_name] = _insert_before_close(rels, "Relationships", relationship)


_OUR_PROPERTY = re.compile(
    r"""<(?:[\w.-]+:)?property\b[^>]*?\sname\s*=\s*(["'])(?P<name>[^"']*)\1[^>]*>.*?"""
    r"""</(?:[\w.-]+:)?property\s*>""",
    re.DOTALL,
)
_PID = re.compile(r"""\spid\s*=\s*["'](\d+)["']""")
_ROOT = re.compile(r"<(?P<prefix>(?:[\w.-]+:)?)Properties\b(?P<attrs>[^>]*?)(?P<empty>/?)>")


def _with_properties(xml: bytes, properties: list[tuple[str, str]]) -> bytes:
    """``xml`` (a custom properties part) with ``properties`` as the only record properties.

    Every other property is kept byte for byte.
    """
    text = xml.decode("utf-8")
    text = _OUR_PROPERTY.sub(
        lambda m: "" if is_record_property(_unescape(m.group("name"))) else m.group(0), text
    )
    root = _ROOT.search(text)
    if root is None:
        raise PackageError("the custom properties part has no Properties element")
    prefix = root.group("prefix")
    vt_prefix, vt_declaration = "vt:", ""
    for ns in _VT_NS:
        declared = re.search(
            rf"""xmlns:([\w.-]+)\s*=\s*["']{re.escape(ns)}["']""", root.group("attrs")
        )
        if declared:
            vt_prefix = declared.group(1) + ":"
            break
    else:
        strict = 1 if _CUSTOM_NS[1] in root.group("attrs") else 0
        vt_declaration = f' xmlns:vt="{_VT_NS[strict]}"'
    first_pid = max((int(p) for p in _PID.findall(text)), default=1) + 1
    body = "".join(
        _property_xml(prefix, vt_prefix, vt_declaration, pid, key, value)
        for pid, (key, value) in enumerate(properties, first_pid)
    )
    if root.group("empty"):
        opened = f"<{prefix}Properties{root.group('attrs')}>{body}</{prefix}Properties>"
        text = text[: root.start()] + opened + text[root.end() :]
    else:
        close = text.rfind(f"</{prefix}Properties")
        if close < 0:
            raise PackageError("the custom properties part is not closed")
        text = text[:close] + body + text[close:]
    return text.encode("utf-8")


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    )


def _property_xml(prefix: str, vt: str, declaration: str, pid: int, name: str, value: str) -> str:
    return (
        f'<{prefix}property fmtid="{_FMTID}" pid="{pid}" name="{escape_attribute(name)}">'
        f"<{vt}lpwstr{declaration}>{escape_text(value)}</{vt}lpwstr></{prefix}property>"
    )


def _insert_before_close(xml: bytes, element: str, addition: str) -> bytes:
    closes = list(re.finditer(rf"</(?:[\w.-]+:)?{element}\s*>".encode(), xml))
    if not closes:
        raise PackageError(f"no closing {element} element")
    at = closes[-1].start()
    return xml[:at] + addition.encode() + xml[at:]


# --------------------------------------------------------------------------- zip entries


def _write_package(
    archive: zipfile.ZipFile, original: bytes, new: _NewPackage, out: IO[bytes]
) -> None:
    """Write the patched package into ``out``: ``archive`` (over ``original``) with the
    entries of ``new`` replaced and added, every other entry copied as stored."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as written:
        for info in archive.infolist():
            change = new.replaced.get(info.filename)
            if change is None:
                _copy_entry(archive, original, info, written)
                continue
            target = copy.copy(info)
            if target.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                target.compress_type = zipfile.ZIP_DEFLATED
            written.writestr(target, change)
        for name, data in new.added:
            fresh = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
            fresh.compress_type = zipfile.ZIP_DEFLATED
            written.writestr(fresh, data)


def _copy_entry(
    archive: zipfile.ZipFile, original: bytes, info: zipfile.ZipInfo, new: zipfile.ZipFile
) -> None:
    """Copy one entry's compressed bytes as they are; recompress only what can't be copied so."""
    span = _data_span(archive, info)
    if span is None:
        target = copy.copy(info)
        target.flag_bits &= 0x800
        with archive.open(info) as source, new.open(target, "w") as sink:
            while chunk := source.read(1 << 20):
                sink.write(chunk)
        return
    target = copy.copy(info)
    target.flag_bits &= ~0x08  # sizes and CRC go in the local header, not a data descriptor
    fp = new.fp
    assert fp is not None
    target.header_offset = fp.tell()
    fp.write(target.FileHeader())
    start, size = span
    fp.write(memoryview(original)[start : start + size])  # no copy of the bytes in memory
    new.filelist.append(target)
    new.NameToInfo[target.filename] = target
    new.start_dir = fp.tell()
    setattr(new, "_didModify", True)  # noqa: B010 - zipfile has no public raw copy


def _data_span(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int] | None:
    """Where the entry's compressed bytes are in the archive's file (offset, length), or
    None when a raw copy would not be faithful."""
    if info.flag_bits & 0x01 or _has_zip64_extra(info.extra):
        return None  # encrypted, or sizes that FileHeader() would declare twice
    fp = archive.fp
    if fp is None:
        return None
    fp.seek(info.header_offset)
    header = fp.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        return None
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = info.header_offset + 30 + name_length + extra_length
    fp.seek(0, os.SEEK_END)
    if start + info.compress_size > fp.tell():
        return None
    return start, info.compress_size


def _has_zip64_extra(extra: bytes) -> bool:
    i = 0
    while i + 4 <= len(extra):
        kind, size = struct.unpack("<HH", extra[i : i + 4])
        if kind == 0x0001:
            return True
        i += 4 + size
    return False


def _compare_entries(
    path: Path, original: bytes, old: zipfile.ZipFile, new: zipfile.ZipFile, changed: set[str]
) -> None:
    """Every entry not meant to change is in ``new``, in order, with the same bytes.

    A copied entry is compared as stored (compressed bytes, CRC and sizes), which
    proves its content the same without unpacking it; the changed ones are
    unpacked, which checks their CRC.
    """
    try:
        old_names = [i.filename for i in old.infolist()]
        new_names = [i.filename for i in new.infolist()]
        kept = [n for n in new_names if n in set(old_names)]
        if kept != old_names or len(set(new_names)) != len(new_names):
            raise ValueError("the entries of the package changed")
        for info in new.infolist():
            if info.filename in changed:
                new.read(info)
                continue
            before = old.getinfo(info.filename)
            same = (info.CRC, info.file_size) == (before.CRC, before.file_size)
            span_old, span_new = _data_span(old, before), _data_span(new, info)
            if span_old is None or span_new is None or new.fp is None:
                same = same and old.read(before) == new.read(info)
            else:
                same = same and info.compress_type == before.compress_type
                same = same and span_old[1] == span_new[1]
                same = same and holds_at(new.fp, span_new[0], original, *span_old)
            if not same:
                raise ValueError(f"{info.filename} would change")
    except _BROKEN_PACKAGE as exc:
        raise WritebackError(
            "wb_would_not_reopen", file=path.name, reason=foreign_reason(exc)
        ) from exc


# --------------------------------------------------------------------------- verification


def _verify(
    path: Path,
    written: Path,
    archive: zipfile.ZipFile,
    original: bytes,
    new: _NewPackage,
    edits: Sequence[CellEdit],
    records: Sequence[UploadRecord] | None,
) -> tuple[str, dict[str, SheetData]]:
    """Check the file about to replace ``path``: every entry meant to stay is the original's
    (``archive``, over the bytes ``original``), and the project's reader finds the edits
    there, and each formula that lost its saved result still there, with no result.

    Returns the sha256 of the file, and the changed sheets as read.
    """
    changed = set(new.replaced) | {name for name, _ in new.added}
    try:
        with zipfile.ZipFile(written) as fresh:
            _compare_entries(path, original, archive, fresh, changed)
            sheets = {s.name: s for s in read_sheets(written, new.sheets, fresh)}
        _check_cells(path, sheets, edits, new.stale)
        if records is not None and records_in(path, written) != list(records):
            raise WritebackError("wb_verify_records", file=path.name)
        with open(written, "rb") as fh:
            sha256 = hashlib.file_digest(fh, "sha256").hexdigest()
    except WorkbookError as exc:
        raise WritebackError("wb_would_not_reopen", file=path.name, reason=exc) from exc
    except _BROKEN_PACKAGE as exc:
        raise WritebackError(
            "wb_would_not_reopen", file=path.name, reason=foreign_reason(exc)
        ) from exc
    except WritebackError as exc:
        if exc.code in ("wb_verify_cell", "wb_verify_records", "wb_would_not_reopen"):
            raise
        raise WritebackError("wb_would_not_reopen", file=path.name, reason=exc) from exc
    return sha256, sheets


def _check_cells(
    path: Path, sheets: dict[str, SheetData], edits: Sequence[CellEdit], stale: _Stale
) -> None:
    """:class:`WritebackError` unless ``sheets`` show ``edits`` and the ``stale`` formulas
    without their saved results."""
    cells = {
        (s.name, c.ref.row, c.ref.column): c for s in sheets.values() for row in s.rows for c in row
    }
    for sheet, stale_cells in stale.items():
        for row, column in sorted(stale_cells):
            found = cells.get((sheet, row, column))
            if found is None or found.formula is None or found.value is not None:
                cell = _coordinate(row, column)
                raise WritebackError("wb_verify_cell", file=path.name, sheet=sheet, cell=cell)
    for edit in edits:
        merges = sheets[edit.sheet].merged if edit.sheet in sheets else []
        row, column = _top_left(edit.row, edit.column, _ranges(merges))
        shown = cells.get((edit.sheet, row, column))
        if not _shows(None if shown is None else shown.value, edit.value):
            cell = _coordinate(row, column)
            raise WritebackError("wb_verify_cell", file=path.name, sheet=edit.sheet, cell=cell)


def _ranges(refs: list[str]) -> list[tuple[int, int, int, int]]:
    found = []
    for ref in refs:
        min_col, min_row, max_col, max_row = range_bounds(ref)
        if min_col and min_row and max_col and max_row:
            found.append((min_row, min_col, max_row, max_col))
    return found


def _shows(found: object, value: str | int | float) -> bool:
    if isinstance(value, str):
        return found == clean_text(value) or (found is None and clean_text(value) == "")
    if isinstance(found, datetime | date | time | timedelta):
        return True  # a number in a date cell reads as a date
    return isinstance(found, int | float) and float(found) == float(value)


# --------------------------------------------------------------------------- reading records


def read_records(path: Path) -> list[UploadRecord]:
    """The upload records kept in the workbook at ``path``; ``[]`` when it has none.

    The custom document properties are read first; a workbook written by an
    earlier version keeps them in the very hidden sheet, which is read when
    there are none (also when LibreOffice has made it merely hidden). Raises
    :class:`WritebackError` only when the file can't be read, or its records
    are damaged.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise os_error(path, exc, "wb_cannot_read") from exc
    return records_in(path, data)


def records_in(path: Path, data: bytes | Path) -> list[UploadRecord]:
    """:func:`read_records` of the bytes ``data`` of the file at ``path`` (or of the file
    ``data``, read only as far as needed)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as archive:
            package = Package(archive)
            part = _custom_part(package)
            found = (
                None if part is None else decode_properties(custom_properties(package.read(part)))
            )
            legacy = package.sheet(RECORDS_SHEET)
    except RecordsDamaged as exc:
        raise WritebackError("wb_records_damaged", file=path.name) from exc
    except _BROKEN_PACKAGE as exc:
        raise WritebackError(
            "not_readable_workbook", file=path.name, reason=foreign_reason(exc)
        ) from exc
    if found is not None:
        return found
    if legacy is None or legacy.kind != "worksheet":
        return []
    return _legacy_records(path, data)


_OPENPYXL_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    EOFError,
)


def _legacy_records(path: Path, data: bytes | Path) -> list[UploadRecord]:
    """The records in the very hidden sheet an earlier version wrote."""
    from openpyxl import load_workbook  # only for workbooks an earlier version wrote
    from openpyxl.utils.exceptions import InvalidFileException

    errors: tuple[type[Exception], ...] = (InvalidFileException, *_OPENPYXL_ERRORS)
    try:
        source = io.BytesIO(data) if isinstance(data, bytes) else data
        wb = load_workbook(source, read_only=True, data_only=True)
    except errors as exc:
        raise WritebackError("not_readable_workbook", file=path.name, reason=exc) from exc
    try:
        if RECORDS_SHEET not in wb.sheetnames:
            return []
        rows = list(wb[RECORDS_SHEET].iter_rows(values_only=True))
    except errors as exc:
        raise WritebackError("damaged_workbook", file=path.name, reason=exc) from exc
    finally:
        wb.close()
    return records_from_rows(rows)
