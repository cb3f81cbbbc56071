"""What the CLI commands share: options, exit codes and printing problems."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from converter.i18n import Lang, render
from converter.model.mapped import Problem
from converter.model.profile import Profile, load_profile

if TYPE_CHECKING:
    from converter.erp.session import Connection, Practice

EXIT_OK = 0
EXIT_PROBLEMS = 1  # a sheet has errors, or an offer failed
EXIT_FATAL = 2  # the run could not start: bad options, profile, credentials

F = TypeVar("F", bound=Callable[..., Any])
# upload's options that say where SoftOne GO is (what connection_of reads, --journal aside):
# validate --online, fill, template --articles and migrate take them from upload
# (add_target_options)
TARGET_OPTIONS = (
    "sandbox",
    "sandbox_state",
    "api_url",
    "company_api_key",
    "connect_api_key",
    "license_",
    "username",
    "timeout",
)

FILES = click.argument(
    "files", nargs=-1, required=True, type=click.Path(path_type=Path, exists=False)
)


def prompt_password() -> str:
    """Ask for the SoftOne GO password on the terminal (never an option, never echoed)."""
    lang = lang_of(click.get_current_context())
    value: str = click.prompt(render("password_prompt", lang), hide_input=True, err=True)
    return value


def connection_of(options: Mapping[str, Any], **extra: Any) -> Connection:
    """The :class:`~converter.erp.session.Connection` that upload's target options name
    (``--sandbox``, ``--api-url``, the keys, ``--journal``, ``--timeout``)."""
    from converter.erp.session import Connection

    return Connection(
        practice=practice_of(options["sandbox"], options["sandbox_state"]),
        api_url=options["api_url"],
        credentials={
            "company_api_key": options["company_api_key"],
            "connect_api_key": options["connect_api_key"],
            "license": options["license_"],
            "username": options["username"],
        },
        journal_path=options.get("journal_path"),
        timeout=options["timeout"],
        prompt=prompt_password,
        **extra,
    )


def add_target_options(
    command: click.Command, sandbox_help: str | None = None, journal: bool = False
) -> None:
    """Give ``command`` upload's options that say where SoftOne GO is (``--sandbox``,
    ``--api-url``, the keys, ``--timeout``; ``--journal`` too with ``journal``),
    ``--sandbox`` with its own help text when one is given."""
    from converter.cli.upload import upload

    wanted = (*TARGET_OPTIONS, "journal_path") if journal else TARGET_OPTIONS
    for param in upload.params:
        if param.name not in wanted:
            continue
        if param.name == "sandbox" and sandbox_help is not None:
            param = copy.copy(param)
            param.help = sandbox_help
        command.params.append(param)


def practice_of(sandbox: bool, state: Path | None = None) -> Practice | None:
    """The practice server ``--sandbox`` (and ``--sandbox-state``) ask for, or None."""
    if not sandbox:
        return None
    from converter.sandbox import practice_server

    return partial(practice_server, state)


def profile_option(func: F) -> F:
    """``--profile PATH``: the layout profile to read the workbooks with."""
    return click.option(
        "--profile",
        "profile_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Layout profile (TOML). Default: the standard template's profile.",
    )(func)


def get_profile(profile_path: Path | None, *, sheet_layout: bool = True) -> Profile:
    """Load the profile named on the command line, or the standard one.

    Every command but ``migrate`` reads one offer per sheet, so it refuses a
    list or fixed layout before anything else happens.
    """
    from converter.pipeline import require_sheet_layout

    profile = load_profile(profile_path)
    return require_sheet_layout(profile) if sheet_layout else profile


def lang_of(ctx: click.Context) -> Lang:
    """The language chosen with ``--lang`` (before or after the command), or the system's."""
    obj = ctx.find_root().obj or {}
    lang: Lang = obj.get("lang", "en")
    return lang


def file_label(path: Path, names: Sequence[str]) -> str:
    """How a result names ``path``: its name, or its whole path when two of the files
    (``names``) share that name (two dropped folders may both hold an "offert.xlsx")."""
    return path.name if names.count(path.name) == 1 else str(path)


def problem_line(problem: Problem, lang: Lang) -> str:
    """``error    Offert!D12: Antal 'fem' is not a number`` (``fel      Offert!D12: …``)."""
    return f"{render(f'severity_{problem.severity}', lang):<8} {problem.located(lang)}"
