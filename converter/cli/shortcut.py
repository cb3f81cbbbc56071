"""``install-shortcut``: put the drop icon on the Desktop (:mod:`converter.desktop.shortcut`)."""

from __future__ import annotations

from pathlib import Path

import click

from converter.cli import chosen_lang, lang_option
from converter.cli._common import EXIT_FATAL, EXIT_OK, lang_of
from converter.desktop.shortcut import desktop_dir, install_shortcut
from converter.errors import system_reason
from converter.i18n import render


@click.command("install-shortcut")
@click.option(
    "--sandbox",
    is_flag=True,
    help="Make the training icon: it uploads to the built-in practice server.",
)
@click.option(
    "--dir",
    "directory",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder to put the icon in (default: your Desktop).",
)
@lang_option
@click.pass_context
def install_shortcut_command(ctx: click.Context, sandbox: bool, directory: Path | None) -> None:
    """Put the drop icon on the Desktop: drag Excel offers onto it to upload them.

    Beside it goes a second icon, Hämta priser och namn (Fetch prices and
    names): drop an offer on it to fill in names, units and the customer's
    prices from SoftOne GO before uploading. Windows gets .cmd files, Linux
    .desktop launchers, macOS application droplets (or the scripts and
    instructions when osacompile is missing).
    Running it again replaces the icon, e.g. after reinstalling. A --lang
    typed here is passed on to every run of the icon; otherwise each run follows
    the system language.
    """
    lang = lang_of(ctx)
    # only a --lang typed now is pinned; the system's language is looked up at each drop
    pinned = chosen_lang(ctx)
    folder = directory or desktop_dir()
    try:
        # the upload icon, and beside it the one that fetches names and prices first
        made = [
            install_shortcut(folder, lang, sandbox=sandbox, pinned_lang=pinned, fill=fill)
            for fill in (False, True)
        ]
    except OSError as exc:
        click.echo(
            render("shortcut_failed", lang, path=folder, reason=system_reason(exc)), err=True
        )
        ctx.exit(EXIT_FATAL)
    if not all(shortcut.compiled for shortcut in made):
        for shortcut in made:
            click.echo(render("shortcut_mac_manual", lang, path=shortcut.path))
        ctx.exit(EXIT_OK)
    for shortcut in made:
        click.echo(render("shortcut_created", lang, path=shortcut.path))
    click.echo(render("shortcut_how", lang))
    click.echo(render("shortcut_fill_how", lang))
    if made[0].system == "linux":
        click.echo(render("shortcut_linux_trust", lang))
    ctx.exit(EXIT_OK)
