"""The local journal: what was sent where, recorded before and after each request.

A SQLite file in the user's data folder. It is what makes a re-run fast and
safe after a crash: an offer is recorded as *pending* (with the ExternalId it
carries) before its POST, and as *done* (with its key and number) after the
reply. A run killed in between leaves a pending row, and the next run asks
SoftOne GO whether an offer with that ExternalId exists before it creates one.
It also keeps results whose write-back failed, so the next run writes them
without uploading again, and it recognises an offer by its content (sheet and
fingerprint) when a stale copy or a Save As lost its upload record.

The journal is not the only memory: the workbook carries each offer's
ExternalId from before its POST (the claim), so a lost or damaged journal
duplicates nothing. A journal that can't be opened as a database is moved aside
(kept for support, :attr:`Journal.moved_aside`) and a new one is started.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from converter.errors import JournalError
from converter.paths import default_journal_path

log = logging.getLogger(__name__)

State = Literal["pending", "done"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS offers (
    target       TEXT NOT NULL,
    file         TEXT NOT NULL,
    sheet        TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    customer_nr  TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'done')),
    invoice_id   INTEGER,
    offer_nr     TEXT,
    written_back INTEGER NOT NULL DEFAULT 0,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (target, file, sheet)
);
CREATE INDEX IF NOT EXISTS offers_external_id ON offers (target, external_id);
"""


@dataclass(frozen=True, slots=True)
class Slot:
    """Where an offer lives: one sheet of one workbook, at one SoftOne GO (the journal's key)."""

    target: str
    file: str  # the workbook's absolute path
    sheet: str

    @classmethod
    def of(cls, target: str, path: Path, sheet: str) -> Slot:
        """The slot of ``sheet`` in the workbook at ``path``."""
        return cls(target, str(path.resolve()), sheet)


@dataclass(frozen=True, slots=True)
class Held:
    """An offer SoftOne GO holds, as the journal records it when it is done."""

    external_id: str
    fingerprint: str  # what was sent (or what SoftOne GO holds, after a read-back)
    customer_nr: str
    invoice_id: int
    offer_nr: str


@dataclass(frozen=True)
class Entry:
    """One offer as the journal knows it."""

    target: str
    file: str
    sheet: str
    external_id: str
    fingerprint: str
    customer_nr: str
    state: State
    invoice_id: int | None
    offer_nr: str | None
    written_back: bool
    updated_at: str

    @property
    def slot(self) -> Slot:
        """Where the offer lives."""
        return Slot(self.target, self.file, self.sheet)

    @property
    def held(self) -> Held | None:
        """What SoftOne GO holds, for a done entry; None while it is pending."""
        if self.state != "done" or self.invoice_id is None or not self.offer_nr:
            return None
        return Held(
            self.external_id, self.fingerprint, self.customer_nr, self.invoice_id, self.offer_nr
        )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _damaged(exc: sqlite3.Error) -> bool:
    """True when ``exc`` says the file is no SQLite database (garbage, truncated)."""
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        return True
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


class Journal:
    """The journal file; safe to share between threads of one process.

    ``moved_aside`` is where a damaged journal was moved (None when it was fine).
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_journal_path()
        self._lock = threading.Lock()
        self.moved_aside: Path | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise JournalError("journal_cannot_open", path=self.path, reason=exc) from exc
        try:
            self._db = self._open()
        except sqlite3.Error as exc:
            if not _damaged(exc):
                raise JournalError("journal_cannot_open", path=self.path, reason=exc) from exc
            self.moved_aside = self._move_aside()
            log.warning("the journal %s was damaged (%s); moved to %s", self.path, exc,
                        self.moved_aside)  # fmt: skip
            try:
                self._db = self._open()
            except sqlite3.Error as again:
                raise JournalError("journal_cannot_open", path=self.path, reason=again) from again

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # a recorded request survives a crash
            db.executescript(_SCHEMA)
            db.execute("SELECT count(*) FROM offers").fetchall()
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _move_aside(self) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        try:
            self.path.replace(aside)
            for extra in ("-wal", "-shm"):
                side = self.path.with_name(self.path.name + extra)
                if side.exists():
                    side.replace(aside.with_name(aside.name + extra))
        except OSError as exc:
            raise JournalError("journal_cannot_open", path=self.path, reason=exc) from exc
        return aside

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, sql: str, args: tuple[object, ...]) -> list[tuple[object, ...]]:
        try:
            with self._lock:
                return self._db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise JournalError("journal_cannot_use", path=self.path, reason=exc) from exc

    def get(self, slot: Slot) -> Entry | None:
        """The entry for one slot, if any."""
        rows = self._run(
            "SELECT * FROM offers WHERE target = ? AND file = ? AND sheet = ?",
            (slot.target, slot.file, slot.sheet),
        )
        return _entry(rows[0]) if rows else None

    def begin(self, slot: Slot, external_id: str, fingerprint: str, customer_nr: str) -> None:
        """Record, before the POST, that an offer with ``external_id`` is being created."""
        self._put(slot, external_id, fingerprint, customer_nr, "pending", None, None)

    def done(self, slot: Slot, held: Held) -> None:
        """Record that SoftOne GO holds the offer: its key, number and what was sent."""
        self._put(
            slot,
            held.external_id,
            held.fingerprint,
            held.customer_nr,
            "done",
            held.invoice_id,
            held.offer_nr,
        )

    def _put(
        self,
        slot: Slot,
        external_id: str,
        fingerprint: str,
        customer_nr: str,
        state: State,
        invoice_id: int | None,
        offer_nr: str | None,
    ) -> None:
        # a new state always starts as "not yet written into the workbook"
        self._run(
            "INSERT OR REPLACE INTO offers (target, file, sheet, external_id, fingerprint, "
            "customer_nr, state, invoice_id, offer_nr, written_back, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
            (
                slot.target,
                slot.file,
                slot.sheet,
                external_id,
                fingerprint,
                customer_nr,
                state,
                invoice_id,
                offer_nr,
                _now(),
            ),
        )

    def forget(self, slot: Slot) -> None:
        """Drop a pending entry whose create SoftOne GO refused (nothing was saved)."""
        self._run(
            "DELETE FROM offers WHERE target = ? AND file = ? AND sheet = ? AND state = 'pending'",
            (slot.target, slot.file, slot.sheet),
        )

    def mark_written(self, slots: list[Slot]) -> None:
        """Record that the results of ``slots`` are in their workbooks now (one transaction)."""
        for target, file in {(s.target, s.file) for s in slots}:
            sheets = [s.sheet for s in slots if (s.target, s.file) == (target, file)]
            marks = ", ".join("?" * len(sheets))
            self._run(
                "UPDATE offers SET written_back = 1, updated_at = ? "
                f"WHERE target = ? AND file = ? AND sheet IN ({marks})",
                (_now(), target, file, *sheets),
            )

    def find_external_id(self, target: str, external_id: str) -> list[Entry]:
        """Every entry at ``target`` whose offer carries ``external_id`` (any file or sheet).

        A migration gives an offer an ExternalId made from its legacy offer
        number, so this finds the same legacy offer however its file is named.
        """
        rows = self._run(
            "SELECT * FROM offers WHERE target = ? AND external_id = ? ORDER BY updated_at",
            (target, external_id),
        )
        return [_entry(r) for r in rows]

    def find_content(self, target: str, sheet: str, fingerprint: str) -> list[Entry]:
        """Every done entry at ``target`` for a sheet named ``sheet`` that sent exactly
        this content (``fingerprint``), in any file, newest first."""
        rows = self._run(
            "SELECT * FROM offers WHERE target = ? AND sheet = ? AND fingerprint = ? "
            "AND state = 'done' ORDER BY updated_at DESC",
            (target, sheet, fingerprint),
        )
        return [_entry(r) for r in rows]

    def entries(self, target: str | None = None) -> list[Entry]:
        """Every entry (of one target), oldest first."""
        if target is None:
            rows = self._run("SELECT * FROM offers ORDER BY updated_at", ())
        else:
            rows = self._run("SELECT * FROM offers WHERE target = ? ORDER BY updated_at", (target,))
        return [_entry(r) for r in rows]


def _entry(row: tuple[object, ...]) -> Entry:
    (
        target,
        file,
        sheet,
        external_id,
        fingerprint,
        customer_nr,
        state,
        invoice_id,
        offer_nr,
        written_back,
        updated_at,
    ) = row
    return Entry(
        target=str(target),
        file=str(file),
        sheet=str(sheet),
        external_id=str(external_id),
        fingerprint=str(fingerprint),
        customer_nr=str(customer_nr),
        state="done" if state == "done" else "pending",
        invoice_id=int(invoice_id) if isinstance(invoice_id, int) else None,
        offer_nr=None if offer_nr is None else str(offer_nr),
        written_back=bool(written_back),
        updated_at=str(updated_at),
    )
