"""Legacy layouts and the profile sections that describe them.

Every file under ``example_sheets/legacy/*/files`` has a ``NAME.expected.json``
written by hand (see ``example_sheets/legacy/make_legacy.py``): the offers
``migrate`` must find there and every problem it must report. The other tests
build small workbooks for one rule each.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import WorkbookFactory, offer_sheet

from converter.errors import ProfileError
from converter.map.legacy import LegacyFile, load_articles, map_legacy
from converter.model.profile import Profile, load_profile
from converter.read.legacy import MIGRATABLE_SUFFIXES, read_any
from converter.read.xlsx import read_workbook

REPO = Path(__file__).resolve().parents[1]
LEGACY = REPO / "example_sheets" / "legacy"
LAYOUTS = sorted(p.parent for p in LEGACY.glob("*/profile.toml"))
FILES = sorted(
    p
    for layout in LAYOUTS
    for p in (layout / "files").rglob("*")
    if p.suffix.lower() in MIGRATABLE_SUFFIXES
)


def _layout_of(path: Path) -> Path:
    return next(layout for layout in LAYOUTS if layout in path.parents)


def _outcome(legacy: LegacyFile, profile: Profile) -> dict[str, Any]:
    """What ``map_legacy`` found, in the form of the expected JSON."""
    offers = [
        {
            "sheet": o.sheet,
            "row": o.row,
            "key": o.key,
            "external_id": profile.migration.external_id.format(
                key=o.key, customer=o.offer.customer_nr
            ),
            "body": o.offer.request.body() if o.offer.request is not None else None,
        }
        for o in legacy.offers
    ]
    problems = legacy.problems + [p for o in legacy.offers for p in o.offer.problems]
    return {"offers": offers, "problems": sorted([p.severity, p.where, p.code] for p in problems)}


def test_the_examples_are_there() -> None:
    assert {p.name for p in LAYOUTS} == {"gammal_mall", "offertlista", "blankett"}
    assert {p.suffix for p in FILES} == {".xls", ".ods", ".csv", ".xlsx"}
    kinds = {load_profile(layout / "profile.toml").layout.kind for layout in LAYOUTS}
    assert kinds == {"sheet", "list", "fixed"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parents[1].name}/{p.name}")
def test_example_maps_to_expected_offers(path: Path) -> None:
    profile = load_profile(_layout_of(path) / "profile.toml")
    legacy = map_legacy(read_any(path), profile, load_articles(profile))
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
    assert _outcome(legacy, profile) == expected
    assert all(o.offer.ok for o in legacy.offers)
    # nothing is written back to a legacy file, so no offer points at an Offertnr cell
    assert all(
        o.offer.offer_nr_cell is None and o.offer.offer_nr_shown is None for o in legacy.offers
    )


# --- profiles ------------------------------------------------------------------------------


def test_default_profile_is_still_a_one_offer_per_sheet_profile(profile: Profile) -> None:
    assert profile.layout.kind == "sheet"
    assert profile.skip == [] and not profile.articles.active
    assert profile.migration.external_id == "legacy:{key}"


def _write_profile(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "legacy.toml"
    path.write_text(text, encoding="utf-8")
    return path


LABELS = """
name = "t"
[header]
OfferNr = ["Offertnr"]
CustomerNr = ["Kundnr"]
InvoiceDate = ["Datum"]
[columns]
Artikel = ["Artikel"]
Beskrivning = ["Benämning"]
Antal = ["Antal"]
Pris = ["Pris"]
Rabatt = ["Rabatt"]
"""


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        (LABELS + '[layout]\nkind = "table"\n', "layout.kind"),
        (LABELS + '[layout]\nkind = "list"\nsheet = "x"\n', "layout.sheet"),
        (
            'name = "t"\n[layout]\nkind = "fixed"\n[layout.cells]\nCustomerNr = "B3"\n',
            "InvoiceDate",
        ),
        (
            'name = "t"\n[layout]\nkind = "fixed"\n[layout.cells]\nCustomerNr = "B3"\n'
            'InvoiceDate = "F3"\n',
            "[layout.rows]",
        ),
        (
            'name = "t"\n[layout]\nkind = "fixed"\n[layout.cells]\nCustomerNr = "3B"\n'
            'InvoiceDate = "F3"\n[layout.rows]\nfirst = 7\ncolumns = { Artikel = "A" }\n',
            "layout.cells.CustomerNr",
        ),
        (
            'name = "t"\n[layout]\nkind = "fixed"\n[layout.cells]\nCustomerNr = "B3"\n'
            'InvoiceDate = "F3"\n[layout.rows]\nfirst = 7\ncolumns = { Antal = "A" }\n',
            "Artikel or Beskrivning",
        ),
        (LABELS + '[layout]\ncells = { CustomerNr = "B3" }\n', 'only for kind = "fixed"'),
        (LABELS.replace('OfferNr = ["Offertnr"]\n', "") + '[layout]\nkind = "list"\n', "OfferNr"),
        ('name = "t"\n', "[header] and [columns] must list the labels"),
        (LABELS + '[[skip]]\ncolumn = "Status"\n', "either equals or matches"),
        (LABELS + '[[skip]]\ncolumn = "S"\nequals = ["x"]\nmatches = "y"\n', "either equals"),
        (LABELS + '[[skip]]\ncolumn = "S"\nmatches = "(("\n', "not a valid regular expression"),
        (LABELS + '[migration]\nexternal_id = "legacy"\n', "must contain {key}"),
        (LABELS + '[migration]\nexternal_id = "x:{key}:{salesman}"\n', "only use {key}"),
        (LABELS + '[defaults.header]\nCustomerNr = "013"\n', "defaults.header.CustomerNr"),
        (LABELS + "[defaults.rows]\nMoms = 250\n", "defaults.rows.Moms"),
        (LABELS + '[articles]\nunknown = "guess"\n', "articles.unknown"),
    ],
)
def test_a_profile_mistake_fails_loudly(tmp_path: Path, text: str, complaint: str) -> None:
    path = _write_profile(tmp_path, text)
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert str(path) in str(info.value)
    assert complaint in str(info.value)


def test_an_article_table_is_found_beside_its_profile(tmp_path: Path) -> None:
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "a.csv").write_text("Old;New\n1;A11\n", encoding="utf-8")
    profile = load_profile(_write_profile(tmp_path, LABELS + '[articles]\nfile = "tables/a.csv"\n'))
    assert profile.articles.file == tmp_path / "tables" / "a.csv"
    articles = load_articles(profile)
    assert articles is not None and articles.numbers == {"1": "A11"}


@pytest.mark.parametrize(
    ("table", "complaint"),
    [
        ("Old;New\n1;A11\n1;A12\n", "1 is mapped to both A11 and A12"),
        ("Old\n1\n", "needs two columns"),
        ("Gammalt;Nytt\n1;A11\n", "no column 'Old'"),
    ],
)
def test_an_unusable_article_table_stops_before_anything_is_sent(
    tmp_path: Path, table: str, complaint: str
) -> None:
    (tmp_path / "a.csv").write_text(table, encoding="utf-8")
    old = 'old = "Old"\n' if "Gammalt" in table else ""
    profile = load_profile(_write_profile(tmp_path, LABELS + f'[articles]\nfile = "a.csv"\n{old}'))
    with pytest.raises(ProfileError, match=complaint):
        load_articles(profile)


def test_a_missing_article_table_is_a_profile_error(tmp_path: Path) -> None:
    profile = load_profile(_write_profile(tmp_path, LABELS + '[articles]\nfile = "gone.csv"\n'))
    with pytest.raises(ProfileError, match="gone.csv"):
        load_articles(profile)


# --- the list layout -----------------------------------------------------------------------

LIST_PROFILE = LABELS + '[layout]\nkind = "list"\n'
HEAD = ("Offertnr", "Kundnr", "Datum", "Artikel", "Benämning", "Antal", "Pris")


def _list(
    make_workbook: WorkbookFactory, rows: list[tuple[Any, ...]], head: tuple[str, ...] = HEAD
) -> Path:
    cells: dict[str, Any] = {}
    for r, row in enumerate([head, *rows], start=1):
        for c, value in enumerate(row):
            if value is not None:
                cells[f"{'ABCDEFGHIJ'[c]}{r}"] = value
    return make_workbook({"Lista": cells}, name="lista.xlsx")


def _map(path: Path, tmp_path: Path, text: str = LIST_PROFILE) -> LegacyFile:
    profile = load_profile(_write_profile(tmp_path, text))
    return map_legacy(read_any(path), profile, load_articles(profile))


def _codes(legacy: LegacyFile) -> set[tuple[str, str, str]]:
    problems = legacy.problems + [p for o in legacy.offers for p in o.offer.problems]
    return {(p.severity, p.where, p.code) for p in problems}


D = datetime(2019, 1, 2)


def test_list_rows_group_by_offer_number_continue_and_join(
    make_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    path = _list(
        make_workbook,
        [
            (7, "4416", D, "A11", "Arbete", 2, 580),
            (None, None, None, "A12", "Material", 1, 100),  # continues offer 7
            (8, "4824", D, "A14", "Resor", 1, 250),
            (7, "4416", D, None, "Sent tillägg", None, None),  # joins offer 7 again
        ],
    )
    legacy = _map(path, tmp_path)
    assert [(o.key, o.row, o.offer.sheet) for o in legacy.offers] == [
        ("7", 2, "Lista [7]"),  # the journal slot: one sheet holds many offers
        ("8", 4, "Lista [8]"),
    ]
    first = legacy.offers[0].offer.request
    assert first is not None
    rows = first.body()["InvoiceRows"]
    assert [(r["RowNr"], r.get("ProductNr"), r.get("Text")) for r in rows] == [
        (1, "A11", "Arbete"),
        (2, "A12", "Material"),
        (3, None, "Sent tillägg"),
    ]
    assert first.customer_nr == "4416"


def test_a_header_field_that_differs_within_an_offer_is_an_error(
    make_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    path = _list(
        make_workbook,
        [(7, "4416", D, "A11", "Arbete", 2, 580), (7, "4824", D, "A12", "Material", 1, 100)],
    )
    legacy = _map(path, tmp_path)
    assert ("error", "Lista!B3", "list_conflict") in _codes(legacy)
    assert not legacy.offers[0].offer.ok
    message = next(p for p in legacy.offers[0].offer.problems if p.code == "list_conflict")
    assert (
        message.message()
        == "Kundnr '4824' differs from '4416' in B2, in the same offer. Make them the same"
    )


def test_a_row_before_the_first_offer_number_is_an_error(
    make_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    path = _list(
        make_workbook,
        [(None, "4416", D, "A11", "Arbete", 2, 580), (7, "4416", D, "A11", "Arbete", 2, 580)],
    )
    legacy = _map(path, tmp_path)
    assert ("error", "Lista!A2", "list_no_key") in _codes(legacy)
    assert [o.key for o in legacy.offers] == ["7"]


def test_missing_values_in_a_list_point_at_their_cells(
    make_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    path = _list(make_workbook, [(7, None, D, "A11", "Arbete", "fem", 580)])
    legacy = _map(path, tmp_path)
    assert _codes(legacy) == {
        ("error", "Lista!B2", "missing_value"),
        ("error", "Lista!F2", "not_a_number"),
    }


def test_a_list_without_a_header_row_finds_no_offers(
    make_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    path = _list(make_workbook, [(7, "4416", D, "A11", "Arbete", 2, 580)], head=("Nr",) * 7)
    legacy = _map(path, tmp_path)
    assert _codes(legacy) == {
        ("info", "Lista", "list_no_header"),
        ("error", "", "legacy_no_offers"),
    }


def test_the_key_is_the_number_as_the_cell_shows_it(
    make_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    path = _list(make_workbook, [((42, "00000"), "4416", D, "A11", "Arbete", 1, 5)])
    assert [o.key for o in _map(path, tmp_path).offers] == ["00042"]


# --- skip rules, article numbers, defaults --------------------------------------------------


def test_skip_rules_leave_rows_and_whole_offers_out(
    make_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    head = (*HEAD, "Status")
    path = _list(
        make_workbook,
        [
            (7, "4416", D, "A11", "Arbete", 2, 580, "Aktiv"),
            (7, "4416", D, "FRAKT", "Frakt", 1, 100, "Aktiv"),
            (8, "4824", D, "A14", "Resor", 1, 250, "Makulerad"),
        ],
        head=head,
    )
    text = (
        LIST_PROFILE
        + '[[skip]]\ncolumn = "status"\nequals = [" makulerad "]\n'
        + '[[skip]]\ncolumn = "Artikel"\nmatches = "^FRAKT"\n'
        + '[[skip]]\ncolumn = "Not a column here"\nequals = ["x"]\n'
    )
    legacy = _map(path, tmp_path, text)
    assert [o.key for o in legacy.offers] == ["7"]
    assert legacy.offers[0].offer.row_count == 1
    assert _codes(legacy) == {
        ("info", "Lista!D3", "row_skipped"),
        ("info", "Lista!H4", "row_skipped"),
        ("info", "Lista!A4", "list_offer_skipped"),
    }


def test_article_numbers_are_translated_as_the_cell_shows_them(
    make_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    (tmp_path / "a.csv").write_text("Gammalt;Nytt\n0042;A11\n1001;A12\n", encoding="cp1252")
    path = _list(
        make_workbook,
        [
            (7, "4416", D, (42, "0000"), "Arbete", 2, 580),  # shows 0042
            (7, "4416", D, 1001, "Material", 1, 100),
            (7, "4416", D, "X9", "Okänd", 1, 100),
        ],
    )
    text = LIST_PROFILE + '[articles]\nfile = "a.csv"\nnumbers = { "X9" = "A14" }\n'
    legacy = _map(path, tmp_path, text)
    offer = legacy.offers[0].offer.request
    assert offer is not None
    assert [r.product_nr for r in offer.invoice_rows] == ["A11", "A12", "A14"]


def test_an_unknown_article_can_be_an_error(make_workbook: WorkbookFactory, tmp_path: Path) -> None:
    path = _list(
        make_workbook,
        [(7, "4416", D, "1-100", "Arbete", 2, 580), (7, "4416", D, "OKÄND", "x", 1, 1)],
    )
    text = LIST_PROFILE + '[articles]\nnumbers = { "1-100" = "A11" }\nunknown = "error"\n'
    legacy = _map(path, tmp_path, text)
    assert _codes(legacy) == {("error", "Lista!D3", "article_unknown")}
    assert not legacy.offers[0].offer.ok
    problem = legacy.offers[0].offer.problems[0]
    assert problem.message() == (
        "Artikel 'OKÄND' is not in the article table (the profile). Add it to the table, "
        "or fix the Artikel"
    )


def test_a_totals_row_in_the_article_column_is_not_an_unknown_article(
    make_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    sheet = offer_sheet(grid=[(1, "1-100", "Arbete", 2, "tim", 580)], grid_row=5)
    sheet["B8"] = "Summa"
    sheet["F8"] = 1160
    path = make_workbook({"Offert": sheet})
    text = (
        'name = "t"\n[header]\nCustomerNr = ["Kundnr"]\nInvoiceDate = ["Offertdatum"]\n'
        '[columns]\nRad = ["Rad"]\nArtikel = ["Artikel"]\nBeskrivning = ["Beskrivning"]\n'
        'Antal = ["Antal"]\nEnhet = ["Enhet"]\nPris = ["Pris"]\n'
        '[rules]\ntotals_labels = ["Summa"]\n'
        '[articles]\nnumbers = { "1-100" = "A11" }\nunknown = "error"\n'
    )
    legacy = _map(path, tmp_path, text)
    assert _codes(legacy) == set()
    offer = legacy.offers[0].offer.request
    assert offer is not None and [r.product_nr for r in offer.invoice_rows] == ["A11"]
    assert legacy.offers[0].key is None  # no Offertnr label in this profile: no legacy key


def test_defaults_fill_in_only_what_the_file_leaves_empty(
    make_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    head = (*HEAD, "Valuta", "Enhet", "Moms")
    path = _list(
        make_workbook,
        [
            (7, "4416", D, "A11", "Arbete", 2, 580, "EUR", "tim", 12),
            (7, "4416", D, "A12", "Material", 1, 100, None, None, None),
            (7, "4416", D, None, "En textrad", None, None, None, None, None),
        ],
        head=head,
    )
    text = (
        LABELS.replace("[columns]", 'Currency = ["Valuta"]\n[columns]')
        + 'Enhet = ["Enhet"]\nMoms = ["Moms"]\n[layout]\nkind = "list"\n'
        + '[defaults.header]\nCurrency = "SEK"\nNote = "Migrerad"\n'
        + '[defaults.rows]\nEnhet = "st"\nMoms = 25\n'
    )
    offer = _map(path, tmp_path, text).offers[0].offer.request
    assert offer is not None
    body = offer.body()
    assert (body["Currency"], body["Note"]) == ("EUR", "Migrerad")
    assert [(r.get("Unit"), r.get("VatRate")) for r in body["InvoiceRows"]] == [
        ("tim", 12),
        ("st", 25),
        (None, None),  # a text row has no unit or VAT
    ]


# --- the fixed and sheet layouts -------------------------------------------------------------

FIXED = """
name = "form"
[layout]
kind = "fixed"
[layout.cells]
OfferNr = "F1"
CustomerNr = "b3"
InvoiceDate = "F3"
[layout.rows]
first = 6
last = 9
columns = { Artikel = "a", Beskrivning = "B", Antal = "D", Pris = "E" }
[[skip]]
column = "C"
equals = ["x"]
"""


def test_a_fixed_layout_reads_the_named_cells_and_rows(
    make_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    cells: dict[str, Any] = {
        "F1": 5001,
        "B3": "4416",
        "F3": D,
        "A6": "A11",
        "B6": "Arbete",
        "D6": 2,
        "E6": 580,
        "A7": "A12",
        "C7": "x",  # skipped by the rule on column C
        "D7": 1,
        "E7": 1,
        "B8": "Text",
        "A10": "A14",  # below the last row: not read
        "D10": 1,
        "E10": 1,
    }
    path = make_workbook({"Blankett": cells, "Tom": {}})
    legacy = _map(path, tmp_path, FIXED)
    assert [o.key for o in legacy.offers] == ["5001"]
    offer = legacy.offers[0].offer.request
    assert offer is not None
    assert [(r.row_nr, r.product_nr) for r in offer.invoice_rows] == [(1, "A11"), (2, None)]
    assert _codes(legacy) == {
        ("info", "Blankett!C7", "row_skipped"),
        ("info", "Tom", "sheet_no_grid"),
    }


def test_a_fixed_layout_says_which_named_cell_is_empty(
    make_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    path = make_workbook({"Blankett": {"F3": D, "A6": "A11", "D6": 1, "E6": 1}})
    legacy = _map(path, tmp_path, FIXED)
    assert _codes(legacy) == {("error", "Blankett!B3", "missing_value")}


def test_only_the_sheets_the_profile_names_are_read(
    make_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    sheet = offer_sheet(grid=[(1, "A11", "Arbete", 2, "tim", 580)])
    path = make_workbook({"Offert": sheet, "Kopia": sheet})
    text = load_profile().model_dump_json()  # the standard labels, plus a sheet list
    data = json.loads(text)
    profile = Profile.model_validate({**data, "layout": {"sheets": ["Kopia"]}})
    legacy = map_legacy(read_workbook(path), profile)
    assert [o.sheet for o in legacy.offers] == ["Kopia"]
