"""The SoftOne GO client, against httpx.MockTransport: login, retries, outcomes, secrets."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from converter.erp.client import MAX_RELOGINS, Endpoints, OutcomeUnknown, RetryPolicy, SoftOneClient
from converter.erp.credentials import Credentials
from converter.errors import AuthError, UploadError

TOKEN = "+SENTINEL/tok=="
PASSWORD = "pw-SENTINEL-123"
COMPANY = "company-SENTINEL-key"
CONNECT = "connect-SENTINEL-key"
OK_RESULT = {"Success": True, "Keys": [21027272], "Strings": ["486"], "ErrorNumber": 0}

Handler = Callable[[httpx.Request], httpx.Response]


class FakeTime:
    """A clock and a sleep that only move when told, recording every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def creds(**overrides: Any) -> Credentials:
    values: dict[str, Any] = {
        "company_api_key": COMPANY,
        "connect_api_key": CONNECT,
        "license": "LIC-1",
        "username": "anna",
        "password": PASSWORD,
    }
    values.update(overrides)
    return Credentials(**values)


def make_client(handler: Handler, time: FakeTime | None = None, **cred: Any) -> SoftOneClient:
    time = time or FakeTime()
    http = httpx.Client(base_url="https://api.test/", transport=httpx.MockTransport(handler))
    return SoftOneClient(
        http,
        creds(**cred),
        sleep=time.sleep,
        clock=time.clock,
        retry=RetryPolicy(attempts=4, base_delay=0.01),
    )


def login_ok(request: httpx.Request) -> httpx.Response | None:
    if request.url.path == "/Login/Token":
        return httpx.Response(200, json={"Token": TOKEN, "Message": None})
    return None


def test_login_posts_the_documented_body_and_url_encodes_the_token() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return login_ok(request) or httpx.Response(200, json=OK_RESULT)

    result = make_client(handler).post_offer({"CustomerNr": "013"})
    login, post = seen
    assert json.loads(login.content) == {
        "License": "LIC-1",
        "UserName": "anna",
        "Password": PASSWORD,
    }
    assert login.url.params["companyApiKey"] == COMPANY
    assert post.url.path == "/Economy/Billing/Offer"
    assert post.url.params["token"] == TOKEN
    assert "%2BSENTINEL%2Ftok%3D%3D" in str(post.url)  # + / = survive the query string
    assert json.loads(post.content) == [{"CustomerNr": "013"}]  # one offer, as an array
    assert result.keys == [21027272] and result.strings == ["486"]


def test_a_failed_login_is_http_200_without_token() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"Token": None, "Message": "Felaktig inloggning"})

    with pytest.raises(AuthError, match="refused the login: Felaktig inloggning"):
        make_client(handler).post_offer({})


def test_camel_case_replies_are_understood() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/Login/Token":
            return httpx.Response(200, json={"token": TOKEN, "message": None})
        return httpx.Response(200, json={"success": True, "keys": [7], "strings": ["9"]})

    result = make_client(handler).post_offer({})
    assert (result.success, result.keys, result.strings) == (True, [7], ["9"])


def test_429_is_retried_after_retry_after() -> None:
    time = FakeTime()
    replies = iter(
        [httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, json=OK_RESULT)]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        return login_ok(request) or next(replies)

    assert make_client(handler, time).post_offer({}).success
    assert time.sleeps == [7.0]


def test_connection_refused_is_retried_then_gives_up() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(UploadError, match="after 4 tries"):
        make_client(handler, token=TOKEN).post_offer({})
    assert calls == 4


@pytest.mark.parametrize(
    "failure",
    [
        lambda r: (_ for _ in ()).throw(httpx.ReadTimeout("timed out", request=r)),
        lambda r: (_ for _ in ()).throw(httpx.RemoteProtocolError("dropped", request=r)),
        lambda r: httpx.Response(500, json={"message": "An unexpected error occurred."}),
    ],
    ids=["timeout", "dropped", "500"],
)
def test_a_post_whose_outcome_is_unknown_is_never_repeated(
    failure: Callable[[httpx.Request], httpx.Response],
) -> None:
    posts = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal posts
        if request.method == "POST":
            posts += 1
        return login_ok(request) or failure(request)

    with pytest.raises(OutcomeUnknown, match="may have been saved"):
        make_client(handler).post_offer({})
    assert posts == 2  # the login and ONE offer POST


def test_lookups_are_retried_after_a_timeout() -> None:
    replies: list[Any] = [httpx.ReadTimeout, [5]]

    def handler(request: httpx.Request) -> httpx.Response:
        if (ok := login_ok(request)) is not None:
            return ok
        reply = replies.pop(0)
        if reply is httpx.ReadTimeout:
            raise httpx.ReadTimeout("slow", request=request)
        assert request.url.params["externalId"] == "ext-1"
        assert request.url.params["type"] == "5"
        return httpx.Response(200, json=reply)

    assert make_client(handler).find_offer_ids("ext-1") == [5]


def test_401_logs_in_again_once() -> None:
    logins = 0
    replies = iter(
        [
            httpx.Response(401, json="Det token som skickades innehåller ogiltig information"),
            httpx.Response(200, json=OK_RESULT),
        ]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal logins
        if request.url.path == "/Login/Token":
            logins += 1
            return httpx.Response(200, json={"Token": f"{TOKEN}{logins}"})
        return next(replies)

    assert make_client(handler).post_offer({}).success
    assert logins == 2


def test_a_401_that_keeps_coming_stops_with_the_servers_message() -> None:
    """A token refused right after a login may have expired while other threads shared it:
    a request logs in again a few times (MAX_RELOGINS), then gives up."""
    logins = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal logins
        if request.url.path.endswith("/Login/Token"):
            logins += 1
        return login_ok(request) or httpx.Response(401, json="Anropet innehåller ogiltiga nycklar")

    with pytest.raises(AuthError, match="Anropet innehåller ogiltiga nycklar"):
        make_client(handler).post_offer({})
    assert logins == 1 + MAX_RELOGINS


def test_a_token_without_login_details_cannot_be_renewed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json="Det token som skickades innehåller ogiltig information")

    with pytest.raises(AuthError, match="ogiltig information"):
        make_client(handler, token=TOKEN, license=None, username=None, password=None).post_offer({})


def test_the_token_is_renewed_before_it_is_an_hour_old() -> None:
    time = FakeTime()
    logins = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal logins
        if request.url.path == "/Login/Token":
            logins += 1
            return httpx.Response(200, json={"Token": TOKEN})
        return httpx.Response(200, json=OK_RESULT)

    client = make_client(handler, time)
    client.post_offer({})
    time.now += Endpoints().token_refresh_after - 1
    client.post_offer({})
    assert logins == 1
    time.now += 2
    client.post_offer({})
    assert logins == 2


def test_offer_number_reads_the_configured_field() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if (ok := login_ok(request)) is not None:
            return ok
        assert request.url.params["invoiceId"] == "42"
        return httpx.Response(200, json={"InvoiceId": 42, "CustomerInvoiceNr": "486"})

    assert make_client(handler).offer_number(42) == "486"


def test_network_errors_never_carry_the_url_secrets() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.endswith("Offer"):
            # httpx puts the whole URL, with token and keys, into such messages
            raise httpx.ReadError(f"broken pipe while sending to {request.url}", request=request)
        return login_ok(request) or httpx.Response(200, json=OK_RESULT)

    with pytest.raises(OutcomeUnknown) as caught:
        make_client(handler).post_offer({})
    text = str(caught.value) + repr(caught.value)
    for secret in (TOKEN, PASSWORD, COMPANY, CONNECT, "%2BSENTINEL%2Ftok%3D%3D"):
        assert secret not in text
    assert "broken pipe" in text
    assert caught.value.__cause__ is None and caught.value.__context__ is not None


def test_credentials_repr_hides_secrets() -> None:
    text = repr(creds(token=TOKEN))
    for secret in (TOKEN, PASSWORD, COMPANY, CONNECT):
        assert secret not in text


def test_a_real_httpx_exception_quoting_the_url_is_redacted(tmp_path: Path) -> None:
    """Over real loopback HTTP: httpx's own HTTPStatusError quotes the URL, token and keys."""
    from converter.sandbox import Faults, SandboxConfig, SandboxServer

    config = SandboxConfig(state_path=tmp_path / "state.json", faults=Faults(error_before_every=1))
    with SandboxServer(config) as server:
        # a caller may well build its client to raise on every HTTP error status
        http = httpx.Client(
            base_url=server.url + "/",
            timeout=5,
            event_hooks={"response": [lambda response: response.raise_for_status()]},
        )
        # the fault answers 500 before the sandbox looks at the token
        credentials = server.client_credentials(token=TOKEN)
        client = SoftOneClient(http, credentials, retry=RetryPolicy(attempts=1))
        with pytest.raises(UploadError) as caught:
            client.post_offer({})
    raw = str(caught.value.__context__)
    assert isinstance(caught.value.__context__, httpx.HTTPStatusError)
    assert "%2BSENTINEL%2Ftok%3D%3D" in raw and server.credentials.company_api_key in raw
    text = str(caught.value) + repr(caught.value)
    assert "HTTPStatusError: Server error '500" in text
    for secret in (
        "%2BSENTINEL%2Ftok%3D%3D",
        server.credentials.company_api_key,
        server.credentials.connect_api_key,
        server.credentials.password,
    ):
        assert secret not in text
    assert caught.value.__cause__ is None
