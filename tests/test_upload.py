"""The whole pipeline against the sandbox, over real loopback HTTP.

Every check of "created exactly once" looks at the sandbox's own state, not at
what the client believes.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from click.testing import CliRunner
from go_offers import write_sheets

import converter.writeback.patch as patch_module
import converter.writeback.workbook as writeback
from converter.cli import cli
from converter.erp.client import RetryPolicy, SoftOneClient
from converter.erp.journal import Journal, Slot
from converter.erp.uploader import Uploader
from converter.errors import AuthError
from converter.i18n import Lang
from converter.model.records import RECORDS_SHEET
from converter.pipeline import UploadRun, upload_files
from converter.sandbox import Faults, SandboxConfig, SandboxServer
from converter.writeback.workbook import read_records

COLUMNS = ("Rad", "Artikel", "Beskrivning", "Antal", "Enhet", "Pris")
ROWS = [("A11", "Arbetskostnad", 5, "Tim", 580), ("A12", "Installationsmaterial", 1, "St", 7400)]


def write_offer_workbook(
    path: Path, customers: Sequence[str], rows: Sequence[tuple[Any, ...]] = ROWS
) -> Path:
    """One sheet per customer, laid out like the template (Offertnr label in A5)."""
    sheets = {f"Offert {i}": customer for i, customer in enumerate(customers, start=1)}
    return write_sheets(path, sheets, rows, COLUMNS)


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "sandbox" / "state.json"


@pytest.fixture
def sandbox(state_path: Path) -> Iterator[SandboxServer]:
    state_path.parent.mkdir()
    with SandboxServer(SandboxConfig(state_path=state_path)) as server:
        yield server


def upload(
    paths: Sequence[Path],
    server: SandboxServer,
    tmp_path: Path,
    timeout: float = 5.0,
    settle: float = 0.05,
    sleep: Callable[[float], None] = time.sleep,
    lang: Lang = "en",
    **cred: str,
) -> UploadRun:
    """Upload to the sandbox; ``settle`` is how long a request that got no answer may still run
    (``sleep`` waits during it), the journal and backups in ``tmp_path``."""
    with (
        Journal(tmp_path / "journal.sqlite") as journal,
        httpx.Client(base_url=server.url + "/", timeout=timeout) as http,
    ):
        client = SoftOneClient(
            http,
            server.client_credentials(**cred),
            retry=RetryPolicy(attempts=6, base_delay=0.01, max_delay=0.05),
        )
        return upload_files(
            paths,
            Uploader(client, journal, "sandbox", settle_seconds=settle, sleep=sleep),
            backup_dir=tmp_path / "backups",
            lang=lang,
        )


def numbers_in(path: Path) -> dict[str, Any]:
    """Sheet → the value right of its Offertnr label, re-read from disk."""
    wb = openpyxl.load_workbook(path)
    return {ws.title: ws["B5"].value for ws in wb.worksheets if ws.title != RECORDS_SHEET}


def offers_by_customer(server: SandboxServer) -> dict[str, int]:
    counts: dict[str, int] = {}
    for offer in server.offers():
        counts[offer["CustomerNr"]] = counts.get(offer["CustomerNr"], 0) + 1
    return counts


def test_upload_writes_numbers_back_and_a_rerun_creates_nothing(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013", "4416"])
    run = upload([path], sandbox, tmp_path)
    assert run.ok, [r.message() for r in run.results]
    assert [r.status for r in run.results] == ["created", "created"]
    stored = {o["CustomerInvoiceNr"]: o for o in sandbox.offers()}
    numbers = numbers_in(path)
    assert set(numbers.values()) == set(stored)
    assert stored[numbers["Offert 1"]]["CustomerNr"] == "013"
    assert stored[numbers["Offert 1"]]["ExternalId"] == run.results[0].external_id
    # the number is text, and a status sits beside it
    ws = openpyxl.load_workbook(path)["Offert 1"]
    assert ws["B5"].data_type == "s" and ws["C5"].value.startswith("Uploaded ")

    again = upload([path], sandbox, tmp_path)
    assert [r.status for r in again.results] == ["skipped", "skipped"]
    assert (
        again.results[0].message() == f"already offer {numbers['Offert 1']}, unchanged: "
        "not sent again"
    )
    assert len(sandbox.offers()) == 2


def test_a_changed_offer_is_updated_not_duplicated(sandbox: SandboxServer, tmp_path: Path) -> None:
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    first = upload([path], sandbox, tmp_path).results[0]
    wb = openpyxl.load_workbook(path)
    wb["Offert 1"]["B3"] = date(2026, 2, 1)
    wb.save(path)
    result = upload([path], sandbox, tmp_path).results[0]
    assert result.status == "updated"
    assert result.offer_nr == first.offer_nr and result.invoice_id == first.invoice_id
    (offer,) = sandbox.offers()
    assert offer["InvoiceDate"].startswith("2026-02-01")


def test_one_refused_offer_does_not_stop_the_others(sandbox: SandboxServer, tmp_path: Path) -> None:
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013", "99999", "4416"])
    run = upload([path], sandbox, tmp_path)
    assert [r.status for r in run.results] == ["created", "failed", "created"]
    assert not run.ok
    # issue 14: the unknown Kundnr is caught by the look-up before anything is sent
    refused = run.results[1].message()
    assert refused == "'Offert 2'!B2: Kundnr 99999 is not a customer in SoftOne GO; " + (
        "the offer was not sent"
    )
    assert offers_by_customer(sandbox) == {"013": 1, "4416": 1}
    assert numbers_in(path)["Offert 2"] is None
    status = openpyxl.load_workbook(path)["Offert 2"]["C5"].value
    # the status in the sheet names the problem and its cell, for whoever opens the file
    assert status == (
        "Error: Kundnr 99999 is not a customer in SoftOne GO; the offer was not sent (B2)"
    )


FAULTS = {
    "500 before saving": Faults(error_before_every=2),
    "save then 500": Faults(error_after_save_every=2),
    "save then dropped connection": Faults(drop_after_save_every=2),
    "429 with Retry-After": Faults(throttle_every=2, retry_after=0.05),
    "token expiry": Faults(token_expiry_after=2),
    "latency spike past the timeout": Faults(spike_every=3, spike_seconds=0.8),
    "all at once": Faults(
        error_before_every=5,
        error_after_save_every=3,
        drop_after_save_every=4,
        throttle_every=7,
        retry_after=0.05,
        token_expiry_after=3,
        spike_every=11,
        spike_seconds=1.5,
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("faults", FAULTS.values(), ids=FAULTS.keys())
def test_every_offer_exists_exactly_once_under_faults(
    faults: Faults, state_path: Path, tmp_path: Path
) -> None:
    state_path.parent.mkdir()
    customers = ["013", "4416", "4824", "4315", "1117", "11"]
    path = write_offer_workbook(tmp_path / "offer.xlsx", customers)
    with SandboxServer(SandboxConfig(state_path=state_path, faults=faults)) as server:
        # a spiked request runs 0.8 s: past the 0.5 s timeout, within timeout + settle
        run = upload([path], server, tmp_path, timeout=0.5, settle=0.5)
        # a run may end with offers that never got an answer; the next run settles them
        for _ in range(3):
            if run.ok:
                break
            run = upload([path], server, tmp_path, timeout=0.5, settle=0.5)
        assert run.ok, [r.message() for r in run.results]
        assert offers_by_customer(server) == dict.fromkeys(customers, 1)
        stored = {o["CustomerInvoiceNr"] for o in server.offers()}
    assert set(numbers_in(path).values()) == stored


def test_a_run_killed_after_the_post_recovers_without_a_duplicate(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    """The journal says 'pending' and the offer exists: the next run adopts it."""
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    first = upload([path], sandbox, tmp_path).results[0]
    # simulate the crash: the workbook never got its number, the journal still says pending
    shutil.copy(next((tmp_path / "backups").iterdir()), path)
    with Journal(tmp_path / "journal.sqlite") as journal:
        assert first.external_id is not None
        journal.begin(Slot.of("sandbox", path, "Offert 1"), first.external_id, "old", "013")
    result = upload([path], sandbox, tmp_path).results[0]
    assert (result.status, result.code) == ("created", "upload_recovered")
    assert result.offer_nr == first.offer_nr
    assert len(sandbox.offers()) == 1
    assert numbers_in(path)["Offert 1"] == first.offer_nr


def test_a_failed_sheet_says_its_first_problem_and_cell_in_the_users_language(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    rows = [("A11", "Skruv", "fem", "St", 100), ("A12", "Mutter", "tre", "St", 50), (None, None, 2)]
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"], rows=rows)
    run = upload([path], sandbox, tmp_path, lang="sv")
    assert [r.status for r in run.results] == ["failed"] and sandbox.offers() == []
    status = openpyxl.load_workbook(path)["Offert 1"]["C5"].value
    errors = [p.code for p in run.results[0].offer.problems if p.severity == "error"]
    assert len(errors) == 4, errors
    assert status == 'Fel: Antal "fem" i D9 är inte ett tal, och 3 fel till'
    assert numbers_in(path)["Offert 1"] is None


def test_damaged_upload_records_stop_the_file_rather_than_risk_a_second_offer(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    import io
    import zipfile

    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    assert [r.status for r in upload([path], sandbox, tmp_path).results] == ["created"]
    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info)) for info in archive.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            if info.filename == "docProps/custom.xml":  # a part of the records lost
                data = data.replace(b'name="offer-converter 1/', b'name="edited 1/')
            out.writestr(info, data)
    path.write_bytes(buffer.getvalue())
    run = upload([path], sandbox, tmp_path / "another computer")
    assert run.results == [] and run.counts()["failed"] == 1 and not run.ok
    [problem] = run.files[0].report.problems
    assert problem.message() == (
        "offer.xlsx: the upload records kept in the file's properties are damaged; nothing was "
        "sent. Ask for help before uploading it again: it may already be in SoftOne GO."
    )
    assert problem.message("sv").startswith("offer.xlsx: uppladdningsuppgifterna i filens")
    assert len(sandbox.offers()) == 1


def _locked(target: Path, data: bytes, **_: object) -> None:
    raise PermissionError(13, "The process cannot access the file", str(target))


def _disk_full(target: Path, data: bytes, **_: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device", str(target))


WRITEBACK_FAULTS = {
    # what goes wrong, how to cause it, what the user is told (in English and in Swedish)
    "open in Excel": ("write_atomically", _locked, "close", "stäng den i excel"),
    "disk full": ("write_atomically", _disk_full, "disk is full", "disken är full"),
}


@pytest.mark.parametrize("name", WRITEBACK_FAULTS)
def test_a_workbook_that_cannot_take_the_claim_is_not_uploaded(
    name: str, sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Claim, then send: the offer's ExternalId goes into the workbook before its POST.
    A workbook that can't take it is not uploaded at all: nothing sent, nothing lost."""
    attribute, fault, told, told_sv = WRITEBACK_FAULTS[name]
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    before = path.read_bytes()
    monkeypatch.setattr(patch_module, attribute, fault)  # where the workbook is written
    run = upload([path], sandbox, tmp_path)
    assert not run.ok and run.results[0].status == "failed"
    assert run.results[0].code == "upload_not_claimed"
    message = run.files[0].writeback_message() or ""
    assert told in message.lower() and "Nothing was sent" in message
    swedish = run.files[0].writeback_message("sv") or ""
    assert told_sv in swedish.lower() and "Stäng filen i Excel och släpp den igen" in swedish
    assert "Inget skickades" in swedish and "cannot" not in swedish and "Close" not in swedish
    assert "inget skickades" in run.results[0].message("sv")
    assert path.read_bytes() == before
    assert sandbox.offers() == []
    monkeypatch.undo()

    again = upload([path], sandbox, tmp_path)
    assert again.ok and again.results[0].status == "created"
    assert numbers_in(path)["Offert 1"] == again.results[0].offer_nr
    assert len(sandbox.offers()) == 1


@pytest.mark.parametrize("name", WRITEBACK_FAULTS)
def test_a_failed_write_back_after_the_claim_loses_nothing_and_is_written_next_time(
    name: str, sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claim was written, the offer created, and only then the file got locked (or
    the disk full): the number waits in the journal, and the workbook holds the claim."""
    attribute, fault, told, told_sv = WRITEBACK_FAULTS[name]
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    real = getattr(patch_module, attribute)
    calls: list[Path] = []

    def second_write_fails(target: Path, data: bytes, **kwargs: Any) -> None:
        calls.append(target)
        (real if len(calls) == 1 else fault)(target, data, **kwargs)

    monkeypatch.setattr(patch_module, attribute, second_write_fails)
    run = upload([path], sandbox, tmp_path)
    assert len(calls) == 2
    assert not run.ok and run.results[0].status == "created"
    message = run.files[0].writeback_message() or ""
    assert told in message.lower() and "next upload of this file writes them" in message
    swedish = run.files[0].writeback_message("sv") or ""
    assert told_sv in swedish.lower() and "nästa uppladdning av filen skriver in dem" in swedish
    claimed = read_records(path)
    assert [(r.external_id, r.invoice_id) for r in claimed] == [(run.results[0].external_id, None)]
    monkeypatch.undo()

    again = upload([path], sandbox, tmp_path)
    assert again.ok and again.results[0].status == "skipped"
    assert numbers_in(path)["Offert 1"] == run.results[0].offer_nr
    assert len(sandbox.offers()) == 1


@contextlib.contextmanager
def writes_denied(folder: Path) -> Iterator[None]:
    """Really deny creating files in ``folder``: chmod, or for root (whom chmod doesn't stop)
    the immutable attribute. Skips where neither works."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        undo = ["chmod", "755", str(folder)]
    elif (
        shutil.which("chattr")
        and subprocess.run(
            ["chattr", "+i", str(folder)], capture_output=True, check=False
        ).returncode
        == 0
    ):
        undo = ["chattr", "-i", str(folder)]
    else:
        pytest.skip("this machine can't deny root a folder (no chattr +i)")
    try:
        yield
    finally:
        subprocess.run(undo, check=True)


def test_a_folder_that_denies_writing_is_not_uploaded(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    """A real permission denied, from the operating system, not a simulated one: the lock
    beside the workbook can't be made, so nothing is sent and the folder stays as it was."""
    folder = tmp_path / "shared drive"
    folder.mkdir()
    path = write_offer_workbook(folder / "offer.xlsx", ["013"])
    before = path.read_bytes()
    with writes_denied(folder):
        run = upload([path], sandbox, tmp_path)
        assert not run.ok and run.results == []
        (problem,) = run.files[0].report.problems
        assert problem.code == "workbook_lock_failed"
        assert "nothing was sent" in problem.message("en")
        assert "inget skickades" in problem.message("sv")
        assert path.read_bytes() == before
        assert sorted(folder.iterdir()) == [path]  # no lock or temporary file left behind
        assert sandbox.offers() == []
    again = upload([path], sandbox, tmp_path)
    assert again.ok and again.results[0].status == "created"
    assert numbers_in(path)["Offert 1"] == again.results[0].offer_nr
    assert len(sandbox.offers()) == 1


def test_a_workbook_edited_during_the_upload_keeps_the_edit(
    sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user saves the file in Excel while the upload runs (after the claim): their
    edit wins, and the number is written in next time."""
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    real_write_back = writeback.apply_results
    calls: list[int] = []

    def user_saves_first(*args: Any, **kwargs: Any) -> writeback.Patched:
        calls.append(1)
        if len(calls) == 2:  # the claim went in; the user saves before the numbers do
            wb = openpyxl.load_workbook(path)
            wb["Offert 1"]["D2"] = "a note the salesperson typed"
            wb.save(path)
        return real_write_back(*args, **kwargs)

    monkeypatch.setattr(writeback, "apply_results", user_saves_first)  # claim, numbers
    run = upload([path], sandbox, tmp_path)
    message = run.files[0].writeback_message() or ""
    assert not run.ok and "changed" in message
    edited = path.read_bytes()
    assert openpyxl.load_workbook(path)["Offert 1"]["D2"].value == "a note the salesperson typed"
    monkeypatch.undo()

    again = upload([path], sandbox, tmp_path)
    assert again.ok and again.results[0].status == "skipped"  # the note is not part of the offer
    wb = openpyxl.load_workbook(path)
    assert wb["Offert 1"]["D2"].value == "a note the salesperson typed"
    assert wb["Offert 1"]["B5"].value == run.results[0].offer_nr
    assert path.read_bytes() != edited and len(sandbox.offers()) == 1


def test_a_backup_that_cannot_be_made_stops_the_upload(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    before = path.read_bytes()
    (tmp_path / "backups").write_text("a file where the backup folder should be")
    with (
        Journal(tmp_path / "journal.sqlite") as journal,
        httpx.Client(base_url=sandbox.url + "/", timeout=5) as http,
    ):
        client = SoftOneClient(http, sandbox.client_credentials())
        run = upload_files(
            [path], Uploader(client, journal, "sandbox"), backup_dir=tmp_path / "backups"
        )
    assert run.results[0].status == "failed" and not run.files[0].writeback_ok
    assert "backup" in (run.files[0].writeback_message() or "").lower()
    assert path.read_bytes() == before and sandbox.offers() == []
    (tmp_path / "backups").unlink()
    again = upload([path], sandbox, tmp_path)
    assert again.ok and numbers_in(path)["Offert 1"] == again.results[0].offer_nr
    assert len(sandbox.offers()) == 1


def test_clearing_offertnr_makes_a_new_offer(sandbox: SandboxServer, tmp_path: Path) -> None:
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    upload([path], sandbox, tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["Offert 1"]["B5"] = None
    wb.save(path)
    result = upload([path], sandbox, tmp_path).results[0]
    assert result.status == "created", result.message()
    assert len(sandbox.offers()) == 2


def test_an_offer_number_typed_by_hand_is_not_uploaded(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    wb = openpyxl.load_workbook(path)
    wb["Offert 1"]["B5"] = "486"
    wb.save(path)
    result = upload([path], sandbox, tmp_path).results[0]
    assert result.code == "upload_offer_nr_unknown" and sandbox.offers() == []


def test_wrong_keys_stop_the_run(sandbox: SandboxServer, tmp_path: Path) -> None:
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    with pytest.raises(AuthError, match="refused the login"):
        upload([path], sandbox, tmp_path, company_api_key="wrong-key")
    with pytest.raises(AuthError, match="refused the login"):
        upload([path], sandbox, tmp_path, password="wrong-password")
    assert sandbox.offers() == []


def test_cli_upload_sandbox_and_json_match_the_library(user_dirs: Path) -> None:
    path = write_offer_workbook(user_dirs / "offer.xlsx", ["013", "99999"])
    result = CliRunner().invoke(cli, ["--lang", "en", "upload", "--sandbox", str(path)])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("✓ Offert 1: Offer ") and lines[0].endswith(
        " created for 013 Berglunds (3 rows, 10,300.00 kr)"  # the name SoftOne GO has for 013
    )
    assert lines[1] == (
        "✗ Offert 2: 'Offert 2'!B2: Kundnr 99999 is not a customer in SoftOne GO; "
        "the offer was not sent"
    )
    assert lines[-1] == "1 created, 0 updated, 0 unchanged, 1 failed"
    assert "Traceback" not in result.output

    again = CliRunner().invoke(cli, ["--lang", "sv", "upload", "--sandbox", "--json", str(path)])
    data = json.loads(again.output)
    assert data["counts"] == {"created": 0, "updated": 0, "skipped": 1, "failed": 1}
    assert data["files"][0]["offers"][0]["status"] == "skipped"
    assert data["files"][0]["offers"][0]["message"].startswith("redan offert ")


def test_cli_upload_without_credentials_says_what_is_missing(user_dirs: Path) -> None:
    path = write_offer_workbook(user_dirs / "offer.xlsx", ["013"])
    result = CliRunner().invoke(cli, ["upload", str(path)], input="")
    assert result.exit_code == 2
    assert "SOFTONE_COMPANY_API_KEY, SOFTONE_CONNECT_API_KEY" in result.output
    assert "offer-converter setup" in result.output


def test_no_secret_reaches_output_logs_journal_or_workbook(
    state_path: Path, tmp_path: Path, user_dirs: Path, caplog: pytest.LogCaptureFixture
) -> None:
    state_path.parent.mkdir()
    sentinel = {
        "company_api_key": "SENTINEL-company-5f1e",
        "connect_api_key": "SENTINEL-connect-77aa",
        "license": "SENTINEL-license-0c0c",
        "username": "anna",
        "password": "SENTINEL-password-9d9d",
    }
    with SandboxServer(SandboxConfig(state_path=state_path)):
        pass  # creates the state file, whose credentials we replace with sentinels
    state = json.loads(state_path.read_text())
    state["credentials"] = sentinel
    state_path.write_text(json.dumps(state))
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013", "99999"])
    faults = Faults(error_after_save_every=2, drop_after_save_every=3, token_expiry_after=2)
    caplog.set_level(logging.DEBUG)
    token = "+SENTINEL/token/8e8e=="  # refused by the sandbox: forces the 401 → login path
    with SandboxServer(SandboxConfig(state_path=state_path, faults=faults)) as server:
        assert server.credentials.password == sentinel["password"]
        env = {**server.environment(), "SOFTONE_TOKEN": token}  # the sentinels, and a token
        runs = [
            CliRunner().invoke(
                cli, ["upload", "--journal", str(tmp_path / "j.sqlite"), *extra, str(path)], env=env
            )
            for extra in (
                ["--timeout", "0.5"],
                ["--json", "--timeout", "0.5"],
                ["--timeout", "0.001"],
            )
        ]
        bad = CliRunner().invoke(
            cli, ["upload", str(path)], env={**env, "SOFTONE_PASSWORD": sentinel["password"] + "x"}
        )
    assert any("created" in r.output for r in runs), [r.output for r in runs]
    texts = [r.output for r in [*runs, bad]] + [caplog.text]
    texts.append((tmp_path / "j.sqlite").read_bytes().decode("latin-1"))
    texts.append(path.read_bytes().decode("latin-1"))
    wb = openpyxl.load_workbook(path)
    texts += [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    for secret in [*sentinel.values(), token, "%2BSENTINEL%2Ftoken"]:
        if secret == "anna":
            continue
        for text in texts:
            assert secret not in text


def test_the_upload_json_reports_what_was_sent_for_updates(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    """Issue 14 changed this: a changed row is no longer reported as updated, because
    SoftOne GO keeps the rows of an offer that has rows."""
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    upload([path], sandbox, tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["Offert 1"]["E9"] = "Dag"  # Enhet of the A11 row
    wb.save(path)
    result = upload([path], sandbox, tmp_path).results[0]
    assert result.status == "failed" and result.code == "readback_rows_kept"
    assert "Rad 2: SoftOne GO has Enhet Tim for A11, the sheet says Dag" in result.message()
    wb = openpyxl.load_workbook(path)
    wb["Offert 1"]["E9"] = "Tim"
    wb["Offert 1"]["B3"] = date(2026, 2, 2)  # a change above the rows
    wb.save(path)
    result = upload([path], sandbox, tmp_path).results[0]
    assert result.message() == (
        f"Offer {result.offer_nr} updated: the whole offer was sent again with "
        f"InvoiceId {result.invoice_id}, and SoftOne GO now holds what the sheet says"
    )


def test_a_failed_upload_is_explained_in_swedish_from_start_to_end(
    state_path: Path, tmp_path: Path, user_dirs: Path
) -> None:
    """The reason an offer failed comes from the client, deep down: it is Swedish too."""
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    faults = Faults(error_before_every=1)  # every offer POST answers 500, nothing is saved
    with SandboxServer(SandboxConfig(state_path=state_path, faults=faults)) as server:
        result = CliRunner().invoke(
            cli,
            ["--lang", "sv", "upload", "--timeout", "0.2", str(path)],
            env=server.environment(),
        )
        assert server.offers() == []
    assert result.exit_code == 1, result.output
    failed = next(line for line in result.output.splitlines() if "Offert 1" in line)
    assert "SoftOne GO svarade inte efter 3 försök" in failed, failed
    assert "did not" not in result.output and "answer" not in result.output


# --- what the summary says is true ------------------------------------------------------------


def _backup_of(line: str) -> str:
    """The backup path a write-back line names (its time stamp can't be known in advance)."""
    match = re.search(r"\((?:backup|säkerhetskopia): (.+)\)$", line)
    assert match, line
    return match.group(1)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_cli_upload_says_what_was_written_into_the_workbook(user_dirs: Path, lang: str) -> None:
    refused = write_offer_workbook(user_dirs / "refused.xlsx", ["99999"])
    mixed = write_offer_workbook(user_dirs / "mixed.xlsx", ["013", "99999"])
    good = write_offer_workbook(user_dirs / "good.xlsx", ["4416"])
    result = CliRunner().invoke(
        cli, ["upload", "--lang", lang, "--sandbox", str(refused), str(mixed), str(good)]
    )
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    written = {line.split(":")[0].strip(): line for line in lines if line.startswith("  ")}
    numbers = {n: numbers_in(p) for n, p in (("mixed", mixed), ("good", good))}
    first, second = numbers["mixed"]["Offert 1"], numbers["good"]["Offert 1"]
    assert numbers_in(refused) == {"Offert 1": None}  # only an error status was written
    assert numbers["mixed"]["Offert 2"] is None
    b = {name: _backup_of(written[f"{name}.xlsx"]) for name in ("refused", "mixed", "good")}
    if lang == "en":
        assert written["refused.xlsx"] == (
            "  refused.xlsx: no Offertnr written; the error is noted beside Offertnr for 1 "
            f"offer(s) (backup: {b['refused']})"
        )
        assert written["mixed.xlsx"] == (
            f"  mixed.xlsx: Offertnr written into the workbook: {first}; the error is noted "
            f"beside Offertnr for 1 offer(s) (backup: {b['mixed']})"
        )
        assert written["good.xlsx"] == (
            f"  good.xlsx: Offertnr written into the workbook: {second} (backup: {b['good']})"
        )
        assert lines[-1] == "2 created, 0 updated, 0 unchanged, 2 failed"
    else:
        assert written["refused.xlsx"] == (
            "  refused.xlsx: inget Offertnr inskrivet; felet är antecknat bredvid Offertnr för 1 "
            f"offert(er) (säkerhetskopia: {b['refused']})"
        )
        assert written["mixed.xlsx"] == (
            f"  mixed.xlsx: Offertnr inskrivet i arbetsboken: {first}; felet är antecknat "
            f"bredvid Offertnr för 1 offert(er) (säkerhetskopia: {b['mixed']})"
        )
        assert written["good.xlsx"] == (
            f"  good.xlsx: Offertnr inskrivet i arbetsboken: {second} (säkerhetskopia: {b['good']})"
        )
        assert lines[-1] == "2 skapade, 0 uppdaterade, 0 oförändrade, 2 misslyckade"
    assert all(Path(backup).is_file() for backup in b.values())


@pytest.mark.parametrize(
    ("lang", "summary"),
    [
        ("en", "0 created, 0 updated, 0 unchanged, 2 failed"),
        ("sv", "0 skapade, 0 uppdaterade, 0 oförändrade, 2 misslyckade"),
    ],
)
def test_cli_upload_counts_a_file_it_cannot_read_as_a_failure(
    user_dirs: Path, lang: str, summary: str
) -> None:
    empty = user_dirs / "empty.xlsx"
    empty.write_bytes(b"")
    notes = user_dirs / "no offer.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Anteckningar"  # type: ignore[index]
    wb.save(notes)
    result = CliRunner().invoke(
        cli, ["upload", "--lang", lang, "--sandbox", str(empty), str(notes)]
    )
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0] == str(empty) and lines[2] == str(notes)
    assert lines[-1] == summary
    data = json.loads(
        CliRunner().invoke(cli, ["upload", "--sandbox", "--json", str(empty), str(notes)]).output
    )
    assert data["counts"] == {"created": 0, "updated": 0, "skipped": 0, "failed": 2}
    assert data["ok"] is False
