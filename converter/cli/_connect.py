"""Connecting to SoftOne GO (or the sandbox) and running an upload.

Shared by ``upload`` and ``drop``: both go through :func:`run_upload`, so a
file dropped on the icon takes exactly the path ``offer-converter upload`` takes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import click
import httpx

from converter.client import RetryPolicy, SoftOneClient
from converter.credentials import (
    Credentials,
    read_config,
    resolve_api_url,
    resolve_credentials,
)
from converter.errors import CredentialsError
from converter.journal import Journal
from converter.i18n import Lang
from converter.pipeline import UploadRun, upload_files
from converter.profile import Profile
from converter.uploader import OfferResult, Uploader

SANDBOX_TARGET = "sandbox"
CONNECT_TIMEOUT = 10.0


def target_id(api_url: str, company_api_key: str) -> str:
    """Which SoftOne GO company the journal and the workbook records speak of."""
    digest = hashlib.sha256(company_api_key.encode("utf-8")).hexdigest()[:12]
    return f"{api_url}#{digest}"


@contextmanager
def sandbox_server(state: Path | None) -> Iterator[tuple[str, Credentials]]:
    """Run the practice server in this process; yields its URL and the credentials it takes."""
    import platformdirs

    from converter.credentials import APP_NAME
    from converter.sandbox import SandboxConfig, SandboxServer

    path = state or platformdirs.user_data_path(APP_NAME) / "sandbox-state.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    with SandboxServer(SandboxConfig(state_path=path)) as server:
        yield server.url, server.client_credentials().register()


def prompt_password() -> str:
    """Ask for the SoftOne GO password on the terminal (never an option, never echoed)."""
    value: str = click.prompt("SoftOne GO password", hide_input=True, err=True)
    return value


@contextmanager
def connect(
    sandbox: bool,
    sandbox_state: Path | None,
    api_url: str | None,
    cli_credentials: Mapping[str, str | None],
    prompt: Callable[[], str] = prompt_password,
    on_missing: Callable[[str], Credentials] | None = None,
) -> Iterator[tuple[str, Credentials, str]]:
    """Yield the API address, the credentials and the target id to upload to.

    ``on_missing(api_url)`` is asked for credentials when none are configured
    (the drop icon's first use); without it, :class:`CredentialsError` says
    what is missing.
    """
    if sandbox:
        with sandbox_server(sandbox_state) as (url, credentials):
            yield url, credentials, SANDBOX_TARGET
        return
    url = resolve_api_url(api_url)
    # A config file that exists but cannot be read is an error to show, not a first use.
    read_config()
    try:
        credentials = resolve_credentials(cli_credentials, prompt_password=prompt)
    except CredentialsError:
        if on_missing is None:
            raise
        credentials = on_missing(url)
    yield url, credentials, target_id(url, credentials.company_api_key)


def http_client(url: str, timeout: float = 30.0) -> httpx.Client:
    """The HTTP client for SoftOne GO at ``url``, with the read timeout given."""
    return httpx.Client(base_url=url + "/", timeout=httpx.Timeout(timeout, connect=CONNECT_TIMEOUT))


def check_login(url: str, credentials: Credentials, timeout: float = 30.0) -> None:
    """Log in once with Login/Token; :class:`AuthError` when SoftOne GO refuses.

    Only two attempts: a person is waiting for the answer, and a wrong address
    should say so quickly rather than back off for half a minute.
    """
    with http_client(url, timeout) as http:
        SoftOneClient(http, credentials, retry=RetryPolicy(attempts=2, base_delay=0.5)).login()


def run_upload(
    paths: Sequence[Path],
    profile: Profile,
    lang: Lang,
    *,
    sandbox: bool = False,
    sandbox_state: Path | None = None,
    api_url: str | None = None,
    cli_credentials: Mapping[str, str | None] | None = None,
    prompt: Callable[[], str] = prompt_password,
    on_missing: Callable[[str], Credentials] | None = None,
    journal_path: Path | None = None,
    timeout: float = 30.0,
    on_result: Callable[[OfferResult], None] | None = None,
) -> UploadRun:
    """Connect, then :func:`converter.pipeline.upload_files` every offer of ``paths``."""
    with (
        Journal(journal_path) as journal,
        connect(sandbox, sandbox_state, api_url, cli_credentials or {}, prompt, on_missing) as (
            url,
            credentials,
            target,
        ),
        http_client(url, timeout) as http,
    ):
        uploader = Uploader(SoftOneClient(http, credentials), journal, target)
        return upload_files(paths, uploader, profile, lang=lang, on_result=on_result)
