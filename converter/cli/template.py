"""``template``: write a fresh offer template."""

from __future__ import annotations

from pathlib import Path

import click

from converter.cli import lang_option
from converter.cli._common import EXIT_FATAL


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

    if path.exists() and not force:
        click.echo(f"{path} already exists. Choose another name, or add --force.", err=True)
        ctx.exit(EXIT_FATAL)
    write_template(path)
    click.echo(f"Template written to {path}")
