"""The ``offer-converter`` command: a thin shell over the library.

Each command lives in its own module and only parses options, calls
:mod:`converter.pipeline` and turns results and our errors into messages and
exit codes (0 ok, 1 problems in the sheets or failed offers, 2 could not run).
"""

from __future__ import annotations

import importlib
import os
import sys
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import click

from converter.errors import ConverterError
from converter.i18n import Lang, render, system_lang

EXIT_FATAL = 2
F = TypeVar("F", bound=Callable[..., Any])

LANG_HELP = "Language of messages (default: the system's; Swedish if it is Swedish)."


def choose_lang(ctx: click.Context, lang: str | None) -> None:
    """Remember ``--lang`` for the whole run, wherever it was typed (None: not typed)."""
    root = ctx.find_root()
    obj = root.obj if isinstance(root.obj, dict) else {}
    root.obj = obj
    if lang is not None:
        obj["lang"], obj["lang_chosen"] = lang, lang
    else:
        obj.setdefault("lang", system_lang())
        obj.setdefault("lang_chosen", None)


def _lang_callback(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        choose_lang(ctx, value)


def lang_option(func: F) -> F:
    """``--lang sv|en`` on a command, as well as before it: people type it in either place."""
    return click.option(
        "--lang",
        type=click.Choice(["sv", "en"]),
        default=None,
        expose_value=False,
        callback=_lang_callback,
        help=LANG_HELP,
    )(func)


def chosen_lang(ctx: click.Context) -> Lang | None:
    """The language typed with ``--lang`` on this command line, or None."""
    obj = ctx.find_root().obj or {}
    lang: Lang | None = obj.get("lang_chosen")
    return lang


# name → (module:attribute, the command's one-line help). A command's module is
# imported only when that command runs or shows its own help, so that
# `offer-converter --help` starts fast. tests/test_cli.py checks that these help
# lines are the commands' own.
COMMANDS: dict[str, tuple[str, str]] = {
    "template": (
        "converter.cli.template:template",
        "Write a fresh offer template to PATH (default: offer_template.xlsx here).",
    ),
    "upload": (
        "converter.cli.upload:upload",
        "Upload the offers in FILES (workbooks or folders) and write their numbers back.",
    ),
    "drop": (
        "converter.cli.drop:drop",
        "Upload the workbooks and folders dropped on the desktop icon (PATHS).",
    ),
    "install-shortcut": (
        "converter.cli.shortcut:install_shortcut_command",
        "Put the drop icon on the Desktop: drag Excel offers onto it to upload them.",
    ),
    "fill": (
        "converter.cli.fill:fill",
        "Fill empty names, units and prices of the offers in FILES from SoftOne GO.",
    ),
    "setup": (
        "converter.cli.setup:setup",
        "Ask for the SoftOne GO details, test them with a login, and store them.",
    ),
    "validate": (
        "converter.cli.check:validate",
        "Check offer workbooks (files or folders) and report every problem with its cell.",
    ),
    "convert": (
        "converter.cli.check:convert",
        "Print the Billing/Offer request body for every offer in FILES, as one JSON array.",
    ),
    "migrate": (
        "converter.cli.migrate:migrate_command",
        "Migrate the legacy offers in PATHS (files or folders, searched recursively).",
    ),
    "sandbox": (
        "converter.cli.sandbox:sandbox_command",
        "Run a local practice copy of the SoftOne GO API until Ctrl-C.",
    ),
}


class _Group(click.Group):
    """Loads commands on demand, and turns our errors into messages instead of tracebacks."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, _, attribute = COMMANDS[cmd_name][0].partition(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # the listing uses the help lines above, without importing every command
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_path, short) in COMMANDS.items()])

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConverterError as exc:
            # render shows one of our coded errors in the same language
            click.echo(render("fatal_error", _lang(ctx), message=exc), err=True)
            ctx.exit(EXIT_FATAL)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo(render("stopped", _lang(ctx)), err=True)
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
            if os.environ.get("OFFER_CONVERTER_DEBUG"):
                raise  # developers ask for the traceback explicitly
            click.echo(render("unexpected_error", _lang(ctx), kind=type(exc).__name__), err=True)
            ctx.exit(EXIT_FATAL)


def _lang(ctx: click.Context) -> Lang:
    """The language the run was asked for (``--lang``, else the system's)."""
    chosen = (ctx.obj or {}).get("lang")
    return chosen if chosen in ("en", "sv") else system_lang()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--lang",
    type=click.Choice(["sv", "en"]),
    default=None,
    help=LANG_HELP + " Also accepted after the command.",
)
@click.version_option(package_name="offer-converter")
@click.pass_context
def cli(ctx: click.Context, lang: str | None) -> None:
    """Turn Excel offers into SoftOne GO offers.

    \b
    1. offer-converter template             a fresh offer workbook to fill in
    2. offer-converter upload --sandbox FILE
                                            practise: upload to a practice server
                                            on this computer, no SoftOne GO details
    3. offer-converter upload FILE          create the offers in SoftOne GO and
                                            write their numbers into the workbook

    Running an upload again never creates a duplicate. Without a terminal:
    `offer-converter install-shortcut` puts the icon "Upload offers" ("Ladda
    upp offerter" on a Swedish computer) on the Desktop; drop workbooks on it
    (that runs `drop`). `install-shortcut --sandbox` makes a practice icon.
    Beside it goes "Fetch prices and names" ("Hämta priser och namn"): it runs
    `fill`, which fills empty names, units and the customer's prices in from
    SoftOne GO before the upload.

    Also: `validate FILE` checks a workbook and sends nothing, `setup` stores
    the SoftOne GO details, `migrate PATH` moves legacy offers, `sandbox` runs
    the practice server on its own.

    Help is in English; messages follow --lang (or the system's language).
    """
    choose_lang(ctx, lang)


def main() -> None:
    """Console-script entry point."""
    # openpyxl warns about workbook features it cannot place or keep; a salesperson
    # can do nothing about them, and the results say what matters
    warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
    _keep_numpy_out()
    try:
        cli(prog_name="offer-converter")
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    _leave(code)


def _keep_numpy_out() -> None:
    """Make ``import numpy`` fail in this process, so that openpyxl does not load it.

    openpyxl imports numpy whenever it is installed (the benchmark's pandas
    brings it), only to recognise numpy numbers in the cells it writes; no
    command writes any, and loading numpy took a fifth of a one-offer upload.
    openpyxl falls back by itself when the import fails. Only the console
    script does this; a program that imports :mod:`converter` keeps its numpy.
    """
    if "numpy" not in sys.modules:
        sys.modules["numpy"] = None  # type: ignore[assignment]


def _leave(code: object) -> None:
    """End the process once its output is out, without tearing the heap down.

    Freeing every cell of a large workbook one by one at exit took longer than
    mapping it. Everything that must reach the disk is written and closed by
    then (the journal and workbooks synchronously, the log by
    ``logging.shutdown``); standard output and error are flushed here. Only
    the console-script entry point does this: library callers and tests that
    call :func:`cli` keep a normal interpreter exit.
    """
    import logging

    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    status = code if isinstance(code, int) else (0 if code is None else 1)
    logging.shutdown()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed or broken pipe: nothing more can be said
        status = status or 1
    os._exit(status)
