"""What a file that is not a workbook is, said in plain words.

When the reader refuses a file as "not a workbook", the salesperson needs to
know what they dropped instead: an empty file, a Word document renamed
``.xlsx``, a PDF. :func:`plain_error` looks at the file's first bytes (and, for
a zip package, the names of its parts) and gives the error that says so; a
file it can't name keeps the reader's error. A damaged Excel workbook is said
to be damaged, with what to do; the parser's own words (English, an
exception's) go to the log. Nothing here decides whether a file is readable:
that is the reader's job, and this only runs after it said no.
"""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path
from typing import Literal

from converter.errors import WorkbookError

FileKind = Literal[
    "empty", "word", "powerpoint", "pdf", "ods", "zip", "text", "excel", "damaged", "other"
]

log = logging.getLogger(__name__)

#: the reader's codes for "this is no workbook", which a plainer message may replace
_REFUSALS = frozenset({"not_a_workbook", "not_readable_workbook", "not_a_spreadsheet"})
#: the reader's codes for a damaged Excel package: their reason is the parser's, in English
_DAMAGED = frozenset({"not_readable_workbook", "damaged_workbook"})
#: the message for each kind; kinds without one keep the reader's message
_CODES: dict[FileKind, str] = {
    "empty": "file_empty",
    "word": "file_is_word",
    "powerpoint": "file_is_powerpoint",
    "pdf": "file_is_pdf",
    "ods": "file_is_ods",
    "zip": "file_is_zip",
    "text": "file_is_text",
    "other": "file_is_other",
}
#: migrate reads .ods and .csv itself: it only needs the kinds it can't read said plainly
_MIGRATE_KEEPS: frozenset[FileKind] = frozenset({"ods", "text", "other"})
_SNIFF_LIMIT = 64 << 20  # a zip's directory is at its end: read it whole, up to this size
_OPENDOCUMENT = b"application/vnd.oasis.opendocument."


def plain_error(exc: WorkbookError, path: Path) -> WorkbookError:
    """``exc`` said plainly: what ``path`` is when the reader refused it and the kind has a
    name, or "damaged" for a damaged workbook; any other error as it is."""
    if exc.code not in _REFUSALS | _DAMAGED:
        return exc
    kind = kind_of(path) if exc.code in _REFUSALS else "excel"
    if kind in ("excel", "damaged") and exc.code in _DAMAGED:
        code = "file_damaged"  # the parser's reason goes to the log, not to the salesperson
    elif kind is None or kind not in _CODES:
        return exc
    elif exc.code == "not_a_spreadsheet" and kind in _MIGRATE_KEEPS:
        return exc
    else:
        code = _CODES[kind]
    log.info("%s (said as %s)", exc, code)
    return WorkbookError(code, file=path.name)


def kind_of(path: Path) -> FileKind | None:
    """The kind of file at ``path`` by its content, or None when it can't be read."""
    try:
        size = path.stat().st_size
        if size == 0:
            return "empty"
        with path.open("rb") as fh:
            data = fh.read(_SNIFF_LIMIT)
    except OSError:
        return None
    return kind_of_bytes(data)


def kind_of_bytes(data: bytes) -> FileKind:
    """The kind of file whose content starts with ``data``."""
    if not data:
        return "empty"
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK"):
        return _zip_kind(data)
    if _looks_like_text(data[:4096]):
        return "text"
    return "other"


def _zip_kind(data: bytes) -> FileKind:
    """Office documents and OpenDocument files are zip packages: their parts say which.

    An Office package names its main part in ``_rels/.rels`` and that part's
    content type in ``[Content_Types].xml``: those decide, as the standard
    says, so that a workbook whose main part is not under ``xl/`` is still
    called a workbook. The usual folder names are the fallback.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            mimetype = archive.read("mimetype")[:80] if "mimetype" in names else b""
            main = _main_part_kind(archive)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, RuntimeError, EOFError):
        return "damaged"  # most likely a damaged (cut off) workbook
    if main is not None:
        return main
    if any(name.startswith("word/") for name in names):
        return "word"
    if any(name.startswith("ppt/") for name in names):
        return "powerpoint"
    if any(name.startswith("xl/") for name in names):
        return "excel"  # an Excel package the reader could not read: damaged
    if mimetype.startswith(_OPENDOCUMENT + b"spreadsheet"):
        return "ods"
    if mimetype.startswith(_OPENDOCUMENT):
        return "other"  # a text document or a presentation of LibreOffice's
    return "zip"


_MAIN_TYPES: dict[str, FileKind] = {
    "spreadsheetml": "excel",
    "wordprocessingml": "word",
    "presentationml": "powerpoint",
}


def _main_part_kind(archive: zipfile.ZipFile) -> FileKind | None:
    """The kind the package's main part (through ``_rels/.rels``) has by its content type."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    by_name = {name.casefold(): name for name in archive.namelist()}
    try:
        rels = fromstring(archive.read(by_name.get("_rels/.rels", "_rels/.rels")))
        types = fromstring(archive.read(by_name.get("[content_types].xml", "[Content_Types].xml")))
    except (KeyError, ParseError, DefusedXmlException):
        return None
    targets = [
        rel.get("Target", "").lstrip("/").casefold()
        for rel in rels
        if rel.get("Type", "").rstrip("/").endswith("/officeDocument")
    ]
    for override in types:
        part = override.get("PartName", "").lstrip("/").casefold()
        if targets and part == targets[0]:
            content_type = override.get("ContentType", "")
            for marker, kind in _MAIN_TYPES.items():
                if f".{marker}." in content_type:
                    return kind
    return None


def _looks_like_text(head: bytes) -> bool:
    """Text in UTF-8 (with or without a BOM) or a Windows code page, with no control bytes."""
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8", "ignore") if _is_utf8(head) else head.decode("cp1252")
    except UnicodeDecodeError:
        return False  # bytes no Windows code page has: binary
    return all(c.isprintable() or c in "\r\n\t\ufeff" for c in text)


def _is_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # cut in the middle of the last character
    return True
