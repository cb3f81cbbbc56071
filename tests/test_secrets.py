"""No secret in any file or line, whatever its case or encoding, and no control
characters or bidirectional overrides from the server (issue 13, cases 6 and 7).

Everything here goes over real loopback HTTP to the sandbox, or through the CLI.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import logging
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import openpyxl
import pytest
from click.testing import CliRunner
from test_upload import write_offer_workbook

from converter.cli import cli
from converter.erp.client import RetryPolicy, SoftOneClient
from converter.erp.credentials import check_proxies, normalise_api_url
from converter.erp.journal import Journal
from converter.erp.redact import clean_text, redact, register_secret, server_text
from converter.erp.session import Connection, target_id
from converter.erp.uploader import Uploader
from converter.errors import SettingsError
from converter.pipeline import upload_files
from converter.sandbox import SandboxConfig, SandboxServer

PASSWORD = "S3cret-Pässword"  # noqa: S105 - a sentinel to look for


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(state_path=tmp_path / "state.json")) as server:
        yield server


def test_redaction_masks_a_secret_in_any_case_and_encoding() -> None:
    secret = "Key-AbC/dEf+123"
    register_secret(secret)
    forms = [
        secret,
        secret.lower(),
        secret.upper(),
        quote(secret, safe=""),
        quote(secret, safe="").lower(),  # %2f as well as %2F
        quote(secret, safe="").replace("-", "%2D"),  # not a form we promise: see below
        json.dumps(secret)[1:-1],
        base64.b64encode(secret.encode()).decode(),
    ]
    for form in forms[:5] + forms[6:]:
        shown = redact(f"GET /Offer?x={form}&y=1 said {form!r}")
        assert secret.lower() not in shown.lower() and form not in shown, form
        assert "***" in shown


def test_redaction_masks_user_info_in_any_url() -> None:
    text = redact("ProxyError: http://anna:hemligt@proxy.local:3128 refused; HTTPS://X:Y@h/")
    assert "hemligt" not in text and "anna" not in text and "X:Y" not in text
    assert "http://***@proxy.local:3128" in text


def test_server_text_loses_control_characters_and_bidi_overrides() -> None:
    evil = "Kund\x1b[31m 013\u202e fel\x00\u2066x\u2069\r\nrad två\x07"
    assert clean_text(evil) == "Kund[31m 013 felx  rad två"
    register_secret("sandbox-company-key")
    assert server_text("bad key SANDBOX-COMPANY-KEY\u202e") == "bad key ***"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("HTTP://Host.Example/", "http://host.example"),
        ("http://host.example:80", "http://host.example"),
        ("https://HOST.example:443/api/", "https://host.example/api"),
        ("https://host.example:8443/", "https://host.example:8443"),
        ("  https://host.example  ", "https://host.example"),
        ("http://[::1]:8080/", "http://[::1]:8080"),
    ],
)
def test_one_softone_go_has_one_address(given: str, expected: str) -> None:
    assert normalise_api_url(given) == expected
    assert target_id(given, "key") == target_id(expected, "key")


@pytest.mark.parametrize(
    "url",
    ["http://user:pw@host", "https://pw@host/", "https://a%40b:c@host", "HTTP://U:P@Host:80/"],
)
def test_an_address_with_credentials_is_refused(url: str) -> None:
    with pytest.raises(SettingsError) as caught:
        normalise_api_url(url)
    assert caught.value.code == "api_url_has_credentials"
    assert "pw" not in str(caught.value) and "keyring" in str(caught.value)
    assert "nyckelringen" in caught.value.message("sv")


@pytest.mark.parametrize("url", ["ftp://host", "host.example", "https://", "http://host:99999"])
def test_an_address_that_is_no_web_address_is_refused(url: str) -> None:
    with pytest.raises(SettingsError) as caught:
        normalise_api_url(url)
    assert caught.value.code == "api_url_invalid"


def test_a_proxy_address_with_credentials_is_refused() -> None:
    check_proxies({"https_proxy": "http://proxy:3128", "NO_PROXY": "x@y"})
    with pytest.raises(SettingsError) as caught:
        check_proxies({"https_proxy": "http://anna:hemligt@proxy:3128"})
    assert "hemligt" not in str(caught.value) and "https_proxy" in str(caught.value)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_cli_refuses_a_password_in_the_api_address_and_writes_nothing(
    user_dirs: Path, lang: str
) -> None:
    path = write_offer_workbook(user_dirs / "offer.xlsx", ["013"])
    before = path.read_bytes()
    env = {
        "SOFTONE_API_URL": f"http://demo:{PASSWORD}@127.0.0.1:9",
        "SOFTONE_COMPANY_API_KEY": "company-key-1",
        "SOFTONE_CONNECT_API_KEY": "connect-key-1",
        "SOFTONE_TOKEN": "token-value-1",
    }
    result = CliRunner().invoke(cli, ["--lang", lang, "upload", str(path)], env=env)
    assert result.exit_code == 2, result.output
    assert PASSWORD not in result.output and "Traceback" not in result.output
    expected = "nyckelringen" if lang == "sv" else "keyring"
    assert expected in result.output
    if lang == "sv":
        assert "Error" not in result.output and "address" not in result.output
    assert path.read_bytes() == before
    assert not any(PASSWORD in p.read_bytes().decode("latin-1") for p in _files(user_dirs))


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "601"])
def test_nonsense_timeouts_are_refused(user_dirs: Path, value: str) -> None:
    path = write_offer_workbook(user_dirs / "offer.xlsx", ["013"])
    result = CliRunner().invoke(
        cli, ["--lang", "sv", "upload", "--sandbox", "--timeout", value, str(path)]
    )
    assert result.exit_code == 2, result.output
    assert "--timeout" in result.output and "sekunder" in result.output
    assert "Traceback" not in result.output
    with pytest.raises(SettingsError):
        Connection(timeout=float(value))


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def _every_text_of(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())


def test_a_key_echoed_in_another_case_reaches_no_screen_cell_or_log(
    sandbox: SandboxServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """SoftOne GO compares keys case-insensitively and may quote one back: the refusal
    below quotes the company key in upper case, with a terminal escape and a bidi
    override, and none of them reaches the result, the workbook or the log."""
    key = sandbox.credentials.company_api_key
    app: Any = sandbox._app
    real_post = app._routes["/economy/billing/offer"]["POST"]

    def refuse_quoting_the_key(query: dict[str, str], body: bytes, action: Any) -> Any:
        reply = real_post(query, b"[]", action)  # authenticates; imports nothing
        assert reply.status == 200
        body = {
            "success": False,
            "errorNumber": 7,
            "errorMessage": f"Ogiltig nyckel {key.upper()}\x1b[2J\u202eKUND",
        }
        return dataclasses.replace(reply, body=body)

    app._routes["/economy/billing/offer"]["POST"] = refuse_quoting_the_key
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    caplog.set_level(logging.DEBUG)
    with (
        Journal(tmp_path / "journal.sqlite") as journal,
        httpx.Client(base_url=sandbox.url + "/", timeout=5) as http,
    ):
        client = SoftOneClient(http, sandbox.client_credentials(), retry=RetryPolicy(attempts=2))
        run = upload_files([path], Uploader(client, journal, "sandbox"), backup_dir=tmp_path / "b")
        entries = journal.entries()
    result = run.results[0]
    assert result.status == "failed" and result.code == "upload_refused"
    shown = result.message("en") + result.message("sv")
    status = openpyxl.load_workbook(path)["Offert 1"]["C5"].value
    assert "Ogiltig nyckel ***" in shown and "Ogiltig nyckel ***" in status
    for text in (shown, status, caplog.text, _every_text_of(path), repr(entries)):
        assert key not in text.lower(), text
        assert "\x1b" not in text and "\u202e" not in text


def test_a_record_written_under_an_older_spelling_of_the_address_is_still_known(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    """Records name their target; one written by an earlier version (user info in the
    address, an upper-case host, the default port) names the same SoftOne GO, so the
    next upload skips the offer instead of saying "this workbook has no record"."""
    path = write_offer_workbook(tmp_path / "offer.xlsx", ["013"])
    old = f"HTTP://demo:{PASSWORD}@Host.Example:80/#0123456789ab"
    now = "http://host.example#0123456789ab"
    runs = []
    for target in (old, now):
        with (
            Journal(tmp_path / f"journal-{len(runs)}.sqlite") as journal,
            httpx.Client(base_url=sandbox.url + "/", timeout=5) as http,
        ):
            client = SoftOneClient(http, sandbox.client_credentials())
            uploader = Uploader(client, journal, target)
            runs.append(upload_files([path], uploader, backup_dir=tmp_path / "b"))
    assert [r.results[0].status for r in runs] == ["created", "skipped"]
    assert len(sandbox.offers()) == 1
