"""fill: names, units and the customer's prices from SoftOne GO into the sheet (issue 15).

Against the sandbox over real loopback HTTP. Offers are written on the
template (``build_template``), so the cells are those a salesperson fills in.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import go_offers
import httpx
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import libreoffice_convert, resave_with_libreoffice
from go_offers import assert_swedish
from package_diff import changed_parts, entries, outside_sheet_data, parts, raw_cells, read_cells

from converter.cli import cli
from converter.desktop.template import (
    AMOUNT_FORMAT,
    ARTICLES_SHEET,
    COLUMN,
    CUSTOMER_NAME_CELL,
    FIRST_ROW,
    HEADER_ROWS,
    LOOKUP_COLUMNS,
    OFFER_SHEET,
    PERCENT_FORMAT,
    TOTALS_ROW,
    UNKNOWN_ARTICLE_TEXT,
    VALUE_COLUMN,
    build_template,
)
from converter.erp.client import RetryPolicy, SoftOneClient
from converter.erp.fill import SheetFill, plan_sheet
from converter.erp.lookups import Lookups
from converter.map.offer_sheet import locate_sheet
from converter.model.profile import load_profile
from converter.paths import sandbox_state_path
from converter.pipeline import FillRun, fill_files, validate_files
from converter.read.xlsx import blank_cell_formats, read_workbook
from converter.sandbox import SandboxConfig, SandboxServer, SandboxState

KUNDNR = f"{VALUE_COLUMN}{HEADER_ROWS['Kundnr']}"
DATUM = f"{VALUE_COLUMN}{HEADER_ROWS['Offertdatum']}"
OFFERTNR = f"{VALUE_COLUMN}{HEADER_ROWS['Offertnr']}"
Row = Mapping[str, Any]  # grid column name → value


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig()) as server:
        yield server


@pytest.fixture
def lookups(sandbox: SandboxServer) -> Iterator[Lookups]:
    with httpx.Client(base_url=sandbox.url + "/", timeout=5.0, trust_env=False) as http:
        client = SoftOneClient(
            http, sandbox.client_credentials(), retry=RetryPolicy(attempts=3, base_delay=0.01)
        )
        yield Lookups(client)


def at(column: str, index: int) -> str:
    """The cell of grid ``column`` on the ``index``-th offer row (0-based)."""
    return f"{COLUMN[column]}{FIRST_ROW + index}"


def write_offer(
    path: Path, customer: str | None, rows: Sequence[Row], header: Mapping[str, Any] | None = None
) -> Path:
    """The template with Kundnr, a date, ``rows`` from the first offer row and ``header`` cells."""
    wb = build_template()
    ws = wb[OFFER_SHEET]
    if customer is not None:
        ws[KUNDNR] = customer
    ws[DATUM] = date(2026, 1, 30)
    for coordinate, value in (header or {}).items():
        ws[coordinate] = value
    for index, row in enumerate(rows):
        for column, value in row.items():
            ws[at(column, index)] = value
    wb.save(path)
    return path


def plan(path: Path, lookups: Lookups) -> SheetFill:
    workbook = read_workbook(path)
    layout = locate_sheet(workbook.sheets[0], load_profile(), path)
    assert layout is not None
    return plan_sheet(layout, lookups)


def filled(sheet: SheetFill) -> dict[str, str | Decimal]:
    return {f.ref.coordinate: f.value for f in sheet.fills}


def notes(sheet: SheetFill, lang: str = "en") -> dict[str, str]:
    return {n.ref.coordinate if n.ref else "": n.message(lang) for n in sheet.notes}  # type: ignore[arg-type]


def test_empty_names_units_and_prices_get_this_customers_prices(
    tmp_path: Path, lookups: Lookups
) -> None:
    """5020 has net prices by quantity: 10 × E2101 costs 47,50 each, 1 × E2101 52,00."""
    path = write_offer(
        tmp_path / "offert.xlsx",
        "5020",
        [
            {"Artikel": "E2101", "Antal": 10},
            {"Artikel": "e2101", "Antal": 1},
            {"Artikel": "A09", "Antal": 2},
            {"Artikel": "E2001"},  # no Antal: the price for 1
            {"Beskrivning": "En textrad"},
        ],
    )
    sheet = plan(path, lookups)
    assert filled(sheet) == {
        CUSTOMER_NAME_CELL: "Fastighets AB Linden",
        at("Beskrivning", 0): "Vägguttag 1-vägs infällt vit",
        at("Enhet", 0): "st",
        at("Pris", 0): Decimal("47.5"),
        at("Beskrivning", 1): "Vägguttag 1-vägs infällt vit",
        at("Enhet", 1): "st",
        at("Pris", 1): Decimal("52"),
        at("Beskrivning", 2): "Arbetskostnad natt",
        at("Enhet", 2): "tim",
        at("Pris", 2): Decimal("995"),
        at("Beskrivning", 3): "Jordfelsbrytare 2-pol 30 mA",
        at("Enhet", 3): "st",
        at("Pris", 3): Decimal("645"),
    }
    assert sheet.notes == []


def test_a_customers_discount_goes_into_an_empty_rabatt(tmp_path: Path, lookups: Lookups) -> None:
    path = write_offer(
        tmp_path / "offert.xlsx", "5030", [{"Artikel": "A01", "Antal": 4}, {"Artikel": "A02"}]
    )
    got = filled(plan(path, lookups))
    # 5030: a net price on A01 (no discount on it), 5 % on everything else
    assert (got[at("Pris", 0)], at("Rabatt", 0) in got) == (Decimal("560"), False)
    assert (got[at("Pris", 1)], got[at("Rabatt", 1)]) == (Decimal("745"), Decimal("5"))


def test_filled_in_cells_are_left_alone_and_differences_reported(
    tmp_path: Path, lookups: Lookups
) -> None:
    path = write_offer(
        tmp_path / "offert.xlsx",
        "5010",
        [
            {"Artikel": "A01", "Beskrivning": "Montage", "Antal": 3, "Enhet": "st", "Pris": 500},
            {"Artikel": "A02", "Antal": 1, "Pris": 745, "Rabatt": 0.05},  # 5 % in a 0% cell
        ],
        header={CUSTOMER_NAME_CELL: "Norrbygg AB"},
    )
    sheet = plan(path, lookups)
    assert filled(sheet) == {  # only what was empty
        at("Rabatt", 0): Decimal("10"),
        at("Beskrivning", 1): "Arbetskostnad kväll",
        at("Enhet", 1): "tim",
    }
    assert all(n.severity == "info" for n in sheet.notes)
    assert notes(sheet) == {
        CUSTOMER_NAME_CELL: (
            "Kundnamn 'Norrbygg AB': SoftOne GO's name for this Kundnr is 'Norrbygg Entreprenad AB'"
        ),
        at("Enhet", 0): "Enhet 'st': SoftOne GO has 'tim' for this article",
        at("Pris", 0): "Pris 500.00 is below the customer's price for A01 in SoftOne GO, 595.00",
        at("Rabatt", 1): "Rabatt 5 %: SoftOne GO gives this customer 10 % on this row",
    }
    swedish = notes(sheet, "sv")
    assert swedish[at("Pris", 0)] == (
        "Pris 500,00 är lägre än kundens pris för A01 i SoftOne GO, 595,00"
    )
    for text in swedish.values():
        assert_swedish(text)


def test_an_empty_rabatt_of_a_row_with_a_typed_price_still_gets_the_discount(
    tmp_path: Path, lookups: Lookups
) -> None:
    """SoftOne GO applies the customer's discount to an empty Rabatt: the sheet shows it."""
    path = write_offer(tmp_path / "offert.xlsx", "5010", [{"Artikel": "A01", "Pris": 595}])
    assert filled(plan(path, lookups))[at("Rabatt", 0)] == Decimal("10")


def test_a_rabatt_in_a_general_cell_is_written_in_percent(tmp_path: Path, lookups: Lookups) -> None:
    """Outside the template the Rabatt column may be General: 10 there means 10 %."""
    path = go_offers.write_offer(
        tmp_path / "offert.xlsx", "5010", rows=[("A01", None, -2, None, None, None)]
    )
    run = fill_files([path], lookups, backup_dir=tmp_path / "backups")
    assert run.files[0].written
    assert [go_offers.cell(path, c) for c in ("C9", "E9", "F9", "G9")] == [
        "Arbetskostnad dag",
        "tim",
        595,
        10,
    ]
    [offer] = validate_files([path]).offers
    assert offer.request is not None and offer.request.invoice_rows[1].discount == 10


def test_formulas_are_never_written(tmp_path: Path, lookups: Lookups) -> None:
    path = write_offer(
        tmp_path / "offert.xlsx",
        "5020",
        [{"Artikel": "A09", "Beskrivning": '=""', "Enhet": '=""', "Pris": "=2*400"}],
    )
    got = filled(plan(path, lookups))
    assert not {at("Beskrivning", 0), at("Enhet", 0), at("Pris", 0)} & got.keys()


def test_an_unknown_article_is_reported_at_its_cell_with_the_closest_articles(
    tmp_path: Path, lookups: Lookups
) -> None:
    path = write_offer(
        tmp_path / "offert.xlsx", "013", [{"Artikel": "A99", "Antal": 2}, {"Artikel": "ZZZQQQ"}]
    )
    sheet = plan(path, lookups)
    [typo, nothing] = sheet.notes
    assert (typo.severity, typo.where) == ("error", f"Offert!{at('Artikel', 0)}")
    assert (
        typo.message("sv")
        == "Artikel A99 finns inte i SoftOne GO; menade du A09 Arbetskostnad natt?"
    )
    assert (
        typo.message() == "Artikel A99 is not in SoftOne GO; did you mean A09 Arbetskostnad natt?"
    )
    assert nothing.message("sv") == "Artikel ZZZQQQ finns inte i SoftOne GO"
    assert set(filled(sheet)) == {CUSTOMER_NAME_CELL}  # the rows get nothing


def test_an_inactive_article_and_one_without_a_price_need_a_look(
    tmp_path: Path, lookups: Lookups
) -> None:
    path = write_offer(
        tmp_path / "offert.xlsx", "4416", [{"Artikel": "A13"}, {"Artikel": "A15", "Antal": 1}]
    )
    sheet = plan(path, lookups)
    by_cell = {n.where: n for n in sheet.notes}
    inactive = by_cell[f"Offert!{at('Artikel', 0)}"]
    assert (inactive.severity, inactive.code) == ("error", "fill_article_inactive")
    no_price = by_cell[f"Offert!{at('Pris', 1)}"]
    assert no_price.severity == "warning"
    assert no_price.message("sv") == (
        "SoftOne GO har inget pris för artikel A15 för kunden (Det finns inget pris för "
        "artikel A15 i kundens prislista): fyll i Pris"
    )
    got = filled(sheet)
    assert at("Pris", 1) not in got  # never 0 kr
    assert got[at("Beskrivning", 1)] == "Serviceavtal enligt överenskommelse"


def test_an_unknown_or_missing_customer_fills_names_but_no_prices(
    tmp_path: Path, lookups: Lookups
) -> None:
    unknown = plan(write_offer(tmp_path / "a.xlsx", "99999", [{"Artikel": "A01"}]), lookups)
    assert [(n.severity, n.where) for n in unknown.notes] == [("error", f"Offert!{KUNDNR}")]
    assert set(filled(unknown)) == {at("Beskrivning", 0), at("Enhet", 0)}
    missing = plan(write_offer(tmp_path / "b.xlsx", None, [{"Artikel": "A01"}]), lookups)
    assert [(n.code, n.where) for n in missing.notes] == [("fill_no_customer", f"Offert!{KUNDNR}")]
    assert_swedish(missing.notes[0].message("sv"))


def test_an_uploaded_sheet_is_not_filled(tmp_path: Path, lookups: Lookups) -> None:
    path = write_offer(
        tmp_path / "offert.xlsx", "013", [{"Artikel": "A01"}], header={OFFERTNR: "486"}
    )
    sheet = plan(path, lookups)
    assert sheet.fills == [] and [n.code for n in sheet.notes] == ["fill_already_uploaded"]


def test_a_50_row_offer_asks_once_per_customer_and_distinct_article_and_prices_in_one_call(
    tmp_path: Path, sandbox: SandboxServer, lookups: Lookups
) -> None:
    numbers = [p["Number"] for p in sandbox.state.products_page(1, 200)[20:65]]  # 45 articles
    rows = [{"Artikel": numbers[i % len(numbers)], "Antal": 1 + i % 7} for i in range(50)]
    path = write_offer(tmp_path / "offert.xlsx", "5020", rows)
    before = sandbox.request_count()
    sheet = plan(path, lookups)
    assert sum(1 for f in sheet.fills if f.field == "Pris") == 50
    assert sandbox.lookup_count("customers") == 1
    assert sandbox.lookup_count("product") == len(set(numbers)) == 45
    assert sandbox.lookup_count("price") == 1
    assert sandbox.request_count() - before == 1 + 1 + 45 + 1  # login, customer, articles, prices


# --- the template with articles -----------------------------------------------------------------


def _template_with_articles(tmp_path: Path, user_dirs: Path) -> Path:
    path = tmp_path / "mall.xlsx"
    result = CliRunner().invoke(
        cli, ["--lang", "sv", "template", "--articles", "--sandbox", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Mallen är sparad i {path}, med ")
    return path


def test_the_template_with_articles_lists_the_active_register(
    tmp_path: Path, user_dirs: Path
) -> None:
    path = _template_with_articles(tmp_path, user_dirs)
    state = SandboxState.open(sandbox_state_path())
    active = [p for p in state.products_page(1, 10_000) if p["State"] == 0]
    wb = openpyxl.load_workbook(path)
    rows = list(wb[ARTICLES_SHEET].iter_rows(values_only=True))
    assert rows[0] == ("Nummer", "Namn", "Enhet", "Listpris")
    assert rows[1:] == [
        (p["Number"], p["Name"], p["Unit"], p["SalesPrice"]) for p in active
    ]  # A13, inactive, is not offered
    assert "A13" not in {r[0] for r in rows} and len(rows) - 1 == len(active) > 500
    [choose] = [
        v
        for v in wb[OFFER_SHEET].data_validations.dataValidation
        if v.formula1.startswith("Artiklar")
    ]
    assert choose.formula1 == f"Artiklar!$A$2:$A${len(active) + 1}"
    assert (
        str(choose.sqref) == f"{COLUMN['Artikel']}{FIRST_ROW}:{COLUMN['Artikel']}{FIRST_ROW + 49}"
    )
    # the Artiklar sheet is no offer: validate reads only the Offert sheet
    report = validate_files([path])
    assert [o.sheet for o in report.offers] == [OFFER_SHEET]


@pytest.mark.libreoffice
@pytest.mark.slow
def test_typed_article_numbers_show_their_names_and_list_prices_in_libreoffice(
    tmp_path: Path, user_dirs: Path
) -> None:
    path = _template_with_articles(tmp_path, user_dirs)
    wb = openpyxl.load_workbook(path)
    ws = wb[OFFER_SHEET]
    for index, (article, text) in enumerate(
        [("A09", None), ("e2101", None), ("V3001", "Blandare (kundens val)"), ("A99", None)]
    ):
        ws[at("Artikel", index)] = article
        ws[at("Beskrivning", index)] = text
    wb.save(path)
    opened = libreoffice_convert([path], tmp_path / "lo")[0]
    shown = openpyxl.load_workbook(opened, data_only=True)
    sheet = shown[OFFER_SHEET]
    name, price = LOOKUP_COLUMNS.values()
    got = [
        (sheet[f"{name}{FIRST_ROW + i}"].value, sheet[f"{price}{FIRST_ROW + i}"].value)
        for i in range(5)
    ]
    assert got == [
        ("Arbetskostnad natt", 1095),
        ("Vägguttag 1-vägs infällt vit", 59),
        (None, 2450),  # Beskrivning is filled in: no name shown
        (UNKNOWN_ARTICLE_TEXT, UNKNOWN_ARTICLE_TEXT),
        (None, None),  # no Artikel
    ]
    [choose] = [
        v
        for v in shown[OFFER_SHEET].data_validations.dataValidation
        if "Artiklar" in (v.formula1 or "")
    ]
    last = shown[ARTICLES_SHEET].max_row
    assert choose.type == "list" and choose.formula1.endswith(f"$A$2:$A${last}")
    assert last > 500 and shown[ARTICLES_SHEET][f"A{last}"].value
    # the printed page (as the screenshot shows it): each typed number's row carries
    # its name and list price beside the grid
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = libreoffice_convert([path], tmp_path / "pdf", fmt="pdf")[0]
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    lines = {line.split()[0]: " ".join(line.split()) for line in text.splitlines() if line.strip()}
    assert lines["A09"] == "A09 Arbetskostnad natt 1,095.00"
    assert lines["e2101"] == "e2101 Vägguttag 1-vägs infällt vit 59.00"
    assert lines["V3001"] == "V3001 Blandare (kundens val) 2,450.00"  # a typed name: none shown
    assert lines["A99"] == f"A99 {UNKNOWN_ARTICLE_TEXT} {UNKNOWN_ARTICLE_TEXT}"


# --- filling the workbook ---------------------------------------------------------------------

FIVE_ROWS: tuple[Row, ...] = (
    {"Artikel": "A01", "Antal": 3},
    {"Artikel": "E2101", "Antal": 10},
    {"Beskrivning": "Material enligt ritning"},
    {"Artikel": "V3001", "Antal": 1, "Beskrivning": "Blandare (kundens val)"},
    {"Artikel": "A09", "Antal": 2, "Pris": 1000},
)


def fill(paths: Sequence[Path], lookups: Lookups, tmp_path: Path) -> FillRun:
    return fill_files(paths, lookups, backup_dir=tmp_path / "backups")


def values(path: Path, *coordinates: str) -> list[Any]:
    ws = openpyxl.load_workbook(path)[OFFER_SHEET]
    return [ws[c].value for c in coordinates]


def test_a_filled_sheet_has_the_customers_prices_and_passes_validate(
    tmp_path: Path, lookups: Lookups
) -> None:
    path = write_offer(tmp_path / "offert.xlsx", "5010", FIVE_ROWS)
    before = parts(path)
    run = fill([path], lookups, tmp_path)
    [file] = run.files
    assert file.written and file.outcome_code == "fill_written" and file.ok
    ws = openpyxl.load_workbook(path)[OFFER_SHEET]
    assert ws[CUSTOMER_NAME_CELL].value == "Norrbygg Entreprenad AB"
    first = [ws[at(c, 0)].value for c in ("Beskrivning", "Enhet", "Pris", "Rabatt")]
    assert first == ["Arbetskostnad dag", "tim", 595, 0.1]  # 10 % in the 0% cell
    assert (ws[at("Pris", 0)].number_format, ws[at("Rabatt", 0)].number_format) == (
        AMOUNT_FORMAT,
        PERCENT_FORMAT,
    )  # the cells keep their formats
    assert [ws[at(c, 1)].value for c in ("Pris", "Rabatt")] == [59, 0.1]
    assert ws[at("Beskrivning", 3)].value == "Blandare (kundens val)"  # typed: kept
    assert ws[at("Pris", 4)].value == 1000  # typed: kept, and reported
    assert ws[at("Summa", 0)].value.startswith("=IF(")  # formulas untouched
    [look] = [n for s in file.sheets for n in s.notes]
    assert (look.code, look.where) == ("fill_price_below", f"Offert!{at('Pris', 4)}")
    # only the offer sheet's part changed
    after = parts(path)
    assert after.keys() == before.keys()
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"xl/worksheets/sheet1.xml"}
    report = validate_files([path])
    assert report.ok, [p.message() for p in report.problems]
    [offer] = report.offers
    assert offer.request is not None
    product_rows = [r for r in offer.request.invoice_rows if r.product_nr]
    assert [(r.product_nr, r.amount, r.discount) for r in product_rows] == [
        ("A01", 595, 10),
        ("E2101", 59, 10),
        ("V3001", 2450, 10),
        ("A09", 1000, 10),
    ]


def test_a_second_fill_changes_nothing(tmp_path: Path, lookups: Lookups) -> None:
    path = write_offer(tmp_path / "offert.xlsx", "5020", FIVE_ROWS)
    fill([path], lookups, tmp_path)
    written = path.read_bytes()
    backups = sorted((tmp_path / "backups").iterdir())
    again = fill([path], lookups, tmp_path)
    assert [f.outcome_code for f in again.files] == ["fill_unchanged"]
    assert path.read_bytes() == written and sorted((tmp_path / "backups").iterdir()) == backups
    assert again.files[0].outcome("sv") == "Inget nytt att fylla i: arbetsboken ändrades inte."


def _refuse_writes(path: Path, how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file open in Excel: read-only, or locked (Windows refuses to replace it)."""
    import converter.fileio

    def sharing_violation(src: object, dst: object) -> None:
        raise PermissionError(errno.EACCES, "The process cannot access the file", str(dst))

    if how == "read-only":
        path.chmod(0o444)
        if not os.access(path, os.W_OK):
            return
    # root may write anyway, and Linux has no mandatory locks: refuse as Windows does
    monkeypatch.setattr(converter.fileio.os, "replace", sharing_violation)


@pytest.mark.parametrize("how", ["read-only", "locked"])
def test_a_file_open_in_excel_loses_nothing_and_says_so(
    tmp_path: Path, lookups: Lookups, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    path = write_offer(tmp_path / "offert.xlsx", "5020", FIVE_ROWS)
    original = path.read_bytes()
    with monkeypatch.context() as patch:
        _refuse_writes(path, how, patch)
        run = fill([path], lookups, tmp_path)
    [file] = run.files
    assert (file.written, file.outcome_code, file.ok, file.cells_filled) == (
        False,
        "fill_not_written",
        False,
        0,
    )
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == [path.name]  # no temp file
    swedish = file.outcome("sv")
    assert swedish is not None and "Stäng filen i Excel och släpp den här igen" in swedish
    assert_swedish(swedish)
    path.chmod(0o644)
    closed = fill([path], lookups, tmp_path)  # after closing it in Excel
    assert closed.files[0].written and closed.files[0].cells_filled > 0


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_opens_the_filled_workbook_and_the_sums_follow(
    tmp_path: Path, lookups: Lookups
) -> None:
    path = write_offer(tmp_path / "offert.xlsx", "5010", FIVE_ROWS)
    fill([path], lookups, tmp_path)
    opened = libreoffice_convert([path], tmp_path / "lo")[0]
    ws = openpyxl.load_workbook(opened, data_only=True)[OFFER_SHEET]
    assert ws[at("Summa", 0)].value == pytest.approx(3 * 595 * 0.9)
    assert ws[at("Summa", 1)].value == pytest.approx(10 * 59 * 0.9)
    assert ws[CUSTOMER_NAME_CELL].value == "Norrbygg Entreprenad AB"


def test_fill_on_the_command_line_in_both_languages(tmp_path: Path, user_dirs: Path) -> None:
    path = write_offer(tmp_path / "offert.xlsx", "5020", [*FIVE_ROWS, {"Artikel": "A99"}])
    result = CliRunner().invoke(cli, ["--lang", "sv", "fill", "--sandbox", str(path)])
    assert result.exit_code == 1, result.output  # A99 needs a look
    lines = result.output.splitlines()
    assert lines[0] == "Hämtar från övningsservern (sandlådan), inte från SoftOne GO …"
    assert "offert.xlsx" in lines
    assert "  ✓ Offert: fyllde i Kundnamn, 3 Beskrivning, 4 Enhet, 3 Pris" in lines
    assert (
        f"  ✗ Offert!{at('Artikel', 5)}: Artikel A99 finns inte i SoftOne GO; "
        "menade du A09 Arbetskostnad natt?"
    ) in lines
    assert any(line.startswith("  Ifyllt i arbetsboken (säkerhetskopia: ") for line in lines)
    assert lines[-2] == "11 celler ifyllda i 1 fil(er); 1 att titta på"
    assert lines[-1].startswith("Nästa steg: rätta det som är markerat med ✗")
    for line in lines:
        assert_swedish(re.sub(r"\(säkerhetskopia: [^)]*\)", "", line))  # a path is no English
    again = CliRunner().invoke(cli, ["fill", "--sandbox", "--json", str(path)])
    data = json.loads(again.output)
    assert data["files"][0]["outcome"] == "Nothing new to fill: the workbook was not changed."
    assert data["files"][0]["sheets"][0]["filled"] == []


def test_the_fill_icons_window(tmp_path: Path, user_dirs: Path) -> None:
    path = write_offer(tmp_path / "offert.xlsx", "5010", FIVE_ROWS)
    result = CliRunner().invoke(cli, ["--lang", "sv", "drop", "--fill", "--sandbox", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "Hämtar namn, enheter och priser från övningsservern (sandlådan), inte SoftOne GO …"
    )
    assert "  ✓ Offert: fyllde i Kundnamn, 3 Beskrivning, 4 Enhet, 3 Pris, 4 Rabatt" in lines
    assert lines[-2].startswith("Loggfil: ")
    assert lines[-1] == (
        "Nästa steg: kontrollera priserna, spara och stäng filen och släpp den sedan på "
        '"Ladda upp offerter".'
    )
    for line in lines:
        assert_swedish(re.sub(r"(säkerhetskopia|Loggfil): .*", "", line))  # paths are no English


@pytest.mark.libreoffice
@pytest.mark.slow
def test_fill_keeps_every_other_part_of_a_workbook_saved_by_libreoffice(
    tmp_path: Path, lookups: Lookups
) -> None:
    """A workbook as a spreadsheet program saves it (theme, settings, styles, the Artiklar
    sheet): fill changes the offer sheet's filled cells, drops the saved results of the
    formulas that depend on them (and of nothing else), asks for a recalculation on opening,
    and changes nothing else, byte for byte."""
    made = write_offer(tmp_path / "made.xlsx", "5010", FIVE_ROWS)
    path = resave_with_libreoffice(made, tmp_path / "lo")
    original = tmp_path / "original.xlsx"
    shutil.copy(path, original)
    before = read_cells(path, OFFER_SHEET)
    run = fill([path], lookups, tmp_path)
    [file] = run.files
    assert file.written
    [sheet_part] = changed_parts(original, path) - {"xl/workbook.xml"}
    assert changed_parts(original, path) == {sheet_part, "xl/workbook.xml"}
    assert sheet_part.startswith("xl/worksheets/")
    assert entries(original) == entries(path)
    old_book, new_book = parts(original)["xl/workbook.xml"], parts(path)["xl/workbook.xml"]
    assert b'fullCalcOnLoad="1"' in new_book and b"fullCalcOnLoad" not in old_book
    assert new_book.replace(b' fullCalcOnLoad="1"', b"") == old_book
    old_xml, new_xml = parts(original)[sheet_part], parts(path)[sheet_part]
    assert outside_sheet_data(old_xml) == outside_sheet_data(new_xml)
    written = {f.ref.coordinate for s in file.sheets for f in s.fills}
    after = read_cells(path, OFFER_SHEET)
    # the formulas on the filled rows and the totals lost their saved results, nothing more
    filled_rows = {int(re.sub(r"[A-Z]+", "", c)) for c in written} - {HEADER_ROWS["Kundnr"]}
    stale = {f"{COLUMN['Summa']}{r}" for r in filled_rows} | {
        f"{COLUMN['Summa']}{TOTALS_ROW + i}" for i in range(3)
    }
    assert stale <= after.keys()
    for cell in stale:
        value, formula, number_format, error = before[cell]
        assert formula is not None and after[cell] == (None, formula, number_format, False), cell
    kept = written | stale
    assert {k: v for k, v in after.items() if k not in kept} == {
        k: v for k, v in before.items() if k not in kept
    }
    assert {after[c][0] for c in written} and all(before.get(c) is None for c in written)
    old_cells, new_cells = raw_cells(old_xml), raw_cells(new_xml)
    assert {k: v for k, v in new_cells.items() if k not in kept} == {
        k: v for k, v in old_cells.items() if k not in kept
    }
    for cell in stale:  # the same cell without its <v> (and the type of the old result)
        old = re.sub(rb' t="\w+"', b"", re.sub(rb"<v>[^<]*</v>", b"", old_cells[cell]))
        assert new_cells[cell] == old, cell
    # not yet saved: the filled rows' Summa is not checked (a warning), nothing is an error
    report = validate_files([path])
    assert report.ok and not [p for p in report.problems if p.severity == "error"]
    unchecked = {p.where for p in report.problems if p.code == "summa_no_value"}
    assert unchecked == {f"Offert!{COLUMN['Summa']}{r}" for r in filled_rows}


@pytest.mark.libreoffice
@pytest.mark.slow
def test_the_totals_of_a_workbook_saved_by_libreoffice_follow_the_filled_prices(
    tmp_path: Path, lookups: Lookups
) -> None:
    made = write_offer(tmp_path / "made.xlsx", "5010", FIVE_ROWS[:1])
    path = resave_with_libreoffice(made, tmp_path / "lo")
    fill([path], lookups, tmp_path)
    opened = libreoffice_convert([path], tmp_path / "again")[0]
    ws = openpyxl.load_workbook(opened, data_only=True)[OFFER_SHEET]
    assert ws[at("Summa", 0)].value == pytest.approx(3 * 595 * 0.9)
    assert ws[f"{COLUMN['Summa']}{TOTALS_ROW}"].value == pytest.approx(3 * 595 * 0.9)
    # saved by LibreOffice: every result is stored again, and validate is clean
    report = validate_files([opened])
    assert report.ok and [p.code for p in report.problems if p.severity != "info"] == []
    [offer] = report.offers
    assert offer.request is not None
    assert [(r.product_nr, r.amount) for r in offer.request.invoice_rows if r.product_nr] == [
        ("A01", 595)
    ]


def test_the_format_an_empty_cell_would_show(tmp_path: Path) -> None:
    """A value written into an empty cell shows in its own style, else its row's or column's."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Blad"
    ws["A1"].number_format = "0%"  # styled, never typed in
    ws.column_dimensions["C"].number_format = "0.0%"  # a whole column formatted
    ws.row_dimensions[5].number_format = "#,##0.00"  # a whole row formatted
    ws["D1"] = "text"
    path = tmp_path / "formats.xlsx"
    wb.save(path)
    wanted = frozenset({(1, 1), (3, 3), (5, 2), (2, 2)})
    formats = blank_cell_formats(path, {"Blad": wanted})["Blad"]
    assert formats == {(1, 1): "0%", (3, 3): "0.0%", (5, 2): "#,##0.00", (2, 2): "General"}


@pytest.mark.libreoffice
@pytest.mark.slow
def test_a_filled_workbook_uploads_before_and_after_a_save_and_is_sent_once(
    tmp_path: Path, lookups: Lookups, sandbox: SandboxServer
) -> None:
    """Filled, not yet saved (Summa without results): the upload sends the filled prices and
    writes the number back; saved by LibreOffice after that, it is unchanged: not sent again."""
    from test_writeback_corpus import upload

    made = write_offer(tmp_path / "made.xlsx", "5010", FIVE_ROWS[:2])
    path = resave_with_libreoffice(made, tmp_path / "lo")
    fill([path], lookups, tmp_path)
    offers = len(sandbox.offers())
    first = upload([path], sandbox, tmp_path / "journal.sqlite")
    assert [r.status for r in first.results] == ["created"], first.results[0].message()
    [sent] = sandbox.offers()[offers:]
    rows = [r for r in sent["InvoiceRows"] if r.get("ProductNr")]
    assert [(r["ProductNr"], r["Amount"]) for r in rows] == [("A01", 595), ("E2101", 59)]
    assert read_cells(path, OFFER_SHEET)[OFFERTNR][0] == first.results[0].offer_nr
    saved = libreoffice_convert([path], tmp_path / "saved")[0]
    ws = openpyxl.load_workbook(saved, data_only=True)[OFFER_SHEET]
    assert ws[f"{COLUMN['Summa']}{TOTALS_ROW}"].value == pytest.approx((3 * 595 + 10 * 59) * 0.9)
    again = upload([saved], sandbox, tmp_path / "journal.sqlite")
    assert [r.status for r in again.results] == ["skipped"]
    assert len(sandbox.offers()) == offers + 1
