"""Build the legacy example files for ``offer-converter migrate``, and what each must give.

Run from the repository root (LibreOffice's ``soffice`` is needed for the
.xls and .ods files: they are saved by LibreOffice, as real legacy files are)::

    .venv/bin/python example_sheets/legacy/make_legacy.py

Three layouts, each in its folder with its ``profile.toml`` and the files to
migrate under ``files/``:

- ``gammal_mall/``: the old offer template, one offer per sheet with other
  labels (``Offertnummer:``, ``Kund:``, ``Art.nr``, ``À-pris``, ``Rab %``,
  ``Belopp``), as .xls and .ods;
- ``offertlista/``: an export with one line per offer row, grouped by
  Offertnr, as Swedish CSV (cp1252) and .xlsx, with an article table
  (``artiklar.csv``) and skip rules;
- ``blankett/``: a pre-printed form without labels, cells named by address in
  the profile, as .ods and .xls, with defaults for Valuta, Meddelande, Enhet
  and Moms.

Beside each file, ``NAME.expected.json`` holds the offers ``migrate`` must
find there (sheet, legacy number, ExternalId, request body) and every problem
it must report (severity, cell, code). They are written by hand below from the
mapping rules, NOT produced by running the converter: they are the independent
check of the formats, layouts and profiles.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the expected-row helpers of make_examples.py

from make_examples import product, soffice_convert, text_row  # noqa: E402

# --------------------------------------------------------------------------- expected offers


def offer(customer: str, date: str, rows: list[dict[str, Any]], **optional: str) -> dict[str, Any]:
    """An expected request body, with the profile's defaults already in ``optional``."""
    body: dict[str, Any] = {
        "CustomerNr": customer,
        "InvoiceDate": date,
        "OriginType": 5,
        "InvoiceRows": rows,
        "RegistrationType": 1,
        "BillingType": 1,
        "AutoCreateCustomer": False,
    }
    body.update(optional)
    return body


def found(
    sheet: str, key: str, external_id: str, body: dict[str, Any], row: int | None = None
) -> dict[str, Any]:
    """One offer ``migrate`` finds: where, its legacy number and ExternalId, and its body."""
    return {"sheet": sheet, "row": row, "key": key, "external_id": external_id, "body": body}


def expect(path: Path, offers: list[dict[str, Any]], problems: list[list[str]]) -> None:
    """Write ``NAME.expected.json`` beside ``path``."""
    data = {"offers": offers, "problems": sorted(problems)}
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    path.with_name(path.stem + ".expected.json").write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- helpers


def new_workbook() -> Workbook:
    wb = Workbook()
    default = wb.active
    assert default is not None
    wb.remove(default)
    return wb


def put(ws: Worksheet, cells: dict[str, Any]) -> None:
    """Fill cells; a ``(value, number_format)`` pair sets the format too."""
    for coordinate, spec in cells.items():
        value, number_format = spec if isinstance(spec, tuple) else (spec, None)
        ws[coordinate] = value
        if number_format is not None:
            ws[coordinate].number_format = number_format


def convert(soffice: str, source: Path, fmt: str, target: Path) -> None:
    """Save ``source`` as ``fmt`` (xls, ods) through LibreOffice, headless, into ``target``."""
    filters = {"xls": "xls:MS Excel 97", "ods": "ods:calc8"}
    with tempfile.TemporaryDirectory(prefix="offer-legacy-") as out:
        [converted] = soffice_convert(soffice, [source], filters[fmt], Path(out))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(converted, target)


def save_via(soffice: str, wb: Workbook, target: Path) -> Path:
    """Save ``wb`` as ``target`` (.xls or .ods) the way LibreOffice writes that format."""
    with tempfile.TemporaryDirectory(prefix="offer-legacy-src-") as tmp:
        source = Path(tmp) / f"{target.stem}.xlsx"
        wb.save(source)
        convert(soffice, source, target.suffix.lstrip("."), target)
    return target


# --------------------------------------------------------------------------- gammal_mall


MALL_GRID = ("Art.nr", "Benämning", "Antal", "Enh", "À-pris", "Rab %", "Belopp")


def mall_sheet(
    wb: Workbook, title: str, header: dict[str, Any], rows: list[tuple[Any, ...]]
) -> None:
    """The old template: a letterhead, the header block, the grid from row 8, the totals."""
    ws = wb.create_sheet(title)
    ws["A1"] = "AB Rörmokarna i Västerås"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "OFFERT"
    put(ws, header)
    for column, label in enumerate(MALL_GRID, start=1):
        ws.cell(8, column, label).font = Font(bold=True)
    r = 9
    for row in rows:
        for column, value in enumerate(row, start=1):
            if isinstance(value, tuple):
                ws.cell(r, column, value[0]).number_format = value[1]
            elif value is not None:
                ws.cell(r, column, value)
        if row[0] is not None:  # a product row: Belopp = Antal × À-pris × (1 − Rab %)
            ws.cell(r, 7, f"=C{r}*E{r}*(1-N(F{r}))").number_format = "#,##0.00"
        r += 1
    ws.cell(r + 1, 2, "Summa exkl. moms")
    ws.cell(r + 1, 7, f"=SUM(G9:G{r - 1})")
    ws.cell(r + 2, 2, "Moms 25 %")
    ws.cell(r + 2, 7, f"=G{r + 1}*0.25")
    ws.cell(r + 3, 2, "Att betala")
    ws.cell(r + 3, 7, f"=G{r + 1}+G{r + 2}")


def gammal_mall(soffice: str) -> list[Path]:
    folder = HERE / "gammal_mall" / "files"
    date_fmt = "yyyy-mm-dd"

    wb = new_workbook()
    mall_sheet(
        wb,
        "Offert",
        {
            "A4": "Offertnummer:",
            "B4": 1001,
            "A5": "Kund:",
            "B5": (13, "000"),  # shows 013: sent as "013"
            "A6": "Datum:",
            "B6": (datetime(2019, 3, 14), date_fmt),
            "D4": "Referens:",
            "E4": "Kalle Ek",
            "D5": "Er ref:",
            "E5": "Stina Berg",
            "D6": "Giltig t.o.m.:",
            "E6": (datetime(2019, 4, 14), date_fmt),
        },
        [
            (None, "Byte av varmvattenberedare enligt besök 2019-03-12."),
            ("A11", "Arbetskostnad", 8, "tim", 580, (0.1, "0%")),  # 0.1 shown as 10 %
            ("A12", "Installationsmaterial", 1, "st", 7400, (0, "0%")),
            ("A14", "Resor", 2, "st", 250),
        ],
    )
    mall_sheet(
        wb,
        "Offert (2)",
        {
            "A4": "Offertnummer:",
            "B4": 1002,
            "A5": "Kund:",
            "B5": 4416,
            "A6": "Datum:",
            "B6": (datetime(2019, 5, 2), date_fmt),
            "D4": "Referens:",
            "E4": "Kalle Ek",
        },
        [
            ("100-5t", "Skolbil m väktare", 3, "st", 350, (0.125, "0.0%")),
            ("0042", "Kopplingsdosa", 10, "st", 42),
        ],
    )
    mall_sheet(
        wb,
        "Mall",
        {"A4": "Offertnummer:", "A5": "Kund:", "A6": "Datum:"},
        [("A11", "Arbetskostnad", 1, "tim", 580)],
    )
    wb["Mall"].sheet_state = "hidden"
    villkor = wb.create_sheet("Villkor")
    villkor["A1"] = "Betalningsvillkor 30 dagar netto. Priserna gäller i 30 dagar."
    xls = save_via(soffice, wb, folder / "2019" / "offert_1001.xls")
    expect(
        xls,
        [
            found(
                "Offert",
                "1001",
                "legacy:1001",
                offer(
                    "013",
                    "2019-03-14",
                    [
                        text_row(1, "Byte av varmvattenberedare enligt besök 2019-03-12."),
                        product(2, "A11", 8, 580, "Arbetskostnad", discount=10, unit="tim"),
                        product(3, "A12", 1, 7400, "Installationsmaterial", discount=0, unit="st"),
                        product(4, "A14", 2, 250, "Resor", unit="st"),
                    ],
                    ReferenceOur="Kalle Ek",
                    ReferenceYour="Stina Berg",
                    DueDate="2019-04-14",
                    Currency="SEK",
                ),
            ),
            found(
                "Offert (2)",
                "1002",
                "legacy:1002",
                offer(
                    "4416",
                    "2019-05-02",
                    [
                        product(1, "100-5t", 3, 350, "Skolbil m väktare", discount=12.5, unit="st"),
                        product(2, "0042", 10, 42, "Kopplingsdosa", unit="st"),
                    ],
                    ReferenceOur="Kalle Ek",
                    Currency="SEK",
                ),
            ),
        ],
        [["info", "Mall", "sheet_hidden"], ["info", "Villkor", "sheet_no_grid"]],
    )

    wb = new_workbook()
    mall_sheet(
        wb,
        "Offert",
        {
            "A4": "Offertnummer:",
            "B4": "2020-017",  # a text offer number
            "A5": "Kund:",
            "B5": 4824,
            "A6": "Datum:",
            "B6": (datetime(2020, 2, 11), date_fmt),
            "D4": "Referens:",
            "E4": "Lisa Ek",
            "D6": "Giltig t.o.m.:",
            "E6": (datetime(2020, 3, 11), date_fmt),
        },
        [
            (None, "Offert enligt telefonsamtal."),
            ("A11", "Arbetskostnad", 5, "tim", 580, (0.05, "0%")),
            (1001, "Kabel EKK 3G1,5", 25, "m", 12.5),  # article 1001 typed as a number
            (None, "Garanti 2 år.\nMontage ingår ej."),  # two lines in one cell
        ],
    )
    ods = save_via(soffice, wb, folder / "2020" / "offert_2020-017.ods")
    expect(
        ods,
        [
            found(
                "Offert",
                "2020-017",
                "legacy:2020-017",
                offer(
                    "4824",
                    "2020-02-11",
                    [
                        text_row(1, "Offert enligt telefonsamtal."),
                        product(2, "A11", 5, 580, "Arbetskostnad", discount=5, unit="tim"),
                        product(3, "1001", 25, 12.5, "Kabel EKK 3G1,5", unit="m"),
                        text_row(4, "Garanti 2 år.\nMontage ingår ej."),
                    ],
                    ReferenceOur="Lisa Ek",
                    DueDate="2020-03-11",
                    Currency="SEK",
                ),
            )
        ],
        [],
    )
    return [xls, ods]


# --------------------------------------------------------------------------- offertlista


LIST_2018 = """\
Offertnr;Kundnr;Datum;Vår ref;Artikel;Benämning;Antal;Enhet;Pris;Rabatt;Status
18001;013;2018-09-03;Åsa Öberg;1-100;Arbetskostnad;2,5;tim;580;;Aktiv
;;;;1-200;Installationsmaterial;1;st;7 400,00;10;Aktiv
;;;;FRAKT;Frakt;1;st;150;;Aktiv
18002;4315;2018-09-05;Åsa Öberg;;Offert enligt ritning nr 4.;;;;;Aktiv
18002;4315;2018-09-05;Åsa Öberg;0042;Kopplingsdosa;12;st;42,50;5 %;Aktiv
18003;1117;2018-10-01;Per Ås;1-300;Resor;3;st;250;;Aktiv
18004;4914;2018-10-02;Per Ås;1-100;Arbetskostnad;1;tim;580;;Makulerad
"""

ARTICLES = """\
Gammalt nr;Nytt nr;Kommentar
1-100;A11;Arbetstimme
1-200;A12;Material
1-300;A14;Resa
"""


def offertlista() -> list[Path]:
    folder = HERE / "offertlista" / "files"
    folder.mkdir(parents=True, exist_ok=True)
    # the table the profile names: UTF-8 with a BOM, as Excel saves "CSV UTF-8"
    (HERE / "offertlista" / "artiklar.csv").write_bytes(
        ARTICLES.replace("\n", "\r\n").encode("utf-8-sig")
    )
    # the old system wrote Windows-1252 with CRLF line ends
    csv_path = folder / "offertlista_2018.csv"
    csv_path.write_bytes(LIST_2018.replace("\n", "\r\n").encode("cp1252"))
    sheet = "offertlista_2018"
    expect(
        csv_path,
        [
            found(
                sheet,
                "18001",
                "legacy:18001",
                offer(
                    "013",
                    "2018-09-03",
                    [
                        product(1, "A11", 2.5, 580, "Arbetskostnad", unit="tim"),
                        product(2, "A12", 1, 7400, "Installationsmaterial", discount=10, unit="st"),
                    ],
                    ReferenceOur="Åsa Öberg",
                    Currency="SEK",
                ),
                row=2,
            ),
            found(
                sheet,
                "18002",
                "legacy:18002",
                offer(
                    "4315",
                    "2018-09-05",
                    [
                        text_row(1, "Offert enligt ritning nr 4."),
                        product(2, "0042", 12, 42.5, "Kopplingsdosa", discount=5, unit="st"),
                    ],
                    ReferenceOur="Åsa Öberg",
                    Currency="SEK",
                ),
                row=5,
            ),
            found(
                sheet,
                "18003",
                "legacy:18003",
                offer(
                    "1117",
                    "2018-10-01",
                    [product(1, "A14", 3, 250, "Resor", unit="st")],
                    ReferenceOur="Per Ås",
                    Currency="SEK",
                ),
                row=7,
            ),
        ],
        [
            ["info", f"{sheet}!E4", "row_skipped"],  # FRAKT
            ["info", f"{sheet}!K8", "row_skipped"],  # Makulerad
            ["info", f"{sheet}!A8", "list_offer_skipped"],  # so offer 18004 is left out
        ],
    )

    wb = new_workbook()
    ws = wb.create_sheet("Offerter")
    ws["A1"] = "Offertlista 2019 (export 2020-01-05)"
    header = ("Datum", "Offertnr", "Kundnr", "Säljare", "Artnr", "Benämning", "Antal", "Enhet")
    for column, label in enumerate((*header, "Pris", "Rabatt"), start=1):
        ws.cell(3, column, label)
    feb1 = datetime(2019, 2, 1)
    rows = [
        (feb1, 19001, 4931, "Per Ås", "1-100", "Arbetskostnad", 4, "tim", 580, 0.1),
        (feb1, 19001, 4931, "Per Ås", "A12", "Installationsmaterial", 1, "st", 7400),
        (datetime(2019, 3, 15), 19002, 11, "Åsa Öberg", "1-300", "Resor", 1, "st", 250),
        # a late row of 19001: the same number further down belongs to the same offer
        (feb1, 19001, 4931, "Per Ås", "1-300", "Resor", 1, "st", 250),
        # 18003 again: the old system exported it in both lists
        (datetime(2018, 10, 1), 18003, 1117, "Per Ås", "1-300", "Resor", 3, "st", 250),
    ]
    for r, row in enumerate(rows, start=4):
        for column, value in enumerate(row, start=1):
            cell = ws.cell(r, column, value)
            if column == 1:
                cell.number_format = "yyyy-mm-dd"
            if column == 10:
                cell.number_format = "0%"
    xlsx = folder / "offertlista_2019.xlsx"
    wb.save(xlsx)
    expect(
        xlsx,
        [
            found(
                "Offerter",
                "19001",
                "legacy:19001",
                offer(
                    "4931",
                    "2019-02-01",
                    [
                        product(1, "A11", 4, 580, "Arbetskostnad", discount=10, unit="tim"),
                        product(2, "A12", 1, 7400, "Installationsmaterial", unit="st"),
                        product(3, "A14", 1, 250, "Resor", unit="st"),
                    ],
                    ReferenceOur="Per Ås",
                    Currency="SEK",
                ),
                row=4,
            ),
            found(
                "Offerter",
                "19002",
                "legacy:19002",
                offer(
                    "11",
                    "2019-03-15",
                    [product(1, "A14", 1, 250, "Resor", unit="st")],
                    ReferenceOur="Åsa Öberg",
                    Currency="SEK",
                ),
                row=6,
            ),
            found(
                "Offerter",
                "18003",
                "legacy:18003",
                offer(
                    "1117",
                    "2018-10-01",
                    [product(1, "A14", 3, 250, "Resor", unit="st")],
                    ReferenceOur="Per Ås",
                    Currency="SEK",
                ),
                row=8,
            ),
        ],
        [],
    )
    return [csv_path, xlsx]


# --------------------------------------------------------------------------- blankett


def blankett_sheet(wb: Workbook, header: dict[str, Any], rows: dict[int, tuple[Any, ...]]) -> None:
    """The pre-printed form: no labels on the sheet, values in fixed cells."""
    ws = wb.create_sheet("Offert")
    put(ws, header)
    for r, row in rows.items():
        for column, value in zip("ABCDEF", row, strict=False):
            if isinstance(value, tuple):
                ws[f"{column}{r}"] = value[0]
                ws[f"{column}{r}"].number_format = value[1]
            elif value is not None:
                ws[f"{column}{r}"] = value
    ws["B26"] = "Summa"
    ws["E26"] = "=SUMPRODUCT(D7:D25,E7:E25)"
    wb.create_sheet("Blad2")


def blankett(soffice: str) -> list[Path]:
    folder = HERE / "blankett" / "files"
    defaults = {"Currency": "SEK", "Note": "Migrerad från offertblanketten"}
    wb = new_workbook()
    blankett_sheet(
        wb,
        {
            "F1": 3001,
            "B3": 1698,
            "F3": (datetime(2017, 6, 1), "yyyy-mm-dd"),
            "B4": "Nils Holm",
        },
        {
            7: ("A11", "Arbete", None, 6, 580),
            8: ("A12", "Material", None, 1, 3200, 5),  # Rabatt 5 typed as a plain number
            9: (None, "Arbetet utförs vecka 24."),
        },
    )
    ods = save_via(soffice, wb, folder / "blankett_3001.ods")
    expect(
        ods,
        [
            found(
                "Offert",
                "3001",
                "legacy:blankett-3001",
                offer(
                    "1698",
                    "2017-06-01",
                    [
                        product(1, "A11", 6, 580, "Arbete", unit="st", vat=25),
                        product(2, "A12", 1, 3200, "Material", discount=5, unit="st", vat=25),
                        text_row(3, "Arbetet utförs vecka 24."),
                    ],
                    ReferenceOur="Nils Holm",
                    **defaults,
                ),
            )
        ],
        [["info", "Blad2", "sheet_no_grid"]],
    )

    wb = new_workbook()
    blankett_sheet(
        wb,
        {"F1": "3002", "B3": 4456, "F3": (datetime(2017, 8, 15), "yyyy-mm-dd")},
        {
            7: ("A14", "Resor", None, 2, 250),
            8: (999, "Övrigt material", None, 1, (1250.5, '#,##0.00 "kr"')),
        },
    )
    xls = save_via(soffice, wb, folder / "blankett_3002.xls")
    expect(
        xls,
        [
            found(
                "Offert",
                "3002",
                "legacy:blankett-3002",
                offer(
                    "4456",
                    "2017-08-15",
                    [
                        product(1, "A14", 2, 250, "Resor", unit="st", vat=25),
                        product(2, "999", 1, 1250.5, "Övrigt material", unit="st", vat=25),
                    ],
                    **defaults,
                ),
            )
        ],
        [["info", "Blad2", "sheet_no_grid"]],
    )
    return [ods, xls]


def main() -> int:
    """Build every legacy example (LibreOffice is needed for .xls and .ods)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        print("soffice (LibreOffice) is needed to write .xls and .ods files", file=sys.stderr)
        return 2
    for path in gammal_mall(soffice) + offertlista() + blankett(soffice):
        print(path.relative_to(HERE.parent.parent))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
