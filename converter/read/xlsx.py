"""Read a workbook into cells that carry their addresses.

This stage knows nothing about offers: it turns a file into
:class:`WorkbookData` (sheets, their visibility, their non-empty cells and
merged ranges) or raises :class:`~converter.errors.WorkbookError` naming the
file. The input file is opened read-only, read once into memory and never
written.

openpyxl reads the package (manifest, shared strings, styles, the list of
sheets) with defusedxml; each sheet's cells are then streamed by
:mod:`converter.read.sheet_xml`, which gives the same values much faster.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ExpatError

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from converter.errors import WorkbookError, foreign_reason
from converter.i18n import render, system_lang
from converter.model.cells import Cell
from converter.model.records import RECORDS_SHEET, FileStamp
from converter.read.sheet_xml import SheetStyles, parse_sheet

# Limits checked on the zip directory before anything is unpacked. A real offer
# workbook is far below them; a zip bomb or a package of 200,000 parts is not.
MAX_PARTS = 10_000
MAX_UNPACKED_BYTES = 1 << 30  # all parts together, as the zip directory declares them
MAX_RATIO = 200  # unpacked / packed, for parts over RATIO_FLOOR
RATIO_FLOOR = 16 << 20


def _require_defusedxml() -> None:
    """Refuse to start unless openpyxl parses workbook XML with defusedxml.

    Without it, a workbook could carry billion-laughs entities or external
    entities that read local files.
    """
    import openpyxl

    if not getattr(openpyxl, "DEFUSEDXML", False):
        raise ImportError(render("safe_xml_required", system_lang()))


_require_defusedxml()
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(slots=True)
class SheetData:
    """One worksheet: visibility, non-empty cells row by row, merged ranges."""

    name: str
    index: int
    state: str  # "visible", "hidden" or "veryHidden"
    rows: list[list[Cell]] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)

    @property
    def visible(self) -> bool:
        """True unless the sheet is hidden or very hidden."""
        return self.state == "visible"


@dataclass(slots=True)
class WorkbookData:
    """A workbook as read: its path, its stamp and its worksheets in order."""

    path: Path
    stamp: FileStamp
    sheets: list[SheetData]


class _PackageReader(ExcelReader):
    """openpyxl's package reader, stopping short of building worksheet objects.

    It reads the manifest, shared strings, workbook, styles and relationships
    as openpyxl does, and only notes each worksheet's name, state and part;
    :mod:`converter.read.sheet_xml` streams the sheets themselves.
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


def _open_package(path: Path) -> tuple[_PackageReader, FileStamp]:
    """The package at ``path``, read up to its worksheets, and the file's stamp."""
    data, stamp = read_file_bytes(path)
    _check_container(path, data)
    try:
        package = _PackageReader(data)
        package.read()
    except _DAMAGED as exc:
        reason = foreign_reason(exc)
        raise WorkbookError("not_readable_workbook", file=path.name, reason=reason) from exc
    return package, stamp


def read_workbook(path: Path) -> WorkbookData:
    """Read every worksheet of an ``.xlsx``/``.xlsm`` file at ``path``."""
    package, stamp = _open_package(path)
    try:
        sheets = []
        for index, (name, state, part) in enumerate(package.sheet_parts):
            if name == RECORDS_SHEET:
                continue
            if part is None:
                raise WorkbookError(
                    "damaged_workbook", file=path.name, reason=f"sheet '{name}' is missing"
                )
            sheet = SheetData(name=name, index=index, state=state)
            _fill_sheet(sheet, package, part)
            sheets.append(sheet)
    except _DAMAGED as exc:
        raise WorkbookError("damaged_workbook", file=path.name, reason=foreign_reason(exc)) from exc
    finally:
        package.archive.close()
    return WorkbookData(path=path, stamp=stamp, sheets=sheets)


# What openpyxl, zipfile and the XML parser raise on a damaged package: they
# don't share a base class, so the reader's edge names them all.
_DAMAGED = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    ParseError,
    ExpatError,  # the sheet parser's (converter.read.sheet_xml)
    KeyError,
    IndexError,
    AttributeError,
    ValueError,  # also defusedxml's refusals (entities, DTDs)
    LookupError,  # an XML declaration naming an unknown encoding
    NotImplementedError,  # zipfile: an unsupported zip version or compression
    RuntimeError,  # zipfile: an encrypted part; also RecursionError on absurd nesting
    TypeError,
    EOFError,
    OSError,
)


def read_file_bytes(path: Path, max_bytes: int | None = None) -> tuple[bytes, FileStamp]:
    """The file's bytes and stamp; :class:`WorkbookError` when it can't be read (or is huge)."""
    try:
        st = path.stat()
        if max_bytes is not None and st.st_size > max_bytes:
            raise WorkbookError(
                "package_too_large", file=path.name, reason=f"{st.st_size >> 20} MiB"
            )
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise WorkbookError("file_not_found", file=str(path)) from exc
    except IsADirectoryError as exc:
        raise WorkbookError("file_is_folder", file=str(path)) from exc
    except PermissionError as exc:
        raise WorkbookError("file_locked", file=path.name) from exc
    except OSError as exc:
        raise WorkbookError("file_unreadable", file=path.name, reason=exc.strerror) from exc
    stamp = FileStamp(st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest())
    return data, stamp


def _check_container(path: Path, data: bytes) -> None:
    """Refuse, with a message that says what to do, files that are not xlsx packages."""
    if data.startswith(_OLE_MAGIC):
        raise WorkbookError("old_or_protected", file=path.name)
    if not data.startswith(b"PK"):
        raise WorkbookError("not_a_workbook", file=path.name)
    _check_package_size(path, data)
    if _is_strict_ooxml(data):
        raise WorkbookError("strict_ooxml", file=path.name)


def _check_package_size(path: Path, data: bytes) -> None:
    """Refuse packages whose zip directory promises more than any offer needs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except _DAMAGED:
        return  # not a readable zip: openpyxl will say so
    if len(infos) > MAX_PARTS:
        raise WorkbookError("package_too_large", file=path.name, reason=f"{len(infos)} parts")
    total = sum(i.file_size for i in infos)
    bomb = any(
        i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1)
        for i in infos
    )
    if total > MAX_UNPACKED_BYTES or bomb:
        raise WorkbookError(
            "package_too_large", file=path.name, reason=f"{total // (1 << 20)} MiB unpacked"
        )


def _is_strict_ooxml(data: bytes) -> bool:
    """True for Strict Open XML, which openpyxl reads as a workbook without sheets."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            with archive.open("xl/workbook.xml") as fh:
                head = fh.read(4096)
    except _DAMAGED:
        return False  # openpyxl will say what is wrong
    return b"purl.oclc.org/ooxml/spreadsheetml/main" in head


def _fill_sheet(
    sheet: SheetData,
    package: _PackageReader,
    part: str,
    blanks: frozenset[tuple[int, int]] = frozenset(),
) -> dict[tuple[int, int], str]:
    """Stream one sheet's cells (openpyxl's style internals, pinned to 3.1 in pyproject);
    the number formats of the empty cells ``blanks`` are returned."""
    wb: Any = package.wb  # openpyxl keeps date formats in private attributes
    styles = SheetStyles(
        shared_strings=package.shared_strings,
        number_format=lambda style_id: _number_format(wb, style_id),
        date_styles=frozenset(wb._date_formats),
        timedelta_styles=frozenset(wb._timedelta_formats),
        epoch=wb.epoch,
    )
    with package.archive.open(part) as src:
        parsed = parse_sheet(src, sheet.name, styles, blanks)
    sheet.rows = parsed.rows
    sheet.merged = parsed.merged
    return parsed.blank_formats


def blank_cell_formats(
    path: Path, cells: dict[str, frozenset[tuple[int, int]]]
) -> dict[str, dict[tuple[int, int], str]]:
    """The number format each empty cell of ``cells`` (sheet → (row, column)s) would show.

    A value written into an empty cell takes that format: a percentage is 0.1
    in a cell formatted ``0%`` and 10 in a General one. Raises
    :class:`WorkbookError` as :func:`read_workbook` does.
    """
    package, _stamp = _open_package(path)
    formats: dict[str, dict[tuple[int, int], str]] = {}
    try:
        for index, (name, state, part) in enumerate(package.sheet_parts):
            if name in cells and part is not None:
                sheet = SheetData(name=name, index=index, state=state)
                formats[name] = _fill_sheet(sheet, package, part, cells[name])
    except _DAMAGED as exc:
        raise WorkbookError("damaged_workbook", file=path.name, reason=foreign_reason(exc)) from exc
    finally:
        package.archive.close()
    return formats


def _number_format(wb: Any, style_id: int) -> str:
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


def merge_ends(sheet: SheetData) -> dict[tuple[int, int], int]:
    """Map the top-left cell (row, column) of every merged range to the range's last column.

    Only the corners are stored: a range as large as the sheet costs one entry.
    """
    ends: dict[tuple[int, int], int] = {}
    for ref in sheet.merged:
        min_col, min_row, max_col, _max_row = range_boundaries(ref)
        if min_col is not None and min_row is not None and max_col is not None:
            ends[(min_row, min_col)] = max(max_col, ends.get((min_row, min_col), 0))
    return ends
