"""``validate`` and ``convert``: read workbooks, report problems, print request bodies."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from converter.cli import lang_option
from converter.cli._common import (
    EXIT_FATAL,
    EXIT_OK,
    EXIT_PROBLEMS,
    FILES,
    add_target_options,
    connection_of,
    get_profile,
    lang_of,
    problem_line,
    profile_option,
)
from converter.fileio import write_atomically
from converter.i18n import Lang, located, render
from converter.model.mapped import FileReport, Problem, Report
from converter.pipeline import expand_paths, validate_files, validate_online

# sheets left out because they hold no offer: an Instruktioner sheet is no news
_SKIPPED_SHEETS = ("sheet_no_grid", "sheet_hidden")


def shown_file_problems(file: FileReport, verbose: bool = False) -> list[Problem]:
    """A file's own problems as printed: the sheets skipped only when the file has no
    offer (then they say why) or with ``verbose``."""
    if verbose or not file.offers:
        return list(file.problems)
    return [p for p in file.problems if p.code not in _SKIPPED_SHEETS]


def print_report(
    report: Report,
    lang: Lang,
    *,
    err: bool = False,
    quiet_ok: bool = False,
    verbose: bool = False,
) -> None:
    """Per file: each offer's OK line or its problems (and, see above, the sheets skipped)."""
    for file in report.files:
        click.echo(str(file.path), err=err)
        for problem in shown_file_problems(file, verbose):
            click.echo("  " + problem_line(problem, lang), err=err)
        for offer in file.offers:
            if offer.ok and not offer.problems:
                if not quiet_ok:
                    click.echo("  " + located(offer.sheet, offer.summary(lang)), err=err)
                continue
            status = offer.summary(lang) if offer.ok else ""
            click.echo(f"  {offer.sheet}: {status}".rstrip(), err=err)
            for problem in offer.problems:
                click.echo("    " + problem_line(problem, lang), err=err)


@click.command()
@FILES
@profile_option
@click.option(
    "--strict", is_flag=True, help="Treat warnings (e.g. a Summa that doesn't match) as errors."
)
@click.option(
    "--online",
    is_flag=True,
    help="Also look each offer's customer and articles up in SoftOne GO (needs the "
    "credentials, or --sandbox), as an upload does first. Nothing is sent.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Also list the sheets skipped because they hold no offer (such as Instruktioner).",
)
@lang_option
@click.pass_context
def validate(
    ctx: click.Context,
    /,
    files: tuple[Path, ...],
    profile_path: Path | None,
    strict: bool,
    online: bool,
    as_json: bool,
    verbose: bool,
    **target: Any,
) -> None:
    """Check offer workbooks (files or folders) and report every problem with its cell.

    Exits 0 when there are no errors, 1 otherwise (with --strict, warnings count too).
    The files are only read, never changed. Without --online nothing is contacted.
    """
    lang = lang_of(ctx)
    profile = get_profile(profile_path)
    if online or target["sandbox"]:
        report = validate_online(files, profile, connection_of(target))
    else:
        report = validate_files(files, profile)
    if as_json:
        click.echo(json.dumps(report.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        print_report(report, lang, verbose=verbose)
    ok = report.strict_ok if strict else report.ok
    ctx.exit(EXIT_OK if ok else EXIT_PROBLEMS)


add_target_options(validate, "With --online: check against the built-in practice SoftOne GO.")


@click.command()
@FILES
@profile_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the JSON to this file instead of standard output.",
)
@lang_option
@click.pass_context
def convert(
    ctx: click.Context, files: tuple[Path, ...], profile_path: Path | None, output: Path | None
) -> None:
    """Print the Billing/Offer request body for every offer in FILES, as one JSON array.

    On any error nothing is printed on standard output: the problems go to
    standard error and the exit code is 1. The files are only read.
    """
    lang = lang_of(ctx)
    if output is not None and output.resolve() in {p.resolve() for p in expand_paths(files)}:
        click.echo(render("output_is_input", lang, path=output), err=True)
        ctx.exit(EXIT_FATAL)
    report = validate_files(files, get_profile(profile_path))
    if not report.ok:
        print_report(report, lang, err=True, quiet_ok=True)
        ctx.exit(EXIT_PROBLEMS)
    if report.warnings:
        print_report(report, lang, err=True, quiet_ok=True)
    text = json.dumps(report.bodies(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomically(output, text.encode("utf-8"))
        click.echo(render("offers_written", lang, count=len(report.offers), path=output), err=True)
    ctx.exit(EXIT_OK)
