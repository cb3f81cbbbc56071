"""``upload``: validate, upload and write back offers, never twice."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from converter.cli import lang_option
from converter.cli._common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    FILES,
    connection_of,
    get_profile,
    lang_of,
    problem_line,
    profile_option,
)
from converter.i18n import Lang, located, render
from converter.paths import config_path
from converter.pipeline import NOT_SENT_CODES, UploadRun, run_upload

if TYPE_CHECKING:  # the uploader (and httpx) load only when an upload runs
    from converter.erp.uploader import OfferResult

_MARK = {"created": "✓", "updated": "✓", "skipped": "=", "failed": "✗"}


def result_line(result: OfferResult, lang: Lang) -> str:
    """``✓ Offert 1: Offer 486 created for Kundnr 013 (3 rows, 10,550.00 kr)``."""
    return f"{_MARK[result.status]} {located(result.offer.sheet, result.message(lang))}"


def print_run(run: UploadRun, lang: Lang) -> None:
    """The summary: per file, file-level problems, the write-back, then the counts."""
    for notice in run.notice_messages(lang):
        click.echo(notice)
    for file in run.files:
        errors = file.report.errors
        if errors:
            click.echo(str(file.path))
            for problem in errors:
                click.echo("  " + problem_line(problem, lang))
        for result in file.results:
            if result.status == "failed" and result.code in NOT_SENT_CODES:
                for problem in result.offer.errors:
                    click.echo("    " + problem_line(problem, lang))
        message = file.writeback_message(lang)
        if message:
            click.echo("  " + located(file.path.name, message))
    click.echo(render("summary_counts", lang, **run.counts()))


def run_to_dict(run: UploadRun, lang: Lang) -> dict[str, Any]:
    """A JSON-ready form of the run, as ``upload --json`` prints it."""
    return {
        "ok": run.ok,
        "counts": run.counts(),
        "notices": run.notice_messages(lang),
        "files": [
            {
                "file": str(f.path),
                "problems": [p.to_dict(lang) for p in f.report.problems],
                "writeback": f.writeback_message(lang),
                "writeback_ok": f.writeback_ok,
                "offers": [
                    {
                        "sheet": r.offer.sheet,
                        "status": r.status,
                        "offer_nr": r.offer_nr,
                        "invoice_id": r.invoice_id,
                        "external_id": r.external_id,
                        "message": r.message(lang),
                    }
                    for r in f.results
                ],
            }
            for f in run.files
        ],
    }


@click.command(
    epilog=f"Credentials are read from the options, the environment (SOFTONE_*), or the "
    f"config file {config_path()}."
)
@FILES
@profile_option
@click.option(
    "--sandbox",
    is_flag=True,
    help="Upload to a built-in practice SoftOne GO on this computer (no credentials).",
)
@click.option(
    "--sandbox-state",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The practice server's state file (default: in your data folder).",
)
@click.option(
    "--api-url",
    default=None,
    help="SoftOne GO API address (or SOFTONE_API_URL). Default: https://apiexternal.softone.se",
)
@click.option(
    "--company-api-key", default=None, help="Company API key (or SOFTONE_COMPANY_API_KEY)."
)
@click.option(
    "--connect-api-key", default=None, help="Connect API key (or SOFTONE_CONNECT_API_KEY)."
)
@click.option("--license", "license_", default=None, help="License (or SOFTONE_LICENSE).")
@click.option(
    "--username",
    default=None,
    help="User name (or SOFTONE_USERNAME). The password is asked for, never an option.",
)
@click.option(
    "--journal",
    "journal_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The journal file (default: in your data folder).",
)
@click.option(
    "--timeout",
    type=float,
    default=30.0,
    show_default=True,
    help="Seconds to wait for SoftOne GO to answer a request.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@lang_option
@click.pass_context
def upload(
    ctx: click.Context,
    files: tuple[Path, ...],
    profile_path: Path | None,
    sandbox: bool,
    sandbox_state: Path | None,
    api_url: str | None,
    company_api_key: str | None,
    connect_api_key: str | None,
    license_: str | None,
    username: str | None,
    journal_path: Path | None,
    timeout: float,
    as_json: bool,
) -> None:
    """Upload the offers in FILES (workbooks or folders) and write their numbers back.

    Each offer is validated first; one with errors is not sent. An offer that
    was uploaded before is skipped when unchanged and updated when changed, so
    running this again never creates a duplicate. Exits 0 only when every
    offer succeeded.
    """
    lang = lang_of(ctx)
    profile = get_profile(profile_path)

    def report(result: OfferResult) -> None:
        if not as_json:
            click.echo(result_line(result, lang))

    connection = connection_of(ctx.params)
    run = run_upload(files, profile, connection, lang, on_result=report)
    if as_json:
        click.echo(json.dumps(run_to_dict(run, lang), ensure_ascii=False, indent=2))
    else:
        print_run(run, lang)
    ctx.exit(EXIT_OK if run.ok else EXIT_PROBLEMS)
