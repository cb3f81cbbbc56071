"""Write upload results back into the workbook they came from.

For each sheet the offer number goes into the value cell of its Offertnr label
(a label is added beside the header block when the sheet has none) and a short
status goes right of it, so the salesperson sees the outcome in Excel. What
the next run needs (:class:`UploadRecord`) is kept in the workbook's custom
document properties, which the user doesn't see and Excel and LibreOffice keep.

:func:`write_back` only works out *what* to write, from the sheet as the
project's reader reads it: the cells (:class:`~converter.writeback.patch.CellEdit`)
and the whole new record list. :func:`~converter.writeback.patch.patch_workbook`
writes them, changing nothing else in the file, with the safety that goes with
it (file-changed check, backup, verification, atomic replace).

Formats that can't hold a result get a results file beside them instead
(:func:`write_results_file`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from converter.errors import WorkbookError, WritebackError
from converter.fileio import write_atomically
from converter.model.cells import CellRef, range_bounds
from converter.model.records import (
    RECORDS_SHEET,
    WRITABLE_SUFFIXES,
    FileStamp,
    UploadRecord,
    encode_properties,
)
from converter.read.xlsx import SheetData, WorkbookData, read_workbook
from converter.writeback.patch import (
    CellEdit,
    Patched,
    apply_patch,
    os_error,
    read_records,
    records_in,
)
from converter.writeback.sheet_patch import clean_text

if TYPE_CHECKING:  # openpyxl loads only for a results file: the upload itself never needs it
    from openpyxl import Workbook

__all__ = [
    "RECORDS_SHEET",
    "WRITABLE_SUFFIXES",
    "CellEdit",
    "Patched",
    "SheetResult",
    "UploadRecord",
    "apply_results",
    "edits_for",
    "read_records",
    "write_back",
    "write_results_file",
]

OFFER_NR_LABEL = "Offertnr"


@dataclass(frozen=True)
class SheetResult:
    """The outcome of one sheet's upload, as it is to be shown in the workbook."""

    sheet: str
    offer_nr_cell: CellRef | None  # None → add an "Offertnr" label beside the header block
    header_labels: list[CellRef]  # to place the added label
    offer_nr: str | None  # None: leave the number cell as it is (failed offer)
    status_text: str  # short status shown beside the number
    record: UploadRecord | None  # None: keep the existing record for (target, sheet)


# --------------------------------------------------------------------------- write-back


def write_back(
    path: Path,
    stamp: FileStamp,
    results: Sequence[SheetResult],
    backup_dir: Path,
    workbook: WorkbookData | None = None,
) -> Path | None:
    """Write ``results`` into the workbook at ``path``; return the backup of the original.

    None when the workbook already showed all of it (nothing was written).
    ``stamp`` is what the file looked like when it was read (``workbook``, when
    given, is what was read then; else the file is read again): if it has
    changed since, nothing is written. Raises :class:`WritebackError`.
    """
    return apply_results(path, stamp, results, backup_dir, workbook).backup


def apply_results(
    path: Path,
    stamp: FileStamp,
    results: Sequence[SheetResult],
    backup_dir: Path,
    workbook: WorkbookData | None = None,
) -> Patched:
    """:func:`write_back`, telling also the file's new stamp and what its changed sheets
    now hold (:meth:`Patched.applied_to` gives the workbook as it now reads)."""
    try:
        data = path.read_bytes()
    except PermissionError as exc:
        raise WritebackError("wb_locked", file=path.name) from exc
    except OSError as exc:
        raise os_error(path, exc, "wb_cannot_read") from exc
    if workbook is None:
        try:
            workbook = read_workbook(path)
        except WorkbookError as exc:
            raise WritebackError("wb_cannot_open", file=path.name, reason=exc) from exc
    if workbook.stamp.sha256 != stamp.sha256:
        raise WritebackError("wb_changed", file=path.name)
    sheets = {sheet.name: sheet for sheet in workbook.sheets}
    edits: list[CellEdit] = []
    for result in results:
        sheet = sheets.get(result.sheet)
        if sheet is None:
            raise WritebackError("wb_sheet_gone", file=path.name, sheet=result.sheet)
        edits.extend(edits_for(sheet, result))
    new_records = [r.record for r in results if r.record is not None]
    records = merged_records(records_in(path, data), new_records) if new_records else None
    stamped = workbook.data if workbook.stamp == stamp else None
    return apply_patch(path, stamp, edits, records, backup_dir, original=data, stamped=stamped)


def merged_records(
    existing: Sequence[UploadRecord], new: Sequence[UploadRecord]
) -> list[UploadRecord]:
    """``existing`` with each of ``new`` in place of the record for its (target, sheet)."""
    merged = {(r.target, r.sheet): r for r in existing}
    for record in new:
        merged[(record.target, record.sheet)] = record
    return list(merged.values())


# --------------------------------------------------------------------------- cells


class _Cells:
    """A sheet's cells and merged ranges, as the reader found them."""

    def __init__(self, sheet: SheetData) -> None:
        self.values = {(c.ref.row, c.ref.column): c.value for row in sheet.rows for c in row}
        self.merged: list[tuple[int, int, int, int]] = []
        for ref in sheet.merged:
            min_col, min_row, max_col, max_row = range_bounds(ref)
            if min_col and min_row and max_col and max_row:
                self.merged.append((min_row, min_col, max_row, max_col))

    def merge_of(self, row: int, column: int) -> tuple[int, int, int, int] | None:
        for rng in self.merged:
            if rng[0] <= row <= rng[2] and rng[1] <= column <= rng[3]:
                return rng
        return None

    def anchor(self, row: int, column: int) -> tuple[int, int]:
        """The cell that shows the value at (row, column): the top-left of its merged range."""
        rng = self.merge_of(row, column)
        return (rng[0], rng[1]) if rng else (row, column)

    def is_free(self, row: int, column: int) -> bool:
        return self.merge_of(row, column) is None and self.values.get((row, column)) is None


def edits_for(sheet: SheetData, result: SheetResult) -> list[CellEdit]:
    """The cells to write for ``result`` on ``sheet``: number, status, and a label if missing."""
    cells = _Cells(sheet)
    edits: list[CellEdit] = []
    if result.offer_nr_cell is not None:
        row, column = cells.anchor(result.offer_nr_cell.row, result.offer_nr_cell.column)
    else:
        row, column, label = _label_place(cells, sheet.name, result.header_labels)
        if label is not None:
            edits.append(label)
    if result.offer_nr is not None:
        edits.append(CellEdit(sheet.name, row, column, result.offer_nr))
    status = _status_place(cells, row, column)
    if status is not None:
        edits.append(CellEdit(sheet.name, row, status, result.status_text))
    return edits


def _status_place(cells: _Cells, row: int, column: int) -> int | None:
    """The column of the first cell right of the number (past its merged range), if any."""
    rng = cells.merge_of(row, column)
    right = (rng[3] if rng else column) + 1
    target = cells.merge_of(row, right)
    if target is not None and (target[0], target[1]) != (row, right):
        return None  # inside a range anchored elsewhere: writing there would move the text
    return right


def _label_place(
    cells: _Cells, sheet: str, header_labels: list[CellRef]
) -> tuple[int, int, CellEdit | None]:
    """Where the Offertnr value goes when the sheet has no label, and the label to add.

    The label goes in the row of the first header label, one empty column right
    of everything the header rows use, at the first place where the label, the
    value and the status cells are all empty and not merged. A label an earlier
    run added is reused.
    """
    if header_labels:
        first: CellRef | None = min(header_labels)
        top, bottom = min(r.row for r in header_labels), max(r.row for r in header_labels)
        assert first is not None
        row, after = first.row, first.column
    else:
        first, top, bottom, row, after = None, 1, 1, 1, 0
    for (r, c), value in sorted(cells.values.items()):
        if r == row and c > after and isinstance(value, str):
            if value.strip().casefold() == OFFER_NR_LABEL.casefold():
                return row, c + 1, None
    used = max(
        (c for (r, c), v in cells.values.items() if top <= r <= bottom and v is not None),
        default=0,
    )
    for min_row, _min_col, max_row, max_col in cells.merged:
        if min_row <= bottom and max_row >= top:
            used = max(used, max_col)
    column = used + 2
    while not all(cells.is_free(row, column + i) for i in range(3)):
        column += 1
    style = (first.row, first.column) if first is not None else None
    return row, column + 1, CellEdit(sheet, row, column, OFFER_NR_LABEL, style_like=style)


# --------------------------------------------------------------------------- results file


def write_results_file(path: Path, results: Sequence[SheetResult]) -> Path:
    """Write the results beside an input that can't hold them; return the file's path.

    The file is ``<stem>.results.xlsx`` with one row per sheet: sheet, offer
    number and status (as text), and the records in its custom document
    properties, as in a written-back workbook, so :func:`read_records` works
    on it. It is written atomically. Raises :class:`WritebackError`.
    """
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

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
                cell = ws.cell(row=row_number, column=column, value=clean_text(text))
                cell.data_type = "s"  # a server string is never a formula
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 60
    records = [r.record for r in results if r.record is not None]
    properties: Any = wb.custom_doc_props  # type: ignore[attr-defined]  # not in the stubs
    for name, value in encode_properties(records):
        properties.append(StringProperty(name=name, value=value))
    buffer = _saved(out, wb)
    try:
        write_atomically(out, buffer)
    except PermissionError as exc:
        raise WritebackError("wb_results_file_locked", file=out.name) from exc
    except OSError as exc:
        raise os_error(out, exc, "wb_cannot_save_results") from exc
    return out


def _saved(path: Path, wb: Workbook) -> bytes:
    import io

    from openpyxl.utils.exceptions import InvalidFileException

    buffer = io.BytesIO()
    try:
        wb.save(buffer)
    except (InvalidFileException, ValueError, TypeError) as exc:
        raise WritebackError("wb_cannot_write", file=path.name, reason=exc) from exc
    return buffer.getvalue()
