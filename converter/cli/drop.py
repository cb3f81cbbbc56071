"""``drop``: what the desktop icon runs with the workbooks and folders dropped on it.

It uploads through the same path as ``upload`` (:func:`~converter.pipeline.run_upload`)
and shows a summary written for salespeople, in their language::

    offert kund 013.xlsx
      ✓ Offert 486 skapad för kund 013 (3 rader, 10 550,00 kr)
      ✗ Offert 2: Antal "fem" i D12 är inte ett tal
      Inskrivet i arbetsboken: Offertnr 486.

    1 skapade, 0 uppdaterade, 0 oförändrade, 1 misslyckade
    Loggfil: …/offer-converter-2026-11-23.log
    Rätta det som står efter ✗, spara och stäng filen och släpp den här igen. …

The window is the only place a salesperson sees what happened, so nothing
escapes as a traceback: every error becomes a message, the details go to the
day's log file, and with ``--wait`` the window stays open until Enter.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import click

from converter.cli import lang_option
from converter.cli._common import (
    EXIT_FATAL,
    EXIT_OK,
    EXIT_PROBLEMS,
    file_label,
    lang_of,
    practice_of,
    profile_option,
)
from converter.cli.setup import (
    Outcome,
    ask_credentials,
    ask_password,
    ask_yes_no,
    stdin_is_terminal,
)
from converter.desktop.logs import run_log
from converter.erp.credentials import (
    Credentials,
    mark_tested,
    resolve_api_url,
    resolve_credentials,
    stored_untested,
)
from converter.erp.session import Connection, check_login
from converter.erp.uploader import OfferResult
from converter.errors import AuthError, ConverterError, UnreachableError
from converter.i18n import Lang, render
from converter.model.mapped import problem_text
from converter.model.profile import load_profile
from converter.pipeline import (
    NOT_SENT_CODES,
    FileFill,
    FileUpload,
    FillRun,
    UploadRun,
    run_fill,
    run_upload,
)

log = logging.getLogger(__name__)


class _NotSetUp(Exception):
    """The questions for the details ended without working ones; ``outcome`` says how."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome)
        self.outcome = outcome


# what the window says when nothing was uploaded, by how asking for the details ended
_NOT_SET_UP: dict[Outcome, str] = {
    "cancelled": "drop_no_credentials",
    "refused": "drop_details_wrong",
    "unreachable": "drop_unreachable",
    "kept": "drop_unreachable_kept",
    "works": "drop_nothing_uploaded",  # never raised: listed so every outcome has a text
}


class _LoginRefused(Exception):
    """The stored login was refused, and no working one was entered instead."""


# --------------------------------------------------------------------------- the summary


def _failure_text(result: OfferResult, lang: Lang) -> str:
    if result.code in NOT_SENT_CODES:
        errors = result.offer.errors
        if errors:
            text = problem_text(errors[0], lang)
            if len(errors) > 1:
                text = render("drop_more_problems", lang, message=text, count=len(errors) - 1)
            return text
    if result.code == "upload_not_claimed":
        return render("drop_not_claimed", lang)  # the reason is in the log
    if result.code == "upload_refused":
        return render(
            "drop_refused",
            lang,
            customer=result.params["customer"],
            reason=result.params["reason"],
        )
    return result.message(lang)


def offer_line(result: OfferResult, written: bool, lang: Lang) -> str:
    """One offer's line; ``written`` says whether its file's write-back succeeded."""
    if result.status in ("created", "updated"):
        return f"✓ {result.message(lang)}"
    if result.status == "skipped":
        if result.code == "upload_recognised":
            return f"✓ {result.message(lang)}"  # say what was recognised, and from where
        if result.needs_writeback and written:
            # the number reached the workbook only now: an earlier drop found it open in Excel
            return "✓ " + render("drop_written_now", lang, offer_nr=result.offer_nr)
        return "= " + render("drop_unchanged", lang, offer_nr=result.offer_nr)
    return f"✗ {result.offer.sheet}: {_failure_text(result, lang)}"


_SAVED = ("writeback_saved", "writeback_saved_errors", "writeback_saved_both")


def _written_text(file: FileUpload, lang: Lang) -> str:
    """What the write-back really put into the workbook: numbers, error notes, or both."""
    numbers = ", ".join(file.written_numbers)
    if numbers and file.written_errors:
        return render("drop_written_both", lang, numbers=numbers)
    if numbers:
        return render("drop_written", lang, numbers=numbers)
    return render("drop_written_errors", lang)


def _file_lines(file: FileUpload, shown: str, lang: Lang) -> list[str]:
    lines = [shown]
    lines += [f"  ✗ {problem_text(p, lang)}" for p in file.report.errors]
    lines += [f"  {offer_line(r, file.writeback_ok, lang)}" for r in file.results]
    if file.writeback_code == "claim_failed":
        pass  # nothing was sent: the offers' lines say so
    elif not file.writeback_ok:
        lines.append("  ✗ " + render("drop_locked", lang))
    elif file.writeback_code in _SAVED:
        lines.append("  " + _written_text(file, lang))
    elif (message := file.writeback_message(lang)) is not None:
        lines.append(f"  {message}")
    return lines


def summary_lines(run: UploadRun, lang: Lang) -> list[str]:
    """The window's summary: per file its offers and its write-back, then the counts."""
    names = [f.path.name for f in run.files]
    lines: list[str] = ["", *run.notice_messages(lang)] if run.notices else []
    for file in run.files:
        lines += ["", *_file_lines(file, file_label(file.path, names), lang)]
    lines += ["", render("summary_counts", lang, **run.counts())]
    return lines


def advice(run: UploadRun, lang: Lang) -> str:
    """The last line: what to do about the failures, if there are any."""
    failed = [r for r in run.results if r.status == "failed"]
    file_errors = any(f.report.errors for f in run.files)
    not_claimed = any(r.code == "upload_not_claimed" for r in failed)
    if file_errors or any(r.code not in ("upload_error", "upload_not_claimed") for r in failed):
        return render("drop_fix", lang)
    if not_claimed:
        return render("drop_close_not_sent", lang)
    if not all(f.writeback_ok for f in run.files):
        return render("drop_close", lang)
    if failed:
        return render("drop_retry", lang)  # no answer from SoftOne GO: nothing to fix
    return render("drop_all_done", lang)


def _log_run(run: UploadRun) -> None:
    """Everything the window leaves out (every problem, reasons, backups), in English."""
    for notice in run.notice_messages():
        log.warning("%s", notice)
    for file in run.files:
        for problem in file.report.all_problems():
            log.info("%s: %s %s", file.path, problem.severity, problem.located())
        for result in file.results:
            log.info(
                "%s: %s %s: %s", file.path, result.status, result.offer.sheet, result.message()
            )
        if (message := file.writeback_message()) is not None:
            log.log(
                logging.INFO if file.writeback_ok else logging.WARNING, "%s: %s", file.path, message
            )
    log.info("done: %s", ", ".join(f"{k} {v}" for k, v in run.counts().items()))


# --------------------------------------------------------------------------- the run


@dataclass(frozen=True, slots=True)
class _Drop:
    """What one drop sends (or fills in) and where to."""

    paths: tuple[Path, ...]
    profile_path: Path | None
    lang: Lang
    sandbox: bool
    api_url: str | None
    fill: bool


def _upload(drop: _Drop) -> UploadRun | FillRun:
    lang = drop.lang

    def first_use(url: str) -> Credentials:
        asked = ask_credentials(lang, url)
        if asked.outcome != "works" or asked.credentials is None:
            raise _NotSetUp(asked.outcome)  # kept untested too: the network is down
        return asked.credentials

    connection = Connection(
        practice=practice_of(drop.sandbox),
        api_url=drop.api_url,
        prompt=lambda: ask_password(lang),
        on_missing=first_use,
    )
    profile = load_profile(drop.profile_path)
    if drop.fill:
        return run_fill(drop.paths, profile, connection)
    return run_upload(drop.paths, profile, connection, lang)


def _upload_asking_again(drop: _Drop) -> UploadRun | FillRun:
    """Upload; when SoftOne GO refuses the stored login, offer to enter the details again.

    A changed password would otherwise leave a salesperson with nothing to do
    but call for help. Uploading again after that is safe: the journal keeps
    anything sent before the refusal from being sent twice. Details kept
    untested (SoftOne GO could not be reached when they were typed) are tested
    first, so that a mistake in them is told as such.
    """
    lang = drop.lang
    try:
        if not drop.sandbox:
            _test_kept_details(lang, drop.api_url)
        return _upload(drop)
    except AuthError as exc:
        log.warning("the login was refused: %s", exc)
        click.echo(render("drop_login_refused", lang, reason=exc))
        if drop.sandbox or not ask_yes_no(render("drop_ask_again", lang), lang):
            raise _LoginRefused from exc
        asked = ask_credentials(lang, resolve_api_url(drop.api_url))
        if asked.outcome in ("kept", "unreachable"):
            raise _NotSetUp(asked.outcome) from exc
        if asked.outcome != "works":
            raise _LoginRefused from exc
    return _upload(drop)


def _test_kept_details(lang: Lang, api_url: str | None) -> None:
    """Test details kept untested at an earlier drop; :class:`AuthError` when they are wrong."""
    if not stored_untested():
        return
    click.echo(render("drop_testing_kept", lang))
    credentials = resolve_credentials({}, prompt_password=lambda: ask_password(lang))
    try:
        check_login(resolve_api_url(api_url), credentials)
    except UnreachableError as exc:
        log.warning("SoftOne GO still could not be reached: %s", exc)
        click.echo(render("drop_still_unreachable", lang, reason=exc))
        raise _NotSetUp("kept") from exc
    mark_tested()
    log.info("the kept details work")
    click.echo(render("setup_works", lang))


def _explain(lang: Lang, fill: bool = False) -> int:
    """Started without files (the icon was double-clicked): how to use it, and a template."""
    click.echo(render("fill_usage" if fill else "drop_usage", lang))
    if not stdin_is_terminal():
        click.echo(render("drop_template_hint", lang))
        return EXIT_OK
    if ask_yes_no(render("drop_offer_template", lang), lang):
        from converter.desktop.shortcut import desktop_dir
        from converter.desktop.template import write_template

        folder = desktop_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = _free_path(folder, render("template_file_name", lang), ".xlsx")
        write_template(path)
        log.info("template written to %s", path)
        click.echo(render("drop_template_written", lang, path=path))
    return EXIT_OK


def _free_path(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem.xlsx``, or ``stem 2.xlsx`` … when taken: never overwrite a filled-in offer."""
    path = folder / f"{stem}{suffix}"
    number = 2
    while path.exists():
        path = folder / f"{stem} {number}{suffix}"
        number += 1
    return path


def _run(
    paths: tuple[Path, ...],
    profile_path: Path | None,
    lang: Lang,
    sandbox: bool,
    api_url: str | None,
    fill: bool = False,
) -> int:
    with run_log() as log_path:
        command = "drop --fill" if fill else "drop"
        log.info(
            "%s%s: %s", command, " (sandbox)" if sandbox else "", ", ".join(map(str, paths)) or "-"
        )
        if not paths:
            return _explain(lang, fill)
        try:
            if fill:
                click.echo(render("fill_start_sandbox" if sandbox else "fill_start", lang))
            else:
                click.echo(render("drop_start_sandbox" if sandbox else "drop_start", lang))
            drop = _Drop(paths, profile_path, lang, sandbox, api_url, fill)
            run = _upload_asking_again(drop)
        except _NotSetUp as exc:
            log.warning("no working details (%s): nothing uploaded", exc.outcome)
            failure = render(_NOT_SET_UP[exc.outcome], lang)
        except click.Abort:
            log.warning("no credentials: nothing uploaded")
            failure = render("drop_no_credentials", lang)
        except _LoginRefused:
            log.warning("the login was refused: nothing uploaded")
            failure = render("drop_nothing_uploaded", lang)
        except ConverterError as exc:
            log.error("nothing uploaded: %s", exc)
            failure = render("drop_not_started", lang, reason=exc)
        except Exception as exc:  # noqa: BLE001 - the window must explain, not vanish
            log.exception("unexpected error")
            failure = render("drop_unexpected", lang, kind=type(exc).__name__)
        else:
            if isinstance(run, FillRun):
                return _show_fill(run, lang, log_path)
            _log_run(run)
            for line in summary_lines(run, lang):
                click.echo(line)
            click.echo(render("drop_log", lang, path=log_path))
            click.echo(advice(run, lang))
            return EXIT_OK if run.ok else EXIT_PROBLEMS
        click.echo(failure)
        click.echo(render("drop_log", lang, path=log_path))
        return EXIT_FATAL


def _show_fill(run: FillRun, lang: Lang, log_path: Path) -> int:
    """The fill's result in the window (as ``fill`` prints it), the log file, what next."""
    from converter.cli.fill import fill_lines

    for file in run.files:
        for line in file_log_lines(file):
            log.info("%s: %s", file.path, line)
    lines = fill_lines(run, lang)
    for line in lines[:-1]:
        click.echo(line)
    click.echo(render("drop_log", lang, path=log_path))
    click.echo(lines[-1])  # what to do next comes last, as after an upload
    return EXIT_OK if run.ok else EXIT_PROBLEMS


def file_log_lines(file: FileFill) -> list[str]:
    """Everything about one file's fill, in English, for the log."""
    lines = [f"{p.severity} {p.located()}" for p in file.needs_a_look]
    lines += [f"info {n.located()}" for s in file.sheets for n in s.notes if n.severity == "info"]
    lines += [f"filled {f.ref}: {f.field}" for s in file.sheets for f in s.fills]
    if (outcome := file.outcome()) is not None:
        lines.append(outcome)
    return lines


def wait_for_enter(lang: Lang) -> None:
    """Keep the window open until Enter, when there is a person at a terminal to press it."""
    if not stdin_is_terminal():
        return  # CI, tests, a pipe: waiting would hang forever
    click.echo()
    try:
        click.prompt(
            render("drop_press_enter", lang), default="", show_default=False, prompt_suffix=" "
        )
    except click.Abort:
        pass


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--wait",
    is_flag=True,
    help="At the end, wait for Enter if run in a terminal window (the desktop icon passes it).",
)
@click.option(
    "--sandbox",
    is_flag=True,
    help="Upload to the built-in practice server instead of SoftOne GO (the training icon).",
)
@click.option(
    "--api-url",
    default=None,
    help="SoftOne GO API address (default: SOFTONE_API_URL, the stored one, "
    "or https://apiexternal.softone.se).",
)
@click.option(
    "--fill",
    "fill_",
    is_flag=True,
    help="Fill in names, units and prices from SoftOne GO instead of uploading "
    "(the Hämta priser och namn icon).",
)
@profile_option
@lang_option
@click.pass_context
def drop(
    ctx: click.Context,
    paths: tuple[Path, ...],
    wait: bool,
    sandbox: bool,
    api_url: str | None,
    fill_: bool,
    profile_path: Path | None,
) -> None:
    """Upload the workbooks and folders dropped on the desktop icon (PATHS).

    This is what the icon made by `install-shortcut` runs. It uploads like
    `upload`, then shows one line per offer, in Swedish when the system is
    Swedish. The first time, it asks for the SoftOne GO details. Every run
    writes a log file. With no PATHS it explains how to use the icon.
    Exits 0 when every offer succeeded, 1 when some failed, 2 when nothing
    could be uploaded.
    """
    lang = lang_of(ctx)
    code = _run(paths, profile_path, lang, sandbox, api_url, fill_)
    if wait:
        wait_for_enter(lang)
    ctx.exit(code)
