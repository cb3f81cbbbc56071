"""``setup``: ask for the SoftOne GO details once, test them with a login, store them.

The drop icon asks the same questions through :func:`ask_credentials` on its
first use. Answers are read with ``click.prompt`` from standard input, so the
questions work in the icon's terminal window and when driven through a pipe.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Literal

import click

from converter.cli import lang_option
from converter.cli._common import EXIT_FATAL, EXIT_OK, lang_of
from converter.desktop.logs import run_log
from converter.erp.credentials import (
    DEFAULT_API_URL,
    Credentials,
    forget_credentials,
    resolve_api_url,
    store_credentials,
)
from converter.erp.session import check_login
from converter.errors import AuthError, UnreachableError
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


Outcome = Literal["works", "kept", "refused", "unreachable", "cancelled"]


@dataclass(frozen=True)
class Asked:
    """How asking for the details ended, and the details when they are stored.

    ``works``: tested with a login and stored. ``kept``: SoftOne GO could not
    be reached, and the person chose to keep them, untested, for the next drop.
    ``refused``: SoftOne GO said they are wrong. ``unreachable``: not reached,
    not kept. ``cancelled``: nothing was typed.
    """

    outcome: Outcome
    credentials: Credentials | None = None


def ask_credentials(lang: Lang, url: str) -> Asked:
    """Ask for the keys, license, user name and password, test them at ``url``, store them.

    Nothing is stored when SoftOne GO refuses them. When it can't be reached,
    what was typed is not thrown away: the person is offered to keep it, and
    the next drop tests it first. The address is stored too, unless it is the
    default.
    """
    click.echo(render("setup_intro", lang))
    try:
        values = {name: click.prompt(render(f"setup_{name}", lang)).strip() for name in _FIELDS}
        password = ask_password(lang)
    except click.Abort:
        click.echo()
        click.echo(render("setup_cancelled", lang))
        return Asked("cancelled")
    credentials = Credentials(password=password, **values).register()
    # Storing without the address would send the next run to the default one,
    # where these credentials were never tested.
    address = None if url == DEFAULT_API_URL else url
    click.echo(render("setup_testing", lang))
    try:
        check_login(url, credentials)
    except AuthError as exc:
        log.warning("the login was refused: %s", exc)
        click.echo(render("setup_refused", lang, reason=exc))
        return Asked("refused")
    except UnreachableError as exc:
        log.warning("SoftOne GO could not be reached: %s", exc)
        click.echo(render("setup_unreachable", lang))  # the reason is in the log
        if not ask_yes_no(render("setup_keep_untested", lang), lang):
            click.echo(render("setup_not_kept", lang))
            return Asked("unreachable")
        where = store_credentials(credentials, api_url=address, tested=False)
        log.info("credentials kept untested (password in the %s)", where)
        click.echo(render("setup_kept", lang, path=config_path()))
        return Asked("kept", credentials)
    click.echo(render("setup_works", lang))
    where = store_credentials(credentials, api_url=address)
    log.info("credentials stored (password in the %s)", where)
    key = "setup_stored_keyring" if where == "keyring" else "setup_stored_file"
    click.echo(render(key, lang, path=config_path()))
    return Asked("works", credentials)


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
    the config file, readable only by you. Nothing is stored when SoftOne GO
    refuses the login; when it can't be reached, you are offered to keep the
    details untested, and the next drop tests them first. Exits 0 when the
    login works and the details are stored (or when they are forgotten), 2
    otherwise.
    """
    lang = lang_of(ctx)
    if forget:
        removed = forget_credentials()
        click.echo(render("setup_forgotten" if removed else "setup_nothing_stored", lang))
        ctx.exit(EXIT_OK)
    with run_log():  # what went wrong, for whoever helps: in the day's log, not on screen
        asked = ask_credentials(lang, resolve_api_url(api_url))
    ctx.exit(EXIT_OK if asked.outcome == "works" else EXIT_FATAL)
