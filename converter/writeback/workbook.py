"""Write upload results back into the workbook they came from.

For each sheet the offer number goes into the value cell of its Offertnr label
(a label is added beside the header block when the sheet has none) and a short
status goes right of it, so the salesperson sees the outcome in Excel. What
the next run needs (:class:`UploadRecord`) is kept in a very hidden sheet,
:data:`RECORDS_SHEET`, that the user never sees.

Writing is careful because the workbook is the user's work:

* nothing is written when the file changed on disk since it was read;
* a backup of the original is made first, then the new bytes replace the
  file atomically, so it holds either the old or the whole new content;
* strings from the server are stored as text, never as formulas;
* files that openpyxl cannot round-trip without losing something
  (:func:`can_write_back` is False) get a results file beside them instead
  (:func:`write_results_file`).

OS errors are translated once, here, into :class:`~converter.errors.WritebackError`
messages that name the file and say what to do next.
"""

from __future__ import annotations

import errno
import hashlib
import io
import itertools
import os
import re
import zipfile
from collections.abc import Iterator, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import cast

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from converter.errors import WritebackError
from converter.fileio import write_atomically
from converter.model.cells import CellRef
from converter.model.records import RECORDS_SHEET, WRITABLE_SUFFIXES, FileStamp, UploadRecord

__all__ = [
    "RECORDS_SHEET",
    "SheetResult",
    "UploadRecord",
    "can_write_back",
    "read_records",
    "write_back",
    "write_results_file",
]

OFFER_NR_LABEL = "Offertnr"

_RECORD_COLUMNS = (
    "target",
    "sheet",
    "external_id",
    "invoice_id",
    "offer_nr",
    "fingerprint",
    "customer_nr",
    "uploaded_at",
)
_MAX_CELL_TEXT = 32_767  # Excel's limit on the characters in one cell
_DISK_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
# openpyxl's own failures while parsing or writing a package; none is an OSError.
_OPENPYXL_ERRORS = (
    InvalidFileException,
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    EOFError,
)


@dataclass(frozen=True)
class SheetResult:
    """The outcome of one sheet's upload, as it is to be shown in the workbook."""

    sheet: str
    offer_nr_cell: CellRef | None  # None → add an "Offertnr" label beside the header block
    header_labels: list[CellRef]  # to place the added label
    offer_nr: str | None  # None: leave the number cell as it is (failed offer)
    status_text: str  # short status shown beside the number
    record: UploadRecord | None  # None: keep the existing record for (target, sheet)


# --------------------------------------------------------------------------- records


def read_records(path: Path) -> list[UploadRecord]:
    """The upload records kept in the workbook at ``path``; ``[]`` when it has none.

    Raises :class:`WritebackError` only when the file cannot be read at all.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _os_error(path, exc, "wb_cannot_read") from exc
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _OPENPYXL_ERRORS as exc:
        raise WritebackError("not_readable_workbook", file=path.name, reason=exc) from exc
    try:
        if RECORDS_SHEET not in wb.sheetnames:
            return []
        rows = list(wb[RECORDS_SHEET].iter_rows(values_only=True))
    except _OPENPYXL_ERRORS as exc:
        raise WritebackError("damaged_workbook", file=path.name, reason=exc) from exc
    finally:
        wb.close()
    return _parse_records(rows)


def _parse_records(rows: Sequence[Sequence[object]]) -> list[UploadRecord]:
    if not rows:
        return []
    # Columns are found by their header, so a later version may add or reorder them.
    header = {str(name): i for i, name in enumerate(rows[0]) if name is not None}
    if not {"target", "sheet", "external_id"} <= header.keys():
        return []

    def text(row: Sequence[object], name: str) -> str | None:
        i = header.get(name)
        value = row[i] if i is not None and i < len(row) else None
        return None if value is None or value == "" else str(value)

    records = []
    for row in rows[1:]:
        target, sheet, external_id = (
            text(row, "target"),
            text(row, "sheet"),
            text(row, "external_id"),
        )
        if target is None or sheet is None or external_id is None:
            continue  # a damaged row is no record; the journal still knows the offer
        invoice_id = text(row, "invoice_id")
        records.append(
            UploadRecord(
                target=target,
                sheet=sheet,
                external_id=external_id,
                invoice_id=_to_int(invoice_id),
                offer_nr=text(row, "offer_nr"),
                fingerprint=text(row, "fingerprint") or "",
                customer_nr=text(row, "customer_nr") or "",
                uploaded_at=text(row, "uploaded_at") or "",
            )
        )
    return records


def _to_int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(float(value)) if "." in value else int(value)
    except ValueError:
        return None


def _upsert_records(path: Path, wb: Workbook, records: list[UploadRecord]) -> None:
    ws: Worksheet | None = None
    existing: list[UploadRecord] = []
    if RECORDS_SHEET in wb.sheetnames:
        sheet = wb[RECORDS_SHEET]
        if not isinstance(sheet, Worksheet):
            raise WritebackError("wb_records_not_a_sheet", file=path.name, sheet=RECORDS_SHEET)
        ws = sheet
        existing = _parse_records(list(ws.iter_rows(values_only=True)))
    if not records:
        return  # nothing new: leave the sheet (or its absence) exactly as it was
    merged = {(r.target, r.sheet): r for r in existing}
    for record in records:
        merged[(record.target, record.sheet)] = record
    if ws is None:
        ws = wb.create_sheet(RECORDS_SHEET)
    else:
        ws.delete_rows(1, ws.max_row)
    ws.sheet_state = "veryHidden"
    # Last, so the user's sheets keep their positions (and their print areas and names).
    wb.move_sheet(ws, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(RECORDS_SHEET))
    ws.append(list(_RECORD_COLUMNS))
    for record in merged.values():
        row_number = ws.max_row + 1
        values: list[str | int | None] = [
            record.target,
            record.sheet,
            record.external_id,
            record.invoice_id,
            record.offer_nr,
            record.fingerprint,
            record.customer_nr,
            record.uploaded_at,
        ]
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=row_number, column=column)
            if isinstance(value, str):
                _set_text(cell, value)
            else:
                cell.value = value


# --------------------------------------------------------------------------- write-back


def write_back(path: Path, stamp: FileStamp, results: list[SheetResult], backup_dir: Path) -> Path:
    """Write ``results`` into the workbook at ``path``; return the backup of the original.

    ``stamp`` is what the file looked like when it was read: if it has changed
    since, nothing is written. The original is copied into ``backup_dir``
    before it is replaced atomically. Raises :class:`WritebackError`.
    """
    try:
        return _write_back(path, stamp, results, backup_dir)
    except WritebackError:
        raise
    except PermissionError as exc:
        raise WritebackError("wb_locked", file=path.name) from exc
    except OSError as exc:
        raise _os_error(path, exc, "wb_cannot_save") from exc


def _write_back(path: Path, stamp: FileStamp, results: list[SheetResult], backup_dir: Path) -> Path:
    original = path.read_bytes()
    _check_unchanged(path, original, stamp)
    wb = _load(path, original)
    active = wb.active
    for result in results:
        _write_result(path, wb, result)
    _upsert_records(path, wb, [r.record for r in results if r.record is not None])
    if active is not None:
        wb.active = wb.sheetnames.index(active.title)
    new_bytes = _save(path, wb)
    _verify(path, original, new_bytes)
    if not os.access(path, os.W_OK):
        # os.replace would happily swap out a read-only file on POSIX; Windows and
        # the user both expect read-only to mean "don't write".
        raise PermissionError(errno.EACCES, "read-only file", str(path))
    # The bytes were checked when we started; building the new workbook takes a
    # while, so check again right before replacing to keep the window small.
    _check_unchanged(path, path.read_bytes(), stamp)
    backup = _make_backup(path, original, backup_dir)
    try:
        write_atomically(path, new_bytes)
    except BaseException:
        # The original is untouched, so this backup is only clutter; a locked
        # file retried many times would otherwise fill the folder.
        backup.unlink(missing_ok=True)
        raise
    return backup


def _check_unchanged(path: Path, data: bytes, stamp: FileStamp) -> None:
    if hashlib.sha256(data).hexdigest() != stamp.sha256:
        raise WritebackError("wb_changed", file=path.name)


def _load(path: Path, data: bytes) -> Workbook:
    try:
        return load_workbook(
            io.BytesIO(data),
            read_only=False,
            keep_vba=path.suffix.lower() == ".xlsm",
            data_only=False,  # keep the formulas, not their cached values
            keep_links=True,
            rich_text=True,  # otherwise formatted runs inside a cell are flattened
        )
    except _OPENPYXL_ERRORS as exc:
        raise WritebackError("wb_cannot_open", file=path.name, reason=exc) from exc


def _save(path: Path, wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    try:
        wb.save(buffer)
    except _OPENPYXL_ERRORS as exc:
        raise WritebackError("wb_cannot_write", file=path.name, reason=exc) from exc
    return buffer.getvalue()


def _verify(path: Path, original: bytes, new_bytes: bytes) -> None:
    """Refuse bytes that don't re-open, or that lost the macros, before they replace the file."""
    try:
        # A full load, not read_only: that one parses no sheet until asked to.
        load_workbook(io.BytesIO(new_bytes), keep_vba=False, rich_text=True)
    except _OPENPYXL_ERRORS as exc:
        raise WritebackError("wb_would_not_reopen", file=path.name, reason=exc) from exc
    before = _vba_project(original)
    if before is not None and _vba_project(new_bytes) != before:
        raise WritebackError("wb_would_lose_macros", file=path.name)


def _vba_project(data: bytes) -> bytes | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return zf.read("xl/vbaProject.bin")
    except (KeyError, zipfile.BadZipFile):
        return None


def _make_backup(path: Path, original: bytes, backup_dir: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    try:
        backup_dir.mkdir(parents=True, exist_ok=True)
        for n in itertools.count():
            extra = f"-{n}" if n else ""
            backup = backup_dir / f"{path.stem}.{stamp}{extra}{path.suffix}"
            try:
                # "x": never replace an earlier backup that happens to share the name.
                fh = open(backup, "xb")  # closed by the "with" below
            except FileExistsError:
                continue
            break
        try:
            with fh:
                # The bytes just checked against the stamp: the backup is exactly what was read.
                fh.write(original)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            backup.unlink(missing_ok=True)  # a half-written backup would be a trap later
            raise
    except OSError as exc:
        if exc.errno in _DISK_FULL:
            raise WritebackError(
                "wb_no_backup_disk_full", file=path.name, folder=backup_dir
            ) from exc
        raise WritebackError(
            "wb_no_backup", file=path.name, folder=backup_dir, reason=exc.strerror or exc
        ) from exc
    return backup


def _os_error(path: Path, exc: OSError, code: str) -> WritebackError:
    """``code`` with the system's reason, or the disk-full message that says what to do."""
    if exc.errno in _DISK_FULL:
        return WritebackError("wb_disk_full", file=path.name)
    return WritebackError(code, file=path.name, reason=exc.strerror or exc)


# --------------------------------------------------------------------------- cells


def _write_result(path: Path, wb: Workbook, result: SheetResult) -> None:
    if result.sheet not in wb.sheetnames or not isinstance(wb[result.sheet], Worksheet):
        raise WritebackError("wb_sheet_gone", file=path.name, sheet=result.sheet)
    ws = wb[result.sheet]
    assert isinstance(ws, Worksheet)
    if result.offer_nr_cell is not None:
        row, column = _anchor(ws, result.offer_nr_cell.row, result.offer_nr_cell.column)
    else:
        row, column = _add_label(ws, result.header_labels)
    if result.offer_nr is not None:
        _set_text(ws.cell(row=row, column=column), result.offer_nr)
    status = _status_cell(ws, row, column)
    if status is not None:
        _set_text(status, result.status_text)


def _set_text(cell: Cell | MergedCell, text: str) -> None:
    """Store ``text`` as a string, whatever it looks like (``=cmd|...`` stays text)."""
    if isinstance(cell, MergedCell):
        return  # covered by a merged range: Excel shows only the range's first cell
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)[:_MAX_CELL_TEXT]
    # openpyxl turns any string starting with "=" into a formula; a server string never is one.
    cell.data_type = "s"


def _merged_range_of(ws: Worksheet, row: int, column: int) -> tuple[int, int, int, int] | None:
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= column <= rng.max_col:
            return rng.min_row, rng.min_col, rng.max_row, rng.max_col
    return None


def _anchor(ws: Worksheet, row: int, column: int) -> tuple[int, int]:
    """The cell that shows the value at (row, column): the top-left of its merged range."""
    rng = _merged_range_of(ws, row, column)
    return (rng[0], rng[1]) if rng else (row, column)


def _status_cell(ws: Worksheet, row: int, column: int) -> Cell | None:
    """The first cell right of the number (past its merged range), if it can hold a value."""
    rng = _merged_range_of(ws, row, column)
    right = (rng[3] if rng else column) + 1
    target = _merged_range_of(ws, row, right)
    if target is not None and (target[0], target[1]) != (row, right):
        return None  # inside a range anchored elsewhere: writing there would move the text
    cell = ws.cell(row=row, column=right)
    return cell if isinstance(cell, Cell) else None


def _add_label(ws: Worksheet, header_labels: list[CellRef]) -> tuple[int, int]:
    """Add an Offertnr label beside the header block; return its value cell.

    The label goes in the row of the first header label, one empty column right
    of everything the header rows use, at the first place where the label, the
    value and the status cells are all empty and not merged.
    """
    if header_labels:
        first = min(header_labels)
        top, bottom = min(r.row for r in header_labels), max(r.row for r in header_labels)
        row, after = first.row, first.column
    else:
        first, top, bottom, row, after = None, 1, 1, 1, 0
    existing = _existing_label(ws, row, after)
    if existing is not None:
        return row, existing + 1  # added by an earlier run; reuse it rather than add another
    column = _used_max_column(ws, top, bottom) + 2
    while not all(_is_free(ws, row, column + i) for i in range(3)):
        column += 1
    label = ws.cell(row=row, column=column)
    label.value = OFFER_NR_LABEL
    if first is not None:
        # copy() of a cell's font proxy is the Font itself; the stubs only know the proxy.
        label.font = cast(Font, copy(ws.cell(row=first.row, column=first.column).font))
    return row, column + 1


# The helpers below look at ws._cells directly: ws.cell() and ws.iter_rows()
# create every cell they visit, which would add empty cells to the user's sheet.


def _existing_label(ws: Worksheet, row: int, after: int) -> int | None:
    for (r, c), cell in sorted(ws._cells.items()):
        value = cell.value
        if r == row and c > after and isinstance(value, str):
            if value.strip().casefold() == OFFER_NR_LABEL.casefold():
                return c
    return None


def _used_max_column(ws: Worksheet, top: int, bottom: int) -> int:
    used = max(
        (c for (r, c), cell in ws._cells.items() if top <= r <= bottom and cell.value is not None),
        default=0,
    )
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= bottom and rng.max_row >= top:
            used = max(used, rng.max_col)
    return used


def _is_free(ws: Worksheet, row: int, column: int) -> bool:
    if _merged_range_of(ws, row, column) is not None:
        return False
    cell = ws._cells.get((row, column))
    return cell is None or cell.value is None


# --------------------------------------------------------------------------- results file


def write_results_file(path: Path, results: list[SheetResult]) -> Path:
    """Write the results beside an input that can't be written back; return the file's path.

    The file is ``<stem>.results.xlsx`` with one row per sheet: sheet, offer
    number and status (as text), plus the records in the same very hidden
    sheet as a written-back workbook, so :func:`read_records` works on it. It is
    written atomically. Raises :class:`WritebackError`.
    """
    out = path.with_name(f"{path.stem}.results.xlsx")
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "Resultat"
    ws.append(["Blad", OFFER_NR_LABEL, "Status"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for result in results:
        row_number = ws.max_row + 1
        for column, text in enumerate((result.sheet, result.offer_nr, result.status_text), 1):
            if text is not None:
                _set_text(ws.cell(row=row_number, column=column), text)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 60
    _upsert_records(out, wb, [r.record for r in results if r.record is not None])
    data = _save(out, wb)
    try:
        write_atomically(out, data)
    except PermissionError as exc:
        raise WritebackError("wb_results_file_locked", file=out.name) from exc
    except OSError as exc:
        raise _os_error(out, exc, "wb_cannot_save_results") from exc
    return out


# --------------------------------------------------------------------------- round-trip guard

# Parts openpyxl reads and writes again faithfully. Anything else in a package
# (drawings, images, charts, pivot tables, slicers, form controls, embedded
# objects, in-cell pictures, threaded comments, custom XML, ...) is silently
# dropped on save, so such a workbook gets a results file instead.
_KEPT_PARTS = re.compile(
    r"""
    \[Content_Types\]\.xml
    | (?:.*/)?_rels/[^/]*\.rels
    | docProps/(?:core|app|custom)\.xml
    | docProps/thumbnail\.[a-z]+            # a preview image; dropped, Excel makes a new one
    | xl/workbook\.xml
    | xl/styles\.xml
    | xl/sharedStrings\.xml
    | xl/calcChain\.xml                     # dropped, Excel rebuilds it
    | xl/theme/theme\d+\.xml
    | xl/worksheets/sheet\d+\.xml
    | xl/tables/table\d+\.xml
    | xl/comments\d*\.xml | xl/comments/comment\d+\.xml
    | xl/drawings/[^/]+\.vml                # only comment boxes: checked below
    | xl/externalLinks/externalLink\d+\.xml  # kept with keep_links=True
    | xl/printerSettings/printerSettings\d+\.bin  # printer driver data; page setup stays
    | xl/persons/person\.xml                # authors list; harmless when dropped
    | xl/vbaProject\.bin                    # .xlsm only: checked below
    """,
    re.VERBOSE,
)
_STRICT_NS = b"http://purl.oclc.org/ooxml/"
_WORKSHEET = re.compile(r"xl/worksheets/sheet\d+\.xml")
_VML = re.compile(r"xl/drawings/[^/]+\.vml")  # Excel: vmlDrawingN, openpyxl: commentsDrawingN
_VML_OBJECT_TYPE = re.compile(rb"""ObjectType\s*=\s*["']([^"']*)["']""")


def can_write_back(path: Path) -> bool:
    """True when the workbook at ``path`` can be written back without losing content.

    Only ``.xlsx``/``.xlsm`` packages made of parts that openpyxl round-trips
    qualify; drawings, images, charts, shapes, pivot tables, form controls,
    worksheet extensions (e.g. cross-sheet drop-down lists) and the like would
    be dropped on save, so for those the answer is False.
    """
    suffix = path.suffix.lower()
    if suffix not in WRITABLE_SUFFIXES:
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            return _package_round_trips(zf, macros_allowed=suffix == ".xlsm")
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError):
        return False  # unreadable or encrypted: certainly not something to rewrite


def _package_round_trips(zf: zipfile.ZipFile, macros_allowed: bool) -> bool:
    names = zf.namelist()
    if "xl/workbook.xml" not in names or _STRICT_NS in zf.read("xl/workbook.xml"):
        return False  # Strict Open XML: openpyxl misreads it (sheets vanish)
    for name in names:
        if name.endswith("/"):
            continue  # folder entries some zip tools add
        if not _KEPT_PARTS.fullmatch(name):
            return False
        if name == "xl/vbaProject.bin" and not macros_allowed:
            return False
        if _WORKSHEET.fullmatch(name) and _has_extensions(_read_chunks(zf, name)):
            return False
        if _VML.fullmatch(name) and not _comments_only(zf.read(name)):
            return False
    return True


def _read_chunks(zf: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    with zf.open(name) as fh:
        while chunk := fh.read(1 << 20):
            yield chunk


def _has_extensions(chunks: Iterator[bytes]) -> bool:
    # openpyxl drops a worksheet's <extLst> (x14 data validations, conditional
    # formats, sparklines, slicers). Streamed, because sheets can be large; the
    # tail of each chunk is kept in case the tag straddles two chunks.
    tail = b""
    for chunk in chunks:
        window = tail + chunk
        if b"extLst" in window:
            return True
        tail = window[-16:]
    return False


def _comments_only(vml: bytes) -> bool:
    # Comment boxes are rewritten by openpyxl; buttons, check boxes and other form
    # controls in the same legacy drawing are not.
    return all(kind == b"Note" for kind in _VML_OBJECT_TYPE.findall(vml))
