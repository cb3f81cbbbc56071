"""The ``offer-converter`` command: a thin shell over the library.

Each command lives in its own module and only parses options, calls
:mod:`converter.pipeline` and turns results and our errors into messages and
exit codes (0 ok, 1 problems in the sheets or failed offers, 2 could not run).
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from converter.cli._common import EXIT_FATAL
from converter.cli.check import convert, validate
from converter.cli.sandbox import sandbox_command
from converter.cli.template import template
from converter.cli.upload import upload
from converter.errors import ConverterError
from converter.messages import system_lang


class _Group(click.Group):
    """Turns our errors, and anything unexpected, into a message instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConverterError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(EXIT_FATAL)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("Stopped.", err=True)
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
            if os.environ.get("OFFER_CONVERTER_DEBUG"):
                raise  # developers ask for the traceback explicitly
            click.echo(
                f"Unexpected error ({type(exc).__name__}). Nothing was changed by the failed step. "
                "Please report this with the command you ran.",
                err=True,
            )
            ctx.exit(EXIT_FATAL)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--lang",
    type=click.Choice(["sv", "en"]),
    default=None,
    help="Language of messages (default: the system's; Swedish if it is Swedish).",
)
@click.version_option(package_name="offer-converter")
@click.pass_context
def cli(ctx: click.Context, lang: str | None) -> None:
    """Turn Excel offers into SoftOne GO offers.

    Start with `offer-converter template` for a fresh offer sheet, check it with
    `offer-converter validate FILE`, and see the request with `convert`.
    """
    ctx.obj = {"lang": lang or system_lang()}


cli.add_command(validate)
cli.add_command(convert)
cli.add_command(template)
cli.add_command(upload)
if sandbox_command:
    cli.add_command(sandbox_command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="offer-converter")
    sys.exit(0)  # pragma: no cover - cli() exits itself
