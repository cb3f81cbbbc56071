"""A session with SoftOne GO (or the practice sandbox): connect, log in, upload.

:func:`open_session` is the one way the library connects: ``upload``, ``drop``
and ``migrate`` all go through it, and so can any Python code::

    with open_session(Connection(practice=practice_server)) as session:
        upload_files([path], session.uploader, profile)

(``practice_server`` from :mod:`converter.sandbox`: the practice server is
handed in, so the library never imports the emulator.)

It resolves the credentials, names the target (which SoftOne GO company the
journal and the workbook records speak of), builds the HTTP client and opens
the journal. The client logs in on its first request, not here: SoftOne GO
wants a token used within two minutes of the login.
"""

from __future__ import annotations

import hashlib
import ssl
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from converter.erp.client import Endpoints, RetryPolicy, SoftOneClient, check_health
from converter.erp.credentials import (
    Credentials,
    check_proxies,
    normalise_api_url,
    read_config,
    resolve_api_url,
    resolve_credentials,
)
from converter.erp.guard import Guard
from converter.erp.journal import Journal
from converter.erp.uploader import Uploader
from converter.errors import (
    AuthError,
    CredentialsError,
    SettingsError,
    UnreachableError,
    UploadError,
)
from converter.model.profile import SoftOne

SANDBOX_TARGET = "sandbox"
CONNECT_TIMEOUT = 10.0
DEFAULT_TIMEOUT = 30.0
MAX_TIMEOUT = 600.0


# runs a practice server for one session, yielding its URL and the credentials it takes
# (converter.sandbox.practice_server, with its state file bound in)
Practice = Callable[[], AbstractContextManager[tuple[str, Credentials]]]


@dataclass(frozen=True)
class Connection:
    """Where to upload and how: SoftOne GO (the configured one) or the sandbox."""

    practice: Practice | None = None  # the practice server to run instead of SoftOne GO
    api_url: str | None = None  # default: the configured address
    credentials: Mapping[str, str | None] = field(default_factory=dict)  # given explicitly
    journal_path: Path | None = None  # default: the user's data folder
    timeout: float = DEFAULT_TIMEOUT
    prompt: Callable[[], str] | None = None  # asks for the password when none is stored
    on_missing: Callable[[str], Credentials] | None = None  # first use: asks for every detail
    softone: SoftOne | None = None  # the profile's [softone] settings; None: the defaults
    verify: bool = True  # read every offer back after it is saved (migrate --no-verify)

    def __post_init__(self) -> None:
        """Refuse a timeout that can't work: 0 or less would fail every request (and
        inf or nan would wait forever), more than MAX_TIMEOUT would hang a drop window."""
        if not (0 < self.timeout <= MAX_TIMEOUT):  # also false for nan
            raise SettingsError("timeout_invalid", value=f"{self.timeout:g}")

    @property
    def sandbox(self) -> bool:
        """True when the offers go to the practice server, not to SoftOne GO."""
        return self.practice is not None


@dataclass(frozen=True)
class Session:
    """An open connection: the client, the journal and the uploader that uses both."""

    url: str
    target: str
    credentials: Credentials
    client: SoftOneClient
    journal: Journal
    uploader: Uploader


def target_id(api_url: str, company_api_key: str) -> str:
    """Which SoftOne GO company the journal and the workbook records speak of: the
    normalised address (never with user info: it is written into every workbook) and a
    digest of the company key (as typed: earlier records name their target so)."""
    digest = hashlib.sha256(company_api_key.encode("utf-8")).hexdigest()[:12]
    return f"{normalise_api_url(api_url)}#{digest}"


@contextmanager
def resolve_target(connection: Connection) -> Iterator[tuple[str, Credentials, str]]:
    """Yield the API address, the credentials and the target id to upload to.

    ``connection.on_missing(api_url)`` is asked for credentials when none are
    configured (the drop icon's first use); without it, :class:`CredentialsError`
    says what is missing.
    """
    if connection.practice is not None:
        with connection.practice() as (url, credentials):
            yield url, credentials, SANDBOX_TARGET
        return
    url = resolve_api_url(connection.api_url)
    check_proxies()
    # A config file that exists but cannot be read is an error to show, not a first use.
    read_config()
    try:
        credentials = resolve_credentials(connection.credentials, prompt_password=connection.prompt)
    except CredentialsError:
        if connection.on_missing is None:
            raise
        credentials = connection.on_missing(url)
    yield url, credentials, target_id(url, credentials.company_api_key)


def http_client(url: str, timeout: float = DEFAULT_TIMEOUT) -> httpx.Client:
    """The HTTP client for SoftOne GO at ``url``, with the read timeout given.

    For a plain ``http://`` address (the sandbox on 127.0.0.1) no certificate
    store is loaded, which took longer than the whole upload: the client gets
    a TLS context that trusts nobody, so a TLS connection it never expects to
    make would fail verification rather than go unchecked.
    """
    verify: ssl.SSLContext | bool = True
    if url.lower().startswith("http://"):
        verify = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies, with no trusted roots
    return httpx.Client(
        base_url=url + "/",
        timeout=httpx.Timeout(timeout, connect=CONNECT_TIMEOUT),
        verify=verify,
    )


def check_login(url: str, credentials: Credentials, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Test ``credentials`` at ``url``: is SoftOne GO there (Login/Health), then a login.

    Raises :class:`AuthError` when SoftOne GO refuses the details, and
    :class:`UnreachableError` when it can't be reached or doesn't answer the
    login: then the details were not tested and may well be right. Only two
    login attempts: a person is waiting for the answer.
    """
    with http_client(url, timeout) as http:
        check_health(http)  # nothing answers: don't send the password anywhere
        client = SoftOneClient(http, credentials, retry=RetryPolicy(attempts=2, base_delay=0.5))
        try:
            client.login()
        except AuthError:
            raise
        except UploadError as exc:
            raise UnreachableError(exc.code, **exc.params) from None


@contextmanager
def open_session(connection: Connection) -> Iterator[Session]:
    """Connect to SoftOne GO (or the sandbox) and yield a :class:`Session`; closes it all."""
    with ExitStack() as stack:
        journal = stack.enter_context(Journal(connection.journal_path))
        url, credentials, target = stack.enter_context(resolve_target(connection))
        http = stack.enter_context(http_client(url, connection.timeout))
        settings = connection.softone or SoftOne()
        client = SoftOneClient(http, credentials, Endpoints(offer_body=settings.offer_body))
        guard = Guard(client, unknown_articles=settings.unknown_articles, verify=connection.verify)
        uploader = Uploader(client, journal, target, guard=guard)
        yield Session(url, target, credentials, client, journal, uploader)
