"""What an upload leaves behind: the workbook's upload records, and how a file looked.

The write-back stores :class:`UploadRecord` values in the workbook and the
uploader reads them to decide what to do; both import them from here, so
neither stage depends on the other.
"""

from __future__ import annotations

from dataclasses import dataclass

WRITABLE_SUFFIXES = (".xlsx", ".xlsm")  # formats whose results go into the workbook itself
# The very hidden sheet where earlier versions kept the upload records: the
# tool's bookkeeping, not the user's content, so the reader does not read it.
RECORDS_SHEET = "_offer_converter"


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What the file looked like when it was read, to notice a later change on disk."""

    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True)
class UploadRecord:
    """What the next run needs; kept in the workbook where the user doesn't see it."""

    target: str  # which SoftOne GO (e.g. "sandbox" or "https://host#ab12cd")
    sheet: str
    external_id: str
    invoice_id: int | None
    offer_nr: str | None
    fingerprint: str  # hash of what was sent
    customer_nr: str
    uploaded_at: str  # ISO timestamp
