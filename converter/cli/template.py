"""``template``: write a fresh offer template (``--articles``: with the company's articles)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from converter.cli import lang_option
from converter.cli._common import EXIT_FATAL, add_target_options, connection_of, lang_of
from converter.i18n import render


@click.command()
@click.argument(
    "path",
    required=False,
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("offer_template.xlsx"),
)
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@click.option(
    "--articles",
    is_flag=True,
    help="Add an Artiklar sheet with the company's active articles from SoftOne GO, a "
    "drop-down on Artikel, and each typed article's name and list price beside the rows.",
)
@lang_option
@click.pass_context
def template(ctx: click.Context, /, path: Path, force: bool, articles: bool, **_: Any) -> None:
    """Write a fresh offer template to PATH (default: offer_template.xlsx here)."""
    from converter.desktop.template import write_template

    lang = lang_of(ctx)
    if path.exists() and not force:
        click.echo(render("template_exists", lang, path=path), err=True)
        ctx.exit(EXIT_FATAL)
    if not articles:
        write_template(path)
        click.echo(render("template_written", lang, path=path))
        return
    from converter.erp.lookups import active_articles
    from converter.erp.session import open_session

    with open_session(connection_of(ctx.params)) as session:
        found = active_articles(session.client)
    write_template(path, found)
    click.echo(render("template_articles_written", lang, path=path, count=len(found)))


add_target_options(template, "With --articles: the built-in practice SoftOne GO's articles.")
