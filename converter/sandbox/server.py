"""The sandbox's HTTP side: a local emulator of the SoftOne GO endpoints we use.

A stdlib ``ThreadingHTTPServer`` on a loopback address serves:

- ``POST /Login/Token`` (always HTTP 200; a refused login has ``Token: null``),
- ``GET /Login/Health`` (200, no token or key needed),
- ``POST /Economy/Billing/Offer`` (the vendor document's operation result),
  taking the document's array or a single offer object,
- the lookups api-notes lists: ``GET /Economy/Billing/InvoiceIdsFromExternalId``,
  ``GET /Economy/Billing/Offer``, ``GET /Economy/Billing/Product``,
  ``GET /Economy/Billing/Products`` (the register, paged),
  ``POST /Economy/Billing/Products/Search``, ``POST /Economy/Billing/Products/Price``
  and ``GET /Economy/Customer/Customers``,
- ``POST /Sandbox/OfferStatus?invoiceId=K&status=S``, the practice server's own
  admin call: it puts an offer in a status (42 ordered, 44 invoiced, 45
  closed) in which SoftOne GO refuses updates.

Replies are camelCase with null fields left out, as api-notes says the API
serializes them; ``casing="pascal"`` gives the vendor document's form (every
field, PascalCase) instead. A token must be used for the first time within
two minutes of the login ("Session not activated").

Paths and query parameter names are case-insensitive, as on the real
(ASP.NET) server. Query values are form-decoded, so a token sent without
URL-encoding loses its ``+`` signs and is refused, exactly as it would be in
production. Requests are never logged: the URL carries the token.

Data rules live in ``state.py``, fault decisions in ``faults.py``; this module
only translates between HTTP and those two.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import secrets
import selectors
import socket
import socketserver
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal
from urllib.parse import parse_qsl, urlsplit

from converter.sandbox.faults import FaultAction, Faults, RequestCounters
from converter.sandbox.state import ImportOutcome, JsonDict, SandboxCredentials, SandboxState

if TYPE_CHECKING:
    from converter.erp.credentials import Credentials as ClientCredentials

MSG_NO_TOKEN: Final = "Anropet saknar Token"
MSG_BAD_TOKEN: Final = "Det token som skickades innehåller ogiltig information"
MSG_BAD_KEYS: Final = "Anropet innehåller ogiltiga nycklar"
GENERIC_500: Final = {
    "message": "An unexpected error occurred. Please try again later or contact support."
}
MSG_NOT_ACTIVATED: Final = "Session not activated"
OFFER_TYPE: Final = 5  # the ``type`` of InvoiceIdsFromExternalId that means offers
MAX_BODY_BYTES: Final = 64 * 1024 * 1024
PRODUCTS_PAGE_SIZE: Final = 500  # GET Products without pageSize
PRODUCTS_PAGE_MAX: Final = 1000
# How often the serving loop wakes by itself: stop() wakes it at once, but on Windows
# Ctrl-C (`offer-converter sandbox`) is only seen when the select returns.
POLL_SECONDS: Final = 0.02

_OFFER_PATH: Final = "/economy/billing/offer"
_PRODUCT_PATH: Final = "/economy/billing/product"
_CUSTOMERS_PATH: Final = "/economy/customer/customers"
_LOOKUP_PATHS: Final = frozenset({_PRODUCT_PATH, _CUSTOMERS_PATH})
Casing = Literal["camel", "pascal"]


def _loopback_address(host: str) -> str:
    """The IP literal to bind for ``host``; ValueError unless it is a loopback address.

    The sandbox accepts any password-free practice login, so it must never be
    reachable from another machine.
    """
    candidate = "127.0.0.1" if host.strip().lower() == "localhost" else host.strip()
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        raise ValueError(f"sandbox host must be a loopback IP address, got {host!r}") from None
    if not address.is_loopback:
        raise ValueError(f"sandbox host must be a loopback address, got {host!r}")
    return str(address)


@dataclass
class SandboxConfig:
    """How to run the sandbox; see the field comments."""

    host: str = "127.0.0.1"  # loopback only; anything else is refused
    port: int = 0  # 0 = any free port
    state_path: Path | None = None  # None = in memory only
    faults: Faults = Faults()
    # "camel": camelCase keys, null fields left out (api-notes); "pascal": the document's form
    casing: Casing = "camel"
    token_activation_seconds: float = 120.0  # a token first used later is "not activated"
    token_idle_seconds: float = 120.0  # a token unused this long is refused
    token_max_age_seconds: float = 3600.0  # a token this old is refused
    seed_path: Path | None = None  # JSON with "customers"/"products" merged in at start
    clock: Callable[[], float] = time.monotonic  # the tokens' clock (tests move it on)

    def __post_init__(self) -> None:
        """Refuse a non-loopback host early, where the mistake was made."""
        _loopback_address(self.host)


# ------------------------------------------------------------------ JSON casing


def camel_case_key(name: str) -> str:
    """``CustomerNr`` -> ``customerNr``, ``OCR`` -> ``ocr``, ``IdDict`` -> ``idDict``.

    Same rule as the .NET serializers' camelCase: lower the leading run of
    capitals, except the last one when a lower-case letter follows it.
    """
    chars = list(name)
    for index, char in enumerate(chars):
        if index == 1 and not char.isupper():
            break
        has_next = index + 1 < len(chars)
        if index > 0 and has_next and not chars[index + 1].isupper():
            break
        chars[index] = char.lower()
    return "".join(chars)


def camel_case(value: Any) -> Any:
    """``value`` with every object key camelCased and null fields left out, recursively.

    That is how the API serializes its replies (api-notes: "camelCase and
    leaves null fields out"); a failed login, for one, has no ``token`` key.
    """
    if isinstance(value, dict):
        return {
            camel_case_key(str(key)): camel_case(item)
            for key, item in value.items()
            if item is not None
        }
    if isinstance(value, list):
        return [camel_case(item) for item in value]
    return value


def empty_product() -> JsonDict:
    """What ``GET Product`` answers for an unknown number: an article with nothing set."""
    return {
        "ProductId": None,
        "Number": None,
        "Name": None,
        "Description": None,
        "Unit": None,
        "SalesPrice": 0.0,
        "VatRate": None,
        "State": 0,
    }


# ------------------------------------------------------------------ replies


@dataclass(frozen=True)
class Reply:
    """One HTTP reply: status, a JSON-serialisable body and extra headers."""

    status: int
    body: Any
    headers: tuple[tuple[str, str], ...] = ()


#: Returned by a route instead of a reply: close the socket without answering.
DROP: Final = Reply(status=0, body=None)


def operation_result(outcome: ImportOutcome) -> JsonDict:
    """The document's operation result (section 3.1), every field present."""
    saved = len(outcome.keys)
    error = outcome.error
    return {
        "Success": error is None,
        "SuccessNumber": 0,
        "ErrorNumber": error.number if error else 0,
        "ErrorMessage": error.message if error else None,
        "InfoMessage": (
            f"{saved} kundfakturor utav {outcome.received} har skapats/uppdaterats."
            if error is None
            else None
        ),
        "CanUserOverride": False,
        "IntegerValue": 0,
        "IntegerValue2": 0,
        "DecimalValue": 0.0,
        "StringValue": outcome.batch_id if saved else None,
        "BooleanValue": False,
        "BooleanValue2": False,
        "DateTimeValue": "0001-01-01T00:00:00",
        "Value": None,
        "Value2": None,
        "Dates": None,
        "Keys": list(outcome.keys),
        "Strings": list(outcome.numbers),
        "IdDict": None,
        "IntDict": None,
        "IntDict2": None,
        "StrDict": None,
        "StrDict2": None,
        "StrIntListDict": None,
        "ObjectsAffected": saved,
        "StackTrace": None,
        "Exception": None,
        "Modified": "0001-01-01T00:00:00",
        "ModifiedBy": None,
    }


# ------------------------------------------------------------------ tokens


@dataclass
class _Session:
    username: str
    issued: float
    last_used: float
    uses: int = 0


def new_token() -> str:
    """A random base64 token that always contains ``+``, ``/`` and ``=``.

    The leading bytes 0xFB 0xFF encode as ``+/`` and 32 bytes leave one ``=``
    of padding, so a client that forgets to URL-encode the token fails at once
    instead of one time in a few.
    """
    return base64.b64encode(b"\xfb\xff" + secrets.token_bytes(30)).decode("ascii")


class TokenStore:
    """Issued tokens with the real server's limits: first use, idle time, age and
    (fault) use count."""

    def __init__(
        self,
        idle_seconds: float,
        max_age_seconds: float,
        max_uses: int,
        activation_seconds: float = 120.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``max_uses`` 0 means unlimited."""
        self._idle = idle_seconds
        self._max_age = max_age_seconds
        self._max_uses = max_uses
        self._activation = activation_seconds
        self._clock = clock
        self._sessions: dict[str, _Session] = {}
        self._lock = threading.Lock()

    def issue(self, username: str) -> str:
        """Log ``username`` in and return a fresh token."""
        token = new_token()
        now = self._clock()
        with self._lock:
            self._sessions[token] = _Session(username, issued=now, last_used=now)
        return token

    def use(self, token: str) -> str | Reply:
        """Count one authenticated use of ``token``: its user, or the 401 that refuses it."""
        now = self._clock()
        with self._lock:
            session = self._sessions.get(token)
            if session is None:
                return Reply(401, MSG_BAD_TOKEN)
            if session.uses == 0 and now - session.issued > self._activation:
                # api-notes: the first use must come within about two minutes of the login
                del self._sessions[token]
                return Reply(401, MSG_NOT_ACTIVATED)
            if now - session.last_used > self._idle or now - session.issued > self._max_age:
                del self._sessions[token]
                return Reply(401, MSG_BAD_TOKEN)
            if self._max_uses and session.uses >= self._max_uses:
                return Reply(401, MSG_BAD_TOKEN)
            session.uses += 1
            session.last_used = now  # each use extends the session, as on the real server
            return session.username


# ------------------------------------------------------------------ the application

Route = Callable[[dict[str, str], bytes, FaultAction], Reply]


class SandboxApp:
    """Routing, authentication and the endpoint logic, independent of sockets."""

    def __init__(self, config: SandboxConfig, state: SandboxState) -> None:
        """Wire the state, the fault plan and a token store for ``config``."""
        self.config = config
        self.state = state
        self.faults = config.faults
        self.counters = RequestCounters()
        # look-ups answered, by what was looked up ("product:a11", "customers:013")
        self.lookups: Counter[str] = Counter()
        self._lookups_lock = threading.Lock()
        self.tokens = TokenStore(
            config.token_idle_seconds,
            config.token_max_age_seconds,
            config.faults.token_expiry_after,
            activation_seconds=config.token_activation_seconds,
            clock=config.clock,
        )
        self._routes: dict[str, dict[str, Route]] = {
            "/login/token": {"POST": self.login},
            "/login/health": {"GET": self.health},
            _OFFER_PATH: {"POST": self.post_offers, "GET": self.get_offer},
            "/economy/billing/invoiceidsfromexternalid": {"GET": self.invoice_ids},
            _PRODUCT_PATH: {"GET": self.get_product},
            "/economy/billing/products": {"GET": self.list_products},
            "/economy/billing/products/search": {"POST": self.search_products},
            "/economy/billing/products/price": {"POST": self.product_prices},
            _CUSTOMERS_PATH: {"GET": self.get_customers},
            "/sandbox/offerstatus": {"POST": self.set_offer_status},
        }

    def handle(self, method: str, target: str, body: bytes) -> Reply:
        """Count the request, apply faults, route it; never raises."""
        split = urlsplit(target)
        path = split.path.rstrip("/").lower() or "/"
        query: dict[str, str] = {}
        for key, value in parse_qsl(split.query, keep_blank_values=True):
            query.setdefault(key.lower(), value)  # first occurrence wins

        request_no, offer_no, lookup_no, read_no = self.counters.count(
            method == "POST" and path == _OFFER_PATH,
            method == "GET" and path in _LOOKUP_PATHS,
            method == "GET" and path == _OFFER_PATH,
        )
        decision = self.faults.decide(request_no, offer_no, lookup_no, read_no)
        if decision.delay > 0:
            time.sleep(decision.delay)
        if decision.action is FaultAction.THROTTLE:
            retry = (("Retry-After", self.faults.retry_after_header()),)
            return Reply(429, {"message": "Too many requests"}, retry)
        if decision.action is FaultAction.ERROR_BEFORE:
            return Reply(500, GENERIC_500)

        methods = self._routes.get(path)
        if methods is None:
            return Reply(404, {"Message": "No HTTP resource was found that matches the request."})
        route = methods.get(method)
        if route is None:
            allow = (("Allow", ", ".join(sorted(methods))),)
            message = f"The requested resource does not support http method '{method}'."
            return Reply(405, {"Message": message}, allow)
        try:
            return route(query, body, decision.action)
        except Exception:
            # Like the real server: a generic message, never a stack trace.
            return Reply(500, GENERIC_500)

    # -------------------------------------------------------------- auth

    def _keys_ok(self, query: dict[str, str], credentials: SandboxCredentials) -> bool:
        return (
            query.get("companyapikey") == credentials.company_api_key
            and query.get("connectapikey") == credentials.connect_api_key
        )

    def _authenticate(self, query: dict[str, str]) -> str | Reply:
        """The logged-in user, or the 401 reply (a bare JSON string) explaining why not."""
        token = query.get("token", "")
        if not token:
            return Reply(401, MSG_NO_TOKEN)
        if not self._keys_ok(query, self.state.credentials):
            return Reply(401, MSG_BAD_KEYS)
        return self.tokens.use(token)

    def _counted(self, what: str) -> None:
        with self._lookups_lock:
            self.lookups[what] += 1

    def lookup_counts(self) -> dict[str, int]:
        """A snapshot of the look-ups answered, by what was looked up."""
        with self._lookups_lock:
            return dict(self.lookups)

    # -------------------------------------------------------------- endpoints

    def login(self, query: dict[str, str], body: bytes, _action: FaultAction) -> Reply:
        """``POST /Login/Token``: always 200; ``Token`` is null when refused."""
        credentials = self.state.credentials

        def refused(message: str) -> Reply:
            return Reply(200, {"Token": None, "Message": message})

        if not self._keys_ok(query, credentials):
            return refused("Ogiltiga API-nycklar (companyApiKey eller connectApiKey)")
        login = _json_body(body)
        if not isinstance(login, dict):
            return refused("Felaktigt anrop: License, UserName och Password måste skickas")
        fields = {str(key).lower(): value for key, value in login.items()}
        license_, username, password = (
            fields.get(name) for name in ("license", "username", "password")
        )
        if not isinstance(license_, str) or license_.lower() != credentials.license.lower():
            return refused("Licensen kunde inte hittas")
        if (
            not isinstance(username, str)
            or not isinstance(password, str)
            or username.lower() != credentials.username.lower()
            # bytes: compare_digest refuses non-ASCII str, and passwords may hold åäö
            or not secrets.compare_digest(password.encode(), credentials.password.encode())
        ):
            return refused("Felaktigt användarnamn eller lösenord")
        return Reply(200, {"Token": self.tokens.issue(username), "Message": "Inloggad"})

    def health(self, _query: dict[str, str], _body: bytes, _action: FaultAction) -> Reply:
        """``GET /Login/Health``: the server is up (no token needed)."""
        return Reply(200, {"Status": "Healthy"})

    def post_offers(self, query: dict[str, str], body: bytes, action: FaultAction) -> Reply:
        """``POST /Economy/Billing/Offer``: import a JSON array of offers, or one offer.

        The vendor document posts an array; the server code declares the
        endpoint for one object (api-notes): both are taken. Faults that act
        "after save" apply to every request that got past authentication and
        body parsing, whatever the business outcome.
        """
        user = self._authenticate(query)
        if isinstance(user, Reply):
            return user
        offers = _json_body(body)
        if isinstance(offers, dict):
            offers = [offers]
        if not isinstance(offers, list):
            return Reply(400, "Anropet måste innehålla en offert eller en JSON-lista med offerter")
        if not all(isinstance(offer, dict) for offer in offers):
            return Reply(400, "Varje element i listan måste vara ett offertobjekt")
        outcome = self.state.import_offers(offers, user)
        if action is FaultAction.DROP_AFTER_SAVE:
            return DROP
        if action is FaultAction.ERROR_AFTER_SAVE:
            return Reply(500, GENERIC_500)
        return Reply(200, operation_result(outcome))

    def get_offer(self, query: dict[str, str], _body: bytes, _action: FaultAction) -> Reply:
        """``GET /Economy/Billing/Offer?invoiceId=K`` or ``?number=N``: the offer or ``{}``."""
        user = self._authenticate(query)
        if isinstance(user, Reply):
            return user
        if query.get("invoiceid"):
            invoice_id = _int_param(query["invoiceid"])
            if invoice_id is None:
                return Reply(400, "invoiceId måste vara ett heltal")
            return Reply(200, self.state.offer_by_id(invoice_id) or {})
        if query.get("number"):
            return Reply(200, self.state.offer_by_number(query["number"]) or {})
        return Reply(400, "invoiceId eller number måste anges")

    def invoice_ids(self, query: dict[str, str], _body: bytes, _action: FaultAction) -> Reply:
        """``GET /Economy/Billing/InvoiceIdsFromExternalId?type=5&externalId=X``: ids."""
        user = self._authenticate(query)
        if isinstance(user, Reply):
            return user
        kind = _int_param(query.get("type", ""))
        external_id = query.get("externalid", "")
        if kind is None or not external_id:
            return Reply(400, "type (heltal) och externalId måste anges")
        # Only offers exist in the sandbox; other document types have no ids.
        ids = self.state.invoice_ids_for_external_id(external_id) if kind == OFFER_TYPE else []
        return Reply(200, ids)

    def get_product(self, query: dict[str, str], _body: bytes, _action: FaultAction) -> Reply:
        """``GET /Economy/Billing/Product?number=N``: the article, or an empty one
        (no number, no productId) for a number SoftOne GO does not know."""
        user = self._authenticate(query)
        if isinstance(user, Reply):
            return user
        number = query.get("number", "")
        if not number:
            return Reply(400, "number måste anges")
        self._counted(f"product:{number.casefold()}")
        return Reply(200, self.state.product_by_number(number) or empty_product())

    def list_products(self, query: dict[str, str], _body: bytes, _action: FaultAction) -> Reply:
        """``GET /Economy/Billing/Products?pageNumber=P&pageSize=S``: a page of the register.

        The listing is outside the vendor document and api-notes; the paging
        parameters are the client's (``Endpoints``), defaulting to page 1 of 500.
        """
        user = self._authenticate(query)
        if isinstance(user, Reply):
            return user
        page = _int_param(query.get("pagenumber", "1") or "1")
        size = _int_param(query.get("pagesize", str(PRODUCTS_PAGE_SIZE)) or "0")
        if page is None or size is None or page < 1 or not 1 <= size <= PRODUCTS_PAGE_MAX:
            return Reply(400, f"pageNumber (från 1) och pageSize (1-{PRODUCTS_PAGE_MAX}) är fel")
        self._counted(f"products:{page}")
        return Reply(200, self.state.products_page(page, size))

    def search_products(self, query: dict[str, str], body: bytes, _action: FaultAction) -> Reply:
        """``POST /Economy/Billing/Products/Search?maxNrRows=M`` with ``{"Number", "Name"}``."""
        user = self._authenticate(query)
        if isinstance(user, Reply):
            return user
        wanted = _json_body(body)
        if not isinstance(wanted, dict):
            return Reply(400, "Anropet måste innehålla ett sökobjekt")
        fields = {str(k).lower(): v for k, v in wanted.items()}
        number, name = fields.get("number"), fields.get("name")
        self._counted(f"search:{number or ''}|{name or ''}".casefold())
        found = self.state.search_products(
            number if isinstance(number, str) else None,
            name if isinstance(name, str) else None,
            _int_param(query.get("maxnrrows", "")),
        )
        keys = ("ProductId", "Number", "Name", "Description")
        return Reply(200, [{key: product.get(key) for key in keys} for product in found])

    def product_prices(self, query: dict[str, str], body: bytes, _action: FaultAction) -> Reply:
        """``POST /Economy/Billing/Products/Price?customerId=C`` with ``[{"ProductId", ...}]``."""
        user = self._authenticate(query)
        if isinstance(user, Reply):
            return user
        items = _json_body(body)
        if not isinstance(items, list):
            return Reply(400, "Anropet måste innehålla en JSON-lista med artiklar")
        customer_id = _int_param(query.get("customerid", ""))
        self._counted(f"price:{customer_id}")
        return Reply(200, self.state.prices(customer_id, items))

    def get_customers(self, query: dict[str, str], _body: bytes, _action: FaultAction) -> Reply:
        """``GET /Economy/Customer/Customers?numberFrom=X&numberTo=Y``: those customers."""
        user = self._authenticate(query)
        if isinstance(user, Reply):
            return user
        number_from, number_to = query.get("numberfrom") or None, query.get("numberto") or None
        self._counted(f"customers:{number_from or ''}")
        return Reply(200, self.state.customers(number_from, number_to))

    def set_offer_status(self, query: dict[str, str], _body: bytes, _action: FaultAction) -> Reply:
        """``POST /Sandbox/OfferStatus?invoiceId=K&status=S``: the practice server's admin call.

        It does what ordering, invoicing or closing an offer in SoftOne GO
        does to its status; an empty ``status`` makes it a draft again.
        """
        if not self._keys_ok(query, self.state.credentials):
            return Reply(401, MSG_BAD_KEYS)
        invoice_id = _int_param(query.get("invoiceid", ""))
        status = _int_param(query.get("status", "")) if query.get("status") else None
        if invoice_id is None:
            return Reply(400, "invoiceId (heltal) måste anges")
        if not self.state.set_offer_status(invoice_id, status):
            return Reply(404, f"Offerten med InvoiceId {invoice_id} hittades inte")
        return Reply(200, {"InvoiceId": invoice_id, "Status": status})


def _json_body(body: bytes) -> Any:
    """The decoded JSON body, or None when it is empty or not strict JSON.

    NaN and Infinity are refused because the real (.NET) server refuses them.
    """

    def no_constants(name: str) -> Any:
        raise ValueError(name)

    try:
        return json.loads(body.decode("utf-8-sig"), parse_constant=no_constants)
    except ValueError:  # includes JSONDecodeError and UnicodeDecodeError
        return None


def _int_param(value: str) -> int | None:
    """A query value as int, or None."""
    try:
        return int(value.strip())
    except ValueError:
        return None


# ------------------------------------------------------------------ HTTP plumbing


class _HTTPServer(ThreadingHTTPServer):
    """Threaded server carrying the app; quiet about client disconnects."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: SandboxApp, family: int) -> None:
        self.address_family = socket.AddressFamily(family)  # must be set before binding
        self.app = app
        super().__init__(address, _Handler)
        # shutdown() writes a byte here to wake the serving loop out of its select
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_reader.setblocking(False)
        self._stop_asked = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()

    def serve_forever(self, poll_interval: float = POLL_SECONDS) -> None:
        """socketserver's loop, except that :meth:`shutdown` wakes it at once.

        The stdlib's loop notices a shutdown only when its select times out,
        so every stop of the sandbox (one per upload ``--sandbox``) waited for
        the poll interval.
        """
        self._stopped.clear()
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self, selectors.EVENT_READ)
                selector.register(self._wake_reader, selectors.EVENT_READ)
                while not self._stop_asked.is_set():
                    ready = {key.fileobj for key, _events in selector.select(poll_interval)}
                    if self._stop_asked.is_set():
                        break
                    if self._wake_reader in ready:
                        self._wake_reader.recv(64)  # a wake-up left by an earlier stop
                    if self in ready:
                        # the stdlib's own accept-and-dispatch (not in typeshed)
                        self._handle_request_noblock()  # type: ignore[attr-defined]
                    self.service_actions()
        finally:
            self._stop_asked.clear()
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop the serving loop and wait until it has stopped (at once: no poll to wait for)."""
        self._stop_asked.set()
        try:
            self._wake_writer.send(b"\0")
        except OSError:
            pass  # closed: the loop has ended already
        self._stopped.wait()

    def server_close(self) -> None:
        """Close the listening socket and the wake-up pair."""
        super().server_close()
        self._wake_reader.close()
        self._wake_writer.close()

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn), which can
        # stall for seconds on machines without DNS; loopback needs none.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-reply is normal here (timeouts, drop tests);
        # the default prints a traceback to stderr.
        pass


class _BodyError(Exception):
    """The request body cannot be read; answered with ``status`` and a bare JSON string."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _Handler(BaseHTTPRequestHandler):
    """Reads the request, hands it to :class:`SandboxApp`, writes (or drops) the reply."""

    protocol_version = "HTTP/1.1"  # keep-alive, like the real server; httpx pools connections
    # Headers and body go out in two writes; with Nagle on, the body waits for
    # the client's delayed ACK (~40 ms per request on Linux).
    disable_nagle_algorithm = True
    server_version = "SoftOneGO-Sandbox/1.0"
    sys_version = ""
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: request lines carry the token."""

    def do_GET(self) -> None:
        """Handle GET."""
        self._serve()

    def do_POST(self) -> None:
        """Handle POST."""
        self._serve()

    def do_PUT(self) -> None:
        """Handle PUT (answered with 404/405)."""
        self._serve()

    def do_DELETE(self) -> None:
        """Handle DELETE (answered with 404/405)."""
        self._serve()

    def do_PATCH(self) -> None:
        """Handle PATCH (answered with 404/405)."""
        self._serve()

    def _serve(self) -> None:
        app = self.server.app
        try:
            body = self._read_body()
        except _BodyError as exc:
            self.close_connection = True  # the rest of the stream cannot be trusted
            self._send(Reply(exc.status, exc.message), app)
            return
        reply = app.handle(self.command, self.path, body)
        if reply is DROP:
            self._drop()
        else:
            self._send(reply, app)

    def _read_body(self) -> bytes:
        """The request body (Content-Length or chunked); :class:`_BodyError` when unusable."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            return b""
        try:
            length = int(length_header)
        except ValueError:
            raise _BodyError(400, "Ogiltig Content-Length") from None
        if length < 0:
            raise _BodyError(400, "Ogiltig Content-Length")
        if length > MAX_BODY_BYTES:
            raise _BodyError(413, "Anropet är för stort")
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        total = 0
        while True:
            size_line = self.rfile.readline(65537)
            try:
                size = int(size_line.split(b";")[0].strip(), 16)
            except ValueError:
                raise _BodyError(400, "Ogiltig chunked-kodning") from None
            if size == 0:
                while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass  # trailers are ignored
                return b"".join(parts)
            total += size
            if total > MAX_BODY_BYTES:
                raise _BodyError(413, "Anropet är för stort")
            parts.append(self.rfile.read(size))
            self.rfile.readline(65537)

    def _send(self, reply: Reply, app: SandboxApp) -> None:
        """Write ``reply`` as JSON, camelCased (nulls left out) unless the casing is pascal."""
        payload = reply.body if app.config.casing == "pascal" else camel_case(reply.body)
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in reply.headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def _drop(self) -> None:
        """Hang up without a byte of reply (the request was fully read, so no RST)."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


# ------------------------------------------------------------------ the server


@dataclass
class _Running:
    httpd: _HTTPServer
    thread: threading.Thread | None = None
    serving: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


class SandboxServer:
    """The sandbox on a loopback port; a context manager that serves in a daemon thread.

    ``with SandboxServer(SandboxConfig(...)) as sandbox: httpx.post(sandbox.url + ...)``.
    The state is loaded (or created) by the constructor, so a corrupt state
    file fails here, before any port is opened.
    """

    def __init__(self, config: SandboxConfig | None = None) -> None:
        """Load the state; the socket is opened by :meth:`bind`, :meth:`start` or
        :meth:`serve_forever`."""
        self.config = config if config is not None else SandboxConfig()
        self._address = _loopback_address(self.config.host)
        self.state = SandboxState.open(self.config.state_path, self.config.seed_path)
        self._app = SandboxApp(self.config, self.state)
        self._running: _Running | None = None

    # -------------------------------------------------------------- lifecycle

    def bind(self) -> SandboxServer:
        """Open the listening socket without serving yet, so :attr:`url` is known."""
        if self._running is None:
            family = socket.AF_INET6 if ":" in self._address else socket.AF_INET
            httpd = _HTTPServer((self._address, self.config.port), self._app, family)
            self._running = _Running(httpd)
        return self

    def start(self) -> SandboxServer:
        """Serve in a daemon thread and return at once."""
        running = self.bind()._require()
        with running.lock:
            if running.serving:
                return self
            running.serving = True
            running.thread = threading.Thread(
                target=running.httpd.serve_forever,
                args=(POLL_SECONDS,),
                name="sandbox-server",
                daemon=True,
            )
            running.thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until Ctrl-C or :meth:`stop`; then close the socket."""
        running = self.bind()._require()
        with running.lock:
            if running.serving:
                raise RuntimeError("the sandbox is already serving")
            running.serving = True
        try:
            running.httpd.serve_forever(POLL_SECONDS)
        except KeyboardInterrupt:
            pass  # Ctrl-C is the normal way to stop the sandbox
        finally:
            with running.lock:
                running.serving = False
            self._close(running)

    def stop(self) -> None:
        """Stop serving and close the socket; safe to call twice."""
        running = self._running
        if running is None:
            return
        with running.lock:
            serving = running.serving
            running.serving = False
        if serving:
            # shutdown() wakes the serving loop and waits until it has ended
            running.httpd.shutdown()
        if running.thread is not None:
            running.thread.join(timeout=5)
        self._close(running)

    def _close(self, running: _Running) -> None:
        running.httpd.server_close()
        if self._running is running:
            self._running = None

    def _require(self) -> _Running:
        if self._running is None:
            raise RuntimeError("the sandbox is not bound; call start() first")
        return self._running

    def __enter__(self) -> SandboxServer:
        """Start serving."""
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        """Stop serving."""
        self.stop()

    # -------------------------------------------------------------- inspection

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash); valid once bound."""
        port = self._require().httpd.server_port
        host = f"[{self._address}]" if ":" in self._address else self._address
        return f"http://{host}:{port}"

    def environment(self) -> dict[str, str]:
        """The ``SOFTONE_*`` variables that point ``offer-converter`` at this sandbox."""
        from converter.erp.credentials import ENV

        c = self.credentials
        values = {
            "api_url": self.url,
            "company_api_key": c.company_api_key,
            "connect_api_key": c.connect_api_key,
            "license": c.license,
            "username": c.username,
            "password": c.password,
        }
        return {ENV[name]: value for name, value in values.items()}

    @property
    def credentials(self) -> SandboxCredentials:
        """The keys and login this sandbox accepts."""
        return self.state.credentials

    def client_credentials(self, **overrides: str) -> ClientCredentials:
        """This sandbox's keys and login as the converter's client takes them.

        ``overrides`` replace fields (a ``token``, a wrong ``password``, ...).
        """
        from converter.erp.credentials import Credentials as ClientCredentials

        c = self.credentials
        values: dict[str, Any] = {
            "company_api_key": c.company_api_key,
            "connect_api_key": c.connect_api_key,
            "license": c.license,
            "username": c.username,
            "password": c.password,
            **overrides,
        }
        return ClientCredentials(**values)

    def offers(self) -> list[JsonDict]:
        """Snapshot of the stored offers, oldest first."""
        return self.state.offers()

    def request_count(self) -> int:
        """Requests received since start (any endpoint, faulted ones included)."""
        return self._app.counters.requests

    def lookup_count(self, what: str | None = None) -> int:
        """Look-ups answered since start: of ``what`` (``"product:a11"``,
        ``"customers:013"``), or of every kind (``"product"``, ``"customers"``), or all."""
        counts = self._app.lookup_counts()
        if what is None:
            return sum(counts.values())
        if ":" in what:
            return counts.get(what, 0)
        return sum(n for key, n in counts.items() if key.split(":", 1)[0] == what)

    def offer_read_count(self) -> int:
        """``GET Economy/Billing/Offer`` requests received since start (faulted ones included)."""
        return self._app.counters.offer_reads

    def set_offer_status(self, invoice_id: int, status: int | None) -> None:
        """Put an offer in ``status`` (42 ordered, 44 invoiced, 45 closed: updates refused)."""
        if not self.state.set_offer_status(invoice_id, status):
            raise KeyError(invoice_id)
