"""``setup``: ask for the SoftOne GO details once, test them with a login, store them.

The drop icon asks the same questions through :func:`ask_credentials` on its
first use. Answers are read with ``click.prompt`` from standard input, so the
questions work in the icon's terminal window and when driven through a pipe.
"""

from __future__ import annotations

import logging
import sys

import click

from converter.cli import lang_option
from converter.cli._common import EXIT_FATAL, EXIT_OK, lang_of
from converter.erp.credentials import (
    DEFAULT_API_URL,
    Credentials,
    forget_credentials,
    resolve_api_url,
    store_credentials,
)
from converter.erp.session import check_login
from converter.errors import AuthError, UploadError
from converter.i18n import Lang, render
from converter.paths import config_path

log = logging.getLogger(__name__)

_YES = {"y", "yes", "j", "ja"}
_NO = {"n", "no", "nej"}
# asked in this order; the catalogue key of each question is "setup_" + the field
_FIELDS = ("company_api_key", "connect_api_key", "license", "username")


def stdin_is_terminal() -> bool:
    """True when a person can type answers (``sys.stdin`` is None under pythonw)."""
    return sys.stdin is not None and sys.stdin.isatty()


def ask_yes_no(question: str, lang: Lang, default: bool = True) -> bool:
    """Ask a yes/no question; j/ja/y/yes and n/nej/no are understood in either language.

    Enter takes ``default``; the end of input (nobody there to answer) means no.
    """
    while True:
        try:
            answer: str = click.prompt(
                f"{question} {render('yes_no', lang)}", default="", show_default=False
            )
        except click.Abort:
            click.echo()
            return False
        answer = answer.strip().lower()
        if not answer:
            return default
        if answer in _YES:
            return True
        if answer in _NO:
            return False


def ask_password(lang: Lang) -> str:
    """Ask for the password, hidden when typed on a terminal.

    On a pipe there is nothing to hide, and getpass would bypass the pipe to
    read the terminal instead, so the answer is read from stdin as it is.
    """
    value: str = click.prompt(render("setup_password", lang), hide_input=stdin_is_terminal())
    return value


def ask_credentials(lang: Lang, url: str) -> Credentials | None:
    """Ask for the keys, license, user name and password, test them at ``url``, store them.

    Returns the credentials when the login works and they are stored, None
    when nothing was entered or SoftOne GO refused them (the reason is shown).
    The address they work with is stored too, unless it is the default.
    """
    click.echo(render("setup_intro", lang))
    try:
        values = {name: click.prompt(render(f"setup_{name}", lang)).strip() for name in _FIELDS}
        password = ask_password(lang)
    except click.Abort:
        click.echo()
        click.echo(render("setup_cancelled", lang))
        return None
    credentials = Credentials(password=password, **values).register()
    click.echo(render("setup_testing", lang))
    try:
        check_login(url, credentials)
    except AuthError as exc:
        log.warning("the login was refused: %s", exc)
        click.echo(render("setup_refused", lang, reason=exc))
        return None
    except UploadError as exc:
        log.warning("SoftOne GO could not be reached: %s", exc)
        click.echo(render("setup_unreachable", lang, reason=exc))
        return None
    click.echo(render("setup_works", lang))
    # Storing without the address would send the next run to the default one,
    # where these credentials were never tested.
    where = store_credentials(credentials, api_url=None if url == DEFAULT_API_URL else url)
    log.info("credentials stored (password in the %s)", where)
    key = "setup_stored_keyring" if where == "keyring" else "setup_stored_file"
    click.echo(render(key, lang, path=config_path()))
    return credentials


@click.command()
@click.option(
    "--forget", is_flag=True, help="Remove the stored details (config file and keyring entry)."
)
@click.option(
    "--api-url",
    default=None,
    help="SoftOne GO API address to test and store with the details "
    "(default: SOFTONE_API_URL, the stored one, or https://apiexternal.softone.se).",
)
@lang_option
@click.pass_context
def setup(ctx: click.Context, forget: bool, api_url: str | None) -> None:
    """Ask for the SoftOne GO details, test them with a login, and store them.

    The password goes to the system keyring where there is one, otherwise into
    the config file, readable only by you. Nothing is stored unless the login
    works. Exits 0 when stored (or forgotten), 2 otherwise.
    """
    lang = lang_of(ctx)
    if forget:
        removed = forget_credentials()
        click.echo(render("setup_forgotten" if removed else "setup_nothing_stored", lang))
        ctx.exit(EXIT_OK)
    stored = ask_credentials(lang, resolve_api_url(api_url))
    ctx.exit(EXIT_OK if stored is not None else EXIT_FATAL)
