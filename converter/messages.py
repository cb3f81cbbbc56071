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

from converter.errors import CodedError

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
    # talking to SoftOne GO (converter.client, converter.uploader)
    "token_refused_no_login": (
        "SoftOne GO refused the token, and there is no license, user name and password to "
        "log in again. Get a new token, or set SOFTONE_LICENSE, SOFTONE_USERNAME and "
        "SOFTONE_PASSWORD."
    ),
    "login_refused": "SoftOne GO refused the login: {reason}",
    "credentials_refused": "SoftOne GO refused the credentials: {reason}",
    "unexpected_external_id_reply": "SoftOne GO sent an unexpected reply to the ExternalId lookup",
    "unexpected_offer_reply": "SoftOne GO sent an unexpected reply to the offer lookup",
    "no_reply": "no reply from SoftOne GO ({detail}); the offer may have been saved",
    "unreachable": "cannot reach SoftOne GO ({detail})",
    "server_error": ("SoftOne GO answered HTTP {status} ({reason}); the offer may have been saved"),
    "http_refused": "SoftOne GO answered HTTP {status}: {reason}",
    "not_accepted": "SoftOne GO did not accept the request after {tries} tries; try again later",
    "reply_not_json": "SoftOne GO sent a reply that is not JSON (HTTP {status})",
    "reply_not_understood": "SoftOne GO sent a reply we don't understand (HTTP {status})",
    "found_without_number": "SoftOne GO has the offer but did not tell its number",
    "saved_without_number": "SoftOne GO said the offer was saved but sent no number",
    "no_answer": "SoftOne GO did not answer after {tries} tries",
    # why a write-back failed (converter.writeback); writeback_failed adds what happens next
    "wb_cannot_read": "{file}: cannot read the file ({reason}).",
    "wb_cannot_save": "{file}: cannot save the workbook ({reason}).",
    "wb_cannot_save_results": "{file}: cannot save the results file ({reason}).",
    "wb_disk_full": "{file}: the disk is full. Free some space and run again.",
    "wb_locked": (
        "{file}: cannot save the results into the workbook; it is open in Excel or read-only. "
        "Close it in Excel (or make it writable) and run again."
    ),
    "wb_results_file_locked": (
        "{file}: cannot save the results file; it is open in Excel or read-only. "
        "Close it and run again."
    ),
    "wb_changed": (
        "{file}: the file changed since it was read (was it saved in Excel?); nothing was "
        "overwritten. Run again to write the results into the saved version."
    ),
    "wb_cannot_open": "{file}: cannot be opened for writing ({reason}); nothing was changed.",
    "wb_cannot_write": "{file}: the results could not be written ({reason}); nothing was changed.",
    "wb_would_not_reopen": (
        "{file}: the written workbook would not open again ({reason}); nothing was changed."
    ),
    "wb_would_lose_macros": (
        "{file}: writing the results would lose the macros; nothing was changed."
    ),
    "wb_no_backup": (
        "{file}: cannot make a backup copy in {folder} ({reason}); the workbook was not "
        "changed. Free some space or choose another backup folder, and run again."
    ),
    "wb_no_backup_disk_full": (
        "{file}: cannot make a backup copy in {folder}: the disk is full; the workbook was not "
        "changed. Free some space or choose another backup folder, and run again."
    ),
    "wb_sheet_gone": (
        "{file}: sheet '{sheet}' is not in the workbook any more; nothing was changed."
    ),
    "wb_records_not_a_sheet": "{file}: '{sheet}' is not a worksheet; nothing was changed.",
    "status_created": "Uploaded {time}",
    "status_updated": "Updated {time}",
    "status_failed": "Error: {reason}",
    "summary_counts": "{created} created, {updated} updated, {skipped} unchanged, {failed} failed",
    "fatal_error": "Error: {message}",
    "stopped": "Stopped.",
    "unexpected_error": (
        "Unexpected error ({kind}). Nothing was changed by the failed step. "
        "Please report this with the command you ran."
    ),
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
    "drop_start": "Uploading to SoftOne GO …",
    "drop_start_sandbox": "Uploading to the practice server (sandbox), not to SoftOne GO …",
    "drop_value_at": '"{value}" in {cell}',
    "drop_at_cell": "{message} ({cell})",
    "drop_more_problems": "{message} (and {count} more; the log file lists them all)",
    "drop_refused": "SoftOne GO refused the offer for customer {customer}: {reason}",
    "drop_unchanged": "Offer {offer_nr} was uploaded before and is unchanged: not sent again",
    "drop_written_now": "Offer {offer_nr} is now written into the workbook (it was not sent again)",
    "drop_written": "The results are written into the workbook.",
    "drop_locked": (
        "The offer numbers could not be written into the workbook: it is probably open in Excel."
    ),
    "drop_log": "Log file: {path}",
    "drop_all_done": "Done. Nothing more to do.",
    "drop_fix": (
        "Fix what the ✗ lines say, save and close the file, and drop it here again. "
        "Offers already uploaded are not sent twice."
    ),
    "drop_close": (
        "Close the file in Excel and drop it here again: the offer numbers are then written in "
        "without sending the offers again."
    ),
    "drop_retry": "Drop the file here again in a while: nothing is sent twice.",
    "drop_login_refused": "✗ The login does not work: {reason}",
    "drop_ask_again": "Enter your SoftOne GO details again?",
    "drop_not_started": "Nothing was uploaded: {reason}",
    "drop_nothing_uploaded": "Nothing was uploaded.",
    "drop_no_credentials": (
        "Nothing was uploaded: there are no SoftOne GO details. "
        "Drop the files here again and fill them in."
    ),
    "drop_unexpected": (
        "Something unexpected went wrong ({kind}). Offers already uploaded are safe "
        "and will not be sent twice."
    ),
    "drop_press_enter": "Press Enter to close",
    "drop_usage": (
        "Drag one or more Excel offers, or a folder of them, onto this icon. Each offer is "
        "checked and uploaded to SoftOne GO, and its offer number is written into the workbook."
    ),
    "drop_offer_template": "Put a fresh offer template on the Desktop?",
    "drop_template_written": "A fresh offer template is on the Desktop: {path}",
    "drop_template_hint": (
        "For a fresh offer template, double-click the icon or run: offer-converter template"
    ),
    "template_file_name": "Offer template",
    "yes_no": "[Y/n]",
    "setup_intro": (
        "Enter your SoftOne GO details (you get them from whoever runs SoftOne GO at your "
        "company). They are asked for once and stored on this computer."
    ),
    "setup_company_api_key": "Company API key",
    "setup_connect_api_key": "Connect API key",
    "setup_license": "License",
    "setup_username": "User name",
    "setup_password": "Password (not shown)",
    "setup_testing": "Testing the login with SoftOne GO …",
    "setup_works": "✓ The login works.",
    "setup_refused": (
        "✗ The login does not work: {reason}. Nothing was stored: check the details and try again."
    ),
    "setup_unreachable": (
        "✗ Could not reach SoftOne GO to test the login: {reason}. Nothing was stored."
    ),
    "setup_stored_keyring": "Stored: the password in the system keyring, the rest in {path}.",
    "setup_stored_file": (
        "Stored in {path}, which only you can read (this computer has no system keyring)."
    ),
    "setup_cancelled": "No details were entered; nothing was stored.",
    "setup_forgotten": "The stored SoftOne GO details are removed.",
    "setup_nothing_stored": "No SoftOne GO details were stored.",
    "shortcut_name": "Upload offers",
    "shortcut_name_sandbox": "Upload offers (practice)",
    "shortcut_comment": "Drop Excel offers here to upload them to SoftOne GO",
    "shortcut_created": "The icon is ready: {path}",
    "shortcut_how": (
        "Drag Excel offers (or a folder) onto it. Double-click it for a fresh offer template."
    ),
    "shortcut_linux_trust": (
        "If the desktop marks it as untrusted, right-click it and choose Allow Launching."
    ),
    "shortcut_mac_manual": (
        "osacompile is not available, so the icon could not be made here. Open {path} in "
        "Script Editor, choose File → Export…, File Format: Application, and save it on "
        "the Desktop."
    ),
    "shortcut_program_missing": (
        "offer-converter is no longer installed at {path}. Install it again, then run: "
        "offer-converter install-shortcut"
    ),
    "shortcut_failed": "The icon could not be made in {path}: {reason}",
    # --- migrate (issue 5): add keys below ---
    # reading legacy formats
    "not_a_spreadsheet": (
        "{file}: not a spreadsheet that can be migrated (.xlsx, .xlsm, .xls, .ods or .csv)"
    ),
    "xls_not_excel": (
        "{file}: named .xls, but not an Excel file (it may be a web page or text exported by "
        "an old system). Open it in Excel or LibreOffice and save it as .xlsx"
    ),
    "xls_protected": (
        "{file}: the workbook is password-protected. Remove the password (or save it as .xlsx "
        "without one) and try again"
    ),
    "xls_unreadable": "{file}: not a readable Excel 97-2003 workbook ({reason})",
    "ods_unreadable": "{file}: not a readable OpenDocument spreadsheet ({reason})",
    "csv_unreadable": "{file}: cannot read the CSV file ({reason})",
    "csv_separator": (
        "{file}: the first line has no ';'. Save the CSV with semicolons between the fields, "
        "as Swedish Excel does"
    ),
    # legacy layouts
    "legacy_no_offers": (
        "no offer found with the profile's {layout} layout. Check that --profile fits this file"
    ),
    "list_no_header": (
        "skipped: no header row with the offer number column and Artikel or Beskrivning"
    ),
    "list_no_key": "a row without an offer number before the first offer. Fill in the number",
    "list_conflict": (
        "{field} {value!r} differs from {first!r} in {first_at}, in the same offer. "
        "Make them the same"
    ),
    "list_offer_skipped": "offer {key} skipped: every row matches a skip rule",
    "row_skipped": "row skipped: {column} {value!r} matches a skip rule in the profile",
    "article_unknown": (
        "Artikel {value!r} is not in the article table ({table}). Add it to the table, "
        "or fix the Artikel"
    ),
    # migrate
    "duplicate_file": "same content as {other}: not read again",
    "legacy_duplicate": ("the same legacy offer as {other} ({where}): only that one is uploaded"),
    "legacy_duplicate_differs": (
        "the same legacy offer as {other} ({where}), but with other content: only that one "
        "is uploaded. Check which one is right"
    ),
    "legacy_already_migrated": (
        "already migrated as offer {offer_nr} (from {other}): not sent again"
    ),
    "legacy_key_conflict": (
        "legacy offer number {key} is also used for Kundnr {other_customer} ({other}), so "
        "its ExternalId {external_id} would not be unique. Add the customer placeholder to "
        "[migration] external_id in the profile (see the README)"
    ),
    "migrate_invalid": "not uploaded: {count} error(s). {first}",
    "migrate_invalid_more": "not uploaded: {count} error(s). {first} (see the Problems sheet)",
    "migrate_ready": "ready to upload (dry run: nothing was sent)",
    "migrate_not_sent": "not sent: the run was stopped. The next run sends it",
    "migrate_unexpected": "{file}: unexpected error ({error}). Please report it",
    "report_not_read": "a migration report from an earlier run: not read",
    "migrate_summary": (
        "{files} files, {offers} offers: {created} created, {updated} updated, {skipped} "
        "unchanged, {duplicate} duplicates, {failed} failed"
    ),
    "migrate_summary_dry": (
        "dry run, nothing uploaded. {files} files, {offers} offers: {ready} ready, "
        "{duplicate} duplicates, {failed} with errors"
    ),
    "migrate_stopped": (
        "Stopped after the requests in flight ({left} of {total} files not finished). Run the "
        "same command again to continue: offers already uploaded are not sent again"
    ),
    "migrate_report": "Report: {path}",
    "migrate_failed_header": "Failed offers ({count}):",
    "migrate_more_failed": "… and {count} more: see the report",
    # the migration report
    "report_sheet_summary": "Summary",
    "report_sheet_offers": "Offers",
    "report_sheet_problems": "Problems",
    "report_file": "File",
    "report_sheet": "Sheet",
    "report_row": "Row",
    "report_key": "Legacy no",
    "report_customer": "Kundnr",
    "report_date": "Date",
    "report_rows": "Rows",
    "report_total": "Total",
    "report_status": "Status",
    "report_offer_nr": "Offer no",
    "report_external_id": "ExternalId",
    "report_message": "Message",
    "report_severity": "Severity",
    "report_where": "Cell",
    "report_title": "Migration of legacy offers",
    "report_mode": "Mode",
    "report_mode_dry": "dry run: nothing was uploaded",
    "report_mode_upload": "upload",
    "report_profile": "Profile",
    "report_target": "Uploaded to",
    "report_started": "Started",
    "report_finished": "Finished",
    "report_files": "Files",
    "report_files_duplicate": "of which duplicates (same content)",
    "report_files_unread": "not read (the run was stopped)",
    "report_offers": "Offers",
    "report_stopped": "The run was stopped: run the same command again to continue",
    "report_next": (
        "Failed offers: fix them in their files and run the same command again. Offers "
        "already uploaded are not sent again"
    ),
    "report_fatal": "Stopped",
    "state_created": "created",
    "state_updated": "updated",
    "state_skipped": "unchanged",
    "state_duplicate": "duplicate",
    "state_failed": "failed",
    "state_stopped": "not sent",
    "state_ready": "ready",
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
    "token_refused_no_login": (
        "SoftOne GO godtog inte token, och det finns ingen licens, inget användarnamn och "
        "inget lösenord att logga in igen med. Skaffa en ny token, eller ange "
        "SOFTONE_LICENSE, SOFTONE_USERNAME och SOFTONE_PASSWORD."
    ),
    "login_refused": "SoftOne GO godtog inte inloggningen: {reason}",
    "credentials_refused": "SoftOne GO godtog inte inloggningsuppgifterna: {reason}",
    "unexpected_external_id_reply": "SoftOne GO svarade oväntat på sökningen efter ExternalId",
    "unexpected_offer_reply": "SoftOne GO svarade oväntat på sökningen efter offerten",
    "no_reply": "inget svar från SoftOne GO ({detail}); offerten kan ha sparats",
    "unreachable": "SoftOne GO går inte att nå ({detail})",
    "server_error": "SoftOne GO svarade HTTP {status} ({reason}); offerten kan ha sparats",
    "http_refused": "SoftOne GO svarade HTTP {status}: {reason}",
    "not_accepted": "SoftOne GO tog inte emot begäran efter {tries} försök; försök igen senare",
    "reply_not_json": "SoftOne GO skickade ett svar som inte är JSON (HTTP {status})",
    "reply_not_understood": "SoftOne GO skickade ett svar som inte går att tolka (HTTP {status})",
    "found_without_number": "SoftOne GO har offerten men angav inte dess nummer",
    "saved_without_number": "SoftOne GO sa att offerten sparades men skickade inget nummer",
    "no_answer": "SoftOne GO svarade inte efter {tries} försök",
    "wb_cannot_read": "{file}: filen går inte att läsa ({reason}).",
    "wb_cannot_save": "{file}: arbetsboken går inte att spara ({reason}).",
    "wb_cannot_save_results": "{file}: resultatfilen går inte att spara ({reason}).",
    "wb_disk_full": "{file}: disken är full. Frigör utrymme och kör igen.",
    "wb_locked": (
        "{file}: resultaten går inte att spara i arbetsboken; den är öppen i Excel eller "
        "skrivskyddad. Stäng den i Excel (eller ta bort skrivskyddet) och kör igen."
    ),
    "wb_results_file_locked": (
        "{file}: resultatfilen går inte att spara; den är öppen i Excel eller skrivskyddad. "
        "Stäng den och kör igen."
    ),
    "wb_changed": (
        "{file}: filen har ändrats sedan den lästes (sparades den i Excel?); inget skrevs "
        "över. Kör igen för att skriva in resultaten i den sparade versionen."
    ),
    "wb_cannot_open": "{file}: går inte att öppna för skrivning ({reason}); inget ändrades.",
    "wb_cannot_write": "{file}: resultaten kunde inte skrivas ({reason}); inget ändrades.",
    "wb_would_not_reopen": (
        "{file}: den skrivna arbetsboken skulle inte gå att öppna igen ({reason}); inget ändrades."
    ),
    "wb_would_lose_macros": (
        "{file}: makrona skulle gå förlorade om resultaten skrevs in; inget ändrades."
    ),
    "wb_no_backup": (
        "{file}: det går inte att göra en säkerhetskopia i {folder} ({reason}); arbetsboken "
        "ändrades inte. Frigör utrymme eller välj en annan mapp för säkerhetskopior och kör "
        "igen."
    ),
    "wb_no_backup_disk_full": (
        "{file}: det går inte att göra en säkerhetskopia i {folder}: disken är full; arbetsboken "
        "ändrades inte. Frigör utrymme eller välj en annan mapp för säkerhetskopior och "
        "kör igen."
    ),
    "wb_sheet_gone": "{file}: bladet '{sheet}' finns inte längre i arbetsboken; inget ändrades.",
    "wb_records_not_a_sheet": "{file}: '{sheet}' är inget kalkylblad; inget ändrades.",
    "status_created": "Uppladdad {time}",
    "status_updated": "Uppdaterad {time}",
    "status_failed": "Fel: {reason}",
    "summary_counts": (
        "{created} skapade, {updated} uppdaterade, {skipped} oförändrade, {failed} misslyckade"
    ),
    "fatal_error": "Fel: {message}",
    "stopped": "Avbrutet.",
    "unexpected_error": (
        "Oväntat fel ({kind}). Det misslyckade steget ändrade ingenting. "
        "Rapportera det gärna, tillsammans med kommandot du körde."
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
    "drop_start": "Laddar upp till SoftOne GO …",
    "drop_start_sandbox": "Laddar upp till övningsservern (sandlådan), inte till SoftOne GO …",
    "drop_value_at": '"{value}" i {cell}',
    "drop_at_cell": "{message} ({cell})",
    "drop_more_problems": "{message} (och {count} fel till; loggfilen visar alla)",
    "drop_refused": "SoftOne GO tog inte emot offerten för kund {customer}: {reason}",
    "drop_unchanged": "Offert {offer_nr} är redan uppladdad och oförändrad: skickades inte igen",
    "drop_written_now": "Offert {offer_nr} är nu inskriven i arbetsboken (den skickades inte igen)",
    "drop_written": "Resultatet är inskrivet i arbetsboken.",
    "drop_locked": (
        "Offertnumren kunde inte skrivas in i arbetsboken: den är troligen öppen i Excel."
    ),
    "drop_log": "Loggfil: {path}",
    "drop_all_done": "Klart. Inget mer att göra.",
    "drop_fix": (
        "Rätta det som står efter ✗, spara och stäng filen och släpp den här igen. "
        "Offerter som redan är uppladdade skickas inte två gånger."
    ),
    "drop_close": (
        "Stäng filen i Excel och släpp den här igen: då skrivs offertnumren in utan att "
        "offerterna skickas igen."
    ),
    "drop_retry": "Släpp filen här igen om en stund: inget skickas två gånger.",
    "drop_login_refused": "✗ Inloggningen fungerar inte: {reason}",
    "drop_ask_again": "Vill du ange dina SoftOne GO-uppgifter igen?",
    "drop_not_started": "Inget laddades upp: {reason}",
    "drop_nothing_uploaded": "Inget laddades upp.",
    "drop_no_credentials": (
        "Inget laddades upp: SoftOne GO-uppgifterna saknas. Släpp filerna här igen och fyll i dem."
    ),
    "drop_unexpected": (
        "Något oväntat gick fel ({kind}). Offerter som redan är uppladdade finns kvar "
        "och skickas inte två gånger."
    ),
    "drop_press_enter": "Tryck Enter för att stänga",
    "drop_usage": (
        "Dra en eller flera Excel-offerter, eller en mapp med offerter, till den här ikonen. "
        "Varje offert kontrolleras och laddas upp till SoftOne GO, och offertnumret skrivs in "
        "i arbetsboken."
    ),
    "drop_offer_template": "Vill du ha en ny offertmall på skrivbordet?",
    "drop_template_written": "En ny offertmall finns på skrivbordet: {path}",
    "drop_template_hint": (
        "En ny offertmall får du genom att dubbelklicka på ikonen eller köra: "
        "offer-converter template"
    ),
    "template_file_name": "Offertmall",
    "yes_no": "[J/n]",
    "setup_intro": (
        "Ange dina SoftOne GO-uppgifter (du får dem av den som sköter SoftOne GO på "
        "företaget). De efterfrågas en gång och sparas på den här datorn."
    ),
    "setup_company_api_key": "Företagets API-nyckel (Company API key)",
    "setup_connect_api_key": "Connect-API-nyckel (Connect API key)",
    "setup_license": "Licens",
    "setup_username": "Användarnamn",
    "setup_password": "Lösenord (visas inte)",
    "setup_testing": "Testar inloggningen mot SoftOne GO …",
    "setup_works": "✓ Inloggningen fungerar.",
    "setup_refused": (
        "✗ Inloggningen fungerar inte: {reason}. Inget sparades: kontrollera uppgifterna "
        "och försök igen."
    ),
    "setup_unreachable": (
        "✗ Kunde inte nå SoftOne GO för att testa inloggningen: {reason}. Inget sparades."
    ),
    "setup_stored_keyring": "Sparat: lösenordet i systemets nyckelring, resten i {path}.",
    "setup_stored_file": "Sparat i {path}, som bara du kan läsa (datorn har ingen nyckelring).",
    "setup_cancelled": "Inga uppgifter angavs; inget sparades.",
    "setup_forgotten": "De sparade SoftOne GO-uppgifterna är borttagna.",
    "setup_nothing_stored": "Det fanns inga sparade SoftOne GO-uppgifter.",
    "shortcut_name": "Ladda upp offerter",
    "shortcut_name_sandbox": "Ladda upp offerter (övning)",
    "shortcut_comment": "Släpp Excel-offerter här för att ladda upp dem till SoftOne GO",
    "shortcut_created": "Ikonen är klar: {path}",
    "shortcut_how": (
        "Dra Excel-offerter (eller en mapp) till den. Dubbelklicka på den för en ny offertmall."
    ),
    "shortcut_linux_trust": (
        "Om skrivbordet markerar den som ej betrodd: högerklicka och välj Tillåt start."
    ),
    "shortcut_mac_manual": (
        "osacompile finns inte, så ikonen kunde inte skapas här. Öppna {path} i "
        "Skriptredigeraren, välj Arkiv → Exportera…, Filformat: Program, och spara den på "
        "skrivbordet."
    ),
    "shortcut_program_missing": (
        "offer-converter finns inte längre på {path}. Installera det igen och kör sedan: "
        "offer-converter install-shortcut"
    ),
    "shortcut_failed": "Ikonen kunde inte skapas i {path}: {reason}",
    # --- migrate (issue 5): add keys below ---
    "not_a_spreadsheet": (
        "{file}: inget kalkylark som kan migreras (.xlsx, .xlsm, .xls, .ods eller .csv)"
    ),
    "xls_not_excel": (
        "{file}: heter .xls men är ingen Excel-fil (det kan vara en webbsida eller text från "
        "ett gammalt system). Öppna den i Excel eller LibreOffice och spara den som .xlsx"
    ),
    "xls_protected": (
        "{file}: arbetsboken är lösenordsskyddad. Ta bort lösenordet (eller spara den som "
        ".xlsx utan lösenord) och försök igen"
    ),
    "xls_unreadable": "{file}: ingen läsbar Excel 97-2003-arbetsbok ({reason})",
    "ods_unreadable": "{file}: inget läsbart OpenDocument-kalkylark ({reason})",
    "csv_unreadable": "{file}: CSV-filen går inte att läsa ({reason})",
    "csv_separator": (
        "{file}: första raden saknar ';'. Spara CSV-filen med semikolon mellan fälten, "
        "som svenska Excel gör"
    ),
    "legacy_no_offers": (
        "ingen offert hittades med profilens layout {layout}. Kontrollera att --profile "
        "passar filen"
    ),
    "list_no_header": (
        "hoppades över: ingen rubrikrad med kolumnen för offertnummer och Artikel eller Beskrivning"
    ),
    "list_no_key": "en rad utan offertnummer före den första offerten. Fyll i numret",
    "list_conflict": (
        "{field} {value!r} skiljer sig från {first!r} i {first_at}, i samma offert. Gör dem lika"
    ),
    "list_offer_skipped": "offert {key} hoppades över: alla rader matchar en hoppa över-regel",
    "row_skipped": "raden hoppades över: {column} {value!r} matchar en regel i profilen",
    "article_unknown": (
        "Artikel {value!r} finns inte i artikeltabellen ({table}). Lägg till den i tabellen "
        "eller rätta Artikel"
    ),
    "duplicate_file": "samma innehåll som {other}: lästes inte igen",
    "legacy_duplicate": ("samma gamla offert som {other} ({where}): bara den laddas upp"),
    "legacy_duplicate_differs": (
        "samma gamla offert som {other} ({where}), men med annat innehåll: bara den laddas "
        "upp. Kontrollera vilken som stämmer"
    ),
    "legacy_already_migrated": (
        "redan migrerad som offert {offer_nr} (från {other}): skickades inte igen"
    ),
    "legacy_key_conflict": (
        "det gamla offertnumret {key} används också för Kundnr {other_customer} ({other}), så "
        "dess ExternalId {external_id} vore inte unikt. Lägg till platshållaren för kunden i "
        "[migration] external_id i profilen (se README)"
    ),
    "migrate_invalid": "inte uppladdad: {count} fel. {first}",
    "migrate_invalid_more": "inte uppladdad: {count} fel. {first} (se bladet Problem)",
    "migrate_ready": "klar att laddas upp (provkörning: inget skickades)",
    "migrate_not_sent": "inte skickad: körningen stoppades. Nästa körning skickar den",
    "migrate_unexpected": "{file}: oväntat fel ({error}). Rapportera det gärna",
    "report_not_read": "en migreringsrapport från en tidigare körning: lästes inte",
    "migrate_summary": (
        "{files} filer, {offers} offerter: {created} skapade, {updated} uppdaterade, "
        "{skipped} oförändrade, {duplicate} dubbletter, {failed} misslyckade"
    ),
    "migrate_summary_dry": (
        "provkörning, inget laddades upp. {files} filer, {offers} offerter: {ready} klara, "
        "{duplicate} dubbletter, {failed} med fel"
    ),
    "migrate_stopped": (
        "Stoppad efter pågående anrop ({left} av {total} filer inte klara). Kör samma "
        "kommando igen för att fortsätta: offerter som redan laddats upp skickas inte igen"
    ),
    "migrate_report": "Rapport: {path}",
    "migrate_failed_header": "Misslyckade offerter ({count}):",
    "migrate_more_failed": "… och {count} till: se rapporten",
    "report_sheet_summary": "Sammanfattning",
    "report_sheet_offers": "Offerter",
    "report_sheet_problems": "Problem",
    "report_file": "Fil",
    "report_sheet": "Blad",
    "report_row": "Rad",
    "report_key": "Gammalt nr",
    "report_customer": "Kundnr",
    "report_date": "Datum",
    "report_rows": "Rader",
    "report_total": "Summa",
    "report_status": "Status",
    "report_offer_nr": "Offertnr",
    "report_external_id": "ExternalId",
    "report_message": "Meddelande",
    "report_severity": "Allvar",
    "report_where": "Cell",
    "report_title": "Migrering av gamla offerter",
    "report_mode": "Läge",
    "report_mode_dry": "provkörning: inget laddades upp",
    "report_mode_upload": "uppladdning",
    "report_profile": "Profil",
    "report_target": "Uppladdat till",
    "report_started": "Start",
    "report_finished": "Klar",
    "report_files": "Filer",
    "report_files_duplicate": "varav dubbletter (samma innehåll)",
    "report_files_unread": "inte lästa (körningen stoppades)",
    "report_offers": "Offerter",
    "report_stopped": "Körningen stoppades: kör samma kommando igen för att fortsätta",
    "report_next": (
        "Misslyckade offerter: rätta dem i sina filer och kör samma kommando igen. Offerter "
        "som redan laddats upp skickas inte igen"
    ),
    "report_fatal": "Stoppad",
    "state_created": "skapad",
    "state_updated": "uppdaterad",
    "state_skipped": "oförändrad",
    "state_duplicate": "dubblett",
    "state_failed": "misslyckad",
    "state_stopped": "inte skickad",
    "state_ready": "klar",
}

CATALOGUES: dict[Lang, dict[str, str]] = {"en": EN, "sv": SV}


def system_lang() -> Lang:
    """Swedish when the system language is Swedish, English otherwise."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return _lang_of(value)
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return _lang_of(code)


def _lang_of(code: str) -> Lang:
    # POSIX says "sv_SE.UTF-8"; Windows says "Swedish_Sweden"
    return "sv" if code.lower().startswith(("sv", "swedish")) else "en"


def format_amount(value: Decimal, lang: Lang) -> str:
    """``10550`` → ``10 550,00`` (Swedish) or ``10,550.00`` (English)."""
    text = f"{value:,.2f}"
    if lang == "sv":
        return text.replace(",", "\u00a0").replace(".", ",")
    return text


def render(code: str, lang: Lang = "en", **params: object) -> str:
    """The message for ``code`` in ``lang`` with ``params`` filled in."""
    shown = {k: _shown(v, lang) for k, v in params.items()}
    return CATALOGUES[lang][code].format(**shown)


def _shown(value: object, lang: Lang) -> object:
    """A parameter as the message shows it: amounts in the language's style, and one of
    our errors (say, the reason an upload failed) in the same language as the message."""
    if isinstance(value, Decimal):
        return format_amount(value, lang)
    if isinstance(value, CodedError):
        return value.message(lang)
    return value
