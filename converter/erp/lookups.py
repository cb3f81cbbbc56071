"""Look an offer's customer and articles up in SoftOne GO before it is sent.

SoftOne GO refuses neither an article it does not know nor an inactive one:
it books the row on the company's miscellaneous article and keeps the row's
text, so the offer looks right in GO until someone invoices it (api-notes.md,
"Articles and prices"). So the customer (``GET Economy/Customer/Customers``)
and every article (``GET Economy/Billing/Product``) are looked up first.

Each distinct value is looked up once per run: :class:`Lookups` keeps the
answers, and the upload threads of a migration share it. Threads asking for
the same value at the same moment wait for the one request in flight instead
of sending their own. A look-up that fails (after the client's retries) is
never a pass: :class:`~converter.errors.LookupFailed` reaches the offer, which
is then not sent, and the value is asked again for the next offer.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, Literal, TypeVar

from converter.erp.client import SoftOneClient
from converter.errors import AuthError, LookupFailed, UploadError
from converter.model.api import ROW_TYPE_PRODUCT, PriceReply, ProductReply
from converter.model.mapped import MappedOffer, Problem

V = TypeVar("V")
UnknownArticles = Literal["error", "warn"]
ACTIVE = 0  # SoftOne's entity state for an active article or customer
SEARCH_ROWS = 100  # Products/Search: rows asked for per search
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Article:
    """An article as SoftOne GO has it."""

    number: str  # as SoftOne GO spells it
    name: str | None
    active: bool
    product_id: int | None = None  # what Products/Price asks for
    unit: str | None = None
    list_price: Decimal | None = None  # the register's sales price, before any price list


@dataclass(frozen=True)
class Customer:
    """A customer as SoftOne GO has it."""

    number: str
    name: str | None
    discount: Decimal  # the customer's default discount, in percent
    active: bool
    customer_id: int | None = None  # what Products/Price asks for


class _Once(Generic[V]):
    """A thread-safe cache that fetches each key at most once at a time.

    A failed fetch is not cached: its error goes to every thread waiting for
    that fetch, and the next ask fetches again.
    """

    def __init__(self, fetch: Callable[[str], V]) -> None:
        self._fetch = fetch
        self._lock = threading.Lock()
        self._known: dict[str, V] = {}
        self._flights: dict[str, Future[V]] = {}

    def peek(self, key: str) -> tuple[bool, V | None]:
        """(True, the value) when ``key`` is known, else (False, None); never fetches."""
        with self._lock:
            if key in self._known:
                return True, self._known[key]
        return False, None

    def get(self, key: str, asked: str) -> V:
        """The value for ``key``, fetched with ``asked`` (what the sheet says) if unknown."""
        with self._lock:
            if key in self._known:
                return self._known[key]
            flight = self._flights.get(key)
            owner = flight is None
            if flight is None:
                flight = self._flights[key] = Future()
        if not owner:
            return flight.result()  # the owner's value, or its error
        try:
            value = self._fetch(asked)
        except BaseException as exc:
            with self._lock:
                del self._flights[key]
            flight.set_exception(exc)
            raise
        with self._lock:
            self._known[key] = value
            del self._flights[key]
        flight.set_result(value)
        return value


def article_of(reply: ProductReply, asked: str = "") -> Article:
    """The article a ``GET Product`` (or ``GET Products``) reply describes."""
    return Article(
        number=reply.number or asked,
        name=reply.name,
        active=reply.state in (None, ACTIVE),
        product_id=reply.product_id,
        unit=reply.unit,
        list_price=reply.sales_price,
    )


def active_articles(client: SoftOneClient) -> list[Article]:
    """The company's active articles, in register order (``GET Products``, every page).

    The miscellaneous article is in the register too; it is active, so it is kept.
    """
    replies = Lookups._ask(client.list_products)
    return [a for a in (article_of(r) for r in replies if r.known) if a.active]


# Swedish keyboard neighbours: a slipped finger costs half an edit
_KEY_ROWS = ("1234567890+", "qwertyuiopå", "asdfghjklöä", "<zxcvbnm,.-")
_NEIGHBOURS = {
    (row[i], row[j]) for row in _KEY_ROWS for i in range(len(row)) for j in (i - 1, i + 1)
    if 0 <= j < len(row)
}  # fmt: skip


def _typo_distance(typed: str, other: str) -> float:
    """Edits from ``typed`` to ``other`` (case ignored); a neighbouring key or two swapped
    characters count half."""
    a, b = typed.casefold(), other.casefold()
    previous2: list[float] = []
    previous = [float(j) for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        current = [float(i)] + [0.0] * len(b)
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                swap = 0.0
            elif (a[i - 1], b[j - 1]) in _NEIGHBOURS:
                swap = 0.5
            else:
                swap = 1.0
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + swap)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 0.5)
        previous2, previous = previous, current
    return previous[-1]


def closest(typed: str, numbers: Iterable[str]) -> list[str]:
    """The numbers nearest to ``typed`` (at most :data:`MAX_SUGGESTIONS`, all equally near),
    none of them further than a third of its length (at least one edit)."""
    limit = max(1.0, len(typed.strip()) / 3)
    scored = sorted((_typo_distance(typed.strip(), n), n) for n in numbers)
    scored = [(d, n) for d, n in scored if d <= limit]
    if not scored:
        return []
    best = scored[0][0]
    return [n for d, n in scored if d == best][:MAX_SUGGESTIONS]


def article_key(number: str) -> str:
    """Article numbers are matched ignoring case and surrounding spaces, as the server does."""
    return number.strip().casefold()


class Lookups:
    """The customers and articles of one run, each asked of SoftOne GO once."""

    def __init__(self, client: SoftOneClient) -> None:
        self.client = client
        self._articles: _Once[Article | None] = _Once(self._fetch_article)
        self._customers: _Once[Customer | None] = _Once(self._fetch_customer)
        self._suggestions: _Once[list[Article]] = _Once(self._fetch_suggestions)

    def article(self, number: str) -> Article | None:
        """The article ``number`` books, or None when SoftOne GO has no such article."""
        return self._articles.get(article_key(number), number.strip())

    def customer(self, number: str) -> Customer | None:
        """The customer with exactly this Kundnr, or None when SoftOne GO has none."""
        return self._customers.get(number.strip(), number.strip())

    def prices(self, customer_id: int, items: Sequence[tuple[int, Decimal]]) -> list[PriceReply]:
        """Each (article id, quantity)'s price for the customer: one ``Products/Price`` call."""
        return self._ask(lambda: self.client.product_prices(customer_id, items))

    def suggestions(self, number: str) -> list[Article]:
        """The articles closest to ``number``, a number SoftOne GO does not have (cached)."""
        return self._suggestions.get(article_key(number), number.strip())

    def _fetch_suggestions(self, typed: str) -> list[Article]:
        # The search matches parts of numbers and names. A typo is seldom a part of
        # the right number, so the number is searched, then its first characters,
        # and what is found is ranked by how close it is to what was typed.
        found: dict[str, ProductReply] = {}
        for query in dict.fromkeys((typed, typed[:-1], typed[:1])):
            if not query:
                continue
            search = functools.partial(self.client.search_products, query, None, SEARCH_ROWS)
            for reply in self._ask(search):
                if reply.number:
                    found.setdefault(reply.number, reply)
            ranked = closest(typed, found)
            if ranked:
                return [article_of(found[n]) for n in ranked]
        return []

    def known_customer(self, number: str) -> Customer | None:
        """The customer if it has been looked up already (never asks SoftOne GO)."""
        return self._customers.peek(number.strip())[1]

    def _fetch_article(self, number: str) -> Article | None:
        reply = self._ask(lambda: self.client.get_product(number))
        if not reply.known:
            return None
        return article_of(reply, number)

    def _fetch_customer(self, number: str) -> Customer | None:
        found = self._ask(lambda: self.client.find_customers(number))
        match = next((c for c in found if (c.customer_nr or "").strip() == number), None)
        if match is None:
            return None
        return Customer(
            number=number,
            name=match.name,
            discount=match.discount_percent or Decimal(0),
            active=match.state in (None, ACTIVE),
            customer_id=match.customer_id,
        )

    @staticmethod
    def _ask(request: Callable[[], V]) -> V:
        try:
            return request()
        except AuthError:
            raise  # a refused login stops the run, as for any request
        except UploadError as exc:
            raise LookupFailed("lookup_failed", reason=exc) from None


def check_offer(
    offer: MappedOffer, lookups: Lookups, unknown_articles: UnknownArticles = "error"
) -> list[Problem]:
    """What SoftOne GO would not take as the sheet means it: problems at their cells.

    An unknown Kundnr is an error at the Kundnr cell (with ``AutoCreateCustomer``
    false the server refuses it anyway, but after the other checks). An
    unknown or inactive Artikel is an error at its cell, or only a warning
    with ``unknown_articles = "warn"``. Raises
    :class:`~converter.errors.LookupFailed` when a look-up can't be answered.
    """
    if offer.request is None:
        return []
    problems: list[Problem] = []
    if offer.customer_nr and lookups.customer(offer.customer_nr) is None:
        problems.append(
            Problem(
                "error",
                "customer_not_in_go",
                offer.file,
                sheet=offer.sheet,
                ref=offer.customer_cell,
                params={"customer": offer.customer_nr},
            )
        )
    severity: Literal["error", "warning"] = "error" if unknown_articles == "error" else "warning"
    for row in offer.request.invoice_rows:
        if row.customer_row_type != ROW_TYPE_PRODUCT or not row.product_nr:
            continue
        article = lookups.article(row.product_nr)
        if article is not None and article.active:
            continue
        code = "article_not_in_go" if article is None else "article_inactive_in_go"
        problems.append(
            Problem(
                severity,
                code if severity == "error" else f"{code}_warn",
                offer.file,
                sheet=offer.sheet,
                ref=offer.article_cells.get(row.row_nr),
                params={"article": row.product_nr},
            )
        )
    return problems
