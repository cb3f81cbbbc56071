"""Honest updates: a new customer or a copy is never an update, a locked offer says so.

Against the sandbox over real loopback HTTP; "untouched" is read from the
sandbox's own state (its ``Modified`` stays empty until an update).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from go_offers import (
    KUNDNR,
    OFFERTNR,
    STATUS,
    assert_swedish,
    cell,
    edit,
    only,
    upload,
    write_offer,
)

from converter.cli import cli
from converter.sandbox import SandboxConfig, SandboxServer


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(state_path=tmp_path / "state.json")) as server:
        yield server


def untouched(server: SandboxServer, customer: str = "013") -> bool:
    stored = only(server)
    return stored["Modified"] is None and stored["CustomerNr"] == customer


# --- a changed Kundnr ---------------------------------------------------------------------


def test_a_changed_kundnr_is_never_an_update(sandbox: SandboxServer, tmp_path: Path) -> None:
    path = write_offer(tmp_path / "offert.xlsx")
    [created] = upload([path], sandbox, tmp_path).results
    edit(path, {KUNDNR: "4416"})
    requests = sandbox.request_count()
    [result] = upload([path], sandbox, tmp_path).results
    assert result.status == "failed" and untouched(sandbox)
    assert sandbox.request_count() == requests  # decided before anything was sent
    [problem] = [p for p in result.offer.problems if p.code == "customer_changed"]
    assert problem.where == "'Offert 1'!B2"
    assert result.message("sv") == (
        f"'Offert 1'!B2: Offerten laddades upp som {created.offer_nr} för kund 013; för en ny "
        "offert till 4416, töm Offertnr-cellen"
    )
    assert result.message() == (
        f"'Offert 1'!B2: The offer was uploaded as {created.offer_nr} for customer 013; for a "
        "new offer to 4416, clear the Offertnr cell"
    )
    assert cell(path, OFFERTNR) == created.offer_nr  # the number stays: it is still that offer's
    edit(path, {OFFERTNR: None})
    [new] = upload([path], sandbox, tmp_path).results
    assert new.status == "created" and len(sandbox.offers()) == 2


# --- case 3 of the issue: Save As -----------------------------------------------------------


def test_save_as_with_another_kundnr_leaves_the_original_offer_untouched(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    original = write_offer(tmp_path / "Offert Berglunds.xlsx")
    [created] = upload([original], sandbox, tmp_path).results
    # before: the copy carries the original's upload record, which used to make it an update
    copy = tmp_path / "Offert Jensfjergen.xlsx"
    shutil.copyfile(original, copy)
    edit(copy, {KUNDNR: "4416"})
    assert cell(copy, OFFERTNR) == created.offer_nr

    # after: refused at the Kundnr cell, and offer 486 is still Berglunds' offer
    [result] = upload([copy], sandbox, tmp_path).results
    assert result.status == "failed" and result.code == "upload_not_sent"
    assert "töm Offertnr-cellen" in result.message("sv") and untouched(sandbox)
    [again] = upload([original], sandbox, tmp_path).results
    assert (again.status, again.code) == ("skipped", "upload_skipped")  # and that is true
    assert untouched(sandbox)


def test_an_unchanged_copy_is_named_a_copy(sandbox: SandboxServer, tmp_path: Path) -> None:
    original = write_offer(tmp_path / "offert.xlsx")
    [created] = upload([original], sandbox, tmp_path).results
    (tmp_path / "kopior").mkdir()
    copy = tmp_path / "kopior" / "offert (2).xlsx"
    shutil.copyfile(original, copy)
    before = copy.read_bytes()
    requests = sandbox.request_count()
    [result] = upload([copy], sandbox, tmp_path).results
    assert result.status == "skipped" and not result.needs_writeback
    assert result.message() == (
        f"already offer {created.offer_nr} (a copy of offert.xlsx), unchanged: not sent again"
    )
    assert result.message("sv") == (
        f"redan offert {created.offer_nr} (en kopia av offert.xlsx), oförändrad: skickades "
        "inte igen"
    )
    assert sandbox.request_count() == requests and copy.read_bytes() == before
    # the original stays the offer's own workbook
    assert upload([original], sandbox, tmp_path).results[0].code == "upload_skipped"


def test_a_changed_copy_is_refused_with_the_advice(sandbox: SandboxServer, tmp_path: Path) -> None:
    original = write_offer(tmp_path / "offert.xlsx")
    [created] = upload([original], sandbox, tmp_path).results
    copy = tmp_path / "ny offert.xlsx"
    shutil.copyfile(original, copy)
    edit(copy, {"B3": date(2026, 3, 1), "D9": 7})
    [result] = upload([copy], sandbox, tmp_path).results
    assert result.status == "failed" and untouched(sandbox)
    [problem] = [p for p in result.offer.problems if p.code == "copy_changed"]
    assert problem.where == "'Offert 1'!B5"  # the Offertnr cell: clear it
    assert result.message() == (
        f"'Offert 1'!B5: This workbook is a copy of offert.xlsx, uploaded as offer "
        f"{created.offer_nr}. To make a new offer of it, clear the Offertnr cell; to change "
        f"offer {created.offer_nr}, change offert.xlsx"
    )
    assert_swedish(result.message("sv").split(": ", 1)[1].replace("offert.xlsx", ""))
    # in the sheet the status names the cell, not the sheet
    assert cell(copy, STATUS) == (
        "Error: This workbook is a copy of offert.xlsx, uploaded as offer 486. To make a new "
        "offer of it, clear the Offertnr cell; to change offer 486, change offert.xlsx (B5)"
    )
    edit(copy, {OFFERTNR: None})
    [new] = upload([copy], sandbox, tmp_path).results
    assert new.status == "created" and len(sandbox.offers()) == 2


def test_a_moved_workbook_is_the_same_offer(sandbox: SandboxServer, tmp_path: Path) -> None:
    path = write_offer(tmp_path / "offert.xlsx")
    [created] = upload([path], sandbox, tmp_path).results
    moved = tmp_path / "arkiv" / "offert.xlsx"
    moved.parent.mkdir()
    path.rename(moved)
    assert upload([moved], sandbox, tmp_path).results[0].code == "upload_skipped"
    edit(moved, {"B3": date(2026, 4, 1)})
    [updated] = upload([moved], sandbox, tmp_path).results
    assert updated.status == "updated", updated.message()
    assert updated.offer_nr == created.offer_nr and len(sandbox.offers()) == 1
    # and a copy of the moved workbook is a copy of it, not of the old place
    copy = tmp_path / "kopia.xlsx"
    shutil.copyfile(moved, copy)
    assert "(a copy of offert.xlsx)" in upload([copy], sandbox, tmp_path).results[0].message()


def test_a_copy_whose_original_was_deleted_becomes_the_offers_workbook(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    original = write_offer(tmp_path / "offert.xlsx")
    upload([original], sandbox, tmp_path)
    copy = tmp_path / "offert v2.xlsx"
    shutil.copyfile(original, copy)
    original.unlink()
    edit(copy, {"B3": date(2026, 5, 1)})
    [result] = upload([copy], sandbox, tmp_path).results
    assert result.status == "updated", result.message()
    assert only(sandbox)["InvoiceDate"].startswith("2026-05-01")


# --- an offer SoftOne GO no longer lets anyone change -----------------------------------------


@pytest.mark.parametrize(
    ("status", "en", "sv"),
    [(42, "ordered", "beställd"), (44, "invoiced", "fakturerad"), (45, "closed", "stängd")],
)
def test_an_update_of_a_locked_offer_says_so_in_the_users_words(
    status: int, en: str, sv: str, sandbox: SandboxServer, tmp_path: Path
) -> None:
    path = write_offer(tmp_path / "offert.xlsx")
    [created] = upload([path], sandbox, tmp_path).results
    assert created.invoice_id is not None
    sandbox.set_offer_status(created.invoice_id, status)
    edit(path, {"B3": date(2026, 2, 9)})
    [result] = upload([path], sandbox, tmp_path).results
    assert result.status == "failed" and result.code == "update_not_editable"
    assert untouched(sandbox)
    assert result.message() == (
        f"Offer {created.offer_nr} can no longer be changed: it is {en} in SoftOne GO. Make the "
        "change in SoftOne GO, or clear the Offertnr cell and drop the file again to create a "
        "new offer"
    )
    swedish = result.message("sv")
    assert f"Offert {created.offer_nr} kan inte längre ändras: den är {sv} i SoftOne GO" in swedish
    assert_swedish(swedish)


def test_the_drop_window_shows_the_new_outcomes_in_swedish(tmp_path: Path, user_dirs: Path) -> None:
    path = write_offer(tmp_path / "offert.xlsx")
    state = tmp_path / "practice.json"
    with SandboxServer(SandboxConfig(state_path=state)) as server:
        env = {**server.environment(), "XDG_DATA_HOME": str(user_dirs / "data")}
        first = CliRunner().invoke(cli, ["--lang", "sv", "drop", str(path)], env=env)
        assert first.exit_code == 0, first.output
        assert "✓ Offert 486 skapad för 013 Berglunds (4 rader," in first.output
        edit(path, {"D11": 3})
        kept = CliRunner().invoke(cli, ["--lang", "sv", "drop", str(path)], env=env)
        edit(path, {"D11": 2, KUNDNR: "4416"})
        new_customer = CliRunner().invoke(cli, ["--lang", "sv", "drop", str(path)], env=env)
    assert kept.exit_code == 1
    line = next(line for line in kept.output.splitlines() if "✗" in line)
    assert "SoftOne GO behöll de gamla raderna" in line and "Rad 4: SoftOne GO har 2 × A14" in line
    assert "✓" not in kept.output
    line = next(line for line in new_customer.output.splitlines() if "✗" in line)
    assert "Offerten laddades upp som 486 för kund 013; för en ny offert till 4416" in line
    for output in (kept.output, new_customer.output):
        assert_swedish("\n".join(x for x in output.splitlines() if "✗" in x))
