"""Migrate a folder tree of legacy offers: read, map, deduplicate, upload, report.

This is the upload's pipeline at folder scale, not a second one: each file is
read by :func:`converter.read.legacy.read_any`, mapped by
:func:`converter.map.legacy.map_legacy` with the mapper's rules, and each offer is
sent by the same :class:`~converter.erp.uploader.Uploader`, client and journal as
``offer-converter upload``. Legacy files are never written: every result goes
into the :class:`MigrationRun` (and from there into the report).

How the work flows:

- **One parser thread** reads and maps the files one at a time, in sorted
  order, and hands each valid offer to a pool of ``concurrency`` upload
  threads. Uploads wait on the network, so parsing the next files overlaps
  with them.
- **Bounded memory.** The parser blocks while ``2 × concurrency`` offers are
  waiting or in flight, and a workbook is dropped as soon as it is mapped, so
  memory holds one workbook and a few dozen offers however many files there
  are. Only one short line per offer is kept, for the report.
- **Stopping.** Ctrl-C (or the ``cancel`` event given to :func:`migrate`) stops
  the parser and every upload not yet started; requests in flight finish and are
  recorded in the journal. The next run skips what was done: the journal
  remembers every offer by file and slot, as uploads do.
- **No duplicates.** A file whose content was already read in this run is
  skipped. An offer with a legacy offer number gets a deterministic
  ``ExternalId`` (``legacy:1234``); a second offer with the same one (the same
  legacy offer in another file) is not uploaded, and the report says where
  the first is. The journal is asked for the ExternalId too, so an offer
  migrated by an earlier run from another file is not sent again either (and
  when it is the same file, moved or copied to another folder, with the same
  content, it is ``unchanged``, not a duplicate). A
  workbook that ``offer-converter upload`` already uploaded is known by its
  upload record, as an upload of it would be.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from converter.erp.guard import original_of
from converter.erp.journal import Entry
from converter.erp.uploader import Uploader, fingerprint
from converter.errors import ConverterError, WorkbookError, WritebackError
from converter.i18n import Lang, render
from converter.map.legacy import ArticleMap, LegacyFile, LegacyOffer, load_articles, map_legacy
from converter.model.cells import quote_sheet
from converter.model.mapped import Problem
from converter.model.profile import Profile, load_profile
from converter.model.records import WRITABLE_SUFFIXES
from converter.pipeline import expand_paths
from converter.read.filekind import plain_error
from converter.read.legacy import MIGRATABLE_SUFFIXES, read_any

if TYPE_CHECKING:
    from converter.model.records import UploadRecord

log = logging.getLogger(__name__)

LineStatus = Literal["created", "updated", "skipped", "duplicate", "failed", "stopped", "ready"]
STATUSES: tuple[LineStatus, ...] = (
    "created",
    "updated",
    "skipped",
    "duplicate",
    "failed",
    "stopped",
    "ready",
)
REPORT_PREFIX = "migration-report"  # the default report's name
REPORT_TITLE = "offer-converter migration report"  # in the report workbook's properties
REPORT_COLUMNS = (
    "file",
    "sheet",
    "row",
    "key",
    "customer",
    "date",
    "rows",
    "total",
    "status",
    "offer_nr",
    "external_id",
    "message",
)
REPORT_CSV_START = ("\ufeff" + ";".join(REPORT_COLUMNS)).encode("utf-8")
DEFAULT_CONCURRENCY = 4
MAX_CONCURRENCY = 64
_QUEUE_PER_WORKER = 2  # offers parsed ahead of the uploads, per upload thread


@dataclass(frozen=True, slots=True)
class OfferLine:
    """One line of the report: an offer, or a file that gave none, and what happened."""

    order: tuple[int, int]  # (file, offer) position, so the report follows the files
    file: str
    sheet: str
    row: int | None
    key: str | None
    customer: str | None
    date: date | None
    rows: int | None
    total: Decimal | None
    status: LineStatus
    offer_nr: str | None
    external_id: str | None
    message: str


@dataclass(frozen=True, slots=True)
class ProblemLine:
    """A problem found in a file, as the report lists it."""

    order: tuple[int, int]
    file: str
    where: str
    severity: str
    message: str


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a migration stands, for a progress bar."""

    files_total: int
    files_done: int
    counts: dict[LineStatus, int]


@dataclass
class MigrationRun:
    """Everything a migration did: one line per offer, the problems, and how it ended."""

    dry_run: bool
    profile: str
    target: str | None
    started: datetime
    finished: datetime | None = None
    files_total: int = 0
    files_done: int = 0
    duplicate_files: int = 0
    lines: list[OfferLine] = field(default_factory=list)
    problems: list[ProblemLine] = field(default_factory=list)
    stopped: bool = False
    fatal: str | None = None
    verified: bool | None = None  # every saved offer read back (None: a dry run)

    def counts(self) -> dict[LineStatus, int]:
        """How many offers (and unreadable files) ended in each status."""
        counts: dict[LineStatus, int] = dict.fromkeys(STATUSES, 0)
        for line in self.lines:
            counts[line.status] += 1
        return counts

    @property
    def offers(self) -> int:
        """The number of offers found (lines for files that gave none not counted)."""
        return sum(1 for line in self.lines if line.sheet)

    @property
    def ok(self) -> bool:
        """True when the run finished and no offer or file failed."""
        return not self.stopped and self.fatal is None and not self.counts()["failed"]

    def sorted(self) -> MigrationRun:
        """The run with its lines in file and offer order (uploads finish in any order)."""
        self.lines.sort(key=lambda line: line.order)
        self.problems.sort(key=lambda line: line.order)
        return self


def expand_legacy_paths(paths: Iterable[Path], exclude: Collection[Path] = ()) -> Iterator[Path]:
    """Files as given, and the spreadsheets in folders (recursively, sorted).

    Excel's lock files (``~$offer.xls``) and hidden files are skipped, and so
    are ``exclude`` (this run's report) and earlier reports left in a folder
    under their default name: a report is not a legacy file.
    """
    left_out = {p.resolve() for p in exclude}
    for path in expand_paths(paths, suffixes=MIGRATABLE_SUFFIXES):
        if path.resolve() not in left_out:
            yield path


def is_report(path: Path) -> bool:
    """True for a migration report (.xlsx or .csv) that an earlier run left among the files.

    A report is not a legacy file; left in a folder being migrated, it would
    fail as a file without offers on every run.
    """
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with path.open("rb") as fh:
                return fh.read(len(REPORT_CSV_START)) == REPORT_CSV_START
        if suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive, archive.open("docProps/core.xml") as fh:
                return REPORT_TITLE.encode("utf-8") in fh.read(8192)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        pass  # reading it as a legacy file says what is wrong with it
    return False


def migrate(
    paths: Sequence[Path],
    profile: Profile,
    uploader: Uploader | None = None,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    lang: Lang = "en",
    cancel: threading.Event | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    articles: ArticleMap | None = None,
    exclude: Collection[Path] = (),
) -> MigrationRun:
    """Migrate every offer in ``paths``; without an ``uploader``, a dry run.

    ``exclude`` names files found in the folders that are not to be read (the
    report this run writes). ``articles`` is the profile's article table,
    loaded here when not given.

    Returns when every file is done, or after a stop (``cancel`` set, or
    Ctrl-C) once the requests in flight have finished. An
    :class:`~converter.errors.AuthError` or a journal that can't be written
    stops the run the same way and is kept in ``fatal``. A second Ctrl-C
    while stopping gives up waiting and raises :class:`KeyboardInterrupt`.
    """
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        raise ValueError(f"concurrency must be between 1 and {MAX_CONCURRENCY}")
    files = list(expand_legacy_paths(paths, exclude))
    if articles is None:
        articles = load_articles(profile)
    run = MigrationRun(
        dry_run=uploader is None,
        profile=profile.name,
        target=uploader.target if uploader is not None else None,
        started=datetime.now().astimezone(),
        files_total=len(files),
        verified=uploader.guard.verify if uploader is not None else None,
    )
    work = _Migration(run, files, profile, uploader, articles, concurrency, lang, cancel)
    try:
        work.run(on_progress)
    finally:
        run.finished = datetime.now().astimezone()
    return run.sorted()


# -- the events the parser and the upload threads send to the main thread ----------------


@dataclass(frozen=True, slots=True)
class _Lines:
    """Lines and problems known without an upload (a whole file, or a skipped offer)."""

    lines: list[OfferLine]
    problems: list[ProblemLine]


@dataclass(frozen=True, slots=True)
class _FileQueued:
    """Every offer of file ``index`` has been handed on; ``uploads`` of them to the pool."""

    index: int
    uploads: int
    duplicate: bool = False


@dataclass(frozen=True, slots=True)
class _Uploaded:
    """An upload finished (or raised)."""

    index: int
    line: OfferLine | None
    error: BaseException | None = None


@dataclass(frozen=True, slots=True)
class _ParserDone:
    error: BaseException | None = None


_Event = _Lines | _FileQueued | _Uploaded | _ParserDone


@dataclass(frozen=True, slots=True)
class _Seen:
    """The first offer seen in this run with an ExternalId."""

    file: str
    where: str
    customer: str | None
    fingerprint: str | None


class _Migration:
    """One run: the parser thread, the upload pool and the main thread's bookkeeping."""

    def __init__(
        self,
        run: MigrationRun,
        files: list[Path],
        profile: Profile,
        uploader: Uploader | None,
        articles: ArticleMap | None,
        concurrency: int,
        lang: Lang,
        cancel: threading.Event | None,
    ) -> None:
        self.run_ = run
        self.files = files
        self.profile = profile
        self.uploader = uploader
        self.articles = articles
        self.concurrency = concurrency
        self.lang = lang
        self.cancel = cancel or threading.Event()
        self.events: queue.Queue[_Event] = queue.Queue()
        self.slots = threading.Semaphore(concurrency * _QUEUE_PER_WORKER)
        self.hashes: dict[str, str] = {}
        self.seen: dict[str, _Seen] = {}
        # the main thread's bookkeeping
        self.pending: dict[int, int] = {}  # file index → uploads not finished
        self.queued: set[int] = set()  # files handed on whose uploads are not all finished
        self.counts: dict[LineStatus, int] = dict.fromkeys(STATUSES, 0)
        self.parser_done = False
        self.parser_error: BaseException | None = None

    # -- the main thread ----------------------------------------------------------------

    def run(self, on_progress: Callable[[Progress], None] | None) -> None:
        """Start the parser and the pool, and gather their events until both are done."""
        with ThreadPoolExecutor(self.concurrency, thread_name_prefix="migrate-upload") as pool:
            parser = threading.Thread(
                target=self._parse_all, args=(pool,), name="migrate-parse", daemon=True
            )
            parser.start()
            while not self.parser_done or any(self.pending.values()):
                try:
                    # Ctrl-C arrives in the main thread, wherever it is in this loop
                    self._next_event(on_progress)
                except KeyboardInterrupt:
                    self._stop_on_interrupt()
            parser.join()
        if self.parser_error is not None:
            raise self.parser_error
        run = self.run_
        if self.cancel.is_set() and (run.files_done < run.files_total or self.counts["stopped"]):
            run.stopped = True

    def _next_event(self, on_progress: Callable[[Progress], None] | None) -> None:
        try:
            event = self.events.get(timeout=0.25)
        except queue.Empty:
            return
        run = self.run_
        if isinstance(event, _Lines):
            for line in event.lines:
                self._add(line)
            run.problems.extend(event.problems)
        elif isinstance(event, _FileQueued):
            self.queued.add(event.index)
            self.pending[event.index] = self.pending.get(event.index, 0) + event.uploads
            run.duplicate_files += event.duplicate
        elif isinstance(event, _Uploaded):
            self.pending[event.index] = self.pending.get(event.index, 0) - 1
            if event.line is not None:
                self._add(event.line)
            if event.error is not None:
                self._fatal(event.error)
        else:
            self.parser_done = True
            self.parser_error = event.error
        if isinstance(event, _FileQueued | _Uploaded):
            index = event.index
            if index in self.queued and self.pending.get(index, 0) == 0:
                run.files_done += 1
                self.queued.discard(index)
        if on_progress is not None:
            on_progress(Progress(run.files_total, run.files_done, dict(self.counts)))

    def _add(self, line: OfferLine) -> None:
        self.run_.lines.append(line)
        self.counts[line.status] += 1

    def _stop_on_interrupt(self) -> None:
        """First Ctrl-C: stop cleanly after the requests in flight. Second: stop waiting."""
        if self.cancel.is_set():
            raise KeyboardInterrupt
        log.info("stopping after the requests in flight")
        self.run_.stopped = True
        self.cancel.set()

    def _fatal(self, error: BaseException) -> None:
        if self.run_.fatal is None:
            self.run_.fatal = str(error)
        self.cancel.set()

    # -- the parser thread ---------------------------------------------------------------

    def _parse_all(self, pool: ThreadPoolExecutor) -> None:
        try:
            for index, path in enumerate(self.files):
                if self.cancel.is_set():
                    break
                self._parse_one(index, path, pool)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread, which re-raises
            self.cancel.set()
            self.events.put(_ParserDone(exc))
            return
        self.events.put(_ParserDone())

    def _parse_one(self, index: int, path: Path, pool: ThreadPoolExecutor) -> None:
        name = str(path)
        if is_report(path):
            problem = ProblemLine(
                (index, 0), name, "", "info", render("report_not_read", self.lang)
            )
            self.events.put(_Lines([], [problem]))
            self.events.put(_FileQueued(index, 0))
            return
        digest = _digest(path)
        if digest is not None:
            first = self.hashes.setdefault(digest, name)
            if first != name:
                message = render("duplicate_file", self.lang, other=first)
                line = self._file_line(index, name, "duplicate", message)
                self.events.put(_Lines([line], []))
                self.events.put(_FileQueued(index, 0, duplicate=True))
                return
        try:
            legacy = map_legacy(read_any(path), self.profile, self.articles)
            records = self._upload_records(path)
        except WorkbookError as refused:
            exc = plain_error(refused, path)
            line = self._file_line(index, name, "failed", render(exc.code, self.lang, **exc.params))
            self.events.put(_Lines([line], []))
            self.events.put(_FileQueued(index, 0))
            return
        except Exception as exc:  # noqa: BLE001 - one odd file must not end a 10,000-file run
            log.exception("unexpected error reading %s", path)
            message = render(
                "migrate_unexpected", self.lang, file=path.name, error=type(exc).__name__
            )
            line = self._file_line(index, name, "failed", message)
            self.events.put(_Lines([line], []))
            self.events.put(_FileQueued(index, 0))
            return
        self.events.put(_FileQueued(index, self._hand_on(index, name, legacy, records, pool)))

    def _upload_records(self, path: Path) -> dict[str, UploadRecord]:
        """The upload records of a workbook ``offer-converter upload`` has already uploaded.

        Such a workbook holds SoftOne GO's offer numbers, not legacy ones: its
        offers are left to the uploader's own rules (unchanged: skipped), as
        an upload of it would be, so a migration never creates them again.
        """
        if self.uploader is None or path.suffix.lower() not in WRITABLE_SUFFIXES:
            return {}
        # cheap: the package's relationships and custom properties; openpyxl only for the
        # very hidden sheet of an earlier version
        from converter.writeback.workbook import read_records

        try:
            records = read_records(path)
        except WritebackError:
            return {}
        return {r.sheet: r for r in records if self.uploader.speaks_of(r.target)}

    def _hand_on(
        self,
        index: int,
        name: str,
        legacy: LegacyFile,
        records: dict[str, UploadRecord],
        pool: ThreadPoolExecutor,
    ) -> int:
        """Report or submit each offer of a file; the number submitted for upload."""
        problems = [self._problem_line((index, 0), name, p) for p in legacy.problems]
        if _matches_nothing(legacy):
            # one line for the file, not an error per sheet: the profile is what is wrong
            problems += [
                self._problem_line((index, number), name, p)
                for number, item in enumerate(legacy.offers, start=1)
                for p in item.offer.problems
            ]
            self.events.put(
                _Lines([self._file_line(index, name, "failed", self._no_match_message())], problems)
            )
            return 0
        # a file-level error (no offer found, a list row without its offer number) fails the file
        lines = [
            self._file_line(index, name, "failed", p.located(self.lang)) for p in legacy.errors
        ]
        submitted = 0
        for number, item in enumerate(legacy.offers, start=1):
            order = (index, number)
            problems.extend(self._problem_line(order, name, p) for p in item.offer.problems)
            record = records.get(item.offer.sheet) if item.row is None else None
            external_id = None if record else self._external_id(item)
            if record is not None and item.offer.ok:
                line = None  # uploaded before by `upload`: the uploader knows it by its record
            else:
                line = self._check(order, name, item, external_id)
            if line is not None:
                lines.append(line)
                continue
            if self.uploader is None:
                lines.append(self._line(order, name, item, "ready", "migrate_ready", external_id))
                continue
            if not self._wait_for_slot():
                lines.append(self._line(order, name, item, "stopped", "migrate_not_sent"))
                continue
            if lines or problems:
                # flush first, so the report and the progress see them in order
                self.events.put(_Lines(lines, problems))
                lines, problems = [], []
            future = pool.submit(self._upload, order, name, item, external_id, record)
            future.add_done_callback(self._uploaded(index, order, name, item))
            submitted += 1
        if lines or problems:
            self.events.put(_Lines(lines, problems))
        return submitted

    def _no_match_message(self) -> str:
        """Nothing in a file fits the profile: say so, and what --profile is for."""
        if self.profile.name == _standard_profile_name():
            return render("migrate_no_match_standard", self.lang)
        return render(
            "migrate_no_match",
            self.lang,
            profile=self.profile.name,
            layout=self.profile.layout.kind,
        )

    def _wait_for_slot(self) -> bool:
        """Wait until the pool has room (bounded memory); False when the run is stopping."""
        while not self.slots.acquire(timeout=0.1):
            if self.cancel.is_set():
                return False
        if self.cancel.is_set():
            self.slots.release()
            return False
        return True

    def _external_id(self, item: LegacyOffer) -> str | None:
        if item.key is None:
            return None
        template = self.profile.migration.external_id
        return template.format(key=item.key, customer=item.offer.customer_nr or "")

    def _check(
        self, order: tuple[int, int], name: str, item: LegacyOffer, external_id: str | None
    ) -> OfferLine | None:
        """The line for an offer that is not to be uploaded, or None to upload it."""
        offer = item.offer
        if not offer.ok or offer.request is None:
            return self._invalid_line(order, name, item, external_id)
        if external_id is None:
            return None
        fp = fingerprint(offer.request.body())
        where = _where(item)
        first = self.seen.get(external_id)
        if first is not None:
            if first.customer != offer.customer_nr:
                return self._conflict(order, name, item, external_id, first.customer, first.file)
            code = "legacy_duplicate" if first.fingerprint == fp else "legacy_duplicate_differs"
            return self._line(
                order,
                name,
                item,
                "duplicate",
                code,
                external_id,
                other=first.file,
                where=first.where,
            )
        self.seen[external_id] = _Seen(name, where, offer.customer_nr, fp)
        if self.uploader is not None:
            return self._check_journal(order, name, item, external_id, fp)
        return None

    def _check_journal(
        self, order: tuple[int, int], name: str, item: LegacyOffer, external_id: str, fp: str
    ) -> OfferLine | None:
        """Recognise an offer an earlier run migrated from another file (or another slot)."""
        assert self.uploader is not None
        uploader = self.uploader
        offer = item.offer
        slot = uploader.slot(offer.file, offer.sheet)
        others = [
            e
            for e in uploader.journal.find_external_id(uploader.target, external_id)
            if e.slot != slot
        ]
        done = next((e for e in others if e.state == "done"), None)
        if done is not None:
            if done.customer_nr != (offer.customer_nr or ""):
                return self._conflict(
                    order, name, item, external_id, done.customer_nr, _entry_name(done)
                )
            if _moved(done, offer.file, offer.sheet, fp):
                # the same file migrated before from another folder: not a second copy
                return self._line(
                    order,
                    name,
                    item,
                    "skipped",
                    "legacy_moved_unchanged",
                    external_id,
                    offer_nr=done.offer_nr,
                    other=done.file,
                )
            return self._line(
                order,
                name,
                item,
                "duplicate",
                "legacy_already_migrated",
                external_id,
                offer_nr=done.offer_nr,
                other=_entry_name(done),
            )
        if others and uploader.journal.get(slot) is None:
            # an interrupted run sent it from elsewhere: record it as pending here, so the
            # uploader asks SoftOne GO for the ExternalId before it creates the offer
            uploader.journal.begin(slot, external_id, fp, offer.customer_nr or "")
        return None

    # -- the upload threads ---------------------------------------------------------------

    def _upload(
        self,
        order: tuple[int, int],
        name: str,
        item: LegacyOffer,
        external_id: str | None,
        record: UploadRecord | None = None,
    ) -> OfferLine:
        if self.cancel.is_set():
            return self._line(order, name, item, "stopped", "migrate_not_sent", external_id)
        assert self.uploader is not None
        if record is not None:
            # the Offertnr it shows is SoftOne GO's number, which the record vouches for
            shown = replace(item.offer, offer_nr_shown=item.key)
            copy_of = self._original(item, record)
            result = self.uploader.upload(shown, record, copy_of=copy_of)
        else:
            result = self.uploader.upload(
                item.offer, None, external_id
            )  # no upload record: a legacy file
        return _offer_line(
            order,
            name,
            item,
            result.status,
            result.offer_nr,
            result.external_id or external_id,
            result.message(self.lang),
        )

    def _original(self, item: LegacyOffer, record: UploadRecord) -> Path | None:
        """The workbook this uploaded one is a copy of (another file's record), if any."""
        assert self.uploader is not None
        uploader = self.uploader

        def holds(other: Path, external_id: str) -> bool:
            return any(r.external_id == external_id for r in self._upload_records(other).values())

        return original_of(
            uploader.journal, uploader.target, item.offer.file, item.offer.sheet, record, holds
        )

    def _uploaded(
        self, index: int, order: tuple[int, int], name: str, item: LegacyOffer
    ) -> Callable[[Future[OfferLine]], None]:
        def done(future: Future[OfferLine]) -> None:
            self.slots.release()
            error = future.exception()
            if error is None:
                self.events.put(_Uploaded(index, future.result()))
            elif isinstance(error, ConverterError):
                # an AuthError or a journal that can't be written: nothing else can go through
                line = self._line(order, name, item, "failed", "upload_error", reason=error)
                self.events.put(_Uploaded(index, line, error))
            else:
                log.error("unexpected error uploading %s", name, exc_info=error)
                line = self._line(
                    order,
                    name,
                    item,
                    "failed",
                    "migrate_unexpected",
                    file=Path(name).name,
                    error=type(error).__name__,
                )
                self.events.put(_Uploaded(index, line))

        return done

    # -- lines ----------------------------------------------------------------------------

    def _line(
        self,
        order: tuple[int, int],
        name: str,
        item: LegacyOffer,
        status: LineStatus,
        code: str,
        line_id: str | None = None,
        offer_nr: str | None = None,
        **params: Any,
    ) -> OfferLine:
        """A line for an offer that was not sent: ``line_id`` is its ExternalId, if it has one."""
        message = render(code, self.lang, offer_nr=offer_nr, **params)
        return _offer_line(order, name, item, status, offer_nr, line_id, message)

    def _invalid_line(
        self, order: tuple[int, int], name: str, item: LegacyOffer, external_id: str | None
    ) -> OfferLine:
        errors = item.offer.errors
        first = errors[0].located(self.lang) if errors else ""
        code = "migrate_invalid_more" if len(errors) > 1 else "migrate_invalid"
        return self._line(
            order, name, item, "failed", code, external_id, count=len(errors), first=first
        )

    def _conflict(
        self,
        order: tuple[int, int],
        name: str,
        item: LegacyOffer,
        external_id: str,
        other_customer: str | None,
        other: str,
    ) -> OfferLine:
        return self._line(
            order,
            name,
            item,
            "failed",
            "legacy_key_conflict",
            external_id,
            key=item.key,
            other_customer=other_customer or "?",
            other=other,
            external_id=external_id,
        )

    def _file_line(self, index: int, name: str, status: LineStatus, message: str) -> OfferLine:
        return OfferLine(
            order=(index, 0),
            file=name,
            sheet="",
            row=None,
            key=None,
            customer=None,
            date=None,
            rows=None,
            total=None,
            status=status,
            offer_nr=None,
            external_id=None,
            message=message,
        )

    def _problem_line(self, order: tuple[int, int], name: str, problem: Problem) -> ProblemLine:
        return ProblemLine(order, name, problem.where, problem.severity, problem.message(self.lang))


def _offer_line(
    order: tuple[int, int],
    name: str,
    item: LegacyOffer,
    status: LineStatus,
    offer_nr: str | None,
    external_id: str | None,
    message: str,
) -> OfferLine:
    """The report's line for ``item`` of the file ``name``, sent or not."""
    offer = item.offer
    return OfferLine(
        order=order,
        file=name,
        sheet=item.sheet,
        row=item.row,
        key=item.key,
        customer=offer.customer_nr,
        date=offer.invoice_date,
        rows=offer.row_count,
        total=offer.total,
        status=status,
        offer_nr=offer_nr,
        external_id=external_id,
        message=message,
    )


def _where(item: LegacyOffer) -> str:
    """``Offerter!12:12`` (the offer's first row) for a list offer, else the sheet."""
    if item.row is None:
        return quote_sheet(item.sheet)
    return f"{quote_sheet(item.sheet)}!{item.row}:{item.row}"


# Kundnr and Offertdatum: the labels every offer needs (converter.map.offer_sheet)
_MANDATORY_LABELS = 2


def _matches_nothing(legacy: LegacyFile) -> bool:
    """True when nothing in the file fits the profile's layout: no offer was found at all,
    or no offer has a single one of the header labels that every offer needs."""
    if not legacy.offers:
        return True
    return all(
        len({p.params.get("field") for p in item.offer.problems if p.code == "missing_label"})
        >= _MANDATORY_LABELS
        for item in legacy.offers
    )


@cache
def _standard_profile_name() -> str:
    """The name of the profile used when no --profile is given (the offer template's)."""
    return load_profile().name


def _moved(entry: Entry, file: Path, sheet: str, fp: str) -> bool:
    """True when ``entry`` is this very offer, migrated before from a folder since moved
    or copied: the same file name and sheet, and the same content."""
    return Path(entry.file).name == file.name and entry.sheet == sheet and entry.fingerprint == fp


def _entry_name(entry: Entry) -> str:
    return f"{Path(entry.file).name}, {entry.sheet}"


def _digest(path: Path) -> str | None:
    """The file's SHA-256, or None when it can't be read (reading it will say why)."""
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None
