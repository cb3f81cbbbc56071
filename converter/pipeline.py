"""The pipeline: reader → mapper (→ uploader → writeback), and reader → fill → writeback.

Each function here chains the stages for one use; the CLI only calls these.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from converter.errors import (
    LookupFailed,
    ProfileError,
    WorkbookBusy,
    WorkbookError,
    WritebackError,
)
from converter.i18n import Lang, render
from converter.map.offer_sheet import map_workbook
from converter.model.mapped import FileReport, Problem, Report, problem_text
from converter.model.profile import Profile, load_profile
from converter.model.records import WRITABLE_SUFFIXES
from converter.paths import default_backup_dir
from converter.read.filekind import plain_error
from converter.read.sheet_xml import cyclic_gc_paused
from converter.read.xlsx import WorkbookData, read_workbook

if TYPE_CHECKING:  # the upload stage (and httpx) is imported only when something is uploaded
    from converter.erp.claim import Editor
    from converter.erp.fill import SheetFill
    from converter.erp.lookups import Lookups
    from converter.erp.session import Connection
    from converter.erp.uploader import OfferResult, Plan, Uploader
    from converter.model.records import UploadRecord

WORKBOOK_SUFFIXES = WRITABLE_SUFFIXES
log = logging.getLogger(__name__)


def expand_paths(
    paths: Iterable[Path], suffixes: tuple[str, ...] = WORKBOOK_SUFFIXES
) -> Iterator[Path]:
    """Files as given, and the workbooks inside folders (recursively, sorted).

    Excel's lock files (``~$offer.xlsx``) and hidden files are skipped.
    ``suffixes`` are the file types looked for in folders (lower case).
    """
    for path in paths:
        if path.is_dir():
            found_any = False
            for found in sorted(path.rglob("*")):
                rel = found.relative_to(path)
                if (
                    found.is_file()
                    and found.suffix.lower() in suffixes
                    and not found.name.startswith("~$")
                    and not any(part.startswith(".") for part in rel.parts)
                ):
                    found_any = True
                    yield found
            if not found_any:
                yield path  # reading it says "a folder with no workbook in it"
        else:
            yield path


def read_and_map(path: Path, profile: Profile) -> tuple[WorkbookData | None, FileReport]:
    """Read and map one file; an unreadable file is a file-level error, not an exception."""
    try:
        workbook = read_workbook(path)
    except WorkbookError as refused:
        exc = plain_error(refused, path)
        report = FileReport(path=path)
        report.problems.append(Problem("error", exc.code, path, params=exc.params))
        return None, report
    with cyclic_gc_paused():  # mapping makes no cycles: see converter.read.sheet_xml
        return workbook, map_workbook(workbook, profile)


def validate_file(path: Path, profile: Profile) -> FileReport:
    """Read and check one file."""
    return read_and_map(path, profile)[1]


def require_sheet_layout(profile: Profile) -> Profile:
    """``profile``, if it describes one offer per sheet (what validate and upload read)."""
    if profile.layout.kind != "sheet":
        raise ProfileError("profile_not_sheet_layout", name=profile.name, kind=profile.layout.kind)
    return profile


def validate_files(paths: Iterable[Path], profile: Profile | None = None) -> Report:
    """Read and check every offer of ``paths`` (files or folders)."""
    profile = require_sheet_layout(profile or load_profile())
    return Report(files=[validate_file(p, profile) for p in expand_paths(paths)])


def validate_online(
    paths: Iterable[Path], profile: Profile | None, connection: Connection
) -> Report:
    """Read and check every offer of ``paths``, then look its customer and articles up in
    SoftOne GO (or the sandbox) as an upload would; nothing is sent.

    A look-up that can't be answered is an error on its offer, never a pass.
    """
    from converter.erp.session import open_session

    profile = require_sheet_layout(profile or load_profile())
    report = validate_files(paths, profile)
    if connection.softone is None:
        connection = replace(connection, softone=profile.softone)
    with open_session(connection) as session:
        guard = session.uploader.guard
        for offer in report.offers:
            if not offer.ok:
                continue
            try:
                offer.problems.extend(guard.check(offer))
            except LookupFailed as exc:
                params = {"reason": exc}
                offer.problems.append(
                    Problem("error", "lookup_failed_offer", offer.file, offer.sheet, params=params)
                )
    return report


def convert_files(paths: Iterable[Path], profile: Profile | None = None) -> list[dict[str, Any]]:
    """The request body for every offer of ``paths``, in order.

    Raises :class:`MappingError` (carrying the report) when any sheet has an error.
    """
    return validate_files(paths, profile).bodies()


@dataclass
class FileUpload:
    """One file's upload: its validation report, each offer's result, the write-back."""

    path: Path
    report: FileReport
    results: list[OfferResult] = field(default_factory=list)
    writeback_code: str | None = None
    writeback_params: dict[str, Any] = field(default_factory=dict)
    writeback_ok: bool = True
    # what the write-back put into the workbook: offer numbers, and error statuses
    written_numbers: list[str] = field(default_factory=list)
    written_errors: int = 0

    @property
    def failed(self) -> bool:
        """True when the file itself could not be used (unreadable, no offer in it)."""
        return bool(self.report.errors)

    def writeback_message(self, lang: Lang = "en") -> str | None:
        """What happened to the workbook, in the user's words."""
        if self.writeback_code is None:
            return None
        return render(self.writeback_code, lang, **self.writeback_params)


@dataclass
class UploadRun:
    """The result of ``upload``: every file and offer."""

    files: list[FileUpload] = field(default_factory=list)
    # what the run says before the files: (message code, parameters), e.g. a rebuilt journal
    notices: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def notice_messages(self, lang: Lang = "en") -> list[str]:
        """The notices in the user's words."""
        return [render(code, lang, **params) for code, params in self.notices]

    @property
    def results(self) -> list[OfferResult]:
        """Every offer's result, in order."""
        return [r for f in self.files for r in f.results]

    @property
    def ok(self) -> bool:
        """True only when every offer succeeded and every result reached its workbook."""
        file_errors = any(f.failed for f in self.files)
        failed = any(r.status == "failed" for r in self.results)
        return not file_errors and not failed and all(f.writeback_ok for f in self.files)

    def counts(self) -> dict[str, int]:
        """How many offers were created, updated, skipped and failed.

        A file that could not be used (unreadable, or no offer in it) counts as
        one failure: the summary adds up to the lines shown above it.
        """
        counts = {"created": 0, "updated": 0, "skipped": 0, "failed": 0}
        for result in self.results:
            counts[result.status] += 1
        counts["failed"] += sum(1 for f in self.files if f.failed)
        return counts


def upload_files(
    paths: Iterable[Path],
    uploader: Uploader,
    profile: Profile | None = None,
    backup_dir: Path | None = None,
    lang: Lang = "en",
    on_result: Callable[[OfferResult], None] | None = None,
    lock_wait: float | None = None,
) -> UploadRun:
    """Validate, upload and write back every offer of ``paths``, file by file.

    ``lock_wait`` is how long to wait for another upload of the same workbook
    (default :data:`~converter.erp.claim.DEFAULT_WAIT`).

    :class:`~converter.errors.AuthError` stops the run; any other failure is
    recorded against its offer or file and the run carries on.
    """

    profile = require_sheet_layout(profile or load_profile())
    backup_dir = backup_dir or default_backup_dir()
    run = UploadRun()
    if (aside := uploader.journal.moved_aside) is not None:
        run.notices.append(("journal_rebuilt", {"path": aside}))
    for path in expand_paths(paths):
        done = _upload_file(path, uploader, profile, backup_dir, lang, on_result, lock_wait)
        run.files.append(done)
    return run


def _upload_file(
    path: Path,
    uploader: Uploader,
    profile: Profile,
    backup_dir: Path,
    lang: Lang,
    on_result: Callable[[OfferResult], None] | None,
    lock_wait: float | None,
) -> FileUpload:
    """Upload one file: lock it, read it, claim its new offers in it, send, write back.

    A workbook that another upload or an editor holds, or that can't take the
    claims (open in Excel, read-only), is not uploaded: nothing is sent.
    """
    from converter.erp.claim import DEFAULT_WAIT, editor_holding, workbook_lock
    from converter.writeback.workbook import read_records

    lockable = path.suffix.lower() in WORKBOOK_SUFFIXES and path.is_file()
    with ExitStack() as stack:
        leftover = None
        if lockable:
            try:
                wait = DEFAULT_WAIT if lock_wait is None else lock_wait
                stack.enter_context(workbook_lock(path, wait))
                leftover = _editor_leftover(path, editor_holding(path))
            except WorkbookBusy as exc:
                report = FileReport(path=path)
                report.problems.append(Problem("error", exc.code, path, params=exc.params))
                return FileUpload(path=path, report=report)
        workbook, report = read_and_map(path, profile)
        done = FileUpload(path=path, report=report)
        if leftover is not None:
            report.problems.append(leftover)
        if workbook is None:
            return done
        try:
            records = {r.sheet: r for r in read_records(path) if uploader.speaks_of(r.target)}
        except WritebackError as exc:
            # records that can't be read: sending could make a second offer
            report.problems.append(Problem("error", exc.code, path, params=exc.params))
            return done
        holds = _holder(uploader)
        plans = [
            uploader.plan(
                offer,
                records.get(offer.sheet),
                copy_of=_original(uploader, path, offer.sheet, records.get(offer.sheet)),
                holds=holds,
            )
            for offer in report.offers
        ]
        read = workbook  # the workbook as the file reads now
        claims = [p for p in plans if p.action == "create"]
        if claims and path.suffix.lower() in WRITABLE_SUFFIXES:
            try:
                read = _claim(path, workbook, claims, uploader, backup_dir, lang)
            except WritebackError as exc:
                done.results = [p.result or _not_claimed(p, exc) for p in plans]
                done.writeback_ok = False
                done.writeback_code, done.writeback_params = "claim_failed", {"reason": exc}
                for result in done.results:
                    if on_result is not None:
                        on_result(result)
                return done
        for plan in plans:
            result = uploader.carry_out(plan)
            done.results.append(result)
            if on_result is not None:
                on_result(result)
        _write_back(done, read, uploader, backup_dir, lang)
    return done


def _editor_leftover(path: Path, editor: Editor | None) -> Problem | None:
    """None when no editor holds ``path``; a warning for a crash leftover; raises
    :class:`WorkbookBusy` when Excel or LibreOffice has it open."""
    if editor is None:
        return None
    params: dict[str, Any] = {
        "file": path.name,
        "owner": editor.owner_file.name,
        "user": editor.user,
        "host": editor.host or "?",
        "since": editor.since or "?",
    }
    if editor.leftover:
        log.warning("%s: ignoring %s, left by a crash", path, editor.owner_file.name)
        return Problem("warning", "editor_lock_leftover", path, params=params)
    code = "workbook_open_in_excel" if editor.program == "Excel" else "workbook_open_in_libreoffice"
    raise WorkbookBusy(code, **params)


def _claim(
    path: Path,
    workbook: WorkbookData,
    claims: list[Plan],
    uploader: Uploader,
    backup_dir: Path,
    lang: Lang,
) -> WorkbookData:
    """Write a pending record (the ExternalId, no number yet) for each offer about to be
    created into ``workbook`` (as read), before anything is sent; return the workbook as
    the file now reads.

    Every copy, move, other computer and lost journal then finds the offer by its
    ExternalId before creating it again. Raises :class:`WritebackError`.
    """
    from converter.writeback.workbook import SheetResult, UploadRecord, apply_results

    sending = render("status_sending", lang, time=datetime.now().strftime("%Y-%m-%d %H:%M"))
    results = [
        SheetResult(
            sheet=p.offer.sheet,
            offer_nr_cell=p.offer.offer_nr_cell,
            header_labels=p.offer.header_labels,
            offer_nr=None,
            status_text=sending,
            record=UploadRecord(
                target=uploader.target,
                sheet=p.offer.sheet,
                external_id=p.external_id or "",
                invoice_id=None,
                offer_nr=None,
                fingerprint=p.fingerprint,
                customer_nr=p.offer.customer_nr or "",
                uploaded_at=datetime.now(UTC).isoformat(timespec="seconds"),
            ),
        )
        for p in claims
    ]
    return apply_results(path, workbook.stamp, results, backup_dir, workbook).applied_to(workbook)


def _not_claimed(plan: Plan, exc: WritebackError) -> OfferResult:
    from converter.erp.uploader import OfferResult

    return OfferResult(plan.offer, "failed", "upload_not_claimed", {"reason": exc},
                       needs_writeback=False)  # fmt: skip


def _holder(uploader: Uploader) -> Callable[[Path, str], bool]:
    """``holds(file, external_id)``: does the workbook at ``file`` still carry the record of
    the offer with ``external_id`` at the uploader's target? (A file that is there but can't
    be read now, locked say, may well: True.)"""
    from converter.writeback.workbook import read_records

    def holds(other: Path, external_id: str) -> bool:
        if not other.exists():
            return False
        try:
            return any(
                r.external_id == external_id and uploader.speaks_of(r.target)
                for r in read_records(other)
            )
        except WritebackError:
            return True  # there, but unreadable now (locked?): it may well hold it

    return holds


def _original(
    uploader: Uploader, path: Path, sheet: str, record: UploadRecord | None
) -> Path | None:
    """The workbook ``path`` is a copy of (its upload record is another file's), if any."""
    from converter.erp.guard import original_of

    if record is None:
        return None
    return original_of(uploader.journal, uploader.target, path, sheet, record, _holder(uploader))


def run_upload(
    paths: Sequence[Path],
    profile: Profile,
    connection: Connection,
    lang: Lang = "en",
    on_result: Callable[[OfferResult], None] | None = None,
) -> UploadRun:
    """Open a session for ``connection``, then :func:`upload_files` every offer of ``paths``."""
    from converter.erp.session import open_session

    if connection.softone is None:
        connection = replace(connection, softone=profile.softone)
    with open_session(connection) as session:
        return upload_files(paths, session.uploader, profile, lang=lang, on_result=on_result)


# results whose offer was not sent because of problems in the sheet (or found by the look-ups)
NOT_SENT_CODES = ("upload_not_valid", "upload_not_sent", "upload_not_sent_more")


def _status_text(result: OfferResult, lang: Lang) -> str:
    """The status beside Offertnr; a failed sheet's names its first problem and its cell."""
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M")
    if result.status == "failed":
        errors = result.offer.errors
        if result.code in NOT_SENT_CODES and errors:
            first = problem_text(errors[0], lang)
            if len(errors) == 1:
                return render("status_failed", lang, reason=first)
            return render("status_failed_more", lang, reason=first, more=len(errors) - 1)
        return render("status_failed", lang, reason=result.message(lang))
    code = "status_updated" if result.status == "updated" else "status_created"
    return render(code, lang, time=stamp)


def _write_back(
    done: FileUpload, read: WorkbookData, uploader: Uploader, backup_dir: Path, lang: Lang
) -> None:
    from converter.writeback.workbook import (
        SheetResult,
        UploadRecord,
        write_back,
        write_results_file,
    )

    todo = [r for r in done.results if r.needs_writeback]
    if not todo:
        return
    results = [
        SheetResult(
            sheet=r.offer.sheet,
            offer_nr_cell=r.offer.offer_nr_cell,
            header_labels=r.offer.header_labels,
            offer_nr=r.offer_nr,
            status_text=_status_text(r, lang),
            record=None
            if r.invoice_id is None or r.external_id is None
            else UploadRecord(
                target=uploader.target,
                sheet=r.offer.sheet,
                external_id=r.external_id,
                invoice_id=r.invoice_id,
                offer_nr=r.offer_nr,
                fingerprint=r.fingerprint or "",
                customer_nr=r.offer.customer_nr or "",
                uploaded_at=datetime.now(UTC).isoformat(timespec="seconds"),
            ),
        )
        for r in todo
    ]
    try:
        if done.path.suffix.lower() not in WRITABLE_SUFFIXES:
            out = write_results_file(done.path, results)
            done.writeback_code, done.writeback_params = "writeback_results_file", {"path": out}
            return
        backup = write_back(done.path, read.stamp, results, backup_dir, read)
    except WritebackError as exc:
        done.writeback_ok = False
        done.writeback_code, done.writeback_params = "writeback_failed", {"reason": exc}
        return
    uploader.journal.mark_written([uploader.slot(done.path, r.offer.sheet) for r in todo])
    done.written_numbers = [r.offer_nr for r in todo if r.status != "failed" and r.offer_nr]
    done.written_errors = sum(1 for r in todo if r.status == "failed")
    if backup is None:
        done.writeback_code, done.writeback_params = "writeback_already", {}
        return
    done.writeback_code, done.writeback_params = _saved_message(done, str(backup))


def _saved_message(done: FileUpload, backup: str) -> tuple[str, dict[str, Any]]:
    """What the write-back line says: the numbers written, the error statuses, or both."""
    numbers = ", ".join(done.written_numbers)
    if numbers and done.written_errors:
        code = "writeback_saved_both"
    elif numbers:
        code = "writeback_saved"
    else:
        code = "writeback_saved_errors"
    return code, {"backup": backup, "numbers": numbers, "errors": done.written_errors}


# --------------------------------------------------------------------------- fill


@dataclass
class FileFill:
    """One file's fill: what each sheet got and needs, and what happened to the workbook."""

    path: Path
    sheets: list[SheetFill] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the file itself: unreadable, …
    outcome_code: str | None = None  # fill_written, fill_unchanged or fill_not_written
    outcome_params: dict[str, Any] = field(default_factory=dict)
    written: bool = False

    @property
    def cells_filled(self) -> int:
        """The cells written into the workbook (0 when nothing could be written)."""
        return sum(len(s.fills) for s in self.sheets) if self.written else 0

    @property
    def needs_a_look(self) -> list[Problem]:
        """The file's problems and every sheet's warnings and errors."""
        return self.problems + [n for s in self.sheets for n in s.needs_a_look]

    @property
    def ok(self) -> bool:
        """True when the file was read, and written where there was anything to fill."""
        return not self.problems and self.outcome_code != "fill_not_written"

    def outcome(self, lang: Lang = "en") -> str | None:
        """What happened to the workbook, in the user's words."""
        return (
            None
            if self.outcome_code is None
            else render(self.outcome_code, lang, **self.outcome_params)
        )


@dataclass
class FillRun:
    """The result of ``fill``: every file."""

    files: list[FileFill] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every file was read and written, and nothing needs a look."""
        return all(f.ok and not f.needs_a_look for f in self.files)

    @property
    def any_failed(self) -> bool:
        """True when some file could not be read or written."""
        return any(not f.ok for f in self.files)


def fill_files(
    paths: Iterable[Path],
    lookups: Lookups,
    profile: Profile | None = None,
    backup_dir: Path | None = None,
) -> FillRun:
    """Fill the empty names, units and prices of every offer of ``paths`` from SoftOne GO.

    Each workbook is written once, through the lossless write-back
    (:func:`~converter.writeback.patch.apply_patch`): the file-changed check, a
    backup, the atomic replace. :class:`~converter.errors.AuthError` stops the
    run; a look-up that fails leaves its sheet unfilled, with a note.
    """
    profile = require_sheet_layout(profile or load_profile())
    backup_dir = backup_dir or default_backup_dir()
    run = FillRun()
    for path in expand_paths(paths):
        done = FileFill(path=path)
        run.files.append(done)
        if path.suffix.lower() not in WRITABLE_SUFFIXES:
            done.problems.append(
                Problem("error", "fill_not_xlsx", path, params={"file": path.name})
            )
            continue
        try:
            workbook = read_workbook(path)
        except WorkbookError as exc:
            done.problems.append(Problem("error", exc.code, path, params=exc.params))
            continue
        done.sheets = _plan_workbook(workbook, profile, lookups)
        if not done.sheets:
            done.problems.append(Problem("error", "no_offers", path))
            continue
        _write_fills(done, workbook, backup_dir)
    return run


def _plan_workbook(workbook: WorkbookData, profile: Profile, lookups: Lookups) -> list[SheetFill]:
    """Every offer sheet's plan; the file's articles are looked up together first."""
    from converter.erp.fill import look_up_articles, plan_sheet
    from converter.map.offer_sheet import locate_sheet

    layouts = [
        layout
        for sheet in workbook.sheets
        if sheet.visible and (layout := locate_sheet(sheet, profile, workbook.path)) is not None
    ]
    plans: list[SheetFill] = []
    try:
        look_up_articles(
            lookups, [r.article for lay in layouts for r in lay.product_rows if r.article]
        )
    except LookupFailed:
        pass  # each sheet asks again and says so
    for layout in layouts:
        try:
            plans.append(plan_sheet(layout, lookups))
        except LookupFailed as exc:
            failed = SheetFill(workbook.path, layout.offer.sheet)
            failed.note("error", "fill_lookup_failed", None, reason=exc)
            plans.append(failed)
    return plans


def _write_fills(done: FileFill, workbook: WorkbookData, backup_dir: Path) -> None:
    """Write every sheet's fills into the workbook in one patch."""
    from converter.map.values import is_percent_format
    from converter.model.api import json_number
    from converter.read.xlsx import blank_cell_formats
    from converter.writeback.patch import CellEdit, apply_patch

    fills = [f for s in done.sheets for f in s.fills]
    if not fills:
        done.outcome_code = "fill_unchanged"
        return
    wanted: dict[str, set[tuple[int, int]]] = {}
    for f in fills:
        if f.field == "Rabatt":
            wanted.setdefault(f.ref.sheet, set()).add((f.ref.row, f.ref.column))
    try:
        formats = (
            blank_cell_formats(done.path, {k: frozenset(v) for k, v in wanted.items()})
            if wanted
            else {}
        )
    except WorkbookError as exc:
        done.outcome_code, done.outcome_params = "fill_not_written", {"reason": exc}
        return
    edits = []
    for f in fills:
        value: str | int | float
        if isinstance(f.value, str):
            value = f.value
        elif f.field == "Rabatt" and is_percent_format(
            formats.get(f.ref.sheet, {}).get((f.ref.row, f.ref.column), "General")
        ):
            value = json_number(f.value / 100)  # 10 % is 0.1 in a percentage cell
        else:
            value = json_number(f.value)
        edits.append(CellEdit(f.ref.sheet, f.ref.row, f.ref.column, value))
    try:
        patched = apply_patch(
            done.path, workbook.stamp, edits, None, backup_dir, stamped=workbook.data
        )
    except WritebackError as exc:
        done.outcome_code, done.outcome_params = "fill_not_written", {"reason": exc}
        return
    done.written = True
    done.outcome_code, done.outcome_params = "fill_written", {"backup": str(patched.backup)}


def run_fill(
    paths: Sequence[Path], profile: Profile, connection: Connection, backup_dir: Path | None = None
) -> FillRun:
    """Open a session for ``connection``, then :func:`fill_files` every offer of ``paths``."""
    from converter.erp.session import open_session

    if connection.softone is None:
        connection = replace(connection, softone=profile.softone)
    with open_session(connection) as session:
        return fill_files(paths, session.uploader.guard.lookups, profile, backup_dir)
