"""Read every offer back: what SoftOne GO holds is compared with the sheet, field by field.

The differences come from the sandbox behaving as SoftOne GO does (an update
keeps the rows of an offer that has rows, an unknown article becomes the
miscellaneous one), over real loopback HTTP; the comparison itself is also
tested on its own for the cases the sandbox never produces.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import EXAMPLES
from go_offers import STATUS, assert_swedish, cell, edit, only, upload, uploader, write_offer

from converter.erp.readback import (
    HELD,
    UNVERIFIED,
    Differences,
    Number,
    compare,
)
from converter.migration.report import report_dict, write_report
from converter.migration.run import migrate
from converter.model.api import InvoiceRow, Offer, OfferReply
from converter.model.profile import load_profile
from converter.sandbox import Faults, SandboxConfig, SandboxServer

LIST_PROFILE = EXAMPLES / "legacy" / "offertlista" / "profile.toml"


@pytest.fixture(params=["camel", "pascal"])
def sandbox(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SandboxServer]:
    """The sandbox in both reply casings: the client reads either."""
    config = SandboxConfig(state_path=tmp_path / "state.json", casing=request.param)
    with SandboxServer(config) as server:
        yield server


def journal_fingerprints(folder: Path) -> list[str]:
    with sqlite3.connect(folder / "journal.sqlite") as db:
        return [row[0] for row in db.execute("SELECT fingerprint FROM offers")]


# --- case 2 of the issue: a changed row --------------------------------------------------------


def stored(server: SandboxServer, offer_nr: str | None) -> dict[str, Any]:
    return next(o for o in server.offers() if o["CustomerInvoiceNr"] == offer_nr)


def test_a_changed_row_is_reported_as_not_applied_and_never_called_unchanged(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    # before (no read-back, as the tool was): "updated", then "unchanged", and GO kept 2
    before = tmp_path / "before"
    before.mkdir()
    old = write_offer(before / "offert.xlsx")
    [first] = upload([old], sandbox, before, verify=False).results
    edit(old, {"D11": 3})  # Antal of A14 (Rad 4): 2 → 3
    assert upload([old], sandbox, before, verify=False).results[0].status == "updated"
    assert upload([old], sandbox, before, verify=False).results[0].status == "skipped"
    assert stored(sandbox, first.offer_nr)["InvoiceRows"][3]["Quantity"] == 2

    # after: the read-back says what SoftOne GO holds, in both languages, and no ✓
    path = write_offer(tmp_path / "offert.xlsx")
    [created] = upload([path], sandbox, tmp_path).results
    assert created.status == "created", created.message()
    edit(path, {"D11": 3})
    [result] = upload([path], sandbox, tmp_path).results
    assert result.status == "failed" and result.code == "readback_rows_kept"
    assert "Rad 4: SoftOne GO has 2 × A14, the sheet says 3" in result.message()
    sv = result.message("sv")
    assert "Rad 4: SoftOne GO har 2 × A14, arket säger 3" in sv
    assert "Ändra raderna i SoftOne GO, eller töm Offertnr-cellen och släpp filen igen" in sv
    assert_swedish(sv)
    assert cell(path, STATUS) == f"Error: {result.message()}"
    assert cell(path, "B5") == created.offer_nr
    assert all(fp.startswith(HELD) for fp in journal_fingerprints(tmp_path))

    # and the next run says it again: never "unchanged"
    [again] = upload([path], sandbox, tmp_path).results
    assert again.status == "failed" and again.code == "readback_rows_kept"
    assert stored(sandbox, created.offer_nr)["InvoiceRows"][3]["Quantity"] == 2

    # the way out the message gives: clear Offertnr, and a new offer has the new rows
    edit(path, {"B5": None})
    [new] = upload([path], sandbox, tmp_path).results
    assert new.status == "created", new.message()
    assert stored(sandbox, new.offer_nr)["InvoiceRows"][3]["Quantity"] == 3


FIELDS = {
    # what the salesperson changes, what is then reported (English, Swedish)
    "Artikel": (
        {"B9": "A12"},
        "Rad 2: SoftOne GO has article A11 (Arbetskostnad), the sheet says A12",
        "Rad 2: SoftOne GO har artikel A11 (Arbetskostnad), arket säger A12",
    ),
    "Antal": (
        {"D9": 2.5},
        "Rad 2: SoftOne GO has 5 × A11, the sheet says 2.5",
        "Rad 2: SoftOne GO har 5 × A11, arket säger 2,5",
    ),
    "Pris": (
        {"F9": 600},
        "Rad 2: SoftOne GO has Pris 580.00 kr for A11, the sheet says 600.00 kr",
        "Rad 2: SoftOne GO har priset 580,00 kr för A11, arket säger 600,00 kr",
    ),
    "Rabatt": (
        {"G10": 15},
        "Rad 3: SoftOne GO has Rabatt 10 % on A12, the sheet says 15 %",
        "Rad 3: SoftOne GO har rabatt 10 % på A12, arket säger 15 %",
    ),
    "Beskrivning": (
        {"C9": "Arbete"},
        "Rad 2: SoftOne GO has the text “Arbetskostnad”, the sheet says “Arbete”",
        "Rad 2: SoftOne GO har texten ”Arbetskostnad”, arket säger ”Arbete”",
    ),
    "text row": (
        {"C8": "Offert enligt mejl"},
        "Rad 1: SoftOne GO has the text “Offert enligt telefonsamtal”, the sheet says “Offert "
        "enligt mejl”",
        "Rad 1: SoftOne GO har texten ”Offert enligt telefonsamtal”, arket säger ”Offert "
        "enligt mejl”",
    ),
    "Enhet": (
        {"E11": "Km"},
        "Rad 4: SoftOne GO has Enhet St for A14, the sheet says Km",
        "Rad 4: SoftOne GO har enheten St för A14, arket säger Km",
    ),
    "number of rows": (
        {"A12": 5, "B12": "A14", "C12": "Resor", "D12": 1, "E12": "St", "F12": 250},
        "SoftOne GO has 4 rows, the sheet 5",
        "SoftOne GO har 4 rader, arket 5",
    ),
    "total": (
        {"F11": 300},
        "SoftOne GO's total is 10,060.00 kr, the sheet's 10,160.00 kr",
        "SoftOne GO:s summa är 10\u00a0060,00 kr, arkets 10\u00a0160,00 kr",
    ),
}


@pytest.mark.parametrize("field", FIELDS)
def test_every_compared_field_is_reported_in_both_languages(
    field: str, sandbox: SandboxServer, tmp_path: Path
) -> None:
    cells, english, swedish = FIELDS[field]
    path = write_offer(tmp_path / "offert.xlsx")
    assert upload([path], sandbox, tmp_path).results[0].status == "created"
    edit(path, cells)
    [result] = upload([path], sandbox, tmp_path).results
    assert result.status == "failed" and result.code == "readback_rows_kept"
    assert english in result.message()
    assert swedish in result.message("sv")
    assert_swedish(result.message("sv"))


def test_a_change_above_the_rows_is_updated_and_verified(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    path = write_offer(tmp_path / "offert.xlsx")
    upload([path], sandbox, tmp_path)
    edit(path, {"B3": date(2026, 2, 3)})
    [result] = upload([path], sandbox, tmp_path).results
    assert result.status == "updated", result.message()
    assert "SoftOne GO now holds what the sheet says" in result.message()
    assert "SoftOne GO har nu det som står i arket" in result.message("sv")
    assert only(sandbox)["InvoiceDate"].startswith("2026-02-03")
    assert upload([path], sandbox, tmp_path).results[0].status == "skipped"


def test_the_customers_default_discount_is_not_a_difference(tmp_path: Path) -> None:
    """An empty Rabatt takes the customer's default discount in SoftOne GO (README)."""
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"customers": [{"CustomerNr": "7000", "DiscountPercent": 5}]}))
    path = write_offer(tmp_path / "offert.xlsx", "7000")
    with SandboxServer(SandboxConfig(seed_path=seed)) as server:
        [result] = upload([path], server, tmp_path).results
        assert result.status == "created", result.message()
        rows = only(server)["InvoiceRows"]
        assert [r.get("Discount") for r in rows[1:]] == [5.0, 10.0, 5.0]


def test_a_read_back_that_fails_is_never_a_pass(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    path = write_offer(tmp_path / "offert.xlsx")
    with SandboxServer(
        SandboxConfig(state_path=state, faults=Faults(offer_read_error_every=1))
    ) as s:
        [result] = upload([path], s, tmp_path).results
        assert len(s.offers()) == 1 and s.offer_read_count() >= 2  # read, and tried again
    assert result.status == "failed" and result.code == "readback_failed"
    assert result.message().startswith(f"Offer {result.offer_nr} was saved, but could not be read")
    assert_swedish(result.message("sv"))
    assert cell(path, "B5") == result.offer_nr  # it exists: the number is written
    assert journal_fingerprints(tmp_path)[0].startswith(UNVERIFIED)
    with SandboxServer(SandboxConfig(state_path=state)) as server:
        [again] = upload([path], server, tmp_path).results
        assert again.status == "updated", again.message()  # sent again, and now checked
        assert len(server.offers()) == 1
        assert upload([path], server, tmp_path).results[0].status == "skipped"


# --- the migration report -----------------------------------------------------------------


CSV = (
    "Offertnr;Kundnr;Datum;Vår ref;Artikel;Benämning;Antal;Enhet;Pris;Rabatt;Status\r\n"
    "6001;013;2019-03-01;Åsa;1-100;Arbete;2;tim;580;;Aktiv\r\n"
    "6002;4416;2019-03-02;Åsa;1-300;Resa;1;st;250;;Aktiv\r\n"
)


def test_the_migration_report_shows_differences_and_says_when_nothing_was_read_back(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "lista.csv").write_bytes(CSV.encode("cp1252"))
    profile = load_profile(LIST_PROFILE)
    with SandboxServer(SandboxConfig()) as server:
        with uploader(server, tmp_path, verify=False) as up:
            unchecked = migrate([folder], profile, up)
        assert unchecked.ok and server.offer_read_count() == 0
        data = report_dict(unchecked)
        assert data["verified"] is False
        book = openpyxl.load_workbook(write_report(unchecked, tmp_path / "r1.xlsx", "sv")[0])
        summary = {r[0].value: r[1].value for r in book.worksheets[0].iter_rows() if r[0].value}
        assert summary["Läst tillbaka från SoftOne GO"].startswith("nej (--no-verify)")

        (folder / "lista.csv").write_bytes(CSV.replace(";2;tim;", ";3;tim;").encode("cp1252"))
        with uploader(server, tmp_path) as up:
            checked = migrate([folder], profile, up, lang="sv")
    line = next(line for line in checked.lines if line.key == "6001")
    assert line.status == "failed"
    assert "Rad 1: SoftOne GO har 2 × A11, arket säger 3" in line.message
    assert report_dict(checked)["verified"] is True
    book = openpyxl.load_workbook(write_report(checked, tmp_path / "r2.xlsx", "sv")[0])
    summary = {r[0].value: r[1].value for r in book.worksheets[0].iter_rows() if r[0].value}
    assert summary["Läst tillbaka från SoftOne GO"].startswith("ja")
    offers = [[c.value for c in row] for row in book.worksheets[1].iter_rows(min_row=2)]
    assert any("arket säger 3" in str(row[-1]) for row in offers)


# --- the comparison on its own ----------------------------------------------------------------


def sent(*rows: InvoiceRow) -> Offer:
    return Offer.model_validate(
        {
            "CustomerNr": "013",
            "InvoiceDate": "2026-01-30",
            "OriginType": 5,
            "RegistrationType": 1,
            "BillingType": 1,
            "InvoiceRows": list(rows),
        }
    )


def product(row_nr: int, nr: str, qty: str, price: str, **more: Any) -> InvoiceRow:
    return InvoiceRow(
        customer_row_type=2,
        row_nr=row_nr,
        product_nr=nr,
        quantity=Decimal(qty),
        amount=Decimal(price),
        **more,
    )


def held(*rows: dict[str, Any], total: str | None = None) -> OfferReply:
    return OfferReply.model_validate(
        {"invoiceId": 1, "invoiceRows": list(rows), "sumAmount": total}
    )


def test_nothing_differs_when_softone_go_holds_the_sheet() -> None:
    offer = sent(
        product(1, "A11", "2", "10.5", discount=Decimal(10)),
        InvoiceRow(customer_row_type=3, row_nr=2, text="Hej  då"),
    )
    stored = held(
        {"customerRowType": 2, "rowNr": 1, "productNr": "a11", "quantity": 2, "unitPrice": 10.5,
         "discount": 10},
        {"customerRowType": 3, "rowNr": 2, "text": "Hej då"},
        total="18.90",
    )  # fmt: skip
    assert compare(offer, stored) == []


def test_a_text_row_where_the_sheet_has_an_article_and_a_missing_offer() -> None:
    offer = sent(product(1, "A11", "1", "5"), InvoiceRow(customer_row_type=3, row_nr=2, text="x"))
    stored = held(
        {"customerRowType": 3, "rowNr": 1, "text": "x"},
        {"customerRowType": 2, "rowNr": 2, "productNr": "A12", "quantity": 1, "unitPrice": 5},
    )
    found = Differences(tuple(compare(offer, stored)))
    assert found.message() == (
        "Rad 1: SoftOne GO has a text row, the sheet article A11; "
        "Rad 2: SoftOne GO has article A12, the sheet a text row"
    )
    assert compare(offer, None)[0].message("sv") == (
        "SoftOne GO visar inte offerten när den efterfrågas"
    )


def test_only_the_total_differing_is_not_a_row_difference() -> None:
    offer = sent(product(1, "A11", "1", "100"))
    stored = held(
        {"customerRowType": 2, "rowNr": 1, "productNr": "A11", "quantity": 1, "unitPrice": 100},
        total="90",
    )
    found = compare(offer, stored)
    assert [d.code for d in found] == ["diff_total"] and not Differences(tuple(found)).in_rows


def test_many_differences_are_counted_after_the_first_five() -> None:
    offer = sent(*(product(n, "A11", "1", "1") for n in range(1, 9)))
    stored = held(
        *({"customerRowType": 2, "rowNr": n, "productNr": "A11", "quantity": 2, "unitPrice": 1}
          for n in range(1, 9))
    )  # fmt: skip
    text = Differences(tuple(compare(offer, stored))).message("sv")
    assert text.count("Rad ") == 5 and text.endswith("; och 3 till")


def test_an_update_where_only_the_total_differs_says_so_in_swedish() -> None:
    """SoftOne GO's own total off while the rows agree: not "kept its rows" (the sandbox
    never does this, so the outcome is built from its parts)."""
    from converter.erp.guard import CustomerLabel, Verdict
    from converter.i18n import render

    found = compare(
        sent(product(1, "A11", "1", "100")),
        held(
            {"customerRowType": 2, "rowNr": 1, "productNr": "A11", "quantity": 1, "unitPrice": 100},
            total="90",
        ),
    )
    verdict = Verdict("go:x", tuple(found))
    assert verdict.failure_code(updated=True) == "readback_updated_differs"
    assert verdict.failure_code(updated=False) == "readback_created_differs"
    text = render(
        verdict.failure_code(updated=True),
        "sv",
        offer_nr="486",
        customer=CustomerLabel("013"),
        differences=Differences(verdict.differences),
    )
    assert text == (
        "Offert 486 uppdaterades, men SoftOne GO har något annat än arket: SoftOne GO:s summa "
        "är 90,00 kr, arkets 100,00 kr. Kontrollera offerten i SoftOne GO"
    )
    assert_swedish(text)


def test_numbers_are_written_the_languages_way() -> None:
    assert Number(Decimal("2.50")).message("sv") == "2,5"
    assert Number(Decimal("2.50")).message("en") == "2.5"
    assert Number(Decimal("10")).message("sv") == "10"
