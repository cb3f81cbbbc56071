"""A small SoftOne GO API client over a caller-built ``httpx.Client``.

It logs in, keeps the token fresh, sends requests and sorts failures into
three kinds, because that decides what is safe to do next:

- *not sent* (connection refused, 429, 503): retried here with backoff, jitter
  and ``Retry-After``, a bounded number of times;
- *outcome unknown* (a timeout, a dropped connection, a 500 after a POST):
  raised as :class:`OutcomeUnknown`; the caller checks whether the offer exists
  before it sends again — a POST is never repeated blindly;
- *refused* (401 on the first use of a token fresh from a login, other 4xx):
  raised as our own errors.

Threads share one client and its token. When the token expires they all see
the 401: one of them logs in (single flight) and tries the new token before
anyone else may use it; the others take the new token, and log in themselves
only if that is refused too. So a shared token running out never stops an
upload, and a token SoftOne GO refuses on its first use is a real refusal.

httpx exceptions carry the URL, and the URL carries the token and keys: every
message that leaves this module goes through :func:`converter.erp.redact.server_text`
(redacted, control characters and bidirectional overrides removed).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any, Literal, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from converter.erp.credentials import Credentials
from converter.erp.redact import RedactingFilter, register_secret, server_text
from converter.errors import AuthError, UnreachableError, UploadError
from converter.model.api import (
    CustomerReply,
    LoginReply,
    OfferReply,
    OperationResult,
    PriceReply,
    ProductReply,
    json_number,
)

log = logging.getLogger(__name__)
# httpx logs every request's full URL, token and keys included, at INFO level
for _name in ("httpx", "httpcore"):
    logging.getLogger(_name).addFilter(RedactingFilter())
M = TypeVar("M", bound=BaseModel)
# logins one request may make again after SoftOne GO refused the first use of a token fresh
# from a login (nobody else had it); a shared token that expired is renewed without counting
MAX_RELOGINS = 3


@dataclass(frozen=True)
class Endpoints:
    """Everything the client relies on that the vendor document does not pin down.

    api-notes.md learned these from server code, not from the production
    server, so they live in this one place and can be overridden.
    """

    login: str = "Login/Token"
    health: str = "Login/Health"  # answers without a token or keys (api-notes)
    offer: str = "Economy/Billing/Offer"
    ids_by_external_id: str = "Economy/Billing/InvoiceIdsFromExternalId"
    product: str = "Economy/Billing/Product"
    product_search: str = "Economy/Billing/Products/Search"
    product_prices: str = "Economy/Billing/Products/Price"
    # the register, page by page: neither in the vendor document nor in api-notes,
    # so the path and its paging parameters are all here
    products: str = "Economy/Billing/Products"
    products_page_param: str = "pageNumber"
    products_size_param: str = "pageSize"
    products_page_size: int = 500
    customers: str = "Economy/Customer/Customers"
    offer_origin_type: int = 5
    offer_number_field: str = "CustomerInvoiceNr"  # the offer number in GET Offer's reply
    token_refresh_after: float = 50 * 60.0  # the server refuses tokens older than 60 min
    # the vendor document posts an array of one offer; the server code declares one object
    offer_body: Literal["array", "object"] = "array"
    # offer statuses in which an update is refused: 42 ordered, 44 invoiced, 45 closed
    locked_statuses: frozenset[int] = frozenset({42, 44, 45})


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry requests that were not processed."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 120.0


class OutcomeUnknown(UploadError):
    """The request may or may not have been processed (timeout, dropped, 5xx after sending)."""


class SoftOneClient:
    """Login, token refresh, retries and JSON for the SoftOne GO endpoints we use."""

    def __init__(
        self,
        http: httpx.Client,
        credentials: Credentials,
        endpoints: Endpoints | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.http = http
        self.credentials = credentials.register()
        self.endpoints = endpoints or Endpoints()
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._token: str | None = credentials.token
        self._token_time = clock()
        # Concurrent uploads share one client: one of them logs in, the others wait for its token.
        self._login_lock = threading.Lock()
        self.requests_sent = 0
        self.logins = 0  # logins accepted by SoftOne GO

    # -- public API -------------------------------------------------------------------

    def login(self) -> None:
        """Fetch a new token with Login/Token; :class:`AuthError` when it is refused."""
        creds = self.credentials
        if not creds.can_login:
            raise AuthError("token_refused_no_login")
        response = self._send(
            "POST",
            self.endpoints.login,
            json={"License": creds.license, "UserName": creds.username, "Password": creds.password},
            authenticated=False,
            idempotent=True,  # a repeated login is harmless
        )
        reply = _parse(LoginReply, response)
        if not reply.token:
            reason = server_text(reply.message or "no reason given")
            raise AuthError("login_refused", reason=reason)
        register_secret(reply.token)
        self.logins += 1
        self._token = reply.token
        self._token_time = self._clock()
        log.info("logged in to SoftOne GO")

    def post_offer(self, body: dict[str, Any]) -> OperationResult:
        """POST one offer (as a one-element array, or as one object: ``offer_body``)
        and return the operation result.

        Raises :class:`OutcomeUnknown` when the offer may have been saved.
        """
        response = self._send(
            "POST",
            self.endpoints.offer,
            json=[body] if self.endpoints.offer_body == "array" else body,
            params={"importId": "0", "specialFunctionalities": ""},
            idempotent=False,
        )
        return _parse(OperationResult, response)

    def find_offer_ids(self, external_id: str) -> list[int]:
        """The internal keys of offers carrying ``external_id`` (api-notes lookup)."""
        response = self._send(
            "GET",
            self.endpoints.ids_by_external_id,
            params={"type": str(self.endpoints.offer_origin_type), "externalId": external_id},
            idempotent=True,
        )
        data = _json(response)
        if not isinstance(data, list) or not all(isinstance(i, int) for i in data):
            raise UploadError("unexpected_external_id_reply")
        return list(data)

    def get_offer(self, invoice_id: int) -> dict[str, Any]:
        """One offer by its internal key ({} when there is none)."""
        response = self._send(
            "GET", self.endpoints.offer, params={"invoiceId": str(invoice_id)}, idempotent=True
        )
        data = _json(response)
        if not isinstance(data, dict):
            raise UploadError("unexpected_offer_reply")
        return data

    def read_offer(self, invoice_id: int) -> OfferReply | None:
        """The stored offer with its rows and totals, as SoftOne GO holds it (None: none)."""
        data = self.get_offer(invoice_id)
        if not data:
            return None
        try:
            return OfferReply.model_validate(data)
        except ValidationError:
            raise UploadError("unexpected_offer_reply") from None

    def get_product(self, number: str) -> ProductReply:
        """The article with this number (an empty one, ``known`` False, when there is none)."""
        response = self._send(
            "GET", self.endpoints.product, params={"number": number}, idempotent=True
        )
        data = _json(response)
        if not isinstance(data, dict):
            raise UploadError("unexpected_lookup_reply")
        try:
            return ProductReply.model_validate(data)
        except ValidationError:
            raise UploadError("unexpected_lookup_reply") from None

    def search_products(
        self, number: str | None, name: str | None, max_rows: int
    ) -> list[ProductReply]:
        """The articles ``POST Products/Search`` finds for a number and/or a name."""
        response = self._send(
            "POST",
            self.endpoints.product_search,
            json={"Number": number, "Name": name},
            params={"maxNrRows": str(max_rows)},
            idempotent=True,  # a search changes nothing
        )
        return _replies(ProductReply, response)

    def product_prices(
        self, customer_id: int, items: Sequence[tuple[int, Decimal]]
    ) -> list[PriceReply]:
        """Each (article id, quantity)'s price for the customer, in one ``Products/Price`` call."""
        response = self._send(
            "POST",
            self.endpoints.product_prices,
            json=[{"ProductId": pid, "Quantity": json_number(qty)} for pid, qty in items],
            params={"customerId": str(customer_id)},
            idempotent=True,  # asking a price changes nothing
        )
        return _replies(PriceReply, response)

    def list_products(self) -> list[ProductReply]:
        """The company's whole article register (``GET Products``), page by page."""
        e = self.endpoints
        found: list[ProductReply] = []
        page = 1
        while True:
            response = self._send(
                "GET",
                e.products,
                params={
                    e.products_page_param: str(page),
                    e.products_size_param: str(e.products_page_size),
                },
                idempotent=True,
            )
            batch = _replies(ProductReply, response)
            found += batch
            if len(batch) < e.products_page_size:
                return found
            page += 1

    def find_customers(self, number: str) -> list[CustomerReply]:
        """The customers ``GET Customers?numberFrom=N&numberTo=N`` lists for ``number``."""
        response = self._send(
            "GET",
            self.endpoints.customers,
            params={"numberFrom": number, "numberTo": number},
            idempotent=True,
        )
        return _replies(CustomerReply, response)

    def offer_number(self, invoice_id: int) -> str | None:
        """The offer number of the offer with key ``invoice_id``, if SoftOne GO has it."""
        offer = self.get_offer(invoice_id)
        field = self.endpoints.offer_number_field
        camel = field[0].lower() + field[1:]
        value = offer.get(field, offer.get(camel))
        number = None if value is None else server_text(str(value)).strip()
        return number or None

    # -- sending ------------------------------------------------------------------------

    def _auth_params(self) -> dict[str, str]:
        params = {
            "companyApiKey": self.credentials.company_api_key,
            "connectApiKey": self.credentials.connect_api_key,
        }
        return params

    def _token_for(self, refused: str | None, renew: bool) -> tuple[str, bool]:
        """The token to send with, and whether it is fresh from a login made here.

        One thread at a time renews (single flight): a thread refused with a
        token that another thread has already replaced takes the new one, unless
        ``renew`` says it must log in itself. After a login made here the lock
        stays held until the first request with the new token has its answer
        (the caller releases it): nobody else can spend a fresh token before it
        has been tried once, so a 401 on that first use means SoftOne GO refuses
        us, never that other threads used the token up.
        """
        self._login_lock.acquire()
        fresh = False
        try:
            too_old = self._clock() - self._token_time >= self.endpoints.token_refresh_after
            # refused: log in, unless another thread already replaced the refused token
            spent = refused is not None and (renew or self._token == refused)
            if self._token is None or spent or (too_old and self.credentials.can_login):
                self.login()
                fresh = True
            assert self._token is not None
            return self._token, fresh
        finally:
            if not fresh:
                self._login_lock.release()

    def _send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, str] | None = None,
        authenticated: bool = True,
        idempotent: bool,
    ) -> httpx.Response:
        attempt = 0  # tries of requests SoftOne GO did not process (a 401 is not one)
        refused: str | None = None  # the token the last 401 refused
        renew = False  # the next token must come from a login of this request's own
        fresh_refused = 0  # tokens fresh from a login refused on their first use
        while attempt < self.retry.attempts:
            query = {**self._auth_params(), **(params or {})}
            token, fresh = None, False
            if authenticated:
                token, fresh = self._token_for(refused, renew)
                query["token"] = token
            try:
                try:
                    self.requests_sent += 1
                    response = self.http.request(method, path, params=query, json=json)
                finally:
                    if fresh:
                        self._login_lock.release()
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                # nothing reached the server: safe to try again
                attempt += 1
                refused, renew = None, False
                self._wait(attempt, None, _describe(exc))
                continue
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                if idempotent:
                    attempt += 1
                    refused, renew = None, False
                    self._wait(attempt, None, _describe(exc))
                    continue
                raise OutcomeUnknown("no_reply", detail=_describe(exc)) from None
            except httpx.HTTPError as exc:
                raise UploadError("unreachable", detail=_describe(exc)) from None
            status = response.status_code
            if status == 401:
                if not authenticated or not self.credentials.can_login:
                    raise AuthError("credentials_refused", reason=_message(response))
                if fresh:
                    # nobody else had this token: SoftOne GO refused a login it just made
                    fresh_refused += 1
                    if fresh_refused > MAX_RELOGINS:
                        raise AuthError("credentials_refused", reason=_message(response))
                else:
                    # a shared token expired: first take the one another thread renewed
                    # (if any), and when that is refused too, log in for this request
                    renew = refused is not None
                refused = token
                continue
            if status in (429, 503):
                attempt += 1
                refused, renew = None, False
                self._wait(attempt, response.headers.get("Retry-After"), f"HTTP {status}")
                continue
            if status >= 500:
                if idempotent:
                    attempt += 1
                    refused, renew = None, False
                    self._wait(attempt, None, f"HTTP {status}")
                    continue
                raise OutcomeUnknown("server_error", status=status, reason=_message(response))
            if status >= 400:
                raise UploadError("http_refused", status=status, reason=_message(response))
            return response
        raise UploadError("not_accepted", tries=self.retry.attempts)

    def _wait(self, attempt: int, retry_after: str | None, why: str) -> None:
        if attempt >= self.retry.attempts:
            return
        delay = _retry_after_seconds(retry_after)
        if delay is None:
            # full jitter: spread clients out instead of retrying in lockstep
            delay = random.uniform(0, min(self.retry.max_delay, self.retry.base_delay * 2**attempt))
        delay = min(delay, self.retry.max_retry_after)
        log.info("retrying in %.1f s after %s", delay, why)
        self._sleep(delay)


def check_health(http: httpx.Client, endpoints: Endpoints | None = None) -> bool:
    """Ask ``GET Login/Health``, which takes no token and no key: is SoftOne GO there at all?

    True when it answers 2xx, False when something answers otherwise (an old
    server without the endpoint, a gateway, maintenance). Raises
    :class:`UnreachableError` when nothing answers (no network, an unknown
    host, a refused connection, a timeout): then there is no point in sending
    the login, and a failure says nothing about the details.
    """
    path = (endpoints or Endpoints()).health
    try:
        response = http.get(path)
    except httpx.HTTPError as exc:
        raise UnreachableError("unreachable", detail=_describe(exc)) from None
    log.info("%s answered HTTP %s", path, response.status_code)
    return response.is_success


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _describe(exc: httpx.HTTPError) -> str:
    """The exception's kind and redacted message (it may quote the URL)."""
    return server_text(f"{type(exc).__name__}: {exc}")


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        raise UploadError("reply_not_json", status=response.status_code) from None


def _message(response: httpx.Response) -> str:
    """The server's message from an error reply: a bare JSON string or {"message": ...}."""
    try:
        data = response.json()
    except ValueError:
        return server_text(response.text[:200] or response.reason_phrase)
    if isinstance(data, str):
        return server_text(data)
    if isinstance(data, dict):
        for key in ("message", "Message", "ErrorMessage", "errorMessage"):
            if isinstance(data.get(key), str):
                return server_text(data[key])
    return server_text(str(data)[:200])


def _replies(model: type[M], response: httpx.Response) -> list[M]:
    """A look-up's JSON list, each element read as ``model``."""
    data = _json(response)
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise UploadError("unexpected_lookup_reply")
    try:
        return [model.model_validate(item) for item in data]
    except ValidationError:
        raise UploadError("unexpected_lookup_reply") from None


def _parse(model: type[M], response: httpx.Response) -> M:
    try:
        return model.model_validate(_json(response))
    except ValidationError:
        raise UploadError("reply_not_understood", status=response.status_code) from None
