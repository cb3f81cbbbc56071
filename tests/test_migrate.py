"""Whole migrations against the sandbox, over real loopback HTTP.

Every "exactly once" is checked in the sandbox's own state (``server.offers()``),
never in what the client believes. The example layouts are migrated straight
from ``example_sheets/legacy`` (and proven unchanged afterwards); the tests
that edit files work on copies.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import EXAMPLES

import converter.migration.run as migrate_module
from converter.cli import cli
from converter.erp.client import RetryPolicy, SoftOneClient
from converter.erp.credentials import Credentials
from converter.erp.journal import Journal
from converter.erp.uploader import OfferResult, Uploader
from converter.migration.report import report_dict, write_report
from converter.migration.run import MigrationRun, Progress, migrate
from converter.model.mapped import MappedOffer
from converter.model.profile import Profile, load_profile
from converter.model.records import UploadRecord
from converter.sandbox import Faults, SandboxConfig, SandboxServer
from converter.wrapping import chars_per_line, wrapped_height, wrapped_lines

# no test reads or writes the user's own data, config or SOFTONE_* settings
pytestmark = pytest.mark.usefixtures("user_dirs")

LEGACY = EXAMPLES / "legacy"
LAYOUTS = ("gammal_mall", "offertlista", "blankett")
LIST_PROFILE = LEGACY / "offertlista" / "profile.toml"
LIST_2018 = (LEGACY / "offertlista" / "files" / "offertlista_2018.csv").read_bytes()


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    path = tmp_path / "sandbox" / "state.json"
    path.parent.mkdir()
    return path


@contextmanager
def sandbox(state_path: Path, faults: Faults | None = None) -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(state_path=state_path, faults=faults or Faults())) as server:
        yield server


@pytest.fixture
def server(state_path: Path) -> Iterator[SandboxServer]:
    with sandbox(state_path) as running:
        yield running


@contextmanager
def uploader_for(server: SandboxServer, journal_path: Path, **overrides: str) -> Iterator[Uploader]:
    with (
        Journal(journal_path) as journal,
        httpx.Client(base_url=server.url + "/", timeout=5.0) as http,
    ):
        client = SoftOneClient(
            http,
            server.client_credentials(**overrides),
            retry=RetryPolicy(attempts=6, base_delay=0.01, max_delay=0.05),
        )
        yield Uploader(client, journal, "sandbox", settle_seconds=0.05)


def run_migration(
    paths: list[Path],
    profile: Profile,
    server: SandboxServer | None,
    journal_path: Path,
    **options: Any,
) -> MigrationRun:
    """Migrate to ``server``, or a dry run when it is None."""
    if server is None:
        return migrate(paths, profile, None, **options)
    with uploader_for(server, journal_path) as uploader:
        return migrate(paths, profile, uploader, **options)


def external_ids(server: SandboxServer) -> list[str]:
    return sorted(o["ExternalId"] for o in server.offers())


def statuses(run: MigrationRun) -> dict[str | None, str]:
    return {line.key or line.file: line.status for line in run.lines}


def expected_offers(layout: str) -> list[dict[str, Any]]:
    found = []
    for path in sorted((LEGACY / layout / "files").rglob("*.expected.json")):
        found += json.loads(path.read_text("utf-8"))["offers"]
    return found


def fingerprint_tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def list_csv(folder: Path, name: str, prefix: int) -> Path:
    """A copy of the 2018 list with its offer numbers renumbered (18001 → <prefix>001)."""
    text = LIST_2018.decode("cp1252").replace("\r\n18", f"\r\n{prefix}")
    path = folder / name
    path.write_bytes(text.encode("cp1252"))
    return path


# --- every layout and format: a dry run, then the real run ---------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
def test_dry_run_then_real_run_then_nothing_more(
    layout: str, server: SandboxServer, tmp_path: Path
) -> None:
    folder = LEGACY / layout / "files"
    before = fingerprint_tree(folder)
    profile = load_profile(LEGACY / layout / "profile.toml")
    expected = expected_offers(layout)
    unique = {o["external_id"]: o for o in expected}
    duplicates = len(expected) - len(unique)

    dry = run_migration([folder], profile, None, tmp_path / "j.sqlite")
    assert dry.ok and dry.dry_run
    counts = dry.counts()
    assert (counts["ready"], counts["duplicate"], counts["failed"]) == (len(unique), duplicates, 0)
    assert server.offers() == [] and server.request_count() == 0  # a dry run contacts nothing

    real = run_migration([folder], profile, server, tmp_path / "j.sqlite", concurrency=3)
    assert real.ok, [line.message for line in real.lines if line.status == "failed"]
    assert real.counts()["created"] == len(unique)
    assert external_ids(server) == sorted(unique)
    for stored in server.offers():
        body = unique[stored["ExternalId"]]["body"]
        assert stored["CustomerNr"] == body["CustomerNr"]
        assert stored["InvoiceDate"].startswith(body["InvoiceDate"])
        assert [r.get("ProductNr") for r in stored["InvoiceRows"]] == [
            r.get("ProductNr") for r in body["InvoiceRows"]
        ]
    created = {line.external_id: line.offer_nr for line in real.lines if line.status == "created"}
    assert created == {o["ExternalId"]: o["CustomerInvoiceNr"] for o in server.offers()}

    requests = server.request_count()
    again = run_migration([folder], profile, server, tmp_path / "j.sqlite")
    assert again.ok
    assert again.counts()["skipped"] == len(unique)
    assert again.counts()["duplicate"] == duplicates
    assert server.request_count() == requests  # unchanged offers send nothing at all
    assert fingerprint_tree(folder) == before  # legacy files are never written


# --- duplicates ------------------------------------------------------------------------------


def test_a_copied_file_is_read_once(server: SandboxServer, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "kopior").mkdir(parents=True)
    list_csv(folder, "lista.csv", 30)
    shutil.copyfile(folder / "lista.csv", folder / "kopior" / "lista (2).csv")
    (folder / "~$lista.csv").write_bytes(b"lock")  # Excel's lock file: not a file to read
    (folder / ".dold.csv").write_bytes(b"hidden")
    run = run_migration([folder], load_profile(LIST_PROFILE), server, tmp_path / "j.sqlite")
    assert run.ok
    assert run.files_total == 2 and run.duplicate_files == 1
    # the first in sorted order is read; the other is noticed as the same file
    first, copy = str(folder / "kopior" / "lista (2).csv"), str(folder / "lista.csv")
    line = next(line for line in run.lines if line.file == copy)
    assert line.status == "duplicate" and not line.sheet
    assert line.message == f"same content as {first}: not read again"
    assert {line.status for line in run.lines if line.file == first} == {"created"}
    assert len(server.offers()) == 3


def test_the_same_legacy_offer_in_a_later_run_is_not_sent_again(
    server: SandboxServer, tmp_path: Path
) -> None:
    files = LEGACY / "offertlista" / "files"
    profile = load_profile(LIST_PROFILE)
    first = run_migration([files / "offertlista_2018.csv"], profile, server, tmp_path / "j.sqlite")
    assert first.counts()["created"] == 3
    later = run_migration([files / "offertlista_2019.xlsx"], profile, server, tmp_path / "j.sqlite")
    line = next(line for line in later.lines if line.key == "18003")
    assert line.status == "duplicate"
    offer_nr = next(
        o["CustomerInvoiceNr"] for o in server.offers() if o["ExternalId"] == "legacy:18003"
    )
    assert line.message == (
        f"already migrated as offer {offer_nr} (from offertlista_2018.csv, "
        "offertlista_2018 [18003]): not sent again"
    )
    assert external_ids(server).count("legacy:18003") == 1
    assert later.counts()["created"] == 2


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_a_moved_legacy_folder_is_unchanged_not_duplicate(
    lang: str, server: SandboxServer, tmp_path: Path
) -> None:
    old = tmp_path / "gamla offerter"
    shutil.copytree(LEGACY / "offertlista" / "files", old)
    profile = load_profile(LIST_PROFILE)
    journal = tmp_path / "j.sqlite"
    first = run_migration([old], profile, server, journal)
    assert first.ok
    created = first.counts()["created"]
    duplicates = first.counts()["duplicate"]  # 18003 is in both files of the folder

    moved = tmp_path / "arkiv" / "offerter 2018–2019"
    shutil.copytree(old, moved)  # a copy at another path: the same legacy offers
    shutil.rmtree(old)
    requests = server.request_count()
    again = run_migration([moved], profile, server, journal, lang=lang)
    assert again.ok
    counts = again.counts()
    assert (counts["created"], counts["skipped"], counts["duplicate"]) == (0, created, duplicates)
    assert len(server.offers()) == created and server.request_count() == requests
    line = next(line for line in again.lines if line.key == "18001")
    offer_nr = next(
        o["CustomerInvoiceNr"] for o in server.offers() if o["ExternalId"] == "legacy:18001"
    )
    before = (old / "offertlista_2018.csv").resolve()
    assert line.status == "skipped" and line.offer_nr == offer_nr
    assert line.message == (
        f"already offer {offer_nr}, unchanged: migrated before from {before} (the same file, "
        "since moved or copied); not sent again"
        if lang == "en"
        else f"redan offert {offer_nr}, oförändrad: migrerades tidigare från {before} (samma "
        "fil, sedan flyttad eller kopierad); skickades inte igen"
    )


def test_a_legacy_offer_changed_after_its_folder_moved_is_still_not_sent_twice(
    server: SandboxServer, tmp_path: Path
) -> None:
    old, moved = tmp_path / "a", tmp_path / "b"
    old.mkdir()
    moved.mkdir()
    list_csv(old, "lista.csv", 50)
    profile = load_profile(LIST_PROFILE)
    run_migration([old], profile, server, tmp_path / "j.sqlite")
    text = (old / "lista.csv").read_bytes().decode("cp1252")
    (moved / "lista.csv").write_bytes(text.replace("Arbetskostnad", "Arbete", 1).encode("cp1252"))
    again = run_migration([moved], profile, server, tmp_path / "j.sqlite")
    assert statuses(again) == {"50001": "duplicate", "50002": "skipped", "50003": "skipped"}
    assert len(server.offers()) == 3


def test_the_same_legacy_number_for_another_customer_is_refused(
    server: SandboxServer, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    list_csv(folder, "a.csv", 40)
    text = LIST_2018.decode("cp1252").replace("\r\n18", "\r\n40").replace(";013;", ";4416;")
    (folder / "b.csv").write_bytes(text.encode("cp1252"))
    run = run_migration([folder], load_profile(LIST_PROFILE), server, tmp_path / "j.sqlite")
    conflict = next(
        line for line in run.lines if line.file.endswith("b.csv") and line.key == "40001"
    )
    assert conflict.status == "failed"
    assert "also used for Kundnr 013" in conflict.message
    assert external_ids(server).count("legacy:40001") == 1
    assert not run.ok


# --- stopping and resuming -------------------------------------------------------------------


@pytest.mark.parametrize("how", ["ctrl-c", "cancel"])
def test_an_interrupted_migration_resumes_without_duplicates(
    how: str, state_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(12):
        list_csv(folder, f"lista_{i:02}.csv", 50 + i)  # 3 offers each
    profile = load_profile(LIST_PROFILE)
    cancel = threading.Event()

    def stop_soon(progress: Progress) -> None:
        if progress.counts["created"] >= 5 and not cancel.is_set():
            if how == "ctrl-c":
                raise KeyboardInterrupt  # what Ctrl-C does: in the main thread, anywhere
            cancel.set()

    with sandbox(state_path, Faults(latency=0.02)) as server:
        first = run_migration(
            [folder], profile, server, tmp_path / "j.sqlite",
            concurrency=3, on_progress=stop_soon, cancel=cancel,
        )  # fmt: skip
        assert first.stopped and not first.ok
        created = first.counts()["created"]
        assert 5 <= created < 36
        # the requests in flight finished and were recorded: the report knows every offer made
        assert len(server.offers()) == created
        assert first.files_done < first.files_total

        second = run_migration([folder], profile, server, tmp_path / "j.sqlite", concurrency=3)
        assert second.ok
        assert second.counts()["created"] == 36 - created
        assert second.counts()["skipped"] == created
        ids = external_ids(server)
        assert len(ids) == 36 and len(set(ids)) == 36


def test_a_lost_reply_is_found_again_by_the_legacy_external_id(
    state_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        list_csv(folder, f"lista_{i}.csv", 60 + i)
    with sandbox(state_path, Faults(drop_after_save_every=2)) as server:
        run = run_migration(
            [folder], load_profile(LIST_PROFILE), server, tmp_path / "j.sqlite", concurrency=2
        )
        assert run.ok, [line.message for line in run.lines]
        ids = external_ids(server)
        assert len(ids) == 9 and len(set(ids)) == 9


def test_an_offer_sent_by_a_killed_run_is_recovered_not_resent(
    server: SandboxServer, tmp_path: Path
) -> None:
    path = list_csv(tmp_path, "lista.csv", 70)
    profile = load_profile(LIST_PROFILE)
    run_migration([path], profile, server, tmp_path / "j.sqlite")
    # a run killed between the POST and the reply leaves its journal entries pending
    with Journal(tmp_path / "j.sqlite") as journal:
        for entry in journal.entries("sandbox"):
            journal.begin(entry.slot, entry.external_id, entry.fingerprint, entry.customer_nr)
    again = run_migration([path], profile, server, tmp_path / "j.sqlite")
    assert {line.status for line in again.lines} == {"created"}
    assert all("interrupted" in line.message for line in again.lines)
    assert len(server.offers()) == 3


# --- failures --------------------------------------------------------------------------------

BAD = (
    "Offertnr;Kundnr;Datum;Vår ref;Artikel;Benämning;Antal;Enhet;Pris;Rabatt;Status\r\n"
    "5001;9999;2018-09-03;Åsa;1-100;Arbete;1;tim;580;;Aktiv\r\n"
    "5002;4416;2018-09-03;Åsa;1-100;Arbete;fem;tim;580;;Aktiv\r\n"
)


def test_a_file_that_keeps_failing_does_not_hold_the_others_back(
    server: SandboxServer, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    list_csv(folder, "a_good.csv", 80)
    (folder / "b_bad.csv").write_bytes(BAD.encode("cp1252"))
    (folder / "c_commas.csv").write_text("Offertnr,Kundnr\n1,013\n", encoding="utf-8")
    profile = load_profile(LIST_PROFILE)

    for attempt in range(2):
        requests, lookups = server.request_count(), server.lookup_count()
        run = run_migration([folder], profile, server, tmp_path / "j.sqlite", concurrency=2)
        assert not run.ok
        assert statuses(run) == {
            "80001": "skipped" if attempt else "created",
            "80002": "skipped" if attempt else "created",
            "80003": "skipped" if attempt else "created",
            "5001": "failed",
            "5002": "failed",
            str(folder / "c_commas.csv"): "failed",
        }
        messages = {line.key: line.message for line in run.lines}
        # issue 14: the unknown customer is found by a look-up; nothing is sent
        assert messages["5001"] == (
            "b_bad!B2: Kundnr 9999 is not a customer in SoftOne GO; the offer was not sent"
        )
        assert messages["5002"].startswith("not uploaded: 1 error(s). b_bad!G3: Antal 'fem'")
        if attempt:
            # only the refused offer is looked up again: the good ones are not touched
            looked_up = server.lookup_count() - lookups
            assert server.request_count() - requests == 1 + looked_up  # a login, no POST
    assert len(server.offers()) == 3

    # fixed in their files, the failed offers go through; the others stay as they were
    (folder / "b_bad.csv").write_bytes(
        BAD.replace(";9999;", ";4416;").replace(";fem;", ";2;").encode("cp1252")
    )
    list_csv(folder, "c_commas.csv", 81)
    fixed = run_migration([folder], profile, server, tmp_path / "j.sqlite", concurrency=2)
    assert fixed.ok, [line.message for line in fixed.lines if line.status == "failed"]
    assert fixed.counts()["created"] == 2 + 3 and fixed.counts()["skipped"] == 3
    assert len(server.offers()) == 8
    assert all(o["Modified"] is None for o in server.offers())  # nothing was updated


def test_refused_credentials_stop_the_run(server: SandboxServer, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        list_csv(folder, f"lista_{i}.csv", 90 + i)
    with uploader_for(server, tmp_path / "j.sqlite", password="wrong") as uploader:
        run = migrate([folder], load_profile(LIST_PROFILE), uploader, concurrency=2)
    assert run.fatal is not None and "refused the login" in run.fatal
    assert not run.ok
    assert server.offers() == []


def test_many_uploads_share_one_token_that_expires(state_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        list_csv(folder, f"lista_{i}.csv", 100 + i)
    with sandbox(state_path, Faults(token_expiry_after=4)) as server:
        run = run_migration(
            [folder], load_profile(LIST_PROFILE), server, tmp_path / "j.sqlite", concurrency=4
        )
        assert run.ok, [line.message for line in run.lines if line.status == "failed"]
        assert len(set(external_ids(server))) == len(server.offers()) == 18


# --- bounded memory, overlapping work ------------------------------------------------------


class _SlowUploader(Uploader):
    """Sends nothing: takes a little time, as a request would, and counts."""

    def __init__(self, journal: Journal) -> None:
        http = httpx.Client(base_url="http://127.0.0.1:9/")  # never used
        super().__init__(SoftOneClient(http, Credentials("k", "c", token="t")), journal, "none")
        self.lock = threading.Lock()
        self.finished = 0
        self.started_at: list[float] = []

    def upload(
        self, offer: MappedOffer, record: UploadRecord | None, external_id: str | None = None
    ) -> OfferResult:
        with self.lock:
            self.started_at.append(time.monotonic())
        time.sleep(0.01)
        with self.lock:
            self.finished += 1
        params = {"offer_nr": "1", "customer": offer.customer_nr, "rows": 1, "total": offer.total}
        return OfferResult(offer, "created", "upload_created", params, external_id=external_id)


def test_parsing_stays_a_bounded_step_ahead_of_the_uploads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(20):
        list_csv(folder, f"lista_{i:02}.csv", 200 + i)  # 3 offers each
    parsed_at: list[float] = []
    ahead: list[int] = []
    real_map = migrate_module.map_legacy
    with Journal(tmp_path / "j.sqlite") as journal:
        uploader = _SlowUploader(journal)

        def counting_map(*args: Any, **kwargs: Any) -> Any:
            legacy = real_map(*args, **kwargs)
            parsed_at.append(time.monotonic())
            with uploader.lock:
                ahead.append(3 * len(parsed_at) - uploader.finished)
            return legacy

        monkeypatch.setattr(migrate_module, "map_legacy", counting_map)
        run = migrate([folder], load_profile(LIST_PROFILE), uploader, concurrency=2)
    assert run.ok and run.counts()["created"] == 60
    # never more than 2 × concurrency offers waiting or in flight, plus the file just read
    assert max(ahead) <= 2 * 2 + 3
    # parsing overlaps with uploading: uploads start long before the last file is read
    assert min(uploader.started_at) < parsed_at[-1]


# --- the report ------------------------------------------------------------------------------


@pytest.fixture
def failing_run(server: SandboxServer, tmp_path: Path) -> MigrationRun:
    folder = tmp_path / "in"
    folder.mkdir()
    list_csv(folder, "a_good.csv", 110)
    (folder / "b_bad.csv").write_bytes(BAD.encode("cp1252"))
    return run_migration([folder], load_profile(LIST_PROFILE), server, tmp_path / "j.sqlite")


def test_the_report_is_usable_in_excel(failing_run: MigrationRun, tmp_path: Path) -> None:
    written = write_report(failing_run, tmp_path / "rapport.xlsx", data=True)
    assert [p.name for p in written] == ["rapport.xlsx", "rapport.csv", "rapport.json"]
    wb = openpyxl.load_workbook(tmp_path / "rapport.xlsx")
    assert wb.sheetnames == ["Summary", "Offers", "Problems"]  # the summary first

    summary = {row[0]: row[1] for row in wb["Summary"].iter_rows(values_only=True) if row}
    assert summary["Mode"] == "upload" and summary["Profile"] == "offertlista"
    assert (summary["created"], summary["failed"], summary["Offers"]) == (3, 2, 5)

    ws = wb["Offers"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:L6"
    header = [c.value for c in ws[1]]
    assert header == [
        "File", "Sheet", "Row", "Legacy no", "Kundnr", "Date", "Rows", "Total",
        "Status", "Offer no", "ExternalId", "Message",
    ]  # fmt: skip
    assert ws.column_dimensions["L"].width >= 40  # the message is readable
    assert ws.column_dimensions["C"].width < ws.column_dimensions["A"].width
    lines = list(ws.iter_rows(min_row=2))
    by_key = {row[3].value: row for row in lines}
    failed = by_key["5001"]
    assert failed[8].value == "failed"
    assert failed[0].fill.fgColor.rgb.endswith("FFC7CE")  # failed offers stand out
    assert failed[8].font.b
    good = by_key["110001"]
    assert good[8].value == "created" and good[0].fill.fgColor.rgb in (None, "00000000")
    assert good[4].value == "013"  # Kundnr as the cell showed it
    assert good[5].value == datetime(2018, 9, 3) and good[5].is_date
    assert good[7].value == 8110 and good[7].number_format == "#,##0.00"
    assert good[9].value.isdigit() and good[10].value == "legacy:110001"

    problems = list(wb["Problems"].iter_rows(min_row=2, values_only=True))
    assert (str(tmp_path / "in" / "b_bad.csv"), "b_bad!G3", "error") in {p[:3] for p in problems}

    with (tmp_path / "rapport.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert [r["status"] for r in rows] == [line.status for line in failing_run.lines]
    assert rows[0]["total"] == "8110,00"  # Swedish CSV, like the files migrate reads
    data = json.loads((tmp_path / "rapport.json").read_text("utf-8"))
    assert data == json.loads(json.dumps(report_dict(failing_run), default=str))
    assert data["counts"]["failed"] == 2 and data["ok"] is False


def test_the_report_speaks_swedish(failing_run: MigrationRun, tmp_path: Path) -> None:
    write_report(failing_run, tmp_path / "rapport.xlsx", lang="sv")
    wb = openpyxl.load_workbook(tmp_path / "rapport.xlsx")
    assert wb.sheetnames == ["Sammanfattning", "Offerter", "Problem"]
    assert wb["Offerter"]["I1"].value == "Status"
    assert {row[8] for row in wb["Offerter"].iter_rows(min_row=2, values_only=True)} == {
        "skapad",
        "misslyckad",
    }
    # the severity words are Swedish too (the CSV and JSON keep the codes)
    problems = list(wb["Problem"].iter_rows(min_row=2, values_only=True))
    assert problems and {p[2] for p in problems} <= {"fel", "varning", "info"}
    assert "fel" in {p[2] for p in problems}


@pytest.mark.libreoffice
def test_libreoffice_opens_the_report(failing_run: MigrationRun, tmp_path: Path) -> None:
    from conftest import resave_with_libreoffice

    path = tmp_path / "rapport.xlsx"
    write_report(failing_run, path)
    resaved = openpyxl.load_workbook(resave_with_libreoffice(path, tmp_path / "lo"))
    original = openpyxl.load_workbook(path)
    assert resaved.sheetnames == original.sheetnames
    for name in original.sheetnames:
        assert list(resaved[name].iter_rows(values_only=True)) == list(
            original[name].iter_rows(values_only=True)
        )


def test_a_long_message_wraps_in_a_row_as_high_as_it_needs(
    failing_run: MigrationRun, tmp_path: Path
) -> None:
    path = tmp_path / "rapport.xlsx"
    write_report(failing_run, path, lang="sv")
    ws = openpyxl.load_workbook(path)["Offerter"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:L6"  # kept
    assert 40 <= ws.column_dimensions["L"].width <= 60
    assert ws["A1"].font.name == "Calibri" and ws["A1"].font.b  # never a serif fallback
    per_line = chars_per_line(ws.column_dimensions["L"].width)
    rows = list(ws.iter_rows(min_row=2))
    assert [row[8].value for row in rows].count("misslyckad") == 2
    tall = 0
    for row in rows:
        message = row[11]
        assert message.alignment.wrap_text and message.alignment.vertical == "top"
        assert all(cell.alignment.vertical == "top" for cell in row)  # a row reads from its top
        height = ws.row_dimensions[message.row].height
        if wrapped_lines(message.value, per_line) > 1:
            assert height == wrapped_height(message.value, per_line), message.value
            tall += 1
        else:
            assert height is None, message.value  # a one-line message keeps the usual height
    assert tall >= 1  # Kundnr 9999 is not a customer in SoftOne GO; the offer was not sent


@pytest.mark.libreoffice
@pytest.mark.slow
def test_the_printed_report_shows_every_failure_message_whole(
    failing_run: MigrationRun, tmp_path: Path
) -> None:
    from conftest import render_with_libreoffice

    path = tmp_path / "rapport.xlsx"
    write_report(failing_run, path, lang="sv")
    rendered = render_with_libreoffice(path, tmp_path / "render")
    printed = rendered.text()
    for line in failing_run.lines:
        if line.status == "failed":
            assert " ".join(line.message.split()) in printed, line.message
    messages = {word for line in failing_run.lines for word in line.message.split()}
    words = [w for w in rendered.words if w.text in messages]
    for i, a in enumerate(words):  # no word of one message printed over another's
        for b in words[i + 1 :]:
            across = min(a.x_max, b.x_max) - max(a.x_min, b.x_min)
            down = min(a.y_max, b.y_max) - max(a.y_min, b.y_min)
            if a.page == b.page and across > 0.5:
                assert down < min(a.y_max - a.y_min, b.y_max - b.y_min) / 3, (a, b)


# --- the command -----------------------------------------------------------------------------


def invoke(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(cli, ["--lang", "en", *args], env=env, catch_exceptions=False)


def test_cli_dry_run_then_upload(tmp_path: Path) -> None:
    files = LEGACY / "blankett" / "files"
    profile = str(LEGACY / "blankett" / "profile.toml")
    state, journal = tmp_path / "sandbox.json", tmp_path / "journal.sqlite"
    report = tmp_path / "dry.xlsx"
    target = ["--sandbox", "--sandbox-state", str(state), "--journal", str(journal)]

    dry = invoke("migrate", str(files), "--profile", profile, "--dry-run", "--report", str(report))
    assert dry.exit_code == 0, dry.output
    assert "dry run, nothing uploaded. 2 files, 2 offers: 2 ready, 0 duplicates, 0 with errors" in (
        dry.output
    )
    assert f"Report: {report}" in dry.output
    assert report.is_file() and not state.exists()  # a dry run starts no server

    real = invoke("migrate", str(files), "--profile", profile, "--report", str(tmp_path / "r.xlsx"),
                  "--report-data", "--concurrency", "2", *target)  # fmt: skip
    assert real.exit_code == 0, real.output
    assert "2 files, 2 offers: 2 created, 0 updated, 0 unchanged, 0 duplicates, 0 failed" in (
        real.output
    )
    assert (tmp_path / "r.csv").is_file() and (tmp_path / "r.json").is_file()
    stored = json.loads(state.read_text("utf-8"))["offers"]
    assert sorted(o["ExternalId"] for o in stored) == [
        "legacy:blankett-3001",
        "legacy:blankett-3002",
    ]


def test_cli_json_is_the_librarys_report(tmp_path: Path) -> None:
    files = [str(p) for p in sorted((LEGACY / "offertlista" / "files").glob("*.csv"))]
    result = invoke("migrate", *files, "--profile", str(LIST_PROFILE), "--dry-run", "--json",
                    "--report", str(tmp_path / "r.xlsx"))  # fmt: skip
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    library = report_dict(migrate([Path(f) for f in files], load_profile(LIST_PROFILE)))
    for changing in ("started", "finished"):
        printed.pop(changing), library.pop(changing)
    assert printed == json.loads(json.dumps(library))


def test_cli_exit_codes_and_failures(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad.csv").write_bytes(BAD.encode("cp1252"))
    result = invoke("migrate", str(folder), "--profile", str(LIST_PROFILE), "--sandbox",
                    "--sandbox-state", str(tmp_path / "s.json"), "--journal",
                    str(tmp_path / "j.sqlite"), "--report", str(tmp_path / "r.xlsx"))  # fmt: skip
    assert result.exit_code == 1
    assert "Failed offers (2):" in result.output
    assert "bad.csv › bad [5001]: bad!B2: Kundnr 9999 is not a customer" in result.output
    assert "0 created, 0 updated, 0 unchanged, 0 duplicates, 2 failed" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--report", "report.csv"], "name ending in .xlsx"),
        (["--concurrency", "0"], "0 is not in the range 1<=x<=64"),
    ],
)
def test_cli_refuses_bad_options(tmp_path: Path, args: list[str], message: str) -> None:
    result = invoke("migrate", str(tmp_path), "--dry-run", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_cli_will_not_write_the_report_over_an_input(tmp_path: Path) -> None:
    target = tmp_path / "old.xlsx"
    shutil.copyfile(LEGACY / "offertlista" / "files" / "offertlista_2019.xlsx", target)
    before = target.read_bytes()
    result = invoke("migrate", str(tmp_path), "--dry-run", "--report", str(target))
    assert result.exit_code == 2
    assert "is one of the files to migrate" in result.output
    assert target.read_bytes() == before


def test_cli_refused_login_writes_the_report_and_exits_2(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    list_csv(folder, "lista.csv", 120)
    with sandbox(tmp_path / "s.json") as server:
        env = {
            **server.environment(),
            "SOFTONE_PASSWORD": server.credentials.password + "-wrong",
        }
        result = invoke(
            "migrate", str(folder), "--profile", str(LIST_PROFILE),
            "--journal", str(tmp_path / "j.sqlite"), "--report", str(tmp_path / "r.xlsx"),
            env=env,
        )  # fmt: skip
        assert server.offers() == []
    assert result.exit_code == 2, result.output
    assert "Error: SoftOne GO refused the login" in result.output
    assert (tmp_path / "r.xlsx").is_file()


def test_reports_left_among_the_files_are_not_read(server: SandboxServer, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    list_csv(folder, "lista.csv", 130)
    profile = load_profile(LIST_PROFILE)
    first = run_migration([folder], profile, server, tmp_path / "j.sqlite")
    write_report(first, folder / "rapport.xlsx", data=True)  # saved in the folder by mistake
    again = run_migration([folder], profile, server, tmp_path / "j.sqlite")
    assert again.ok and again.files_total == 3  # lista.csv, rapport.csv and rapport.xlsx
    assert again.counts()["skipped"] == 3 and again.counts()["failed"] == 0
    notes = {(Path(p.file).name, p.message) for p in again.problems if p.severity == "info"}
    assert ("rapport.xlsx", "a migration report from an earlier run: not read") in notes
    assert ("rapport.csv", "a migration report from an earlier run: not read") in notes


def test_cli_writes_the_report_again_where_it_was(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    list_csv(folder, "lista.csv", 140)
    args = ["migrate", str(folder), "--profile", str(LIST_PROFILE), "--dry-run"]
    report = str(folder / "rapport.xlsx")
    for _ in range(2):  # the second run overwrites the first's report; it is no input
        result = invoke(*args, "--report", report, "--report-data")
        assert result.exit_code == 0, result.output
        assert "1 files, 3 offers: 3 ready" in result.output


def test_a_workbook_already_uploaded_by_upload_is_not_created_again(
    server: SandboxServer, tmp_path: Path
) -> None:
    from conftest import build_workbook, offer_sheet

    from converter.pipeline import upload_files

    header = {"A1": "Kundnr", "B1": "4416", "A2": "Offertdatum", "B2": datetime(2026, 1, 30)}
    header["A3"] = "Offertnr"
    grid = [(1, "A11", "Arbete", 2, "tim", 580)]
    path = build_workbook(tmp_path / "offert.xlsx", {"Offert": offer_sheet(header, grid)})
    with uploader_for(server, tmp_path / "upload.sqlite") as uploader:
        done = upload_files([path], uploader, backup_dir=tmp_path / "backups")
    assert done.ok and len(server.offers()) == 1
    # migrated with the standard profile, and a journal that has never seen the file:
    # the workbook's own upload record says it is offer N already
    run = run_migration([path], load_profile(), server, tmp_path / "other.sqlite")
    assert [line.status for line in run.lines] == ["skipped"]
    assert run.lines[0].offer_nr == server.offers()[0]["CustomerInvoiceNr"]
    assert len(server.offers()) == 1


# --- a layout that does not match says so, once per file ----------------------------------------


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_a_dry_run_without_profile_on_other_layouts_suggests_one(tmp_path: Path, lang: str) -> None:
    folder = tmp_path / "gamla"
    shutil.copytree(LEGACY / "offertlista" / "files", folder / "lista")
    shutil.copytree(LEGACY / "blankett" / "files", folder / "blankett")
    report = tmp_path / "r.xlsx"
    result = invoke("migrate", "--lang", lang, "--dry-run", str(folder), "--report", str(report))
    assert result.exit_code == 1
    names = ["blankett/blankett_3001.ods", "blankett/blankett_3002.xls",
             "lista/offertlista_2018.csv", "lista/offertlista_2019.xlsx"]  # fmt: skip
    if lang == "en":
        hint = (
            "nothing in this file matches the layout of the offer template, which is what is read "
            "without --profile. Describe the old layout in a profile and run again with "
            "--profile LAYOUT.toml (see the README: Migrating legacy offers)"
        )
        expected = [
            "Failed: 0 offer(s) and 4 file(s) that gave no offer:",
            *(f"  ✗ {folder / name}: {hint}" for name in names),
            "dry run, nothing uploaded. 4 files, 0 offers: 0 ready, 0 duplicates, 0 with errors; "
            "4 file(s) gave no offer",
            f"Report: {report}",
        ]
    else:
        hint = (
            "inget i filen stämmer med offertmallens layout, som är den som läses utan --profile. "
            "Beskriv den gamla layouten i en profil och kör igen med --profile LAYOUT.toml (se "
            "README: Migrating legacy offers)"
        )
        expected = [
            "Misslyckade: 0 offert(er) och 4 fil(er) som inte gav någon offert:",
            *(f"  ✗ {folder / name}: {hint}" for name in names),
            "provkörning, inget laddades upp. 4 filer, 0 offerter: 0 klara, 0 dubbletter, 0 med "
            "fel; 4 fil(er) gav ingen offert",
            f"Rapport: {report}",
        ]
    assert result.output.splitlines() == expected


def test_with_a_profile_only_the_files_it_does_not_fit_are_named(tmp_path: Path) -> None:
    folder = tmp_path / "gamla"
    shutil.copytree(LEGACY / "offertlista" / "files", folder / "lista")
    shutil.copytree(LEGACY / "blankett" / "files", folder / "blankett")
    report = tmp_path / "r.xlsx"
    result = invoke("migrate", "--dry-run", str(folder), "--profile", str(LIST_PROFILE),
                    "--report", str(report))  # fmt: skip
    hint = "nothing in this file matches the list layout of the profile 'offertlista'. Check "
    lines = result.output.splitlines()
    assert lines[0] == "Failed: 0 offer(s) and 2 file(s) that gave no offer:"
    assert lines[1] == f"  ✗ {folder / 'blankett' / 'blankett_3001.ods'}: {hint}" + (
        "that --profile fits this file"
    )
    assert lines[3] == (
        "dry run, nothing uploaded. 4 files, 6 offers: 5 ready, 1 duplicates, 0 with errors; "
        "2 file(s) gave no offer"
    )
