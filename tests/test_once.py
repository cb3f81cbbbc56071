"""At most once, as users really behave (issue 13): recovery that doesn't make
people wait, a late commit, a stale copy, Save As and moves, lost and damaged
journals. Every count of offers is the sandbox's own state, over loopback HTTP.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from test_upload import numbers_in, offers_by_customer, upload, write_offer_workbook

import converter.writeback.patch as patch_module
import converter.writeback.workbook as writeback
from converter.erp.claim import editor_holding
from converter.erp.client import SoftOneClient
from converter.erp.journal import Journal
from converter.erp.uploader import Uploader
from converter.pipeline import UploadRun, upload_files
from converter.sandbox import Faults, SandboxConfig, SandboxServer

OFFER_ROUTE = "/economy/billing/offer"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(state_path=tmp_path / "state.json")) as server:
        yield server


def recording(sleeps: list[float]) -> Callable[[float], None]:
    """A sleep that notes every pause the uploader makes while it waits for a request
    that got no answer."""

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        time.sleep(seconds)

    return sleep


# -- recovery that doesn't make people wait ---------------------------------------------


def test_a_dropped_reply_is_found_at_the_first_look_not_after_the_window(
    tmp_path: Path,
) -> None:
    """The server saved the offer and dropped the connection: the first look-up, a
    sixteenth of the 5 s window later, finds it; nobody waits two timeouts."""
    sleeps = _two_offers_sent(tmp_path, Faults(drop_after_save_every=1), settle=5.0)
    assert sleeps == [5.0 / 16, 5.0 / 16]  # one short pause per offer, then found


def test_a_500_the_server_answered_is_looked_up_at_once(tmp_path: Path) -> None:
    """A 500 is a finished request: saved (error after save) or not (error before);
    either way the look-up can answer at once, without any wait."""
    for n, faults in enumerate([Faults(error_after_save_every=1), Faults(error_before_every=2)]):
        home = tmp_path / str(n)
        home.mkdir()
        assert _two_offers_sent(home, faults, settle=30.0) == []


def _two_offers_sent(home: Path, faults: Faults, settle: float) -> list[float]:
    """Upload two offers in ``home`` to a sandbox with ``faults``: each is there once;
    return the pauses the uploader made while it looked for them."""
    path = write_offer_workbook(home / "offer.xlsx", ["013", "4416"])
    sleeps: list[float] = []
    with SandboxServer(SandboxConfig(state_path=home / "s.json", faults=faults)) as server:
        run = upload([path], server, home, settle=settle, sleep=recording(sleeps))
        assert run.ok, [r.message() for r in run.results]
        assert offers_by_customer(server) == {"013": 1, "4416": 1}
    return sleeps


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
        run = upload([path], sandbox, tmp_path, timeout=0.3, settle=0.8, sleep=recording(sleeps))
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
    real = writeback.apply_results
    calls: list[int] = []

    def user_saves_first(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:  # after the claim, before the numbers
            wb = openpyxl.load_workbook(path)
            wb.worksheets[0]["D2"] = "a note"
            wb.save(path)
        return real(*args, **kwargs)

    monkeypatch.setattr(writeback, "apply_results", user_saves_first)  # claim, numbers


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


# -- a lost journal after a failed write-back -------------------------------------------


def _final_write_back_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """The claim goes in; the write of the numbers then finds the file locked."""
    real = patch_module.write_atomically
    calls: list[Path] = []

    def second_write_fails(target: Path, data: bytes, **kwargs: Any) -> None:
        calls.append(target)
        if len(calls) == 2:
            raise PermissionError(13, "The process cannot access the file", str(target))
        real(target, data, **kwargs)

    monkeypatch.setattr(patch_module, "write_atomically", second_write_fails)


@pytest.mark.parametrize("journal_is", ["deleted", "garbage"])
def test_a_lost_journal_after_a_failed_write_back_creates_nothing_again(
    sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, journal_is: str
) -> None:
    """Issue 13, case 4: the numbers were only in the journal, and the journal is gone.
    The workbook's claims carry the ExternalIds, so SoftOne GO is asked, not sent to."""
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013", "4416"])
    _final_write_back_fails(monkeypatch)
    first = upload([path], sandbox, tmp_path)
    monkeypatch.undo()
    assert [r.status for r in first.results] == ["created", "created"]
    assert not first.files[0].writeback_ok
    journal = tmp_path / "journal.sqlite"
    for side in ("", "-wal", "-shm"):
        journal.with_name(journal.name + side).unlink(missing_ok=True)
    if journal_is == "garbage":
        journal.write_bytes(b"\x00garbage" * 512)
    again = upload([path], sandbox, tmp_path)
    assert again.ok, [r.message() for r in again.results]
    assert [r.code for r in again.results] == ["upload_recovered"] * 2
    assert offers_by_customer(sandbox) == {"013": 1, "4416": 1}
    assert numbers_in(path) == {r.offer.sheet: r.offer_nr for r in first.results}
    assert bool(again.notices) == (journal_is == "garbage")


def test_a_restored_backup_with_the_claim_is_not_created_again(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    """The backup made when the numbers were written holds the claim: restored over the
    written-back workbook, on a computer without the journal, it is still one offer."""
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    first = upload([path], sandbox, tmp_path)
    assert first.ok
    backups = sorted((tmp_path / "backups").iterdir())
    assert len(backups) == 2  # before the claim, and before the numbers
    shutil.copy(backups[-1], path)
    other_pc = tmp_path / "other pc"
    other_pc.mkdir()
    again = upload([path], sandbox, other_pc)
    assert again.ok and again.results[0].code == "upload_recovered"
    assert len(sandbox.offers()) == 1
    assert numbers_in(path)["Offert 1"] == first.results[0].offer_nr


# -- one upload of a workbook at a time --------------------------------------------------


@pytest.mark.parametrize("homes", ["one home", "two homes"])
def test_a_second_upload_of_the_same_file_waits_for_the_first(
    sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, homes: str
) -> None:
    """Issue 13, case 1, made deterministic: the first upload's POST is held in the server
    until the second upload is waiting for the workbook's lock; then both finish. One
    offer in the sandbox every time, and the second one says it was uploaded already."""
    import converter.erp.claim as claim

    app: Any = sandbox._app
    real_post = app._routes[OFFER_ROUTE]["POST"]
    real_pause = claim._pause
    for round_ in range(5):
        waiting = threading.Event()

        def pause(seconds: float, waiting: threading.Event = waiting) -> None:
            waiting.set()
            real_pause(seconds)

        def held_post(query: dict[str, str], body: bytes, action: Any, w: Any = waiting) -> Any:
            assert w.wait(20), "the second upload never waited for the lock"
            return real_post(query, body, action)

        monkeypatch.setattr(claim, "_pause", pause)
        app._routes[OFFER_ROUTE]["POST"] = held_post
        folder = tmp_path / str(round_)
        folder.mkdir()
        path = write_offer_workbook(folder / "offer.xlsx", ["013"])
        home_a = folder / "a"
        home_b = home_a if homes == "one home" else folder / "b"
        home_a.mkdir(exist_ok=True)
        home_b.mkdir(exist_ok=True)
        runs: dict[str, UploadRun] = {}

        def run(
            name: str, home: Path, runs: dict[str, UploadRun] = runs, path: Path = path
        ) -> None:
            runs[name] = upload([path], sandbox, home)

        first = threading.Thread(target=run, args=("a", home_a))
        first.start()
        # the second starts once the first holds the lock (its claim is being written)
        while not claim.lock_path(path).exists():
            assert first.is_alive()
        second = threading.Thread(target=run, args=("b", home_b))
        second.start()
        first.join(30)
        second.join(30)
        app._routes[OFFER_ROUTE]["POST"] = real_post
        monkeypatch.undo()
        assert runs["a"].ok and runs["a"].results[0].status == "created"
        assert runs["b"].ok and runs["b"].results[0].status == "skipped"
        assert len(sandbox.offers()) == round_ + 1
        assert not claim.lock_path(path).exists()


@pytest.mark.slow
@pytest.mark.parametrize("homes", ["one home", "two homes"])
def test_two_upload_processes_on_one_file_make_one_offer_every_time(
    sandbox: SandboxServer, tmp_path: Path, homes: str
) -> None:
    """Issue 13, case 1, as users do it: two `offer-converter upload` processes started at
    the same moment on the same file (a double drop; two people on a shared drive)."""
    import subprocess
    import sys

    from conftest import user_environment

    for round_ in range(6):
        folder = tmp_path / str(round_)
        folder.mkdir()
        path = write_offer_workbook(folder / "offer.xlsx", ["013", "4416"])
        envs = [user_environment(sandbox, folder / "a")]
        envs.append(envs[0] if homes == "one home" else user_environment(sandbox, folder / "b"))
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "converter", "upload", str(path)],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for env in envs
        ]
        outputs = [p.communicate(timeout=120) for p in processes]
        codes = [p.returncode for p in processes]
        assert codes == [0, 0], outputs
        assert offers_by_customer(sandbox) == {"013": round_ + 1, "4416": round_ + 1}
        numbers = numbers_in(path)
        assert all(numbers.values()) and len(set(numbers.values())) == 2
        assert sorted(p.name for p in folder.iterdir() if p.is_file()) == ["offer.xlsx"]


# -- open in an editor ------------------------------------------------------------------


def test_a_workbook_open_in_excel_is_not_uploaded(sandbox: SandboxServer, tmp_path: Path) -> None:
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    owner = tmp_path / "~$offer.xlsx"
    owner.write_bytes(bytes([4]) + b"Anna" + b" " * 50 + "Anna".encode("utf-16-le"))
    before = path.read_bytes()
    run = upload([path], sandbox, tmp_path)
    (problem,) = run.files[0].report.problems
    assert problem.code == "workbook_open_in_excel" and not run.ok
    assert "Excel (Anna)" in problem.message("en") and "~$offer.xlsx" in problem.message("en")
    assert "Stäng filen i Excel och släpp den igen" in problem.message("sv")
    assert path.read_bytes() == before and sandbox.offers() == []
    owner.unlink()
    assert upload([path], sandbox, tmp_path).ok and len(sandbox.offers()) == 1


def test_a_workbook_open_in_libreoffice_elsewhere_is_not_uploaded(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    lock = tmp_path / ".~lock.offer.xlsx#"
    lock.write_text("Bertil Berg,bertil,kontor-pc7,02.12.2026 09:15,file:///home/b/.config;")
    run = upload([path], sandbox, tmp_path)
    (problem,) = run.files[0].report.problems
    assert problem.code == "workbook_open_in_libreoffice"
    assert "Bertil Berg on kontor-pc7, since 02.12.2026 09:15" in problem.message("en")
    assert "Stäng filen i LibreOffice" in problem.message("sv")
    assert sandbox.offers() == []


def test_a_libreoffice_lock_left_by_a_crash_here_is_reported_not_obeyed(
    sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    import converter.erp.claim as claim

    monkeypatch.setattr(claim, "_libreoffice_running", lambda: False)
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    host = socket.gethostname()
    lock = tmp_path / ".~lock.offer.xlsx#"
    lock.write_text(f",anna,{host},01.12.2026 16:40,file:///home/anna/.config/libreoffice/4;")
    run = upload([path], sandbox, tmp_path)
    assert run.ok and run.results[0].status == "created"
    (warning,) = run.files[0].report.problems
    assert warning.code == "editor_lock_leftover" and "crash" in warning.message("en")
    assert "krasch" in warning.message("sv")
    monkeypatch.setattr(claim, "_libreoffice_running", lambda: True)
    assert editor_holding(path) == claim.Editor(
        "LibreOffice", lock, "anna", host, "01.12.2026 16:40", leftover=False
    )


def test_a_lock_left_by_a_killed_upload_is_broken_and_a_live_one_is_waited_for(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    import os
    import socket
    import subprocess
    import sys

    from converter.erp.claim import Holder, lock_path

    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead = Holder(int(gone.stdout), socket.gethostname(), "anna", "2026-12-02T08:00:00+00:00")
    lock_path(path).write_text(dead.to_json())
    run = upload([path], sandbox, tmp_path)
    assert run.ok and not lock_path(path).exists() and len(sandbox.offers()) == 1

    other = tmp_path / "other.xlsx"
    write_offer_workbook(other, ["4416"])
    live = Holder(os.getpid(), "kontor-pc7", "bertil", _iso_now())
    lock_path(other).write_text(live.to_json())
    with Journal(tmp_path / "journal.sqlite") as journal, httpx.Client(base_url=sandbox.url) as h:
        busy = upload_files(
            [other],
            Uploader(SoftOneClient(h, sandbox.client_credentials()), journal, "sandbox"),
            backup_dir=tmp_path / "backups",
            lock_wait=0.2,
        )
    (problem,) = busy.files[0].report.problems
    assert problem.code == "workbook_busy" and "bertil on kontor-pc7" in problem.message("en")
    assert "inget skickades" in problem.message("sv")
    assert len(sandbox.offers()) == 1 and lock_path(other).read_text() == live.to_json()


def _iso_now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


def test_a_save_never_removes_the_temporary_file_another_process_is_writing(
    tmp_path: Path,
) -> None:
    """Issue 13, case 1: one process's clean-up deleted the other's temporary file."""
    import os
    import subprocess
    import sys

    from converter.fileio import _host_mark, write_atomically

    target = tmp_path / "offer.xlsx"
    target.write_bytes(b"old")
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    live = tmp_path / f".offer.xlsx.{os.getppid()}-{_host_mark()}.abc123.tmp"
    dead = tmp_path / f".offer.xlsx.{int(gone.stdout)}-{_host_mark()}.def456.tmp"
    elsewhere = tmp_path / ".offer.xlsx.77-0badc0de.ghi789.tmp"  # another computer, just now
    for temporary in (live, dead, elsewhere):
        temporary.write_bytes(b"half")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert live.exists() and elsewhere.exists() and not dead.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["offer.xlsx", live.name, elsewhere.name]
    )


@pytest.mark.libreoffice
@pytest.mark.slow
def test_a_claimed_workbook_opens_in_libreoffice_and_keeps_its_claim(
    sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbook as a crash or a lock after the POST leaves it: the claim and the
    status beside Offertnr, the user's cells as they were; LibreOffice opens it, and a
    copy it saves still carries the claim, so uploading that copy creates nothing."""
    from conftest import resave_with_libreoffice

    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    original = openpyxl.load_workbook(path)["Offert 1"]
    _final_write_back_fails(monkeypatch)
    first = upload([path], sandbox, tmp_path)
    monkeypatch.undo()
    ws = openpyxl.load_workbook(path)["Offert 1"]
    assert ws["B5"].value is None and ws["C5"].value.startswith("Sending to SoftOne GO ")
    for row in original.iter_rows():
        for cell in row:
            if cell.coordinate not in ("B5", "C5"):
                assert ws[cell.coordinate].value == cell.value, cell.coordinate
    resaved = resave_with_libreoffice(path, tmp_path / "lo")
    claimed = writeback.read_records(resaved)
    assert [(r.external_id, r.invoice_id) for r in claimed] == [
        (first.results[0].external_id, None)
    ]
    other_pc = tmp_path / "other pc"
    other_pc.mkdir()
    again = upload([resaved], sandbox, other_pc)
    assert again.ok and again.results[0].code == "upload_recovered"
    assert len(sandbox.offers()) == 1


def test_content_from_another_workbook_is_that_offer_only_when_that_workbook_lost_it(
    sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The journal knows the content of an offer whose numbers never reached its
    workbook. A workbook without a record and with that content is that offer when the
    first workbook no longer holds it (moved away as it was before the claim), and a
    second offer when the first one still holds its own (two workbooks alike)."""
    first_path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    unclaimed = first_path.read_bytes()
    _final_write_back_fails(monkeypatch)
    first = upload([first_path], sandbox, tmp_path)
    monkeypatch.undo()
    assert first.results[0].status == "created" and not first.files[0].writeback_ok

    alike = tmp_path / "another offer.xlsx"
    alike.write_bytes(unclaimed)  # a second workbook, made alike before the first upload
    second = upload([alike], sandbox, tmp_path)
    assert second.ok and second.results[0].code == "upload_created"
    assert offers_by_customer(sandbox) == {"013": 2}

    (tmp_path / "skickade").mkdir()
    moved = tmp_path / "skickade" / "offer.xlsx"
    moved.write_bytes(unclaimed)  # the first one, as it was before its claim, moved
    first_path.unlink()
    third = upload([moved], sandbox, tmp_path)
    assert third.ok and third.results[0].code == "upload_recognised"
    assert "offer.xlsx" in third.results[0].message()
    assert numbers_in(moved)["Offert 1"] == first.results[0].offer_nr
    assert offers_by_customer(sandbox) == {"013": 2}


def test_a_libreoffice_lock_on_this_computer_is_obeyed_while_libreoffice_runs(
    tmp_path: Path,
) -> None:
    """The lock as LibreOffice 7 writes it (",sysuser,host,date,profile;", copied from one
    it left here), beside a workbook, while a process named soffice.bin runs."""
    import shutil as sh
    import socket
    import subprocess

    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    lock = tmp_path / ".~lock.offer.xlsx#"
    host = socket.gethostname()
    lock.write_text(f",root,{host},02.12.2026 14:40,file:///tmp/lo-profile;")
    sleeper = sh.which("sleep")
    assert sleeper is not None
    fake = tmp_path / "soffice.bin"
    fake.symlink_to(sleeper)  # a link, not a copy: exec of a file just written can be busy
    office = subprocess.Popen([str(fake), "60"])
    try:
        comm = Path(f"/proc/{office.pid}/comm")
        while comm.read_text().strip() != "soffice.bin":  # until the exec has happened
            assert office.poll() is None
        editor = editor_holding(path)
    finally:
        office.kill()
        office.wait()
    assert editor is not None and not editor.leftover
    assert (editor.program, editor.user, editor.host) == ("LibreOffice", "root", host)
    assert editor.since == "02.12.2026 14:40"
