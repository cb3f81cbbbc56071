"""What an upload leaves behind: the workbook's upload records, and how a file looked.

The write-back stores :class:`UploadRecord` values in the workbook and the
uploader reads them to decide what to do; both import them from here, so
neither stage depends on the other.

The records' encoding lives here too, in one place, for both forms a workbook
can carry them in:

* **custom document properties** (``docProps/custom.xml``), what this version
  writes: Excel and LibreOffice both keep them when they save the file, a copy
  carries them, and a user only sees them under File › Properties › Custom.
  Excel shows and keeps at most 255 characters of a property's text, so the
  records, as one JSON document, are cut into numbered properties
  (``offer-converter 1/3``, ``2/3``, ``3/3``) of :data:`PROPERTY_CHUNK`
  characters. The text is pure ASCII with no whitespace at all (``\\u0020``
  for a space), so no program's trimming or re-encoding can change it;
  :func:`decode_properties` refuses a set with a part missing rather than guess.
* the very hidden sheet :data:`RECORDS_SHEET` that earlier versions wrote, one
  record per row under a header row (:func:`records_from_rows`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

WRITABLE_SUFFIXES = (".xlsx", ".xlsm")  # formats whose results go into the workbook itself
# The very hidden sheet where earlier versions kept the upload records: the
# tool's bookkeeping, not the user's content, so the reader does not read it.
RECORDS_SHEET = "_offer_converter"
# The custom document properties holding the records: "offer-converter 1/2", ...
PROPERTY_PREFIX = "offer-converter"
PROPERTY_CHUNK = 240  # characters per property; Excel keeps 255
_PROPERTY_NAME = re.compile(rf"{re.escape(PROPERTY_PREFIX)} (\d+)/(\d+)")
_FORMAT_VERSION = 1
RECORD_FIELDS = (
    "target",
    "sheet",
    "external_id",
    "invoice_id",
    "offer_nr",
    "fingerprint",
    "customer_nr",
    "uploaded_at",
)


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What the file looked like when it was read, to notice a later change on disk."""

    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True)
class UploadRecord:
    """What the next run needs; kept in the workbook where the user doesn't see it.

    A record whose ``invoice_id`` is None is a *pending claim*: written before
    the offer is posted, so a run on another computer asks SoftOne GO by
    ``external_id`` before it sends anything.
    """

    target: str  # which SoftOne GO (e.g. "sandbox" or "https://host#ab12cd")
    sheet: str
    external_id: str
    invoice_id: int | None
    offer_nr: str | None
    fingerprint: str  # hash of what was sent
    customer_nr: str
    uploaded_at: str  # ISO timestamp

    @property
    def pending(self) -> bool:
        """True for a claim written before the offer was posted."""
        return self.invoice_id is None


class RecordsDamaged(ValueError):
    """The record properties are there but don't make a whole set (edited by hand?)."""


def is_record_property(name: str) -> bool:
    """True for the name of a custom document property that holds records."""
    return _PROPERTY_NAME.fullmatch(name) is not None


def encode_properties(records: Sequence[UploadRecord]) -> list[tuple[str, str]]:
    """The (name, text) custom document properties that hold ``records``; ``[]`` for none."""
    if not records:
        return []
    document = {
        "version": _FORMAT_VERSION,
        "fields": list(RECORD_FIELDS),
        "records": [[getattr(r, name) for name in RECORD_FIELDS] for r in records],
    }
    text = json.dumps(document, ensure_ascii=True, separators=(",", ":"))
    # Outside strings compact JSON has no whitespace; inside them a space may be escaped.
    text = text.replace(" ", "\\u0020")
    chunks = [text[i : i + PROPERTY_CHUNK] for i in range(0, len(text), PROPERTY_CHUNK)]
    count = len(chunks)
    return [(f"{PROPERTY_PREFIX} {n}/{count}", chunk) for n, chunk in enumerate(chunks, 1)]


def decode_properties(properties: Mapping[str, str]) -> list[UploadRecord] | None:
    """The records in the custom document ``properties`` (name → text).

    None when there are no record properties at all; :class:`RecordsDamaged`
    when they are there but incomplete or unreadable.
    """
    parts: dict[int, str] = {}
    counts: set[int] = set()
    for name, text in properties.items():
        match = _PROPERTY_NAME.fullmatch(name)
        if match is None:
            continue
        parts[int(match.group(1))] = text
        counts.add(int(match.group(2)))
    if not parts:
        return None
    if len(counts) != 1 or set(parts) != set(range(1, counts.pop() + 1)):
        raise RecordsDamaged("a part of the records is missing")
    text = "".join(parts[n] for n in sorted(parts))
    try:
        document = json.loads(text)
        fields = document["fields"]
        rows = document["records"]
        if not isinstance(fields, list) or not isinstance(rows, list):
            raise TypeError("fields and records must be lists")
        return records_from_rows([fields, *rows], strict=True)
    except (ValueError, KeyError, TypeError) as exc:
        raise RecordsDamaged(str(exc)) from exc


def records_from_rows(rows: Sequence[Sequence[object]], strict: bool = False) -> list[UploadRecord]:
    """Records from a header row of field names and one row per record.

    Columns are found by their header, so a later version may add or reorder
    them. A row without target, sheet or external id is no record (the
    journal still knows the offer); with ``strict`` it is :class:`RecordsDamaged`.
    """
    if not rows:
        return []
    header = {str(name): i for i, name in enumerate(rows[0]) if name is not None}
    if not {"target", "sheet", "external_id"} <= header.keys():
        if strict:
            raise RecordsDamaged("the records have no target, sheet or external_id")
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
            if strict:
                raise RecordsDamaged("a record has no target, sheet or external_id")
            continue
        records.append(
            UploadRecord(
                target=target,
                sheet=sheet,
                external_id=external_id,
                invoice_id=_to_int(text(row, "invoice_id")),
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
