"""The offer template a salesperson fills in: ``offer-converter template`` writes it.

The sheet ``Offert`` is laid out like the SoftOne GO offer grid and matches the
standard layout profile (``templates/default.toml``)::

    row 1        title
    row 2        a one-line hint
    rows 3-11    header block: labels in column B, values in column C
                 (Kundnr, Offertdatum, Vår referens, Er referens, Valuta,
                 Leveransdatum, Giltig till, Meddelande, Offertnr); beside
                 Kundnr the Kundnamn label (D3) and its value (E3:I3, merged),
                 which ``fill`` writes from SoftOne GO
    row 12       note: Offertnr (C11) and the status (D11) are filled in by the tool
    row 14       grid header: Rad Artikel Beskrivning Antal Enhet Pris Rabatt Moms Summa (A-I)
    rows 15-64   50 empty offer rows; Summa is a formula
    rows 66-68   totals: Summa exkl. moms, Moms, Att betala (labels in H, amounts in I)

A second sheet, ``Instruktioner``, explains in Swedish (and briefly in
English) how to fill it in; it has no grid, so the converter skips it.

The layout constants below are public so that tests and the example generator
fill the same cells the template defines.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from converter.desktop.shortcut import shortcut_name
from converter.fileio import write_atomically
from converter.wrapping import FONT_NAME, chars_per_line, wrapped_height

if TYPE_CHECKING:
    from converter.erp.lookups import Article

OFFER_SHEET = "Offert"
INSTRUCTIONS_SHEET = "Instruktioner"

#: grid columns, in sheet order from column A
GRID_COLUMNS: tuple[str, ...] = (
    "Rad",
    "Artikel",
    "Beskrivning",
    "Antal",
    "Enhet",
    "Pris",
    "Rabatt",
    "Moms",
    "Summa",
)
#: grid column name → column letter (Rad → A … Summa → I)
COLUMN: dict[str, str] = {name: get_column_letter(i) for i, name in enumerate(GRID_COLUMNS, 1)}

LABEL_COLUMN = "B"
VALUE_COLUMN = "C"
#: header label → its row; the value goes in :data:`VALUE_COLUMN` of that row
HEADER_ROWS: dict[str, int] = {
    "Kundnr": 3,
    "Offertdatum": 4,
    "Vår referens": 5,
    "Er referens": 6,
    "Valuta": 7,
    "Leveransdatum": 8,
    "Giltig till": 9,
    "Meddelande": 10,
    "Offertnr": 11,
}
#: the customer's name, beside Kundnr: ``fill`` writes it from SoftOne GO (never sent)
CUSTOMER_NAME_LABEL = "Kundnamn"
CUSTOMER_NAME_LABEL_CELL = f"D{HEADER_ROWS['Kundnr']}"  # D3
CUSTOMER_NAME_CELL = f"E{HEADER_ROWS['Kundnr']}"  # E3, merged across E3:I3
CUSTOMER_NAME_RANGE = f"{CUSTOMER_NAME_CELL}:I{HEADER_ROWS['Kundnr']}"
DATE_LABELS = ("Offertdatum", "Leveransdatum", "Giltig till")
DEFAULT_CURRENCY = "SEK"
OFFER_NR_CELL = f"{VALUE_COLUMN}{HEADER_ROWS['Offertnr']}"  # C11, filled in by the upload
STATUS_CELL = f"D{HEADER_ROWS['Offertnr']}"  # D11, the upload's status; left free
NOTE_ROW = HEADER_ROWS["Offertnr"] + 1

GRID_HEADER_ROW = 14
FIRST_ROW = GRID_HEADER_ROW + 1  # 15
ROW_COUNT = 50
LAST_ROW = FIRST_ROW + ROW_COUNT - 1  # 64
TOTALS_ROW = LAST_ROW + 2  # 66: Summa exkl. moms; 67 Moms; 68 Att betala
TOTALS_LABEL_COLUMN = COLUMN["Moms"]  # H: right-aligned, beside the amounts
TOTALS_VALUE_COLUMN = COLUMN["Summa"]  # I
LAST_COLUMN = COLUMN["Summa"]
PRINT_AREA = f"A1:{LAST_COLUMN}{TOTALS_ROW + 2}"

UNITS: tuple[str, ...] = ("st", "tim", "m", "m²", "kg", "l", "förp", "paket", "dag", "mån")

DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
AMOUNT_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0%"

COLUMN_WIDTHS: dict[str, float] = {
    "A": 6,
    "B": 16,
    "C": 46,
    "D": 10,
    "E": 10,
    "F": 13,
    "G": 9,
    "H": 9,
    "I": 15,
}

#: the Instruktioner sheet's one column: in characters, it prints across A4 in portrait
INSTRUCTIONS_WIDTH = 70

_INPUT_FILL = PatternFill("solid", fgColor="FFF9DB")  # pale yellow: fill these in
_TOOL_FILL = PatternFill("solid", fgColor="EDEDED")  # grey: computed or filled by the tool
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_THIN = Side(style="thin", color="A6A6A6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TOP_RULE = Border(top=Side(style="medium", color="1F4E78"))

#: the drop icon's names, as ``install-shortcut`` makes it (the instructions name it)
_ICON = {lang: shortcut_name(lang, sandbox=False) for lang in ("sv", "en")}
_PRACTICE_ICON = {lang: shortcut_name(lang, sandbox=True) for lang in ("sv", "en")}

_INSTRUCTIONS: tuple[tuple[str, str], ...] = (
    # (style, text): "h1" title, "h2" heading, "" plain, "code" a command, "-" empty row
    ("h1", "Så fyller du i offertmallen"),
    (
        "",
        "Fyll i de gula cellerna på bladet Offert. Grå celler räknas ut eller fylls i "
        "av verktyget.",
    ),
    ("-", ""),
    ("h2", "Huvudet (överst på bladet Offert)"),
    (
        "",
        "Kundnr: kundens nummer i SoftOne GO, t.ex. 4416 eller 0042. Obligatoriskt. "
        "Cellen är textformaterad, så inledande nollor behålls.",
    ),
    (
        "",
        "Offertdatum: offertens datum, t.ex. 2026-01-30. Obligatoriskt. Skriv ett riktigt "
        "datum (cellen är datumformaterad), inte text som 30/01/2026.",
    ),
    ("", "Vår referens och Er referens: säljarens och kundens kontaktperson (frivilligt)."),
    ("", "Valuta: förifylld med SEK. Ändra bara om offerten ska vara i en annan valuta."),
    ("", "Leveransdatum och Giltig till: frivilliga datum."),
    ("", "Meddelande: frivillig text som följer med offerten."),
    (
        "",
        "Offertnr: lämna tomt. Verktyget fyller i offertnumret när offerten har laddats "
        "upp, och skriver status i cellen till höger om det.",
    ),
    ("-", ""),
    ("h2", "Raderna (en rad per offertrad, under rubrikraden)"),
    (
        "",
        "Artikelrad: fyll i Artikel (artikelnumret i SoftOne GO), Antal och Pris "
        "(pris per enhet, exkl. moms). Beskrivning, Enhet, Rabatt och Moms är frivilliga.",
    ),
    (
        "",
        "Textrad: skriv bara i Beskrivning och lämna Artikel, Antal och Pris tomma. "
        "Texten blir en egen rad i offerten; radbrytningar (Alt+Enter) behålls.",
    ),
    (
        "",
        "Rad: frivilligt radnummer. Är kolumnen tom numreras raderna 1, 2, 3 … i den "
        "ordning de står. Numrerar du, numrera alla rader i stigande ordning.",
    ),
    (
        "",
        "Enhet: välj i listan (st, tim, m, m², kg, l, förp, paket, dag, mån) "
        "eller skriv en egen enhet.",
    ),
    (
        "",
        "Rabatt och Moms anges i procent. Cellerna är procentformaterade: skriv 10 så "
        "visas 10 %. Moms är t.ex. 25 %, 12 %, 6 % eller 0 %.",
    ),
    ("", "Rabatt 0 % eller tom Rabatt: SoftOne GO använder kundens standardrabatt."),
    (
        "",
        "Summa räknas ut automatiskt: Antal × Pris × (1 − Rabatt). Verktyget kontrollerar "
        "den och varnar om den inte stämmer. Summa skickas inte, SoftOne GO räknar själv.",
    ),
    (
        "",
        "Raderna under tabellen (Summa exkl. moms, Moms, Att betala) skickas inte. "
        "Moms där räknas bara på rader där Moms är ifylld.",
    ),
    (
        "",
        "Tomma rader hoppas över. Behöver du fler än 50 rader: infoga rader mitt i "
        "tabellen (högerklicka på radnumret, Infoga), så följer summorna med.",
    ),
    ("-", ""),
    ("h2", "Flera offerter i samma fil"),
    (
        "",
        "Varje synligt blad med en offerttabell blir en egen offert. Kopiera bladet "
        "Offert (högerklicka på bladfliken, Flytta eller kopiera, Skapa en kopia) och fyll "
        "i en offert per blad. Dolda blad och det här bladet hoppas över.",
    ),
    ("-", ""),
    ("h2", "Ladda upp"),
    (
        "",
        f"Spara och stäng filen. Dra den sedan till ikonen {_ICON['sv']} på skrivbordet. Ett "
        "fönster visar vad som hände; Offertnr skrivs in i arbetsboken. Vill du öva först, "
        f"använd ikonen {_PRACTICE_ICON['sv']}: den laddar upp till en övningsserver, inte till "
        "SoftOne GO.",
    ),
    ("", "Eller kör i ett terminalfönster:"),
    ("code", "offer-converter validate offert.xlsx    (kontrollerar, laddar inte upp)"),
    ("code", "offer-converter upload offert.xlsx"),
    (
        "",
        "Hittas fel visas cellens adress (t.ex. Offert!D15) och vad som är fel. Rätta "
        "och försök igen.",
    ),
    ("-", ""),
    ("h2", "In English"),
    (
        "",
        "Fill in the yellow cells of the sheet Offert. Header: Kundnr (customer number) and "
        "Offertdatum (offer date) are required; leave Offertnr empty, the tool fills it in "
        "after the upload and writes the status to the cell on its right.",
    ),
    (
        "",
        "Rows: a product row needs Artikel (article number), Antal (quantity) and Pris "
        "(price per unit, excl. VAT); a text row has only Beskrivning (description). Rabatt "
        "(discount) and Moms (VAT) are percentages; a Rabatt of 0 or empty means SoftOne GO "
        "applies the customer's default discount.",
    ),
    (
        "",
        "Each visible sheet with a grid is one offer: copy the Offert sheet for more "
        f"offers. Upload by dropping the saved file on the {_ICON['en']} icon on the Desktop "
        f"({_ICON['sv']} on a Swedish computer), or run offer-converter upload FILE. The "
        f"{_PRACTICE_ICON['en']} icon uploads to a practice server instead.",
    ),
)


# style → (font, line height in points, characters per wrapped line in INSTRUCTIONS_WIDTH)
_INSTRUCTION_STYLES: dict[str, tuple[Font, float, int]] = {
    "h1": (Font(name=FONT_NAME, size=16, bold=True, color="1F4E78"), 22, 44),
    "h2": (Font(name=FONT_NAME, size=12, bold=True, color="1F4E78"), 17, 60),
    "": (Font(name=FONT_NAME, size=11), 15, chars_per_line(INSTRUCTIONS_WIDTH)),
    "code": (Font(name="Consolas", size=10), 14, 66),
}
_BLANK_HEIGHT = 8


def build_template() -> Workbook:
    """A new workbook with the sheets ``Offert`` (the form) and ``Instruktioner``."""
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    add_offer_sheet(wb, OFFER_SHEET)
    add_instructions_sheet(wb, INSTRUCTIONS_SHEET)
    wb.active = 0
    return wb


def write_template(path: Path, articles: Sequence[Article] | None = None) -> None:
    """Write a fresh template to ``path``, replacing any file there.

    With ``articles`` (the company's active articles) the template also gets
    an *Artiklar* sheet (:func:`add_articles`). The workbook goes to a
    temporary file in the same folder first and is then renamed over
    ``path``, so ``path`` is never left half-written. Whether an existing file
    may be replaced is the caller's decision.
    """
    buffer = io.BytesIO()
    wb = build_template()
    if articles is not None:
        add_articles(wb, articles)
    wb.save(buffer)
    write_atomically(path, buffer.getvalue())


def add_offer_sheet(wb: Workbook, title: str = OFFER_SHEET, index: int | None = None) -> Worksheet:
    """Add an empty offer form named ``title`` to ``wb`` (at ``index``) and return it."""
    ws = _new_sheet(wb, title, index)
    _title(ws)
    _header_block(ws)
    _grid(ws)
    _totals(ws)
    _page(ws)
    return ws


def _new_sheet(wb: Workbook, title: str, index: int | None) -> Worksheet:
    ws = wb.create_sheet(title, index)
    assert isinstance(ws, Worksheet)
    return ws


def _title(ws: Worksheet) -> None:
    ws["A1"] = "Offert"
    ws["A1"].font = Font(name=FONT_NAME, size=16, bold=True, color="1F4E78")
    ws.row_dimensions[1].height = 24
    ws["A2"] = "Fyll i de gula cellerna. Läs bladet Instruktioner om du är osäker."
    ws["A2"].font = Font(name=FONT_NAME, italic=True, color="595959")


def _header_block(ws: Worksheet) -> None:
    for label, row in HEADER_ROWS.items():
        label_cell = ws[f"{LABEL_COLUMN}{row}"]
        label_cell.value = label
        label_cell.font = Font(name=FONT_NAME, bold=True)
        value_cell = ws[f"{VALUE_COLUMN}{row}"]
        value_cell.border = _BOX
        # the note is text the salesperson may break into lines, as Beskrivning
        wrap = label == "Meddelande"
        value_cell.alignment = Alignment(horizontal="left", wrap_text=wrap, vertical="top")
        value_cell.fill = _TOOL_FILL if label == "Offertnr" else _INPUT_FILL
        if label in DATE_LABELS:
            value_cell.number_format = DATE_FORMAT
        elif label in ("Kundnr", "Offertnr"):
            value_cell.number_format = TEXT_FORMAT
    name_label = ws[CUSTOMER_NAME_LABEL_CELL]
    name_label.value = CUSTOMER_NAME_LABEL
    name_label.font = Font(name=FONT_NAME, bold=True)
    name_label.alignment = Alignment(horizontal="right")
    ws.merge_cells(CUSTOMER_NAME_RANGE)
    name_cell = ws[CUSTOMER_NAME_CELL]
    name_cell.number_format = TEXT_FORMAT
    name_cell.alignment = Alignment(horizontal="left")
    for column in "EFGHI":
        merged = ws[f"{column}{HEADER_ROWS['Kundnr']}"]
        merged.border = _BOX
        merged.fill = _TOOL_FILL  # filled in by the tool (fill), like Offertnr
    ws[f"{VALUE_COLUMN}{HEADER_ROWS['Valuta']}"] = DEFAULT_CURRENCY
    note = ws[f"{VALUE_COLUMN}{NOTE_ROW}"]
    note.value = (
        "Offertnr fylls i av verktyget vid uppladdning (status i cellen till höger). Lämna tomt."
    )
    note.font = Font(name=FONT_NAME, italic=True, size=9, color="595959")


def _grid(ws: Worksheet) -> None:
    for name, letter in COLUMN.items():
        cell = ws[f"{letter}{GRID_HEADER_ROW}"]
        cell.value = name
        cell.font = Font(name=FONT_NAME, bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
        cell.border = _BOX
        cell.alignment = Alignment(
            horizontal="left" if name in ("Artikel", "Beskrivning", "Enhet") else "right"
        )
    c = COLUMN
    for row in range(FIRST_ROW, LAST_ROW + 1):
        for name, letter in c.items():
            cell = ws[f"{letter}{row}"]
            cell.border = _BOX
            cell.fill = _TOOL_FILL if name == "Summa" else _INPUT_FILL
        ws[f"{c['Artikel']}{row}"].number_format = TEXT_FORMAT
        ws[f"{c['Beskrivning']}{row}"].alignment = Alignment(wrap_text=True, vertical="top")
        ws[f"{c['Pris']}{row}"].number_format = AMOUNT_FORMAT
        ws[f"{c['Rabatt']}{row}"].number_format = PERCENT_FORMAT
        ws[f"{c['Moms']}{row}"].number_format = PERCENT_FORMAT
        qty, price, discount = (f"{c[n]}{row}" for n in ("Antal", "Pris", "Rabatt"))
        summa = ws[f"{c['Summa']}{row}"]
        summa.value = f'=IF(OR({qty}="",{price}=""),"",{qty}*{price}*(1-{discount}))'
        summa.number_format = AMOUNT_FORMAT
    units = DataValidation(
        type="list",
        formula1='"' + ",".join(UNITS) + '"',
        allow_blank=True,
        showErrorMessage=False,  # a unit not in the list is fine too
        showInputMessage=True,
        promptTitle="Enhet",
        prompt="Välj i listan eller skriv en egen enhet.",
    )
    units.add(f"{c['Enhet']}{FIRST_ROW}:{c['Enhet']}{LAST_ROW}")
    ws.add_data_validation(units)
    ws.freeze_panes = f"A{FIRST_ROW}"


def _totals(ws: Worksheet) -> None:
    summa = COLUMN["Summa"]
    moms = COLUMN["Moms"]
    summas = f"{summa}{FIRST_ROW}:{summa}{LAST_ROW}"
    rates = f"{moms}{FIRST_ROW}:{moms}{LAST_ROW}"
    excl, vat, due = TOTALS_ROW, TOTALS_ROW + 1, TOTALS_ROW + 2
    lines = (
        (excl, "Summa exkl. moms", f"=SUM({summas})"),
        (vat, "Moms", f"=SUMPRODUCT({summas},{rates})"),
        (due, "Att betala", f"={summa}{excl}+{summa}{vat}"),
    )
    for row, label, formula in lines:
        label_cell = ws[f"{TOTALS_LABEL_COLUMN}{row}"]
        label_cell.value = label
        label_cell.font = Font(name=FONT_NAME, bold=row != vat)
        label_cell.alignment = Alignment(horizontal="right")
        value_cell = ws[f"{TOTALS_VALUE_COLUMN}{row}"]
        value_cell.value = formula
        value_cell.number_format = AMOUNT_FORMAT
        value_cell.font = Font(name=FONT_NAME, bold=row != vat)
        value_cell.fill = _TOOL_FILL
    for letter in ("G", "H", "I"):
        ws[f"{letter}{excl}"].border = _TOP_RULE


def _page(ws: Worksheet) -> None:
    for letter, width in COLUMN_WIDTHS.items():
        ws.column_dimensions[letter].width = width
    ws.print_area = PRINT_AREA
    ws.print_title_rows = f"{GRID_HEADER_ROW}:{GRID_HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.gridLines = False


def add_instructions_sheet(
    wb: Workbook, title: str = INSTRUCTIONS_SHEET, index: int | None = None
) -> Worksheet:
    """Add the how-to sheet (Swedish, with a short English part) and return it.

    Every instruction is one cell in column A, so no row can look like a grid
    header to the converter. The column is as wide as an A4 page in portrait
    and every cell wraps; each row is given the height its wrapped text needs
    (spreadsheets size rows only as one types), so printed or on screen no
    line overlaps the next and nothing is cut off at the right edge.
    """
    ws = _new_sheet(wb, title, index)
    ws.column_dimensions["A"].width = INSTRUCTIONS_WIDTH
    for row, (style, text) in enumerate(_INSTRUCTIONS, start=1):
        if style == "-":
            ws.row_dimensions[row].height = _BLANK_HEIGHT
            continue
        cell = ws.cell(row=row, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        font, line_height, per_line = _INSTRUCTION_STYLES[style]
        cell.font = font
        ws.row_dimensions[row].height = wrapped_height(text, per_line, line_height)
    ws.sheet_view.showGridLines = False
    ws.print_area = f"A1:A{len(_INSTRUCTIONS)}"
    ws.page_margins = PageMargins(left=0.6, right=0.6, top=0.75, bottom=0.75)
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    return ws


# --------------------------------------------------------------------------- Artiklar

ARTICLES_SHEET = "Artiklar"
#: the Artiklar sheet's columns; no three of them are grid labels, so the sheet is no offer
ARTICLE_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Nummer", 14),
    ("Namn", 46),
    ("Enhet", 8),
    ("Listpris", 13),
)
#: right of the grid: what the Artiklar sheet says about the row's article, while
#: Beskrivning and Pris are empty (never read: no grid label)
LOOKUP_COLUMNS: dict[str, str] = {"Namn (Artiklar)": "J", "Listpris (Artiklar)": "K"}
UNKNOWN_ARTICLE_TEXT = "finns inte i Artiklar"


def add_articles(wb: Workbook, articles: Sequence[Article]) -> Worksheet:
    """Add the *Artiklar* sheet (number, name, unit, list price), a drop-down of its numbers
    on the offer sheet's Artikel column, and beside the grid formulas showing the name and
    list price of a typed article while its Beskrivning and Pris are empty.

    Values only, one style per column, no table object: a few thousand articles
    open at once in Excel and LibreOffice.
    """
    ws = _new_sheet(wb, ARTICLES_SHEET, None)
    for index, (title, width) in enumerate(ARTICLE_COLUMNS, 1):
        cell = ws.cell(1, index, title)
        cell.font = Font(name=FONT_NAME, bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
        ws.column_dimensions[get_column_letter(index)].width = width
    for row, article in enumerate(articles, 2):
        ws.cell(row, 1, article.number).number_format = TEXT_FORMAT
        ws.cell(row, 2, article.name or "")
        ws.cell(row, 3, article.unit or "")
        if article.list_price is not None:
            price = ws.cell(row, 4, float(article.list_price))
            price.number_format = AMOUNT_FORMAT
    last = max(len(articles) + 1, 2)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:D{last}"
    _article_lookups(wb[OFFER_SHEET], last)
    return ws


def _article_lookups(ws: Worksheet, last: int) -> None:
    """The Artikel drop-down and the name and list-price formulas on the offer sheet."""
    numbers = f"{ARTICLES_SHEET}!$A$2:$A${last}"
    table = f"{ARTICLES_SHEET}!$A$2:$D${last}"
    choose = DataValidation(
        type="list",
        formula1=numbers,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",  # an article newer than the list can still be typed
        errorTitle="Artikel",
        error="Artikeln finns inte i bladet Artiklar. Vill du använda den ändå?",
        showInputMessage=True,
        promptTitle="Artikel",
        prompt="Välj i listan (bladet Artiklar) eller skriv artikelnumret.",
    )
    artikel = COLUMN["Artikel"]
    choose.add(f"{artikel}{FIRST_ROW}:{artikel}{LAST_ROW}")
    ws.add_data_validation(choose)
    for title, letter in LOOKUP_COLUMNS.items():
        head = ws[f"{letter}{GRID_HEADER_ROW}"]
        head.value = title
        head.font = Font(name=FONT_NAME, bold=True, italic=True, color="595959")
        ws.column_dimensions[letter].width = 34 if letter == "J" else 16
    name_col, price_col = LOOKUP_COLUMNS.values()
    ws.print_area = f"A1:{price_col}{TOTALS_ROW + 2}"  # the looked-up names print too
    for row in range(FIRST_ROW, LAST_ROW + 1):
        article = f"${artikel}{row}"
        found = f'IFERROR(VLOOKUP({article},{table},{{col}},FALSE),"{UNKNOWN_ARTICLE_TEXT}")'
        text, price = (f"${COLUMN[c]}{row}" for c in ("Beskrivning", "Pris"))
        name = ws[f"{name_col}{row}"]
        name.value = f'=IF(OR({article}="",{text}<>""),"",{found.format(col=2)})'
        name.font = Font(name=FONT_NAME, italic=True, color="595959")
        list_price = ws[f"{price_col}{row}"]
        list_price.value = f'=IF(OR({article}="",{price}<>""),"",{found.format(col=4)})'
        list_price.number_format = AMOUNT_FORMAT
        list_price.font = Font(name=FONT_NAME, italic=True, color="595959")
