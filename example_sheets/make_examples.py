"""Build the example workbooks in this folder and the expected output beside each.

Run from the repository root::

    .venv/bin/python example_sheets/make_examples.py [--no-libreoffice]

Each ``NAME.xlsx`` gets a ``NAME.expected.json``: the JSON array that
``offer-converter convert NAME.xlsx`` must print. The expected bodies below are
written by hand from the mapping rules (header fields, row kinds, RowNr, text
numbers, percentages), NOT produced by running the mapper: they are the
independent check of the mapper. ``errors/bad_cells.xlsx`` gets
``bad_cells.expected.txt`` instead: one ``Sheet!A1 code`` per line, every error
the converter must report.

When ``soffice`` (LibreOffice) is installed, every workbook is then re-saved
through it, headless, so the committed files carry the cached formula results
a real spreadsheet application writes (Summa, totals, and the ``#DIV/0!`` in
``bad_cells.xlsx``). Without it the files keep openpyxl's formulas without
results; the Summa check is then skipped and the ``#DIV/0!`` cell is written as
a literal error value.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment, Font  # noqa: E402
from openpyxl.worksheet.worksheet import Worksheet  # noqa: E402

from converter.desktop.template import (  # noqa: E402
    COLUMN,
    FIRST_ROW,
    HEADER_ROWS,
    OFFER_SHEET,
    VALUE_COLUMN,
    add_instructions_sheet,
    add_offer_sheet,
    build_template,
)

ERRORS = HERE / "errors"

# --------------------------------------------------------------------------- helpers


def header(ws: Worksheet, **values: Any) -> None:
    """Fill header values by label (``Kundnr=4416``; ``Vår_referens`` for "Vår referens")."""
    for key, value in values.items():
        label = key.replace("_", " ")
        ws[f"{VALUE_COLUMN}{HEADER_ROWS[label]}"] = value


def line(ws: Worksheet, row: int, **values: Any) -> None:
    """Fill one grid row of a template sheet by column name (Rad, Artikel, …, Moms)."""
    for name, value in values.items():
        ws[f"{COLUMN[name]}{row}"] = value


def merged_text(ws: Worksheet, row: int, first: str, text: str) -> None:
    """A text row typed in column ``first`` and merged across the grid up to Summa."""
    ws[f"{first}{row}"] = text
    ws[f"{first}{row}"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(f"{first}{row}:{COLUMN['Summa']}{row}")
    ws.row_dimensions[row].height = 15 * (text.count("\n") + 1)


def offer(customer: str, date: str, rows: list[dict[str, Any]], **optional: str) -> dict[str, Any]:
    """An expected offer body: the fields in the order the converter prints them."""
    body: dict[str, Any] = {
        "CustomerNr": customer,
        "InvoiceDate": date,
        "OriginType": 5,
        "InvoiceRows": rows,
        "RegistrationType": 1,
        "BillingType": 1,
        "AutoCreateCustomer": False,
    }
    for key in ("DueDate", "DeliveryDate", "ReferenceOur", "ReferenceYour", "Currency", "Note"):
        if key in optional:
            body[key] = optional.pop(key)
    assert not optional, f"unknown offer fields {optional}"
    return body


def product(
    row_nr: int,
    product_nr: str,
    quantity: float,
    amount: float,
    text: str | None = None,
    *,
    discount: float | None = None,
    unit: str | None = None,
    vat: float | None = None,
) -> dict[str, Any]:
    """An expected product row (CustomerRowType 2); None fields are left out."""
    row: dict[str, Any] = {
        "CustomerRowType": 2,
        "RowNr": row_nr,
        "ProductNr": product_nr,
        "Quantity": quantity,
        "Amount": amount,
        "Text": text,
        "Discount": discount,
        "Unit": unit,
        "VatRate": vat,
    }
    return {k: v for k, v in row.items() if v is not None}


def text_row(row_nr: int, text: str) -> dict[str, Any]:
    """An expected text row (CustomerRowType 3)."""
    return {"CustomerRowType": 3, "RowNr": row_nr, "Text": text}


def save(wb: Workbook, path: Path, expected: list[dict[str, Any]] | None = None) -> Path:
    """Save the workbook, and its expected JSON (as ``convert`` prints it) beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    if expected is not None:
        text = json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
        path.with_name(path.stem + ".expected.json").write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the examples


def spec_offer() -> Path:
    """The offer pictured in the endpoint document, filled into the template."""
    wb = build_template()
    ws = wb[OFFER_SHEET]
    header(ws, Kundnr=13, Offertdatum=datetime(2026, 1, 30), Vår_referens="André Johansson")
    ws[f"{VALUE_COLUMN}{HEADER_ROWS['Kundnr']}"].number_format = "000"  # 13 shows as 013
    r = FIRST_ROW
    line(ws, r, Rad=1, Beskrivning="Offert enligt telefonsamtal 2022-11-01.")
    line(ws, r + 1, Rad=2)
    merged_text(
        ws,
        r + 1,
        COLUMN["Beskrivning"],
        "Offerten avser montage och inkoppling av 2st TP-radiatorer med designtermostater.",
    )
    line(ws, r + 2, Rad=3, Artikel="A11", Beskrivning="Arbetskostnad", Antal=5, Enhet="Tim")
    line(ws, r + 2, Pris=580, Rabatt=0)
    line(ws, r + 3, Rad=4, Artikel="A12", Beskrivning="Installationsmaterial", Antal=1)
    line(ws, r + 3, Enhet="St", Pris=7400, Rabatt=0)
    line(ws, r + 4, Rad=5, Artikel="A14", Beskrivning="Resor inom V-ås", Antal=1, Enhet="St")
    line(ws, r + 4, Pris=250, Rabatt=0)
    line(ws, r + 5, Rad=6, Beskrivning="Vid rotavdrag avgår 30 % på arbetskostnaden.")
    expected = [
        offer(
            "013",
            "2026-01-30",
            [
                text_row(1, "Offert enligt telefonsamtal 2022-11-01."),
                text_row(
                    2,
                    "Offerten avser montage och inkoppling av 2st TP-radiatorer "
                    "med designtermostater.",
                ),
                product(3, "A11", 5, 580, "Arbetskostnad", discount=0, unit="Tim"),
                product(4, "A12", 1, 7400, "Installationsmaterial", discount=0, unit="St"),
                product(5, "A14", 1, 250, "Resor inom V-ås", discount=0, unit="St"),
                text_row(6, "Vid rotavdrag avgår 30 % på arbetskostnaden."),
            ],
            ReferenceOur="André Johansson",
            Currency="SEK",
        )
    ]
    return save(wb, HERE / "spec_offer.xlsx", expected)


def multi_offer() -> Path:
    """Three offers on three sheets, a hidden sheet with a grid, and the instructions."""
    wb = Workbook()
    default = wb.active
    assert default is not None
    wb.remove(default)

    ws = add_offer_sheet(wb, "Offert 1")
    header(
        ws,
        Kundnr=4416,  # a number cell: sent as "4416"
        Offertdatum=datetime(2026, 2, 2),
        Vår_referens="Jacob Emildahl",
        Er_referens="Anna Berg",
        Giltig_till=datetime(2026, 3, 4),
        Meddelande="Pris enligt ramavtal.",
    )
    ws[f"{VALUE_COLUMN}{HEADER_ROWS['Kundnr']}"].number_format = "General"
    r = FIRST_ROW  # no Rad numbers: RowNr is the position
    line(ws, r, Artikel=1001, Beskrivning="Konsulttimme", Antal=8, Enhet="tim", Pris=950)
    line(ws, r, Rabatt=0.1, Moms=0.25)
    line(ws, r + 1, Artikel="100-5t", Beskrivning="Skolbil m väktare", Antal=3, Enhet="st")
    line(ws, r + 1, Pris=350, Moms=0.25)
    merged_text(
        ws,
        r + 2,
        COLUMN["Artikel"],
        "Priserna gäller vardagar 07–16.\nÖvertid debiteras enligt avtal.",
    )
    offer_1 = offer(
        "4416",
        "2026-02-02",
        [
            product(1, "1001", 8, 950, "Konsulttimme", discount=10, unit="tim", vat=25),
            product(2, "100-5t", 3, 350, "Skolbil m väktare", unit="st", vat=25),
            text_row(3, "Priserna gäller vardagar 07–16.\nÖvertid debiteras enligt avtal."),
        ],
        DueDate="2026-03-04",
        ReferenceOur="Jacob Emildahl",
        ReferenceYour="Anna Berg",
        Currency="SEK",
        Note="Pris enligt ramavtal.",
    )

    ws = add_offer_sheet(wb, "Offert 2")
    header(
        ws,
        Kundnr=4824,
        Offertdatum=datetime(2026, 2, 3),
        Vår_referens="André Johansson",
        Valuta="EUR",
        Leveransdatum=datetime(2026, 4, 1),
    )
    ws[f"{VALUE_COLUMN}{HEADER_ROWS['Kundnr']}"].number_format = "General"
    line(ws, r, Rad=10, Artikel="0042", Beskrivning="Filter F7", Antal=12, Enhet="förp")
    line(ws, r, Pris=89.5, Rabatt=0.125, Moms=0.25)
    ws[f"{COLUMN['Rabatt']}{r}"].number_format = "0.0%"  # shows 12.5 %
    line(ws, r + 1, Rad=20, Artikel=2002, Beskrivning="Montagesats", Antal=1, Enhet="paket")
    line(ws, r + 1, Pris=1200, Rabatt=0, Moms=0.25)
    # r + 2 left blank
    line(ws, r + 3, Rad=30, Beskrivning="Leverans fritt kund.")
    offer_2 = offer(
        "4824",
        "2026-02-03",
        [
            product(10, "0042", 12, 89.5, "Filter F7", discount=12.5, unit="förp", vat=25),
            product(20, "2002", 1, 1200, "Montagesats", discount=0, unit="paket", vat=25),
            text_row(30, "Leverans fritt kund."),
        ],
        DeliveryDate="2026-04-01",
        ReferenceOur="André Johansson",
        Currency="EUR",
    )

    ws = add_offer_sheet(wb, "Utkast")  # hidden: must be skipped
    header(ws, Kundnr="9999", Offertdatum=datetime(2026, 1, 2))
    line(ws, r, Artikel="A99", Beskrivning="Gammalt utkast", Antal=1, Enhet="st", Pris=100)
    ws.sheet_state = "hidden"

    ws = add_offer_sheet(wb, "Offert 3")
    header(
        ws,
        Kundnr="0042",  # text in the text-formatted cell: the zeros stay
        Offertdatum=datetime(2026, 2, 4),
        Er_referens="Lisa Ek",
        Meddelande="Ring innan leverans.",
    )
    line(ws, r, Artikel="A11", Beskrivning="Arbetskostnad", Antal=2.5, Enhet="tim", Pris=580)
    line(ws, r, Moms=0.25)
    line(ws, r + 1, Artikel="M-200", Beskrivning="Kabel EKK 3G1,5", Antal=25, Enhet="m")
    line(ws, r + 1, Pris=12.4, Moms=0.25)
    line(ws, r + 2, Beskrivning="Arbetet utförs vecka 12.")
    offer_3 = offer(
        "0042",
        "2026-02-04",
        [
            product(1, "A11", 2.5, 580, "Arbetskostnad", unit="tim", vat=25),
            product(2, "M-200", 25, 12.4, "Kabel EKK 3G1,5", unit="m", vat=25),
            text_row(3, "Arbetet utförs vecka 12."),
        ],
        ReferenceYour="Lisa Ek",
        Currency="SEK",
        Note="Ring innan leverans.",
    )

    add_instructions_sheet(wb)
    wb.active = 0
    return save(wb, HERE / "multi_offer.xlsx", [offer_1, offer_2, offer_3])


def swedish_text_numbers() -> Path:
    """A hand-made layout (not the template) with numbers typed as text."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Quote"
    ws["B2"] = "Customer no:"
    ws["C2"] = "0042"  # text: the zeros stay
    ws["E2"] = "Your reference:"
    ws["F2"] = "Maria Holm"
    ws["B3"] = "Date"
    ws["C3"] = datetime(2026, 3, 15)
    ws["C3"].number_format = "yyyy-mm-dd"
    ws["B4"] = "Our reference"
    ws["C4"] = "Erik Svensson"
    # grid header in row 6 from column C, in its own order, with an unknown column
    heads = ["Description", "Qty", "Item", "Unit price", "Kommentar", "Discount %", "Unit"]
    for i, name in enumerate(heads):
        ws.cell(row=6, column=3 + i, value=name).font = Font(bold=True)
    rows: list[list[Any]] = [
        ["Arbetskostnad", "2,5", "A11", "1 250,50 kr", "enligt samtal", "10 %", "tim"],
        ["Installationsmaterial", 1, "A12", "7 400,00", None, "12,5%", "st"],
        [],  # a blank row in the middle
        ["Material enligt bifogad lista.", None, None, None, "intern: kolla lager", None, None],
        ["Skolbil m väktare", "3", "100-5t", "1,234.50", None, None, "st"],
    ]
    for r, values in enumerate(rows, start=7):
        for i, value in enumerate(values):
            if value is not None:
                ws.cell(row=r, column=3 + i, value=value)
    for letter, width in {"B": 16, "C": 32, "E": 10, "F": 14, "G": 20, "H": 12}.items():
        ws.column_dimensions[letter].width = width
    expected = [
        offer(
            "0042",
            "2026-03-15",
            [
                product(1, "A11", 2.5, 1250.5, "Arbetskostnad", discount=10, unit="tim"),
                product(2, "A12", 1, 7400, "Installationsmaterial", discount=12.5, unit="st"),
                text_row(3, "Material enligt bifogad lista."),
                product(4, "100-5t", 3, 1234.5, "Skolbil m väktare", unit="st"),
            ],
            ReferenceOur="Erik Svensson",
            ReferenceYour="Maria Holm",
        )
    ]
    return save(wb, HERE / "swedish_text_numbers.xlsx", expected)


BAD_CELLS_EXPECTED = """\
Offert!C4 text_date
Offert!D15 not_a_number
Offert!B16 priced_without_article
Offert!F17 ambiguous_number
Offert!F18 formula_error
Offert!F19 missing_cell
Offert!G20 percent_range
Offert2!C3 missing_value
Offert2!A16 rad_order
"""


def bad_cells(with_libreoffice: bool) -> Path:
    """Deliberate mistakes, each at a known cell (listed in bad_cells.expected.txt)."""
    wb = build_template()
    ws = wb[OFFER_SHEET]
    header(ws, Kundnr="4416", Offertdatum="30/01/2026")  # C4: a date typed as text
    r = FIRST_ROW
    line(ws, r, Artikel="A11", Beskrivning="Arbetskostnad", Antal="fem", Enhet="tim", Pris=580)
    line(ws, r + 1, Beskrivning="Frakt", Antal=1, Pris=200)  # B16: priced, no Artikel
    line(ws, r + 2, Artikel="A12", Beskrivning="Material", Antal=1, Enhet="st", Pris="1,250")
    # F18: #DIV/0!; LibreOffice computes it from the formula, openpyxl can only store it
    line(ws, r + 3, Artikel="A14", Beskrivning="Resor", Antal=1, Enhet="st")
    line(ws, r + 3, Pris="=1/0" if with_libreoffice else "#DIV/0!")
    line(ws, r + 4, Artikel="A15", Beskrivning="Kabel", Antal=10, Enhet="m")  # F19: no Pris
    line(ws, r + 5, Artikel="A16", Beskrivning="Rabatt 150 %", Antal=1, Pris=100, Rabatt=1.5)

    ws2 = add_offer_sheet(wb, "Offert2", index=1)
    header(ws2, Offertdatum=datetime(2026, 1, 30))  # C3: Kundnr left empty
    line(ws2, r, Rad=2, Artikel="A11", Beskrivning="Arbetskostnad", Antal=1, Pris=580)
    line(ws2, r + 1, Rad=1, Artikel="A12", Beskrivning="Material", Antal=1, Pris=100)
    path = save(wb, ERRORS / "bad_cells.xlsx")
    (ERRORS / "bad_cells.expected.txt").write_text(BAD_CELLS_EXPECTED, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- LibreOffice


def soffice_convert(soffice: str, sources: list[Path], convert_to: str, out: Path) -> list[Path]:
    """Save ``sources`` through headless LibreOffice as ``convert_to`` (``xlsx``,
    ``xls:MS Excel 97``, ...) into the folder ``out``, in one run; the files written."""
    extension = convert_to.split(":")[0]
    with tempfile.TemporaryDirectory(prefix="offer-examples-") as tmp:
        cmd = [
            soffice,
            f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--calc",
            "--convert-to",
            convert_to,
            "--outdir",
            str(out),
            *(str(p) for p in sources),
        ]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    written = [out / f"{source.stem}.{extension}" for source in sources]
    for source, converted in zip(sources, written, strict=True):
        if result.returncode != 0 or not converted.is_file():
            raise SystemExit(
                f"LibreOffice could not convert {source.name} (exit {result.returncode}):\n"
                f"{result.stdout}{result.stderr}"
            )
    return written


def resave_with_libreoffice(soffice: str, paths: list[Path]) -> None:
    """Open and save each workbook in LibreOffice (headless), replacing it in place."""
    with tempfile.TemporaryDirectory(prefix="offer-examples-out-") as out:
        written = soffice_convert(soffice, paths, "xlsx", Path(out))
        for path, converted in zip(paths, written, strict=True):
            shutil.copyfile(converted, path)


def main(argv: list[str] | None = None) -> int:
    """Build every example; re-save through LibreOffice when it is installed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--no-libreoffice", action="store_true", help="keep openpyxl's files as they are"
    )
    args = parser.parse_args(argv)
    soffice = None if args.no_libreoffice else shutil.which("soffice")
    paths = [spec_offer(), multi_offer(), swedish_text_numbers(), bad_cells(soffice is not None)]
    if soffice is not None:
        resave_with_libreoffice(soffice, paths)
    else:
        print(
            "note: soffice not found (or --no-libreoffice): the workbooks hold formulas "
            "without saved results",
            file=sys.stderr,
        )
    for path in paths:
        print(path.relative_to(HERE.parent))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
