"""Read a workbook into cells that carry their addresses.

This stage knows nothing about offers: it turns a file into
:class:`WorkbookData` (sheets, their visibility, their non-empty cells and
merged ranges) or raises :class:`~converter.errors.WorkbookError` naming the
file. The input file is opened read-only, read once into memory and never
written.

Every part is found through the package's relationships
(:mod:`converter.read.package`), in Transitional or Strict Open XML; the
shared strings and styles are read by :mod:`converter.read.parts` and each
sheet's cells are streamed by :mod:`converter.read.sheet_xml`. openpyxl is not
imported: its values are the reference the tests compare with.
"""

from __future__ import annotations

import gc
import hashlib
import io
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ExpatError

from converter.errors import WorkbookError, foreign_reason
from converter.model.cells import Cell, range_bounds
from converter.model.records import RECORDS_SHEET, FileStamp
from converter.read.package import CONTENT_TYPES_PART, Package, PackageError
from converter.read.parts import read_shared_strings, read_styles, uses_1904_dates
from converter.read.sheet_xml import MAC_EPOCH, WINDOWS_EPOCH, SheetStyles, parse_sheet

# Limits checked on the zip directory before anything is unpacked. A real offer
# workbook is far below them; a zip bomb or a package of 200,000 parts is not.
MAX_PARTS = 10_000
MAX_UNPACKED_BYTES = 1 << 30  # all parts together, as the zip directory declares them
MAX_RATIO = 200  # unpacked / packed, for parts over RATIO_FLOOR
RATIO_FLOOR = 16 << 20

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
    # the bytes ``stamp`` describes, where they were read whole: a later look proves the
    # file unchanged by comparing them, without hashing it again
    data: bytes | None = field(default=None, repr=False, compare=False)


def read_workbook(path: Path) -> WorkbookData:
    """Read every worksheet of an ``.xlsx``/``.xlsm`` file at ``path``."""
    data, stamp = read_file_bytes(path)
    sheets, _formats = _read(path, data, None)
    # The cells live as long as the workbook and hold no reference cycles: keep
    # the cyclic collector from walking them again at every collection while
    # they are mapped (it ran 142 times over a 20,000-row sheet). Frozen objects
    # are still freed when nothing refers to them.
    gc.freeze()
    return WorkbookData(path=path, stamp=stamp, sheets=sheets, data=data)


def blank_cell_formats(
    path: Path, cells: dict[str, frozenset[tuple[int, int]]]
) -> dict[str, dict[tuple[int, int], str]]:
    """The number format each empty cell of ``cells`` (sheet → (row, column)s) would show.

    A value written into an empty cell takes that format: a percentage is 0.1
    in a cell formatted ``0%`` and 10 in a General one. Only the sheets named
    are read. Raises :class:`WorkbookError` as :func:`read_workbook` does.
    """
    return _read(path, read_file_bytes(path)[0], cells)[1]


def read_sheets(
    path: Path, names: Collection[str], archive: zipfile.ZipFile | None = None
) -> list[SheetData]:
    """The worksheets ``names`` of the ``.xlsx`` file at ``path``, in workbook order.

    Only those sheets are parsed, and only the parts they need are unpacked
    (the file is not read whole): the write-back reads what it has just
    written this way. ``archive``, when given, is the file already opened. A
    name the workbook lacks is left out. Raises :class:`WorkbookError` as
    :func:`read_workbook` does.
    """
    if archive is not None:
        return _read_archive(path, archive, frozenset(names), {})[0]
    try:
        opened = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise WorkbookError("file_not_found", file=str(path)) from exc
    except _DAMAGED as exc:
        reason = foreign_reason(exc)
        raise WorkbookError("not_readable_workbook", file=path.name, reason=reason) from exc
    with opened:
        return _read_archive(path, opened, frozenset(names), {})[0]


Formats = dict[str, dict[tuple[int, int], str]]


def _read(
    path: Path, data: bytes, blanks: dict[str, frozenset[tuple[int, int]]] | None
) -> tuple[list[SheetData], Formats]:
    """The sheets of the file ``data`` read from ``path``; with ``blanks``, only those
    sheets, and the number formats of their asked-for empty cells."""
    _check_container(path, data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _DAMAGED as exc:
        reason = foreign_reason(exc)
        raise WorkbookError("not_readable_workbook", file=path.name, reason=reason) from exc
    with archive:
        only = None if blanks is None else frozenset(blanks)
        return _read_archive(path, archive, only, blanks or {})


def _read_archive(
    path: Path,
    archive: zipfile.ZipFile,
    only: frozenset[str] | None,
    blanks: dict[str, frozenset[tuple[int, int]]],
) -> tuple[list[SheetData], Formats]:
    """The sheets of ``archive`` (those named ``only``, when given), and the number formats
    of the empty cells ``blanks`` asks for."""
    formats: Formats = {}
    try:
        package = Package(archive)
        package.xml(CONTENT_TYPES_PART)  # every package has one: a broken one is damage
        styles = workbook_styles(package)
    except _DAMAGED as exc:
        reason = foreign_reason(exc)
        raise WorkbookError("not_readable_workbook", file=path.name, reason=reason) from exc
    try:
        sheets = []
        # chart sheets hold no cells; the index counts the other sheets, as before
        cell_sheets = [s for s in package.sheets if s.kind != "chartsheet"]
        for index, entry in enumerate(cell_sheets):
            if entry.name == RECORDS_SHEET or (only is not None and entry.name not in only):
                continue
            if entry.part is None:
                raise WorkbookError(
                    "damaged_workbook",
                    file=path.name,
                    reason=f"sheet '{entry.name}' is missing",
                )
            sheet = SheetData(name=entry.name, index=index, state=entry.state)
            wanted = blanks.get(entry.name, frozenset())
            formats[entry.name] = _fill_sheet(sheet, package, entry.part, styles, wanted)
            sheets.append(sheet)
    except _DAMAGED as exc:
        reason = foreign_reason(exc)
        raise WorkbookError("damaged_workbook", file=path.name, reason=reason) from exc
    return sheets, formats


def workbook_styles(package: Package) -> SheetStyles:
    """What every sheet of ``package`` needs: shared strings, number formats, the date system."""
    styles = read_styles(package)
    return SheetStyles(
        shared_strings=read_shared_strings(package),
        number_format=styles.number_format,
        date_styles=styles.date_styles,
        timedelta_styles=styles.duration_styles,
        epoch=MAC_EPOCH if uses_1904_dates(package) else WINDOWS_EPOCH,
    )


# What zipfile, the package layer and the XML parsers raise on a damaged
# package: they don't share a base class, so the reader's edge names them all.
_DAMAGED = (
    PackageError,
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


def _check_package_size(path: Path, data: bytes) -> None:
    """Refuse packages whose zip directory promises more than any offer needs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except _DAMAGED:
        return  # not a readable zip: opening it again says so
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


def _fill_sheet(
    sheet: SheetData,
    package: Package,
    part: str,
    styles: SheetStyles,
    blanks: frozenset[tuple[int, int]] = frozenset(),
) -> dict[tuple[int, int], str]:
    """Stream one sheet's cells; the number formats of the empty cells ``blanks`` are returned."""
    with package.open(part) as src:
        parsed = parse_sheet(src, sheet.name, styles, blanks)
    sheet.rows = parsed.rows
    sheet.merged = parsed.merged
    return parsed.blank_formats


def merge_ends(sheet: SheetData) -> dict[tuple[int, int], int]:
    """Map the top-left cell (row, column) of every merged range to the range's last column.

    Only the corners are stored: a range as large as the sheet costs one entry.
    """
    ends: dict[tuple[int, int], int] = {}
    for ref in sheet.merged:
        min_col, min_row, max_col, _max_row = range_bounds(ref)
        if min_col is not None and min_row is not None and max_col is not None:
            ends[(min_row, min_col)] = max(max_col, ends.get((min_row, min_col), 0))
    return ends
