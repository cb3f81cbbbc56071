"""``migrate``: move a folder tree of legacy offers into SoftOne GO, with a report."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from converter.cli import lang_option
from converter.cli._common import (
    EXIT_FATAL,
    EXIT_OK,
    EXIT_PROBLEMS,
    add_target_options,
    connection_of,
    get_profile,
    lang_of,
)
from converter.cli._common import profile_option as _profile_option
from converter.erp.session import Connection, open_session
from converter.erp.uploader import Uploader
from converter.errors import system_reason
from converter.i18n import Lang, located, render
from converter.map.legacy import load_articles
from converter.migration.report import report_dict, report_siblings, write_report
from converter.migration.run import (
    DEFAULT_CONCURRENCY,
    MAX_CONCURRENCY,
    REPORT_PREFIX,
    MigrationRun,
    Progress,
    expand_legacy_paths,
    is_report,
    migrate,
)
from converter.model.profile import Profile

EXIT_STOPPED = 130  # as a shell reports a command ended by Ctrl-C
SHOWN_FAILURES = 20


def _report_path(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    if value is None:
        return Path(f"{REPORT_PREFIX}-{datetime.now():%Y%m%d-%H%M%S}.xlsx")
    if value.suffix.lower() != ".xlsx":
        raise click.BadParameter(render("report_not_xlsx", lang_of(ctx)))
    return value


@click.command(
    "migrate",
    epilog="Credentials are read as `offer-converter upload` reads them; see its --help.",
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=False))
@_profile_option
@click.option(
    "--dry-run",
    is_flag=True,
    help="Read and check every offer and write the report, but upload nothing.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    callback=_report_path,
    help="Where to write the report. Default: migration-report-DATE-TIME.xlsx here.",
)
@click.option(
    "--report-data",
    is_flag=True,
    help="Also write the report as CSV and JSON, beside the .xlsx with the same name.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, MAX_CONCURRENCY),
    default=DEFAULT_CONCURRENCY,
    show_default=True,
    help="How many offers are uploaded at the same time.",
)
@click.option(
    "--no-verify",
    is_flag=True,
    help="Do not read each saved offer back from SoftOne GO to compare it with its file "
    "(faster; the report says the offers were not checked).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@lang_option
@click.pass_context
def migrate_command(
    ctx: click.Context,
    /,
    paths: tuple[Path, ...],
    profile_path: Path | None,
    dry_run: bool,
    report_path: Path,
    report_data: bool,
    concurrency: int,
    no_verify: bool,
    as_json: bool,
    **target: Any,
) -> None:
    """Migrate the legacy offers in PATHS (files or folders, searched recursively).

    Reads .xlsx, .xlsm, .xls, .ods and Swedish .csv files with the layout the
    profile describes (one offer per sheet, a list of offers, or fixed cells),
    uploads each valid offer once, and writes every result to the report; the
    legacy files are never changed. Running it again uploads only what is
    left: offers already uploaded are not sent again, also when the same
    legacy offer is in two files. Ctrl-C stops after the requests in flight.
    Exits 0 when every offer went through, 1 when some failed, 2 when it could
    not run, 130 when stopped.
    """
    lang = lang_of(ctx)
    profile = get_profile(profile_path, sheet_layout=False)
    articles = load_articles(profile)  # a broken table stops here, before anything is sent
    _check_report_path(ctx, report_path, paths)
    connection = _connection(target, profile, verify=not no_verify)
    with _uploader(dry_run, connection) as uploader, _progress(as_json, lang) as show:
        run = migrate(
            paths,
            profile,
            uploader,
            concurrency=concurrency,
            lang=lang,
            on_progress=show,
            articles=articles,
            exclude=[report_path, *report_siblings(report_path)],
        )
    try:
        written = write_report(run, report_path, lang, data=report_data)
    except OSError as exc:
        message = render("report_not_written", lang, path=report_path, reason=system_reason(exc))
        click.echo(message, err=True)
        ctx.exit(EXIT_FATAL)
    if as_json:
        click.echo(json.dumps(report_dict(run), ensure_ascii=False, indent=2))
    else:
        print_summary(run, lang, written)
    if run.fatal is not None:
        click.echo(render("fatal_error", lang, message=run.fatal), err=True)
        ctx.exit(EXIT_FATAL)
    if run.stopped:
        ctx.exit(EXIT_STOPPED)
    ctx.exit(EXIT_OK if run.ok else EXIT_PROBLEMS)


# the connection options are upload's own: the same target, credentials, journal and timeout
add_target_options(migrate_command, journal=True)


def _check_report_path(ctx: click.Context, report: Path, paths: tuple[Path, ...]) -> None:
    """Refuse, before any upload, a report that would overwrite an input or can't be written."""
    target = report.resolve()
    if is_report(target):
        return  # the report of an earlier run: written anew
    if target in {p.resolve() for p in expand_legacy_paths(paths)}:
        click.echo(render("report_is_input", lang_of(ctx), path=report), err=True)
        ctx.exit(EXIT_FATAL)
    folder = target.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        click.echo(render("report_folder_not_writable", lang_of(ctx), folder=folder), err=True)
        ctx.exit(EXIT_FATAL)


def _connection(target: dict[str, Any], profile: Profile, verify: bool) -> Connection:
    """The chosen SoftOne GO (or the sandbox), with the profile's [softone] settings."""
    return connection_of(target, softone=profile.softone, verify=verify)


@contextmanager
def _uploader(dry_run: bool, connection: Connection) -> Iterator[Uploader | None]:
    """The uploader for ``connection``; None for a dry run."""
    if dry_run:
        yield None  # a dry run needs no credentials and contacts nothing
        return
    with open_session(connection) as session:
        yield session.uploader


@contextmanager
def _progress(quiet: bool, lang: Lang) -> Iterator[Any]:
    """A progress bar over the files on standard error, with the counts and an ETA.

    Only on a terminal: in a log file or a pipe, redrawn bars are noise.
    """
    if quiet or not sys.stderr.isatty():
        yield None
        return
    shown = _Shown()

    def show(progress: Progress) -> None:
        counts = progress.counts
        done = counts["ready"] or counts["created"] + counts["updated"]
        kind = "ready" if counts["ready"] else "created"
        shown.text = " · ".join(
            f"{n} {render(f'state_{status}', lang)}"
            for status, n in (
                (kind, done),
                ("skipped", counts["skipped"]),
                ("duplicate", counts["duplicate"]),
                ("failed", counts["failed"]),
            )
        )
        if shown.bar is None:
            # created at the first event, when the number of files is known
            shown.bar = click.progressbar(
                length=max(progress.files_total, 1),
                label="migrate",
                show_eta=True,
                show_pos=True,
                item_show_func=lambda _item: shown.text,
                file=sys.stderr,
            )
            shown.bar.__enter__()
        shown.bar.update(progress.files_done - shown.done, current_item=shown.text)
        shown.done = progress.files_done

    try:
        yield show
    finally:
        if shown.bar is not None:
            shown.bar.__exit__(None, None, None)


class _Shown:
    """What the progress bar shows: the bar, the files done and the counts."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.done = 0
        self.text = ""


def print_summary(run: MigrationRun, lang: Lang, written: list[Path]) -> None:
    """The failed offers (the first few), the counts, the report and how to go on."""
    failed = [line for line in run.lines if line.status == "failed"]
    # the offers' counts add up to the offers; a file that gave none is counted apart
    files_failed = sum(1 for line in failed if not line.sheet)
    if failed:
        if files_failed:
            offers = len(failed) - files_failed
            header = render("migrate_failed_header_files", lang, offers=offers, files=files_failed)
        else:
            header = render("migrate_failed_header", lang, count=len(failed))
        click.echo(header)
        for line in failed[:SHOWN_FAILURES]:
            where = " › ".join(part for part in (line.file, line.sheet) if part)
            if line.key:
                where += f" [{line.key}]"
            click.echo("  ✗ " + located(where, line.message))
        if len(failed) > SHOWN_FAILURES:
            click.echo(
                "  " + render("migrate_more_failed", lang, count=len(failed) - SHOWN_FAILURES)
            )
    if run.verified is False:
        click.echo(f"{render('report_verified', lang)}: {render('report_verified_no', lang)}")
    counts = run.counts()
    counts["failed"] -= files_failed
    code = "migrate_summary_dry" if run.dry_run else "migrate_summary"
    summary = render(code, lang, files=run.files_total, offers=run.offers, **counts)
    if files_failed:
        summary += render("migrate_files_failed", lang, count=files_failed)
    click.echo(summary)
    for path in written:
        click.echo(render("migrate_report", lang, path=str(path)))
    if run.stopped:
        left = run.files_total - run.files_done
        click.echo(render("migrate_stopped", lang, left=left, total=run.files_total), err=True)
