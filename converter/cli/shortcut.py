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

    Windows gets a .cmd file, Linux a .desktop launcher, macOS an application
    droplet (or the script and instructions when osacompile is missing).
    Running it again replaces the icon, e.g. after reinstalling. A --lang
    typed here is passed on to every run of the icon; otherwise each run follows
    the system language.
    """
    lang = lang_of(ctx)
    # only a --lang typed now is pinned; the system's language is looked up at each drop
    pinned = chosen_lang(ctx)
    folder = directory or desktop_dir()
    try:
        shortcut = install_shortcut(folder, lang, sandbox=sandbox, pinned_lang=pinned)
    except OSError as exc:
        click.echo(
            render("shortcut_failed", lang, path=folder, reason=system_reason(exc)), err=True
        )
        ctx.exit(EXIT_FATAL)
    if not shortcut.compiled:
        click.echo(render("shortcut_mac_manual", lang, path=shortcut.path))
        ctx.exit(EXIT_OK)
    click.echo(render("shortcut_created", lang, path=shortcut.path))
    click.echo(render("shortcut_how", lang))
    if shortcut.system == "linux":
        click.echo(render("shortcut_linux_trust", lang))
    ctx.exit(EXIT_OK)
