"""The migration report: an ``.xlsx`` with one line per offer, and optionally CSV and JSON.

The workbook has three sheets, the summary first:

- *Summary*: what was run, when, and how many offers ended how;
- *Offers*: file, sheet, row, legacy number, Kundnr, date, number of rows,
  total, status, offer number, ExternalId and message. The header row is
  frozen and has an autofilter; failed offers are red, duplicates yellow,
  offers not sent (a stopped run) grey;
- *Problems*: every problem found in the files, with its cell.

It is written in openpyxl's write-only mode, which streams the rows to disk,
so a report of 100,000 offers takes little memory. The CSV is Swedish CSV (the
format ``migrate`` reads: ``;``, a decimal comma, UTF-8 with a BOM, so Excel
opens it right); the JSON keeps the status codes and exact decimals as text.
Every file is written through a temporary file, never half.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from converter.fileio import write_atomically
from converter.i18n import Lang, render
from converter.migration.run import (
    REPORT_COLUMNS,
    REPORT_TITLE,
    STATUSES,
    LineStatus,
    MigrationRun,
    OfferLine,
    ProblemLine,
)
from converter.wrapping import FONT_NAME, chars_per_line, wrapped_height, wrapped_lines

OFFER_COLUMNS = REPORT_COLUMNS
PROBLEM_COLUMNS = ("file", "where", "severity", "message")
_HEADER_KEYS = {
    "file": "report_file",
    "sheet": "report_sheet",
    "row": "report_row",
    "key": "report_key",
    "customer": "report_customer",
    "date": "report_date",
    "rows": "report_rows",
    "total": "report_total",
    "status": "report_status",
    "offer_nr": "report_offer_nr",
    "external_id": "report_external_id",
    "message": "report_message",
    "where": "report_where",
    "severity": "report_severity",
}
_FILLS: dict[str, PatternFill] = {
    "failed": PatternFill("solid", fgColor="FFC7CE"),
    "duplicate": PatternFill("solid", fgColor="FFEB9C"),
    "stopped": PatternFill("solid", fgColor="E7E6E6"),
    "error": PatternFill("solid", fgColor="FFC7CE"),
    "warning": PatternFill("solid", fgColor="FFEB9C"),
}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_BOLD = Font(name=FONT_NAME, bold=True)
_RED_BOLD = Font(name=FONT_NAME, bold=True, color="9C0006")
_MIN_WIDTH, _MAX_WIDTH = 6, 60
_MESSAGE_WIDTH = 60  # the message wraps in a column this wide; its row grows to show it all
_AMOUNT_FORMAT = "#,##0.00"
_DATE_FORMAT = "yyyy-mm-dd"


def write_report(
    run: MigrationRun, path: Path, lang: Lang = "en", data: bool = False
) -> list[Path]:
    """Write the report to ``path`` (.xlsx); with ``data``, also ``.csv`` and ``.json`` beside it.

    Returns the paths written.
    """
    written = [path]
    write_atomically(path, report_xlsx(run, lang))
    if data:
        csv_path, json_path = report_siblings(path)
        write_atomically(csv_path, report_csv(run))
        write_atomically(json_path, report_json(run))
        written += [csv_path, json_path]
    return written


def report_siblings(path: Path) -> tuple[Path, Path]:
    """Where ``--report-data`` writes the CSV and the JSON: beside the .xlsx, same name."""
    return path.with_suffix(".csv"), path.with_suffix(".json")


# ------------------------------------------------------------------------------- .xlsx


def report_xlsx(run: MigrationRun, lang: Lang = "en") -> bytes:
    """The report workbook as bytes."""
    wb = Workbook(write_only=True)
    wb.properties.title = REPORT_TITLE  # so that a later run does not read it as a legacy file
    wb.properties.creator = "offer-converter"
    _summary_sheet(wb.create_sheet(render("report_sheet_summary", lang)), run, lang)
    _table_sheet(
        wb.create_sheet(render("report_sheet_offers", lang)),
        [render(_HEADER_KEYS[c], lang) for c in OFFER_COLUMNS],
        [_offer_values(line, lang) for line in run.lines],
        [line.status for line in run.lines],
        status_column=OFFER_COLUMNS.index("status"),
    )
    _table_sheet(
        wb.create_sheet(render("report_sheet_problems", lang)),
        [render(_HEADER_KEYS[c], lang) for c in PROBLEM_COLUMNS],
        [
            [p.file, p.where, render(f"severity_{p.severity}", lang), p.message]
            for p in run.problems
        ],
        [p.severity for p in run.problems],
        status_column=PROBLEM_COLUMNS.index("severity"),
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# The sheets are openpyxl write-only sheets, typed Any: its stubs lack their
# column_dimensions and auto_filter, which exist and are written.
def _summary_sheet(ws: Any, run: MigrationRun, lang: Lang) -> None:
    counts = run.counts()
    ws.column_dimensions["A"].width = 38
    ws.column_dimensions["B"].width = 40
    _print_setup(ws, landscape=False)
    title = WriteOnlyCell(ws, render("report_title", lang))
    title.font = Font(name=FONT_NAME, bold=True, size=14)
    ws.append([title])
    ws.append([])
    mode = "report_mode_dry" if run.dry_run else "report_mode_upload"
    rows: list[tuple[str, Any]] = [
        (render("report_mode", lang), render(mode, lang)),
        (render("report_profile", lang), run.profile),
    ]
    if run.target is not None:
        rows.append((render("report_target", lang), run.target))
    if run.verified is not None:
        verified = "report_verified_yes" if run.verified else "report_verified_no"
        rows.append((render("report_verified", lang), render(verified, lang)))
    rows += [
        (render("report_started", lang), _local_time(run.started)),
        (render("report_finished", lang), _local_time(run.finished)),
        (render("report_files", lang), run.files_total),
        (render("report_files_duplicate", lang), run.duplicate_files),
    ]
    if run.files_done < run.files_total:
        rows.append((render("report_files_unread", lang), run.files_total - run.files_done))
    rows.append((render("report_offers", lang), run.offers))
    for status in STATUSES:
        if counts[status] or status in _shown_statuses(run):
            rows.append((render(f"state_{status}", lang), counts[status]))
    left = Alignment(horizontal="left")
    for label, value in rows:
        cell = WriteOnlyCell(ws, label)
        cell.font = _BOLD
        shown = WriteOnlyCell(ws, value)
        shown.alignment = left  # counts and text line up under each other
        ws.append([cell, shown])
    ws.append([])
    notes: list[tuple[str, bool]] = []
    if run.fatal is not None:
        notes.append((f"{render('report_fatal', lang)}: {run.fatal}", True))
    if run.stopped:
        notes.append((render("report_stopped", lang), True))
    if counts["failed"]:
        notes.append((render("report_next", lang), False))
    for text, alarming in notes:
        note = WriteOnlyCell(ws, text)
        note.font = _RED_BOLD if alarming else _BOLD
        ws.append([note])


def _shown_statuses(run: MigrationRun) -> tuple[LineStatus, ...]:
    """The statuses the summary lists even at zero, so a reader sees that nothing failed."""
    if run.dry_run:
        return ("ready", "duplicate", "failed")
    return ("created", "updated", "skipped", "duplicate", "failed")


def _table_sheet(
    ws: Any,
    header: list[str],
    rows: Sequence[list[Any]],
    kinds: Sequence[str],
    status_column: int,
) -> None:
    """A table with a frozen, filtered header row, sized columns and the failures coloured.

    The message (the last column) wraps, top-aligned like the rest of its row,
    and each row is as high as its message needs: a spreadsheet does not size
    rows when it opens a file, so a long message would be cut off or run over
    the rows below.
    """
    widths = _widths(header, rows)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    per_line = chars_per_line(widths[-1])
    ws.freeze_panes = "A2"
    _print_setup(ws, landscape=True)
    ws.print_title_rows = "1:1"  # the header on every printed page
    last = get_column_letter(len(header))
    ws.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    cells = []
    for text in header:
        cell = WriteOnlyCell(ws, text)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
        cells.append(cell)
    ws.append(cells)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for number, (values, kind) in enumerate(zip(rows, kinds, strict=True), start=2):
        message = values[-1]
        if isinstance(message, str) and wrapped_lines(message, per_line) > 1:
            # set before the row is appended: write-only sheets write each row at once
            ws.row_dimensions[number].height = wrapped_height(message, per_line)
        fill = _FILLS.get(kind)
        row = []
        for index, value in enumerate(values):
            cell = WriteOnlyCell(ws, value)
            cell.alignment = top
            if isinstance(value, Decimal):
                cell.number_format = _AMOUNT_FORMAT
            elif isinstance(value, datetime):
                cell.number_format = _DATE_FORMAT
            if index == len(values) - 1:
                cell.alignment = wrap  # the message: long, and best read whole
            if fill is not None:
                cell.fill = fill
                if index == status_column:
                    cell.font = _RED_BOLD if kind in ("failed", "error") else _BOLD
            row.append(cell)
        ws.append(row)


def _print_setup(ws: Any, landscape: bool) -> None:
    """Printed, a sheet fits the page's width (and the wide tables print across)."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _widths(header: list[str], rows: Iterable[list[Any]]) -> list[float]:
    """Each column as wide as its longest value, within bounds; the message (last) wider."""
    caps = [_MAX_WIDTH] * (len(header) - 1) + [_MESSAGE_WIDTH]
    widths = [len(text) + 2 for text in header]
    for values in rows:
        for index, value in enumerate(values):
            if value is None:
                continue
            length = 12 if isinstance(value, datetime | Decimal) else len(str(value))
            widths[index] = max(widths[index], min(length + 2, caps[index]))
    return [float(max(_MIN_WIDTH, w)) for w in widths]


def _offer_values(line: OfferLine, lang: Lang) -> list[Any]:
    return [
        line.file,
        line.sheet or None,
        line.row,
        line.key,
        line.customer,
        # a date cell, so that it sorts and filters as a date
        datetime(line.date.year, line.date.month, line.date.day) if line.date else None,
        line.rows,
        line.total,
        render(f"state_{line.status}", lang),
        line.offer_nr,
        line.external_id,
        line.message,
    ]


def _local_time(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment is not None else ""


# ------------------------------------------------------------------------------- csv, json


def _record(line: OfferLine) -> dict[str, Any]:
    return {
        "file": line.file,
        "sheet": line.sheet or None,
        "row": line.row,
        "key": line.key,
        "customer": line.customer,
        "date": line.date.isoformat() if line.date else None,
        "rows": line.rows,
        "total": None if line.total is None else str(line.total),
        "status": line.status,
        "offer_nr": line.offer_nr,
        "external_id": line.external_id,
        "message": line.message,
    }


def report_csv(run: MigrationRun) -> bytes:
    """One line per offer as Swedish CSV (``;``, decimal comma, UTF-8 with a BOM)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(OFFER_COLUMNS)
    for line in run.lines:
        record = _record(line)
        if record["total"] is not None:
            record["total"] = record["total"].replace(".", ",")
        writer.writerow(["" if record[c] is None else record[c] for c in OFFER_COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def report_json(run: MigrationRun) -> bytes:
    """The whole run as JSON: the summary, one object per offer, and the problems."""
    return (json.dumps(report_dict(run), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def report_dict(run: MigrationRun) -> dict[str, Any]:
    """A JSON-ready form of the run (statuses as codes, amounts as exact text)."""
    return {
        "ok": run.ok,
        "dry_run": run.dry_run,
        "profile": run.profile,
        "target": run.target,
        "verified": run.verified,
        "started": run.started.isoformat(timespec="seconds"),
        "finished": run.finished.isoformat(timespec="seconds") if run.finished else None,
        "files": run.files_total,
        "files_done": run.files_done,
        "duplicate_files": run.duplicate_files,
        "stopped": run.stopped,
        "fatal": run.fatal,
        "counts": run.counts(),
        "offers": [_record(line) for line in run.lines],
        "problems": [_problem_record(p) for p in run.problems],
    }


def _problem_record(problem: ProblemLine) -> dict[str, str]:
    return {
        "file": problem.file,
        "where": problem.where,
        "severity": problem.severity,
        "message": problem.message,
    }
