"""Every message a user can see, English and Swedish side by side.

One entry per key, so a reviewer reads both texts at once. Both texts must have
the same placeholders (``tests/test_messages.py`` checks it). Field names stay the
salesperson's words from the sheet: Kundnr, Antal, Pris. This module imports
nothing from the package: everything else renders through it.
"""

from __future__ import annotations

from typing import NamedTuple


class _(NamedTuple):
    """One message: its English and its Swedish text."""

    en: str
    sv: str


MESSAGES: dict[str, _] = {
    # start-up
    "safe_xml_required": _(
        en=(
            "offer-converter needs defusedxml to read workbooks safely: install it, and do not "
            "set OPENPYXL_DEFUSEDXML=False"
        ),
        sv=(
            "offer-converter behöver defusedxml för att läsa arbetsböcker säkert: installera det, "
            "och sätt inte OPENPYXL_DEFUSEDXML=False"
        ),
    ),
    # cell values
    "not_a_number": _(
        en="{field} {value!r} is not a number",
        sv="{field} {value!r} är inte ett tal",
    ),
    "ambiguous_number": _(
        en=(
            "{field} {value!r} is ambiguous: it could be a thousand or a decimal. Type it as 1250 "
            "or 1,25 (or make the cell a number cell)"
        ),
        sv=(
            "{field} {value!r} är tvetydigt: det kan vara tusental eller decimaler. Skriv 1250 "
            "eller 1,25 (eller gör cellen till en talcell)"
        ),
    ),
    "number_too_large": _(
        en="{field} {value!r} is too large. Check the number",
        sv="{field} {value!r} är för stort. Kontrollera talet",
    ),
    "date_not_number": _(
        en="{field} holds a date or time ({value}), not a number",
        sv="{field} innehåller ett datum eller en tid ({value}), inte ett tal",
    ),
    "unexpected_percent": _(
        en="{field} {value!r} has a % sign, but {field} is not a percentage",
        sv="{field} {value!r} har ett %-tecken, men {field} är inte en procentsats",
    ),
    "bad_date": _(
        en="{field} {value!r} is not a real date",
        sv="{field} {value!r} är inget riktigt datum",
    ),
    "text_date": _(
        en=(
            "{field} {value!r} is not a date we can read safely. Write it as YYYY-MM-DD "
            "(2026-01-30) or format the cell as a date"
        ),
        sv=(
            "{field} {value!r} är inget datum vi kan läsa säkert. Skriv det som ÅÅÅÅ-MM-DD "
            "(2026-01-30) eller formatera cellen som datum"
        ),
    ),
    "not_a_date": _(
        en="{field} {value!r} is not a date. Format the cell as a date",
        sv="{field} {value!r} är inget datum. Formatera cellen som datum",
    ),
    "not_text": _(
        en="{field} {value!r} is not text",
        sv="{field} {value!r} är ingen text",
    ),
    "number_format_unsupported": _(
        en=(
            "{field} is shown through the number format {value}, which can't be read exactly "
            "(a condition, a fraction, scientific notation, ...); format the cell as Text and "
            "type the {field} as it should be sent"
        ),
        sv=(
            "{field} visas med talformatet {value}, som inte kan läsas exakt (ett villkor, ett "
            "bråk, grundpotensform, …); formatera cellen som Text och skriv {field} som det "
            "ska skickas"
        ),
    ),
    "date_not_text": _(
        en="{field} holds a date or time ({value}); type the {field} as text",
        sv="{field} innehåller ett datum eller en tid ({value}); skriv {field} som text",
    ),
    "formula_error": _(
        en="{field} shows the error {value}. Fix the formula",
        sv="{field} visar felet {value}. Rätta formeln",
    ),
    "formula_no_value": _(
        en=(
            "{field} is a formula with no saved result. Open the file in Excel or LibreOffice and "
            "save it, so that the result is stored"
        ),
        sv=(
            "{field} är en formel utan sparat resultat. Öppna filen i Excel eller LibreOffice och "
            "spara den, så att resultatet lagras"
        ),
    ),
    # the sheet's layout
    "missing_label": _(
        en=(
            "no {field} label on this sheet. Add a cell '{field}' above the grid, with the value "
            "in the cell to its right"
        ),
        sv=(
            "etiketten {field} saknas på bladet. Lägg till en cell '{field}' ovanför raderna, med "
            "värdet i cellen till höger"
        ),
    ),
    "missing_value": _(
        en="{field} is empty. Fill it in, in the cell right of the {field} label",
        sv="{field} är tomt. Fyll i det i cellen till höger om etiketten {field}",
    ),
    "missing_cell": _(
        en="{field} is missing on this product row (Artikel {article})",
        sv="{field} saknas på artikelraden (Artikel {article})",
    ),
    "priced_without_article": _(
        en=(
            "priced row without Artikel: fill in the Artikel, or clear Antal and Pris to make it a "
            "text row"
        ),
        sv=(
            "rad med pris men utan Artikel: fyll i Artikel, eller töm Antal och Pris för att göra "
            "den till en textrad"
        ),
    ),
    "percent_range": _(
        en="{field} {value} % must be between 0 and 100",
        sv="{field} {value} % måste vara mellan 0 och 100",
    ),
    "small_percent": _(
        en=(
            "{field} {value} is read as {value} %. If you meant {scaled} %, type {scaled} or "
            "format the cell as a percentage"
        ),
        sv=(
            "{field} {value} läses som {value} %. Menade du {scaled} %, skriv {scaled} eller "
            "formatera cellen som procent"
        ),
    ),
    "rad_not_integer": _(
        en="Rad {value!r} must be a whole number of 1 or more",
        sv="Rad {value!r} måste vara ett heltal, 1 eller större",
    ),
    "rad_missing": _(
        en="Rad is empty here, but other rows have one. Number every row, or none",
        sv="Rad är tom här, men andra rader har nummer. Numrera alla rader eller ingen",
    ),
    "rad_order": _(
        en="Rad {value} must be greater than the Rad above it ({previous})",
        sv="Rad {value} måste vara större än raden ovanför ({previous})",
    ),
    "summa_mismatch": _(
        en="Summa {value} does not match Antal × Pris × (1 − Rabatt) = {expected}",
        sv="Summa {value} stämmer inte med Antal × Pris × (1 − Rabatt) = {expected}",
    ),
    "summa_not_number": _(
        en="Summa {value!r} is not a number, so it was not checked",
        sv="Summa {value!r} är inget tal och kontrollerades inte",
    ),
    "summa_no_value": _(
        en=(
            "Summa is a formula with no saved result, so it was not checked. Save the file in "
            "Excel or LibreOffice to store it"
        ),
        sv=(
            "Summa är en formel utan sparat resultat och kontrollerades inte. Spara filen i Excel "
            "eller LibreOffice så att resultatet lagras"
        ),
    ),
    "duplicate_column": _(
        en="a second {field} column; the first one, {first}, is used",
        sv="en andra kolumn {field}; den första, {first}, används",
    ),
    "duplicate_label": _(
        en="a second {field} label; the first one, {first}, is used",
        sv="en andra etikett {field}; den första, {first}, används",
    ),
    "no_rows": _(
        en="the offer has no rows. Add at least one row under the grid's header",
        sv="offerten har inga rader. Lägg till minst en rad under rubrikraden",
    ),
    # sheets and files
    "sheet_hidden": _(
        en="skipped: hidden sheet",
        sv="hoppades över: dolt blad",
    ),
    "sheet_no_grid": _(
        en="skipped: no grid (no header row with Artikel or Beskrivning, Antal, Pris …)",
        sv=(
            "hoppades över: inga offertrader (ingen rubrikrad med Artikel eller Beskrivning, "
            "Antal, Pris …)"
        ),
    ),
    "sheet_no_header": _(
        en=(
            "skipped: rows like an offer's, but no header block above them (Kundnr, "
            "Offertdatum, Offertnr, …): a price list or another table, not an offer"
        ),
        sv=(
            "hoppades över: rader som en offerts, men inget huvud ovanför dem (Kundnr, "
            "Offertdatum, Offertnr …): en prislista eller annan tabell, inte en offert"
        ),
    ),
    "no_offers": _(
        en=(
            "no offer found: no visible sheet has a grid header row (Rad, Artikel, Beskrivning, "
            "Antal, Enhet, Pris, …)"
        ),
        sv=(
            "ingen offert hittades: inget synligt blad har en rubrikrad (Rad, Artikel, "
            "Beskrivning, Antal, Enhet, Pris, …)"
        ),
    ),
    # upload and write-back
    "upload_created": _(
        en="Offer {offer_nr} created for {customer} ({rows} rows, {total} kr)",
        sv="Offert {offer_nr} skapad för {customer} ({rows} rader, {total} kr)",
    ),
    "customer_nr_only": _(
        en="Kundnr {customer}",
        sv="kund {customer}",
    ),
    "upload_recovered": _(
        en=(
            "Offer {offer_nr} found in SoftOne GO: an earlier run was interrupted after sending "
            "it. Not sent again"
        ),
        sv=(
            "Offert {offer_nr} finns redan i SoftOne GO: en tidigare körning avbröts efter att den "
            "skickats. Skickades inte igen"
        ),
    ),
    "upload_updated": _(
        en=(
            "Offer {offer_nr} updated: the whole offer was sent again with InvoiceId {invoice_id}, "
            "and SoftOne GO now holds what the sheet says"
        ),
        sv=(
            "Offert {offer_nr} uppdaterad: hela offerten skickades igen med InvoiceId "
            "{invoice_id}, och SoftOne GO har nu det som står i arket"
        ),
    ),
    "upload_skipped": _(
        en="already offer {offer_nr}, unchanged: not sent again",
        sv="redan offert {offer_nr}, oförändrad: skickades inte igen",
    ),
    "workbook_busy": _(
        en=(
            "{file} is being uploaded right now by another upload ({user} on {host}, since "
            "{since}): wait until it is done, then drop the file again. Not uploaded; nothing "
            "was sent"
        ),
        sv=(
            "{file} laddas upp just nu av en annan uppladdning ({user} på {host}, sedan "
            "{since}): vänta tills den är klar och släpp sedan filen igen. Inte uppladdad; "
            "inget skickades"
        ),
    ),
    "workbook_lock_failed": _(
        en=(
            "{file} can't be locked for the upload ({reason}): the folder can't be written. "
            "Save the file in a folder you can write to and drop it again. Not uploaded; "
            "nothing was sent"
        ),
        sv=(
            "{file} kan inte låsas för uppladdningen ({reason}): mappen går inte att skriva i. "
            "Spara filen i en mapp du kan skriva i och släpp den igen. Inte uppladdad; inget "
            "skickades"
        ),
    ),
    "workbook_open_in_excel": _(
        en=(
            "{file} is open in Excel ({user}): Excel would later save its copy over the offer "
            "numbers. Close the file in Excel and drop it again. Not uploaded; nothing was sent. "
            "(If Excel is not running on any computer, {owner} was left by a crash: delete it)"
        ),
        sv=(
            "{file} är öppen i Excel ({user}): Excel skulle senare spara sin kopia över "
            "offertnumren. Stäng filen i Excel och släpp den igen. Inte uppladdad; inget "
            "skickades. (Om Excel inte är igång på någon dator blev {owner} kvar efter en krasch: "
            "ta bort den)"
        ),
    ),
    "workbook_open_in_libreoffice": _(
        en=(
            "{file} is open in LibreOffice ({user} on {host}, since {since}): LibreOffice would "
            "later save its copy over the offer numbers. Close the file in LibreOffice and drop "
            "it again. Not uploaded; nothing was sent"
        ),
        sv=(
            "{file} är öppen i LibreOffice ({user} på {host}, sedan {since}): LibreOffice skulle "
            "senare spara sin kopia över offertnumren. Stäng filen i LibreOffice och släpp den "
            "igen. Inte uppladdad; inget skickades"
        ),
    ),
    "editor_lock_leftover": _(
        en=(
            "{owner} says LibreOffice has {file} open on this computer since {since}, but "
            "LibreOffice is not running: the lock was left by a crash and is ignored"
        ),
        sv=(
            "{owner} anger att LibreOffice har {file} öppen på den här datorn sedan {since}, men "
            "LibreOffice är inte igång: låset blev kvar efter en krasch och bortses från"
        ),
    ),
    "claim_failed": _(
        en=(
            "{reason} Nothing was sent: the offers are uploaded only once the workbook can take "
            "their numbers. Close the file in Excel and drop it again"
        ),
        sv=(
            "{reason} Inget skickades: offerterna laddas upp först när arbetsboken kan ta emot "
            "sina nummer. Stäng filen i Excel och släpp den igen"
        ),
    ),
    "upload_not_claimed": _(
        en="not uploaded: the workbook can't be written ({reason}); nothing was sent",
        sv="inte uppladdad: arbetsboken går inte att skriva ({reason}); inget skickades",
    ),
    "journal_rebuilt": _(
        en=(
            "The upload journal was damaged; it is kept as {path} (send it to whoever helps you) "
            "and a new one is started. Nothing is sent twice: each workbook says which offers "
            "it holds, and SoftOne GO is asked before anything is created"
        ),
        sv=(
            "Uppladdningsjournalen var skadad; den är sparad som {path} (skicka den till den som "
            "hjälper dig) och en ny har påbörjats. Inget skickas två gånger: varje arbetsbok "
            "anger vilka offerter den har, och SoftOne GO tillfrågas innan något skapas"
        ),
    ),
    "upload_recognised": _(
        en=(
            "already offer {offer_nr}: this sheet was uploaded before with the same content (from "
            "{file}), but the workbook had lost its number (an older copy saved over it, or Save "
            "As before the number was written in). The number is written in again; not sent "
            "again"
        ),
        sv=(
            "redan offert {offer_nr}: bladet är uppladdat tidigare med samma innehåll (från "
            "{file}), men arbetsboken hade tappat numret (en äldre kopia sparad över den, eller "
            "Spara som innan numret skrevs in). Numret skrivs in igen; skickades inte igen"
        ),
    ),
    "upload_duplicate": _(
        en=(
            "DUPLICATE: SoftOne GO holds more than one offer for sheet {sheet}: {offer_nr} and "
            "{others} (a request SoftOne GO saved after it stopped answering). {offer_nr} is "
            "written into the workbook; delete {others} in SoftOne GO"
        ),
        sv=(
            "DUBBLETT: SoftOne GO har mer än en offert för bladet {sheet}: {offer_nr} och "
            "{others} (en begäran som SoftOne GO sparade efter att den slutat svara). {offer_nr} "
            "skrivs in i arbetsboken; ta bort {others} i SoftOne GO"
        ),
    ),
    "upload_skipped_copy": _(
        en="already offer {offer_nr} (a copy of {file}), unchanged: not sent again",
        sv="redan offert {offer_nr} (en kopia av {file}), oförändrad: skickades inte igen",
    ),
    # checked before sending (converter.erp.lookups) and read back after (converter.erp.readback)
    "customer_not_in_go": _(
        en="Kundnr {customer} is not a customer in SoftOne GO; the offer was not sent",
        sv="Kundnr {customer} finns inte som kund i SoftOne GO; offerten skickades inte",
    ),
    "article_not_in_go": _(
        en="Artikel {article} is not in SoftOne GO; the offer was not sent",
        sv="Artikel {article} finns inte i SoftOne GO; offerten skickades inte",
    ),
    "article_inactive_in_go": _(
        en="Artikel {article} is inactive in SoftOne GO; the offer was not sent",
        sv="Artikel {article} är inaktiv i SoftOne GO; offerten skickades inte",
    ),
    "article_not_in_go_warn": _(
        en=(
            "Artikel {article} is not in SoftOne GO: SoftOne GO books the row on its "
            "miscellaneous article"
        ),
        sv=(
            "Artikel {article} finns inte i SoftOne GO: SoftOne GO bokar raden på sin "
            "övrigt-artikel"
        ),
    ),
    "article_inactive_in_go_warn": _(
        en=(
            "Artikel {article} is inactive in SoftOne GO: SoftOne GO books the row on its "
            "miscellaneous article"
        ),
        sv=(
            "Artikel {article} är inaktiv i SoftOne GO: SoftOne GO bokar raden på sin "
            "övrigt-artikel"
        ),
    ),
    "customer_changed": _(
        en=(
            "The offer was uploaded as {offer_nr} for customer {old}; for a new offer to {new}, "
            "clear the Offertnr cell"
        ),
        sv=(
            "Offerten laddades upp som {offer_nr} för kund {old}; för en ny offert till {new}, "
            "töm Offertnr-cellen"
        ),
    ),
    "copy_changed": _(
        en=(
            "This workbook is a copy of {file}, uploaded as offer {offer_nr}. To make a new offer "
            "of it, clear the Offertnr cell; to change offer {offer_nr}, change {file}"
        ),
        sv=(
            "Arbetsboken är en kopia av {file}, som laddades upp som offert {offer_nr}. Töm "
            "Offertnr-cellen för att göra en ny offert av den; ändra i {file} för att ändra "
            "offert {offer_nr}"
        ),
    ),
    "lookup_failed": _(
        en="the customer and articles could not be looked up in SoftOne GO ({reason})",
        sv="kunden och artiklarna kunde inte slås upp i SoftOne GO ({reason})",
    ),
    "lookup_failed_offer": _(
        en="not checked: {reason}. Try again in a while",
        sv="inte kontrollerad: {reason}. Försök igen om en stund",
    ),
    "unexpected_lookup_reply": _(
        en="SoftOne GO sent an unexpected reply to an article or customer look-up",
        sv="SoftOne GO svarade oväntat när en artikel eller kund slogs upp",
    ),
    "upload_not_checked": _(
        en="not sent: {reason}. Nothing is sent unchecked; try again in a while",
        sv="skickades inte: {reason}. Inget skickas okontrollerat; försök igen om en stund",
    ),
    "upload_not_sent": _(
        en="{problem}",
        sv="{problem}",
    ),
    "upload_not_sent_more": _(
        en="{problem} ({more} more: `offer-converter validate --online` lists them all)",
        sv="{problem} ({more} till: `offer-converter validate --online` visar alla)",
    ),
    "readback_failed": _(
        en=(
            "Offer {offer_nr} was saved, but could not be read back to check it ({reason}). The "
            "next run sends it again and checks it"
        ),
        sv=(
            "Offert {offer_nr} sparades, men gick inte att läsa tillbaka för kontroll ({reason}). "
            "Nästa körning skickar den igen och kontrollerar den"
        ),
    ),
    "readback_created_differs": _(
        en=(
            "Offer {offer_nr} was created for {customer}, but SoftOne GO holds something else than "
            "the sheet: {differences}. Correct the offer in SoftOne GO"
        ),
        sv=(
            "Offert {offer_nr} skapades för {customer}, men SoftOne GO har något annat än arket: "
            "{differences}. Rätta offerten i SoftOne GO"
        ),
    ),
    "readback_rows_kept": _(
        en=(
            "Offer {offer_nr}: the changes above the rows were saved, but SoftOne GO kept its old "
            "rows (it does not replace the rows of an offer that has rows): {differences}. Change "
            "the rows in SoftOne GO, or clear the Offertnr cell and drop the file again to create "
            "a new offer"
        ),
        sv=(
            "Offert {offer_nr}: ändringarna ovanför raderna sparades, men SoftOne GO behöll de "
            "gamla raderna (den byter inte rader på en offert som har rader): {differences}. "
            "Ändra raderna i SoftOne GO, eller töm Offertnr-cellen och släpp filen igen för att "
            "skapa en ny offert"
        ),
    ),
    "readback_updated_differs": _(
        en=(
            "Offer {offer_nr} was updated, but SoftOne GO holds something else than the sheet: "
            "{differences}. Check the offer in SoftOne GO"
        ),
        sv=(
            "Offert {offer_nr} uppdaterades, men SoftOne GO har något annat än arket: "
            "{differences}. Kontrollera offerten i SoftOne GO"
        ),
    ),
    "update_not_editable": _(
        en=(
            "Offer {offer_nr} can no longer be changed: it is {state} in SoftOne GO. Make the "
            "change in SoftOne GO, or clear the Offertnr cell and drop the file again to create "
            "a new offer"
        ),
        sv=(
            "Offert {offer_nr} kan inte längre ändras: den är {state} i SoftOne GO. Gör ändringen "
            "i SoftOne GO, eller töm Offertnr-cellen och släpp filen igen för att skapa en ny "
            "offert"
        ),
    ),
    "offer_state_ordered": _(en="ordered", sv="beställd"),
    "offer_state_invoiced": _(en="invoiced", sv="fakturerad"),
    "offer_state_closed": _(en="closed", sv="stängd"),
    "offer_state_other": _(en="in status {status}", sv="i status {status}"),
    "diff_missing": _(
        en="SoftOne GO does not show the offer when asked for it",
        sv="SoftOne GO visar inte offerten när den efterfrågas",
    ),
    "diff_row_count": _(
        en="SoftOne GO has {go} rows, the sheet {sheet}",
        sv="SoftOne GO har {go} rader, arket {sheet}",
    ),
    "diff_total": _(
        en="SoftOne GO's total is {go} kr, the sheet's {sheet} kr",
        sv="SoftOne GO:s summa är {go} kr, arkets {sheet} kr",
    ),
    "diff_go_article_row": _(
        en="Rad {row}: SoftOne GO has article {go}, the sheet a text row",
        sv="Rad {row}: SoftOne GO har artikel {go}, arket en textrad",
    ),
    "diff_go_text_row": _(
        en="Rad {row}: SoftOne GO has a text row, the sheet article {sheet}",
        sv="Rad {row}: SoftOne GO har en textrad, arket artikel {sheet}",
    ),
    "diff_article": _(
        en="Rad {row}: SoftOne GO has article {go}, the sheet says {sheet}",
        sv="Rad {row}: SoftOne GO har artikel {go}, arket säger {sheet}",
    ),
    "diff_quantity": _(
        en="Rad {row}: SoftOne GO has {go} × {article}, the sheet says {sheet}",
        sv="Rad {row}: SoftOne GO har {go} × {article}, arket säger {sheet}",
    ),
    "diff_price": _(
        en="Rad {row}: SoftOne GO has Pris {go} kr for {article}, the sheet says {sheet} kr",
        sv="Rad {row}: SoftOne GO har priset {go} kr för {article}, arket säger {sheet} kr",
    ),
    "diff_discount": _(
        en="Rad {row}: SoftOne GO has Rabatt {go} % on {article}, the sheet says {sheet} %",
        sv="Rad {row}: SoftOne GO har rabatt {go} % på {article}, arket säger {sheet} %",
    ),
    "diff_unit": _(
        en="Rad {row}: SoftOne GO has Enhet {go} for {article}, the sheet says {sheet}",
        sv="Rad {row}: SoftOne GO har enheten {go} för {article}, arket säger {sheet}",
    ),
    "diff_text": _(
        en="Rad {row}: SoftOne GO has the text “{go}”, the sheet says “{sheet}”",
        sv="Rad {row}: SoftOne GO har texten ”{go}”, arket säger ”{sheet}”",
    ),
    "diff_more": _(
        en="{shown}; and {more} more",
        sv="{shown}; och {more} till",
    ),
    "upload_refused": _(
        en="SoftOne GO refused the offer on sheet '{sheet}' (Kundnr {customer}): {reason}",
        sv="SoftOne GO tog inte emot offerten på bladet '{sheet}' (Kundnr {customer}): {reason}",
    ),
    "upload_not_valid": _(
        en=(
            "not uploaded: the sheet has {count} error(s). Run `offer-converter validate` on the "
            "file to see them"
        ),
        sv=(
            "inte uppladdad: bladet har {count} fel. Kör `offer-converter validate` på filen för "
            "att se dem"
        ),
    ),
    "upload_offer_nr_unknown": _(
        en=(
            "not uploaded: Offertnr already shows {offer_nr}, but this workbook has no record of "
            "that upload. Clear Offertnr to create a new offer"
        ),
        sv=(
            "inte uppladdad: Offertnr visar redan {offer_nr}, men arbetsboken saknar uppgift om "
            "den uppladdningen. Töm Offertnr för att skapa en ny offert"
        ),
    ),
    "upload_error": _(
        en="not uploaded: {reason}. The next run checks whether it arrived before sending again",
        sv=(
            "inte uppladdad: {reason}. Nästa körning kontrollerar om den kom fram innan den "
            "skickas igen"
        ),
    ),
    "writeback_saved": _(
        en="Offertnr written into the workbook: {numbers} (backup: {backup})",
        sv="Offertnr inskrivet i arbetsboken: {numbers} (säkerhetskopia: {backup})",
    ),
    "writeback_saved_errors": _(
        en=(
            "no Offertnr written; the error is noted beside Offertnr for {errors} offer(s) "
            "(backup: {backup})"
        ),
        sv=(
            "inget Offertnr inskrivet; felet är antecknat bredvid Offertnr för {errors} "
            "offert(er) (säkerhetskopia: {backup})"
        ),
    ),
    "writeback_saved_both": _(
        en=(
            "Offertnr written into the workbook: {numbers}; the error is noted beside Offertnr "
            "for {errors} offer(s) (backup: {backup})"
        ),
        sv=(
            "Offertnr inskrivet i arbetsboken: {numbers}; felet är antecknat bredvid Offertnr "
            "för {errors} offert(er) (säkerhetskopia: {backup})"
        ),
    ),
    "writeback_failed": _(
        en=(
            "{reason} The results are kept: the next upload of this file writes them in without "
            "sending the offers again"
        ),
        sv=(
            "{reason} Resultaten är sparade: nästa uppladdning av filen skriver in dem utan att "
            "skicka offerterna igen"
        ),
    ),
    "writeback_already": _(
        en="the workbook already shows these results; it was not changed",
        sv="arbetsboken visar redan resultaten; den ändrades inte",
    ),
    "writeback_results_file": _(
        en="this file can't be written back safely; the results are in {path}",
        sv="filen kan inte skrivas tillbaka säkert; resultaten finns i {path}",
    ),
    # the address and the options (converter.erp.credentials, converter.erp.session)
    "api_url_has_credentials": _(
        en=(
            "the SoftOne GO address (--api-url, SOFTONE_API_URL or the config file) has a user "
            "name or password in it. Remove them from the address: the details belong in the "
            "config file or the keyring (run `offer-converter setup`)"
        ),
        sv=(
            "SoftOne GO-adressen (--api-url, SOFTONE_API_URL eller konfigurationsfilen) innehåller "
            "ett användarnamn eller lösenord. Ta bort dem ur adressen: uppgifterna hör hemma i "
            "konfigurationsfilen eller nyckelringen (kör `offer-converter setup`)"
        ),
    ),
    "api_url_invalid": _(
        en=(
            "the SoftOne GO address (--api-url, SOFTONE_API_URL or the config file) is not a web "
            "address: write it as https://host"
        ),
        sv=(
            "SoftOne GO-adressen (--api-url, SOFTONE_API_URL eller konfigurationsfilen) är ingen "
            "webbadress: skriv den som https://värd"
        ),
    ),
    "proxy_has_credentials": _(
        en=(
            "the proxy address in {variable} has a user name or password in it; this tool does "
            "not send passwords through a proxy address. Ask whoever set up the computer for a "
            "proxy without one, or unset {variable}"
        ),
        sv=(
            "proxyadressen i {variable} innehåller ett användarnamn eller lösenord; verktyget "
            "skickar inte lösenord via en proxyadress. Be den som ställde i ordning datorn om en "
            "proxy utan, eller ta bort {variable}"
        ),
    ),
    "timeout_invalid": _(
        en="--timeout {value} can't be used: give the seconds to wait, more than 0 and at most 600",
        sv=(
            "--timeout {value} går inte att använda: ange hur många sekunder att vänta, mer än 0 "
            "och högst 600"
        ),
    ),
    # talking to SoftOne GO (converter.erp.client, converter.erp.uploader)
    "token_refused_no_login": _(
        en=(
            "SoftOne GO refused the token, and there is no license, user name and password to log "
            "in again. Get a new token, or set SOFTONE_LICENSE, SOFTONE_USERNAME and "
            "SOFTONE_PASSWORD."
        ),
        sv=(
            "SoftOne GO godtog inte token, och det finns ingen licens, inget användarnamn och "
            "inget lösenord att logga in igen med. Skaffa en ny token, eller ange SOFTONE_LICENSE, "
            "SOFTONE_USERNAME och SOFTONE_PASSWORD."
        ),
    ),
    "login_refused": _(
        en="SoftOne GO refused the login: {reason}",
        sv="SoftOne GO godtog inte inloggningen: {reason}",
    ),
    "credentials_refused": _(
        en="SoftOne GO refused the credentials: {reason}",
        sv="SoftOne GO godtog inte inloggningsuppgifterna: {reason}",
    ),
    "unexpected_external_id_reply": _(
        en="SoftOne GO sent an unexpected reply to the ExternalId lookup",
        sv="SoftOne GO svarade oväntat på sökningen efter ExternalId",
    ),
    "unexpected_offer_reply": _(
        en="SoftOne GO sent an unexpected reply to the offer lookup",
        sv="SoftOne GO svarade oväntat på sökningen efter offerten",
    ),
    "no_reply": _(
        en="no reply from SoftOne GO ({detail}); the offer may have been saved",
        sv="inget svar från SoftOne GO ({detail}); offerten kan ha sparats",
    ),
    "unreachable": _(
        en="cannot reach SoftOne GO ({detail})",
        sv="SoftOne GO går inte att nå ({detail})",
    ),
    "server_error": _(
        en="SoftOne GO answered HTTP {status} ({reason}); the offer may have been saved",
        sv="SoftOne GO svarade HTTP {status} ({reason}); offerten kan ha sparats",
    ),
    "http_refused": _(
        en="SoftOne GO answered HTTP {status}: {reason}",
        sv="SoftOne GO svarade HTTP {status}: {reason}",
    ),
    "not_accepted": _(
        en="SoftOne GO did not accept the request after {tries} tries; try again later",
        sv="SoftOne GO tog inte emot begäran efter {tries} försök; försök igen senare",
    ),
    "reply_not_json": _(
        en="SoftOne GO sent a reply that is not JSON (HTTP {status})",
        sv="SoftOne GO skickade ett svar som inte är JSON (HTTP {status})",
    ),
    "reply_not_understood": _(
        en="SoftOne GO sent a reply we don't understand (HTTP {status})",
        sv="SoftOne GO skickade ett svar som inte går att tolka (HTTP {status})",
    ),
    "found_without_number": _(
        en="SoftOne GO has the offer but did not tell its number",
        sv="SoftOne GO har offerten men angav inte dess nummer",
    ),
    "saved_without_number": _(
        en="SoftOne GO said the offer was saved but sent no number",
        sv="SoftOne GO sa att offerten sparades men skickade inget nummer",
    ),
    "no_answer": _(
        en="SoftOne GO did not answer after {tries} tries",
        sv="SoftOne GO svarade inte efter {tries} försök",
    ),
    # why a write-back failed (converter.writeback); writeback_failed adds what happens next
    "wb_cannot_read": _(
        en="{file}: cannot read the file ({reason}).",
        sv="{file}: filen går inte att läsa ({reason}).",
    ),
    "wb_cannot_save": _(
        en="{file}: cannot save the workbook ({reason}).",
        sv="{file}: arbetsboken går inte att spara ({reason}).",
    ),
    "wb_cannot_save_results": _(
        en="{file}: cannot save the results file ({reason}).",
        sv="{file}: resultatfilen går inte att spara ({reason}).",
    ),
    "wb_disk_full": _(
        en="{file}: the disk is full. Free some space and run again.",
        sv="{file}: disken är full. Frigör utrymme och kör igen.",
    ),
    "wb_locked": _(
        en=(
            "{file}: cannot save the results into the workbook; it is open in Excel or read-only. "
            "Close it in Excel (or make it writable) and run again."
        ),
        sv=(
            "{file}: resultaten går inte att spara i arbetsboken; den är öppen i Excel eller "
            "skrivskyddad. Stäng den i Excel (eller ta bort skrivskyddet) och kör igen."
        ),
    ),
    "wb_results_file_locked": _(
        en=(
            "{file}: cannot save the results file; it is open in Excel or read-only. Close it and "
            "run again."
        ),
        sv=(
            "{file}: resultatfilen går inte att spara; den är öppen i Excel eller skrivskyddad. "
            "Stäng den och kör igen."
        ),
    ),
    "wb_changed": _(
        en=(
            "{file}: the file changed since it was read (was it saved in Excel?); nothing was "
            "overwritten. Run again to write the results into the saved version."
        ),
        sv=(
            "{file}: filen har ändrats sedan den lästes (sparades den i Excel?); inget skrevs "
            "över. Kör igen för att skriva in resultaten i den sparade versionen."
        ),
    ),
    "wb_cannot_open": _(
        en="{file}: cannot be opened for writing ({reason}); nothing was changed.",
        sv="{file}: går inte att öppna för skrivning ({reason}); inget ändrades.",
    ),
    "wb_cannot_write": _(
        en="{file}: the results could not be written ({reason}); nothing was changed.",
        sv="{file}: resultaten kunde inte skrivas ({reason}); inget ändrades.",
    ),
    "wb_would_not_reopen": _(
        en="{file}: the written workbook would not open again ({reason}); nothing was changed.",
        sv=(
            "{file}: den skrivna arbetsboken skulle inte gå att öppna igen ({reason}); inget "
            "ändrades."
        ),
    ),
    "wb_would_lose_macros": _(
        en="{file}: writing the results would lose the macros; nothing was changed.",
        sv="{file}: makrona skulle gå förlorade om resultaten skrevs in; inget ändrades.",
    ),
    "wb_no_backup": _(
        en=(
            "{file}: cannot make a backup copy in {folder} ({reason}); the workbook was not "
            "changed. Free some space or choose another backup folder, and run again."
        ),
        sv=(
            "{file}: det går inte att göra en säkerhetskopia i {folder} ({reason}); arbetsboken "
            "ändrades inte. Frigör utrymme eller välj en annan mapp för säkerhetskopior och kör "
            "igen."
        ),
    ),
    "wb_no_backup_disk_full": _(
        en=(
            "{file}: cannot make a backup copy in {folder}: the disk is full; the workbook was not "
            "changed. Free some space or choose another backup folder, and run again."
        ),
        sv=(
            "{file}: det går inte att göra en säkerhetskopia i {folder}: disken är full; "
            "arbetsboken ändrades inte. Frigör utrymme eller välj en annan mapp för "
            "säkerhetskopior och kör igen."
        ),
    ),
    "wb_sheet_gone": _(
        en="{file}: sheet '{sheet}' is not in the workbook any more; nothing was changed.",
        sv="{file}: bladet '{sheet}' finns inte längre i arbetsboken; inget ändrades.",
    ),
    "wb_records_not_a_sheet": _(
        en="{file}: '{sheet}' is not a worksheet; nothing was changed.",
        sv="{file}: '{sheet}' är inget kalkylblad; inget ändrades.",
    ),
    "wb_sheet_encoding": _(
        en=(
            "{file}: a sheet is not saved as UTF-8, so the results can't be written into it; "
            "nothing was changed. Open and save the file in Excel, and run again."
        ),
        sv=(
            "{file}: ett blad är inte sparat som UTF-8, så resultaten kan inte skrivas in; inget "
            "ändrades. Öppna och spara filen i Excel och kör igen."
        ),
    ),
    "wb_sheet_unusual": _(
        en=(
            "{file}: a sheet is saved in a way the write-back doesn't know ({cell}); nothing was "
            "changed. Open and save the file in Excel, and run again."
        ),
        sv=(
            "{file}: ett blad är sparat på ett sätt som inskrivningen inte känner till ({cell}); "
            "inget ändrades. Öppna och spara filen i Excel och kör igen."
        ),
    ),
    "wb_cell_shared_formula": _(
        en=(
            "{file}: cell {cell} holds a formula other cells share, so the result can't be "
            "written there; nothing was changed. Empty the cell and run again."
        ),
        sv=(
            "{file}: cell {cell} innehåller en formel som andra celler delar, så resultatet kan "
            "inte skrivas där; inget ändrades. Töm cellen och kör igen."
        ),
    ),
    "wb_records_damaged": _(
        en=(
            "{file}: the upload records kept in the file's properties are damaged; nothing was "
            "sent. Ask for help before uploading it again: it may already be in SoftOne GO."
        ),
        sv=(
            "{file}: uppladdningsuppgifterna i filens egenskaper är skadade; inget skickades. Be "
            "om hjälp innan du laddar upp den igen: den kan redan finnas i SoftOne GO."
        ),
    ),
    "wb_verify_cell": _(
        en=(
            "{file}: checked before saving, cell {cell} on sheet '{sheet}' would not hold what "
            "was written; nothing was changed."
        ),
        sv=(
            "{file}: kontrollen före sparandet visade att cell {cell} på bladet '{sheet}' inte "
            "skulle innehålla det som skrevs; inget ändrades."
        ),
    ),
    "wb_verify_records": _(
        en=(
            "{file}: checked before saving, the upload records would not read back; nothing was "
            "changed."
        ),
        sv=(
            "{file}: kontrollen före sparandet visade att uppladdningsuppgifterna inte skulle gå "
            "att läsa; inget ändrades."
        ),
    ),
    "status_created": _(
        en="Uploaded {time}",
        sv="Uppladdad {time}",
    ),
    "status_updated": _(
        en="Updated {time}",
        sv="Uppdaterad {time}",
    ),
    "status_sending": _(
        en="Sending to SoftOne GO {time}",
        sv="Skickas till SoftOne GO {time}",
    ),
    "status_failed": _(
        en="Error: {reason}",
        sv="Fel: {reason}",
    ),
    "status_failed_more": _(
        en="Error: {reason}, and {more} more",
        sv="Fel: {reason}, och {more} fel till",
    ),
    "summary_counts": _(
        en="{created} created, {updated} updated, {skipped} unchanged, {failed} failed",
        sv="{created} skapade, {updated} uppdaterade, {skipped} oförändrade, {failed} misslyckade",
    ),
    "fatal_error": _(
        en="Error: {message}",
        sv="Fel: {message}",
    ),
    "stopped": _(
        en="Stopped.",
        sv="Avbrutet.",
    ),
    "unexpected_error": _(
        en=(
            "Unexpected error ({kind}). Nothing was changed by the failed step. Please report this "
            "with the command you ran."
        ),
        sv=(
            "Oväntat fel ({kind}). Det misslyckade steget ändrade ingenting. Rapportera det gärna, "
            "tillsammans med kommandot du körde."
        ),
    ),
    "file_not_found": _(
        en="{file}: file not found",
        sv="{file}: filen finns inte",
    ),
    "file_is_folder": _(
        en="{file}: a folder with no .xlsx or .xlsm workbook in it",
        sv="{file}: en mapp utan .xlsx- eller .xlsm-arbetsbok",
    ),
    "file_locked": _(
        en="{file}: cannot open the file; it may be open in Excel. Close it and try again",
        sv=(
            "{file}: filen går inte att öppna; den är kanske öppen i Excel. Stäng den och försök "
            "igen"
        ),
    ),
    "file_unreadable": _(
        en="{file}: cannot read the file ({reason})",
        sv="{file}: filen går inte att läsa ({reason})",
    ),
    "old_or_protected": _(
        en=(
            "{file}: this is a password-protected workbook or an old Excel 97-2003 (.xls) file. "
            "Remove the password, or save it as .xlsx, and try again"
        ),
        sv=(
            "{file}: arbetsboken är lösenordsskyddad eller en gammal Excel 97-2003-fil (.xls). Ta "
            "bort lösenordet, eller spara den som .xlsx, och försök igen"
        ),
    ),
    "not_a_workbook": _(
        en="{file}: not an Excel workbook (.xlsx or .xlsm)",
        sv="{file}: ingen Excel-arbetsbok (.xlsx eller .xlsm)",
    ),
    # a file that is no workbook, said in plain words (converter.read.filekind)
    "file_empty": _(
        en=(
            "{file}: the file is empty (0 bytes), there is nothing in it to read. Open the offer "
            "in Excel, save it again and try again"
        ),
        sv=(
            "{file}: filen är tom (0 byte), det finns inget i den att läsa. Öppna offerten i "
            "Excel, spara den igen och försök på nytt"
        ),
    ),
    "file_damaged": _(
        en=(
            "{file}: the workbook is damaged and can't be read. Open it in Excel (which can often "
            "repair it), save it again and try again"
        ),
        sv=(
            "{file}: arbetsboken är skadad och går inte att läsa. Öppna den i Excel (som ofta kan "
            "reparera den), spara den igen och försök på nytt"
        ),
    ),
    "file_is_word": _(
        en=(
            "{file}: this is a Word document, not an Excel workbook. Offers are read from Excel "
            "workbooks: fill in the offer template (offer-converter template) and use that file"
        ),
        sv=(
            "{file}: det här är ett Word-dokument, inte en Excel-arbetsbok. Offerter läses från "
            "Excel-arbetsböcker: fyll i offertmallen (offer-converter template) och använd den"
        ),
    ),
    "file_is_powerpoint": _(
        en=(
            "{file}: this is a PowerPoint presentation, not an Excel workbook. Offers are read "
            "from Excel workbooks (.xlsx)"
        ),
        sv=(
            "{file}: det här är en PowerPoint-presentation, inte en Excel-arbetsbok. Offerter "
            "läses från Excel-arbetsböcker (.xlsx)"
        ),
    ),
    "file_is_pdf": _(
        en=(
            "{file}: this is a PDF document, not an Excel workbook. Use the Excel file the offer "
            "was made in (.xlsx)"
        ),
        sv=(
            "{file}: det här är ett PDF-dokument, inte en Excel-arbetsbok. Använd Excel-filen "
            "som offerten gjordes i (.xlsx)"
        ),
    ),
    "file_is_ods": _(
        en=(
            "{file}: this is a LibreOffice spreadsheet (.ods), not an Excel workbook. Open it in "
            "LibreOffice or Excel and save it as an Excel workbook (.xlsx)"
        ),
        sv=(
            "{file}: det här är ett LibreOffice-kalkylark (.ods), inte en Excel-arbetsbok. Öppna "
            "det i LibreOffice eller Excel och spara det som Excel-arbetsbok (.xlsx)"
        ),
    ),
    "file_is_zip": _(
        en=(
            "{file}: this is a zip file (a compressed folder), not an Excel workbook. Unzip it "
            "and use the workbooks inside"
        ),
        sv=(
            "{file}: det här är en zip-fil (en komprimerad mapp), inte en Excel-arbetsbok. Packa "
            "upp den och använd arbetsböckerna i den"
        ),
    ),
    "file_is_text": _(
        en=(
            "{file}: this is a text file, not an Excel workbook. Open it in Excel and save it as "
            "an Excel workbook (.xlsx)"
        ),
        sv=(
            "{file}: det här är en textfil, inte en Excel-arbetsbok. Öppna den i Excel och spara "
            "den som Excel-arbetsbok (.xlsx)"
        ),
    ),
    "file_is_other": _(
        en=(
            "{file}: this is another kind of file, not an Excel workbook. Offers are read from "
            "Excel workbooks (.xlsx or .xlsm)"
        ),
        sv=(
            "{file}: det här är en annan sorts fil, inte en Excel-arbetsbok. Offerter läses från "
            "Excel-arbetsböcker (.xlsx eller .xlsm)"
        ),
    ),
    "not_readable_workbook": _(
        en="{file}: not a readable Excel workbook ({reason})",
        sv="{file}: ingen läsbar Excel-arbetsbok ({reason})",
    ),
    "damaged_workbook": _(
        en="{file}: the workbook is damaged ({reason})",
        sv="{file}: arbetsboken är skadad ({reason})",
    ),
    "package_too_large": _(
        en=(
            "{file}: refused: the file unpacks to far more than an offer workbook can hold "
            "({reason}). It may be damaged or made to attack the reader"
        ),
        sv=(
            "{file}: avvisad: filen packas upp till långt mer än en offert kan innehålla "
            "({reason}). Den kan vara skadad eller gjord för att angripa läsaren"
        ),
    ),
    "offer_ok": _(
        en="OK: Kundnr {customer}, {date}, {rows} rows, {total} excl. VAT",
        sv="OK: Kundnr {customer}, {date}, {rows} rader, {total} exkl. moms",
    ),
    # --- drop and setup (issue 4): add keys below ---
    "drop_start": _(
        en="Uploading to SoftOne GO …",
        sv="Laddar upp till SoftOne GO …",
    ),
    "drop_start_sandbox": _(
        en="Uploading to the practice server (sandbox), not to SoftOne GO …",
        sv="Laddar upp till övningsservern (sandlådan), inte till SoftOne GO …",
    ),
    "drop_value_at": _(
        en='"{value}" in {cell}',
        sv='"{value}" i {cell}',
    ),
    "drop_at_cell": _(
        en="{message} ({cell})",
        sv="{message} ({cell})",
    ),
    "drop_more_problems": _(
        en="{message} (and {count} more; the log file lists them all)",
        sv="{message} (och {count} fel till; loggfilen visar alla)",
    ),
    "drop_refused": _(
        en="SoftOne GO refused the offer for customer {customer}: {reason}",
        sv="SoftOne GO tog inte emot offerten för kund {customer}: {reason}",
    ),
    "drop_unchanged": _(
        en="Offer {offer_nr} was uploaded before and is unchanged: not sent again",
        sv="Offert {offer_nr} är redan uppladdad och oförändrad: skickades inte igen",
    ),
    "drop_written_now": _(
        en="Offer {offer_nr} is now written into the workbook (it was not sent again)",
        sv="Offert {offer_nr} är nu inskriven i arbetsboken (den skickades inte igen)",
    ),
    "drop_written": _(
        en="Written into the workbook: Offertnr {numbers}.",
        sv="Inskrivet i arbetsboken: Offertnr {numbers}.",
    ),
    "drop_written_errors": _(
        en="No offer number was written: the workbook notes the error beside Offertnr.",
        sv="Inget offertnummer skrevs in: arbetsboken har felet antecknat bredvid Offertnr.",
    ),
    "drop_written_both": _(
        en=(
            "Written into the workbook: Offertnr {numbers}, and the error beside Offertnr of "
            "each offer marked ✗."
        ),
        sv=(
            "Inskrivet i arbetsboken: Offertnr {numbers}, och felet bredvid Offertnr för varje "
            "offert med ✗."
        ),
    ),
    "drop_locked": _(
        en=(
            "The offer numbers could not be written into the workbook: it is probably open in "
            "Excel."
        ),
        sv="Offertnumren kunde inte skrivas in i arbetsboken: den är troligen öppen i Excel.",
    ),
    "drop_log": _(
        en="Log file: {path}",
        sv="Loggfil: {path}",
    ),
    "drop_all_done": _(
        en="Done. Nothing more to do.",
        sv="Klart. Inget mer att göra.",
    ),
    "drop_fix": _(
        en=(
            "Fix what the ✗ lines say, save and close the file, and drop it here again. Offers "
            "already uploaded are not sent twice."
        ),
        sv=(
            "Rätta det som står efter ✗, spara och stäng filen och släpp den här igen. Offerter "
            "som redan är uppladdade skickas inte två gånger."
        ),
    ),
    "drop_not_claimed": _(
        en="not uploaded: the workbook can't be written, it is probably open in Excel",
        sv="inte uppladdad: arbetsboken går inte att skriva i, den är troligen öppen i Excel",
    ),
    "drop_close_not_sent": _(
        en="Close the file in Excel and drop it here again. Nothing has been sent yet.",
        sv="Stäng filen i Excel och släpp den igen. Inget har skickats än.",
    ),
    "drop_close": _(
        en=(
            "Close the file in Excel and drop it here again: the offer numbers are then written in "
            "without sending the offers again."
        ),
        sv=(
            "Stäng filen i Excel och släpp den här igen: då skrivs offertnumren in utan att "
            "offerterna skickas igen."
        ),
    ),
    "drop_retry": _(
        en="Drop the file here again in a while: nothing is sent twice.",
        sv="Släpp filen här igen om en stund: inget skickas två gånger.",
    ),
    "drop_login_refused": _(
        en="✗ The login does not work: {reason}",
        sv="✗ Inloggningen fungerar inte: {reason}",
    ),
    "drop_ask_again": _(
        en="Enter your SoftOne GO details again?",
        sv="Vill du ange dina SoftOne GO-uppgifter igen?",
    ),
    "drop_not_started": _(
        en="Nothing was uploaded: {reason}",
        sv="Inget laddades upp: {reason}",
    ),
    "drop_nothing_uploaded": _(
        en="Nothing was uploaded.",
        sv="Inget laddades upp.",
    ),
    "drop_no_credentials": _(
        en=(
            "Nothing was uploaded: there are no SoftOne GO details. Drop the files here again and "
            "fill them in."
        ),
        sv=(
            "Inget laddades upp: SoftOne GO-uppgifterna saknas. Släpp filerna här igen och fyll i "
            "dem."
        ),
    ),
    "drop_unexpected": _(
        en=(
            "Something unexpected went wrong ({kind}). Offers already uploaded are safe and will "
            "not be sent twice."
        ),
        sv=(
            "Något oväntat gick fel ({kind}). Offerter som redan är uppladdade finns kvar och "
            "skickas inte två gånger."
        ),
    ),
    "drop_press_enter": _(
        en="Press Enter to close",
        sv="Tryck Enter för att stänga",
    ),
    "drop_usage": _(
        en=(
            "Drag one or more Excel offers, or a folder of them, onto this icon. Each offer is "
            "checked and uploaded to SoftOne GO, and its offer number is written into the workbook."
        ),
        sv=(
            "Dra en eller flera Excel-offerter, eller en mapp med offerter, till den här ikonen. "
            "Varje offert kontrolleras och laddas upp till SoftOne GO, och offertnumret skrivs in "
            "i arbetsboken."
        ),
    ),
    "drop_offer_template": _(
        en="Put a fresh offer template on the Desktop?",
        sv="Vill du ha en ny offertmall på skrivbordet?",
    ),
    "drop_template_written": _(
        en="A fresh offer template is on the Desktop: {path}",
        sv="En ny offertmall finns på skrivbordet: {path}",
    ),
    "drop_template_hint": _(
        en="For a fresh offer template, double-click the icon or run: offer-converter template",
        sv=(
            "En ny offertmall får du genom att dubbelklicka på ikonen eller köra: offer-converter "
            "template"
        ),
    ),
    "template_file_name": _(
        en="Offer template",
        sv="Offertmall",
    ),
    "yes_no": _(
        en="[Y/n]",
        sv="[J/n]",
    ),
    "setup_intro": _(
        en=(
            "Enter your SoftOne GO details (you get them from whoever runs SoftOne GO at your "
            "company). They are asked for once and stored on this computer."
        ),
        sv=(
            "Ange dina SoftOne GO-uppgifter (du får dem av den som sköter SoftOne GO på "
            "företaget). De efterfrågas en gång och sparas på den här datorn."
        ),
    ),
    "setup_company_api_key": _(
        en="Company API key",
        sv="Företagets API-nyckel (Company API key)",
    ),
    "setup_connect_api_key": _(
        en="Connect API key",
        sv="Connect-API-nyckel (Connect API key)",
    ),
    "setup_license": _(
        en="License",
        sv="Licens",
    ),
    "setup_username": _(
        en="User name",
        sv="Användarnamn",
    ),
    "setup_password": _(
        en="Password (not shown)",
        sv="Lösenord (visas inte)",
    ),
    "setup_testing": _(
        en="Testing the login with SoftOne GO …",
        sv="Testar inloggningen mot SoftOne GO …",
    ),
    "setup_works": _(
        en="✓ The login works.",
        sv="✓ Inloggningen fungerar.",
    ),
    "setup_refused": _(
        en=(
            "✗ The login does not work: {reason}. Nothing was stored: check the details and try "
            "again."
        ),
        sv=(
            "✗ Inloggningen fungerar inte: {reason}. Inget sparades: kontrollera uppgifterna och "
            "försök igen."
        ),
    ),
    "setup_unreachable": _(
        en=(
            "✗ SoftOne GO can't be reached from this computer, so the details could not be "
            "tested. Check the network connection."
        ),
        sv=(
            "✗ SoftOne GO går inte att nå från den här datorn, så uppgifterna kunde inte testas. "
            "Kontrollera nätverksanslutningen."
        ),
    ),
    "setup_stored_keyring": _(
        en="Stored: the password in the system keyring, the rest in {path}.",
        sv="Sparat: lösenordet i systemets nyckelring, resten i {path}.",
    ),
    "setup_stored_file": _(
        en="Stored in {path}, which only you can read (this computer has no system keyring).",
        sv="Sparat i {path}, som bara du kan läsa (datorn har ingen nyckelring).",
    ),
    "setup_cancelled": _(
        en="No details were entered; nothing was stored.",
        sv="Inga uppgifter angavs; inget sparades.",
    ),
    "setup_forgotten": _(
        en="The stored SoftOne GO details are removed.",
        sv="De sparade SoftOne GO-uppgifterna är borttagna.",
    ),
    "setup_nothing_stored": _(
        en="No SoftOne GO details were stored.",
        sv="Det fanns inga sparade SoftOne GO-uppgifter.",
    ),
    "shortcut_name": _(
        en="Upload offers",
        sv="Ladda upp offerter",
    ),
    "shortcut_name_sandbox": _(
        en="Upload offers (practice)",
        sv="Ladda upp offerter (övning)",
    ),
    "shortcut_comment": _(
        en="Drop Excel offers here to upload them to SoftOne GO",
        sv="Släpp Excel-offerter här för att ladda upp dem till SoftOne GO",
    ),
    "shortcut_created": _(
        en="The icon is ready: {path}",
        sv="Ikonen är klar: {path}",
    ),
    "shortcut_how": _(
        en="Drag Excel offers (or a folder) onto it. Double-click it for a fresh offer template.",
        sv="Dra Excel-offerter (eller en mapp) till den. Dubbelklicka på den för en ny offertmall.",
    ),
    "shortcut_linux_trust": _(
        en="If the desktop marks it as untrusted, right-click it and choose Allow Launching.",
        sv="Om skrivbordet markerar den som ej betrodd: högerklicka och välj Tillåt start.",
    ),
    "shortcut_mac_manual": _(
        en=(
            "osacompile is not available, so the icon could not be made here. Open {path} in "
            "Script Editor, choose File → Export…, File Format: Application, and save it on the "
            "Desktop."
        ),
        sv=(
            "osacompile finns inte, så ikonen kunde inte skapas här. Öppna {path} i "
            "Skriptredigeraren, välj Arkiv → Exportera…, Filformat: Program, och spara den på "
            "skrivbordet."
        ),
    ),
    "shortcut_program_missing": _(
        en=(
            "offer-converter is no longer installed at {path}. Install it again, then run: "
            "offer-converter install-shortcut"
        ),
        sv=(
            "offer-converter finns inte längre på {path}. Installera det igen och kör sedan: "
            "offer-converter install-shortcut"
        ),
    ),
    "shortcut_failed": _(
        en="The icon could not be made in {path}: {reason}",
        sv="Ikonen kunde inte skapas i {path}: {reason}",
    ),
    # --- what the salesperson sees (issue 17): add keys below ---
    "sandbox_running": _(
        en="Practice server (sandbox) running at {url}",
        sv="Övningsservern (sandlådan) körs på {url}",
    ),
    "sandbox_state_file": _(
        en="State file: {path}",
        sv="Tillståndsfil: {path}",
    ),
    "sandbox_credentials": _(
        en="Practice details (they work only here, never in SoftOne GO):",
        sv="Övningsuppgifter (de fungerar bara här, aldrig i SoftOne GO):",
    ),
    "sandbox_password": _(
        en="Password",
        sv="Lösenord",
    ),
    "sandbox_use": _(
        en=(
            "Use them with `offer-converter setup --api-url {url}`, or set the SOFTONE_* "
            "variables; `upload --sandbox` needs none of them."
        ),
        sv=(
            "Använd dem med `offer-converter setup --api-url {url}`, eller sätt variablerna "
            "SOFTONE_*; `upload --sandbox` behöver inga av dem."
        ),
    ),
    "sandbox_faults": _(
        en="Faults: {faults}",
        sv="Simulerade fel: {faults}",
    ),
    "sandbox_no_faults": _(
        en="none",
        sv="inga",
    ),
    "sandbox_stop_hint": _(
        en="Press Ctrl-C to stop.",
        sv="Tryck Ctrl-C för att stoppa.",
    ),
    "sandbox_stopped": _(
        en="Practice server stopped.",
        sv="Övningsservern är stoppad.",
    ),
    "setup_keep_untested": _(
        en="Keep what you typed, and test it the next time offers are dropped on the icon?",
        sv="Vill du behålla det du skrev in och testa det nästa gång offerter släpps på ikonen?",
    ),
    "setup_kept": _(
        en=(
            "Kept in {path}, not tested yet. The next drop tests the details first; if they are "
            "wrong, you can type them again then."
        ),
        sv=(
            "Sparat i {path}, inte testat ännu. Nästa gång du släpper offerter testas "
            "uppgifterna först; är de fel kan du skriva in dem igen då."
        ),
    ),
    "setup_not_kept": _(
        en="Nothing was stored.",
        sv="Inget sparades.",
    ),
    "drop_testing_kept": _(
        en="Testing the SoftOne GO details kept from last time …",
        sv="Testar SoftOne GO-uppgifterna som sparades förra gången …",
    ),
    "drop_still_unreachable": _(
        en="✗ SoftOne GO still can't be reached: {reason}",
        sv="✗ SoftOne GO går fortfarande inte att nå: {reason}",
    ),
    "drop_details_wrong": _(
        en=(
            "Nothing was uploaded: SoftOne GO did not accept the details. Drop the files here "
            "again and type them again."
        ),
        sv=(
            "Inget laddades upp: SoftOne GO godtog inte uppgifterna. Släpp filerna här igen och "
            "skriv in dem på nytt."
        ),
    ),
    "drop_unreachable": _(
        en=(
            "Nothing was uploaded: SoftOne GO can't be reached from this computer. Check the "
            "network connection and drop the files here again."
        ),
        sv=(
            "Inget laddades upp: SoftOne GO går inte att nå från den här datorn. Kontrollera "
            "nätverksanslutningen och släpp filerna här igen."
        ),
    ),
    "drop_unreachable_kept": _(
        en=(
            "Nothing was uploaded: SoftOne GO can't be reached from this computer. Your details "
            "are kept: check the network connection and drop the files here again, and they are "
            "tested first."
        ),
        sv=(
            "Inget laddades upp: SoftOne GO går inte att nå från den här datorn. Dina uppgifter "
            "är sparade: kontrollera nätverksanslutningen och släpp filerna här igen, så testas "
            "de först."
        ),
    ),
    # --- fill (issue 15): add keys below ---
    # what fill notes per cell (converter.erp.fill)
    "fill_already_uploaded": _(
        en=(
            "already uploaded as offer {offer_nr}: nothing filled (SoftOne GO keeps the rows of "
            "an uploaded offer)"
        ),
        sv=(
            "redan uppladdad som offert {offer_nr}: inget ifyllt (SoftOne GO behåller raderna i "
            "en uppladdad offert)"
        ),
    ),
    "fill_no_customer": _(
        en="Kundnr is empty: fill it in to get the customer's prices",
        sv="Kundnr är tomt: fyll i det för att få kundens priser",
    ),
    "fill_customer_unknown": _(
        en="Kundnr {customer} is not a customer in SoftOne GO: no prices filled",
        sv="Kundnr {customer} finns inte som kund i SoftOne GO: inga priser ifyllda",
    ),
    "fill_name_differs": _(
        en="Kundnamn {value!r}: SoftOne GO's name for this Kundnr is {go!r}",
        sv="Kundnamn {value!r}: SoftOne GO kallar kunden med detta Kundnr {go!r}",
    ),
    "fill_article_unknown": _(
        en="Artikel {article} is not in SoftOne GO",
        sv="Artikel {article} finns inte i SoftOne GO",
    ),
    "fill_article_suggest": _(
        en="Artikel {article} is not in SoftOne GO; did you mean {close}?",
        sv="Artikel {article} finns inte i SoftOne GO; menade du {close}?",
    ),
    "fill_article_inactive": _(
        en="Artikel {article} is inactive in SoftOne GO: nothing filled on this row",
        sv="Artikel {article} är inaktiv i SoftOne GO: inget ifyllt på raden",
    ),
    "fill_unit_differs": _(
        en="Enhet {value!r}: SoftOne GO has {go!r} for this article",
        sv="Enhet {value!r}: SoftOne GO har {go!r} för artikeln",
    ),
    "fill_quantity_unreadable": _(
        en="Antal {value!r} is not a number: Pris was not filled",
        sv="Antal {value!r} är inte ett tal: Pris fylldes inte i",
    ),
    "fill_price_missing": _(
        en="SoftOne GO has no price for Artikel {article} for this customer: fill in Pris",
        sv="SoftOne GO har inget pris för artikel {article} för kunden: fyll i Pris",
    ),
    "fill_price_missing_reason": _(
        en=(
            "SoftOne GO has no price for Artikel {article} for this customer ({reason}): "
            "fill in Pris"
        ),
        sv="SoftOne GO har inget pris för artikel {article} för kunden ({reason}): fyll i Pris",
    ),
    "fill_price_below": _(
        en="Pris {value} is below the customer's price for {article} in SoftOne GO, {go}",
        sv="Pris {value} är lägre än kundens pris för {article} i SoftOne GO, {go}",
    ),
    "fill_price_above": _(
        en="Pris {value} is above the customer's price for {article} in SoftOne GO, {go}",
        sv="Pris {value} är högre än kundens pris för {article} i SoftOne GO, {go}",
    ),
    "fill_discount_differs": _(
        en="Rabatt {value} %: SoftOne GO gives this customer {go} % on this row",
        sv="Rabatt {value} %: SoftOne GO ger kunden {go} % på raden",
    ),
    "fill_lookup_failed": _(
        en="nothing filled: {reason}. Try again in a while",
        sv="inget ifyllt: {reason}. Försök igen om en stund",
    ),
    "fill_not_xlsx": _(
        en="{file}: fill writes into .xlsx and .xlsm workbooks only; save it as .xlsx first",
        sv="{file}: fill skriver bara i .xlsx- och .xlsm-arbetsböcker; spara den som .xlsx först",
    ),
    # what fill says per sheet and file (converter.pipeline, converter.cli.fill)
    "shortcut_fill_name": _(
        en="Fetch prices and names",
        sv="Hämta priser och namn",
    ),
    "shortcut_fill_name_sandbox": _(
        en="Fetch prices and names (practice)",
        sv="Hämta priser och namn (övning)",
    ),
    "shortcut_fill_comment": _(
        en="Drop Excel offers here to fill in names, units and prices from SoftOne GO",
        sv="Släpp Excel-offerter här för att fylla i namn, enheter och priser från SoftOne GO",
    ),
    "shortcut_fill_how": _(
        en=(
            "Drop an offer on Fetch prices and names first to fill in names, units and the "
            "customer's prices; then drop it on Upload offers."
        ),
        sv=(
            "Släpp först en offert på Hämta priser och namn för att fylla i namn, enheter och "
            "kundens priser; släpp den sedan på Ladda upp offerter."
        ),
    ),
    "template_articles_written": _(
        en=(
            "Template written to {path}, with {count} articles from SoftOne GO on the sheet "
            "Artiklar"
        ),
        sv="Mallen är sparad i {path}, med {count} artiklar från SoftOne GO på bladet Artiklar",
    ),
    "fill_usage": _(
        en=(
            "Drag one or more Excel offers, or a folder of them, onto this icon. Empty names, "
            "units and prices are filled in from SoftOne GO (the customer's prices); nothing is "
            "uploaded."
        ),
        sv=(
            "Dra en eller flera Excel-offerter, eller en mapp med offerter, till den här ikonen. "
            "Tomma namn, enheter och priser fylls i från SoftOne GO (kundens priser); inget "
            "laddas upp."
        ),
    ),
    "fill_start": _(
        en="Fetching names, units and prices from SoftOne GO …",
        sv="Hämtar namn, enheter och priser från SoftOne GO …",
    ),
    "fill_start_sandbox": _(
        en="Fetching names, units and prices from the practice server (sandbox), not SoftOne GO …",
        sv="Hämtar namn, enheter och priser från övningsservern (sandlådan), inte SoftOne GO …",
    ),
    "fill_sandbox_banner": _(
        en="Fetching from the practice server (sandbox), not from SoftOne GO …",
        sv="Hämtar från övningsservern (sandlådan), inte från SoftOne GO …",
    ),
    "fill_sheet_filled": _(
        en="{sheet}: filled {what}",
        sv="{sheet}: fyllde i {what}",
    ),
    "fill_sheet_nothing": _(
        en="{sheet}: nothing to fill",
        sv="{sheet}: inget att fylla i",
    ),
    "fill_needs_a_look": _(
        en="{where}: {message}",
        sv="{where}: {message}",
    ),
    "fill_written": _(
        en="Filled in the workbook (backup: {backup}).",
        sv="Ifyllt i arbetsboken (säkerhetskopia: {backup}).",
    ),
    "fill_unchanged": _(
        en="Nothing new to fill: the workbook was not changed.",
        sv="Inget nytt att fylla i: arbetsboken ändrades inte.",
    ),
    "fill_not_written": _(
        en="Nothing was written: {reason}. Close the file in Excel and drop it here again.",
        sv="Inget skrevs: {reason}. Stäng filen i Excel och släpp den här igen.",
    ),
    "fill_summary": _(
        en="{cells} cells filled in {files} file(s); {looks} to look at",
        sv="{cells} celler ifyllda i {files} fil(er); {looks} att titta på",
    ),
    "fill_next": _(
        en="Next: check the prices, save and close the file, then drop it on {icon}.",
        sv=(
            "Nästa steg: kontrollera priserna, spara och stäng filen och släpp den sedan på {icon}."
        ),
    ),
    "fill_next_fix": _(
        en=(
            "Next: fix what is marked ✗ (or fill it in by hand), save and close the file and "
            "drop it here again; then check the prices and drop it on {icon}."
        ),
        sv=(
            "Nästa steg: rätta det som är markerat med ✗ (eller fyll i det för hand), spara och "
            "stäng filen och släpp den här igen; kontrollera sedan priserna och släpp den på "
            "{icon}."
        ),
    ),
    # --- migrate (issue 5): add keys below ---
    # reading legacy formats
    "not_a_spreadsheet": _(
        en="{file}: not a spreadsheet that can be migrated (.xlsx, .xlsm, .xls, .ods or .csv)",
        sv="{file}: inget kalkylark som kan migreras (.xlsx, .xlsm, .xls, .ods eller .csv)",
    ),
    "xls_not_excel": _(
        en=(
            "{file}: named .xls, but not an Excel file (it may be a web page or text exported by "
            "an old system). Open it in Excel or LibreOffice and save it as .xlsx"
        ),
        sv=(
            "{file}: heter .xls men är ingen Excel-fil (det kan vara en webbsida eller text från "
            "ett gammalt system). Öppna den i Excel eller LibreOffice och spara den som .xlsx"
        ),
    ),
    "xls_protected": _(
        en=(
            "{file}: the workbook is password-protected. Remove the password (or save it as .xlsx "
            "without one) and try again"
        ),
        sv=(
            "{file}: arbetsboken är lösenordsskyddad. Ta bort lösenordet (eller spara den som "
            ".xlsx utan lösenord) och försök igen"
        ),
    ),
    "xls_unreadable": _(
        en="{file}: not a readable Excel 97-2003 workbook ({reason})",
        sv="{file}: ingen läsbar Excel 97-2003-arbetsbok ({reason})",
    ),
    "ods_unreadable": _(
        en="{file}: not a readable OpenDocument spreadsheet ({reason})",
        sv="{file}: inget läsbart OpenDocument-kalkylark ({reason})",
    ),
    "csv_unreadable": _(
        en="{file}: cannot read the CSV file ({reason})",
        sv="{file}: CSV-filen går inte att läsa ({reason})",
    ),
    "csv_separator": _(
        en=(
            "{file}: the first line has no ';'. Save the CSV with semicolons between the fields, "
            "as Swedish Excel does"
        ),
        sv=(
            "{file}: första raden saknar ';'. Spara CSV-filen med semikolon mellan fälten, som "
            "svenska Excel gör"
        ),
    ),
    # legacy layouts
    "legacy_no_offers": _(
        en="no offer found with the profile's {layout} layout. Check that --profile fits this file",
        sv=(
            "ingen offert hittades med profilens layout {layout}. Kontrollera att --profile passar "
            "filen"
        ),
    ),
    "list_no_header": _(
        en="skipped: no header row with the offer number column and Artikel or Beskrivning",
        sv=(
            "hoppades över: ingen rubrikrad med kolumnen för offertnummer och Artikel eller "
            "Beskrivning"
        ),
    ),
    "list_no_key": _(
        en="a row without an offer number before the first offer. Fill in the number",
        sv="en rad utan offertnummer före den första offerten. Fyll i numret",
    ),
    "list_conflict": _(
        en=(
            "{field} {value!r} differs from {first!r} in {first_at}, in the same offer. Make them "
            "the same"
        ),
        sv=(
            "{field} {value!r} skiljer sig från {first!r} i {first_at}, i samma offert. Gör dem "
            "lika"
        ),
    ),
    "list_offer_skipped": _(
        en="offer {key} skipped: every row matches a skip rule",
        sv="offert {key} hoppades över: alla rader matchar en hoppa över-regel",
    ),
    "row_skipped": _(
        en="row skipped: {column} {value!r} matches a skip rule in the profile",
        sv="raden hoppades över: {column} {value!r} matchar en regel i profilen",
    ),
    "article_unknown": _(
        en=(
            "Artikel {value!r} is not in the article table ({table}). Add it to the table, or fix "
            "the Artikel"
        ),
        sv=(
            "Artikel {value!r} finns inte i artikeltabellen ({table}). Lägg till den i tabellen "
            "eller rätta Artikel"
        ),
    ),
    # migrate
    "duplicate_file": _(
        en="same content as {other}: not read again",
        sv="samma innehåll som {other}: lästes inte igen",
    ),
    "legacy_duplicate": _(
        en="the same legacy offer as {other} ({where}): only that one is uploaded",
        sv="samma gamla offert som {other} ({where}): bara den laddas upp",
    ),
    "legacy_duplicate_differs": _(
        en=(
            "the same legacy offer as {other} ({where}), but with other content: only that one is "
            "uploaded. Check which one is right"
        ),
        sv=(
            "samma gamla offert som {other} ({where}), men med annat innehåll: bara den laddas "
            "upp. Kontrollera vilken som stämmer"
        ),
    ),
    "legacy_already_migrated": _(
        en="already migrated as offer {offer_nr} (from {other}): not sent again",
        sv="redan migrerad som offert {offer_nr} (från {other}): skickades inte igen",
    ),
    "migrate_no_match_standard": _(
        en=(
            "nothing in this file matches the layout of the offer template, which is what is read "
            "without --profile. Describe the old layout in a profile and run again with "
            "--profile LAYOUT.toml (see the README: Migrating legacy offers)"
        ),
        sv=(
            "inget i filen stämmer med offertmallens layout, som är den som läses utan --profile. "
            "Beskriv den gamla layouten i en profil och kör igen med --profile LAYOUT.toml (se "
            "README: Migrating legacy offers)"
        ),
    ),
    "migrate_no_match": _(
        en=(
            "nothing in this file matches the {layout} layout of the profile '{profile}'. Check "
            "that --profile fits this file"
        ),
        sv=(
            "inget i filen stämmer med layouten ({layout}) i profilen '{profile}'. Kontrollera "
            "att --profile passar filen"
        ),
    ),
    "migrate_failed_header_files": _(
        en="Failed: {offers} offer(s) and {files} file(s) that gave no offer:",
        sv="Misslyckade: {offers} offert(er) och {files} fil(er) som inte gav någon offert:",
    ),
    "migrate_files_failed": _(
        en="; {count} file(s) gave no offer",
        sv="; {count} fil(er) gav ingen offert",
    ),
    "legacy_moved_unchanged": _(
        en=(
            "already offer {offer_nr}, unchanged: migrated before from {other} (the same file, "
            "since moved or copied); not sent again"
        ),
        sv=(
            "redan offert {offer_nr}, oförändrad: migrerades tidigare från {other} (samma fil, "
            "sedan flyttad eller kopierad); skickades inte igen"
        ),
    ),
    "legacy_key_conflict": _(
        en=(
            "legacy offer number {key} is also used for Kundnr {other_customer} ({other}), so its "
            "ExternalId {external_id} would not be unique. Add the customer placeholder to "
            "[migration] external_id in the profile (see the README)"
        ),
        sv=(
            "det gamla offertnumret {key} används också för Kundnr {other_customer} ({other}), så "
            "dess ExternalId {external_id} vore inte unikt. Lägg till platshållaren för kunden i "
            "[migration] external_id i profilen (se README)"
        ),
    ),
    "migrate_invalid": _(
        en="not uploaded: {count} error(s). {first}",
        sv="inte uppladdad: {count} fel. {first}",
    ),
    "migrate_invalid_more": _(
        en="not uploaded: {count} error(s). {first} (see the Problems sheet)",
        sv="inte uppladdad: {count} fel. {first} (se bladet Problem)",
    ),
    "migrate_ready": _(
        en="ready to upload (dry run: nothing was sent)",
        sv="klar att laddas upp (provkörning: inget skickades)",
    ),
    "migrate_not_sent": _(
        en="not sent: the run was stopped. The next run sends it",
        sv="inte skickad: körningen stoppades. Nästa körning skickar den",
    ),
    "migrate_unexpected": _(
        en="{file}: unexpected error ({error}). Please report it",
        sv="{file}: oväntat fel ({error}). Rapportera det gärna",
    ),
    "report_not_read": _(
        en="a migration report from an earlier run: not read",
        sv="en migreringsrapport från en tidigare körning: lästes inte",
    ),
    "migrate_summary": _(
        en=(
            "{files} files, {offers} offers: {created} created, {updated} updated, {skipped} "
            "unchanged, {duplicate} duplicates, {failed} failed"
        ),
        sv=(
            "{files} filer, {offers} offerter: {created} skapade, {updated} uppdaterade, {skipped} "
            "oförändrade, {duplicate} dubbletter, {failed} misslyckade"
        ),
    ),
    "migrate_summary_dry": _(
        en=(
            "dry run, nothing uploaded. {files} files, {offers} offers: {ready} ready, {duplicate} "
            "duplicates, {failed} with errors"
        ),
        sv=(
            "provkörning, inget laddades upp. {files} filer, {offers} offerter: {ready} klara, "
            "{duplicate} dubbletter, {failed} med fel"
        ),
    ),
    "migrate_stopped": _(
        en=(
            "Stopped after the requests in flight ({left} of {total} files not finished). Run the "
            "same command again to continue: offers already uploaded are not sent again"
        ),
        sv=(
            "Stoppad efter pågående anrop ({left} av {total} filer inte klara). Kör samma kommando "
            "igen för att fortsätta: offerter som redan laddats upp skickas inte igen"
        ),
    ),
    "migrate_report": _(
        en="Report: {path}",
        sv="Rapport: {path}",
    ),
    "migrate_failed_header": _(
        en="Failed offers ({count}):",
        sv="Misslyckade offerter ({count}):",
    ),
    "migrate_more_failed": _(
        en="… and {count} more: see the report",
        sv="… och {count} till: se rapporten",
    ),
    # the migration report
    "report_sheet_summary": _(
        en="Summary",
        sv="Sammanfattning",
    ),
    "report_sheet_offers": _(
        en="Offers",
        sv="Offerter",
    ),
    "report_sheet_problems": _(
        en="Problems",
        sv="Problem",
    ),
    "report_file": _(
        en="File",
        sv="Fil",
    ),
    "report_sheet": _(
        en="Sheet",
        sv="Blad",
    ),
    "report_row": _(
        en="Row",
        sv="Rad",
    ),
    "report_key": _(
        en="Legacy no",
        sv="Gammalt nr",
    ),
    "report_customer": _(
        en="Kundnr",
        sv="Kundnr",
    ),
    "report_date": _(
        en="Date",
        sv="Datum",
    ),
    "report_rows": _(
        en="Rows",
        sv="Rader",
    ),
    "report_total": _(
        en="Total",
        sv="Summa",
    ),
    "report_status": _(
        en="Status",
        sv="Status",
    ),
    "report_offer_nr": _(
        en="Offer no",
        sv="Offertnr",
    ),
    "report_external_id": _(
        en="ExternalId",
        sv="ExternalId",
    ),
    "report_message": _(
        en="Message",
        sv="Meddelande",
    ),
    "report_severity": _(
        en="Severity",
        sv="Allvar",
    ),
    "report_where": _(
        en="Cell",
        sv="Cell",
    ),
    "report_title": _(
        en="Migration of legacy offers",
        sv="Migrering av gamla offerter",
    ),
    "report_mode": _(
        en="Mode",
        sv="Läge",
    ),
    "report_mode_dry": _(
        en="dry run: nothing was uploaded",
        sv="provkörning: inget laddades upp",
    ),
    "report_mode_upload": _(
        en="upload",
        sv="uppladdning",
    ),
    "report_profile": _(
        en="Profile",
        sv="Profil",
    ),
    "report_verified": _(
        en="Read back from SoftOne GO",
        sv="Läst tillbaka från SoftOne GO",
    ),
    "report_verified_yes": _(
        en="yes: every saved offer was compared with its file",
        sv="ja: varje sparad offert jämfördes med sin fil",
    ),
    "report_verified_no": _(
        en=(
            "no (--no-verify): what SoftOne GO holds was not checked; an offer may differ from "
            "its file"
        ),
        sv=(
            "nej (--no-verify): det som finns i SoftOne GO kontrollerades inte; en offert kan "
            "skilja sig från sin fil"
        ),
    ),
    "report_target": _(
        en="Uploaded to",
        sv="Uppladdat till",
    ),
    "report_started": _(
        en="Started",
        sv="Start",
    ),
    "report_finished": _(
        en="Finished",
        sv="Klar",
    ),
    "report_files": _(
        en="Files",
        sv="Filer",
    ),
    "report_files_duplicate": _(
        en="of which duplicates (same content)",
        sv="varav dubbletter (samma innehåll)",
    ),
    "report_files_unread": _(
        en="not read (the run was stopped)",
        sv="inte lästa (körningen stoppades)",
    ),
    "report_offers": _(
        en="Offers",
        sv="Offerter",
    ),
    "report_stopped": _(
        en="The run was stopped: run the same command again to continue",
        sv="Körningen stoppades: kör samma kommando igen för att fortsätta",
    ),
    "report_next": _(
        en=(
            "Failed offers: fix them in their files and run the same command again. Offers already "
            "uploaded are not sent again"
        ),
        sv=(
            "Misslyckade offerter: rätta dem i sina filer och kör samma kommando igen. Offerter "
            "som redan laddats upp skickas inte igen"
        ),
    ),
    "report_fatal": _(
        en="Stopped",
        sv="Stoppad",
    ),
    "state_created": _(
        en="created",
        sv="skapad",
    ),
    "state_updated": _(
        en="updated",
        sv="uppdaterad",
    ),
    "state_skipped": _(
        en="unchanged",
        sv="oförändrad",
    ),
    "state_duplicate": _(
        en="duplicate",
        sv="dubblett",
    ),
    "state_failed": _(
        en="failed",
        sv="misslyckad",
    ),
    "state_stopped": _(
        en="not sent",
        sv="inte skickad",
    ),
    "state_ready": _(
        en="ready",
        sv="klar",
    ),
    # --- layout profiles, credentials, the journal, the CLI's own words (issue 11) ---
    # layout profiles (converter.model.profile); {details} lists each mistake at its key
    "profile_not_found": _(
        en="{path}: layout profile not found",
        sv="{path}: layoutprofilen finns inte",
    ),
    "profile_unreadable": _(
        en="{path}: cannot read the layout profile ({reason})",
        sv="{path}: layoutprofilen går inte att läsa ({reason})",
    ),
    "profile_not_toml": _(
        en="{path}: the layout profile is not valid TOML",
        sv="{path}: layoutprofilen är inte giltig TOML",
    ),
    "profile_not_toml_at": _(
        en="{path}: the layout profile is not valid TOML at line {line}, column {column}",
        sv="{path}: layoutprofilen är inte giltig TOML på rad {line}, kolumn {column}",
    ),
    "profile_invalid": _(
        en="{path}: invalid layout profile: {details}",
        sv="{path}: layoutprofilen är felaktig: {details}",
    ),
    "profile_not_sheet_layout": _(
        en=(
            "the layout profile '{name}' describes a {kind} layout; read it with "
            "`offer-converter migrate`"
        ),
        sv=(
            "layoutprofilen '{name}' beskriver en layout av typen {kind}; läs den med "
            "`offer-converter migrate`"
        ),
    ),
    "profile_missing": _(
        en="required",
        sv="måste anges",
    ),
    "profile_unknown_key": _(
        en="unknown key (is it misspelt?)",
        sv="okänd nyckel (är den felstavad?)",
    ),
    "profile_not_allowed": _(
        en="'{value}' is not allowed; use one of {allowed}",
        sv="'{value}' är inte tillåtet; använd något av {allowed}",
    ),
    "profile_not_a_number": _(
        en="'{value}' is not a number",
        sv="'{value}' är inte ett tal",
    ),
    "profile_not_a_bool": _(
        en="'{value}' must be true or false",
        sv="'{value}' ska vara true eller false",
    ),
    "profile_not_text": _(
        en="'{value}' must be text in quotes",
        sv="'{value}' ska vara text inom citattecken",
    ),
    "profile_not_a_list": _(
        en='must be a list, like ["a", "b"]',
        sv='ska vara en lista, till exempel ["a", "b"]',
    ),
    "profile_not_a_table": _(
        en="must be a table (a [section])",
        sv="ska vara en tabell (en [sektion])",
    ),
    "profile_too_small": _(
        en="{value} is too small; the least allowed is {limit}",
        sv="{value} är för litet; minst {limit} är tillåtet",
    ),
    "profile_too_large": _(
        en="{value} is too large; the most allowed is {limit}",
        sv="{value} är för stort; högst {limit} är tillåtet",
    ),
    "profile_empty": _(
        en="must not be empty",
        sv="får inte vara tomt",
    ),
    "profile_bad_form": _(
        en="'{value}' does not have the expected form",
        sv="'{value}' har inte den form som väntas",
    ),
    "profile_bad_value": _(
        en="'{value}' is not a valid value here",
        sv="'{value}' är inte ett giltigt värde här",
    ),
    "profile_rows_need_article": _(
        en="columns must name Artikel or Beskrivning",
        sv="columns måste ange Artikel eller Beskrivning",
    ),
    "profile_rows_last_above_first": _(
        en="last must not be above first",
        sv="last får inte ligga ovanför first",
    ),
    "profile_fixed_needs_cells": _(
        en="a fixed layout must name the cells of {fields}",
        sv="en fast layout måste ange cellerna för {fields}",
    ),
    "profile_fixed_needs_rows": _(
        en="a fixed layout needs [layout.rows]",
        sv="en fast layout behöver [layout.rows]",
    ),
    "profile_cells_only_fixed": _(
        en='cells and rows are only for kind = "fixed"',
        sv='cells och rows gäller bara kind = "fixed"',
    ),
    "profile_skip_one_test": _(
        en="give either equals or matches",
        sv="ange antingen equals eller matches",
    ),
    "profile_skip_bad_regex": _(
        en="matches is not a valid regular expression (see character {position})",
        sv="matches är inte ett giltigt reguljärt uttryck (se tecken {position})",
    ),
    "profile_external_id_needs_key": _(
        en="external_id must contain {placeholder}",
        sv="external_id måste innehålla {placeholder}",
    ),
    "profile_external_id_names": _(
        en="external_id may only use {key} and {customer}",
        sv="external_id får bara använda {key} och {customer}",
    ),
    "profile_needs_labels": _(
        en="{section} must list the labels",
        sv="{section} måste lista etiketterna",
    ),
    "profile_needs_both_labels": _(
        en="[header] and [columns] must list the labels",
        sv="[header] och [columns] måste lista etiketterna",
    ),
    "profile_list_needs_offer_nr": _(
        en="a list layout needs header.OfferNr: the legacy offer number column",
        sv="en listlayout behöver header.OfferNr: kolumnen med det gamla offertnumret",
    ),
    # the profile's article table (converter.map.legacy)
    "articles_unreadable": _(
        en="article table {file}: {reason}",
        sv="artikeltabellen {file}: {reason}",
    ),
    "articles_no_table": _(
        en="article table {file}: no sheet with a table",
        sv="artikeltabellen {file}: inget blad med en tabell",
    ),
    "articles_no_sheet": _(
        en="article table {file}: no sheet {sheet} with a table",
        sv="artikeltabellen {file}: inget blad {sheet} med en tabell",
    ),
    "articles_two_columns": _(
        en="article table {file}: it needs two columns, old and new",
        sv="artikeltabellen {file}: den behöver två kolumner, gammalt och nytt nummer",
    ),
    "articles_no_column": _(
        en="article table {file}: no column '{label}' in its first row",
        sv="artikeltabellen {file}: ingen kolumn '{label}' i första raden",
    ),
    "articles_mapped_twice": _(
        en="article table {file}: {old} is mapped to both {first} and {second} ({cell}); keep one",
        sv=(
            "artikeltabellen {file}: {old} är kopplad till både {first} och {second} ({cell}); "
            "behåll en"
        ),
    ),
    # converting a report with errors (converter.model.mapped)
    "nothing_converted": _(
        en="the workbooks have errors; nothing was converted",
        sv="arbetsböckerna har fel; inget konverterades",
    ),
    # credentials (converter.erp.credentials)
    "config_unreadable": _(
        en="{path}: cannot read the config file ({reason})",
        sv="{path}: inställningsfilen går inte att läsa ({reason})",
    ),
    "config_not_toml": _(
        en="{path}: the config file is not valid TOML; run `offer-converter setup` again",
        sv="{path}: inställningsfilen är inte giltig TOML; kör `offer-converter setup` igen",
    ),
    "credentials_missing": _(
        en=(
            "SoftOne GO credentials are missing: {names}. Set them in the environment, give them "
            "as options ({options}), or run `offer-converter setup` to store them in {path}."
        ),
        sv=(
            "Uppgifterna för SoftOne GO saknas: {names}. Ange dem i miljön, som flaggor "
            "({options}), eller kör `offer-converter setup` för att spara dem i {path}."
        ),
    ),
    "credentials_missing_password": _(
        en=(
            "SoftOne GO credentials are missing: {names}. Set them in the environment, give them "
            "as options (the password is asked for), or run `offer-converter setup` to store "
            "them in {path}."
        ),
        sv=(
            "Uppgifterna för SoftOne GO saknas: {names}. Ange dem i miljön, som flaggor "
            "(lösenordet frågas efter), eller kör `offer-converter setup` för att spara dem i "
            "{path}."
        ),
    ),
    "credentials_store_needs_login": _(
        en="storing needs the license, the user name and the password",
        sv="för att spara behövs licensen, användarnamnet och lösenordet",
    ),
    "credentials_cannot_store": _(
        en="{path}: cannot store the credentials ({reason})",
        sv="{path}: uppgifterna går inte att spara ({reason})",
    ),
    # the journal (converter.erp.journal)
    "journal_cannot_open": _(
        en="{path}: cannot open the journal ({reason})",
        sv="{path}: journalen går inte att öppna ({reason})",
    ),
    "journal_cannot_use": _(
        en="{path}: the journal cannot be used ({reason})",
        sv="{path}: journalen går inte att använda ({reason})",
    ),
    # the CLI's own words
    "severity_error": _(
        en="error",
        sv="fel",
    ),
    "severity_warning": _(
        en="warning",
        sv="varning",
    ),
    "severity_info": _(
        en="info",
        sv="info",
    ),
    "report_not_xlsx": _(
        en="the report is an Excel workbook: give it a name ending in .xlsx",
        sv="rapporten är en Excel-arbetsbok: ge den ett namn som slutar på .xlsx",
    ),
    "password_prompt": _(
        en="SoftOne GO password",
        sv="Lösenord för SoftOne GO",
    ),
    "report_not_written": _(
        en="Error: the report could not be written to {path}: {reason}",
        sv="Fel: rapporten kunde inte skrivas till {path}: {reason}",
    ),
    "report_is_input": _(
        en="{path} is one of the files to migrate; choose another --report.",
        sv="{path} är en av filerna som ska migreras; välj en annan --report.",
    ),
    "report_folder_not_writable": _(
        en="The report can't be written in {folder}; choose another --report.",
        sv="Rapporten kan inte skrivas i {folder}; välj en annan --report.",
    ),
    "output_is_input": _(
        en="{path} is one of the input files; choose another name for -o.",
        sv="{path} är en av indatafilerna; välj ett annat namn för -o.",
    ),
    "offers_written": _(
        en="{count} offer(s) written to {path}",
        sv="{count} offert(er) skrivna till {path}",
    ),
    "template_exists": _(
        en="{path} already exists. Choose another name, or add --force.",
        sv="{path} finns redan. Välj ett annat namn, eller lägg till --force.",
    ),
    "template_written": _(
        en="Template written to {path}",
        sv="Mallen är skriven till {path}",
    ),
    "sandbox_state_unusable": _(
        en="{path}: the practice server's saved state cannot be used ({reason})",
        sv="{path}: övningsserverns sparade läge går inte att använda ({reason})",
    ),
    "sandbox_cannot_listen": _(
        en="cannot listen on 127.0.0.1:{port}: {reason}",
        sv="kan inte lyssna på 127.0.0.1:{port}: {reason}",
    ),
}

EN: dict[str, str] = {code: text.en for code, text in MESSAGES.items()}
SV: dict[str, str] = {code: text.sv for code, text in MESSAGES.items()}
