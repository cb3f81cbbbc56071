"""At most once, as users really behave (issue 13): recovery that doesn't make
people wait, a late commit, a stale copy, Save As and moves, lost and damaged
journals. Every count of offers is the sandbox's own state, over loopback HTTP.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from test_upload import numbers_in, offers_by_customer, write_offer_workbook

import converter.writeback.workbook as writeback
from converter.erp.client import RetryPolicy, SoftOneClient
from converter.erp.journal import Journal
from converter.erp.uploader import Uploader
from converter.pipeline import UploadRun, upload_files
from converter.sandbox import Faults, SandboxConfig, SandboxServer

OFFER_ROUTE = "/economy/billing/offer"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(state_path=tmp_path / "state.json")) as server:
        yield server


def upload(
    paths: list[Path],
    server: SandboxServer,
    home: Path,
    *,
    timeout: float = 5.0,
    settle: float = 5.0,
    sleeps: list[float] | None = None,
) -> UploadRun:
    """One upload run with the journal and backups in ``home``; ``sleeps`` records every
    pause the uploader makes while it waits for a request that got no answer."""
    import time

    def sleep(seconds: float) -> None:
        if sleeps is not None:
            sleeps.append(seconds)
        time.sleep(seconds)

    with (
        Journal(home / "journal.sqlite") as journal,
        httpx.Client(base_url=server.url + "/", timeout=timeout) as http,
    ):
        client = SoftOneClient(
            http,
            server.client_credentials(),
            retry=RetryPolicy(attempts=6, base_delay=0.01, max_delay=0.05),
        )
        uploader = Uploader(client, journal, "sandbox", settle_seconds=settle, sleep=sleep)
        return upload_files(paths, uploader, backup_dir=home / "backups")


# -- recovery that doesn't make people wait ---------------------------------------------


def test_a_dropped_reply_is_found_at_the_first_look_not_after_the_window(
    tmp_path: Path,
) -> None:
    """The server saved the offer and dropped the connection: the first look-up, a
    sixteenth of the 5 s window later, finds it; nobody waits two timeouts."""
    faults = Faults(drop_after_save_every=1)
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013", "4416"])
    sleeps: list[float] = []
    with SandboxServer(SandboxConfig(state_path=tmp_path / "s.json", faults=faults)) as server:
        run = upload([path], server, tmp_path, settle=5.0, sleeps=sleeps)
        assert run.ok, [r.message() for r in run.results]
        assert offers_by_customer(server) == {"013": 1, "4416": 1}
    assert sleeps == [5.0 / 16, 5.0 / 16]  # one short pause per offer, then found


def test_a_500_the_server_answered_is_looked_up_at_once(tmp_path: Path) -> None:
    """A 500 is a finished request: saved (error after save) or not (error before);
    either way the look-up can answer at once, without any wait."""
    for n, faults in enumerate([Faults(error_after_save_every=1), Faults(error_before_every=2)]):
        home = tmp_path / str(n)
        home.mkdir()
        path = write_offer_workbook(home / "offer.xlsx", ["013", "4416"])
        sleeps: list[float] = []
        with SandboxServer(SandboxConfig(state_path=home / "s.json", faults=faults)) as server:
            run = upload([path], server, home, settle=30.0, sleeps=sleeps)
            assert run.ok, [r.message() for r in run.results]
            assert offers_by_customer(server) == {"013": 1, "4416": 1}
        assert sleeps == []


def test_a_request_that_never_appears_is_sent_again_after_the_whole_window(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    """The first POST is lost before the server saw it (answered by nobody): the look-ups
    grow, cover the window exactly, and only then is the offer sent again, once."""
    app: Any = sandbox._app
    real_post = app._routes[OFFER_ROUTE]["POST"]
    calls: list[int] = []
    lost = threading.Event()

    def lose_the_first(query: dict[str, str], body: bytes, action: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            lost.wait(10)  # never saved; the client times out long before
            return dataclasses.replace(real_post(query, b"[]", action), status=599)
        return real_post(query, body, action)

    app._routes[OFFER_ROUTE]["POST"] = lose_the_first
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    sleeps: list[float] = []
    try:
        run = upload([path], sandbox, tmp_path, timeout=0.3, settle=0.8, sleeps=sleeps)
    finally:
        lost.set()
    assert run.ok, [r.message() for r in run.results]
    assert sleeps == pytest.approx([0.05, 0.1, 0.2, 0.4, 0.05])  # growing: 0.8 s in all
    assert len(calls) == 2 and offers_by_customer(sandbox) == {"013": 1}


def test_a_late_commit_is_reported_as_a_duplicate_with_both_numbers(
    sandbox: SandboxServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 13, case 5: with a short timeout, the first POST is saved only after the
    client gave up, looked for it during the whole window and sent it again. Two offers
    carry one ExternalId: the result and the log say so, with both numbers."""
    app: Any = sandbox._app
    real_post = app._routes[OFFER_ROUTE]["POST"]
    second_saved = threading.Event()
    first_saved = threading.Event()
    calls: list[int] = []

    def commit_late(query: dict[str, str], body: bytes, action: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            second_saved.wait(10)  # still running when the resend is saved
            reply = real_post(query, body, action)
            first_saved.set()
            return reply
        reply = real_post(query, body, action)
        second_saved.set()
        first_saved.wait(10)  # the reply to the resend leaves after the late commit
        return reply

    app._routes[OFFER_ROUTE]["POST"] = commit_late
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    caplog.set_level(logging.WARNING)
    run = upload([path], sandbox, tmp_path, timeout=0.3, settle=0.2)
    result = run.results[0]
    offers = sandbox.offers()
    assert len(offers) == 2 and offers[0]["ExternalId"] == offers[1]["ExternalId"]
    numbers = sorted((o["CustomerInvoiceNr"] for o in offers), key=int)
    assert result.status == "failed" and result.code == "upload_duplicate"
    for text in (result.message("en"), result.message("sv"), caplog.text):
        assert numbers[0] in text and numbers[1] in text
    assert "DUPLICATE" in caplog.text and "DUBBLETT" in result.message("sv")
    assert numbers_in(path)["Offert 1"] == numbers[0]  # the first one, never a third
    assert not run.ok


# -- the same content the journal already knows -----------------------------------------


def test_a_stale_copy_saved_over_the_written_back_file_is_not_created_again(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    """Issue 13, case 2: the editor that still had the file open saves its older copy
    over the written-back one (here: the backup, which is exactly that copy)."""
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013", "4416"])
    stale = path.read_bytes()
    first = upload([path], sandbox, tmp_path)
    assert first.ok
    path.write_bytes(stale)
    again = upload([path], sandbox, tmp_path)
    assert again.ok, [r.message() for r in again.results]
    assert [r.code for r in again.results] == ["upload_recognised"] * 2
    assert "same content" in again.results[0].message()
    assert "samma innehåll" in again.results[0].message("sv")
    assert offers_by_customer(sandbox) == {"013": 1, "4416": 1}
    assert numbers_in(path) == {r.offer.sheet: r.offer_nr for r in first.results}
    third = upload([path], sandbox, tmp_path)
    assert [r.code for r in third.results] == ["upload_skipped"] * 2


def _edited_during_upload(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """The user saves the workbook while its offers are in flight: the write-back refuses
    to overwrite the edit, and the numbers stay in the journal."""
    real = writeback.write_back

    def user_saves_first(*args: Any, **kwargs: Any) -> Any:
        wb = openpyxl.load_workbook(path)
        wb.worksheets[0]["D2"] = "a note"
        wb.save(path)
        return real(*args, **kwargs)

    monkeypatch.setattr(writeback, "write_back", user_saves_first)


@pytest.mark.parametrize("how", ["save as", "move"])
def test_save_as_or_move_after_a_failed_write_back_is_the_same_offer(
    sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """Issue 13, case 3: the journal is keyed by the path, the new path has no record."""
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    _edited_during_upload(monkeypatch, path)
    first = upload([path], sandbox, tmp_path)
    monkeypatch.undo()
    assert not first.files[0].writeback_ok and first.results[0].status == "created"
    (tmp_path / "skickade").mkdir()
    if how == "save as":
        other = tmp_path / "offer v2.xlsx"
        shutil.copy(path, other)
    else:
        other = tmp_path / "skickade" / "offer.xlsx"
        path.rename(other)
    again = upload([other], sandbox, tmp_path)
    assert again.ok, [r.message() for r in again.results]
    assert again.results[0].code in ("upload_recognised", "upload_recovered")
    assert offers_by_customer(sandbox) == {"013": 1}
    assert numbers_in(other)["Offert 1"] == first.results[0].offer_nr


# -- lost and damaged journals ----------------------------------------------------------


def test_a_damaged_journal_is_moved_aside_and_rebuilt(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    assert upload([path], sandbox, tmp_path).ok
    journal = tmp_path / "journal.sqlite"
    for side in ("-wal", "-shm"):
        journal.with_name(journal.name + side).unlink(missing_ok=True)
    journal.write_bytes(b"this is no database, it was overwritten\n" * 100)
    again = upload([path], sandbox, tmp_path)
    assert again.ok and [r.status for r in again.results] == ["skipped"]
    (aside,) = tmp_path.glob("journal.sqlite.damaged-*")
    assert aside.read_bytes().startswith(b"this is no database")
    (notice,) = again.notice_messages("en")
    assert str(aside) in notice and "damaged" in notice
    assert "skadad" in again.notice_messages("sv")[0]
    assert len(sandbox.offers()) == 1
