"""Helpers for the tests of issue 14 (test_lookups, test_readback, test_updates).

Offers are written as the template lays them out and uploaded to a sandbox over
real loopback HTTP, through the same :func:`~converter.pipeline.upload_files` as
``offer-converter upload``; the journal lives in the test's folder, so a second
upload is a second run on the same computer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, Literal

import httpx
import openpyxl

from converter.erp.client import Endpoints, RetryPolicy, SoftOneClient
from converter.erp.guard import Guard
from converter.erp.journal import Journal
from converter.erp.uploader import Uploader
from converter.pipeline import UploadRun, upload_files
from converter.sandbox import SandboxServer

COLUMNS = ("Rad", "Artikel", "Beskrivning", "Antal", "Enhet", "Pris", "Rabatt")
# Artikel, Beskrivning, Antal, Enhet, Pris, Rabatt: rows 9, 10, 11 of the sheet (Rad 2, 3, 4)
ROWS: tuple[tuple[Any, ...], ...] = (
    ("A11", "Arbetskostnad", 5, "Tim", 580, None),
    ("A12", "Installationsmaterial", 1, "St", 7400, 10),
    ("A14", "Resor inom V-ås", 2, "St", 250, None),
)
KUNDNR, OFFERTNR, STATUS = "B2", "B5", "C5"
# words that give English away in a message that should be Swedish
ENGLISH = re.compile(r"\b(the|was|were|is|has|not|sheet|offer|says|and|clear|change)\b")


def write_offer(
    path: Path,
    customer: str = "013",
    rows: Sequence[tuple[Any, ...]] = ROWS,
    sheets: Sequence[str] = ("Offert 1",),
) -> Path:
    """A workbook laid out like the template: Kundnr in B2, Offertnr in B5, a text row
    (Rad 1) on sheet row 8 and the product rows from sheet row 9 (Rad 2, 3, …)."""
    return write_sheets(path, {title: customer for title in sheets}, rows, COLUMNS)


def write_sheets(
    path: Path,
    customers: Mapping[str, str],
    rows: Sequence[tuple[Any, ...]],
    columns: Sequence[str],
) -> Path:
    """A workbook with one template-like sheet per ``customers`` entry (title → Kundnr):
    the grid headed by ``columns`` on sheet row 7, a text row and then ``rows``."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for title, customer in customers.items():
        ws = wb.create_sheet(title)
        ws["A2"], ws[KUNDNR] = "Kundnr", customer
        ws["A3"], ws["B3"] = "Offertdatum", date(2026, 1, 30)
        ws["A5"] = "Offertnr"
        for col, label in enumerate(columns, 1):
            ws.cell(7, col, label)
        ws.cell(8, 1, 1)
        ws.cell(8, 3, "Offert enligt telefonsamtal")
        for r, row in enumerate(rows, start=9):
            ws.cell(r, 1, r - 7)
            for c, value in enumerate(row, start=2):
                ws.cell(r, c, value)
    wb.save(path)
    return path


def edit(path: Path, cells: Mapping[str, Any], sheet: str = "Offert 1") -> None:
    """Change cells of a sheet, as a salesperson does in Excel (and save)."""
    wb = openpyxl.load_workbook(path)
    for coordinate, value in cells.items():
        wb[sheet][coordinate] = value
    wb.save(path)


def cell(path: Path, coordinate: str, sheet: str = "Offert 1") -> Any:
    """A cell's value as the file on disk holds it."""
    return openpyxl.load_workbook(path)[sheet][coordinate].value


def has_records(path: Path) -> bool:
    """True when the workbook carries upload records."""
    from converter.writeback.patch import read_records

    return bool(read_records(path))


@contextmanager
def uploader(
    server: SandboxServer,
    folder: Path,
    *,
    unknown_articles: Literal["error", "warn"] = "error",
    verify: bool = True,
    offer_body: Literal["array", "object"] = "array",
    timeout: float = 5.0,
    retry: RetryPolicy | None = None,
    on_request: Callable[[httpx.Request], None] | None = None,
) -> Iterator[Uploader]:
    """An uploader for ``server`` with the journal in ``folder``, set up as a session does."""
    hooks = {"request": [on_request]} if on_request else {}
    with (
        Journal(folder / "journal.sqlite") as journal,
        httpx.Client(base_url=server.url + "/", timeout=timeout, event_hooks=hooks) as http,
    ):
        client = SoftOneClient(
            http,
            server.client_credentials(),
            Endpoints(offer_body=offer_body),
            retry=retry or RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.02),
        )
        guard = Guard(client, unknown_articles=unknown_articles, verify=verify)
        yield Uploader(client, journal, "sandbox", settle_seconds=0.05, guard=guard)


def upload(paths: Sequence[Path], server: SandboxServer, folder: Path, **options: Any) -> UploadRun:
    """Upload ``paths`` to ``server`` and write the results back (one run)."""
    with uploader(server, folder, **options) as up:
        return upload_files(paths, up, backup_dir=folder / "backups")


def only(server: SandboxServer) -> dict[str, Any]:
    """The one offer the sandbox holds."""
    [stored] = server.offers()
    return stored


def assert_swedish(text: str) -> None:
    """``text`` reads wholly in Swedish (no English word of our messages in it)."""
    found = ENGLISH.findall(text)
    assert not found, f"English words {found} in: {text}"
