"""``template``: write a fresh offer template."""

from __future__ import annotations

from pathlib import Path

import click

from converter.cli import lang_option
from converter.cli._common import EXIT_FATAL, lang_of
from converter.i18n import render


@click.command()
@click.argument(
    "path",
    required=False,
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("offer_template.xlsx"),
)
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@lang_option
@click.pass_context
def template(ctx: click.Context, path: Path, force: bool) -> None:
    """Write a fresh offer template to PATH (default: offer_template.xlsx here)."""
    from converter.desktop.template import write_template

    lang = lang_of(ctx)
    if path.exists() and not force:
        click.echo(render("template_exists", lang, path=path), err=True)
        ctx.exit(EXIT_FATAL)
    write_template(path)
    click.echo(render("template_written", lang, path=path))
