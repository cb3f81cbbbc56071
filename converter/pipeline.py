"""The pipeline: reader → mapper (→ uploader → writeback).

Each function here chains the stages for one use; the CLI only calls these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from converter.errors import LookupFailed, ProfileError, WorkbookError, WritebackError
from converter.i18n import Lang, render
from converter.map.offer_sheet import map_workbook
from converter.model.profile import Profile, load_profile
from converter.model.records import WRITABLE_SUFFIXES
from converter.model.report import FileReport, Problem, Report, problem_text
from converter.paths import default_backup_dir
from converter.read.filekind import plain_error
from converter.read.xlsx import WorkbookData, read_workbook

if TYPE_CHECKING:  # the upload stage (and httpx) is imported only when something is uploaded
    from converter.erp.session import Connection
    from converter.erp.uploader import OfferResult, Uploader
    from converter.model.records import UploadRecord

WORKBOOK_SUFFIXES = WRITABLE_SUFFIXES


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
        return any(p.severity == "error" for p in self.report.problems)

    def writeback_message(self, lang: Lang = "en") -> str | None:
        """What happened to the workbook, in the user's words."""
        if self.writeback_code is None:
            return None
        return render(self.writeback_code, lang, **self.writeback_params)


@dataclass
class UploadRun:
    """The result of ``upload``: every file and offer."""

    files: list[FileUpload] = field(default_factory=list)

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
) -> UploadRun:
    """Validate, upload and write back every offer of ``paths``, file by file.

    :class:`~converter.errors.AuthError` stops the run; any other failure is
    recorded against its offer or file and the run carries on.
    """
    from converter.writeback.workbook import read_records

    profile = require_sheet_layout(profile or load_profile())
    backup_dir = backup_dir or default_backup_dir()
    run = UploadRun()
    for path in expand_paths(paths):
        workbook, report = read_and_map(path, profile)
        done = FileUpload(path=path, report=report)
        run.files.append(done)
        if workbook is None:
            continue
        try:
            records = {r.sheet: r for r in read_records(path) if r.target == uploader.target}
        except WritebackError as exc:
            # records that can't be read: sending could make a second offer
            report.problems.append(Problem("error", exc.code, path, params=exc.params))
            continue
        for offer in report.offers:
            record = records.get(offer.sheet)
            copy_of = _original(uploader, path, offer.sheet, record)
            result = uploader.upload(offer, record, copy_of=copy_of)
            done.results.append(result)
            if on_result is not None:
                on_result(result)
        _write_back(done, workbook, uploader, backup_dir, lang)
    return run


def _original(
    uploader: Uploader, path: Path, sheet: str, record: UploadRecord | None
) -> Path | None:
    """The workbook ``path`` is a copy of (its upload record is another file's), if any."""
    from converter.erp.guard import original_of
    from converter.writeback.workbook import read_records

    def holds(other: Path, external_id: str) -> bool:
        try:
            return any(
                r.external_id == external_id and r.target == uploader.target
                for r in read_records(other)
            )
        except WritebackError:
            return True  # there, but unreadable now (locked?): it may well hold it

    if record is None:
        return None
    return original_of(uploader.journal, uploader.target, path, sheet, record, holds)


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
        errors = [p for p in result.offer.problems if p.severity == "error"]
        if result.code in NOT_SENT_CODES and errors:
            first = problem_text(errors[0], lang)
            if len(errors) == 1:
                return render("status_failed", lang, reason=first)
            return render("status_failed_more", lang, reason=first, more=len(errors) - 1)
        return render("status_failed", lang, reason=result.message(lang))
    code = "status_updated" if result.status == "updated" else "status_created"
    return render(code, lang, time=stamp)


def _write_back(
    done: FileUpload, workbook: WorkbookData, uploader: Uploader, backup_dir: Path, lang: Lang
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
        backup = write_back(done.path, workbook.stamp, results, backup_dir, workbook)
    except WritebackError as exc:
        done.writeback_ok = False
        done.writeback_code, done.writeback_params = "writeback_failed", {"reason": exc}
        return
    uploader.journal.mark_written(
        uploader.target, str(done.path.resolve()), [r.offer.sheet for r in todo]
    )
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
