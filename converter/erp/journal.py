"""The local journal: what was sent where, recorded before and after each request.

A SQLite file in the user's data folder. It is what makes a re-run safe: an
offer is recorded as *pending* (with the ExternalId it carries) before its
POST, and as *done* (with its key and number) after the reply. A run killed in
between leaves a pending row, and the next run asks SoftOne GO whether an offer
with that ExternalId exists before it creates one. It also keeps results whose
write-back failed, so the next run writes them without uploading again.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from converter.errors import JournalError
from converter.paths import default_journal_path

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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Journal:
    """The journal file; safe to share between threads of one process."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_journal_path()
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")  # a recorded request survives a crash
            self._db.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise JournalError("journal_cannot_open", path=self.path, reason=exc) from exc

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

    def get(self, target: str, file: str, sheet: str) -> Entry | None:
        """The entry for one sheet of one file at one target, if any."""
        rows = self._run(
            "SELECT * FROM offers WHERE target = ? AND file = ? AND sheet = ?",
            (target, file, sheet),
        )
        return _entry(rows[0]) if rows else None

    def begin(
        self,
        target: str,
        file: str,
        sheet: str,
        external_id: str,
        fingerprint: str,
        customer_nr: str,
    ) -> None:
        """Record, before the POST, that an offer with ``external_id`` is being created."""
        self._put(target, file, sheet, external_id, fingerprint, customer_nr, "pending")

    def done(
        self,
        target: str,
        file: str,
        sheet: str,
        external_id: str,
        fingerprint: str,
        customer_nr: str,
        invoice_id: int,
        offer_nr: str,
    ) -> None:
        """Record that SoftOne GO holds the offer: its key, number and what was sent."""
        self._put(
            target, file, sheet, external_id, fingerprint, customer_nr, "done", invoice_id, offer_nr
        )

    def _put(
        self,
        target: str,
        file: str,
        sheet: str,
        external_id: str,
        fingerprint: str,
        customer_nr: str,
        state: State,
        invoice_id: int | None = None,
        offer_nr: str | None = None,
    ) -> None:
        # a new state always starts as "not yet written into the workbook"
        self._run(
            "INSERT OR REPLACE INTO offers (target, file, sheet, external_id, fingerprint, "
            "customer_nr, state, invoice_id, offer_nr, written_back, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
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
                _now(),
            ),
        )

    def forget(self, target: str, file: str, sheet: str) -> None:
        """Drop a pending entry whose create SoftOne GO refused (nothing was saved)."""
        self._run(
            "DELETE FROM offers WHERE target = ? AND file = ? AND sheet = ? AND state = 'pending'",
            (target, file, sheet),
        )

    def mark_written(self, target: str, file: str, sheets: list[str]) -> None:
        """Record that the results of ``sheets`` are in the workbook now (one transaction)."""
        if not sheets:
            return
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
