"""Check before sending: the customer and every article are looked up in SoftOne GO first.

Against the sandbox over real loopback HTTP; what was created is always read
from the sandbox's own state.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, user_environment
from go_offers import (
    KUNDNR,
    ROWS,
    STATUS,
    assert_swedish,
    cell,
    only,
    upload,
    uploader,
    write_offer,
)

from converter.cli import cli
from converter.erp.client import RetryPolicy, SoftOneClient
from converter.erp.lookups import Lookups
from converter.errors import ProfileError
from converter.migration.run import migrate
from converter.model.profile import default_profile_path, load_profile
from converter.sandbox import Faults, SandboxConfig, SandboxServer

LIST_PROFILE = EXAMPLES / "legacy" / "offertlista" / "profile.toml"
LIST_HEADER = "Offertnr;Kundnr;Datum;Vår ref;Artikel;Benämning;Antal;Enhet;Pris;Rabatt;Status\r\n"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(state_path=tmp_path / "state.json")) as server:
        yield server


# --- case 1 of the issue: a mistyped article ---------------------------------------------------


def test_a_mistyped_article_is_what_softone_go_silently_books_as_miscellaneous(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    """Before: sent anyway (as the tool did), SoftOne GO answers "success" and books the
    row on its miscellaneous article, keeping the row's text. Even then the result is
    not a ✓: the read-back shows what SoftOne GO holds."""
    path = write_offer(tmp_path / "offert.xlsx", rows=[("A99", "Resor inom V-ås", 2, "St", 250)])
    run = upload([path], sandbox, tmp_path, unknown_articles="warn")
    [result] = run.results
    [row] = only(sandbox)["InvoiceRows"][1:]
    assert (row["ProductNr"], row["ProductName"], row["Text"]) == (
        "999",
        "Övrigt",
        "Resor inom V-ås",
    )
    assert result.status == "failed" and result.code == "readback_created_differs"
    assert "Rad 2: SoftOne GO has article 999 (Övrigt), the sheet says A99" in result.message()
    sv = result.message("sv")
    assert "Rad 2: SoftOne GO har artikel 999 (Övrigt), arket säger A99" in sv
    assert "Rätta offerten i SoftOne GO" in sv
    assert_swedish(sv)
    warning = next(p for p in result.offer.problems if p.code == "article_not_in_go_warn")
    assert warning.where == "'Offert 1'!B9" and warning.severity == "warning"
    assert_swedish(warning.message("sv"))
    assert cell(path, "B5") == result.offer_nr  # it exists: its number is in the workbook


def test_a_mistyped_article_is_caught_at_its_cell_before_anything_is_sent(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    """After: the article is looked up first; nothing reaches SoftOne GO."""
    path = write_offer(tmp_path / "offert.xlsx", rows=[*ROWS, ("A99", "Resa", 1, "St", 100, None)])
    run = upload([path], sandbox, tmp_path)
    [result] = run.results
    assert sandbox.offers() == [] and not run.ok
    assert result.status == "failed"
    assert result.message() == (
        "'Offert 1'!B12: Artikel A99 is not in SoftOne GO; the offer was not sent"
    )
    sv = result.message("sv")
    assert sv == "'Offert 1'!B12: Artikel A99 finns inte i SoftOne GO; offerten skickades inte"
    # in the sheet itself the status names the cell, without the sheet
    assert (
        cell(path, STATUS)
        == "Error: Artikel A99 is not in SoftOne GO; the offer was not sent (B12)"
    )
    assert cell(path, "B5") is None


def test_an_inactive_article_is_an_error_at_its_cell(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    path = write_offer(tmp_path / "offert.xlsx", rows=[("a13", "Resa", 1, "St", 200, None)])
    [result] = upload([path], sandbox, tmp_path).results
    assert sandbox.offers() == []
    assert (
        result.message()
        == "'Offert 1'!B9: Artikel a13 is inactive in SoftOne GO; the offer was not sent"
    )
    assert_swedish(result.message("sv").split(": ", 1)[1])


def test_an_unknown_customer_is_an_error_at_the_kundnr_cell_and_every_problem_is_listed(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    path = write_offer(
        tmp_path / "offert.xlsx", "4417", rows=[*ROWS, ("X1", "Extra", 1, "St", 9, None)]
    )
    [result] = upload([path], sandbox, tmp_path).results
    assert sandbox.offers() == []
    problems = [(p.where, p.code) for p in result.offer.problems]
    assert problems == [
        ("'Offert 1'!B2", "customer_not_in_go"),
        ("'Offert 1'!B12", "article_not_in_go"),
    ]
    assert result.message() == (
        "'Offert 1'!B2: Kundnr 4417 is not a customer in SoftOne GO; the offer was not sent "
        "(1 more: `offer-converter validate --online` lists them all)"
    )
    sv = result.message("sv")
    assert sv.startswith("'Offert 1'!B2: Kundnr 4417 finns inte som kund i SoftOne GO;")
    # the status in the sheet: the first problem at its cell, and how many more, no command
    assert cell(path, STATUS) == (
        "Error: Kundnr 4417 is not a customer in SoftOne GO; the offer was not sent (B2), "
        "and 1 more"
    )
    assert_swedish(sv.split(": ", 1)[1].replace("`offer-converter validate --online`", ""))


def test_the_result_line_names_the_customer_softone_go_has(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    path = write_offer(tmp_path / "offert.xlsx", "4416")
    [result] = upload([path], sandbox, tmp_path).results
    assert result.status == "created"
    assert result.message("sv") == (
        f"Offert {result.offer_nr} skapad för 4416 Jensfjergen AB (4 rader, 10\u00a0060,00 kr)"
    )


# --- the look-ups themselves ---------------------------------------------------------------


def list_file(folder: Path, offers: int, name: str = "lista.csv") -> Path:
    """A legacy list with ``offers`` offers of two rows each, over 3 customers and 5 articles."""
    customers = ("013", "4416", "4824")
    articles = ("1-100", "1-200", "1-300", "0042", "100-5t")
    lines = [LIST_HEADER]
    for n in range(offers):
        first, second = articles[n % 5], articles[(n + 2) % 5]
        lines.append(
            f"{7000 + n};{customers[n % 3]};2019-03-01;Åsa;{first};Rad;1;st;100;;Aktiv\r\n"
        )
        lines.append(f";;;;{second};Rad två;2;st;50;;Aktiv\r\n")
    path = folder / name
    path.write_bytes("".join(lines).encode("cp1252"))
    return path


@pytest.mark.slow
def test_a_300_offer_migration_looks_each_article_and_customer_up_once(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    list_file(folder, 300)
    profile = load_profile(LIST_PROFILE)
    with uploader(sandbox, tmp_path) as up:
        run = migrate([folder], profile, up, concurrency=8)
    assert run.ok, [line.message for line in run.lines if line.status == "failed"]
    assert run.counts()["created"] == 300 and len(sandbox.offers()) == 300
    # 1-100, 1-200 and 1-300 are A11, A12 and A14 after the profile's article table
    for number in ("a11", "a12", "a14", "0042", "100-5t"):
        assert sandbox.lookup_count(f"product:{number}") == 1, number
    for customer in ("013", "4416", "4824"):
        assert sandbox.lookup_count(f"customers:{customer}") == 1, customer
    assert sandbox.lookup_count() == 8
    assert sandbox.offer_read_count() == 300  # every offer read back


def test_threads_asking_for_the_same_article_share_one_request(sandbox: SandboxServer) -> None:
    started = threading.Barrier(8)
    with httpx.Client(base_url=sandbox.url + "/", timeout=5) as http:
        lookups = Lookups(SoftOneClient(http, sandbox.client_credentials()))
        lookups.customer("013")  # logged in before the race
        answers: list[object] = []

        def ask() -> None:
            started.wait()
            answers.append(lookups.article("A11"))

        threads = [threading.Thread(target=ask) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(answers) == 8 and len(set(map(id, answers))) == 1
    assert sandbox.lookup_count("product:a11") == 1


LOOKUP_FAULTS = {
    "every other look-up answers 500": Faults(lookup_error_every=2),
    "every other look-up times out": Faults(lookup_stall_every=2, spike_seconds=0.6),
}


@pytest.mark.parametrize("faults", LOOKUP_FAULTS.values(), ids=LOOKUP_FAULTS.keys())
def test_a_look_up_that_fails_once_is_retried(faults: Faults, tmp_path: Path) -> None:
    path = write_offer(tmp_path / "offert.xlsx")
    with SandboxServer(SandboxConfig(faults=faults)) as server:
        [result] = upload([path], server, tmp_path, timeout=0.3).results
        assert result.status == "created", result.message()
        assert len(server.offers()) == 1
        assert server.request_count() > 1 + 4 + 1 + 1  # login, 4 look-ups, POST, read: retries
        if faults.lookup_error_every:
            # the customer and 3 articles, each answered once; the failed tries never were
            assert server.lookup_count() == 4


@pytest.mark.parametrize(
    "faults",
    [Faults(lookup_error_every=1), Faults(lookup_stall_every=1, spike_seconds=0.6)],
    ids=["every look-up answers 500", "every look-up times out"],
)
def test_a_look_up_that_keeps_failing_is_never_a_pass(faults: Faults, tmp_path: Path) -> None:
    path = write_offer(tmp_path / "offert.xlsx")
    retry = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.02)
    with SandboxServer(SandboxConfig(faults=faults)) as server:
        run = upload([path], server, tmp_path, timeout=0.3, retry=retry)
        assert server.offers() == []  # nothing was sent unchecked
        if faults.lookup_error_every:
            assert server.lookup_count() == 0  # no look-up was ever answered
    [result] = run.results
    assert result.status == "failed" and result.code == "upload_not_checked" and not run.ok
    assert result.message().startswith(
        "not sent: the customer and articles could not be looked up in SoftOne GO ("
    )
    sv = result.message("sv")
    assert sv.startswith("skickades inte: kunden och artiklarna kunde inte slås upp i SoftOne GO (")
    assert_swedish(sv)
    assert cell(path, "B5") is None


# --- validate --online ---------------------------------------------------------------------


def test_validate_online_checks_without_uploading_and_plain_validate_stays_offline(
    tmp_path: Path, user_dirs: Path
) -> None:
    path = write_offer(tmp_path / "offert.xlsx", rows=[*ROWS, ("A99", "Resa", 1, "St", 100, None)])
    state = tmp_path / "sandbox.json"
    with SandboxServer(SandboxConfig(state_path=state)) as server:
        env = user_environment(server, user_dirs)
        offline = CliRunner().invoke(cli, ["--lang", "en", "validate", str(path)], env=env)
        assert offline.exit_code == 0, offline.output
        assert server.request_count() == 0  # plain validate contacts nothing
        online = CliRunner().invoke(
            cli, ["--lang", "sv", "validate", "--online", str(path)], env=env
        )
        assert server.offers() == [] and server.lookup_count("product:a99") == 1
    assert online.exit_code == 1, online.output
    assert (
        "'Offert 1'!B12: Artikel A99 finns inte i SoftOne GO; offerten skickades inte"
        in online.output
    )
    practice = CliRunner().invoke(
        cli, ["validate", "--sandbox", "--sandbox-state", str(state), "--json", str(path)]
    )
    assert practice.exit_code == 1
    [offer] = json.loads(practice.output)["files"][0]["offers"]
    assert [(p["where"], p["code"]) for p in offer["problems"]] == [
        ("'Offert 1'!B12", "article_not_in_go")
    ]


@pytest.mark.slow
def test_validate_online_says_when_the_checks_could_not_be_made(tmp_path: Path) -> None:
    path = write_offer(tmp_path / "offert.xlsx")
    with SandboxServer(SandboxConfig(faults=Faults(lookup_error_every=1))) as server:
        result = CliRunner().invoke(
            cli,
            ["--lang", "sv", "validate", "--online", "--timeout", "0.5", str(path)],
            env={**server.environment(), "XDG_DATA_HOME": str(tmp_path / "data")},
        )
    assert result.exit_code == 1, result.output
    line = next(line for line in result.output.splitlines() if "kontrollerad" in line)
    assert "inte kontrollerad: kunden och artiklarna kunde inte slås upp" in line
    assert "OK" not in result.output


# --- the profile's [softone] settings --------------------------------------------------------


@pytest.mark.parametrize("shape", ["array", "object"])
def test_the_body_shape_is_one_setting_and_the_sandbox_takes_both(
    shape: str, sandbox: SandboxServer, tmp_path: Path
) -> None:
    sent: list[object] = []

    def record(request: httpx.Request) -> None:
        if request.method == "POST" and request.url.path.endswith("/Economy/Billing/Offer"):
            sent.append(json.loads(request.content))

    path = write_offer(tmp_path / "offert.xlsx")
    [result] = upload([path], sandbox, tmp_path, offer_body=shape, on_request=record).results
    assert result.status == "created", result.message()
    [body] = sent
    if shape == "array":
        assert isinstance(body, list) and body[0]["CustomerNr"] == "013"
    else:
        assert isinstance(body, dict) and body["CustomerNr"] == "013"
    assert only(sandbox)["CustomerInvoiceNr"] == result.offer_nr


def test_the_profile_holds_the_settings_and_refuses_a_typo(tmp_path: Path) -> None:
    default = load_profile()
    assert (default.softone.unknown_articles, default.softone.offer_body) == ("error", "array")
    text = default_profile_path().read_text("utf-8")
    relaxed = tmp_path / "relaxed.toml"
    relaxed.write_text(
        text.replace('unknown_articles = "error"', 'unknown_articles = "warn"'), "utf-8"
    )
    assert load_profile(relaxed).softone.unknown_articles == "warn"
    typo = tmp_path / "typo.toml"
    typo.write_text(text.replace('offer_body = "array"', 'offer_body = "list"'), "utf-8")
    with pytest.raises(ProfileError, match="softone.offer_body"):
        load_profile(typo)


def test_a_relaxed_profile_reaches_the_upload_through_the_pipeline(
    tmp_path: Path, user_dirs: Path
) -> None:
    """``upload --profile`` with ``unknown_articles = "warn"``: the offer is sent, and the
    read-back still says what SoftOne GO made of the row."""
    relaxed = tmp_path / "relaxed.toml"
    text = default_profile_path().read_text("utf-8")
    relaxed.write_text(
        text.replace('unknown_articles = "error"', 'unknown_articles = "warn"'), "utf-8"
    )
    path = write_offer(tmp_path / "offert.xlsx", rows=[("A99", "Resa", 1, "St", 100, None)])
    result = CliRunner().invoke(
        cli, ["--lang", "en", "upload", "--sandbox", "--profile", str(relaxed), str(path)]
    )
    assert result.exit_code == 1, result.output
    assert (
        "✗ Offert 1: Offer 486 was created for 013 Berglunds, but SoftOne GO holds" in result.output
    )
    assert "Rad 2: SoftOne GO has article 999 (Övrigt), the sheet says A99" in result.output
    assert cell(path, KUNDNR) == "013" and cell(path, "B5") == "486"
