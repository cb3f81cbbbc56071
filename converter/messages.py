"""Every message a salesperson can see, in English and Swedish.

Problems carry a ``code`` and parameters; the text is rendered here, so the
same problem reads in the user's language. Both catalogues must have the same
keys and the same placeholders (a test checks it). Field names stay the
salesperson's words from the sheet: Kundnr, Antal, Pris.
"""

from __future__ import annotations

import locale
import os
from decimal import Decimal
from typing import Literal

Lang = Literal["en", "sv"]

EN: dict[str, str] = {
    # cell values
    "not_a_number": "{field} {value!r} is not a number",
    "ambiguous_number": (
        "{field} {value!r} is ambiguous: it could be a thousand or a decimal. "
        "Type it as 1250 or 1,25 (or make the cell a number cell)"
    ),
    "number_too_large": "{field} {value!r} is too large. Check the number",
    "date_not_number": "{field} holds a date or time ({value}), not a number",
    "unexpected_percent": "{field} {value!r} has a % sign, but {field} is not a percentage",
    "bad_date": "{field} {value!r} is not a real date",
    "text_date": (
        "{field} {value!r} is not a date we can read safely. "
        "Write it as YYYY-MM-DD (2026-01-30) or format the cell as a date"
    ),
    "not_a_date": "{field} {value!r} is not a date. Format the cell as a date",
    "not_text": "{field} {value!r} is not text",
    "date_not_text": "{field} holds a date or time ({value}); type the {field} as text",
    "formula_error": "{field} shows the error {value}. Fix the formula",
    "formula_no_value": (
        "{field} is a formula with no saved result. Open the file in Excel or LibreOffice "
        "and save it, so that the result is stored"
    ),
    # the sheet's layout
    "missing_label": (
        "no {field} label on this sheet. Add a cell '{field}' above the grid, "
        "with the value in the cell to its right"
    ),
    "missing_value": "{field} is empty. Fill it in, in the cell right of the {field} label",
    "missing_cell": "{field} is missing on this product row (Artikel {article})",
    "priced_without_article": (
        "priced row without Artikel: fill in the Artikel, or clear Antal and Pris "
        "to make it a text row"
    ),
    "percent_range": "{field} {value} % must be between 0 and 100",
    "small_percent": (
        "{field} {value} is read as {value} %. If you meant {scaled} %, type {scaled} "
        "or format the cell as a percentage"
    ),
    "rad_not_integer": "Rad {value!r} must be a whole number of 1 or more",
    "rad_missing": "Rad is empty here, but other rows have one. Number every row, or none",
    "rad_order": "Rad {value} must be greater than the Rad above it ({previous})",
    "summa_mismatch": ("Summa {value} does not match Antal × Pris × (1 − Rabatt) = {expected}"),
    "summa_not_number": "Summa {value!r} is not a number, so it was not checked",
    "summa_no_value": (
        "Summa is a formula with no saved result, so it was not checked. "
        "Save the file in Excel or LibreOffice to store it"
    ),
    "duplicate_column": "a second {field} column; the first one, {first}, is used",
    "duplicate_label": "a second {field} label; the first one, {first}, is used",
    "no_rows": "the offer has no rows. Add at least one row under the grid's header",
    # sheets and files
    "sheet_hidden": "skipped: hidden sheet",
    "sheet_no_grid": (
        "skipped: no grid (no header row with Artikel or Beskrivning, Antal, Pris …)"
    ),
    "no_offers": (
        "no offer found: no visible sheet has a grid header row "
        "(Rad, Artikel, Beskrivning, Antal, Enhet, Pris, …)"
    ),
    # upload and write-back
    "upload_created": "Offer {offer_nr} created for Kundnr {customer} ({rows} rows, {total} kr)",
    "upload_recovered": (
        "Offer {offer_nr} found in SoftOne GO: an earlier run was interrupted after sending it. "
        "Not sent again"
    ),
    "upload_updated": (
        "Offer {offer_nr} updated: the whole offer was sent again with InvoiceId {invoice_id}"
    ),
    "upload_skipped": "already offer {offer_nr}, unchanged: not sent again",
    "upload_refused": (
        "SoftOne GO refused the offer on sheet '{sheet}' (Kundnr {customer}): {reason}"
    ),
    "upload_not_valid": (
        "not uploaded: the sheet has {count} error(s). "
        "Run `offer-converter validate` on the file to see them"
    ),
    "upload_offer_nr_unknown": (
        "not uploaded: Offertnr already shows {offer_nr}, but this workbook has no record of "
        "that upload. Clear Offertnr to create a new offer"
    ),
    "upload_error": (
        "not uploaded: {reason}. The next run checks whether it arrived before sending again"
    ),
    "writeback_saved": "offer numbers written into the workbook (backup: {backup})",
    "writeback_failed": (
        "{reason} The results are kept: the next upload of this file writes them in "
        "without sending the offers again"
    ),
    "writeback_results_file": ("this file can't be written back safely; the results are in {path}"),
    "status_created": "Uploaded {time}",
    "status_updated": "Updated {time}",
    "status_failed": "Error: {reason}",
    "summary_counts": "{created} created, {updated} updated, {skipped} unchanged, {failed} failed",
    "file_not_found": "{file}: file not found",
    "file_is_folder": "{file}: a folder with no .xlsx or .xlsm workbook in it",
    "file_locked": (
        "{file}: cannot open the file; it may be open in Excel. Close it and try again"
    ),
    "file_unreadable": "{file}: cannot read the file ({reason})",
    "old_or_protected": (
        "{file}: this is a password-protected workbook or an old Excel 97-2003 (.xls) file. "
        "Remove the password, or save it as .xlsx, and try again"
    ),
    "not_a_workbook": "{file}: not an Excel workbook (.xlsx or .xlsm)",
    "strict_ooxml": (
        "{file}: saved as Strict Open XML, which can't be read. Save it as an ordinary "
        "Excel workbook (.xlsx) and try again"
    ),
    "not_readable_workbook": "{file}: not a readable Excel workbook ({reason})",
    "damaged_workbook": "{file}: the workbook is damaged ({reason})",
    "package_too_large": (
        "{file}: refused: the file unpacks to far more than an offer workbook can hold "
        "({reason}). It may be damaged or made to attack the reader"
    ),
    "offer_ok": "OK: Kundnr {customer}, {date}, {rows} rows, {total} excl. VAT",
    # --- drop and setup (issue 4): add keys below ---
    # --- migrate (issue 5): add keys below ---
}

SV: dict[str, str] = {
    "not_a_number": "{field} {value!r} är inte ett tal",
    "ambiguous_number": (
        "{field} {value!r} är tvetydigt: det kan vara tusental eller decimaler. "
        "Skriv 1250 eller 1,25 (eller gör cellen till en talcell)"
    ),
    "number_too_large": "{field} {value!r} är för stort. Kontrollera talet",
    "date_not_number": "{field} innehåller ett datum eller en tid ({value}), inte ett tal",
    "unexpected_percent": "{field} {value!r} har ett %-tecken, men {field} är inte en procentsats",
    "bad_date": "{field} {value!r} är inget riktigt datum",
    "text_date": (
        "{field} {value!r} är inget datum vi kan läsa säkert. "
        "Skriv det som ÅÅÅÅ-MM-DD (2026-01-30) eller formatera cellen som datum"
    ),
    "not_a_date": "{field} {value!r} är inget datum. Formatera cellen som datum",
    "not_text": "{field} {value!r} är ingen text",
    "date_not_text": "{field} innehåller ett datum eller en tid ({value}); skriv {field} som text",
    "formula_error": "{field} visar felet {value}. Rätta formeln",
    "formula_no_value": (
        "{field} är en formel utan sparat resultat. Öppna filen i Excel eller LibreOffice "
        "och spara den, så att resultatet lagras"
    ),
    "missing_label": (
        "etiketten {field} saknas på bladet. Lägg till en cell '{field}' ovanför raderna, "
        "med värdet i cellen till höger"
    ),
    "missing_value": "{field} är tomt. Fyll i det i cellen till höger om etiketten {field}",
    "missing_cell": "{field} saknas på artikelraden (Artikel {article})",
    "priced_without_article": (
        "rad med pris men utan Artikel: fyll i Artikel, eller töm Antal och Pris "
        "för att göra den till en textrad"
    ),
    "percent_range": "{field} {value} % måste vara mellan 0 och 100",
    "small_percent": (
        "{field} {value} läses som {value} %. Menade du {scaled} %, skriv {scaled} "
        "eller formatera cellen som procent"
    ),
    "rad_not_integer": "Rad {value!r} måste vara ett heltal, 1 eller större",
    "rad_missing": "Rad är tom här, men andra rader har nummer. Numrera alla rader eller ingen",
    "rad_order": "Rad {value} måste vara större än raden ovanför ({previous})",
    "summa_mismatch": ("Summa {value} stämmer inte med Antal × Pris × (1 − Rabatt) = {expected}"),
    "summa_not_number": "Summa {value!r} är inget tal och kontrollerades inte",
    "summa_no_value": (
        "Summa är en formel utan sparat resultat och kontrollerades inte. "
        "Spara filen i Excel eller LibreOffice så att resultatet lagras"
    ),
    "duplicate_column": "en andra kolumn {field}; den första, {first}, används",
    "duplicate_label": "en andra etikett {field}; den första, {first}, används",
    "no_rows": "offerten har inga rader. Lägg till minst en rad under rubrikraden",
    "sheet_hidden": "hoppades över: dolt blad",
    "sheet_no_grid": (
        "hoppades över: inga offertrader (ingen rubrikrad med Artikel eller Beskrivning, "
        "Antal, Pris …)"
    ),
    "no_offers": (
        "ingen offert hittades: inget synligt blad har en rubrikrad "
        "(Rad, Artikel, Beskrivning, Antal, Enhet, Pris, …)"
    ),
    "upload_created": "Offert {offer_nr} skapad för kund {customer} ({rows} rader, {total} kr)",
    "upload_recovered": (
        "Offert {offer_nr} finns redan i SoftOne GO: en tidigare körning avbröts efter att den "
        "skickats. Skickades inte igen"
    ),
    "upload_updated": (
        "Offert {offer_nr} uppdaterad: hela offerten skickades igen med InvoiceId {invoice_id}"
    ),
    "upload_skipped": "redan offert {offer_nr}, oförändrad: skickades inte igen",
    "upload_refused": (
        "SoftOne GO tog inte emot offerten på bladet '{sheet}' (Kundnr {customer}): {reason}"
    ),
    "upload_not_valid": (
        "inte uppladdad: bladet har {count} fel. "
        "Kör `offer-converter validate` på filen för att se dem"
    ),
    "upload_offer_nr_unknown": (
        "inte uppladdad: Offertnr visar redan {offer_nr}, men arbetsboken saknar uppgift om "
        "den uppladdningen. Töm Offertnr för att skapa en ny offert"
    ),
    "upload_error": (
        "inte uppladdad: {reason}. Nästa körning kontrollerar om den kom fram innan den "
        "skickas igen"
    ),
    "writeback_saved": "offertnumren skrevs in i arbetsboken (säkerhetskopia: {backup})",
    "writeback_failed": (
        "{reason} Resultaten är sparade: nästa uppladdning av filen skriver in dem "
        "utan att skicka offerterna igen"
    ),
    "writeback_results_file": ("filen kan inte skrivas tillbaka säkert; resultaten finns i {path}"),
    "status_created": "Uppladdad {time}",
    "status_updated": "Uppdaterad {time}",
    "status_failed": "Fel: {reason}",
    "summary_counts": (
        "{created} skapade, {updated} uppdaterade, {skipped} oförändrade, {failed} misslyckade"
    ),
    "file_not_found": "{file}: filen finns inte",
    "file_is_folder": "{file}: en mapp utan .xlsx- eller .xlsm-arbetsbok",
    "file_locked": (
        "{file}: filen går inte att öppna; den är kanske öppen i Excel. Stäng den och försök igen"
    ),
    "file_unreadable": "{file}: filen går inte att läsa ({reason})",
    "old_or_protected": (
        "{file}: arbetsboken är lösenordsskyddad eller en gammal Excel 97-2003-fil (.xls). "
        "Ta bort lösenordet, eller spara den som .xlsx, och försök igen"
    ),
    "not_a_workbook": "{file}: ingen Excel-arbetsbok (.xlsx eller .xlsm)",
    "strict_ooxml": (
        "{file}: sparad som Strict Open XML, som inte går att läsa. Spara den som en vanlig "
        "Excel-arbetsbok (.xlsx) och försök igen"
    ),
    "not_readable_workbook": "{file}: ingen läsbar Excel-arbetsbok ({reason})",
    "damaged_workbook": "{file}: arbetsboken är skadad ({reason})",
    "package_too_large": (
        "{file}: avvisad: filen packas upp till långt mer än en offert kan innehålla "
        "({reason}). Den kan vara skadad eller gjord för att angripa läsaren"
    ),
    "offer_ok": "OK: Kundnr {customer}, {date}, {rows} rader, {total} exkl. moms",
    # --- drop and setup (issue 4): add keys below ---
    # --- migrate (issue 5): add keys below ---
}

CATALOGUES: dict[Lang, dict[str, str]] = {"en": EN, "sv": SV}


def system_lang() -> Lang:
    """Swedish when the system language is Swedish, English otherwise."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "sv" if value.lower().startswith("sv") else "en"
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return "sv" if code.lower().startswith("sv") else "en"


def format_amount(value: Decimal, lang: Lang) -> str:
    """``10550`` → ``10 550,00`` (Swedish) or ``10,550.00`` (English)."""
    text = f"{value:,.2f}"
    if lang == "sv":
        return text.replace(",", "\u00a0").replace(".", ",")
    return text


def render(code: str, lang: Lang = "en", **params: object) -> str:
    """The message for ``code`` in ``lang`` with ``params`` filled in."""
    shown = {k: format_amount(v, lang) if isinstance(v, Decimal) else v for k, v in params.items()}
    return CATALOGUES[lang][code].format(**shown)
