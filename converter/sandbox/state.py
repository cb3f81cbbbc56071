"""The sandbox's company: customers, products, offers, number series and credentials.

Everything lives in one JSON document. With a ``path`` the document is loaded
at start (or created from the seed when the file is missing) and rewritten
atomically after every change, so a salesperson's practice offers survive a
restart. A file that cannot be read or does not look like a state document is
an error (:class:`SandboxStateError`); it is never silently replaced, because
that would throw away someone's offers.

This module also holds the offer import rules of ``POST Economy/Billing/Offer``
(:meth:`SandboxState.import_offers`), because they are rules about the data:
which customer an offer belongs to, what a valid row is, how sums are
computed. They follow api-notes.md ("More from the server code"): an article
is matched case-insensitively by number, then by name, and an unknown or
inactive one becomes the miscellaneous article (the row keeps its text); an
update keeps the rows of an offer that has rows; an offer that is ordered,
invoiced or closed can't be updated. The HTTP side lives in ``server.py``.

Input objects are read case-insensitively (``customerNr`` and ``CustomerNr``
are the same field), as the real server's JSON binding does. Unknown fields
are ignored. Stored objects use the document's PascalCase names.
"""

from __future__ import annotations

import copy
import json
import threading
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import IntEnum
from pathlib import Path
from typing import Any

from converter.fileio import write_atomically
from converter.sandbox.catalogue import PRICE_LIST_CUSTOMERS, catalogue

JsonDict = dict[str, Any]

STATE_FORMAT = 1


@dataclass(frozen=True)
class SandboxCredentials:
    """Keys and login the sandbox accepts."""

    company_api_key: str
    connect_api_key: str
    license: str
    username: str
    password: str


#: Well-known practice values; a state file may replace them.
DEFAULT_CREDENTIALS = SandboxCredentials(
    company_api_key="sandbox-company-key",
    connect_api_key="sandbox-connect-key",
    license="SANDBOX",
    username="demo",
    password="demo",
)


class SandboxStateError(Exception):
    """A state or seed file cannot be used; ``path`` names it, ``reason`` says why."""

    def __init__(self, path: Path, reason: str) -> None:
        """Remember the file and the reason for the message."""
        super().__init__(f"sandbox state file {path} cannot be used: {reason}")
        self.path = path
        self.reason = reason


class OfferError(IntEnum):
    """``ErrorNumber`` values of business errors. The real numbers are not documented."""

    MANDATORY_ENUM = 1001
    WRONG_ORIGIN_TYPE = 1002
    INVALID_VALUE = 1003
    INVALID_INVOICE_DATE = 1004
    NO_ROWS = 1005
    INVALID_ROW = 1006
    CUSTOMER_NOT_MAPPED = 1007
    OFFER_NOT_FOUND = 1008
    INVALID_STATE_TRANSITION = 1009


# Offer statuses (api-notes: "Statuses seen in the enum"). An update is allowed
# while the offer is a draft (no status), partly ordered or partly invoiced.
STATUS_PARTLY_ORDERED = 41
STATUS_ORDERED = 42
STATUS_PARTLY_INVOICED = 43
STATUS_INVOICED = 44
STATUS_CLOSED = 45
LOCKED_STATUSES = frozenset({STATUS_ORDERED, STATUS_INVOICED, STATUS_CLOSED})
# SoftOne's entity states: 0 active, 1 inactive (2 deleted)
STATE_ACTIVE = 0
STATE_INACTIVE = 1


OFFER_ORIGIN_TYPE = 5  # 2 = customer invoice, 5 = offer, 6 = order, 7 = contract
PRODUCT_ROW = 2
TEXT_ROW = 3
DEFAULT_VAT_RATE = 25.0

# Fields of the document's body table that the server takes from the input.
# Server-controlled ones (InvoiceId, CustomerInvoiceNr, SeqNr, BatchId, Created,
# Modified, ...) are set by the sandbox; the customer fields come from the
# resolved customer.
_HEADER_FIELDS = (
    "InvoiceDate", "OriginType", "RegistrationType", "BillingType", "OCR", "Import",
    "Type", "Status", "Source", "OriginStatus", "PriceListTypeId", "PaymentCondition",
    "PaymentConditionId", "DeliveryCondition", "DeliveryConditionId", "DeliveryType",
    "DeliveryTypeId", "AutoCreateCustomer", "DueDate", "DeliveryDate", "VoucherDate",
    "ReferenceOur", "ReferenceYour", "OrderDate", "Currency", "Note", "ExternalId",
    "OrderNr", "OrderType",
)  # fmt: skip
_ROW_FIELDS = (
    "CustomerRowType", "RowNr", "ProductNr", "Text", "Quantity", "Amount", "Discount",
    "Unit", "VatRate", "AccountNr", "AccountSieDim6", "UnitPrice", "PurchasePrice",
    "ProductName2", "ExternalId", "CategoryIds", "IsReadOnly", "Type",
)  # fmt: skip

# Names and prices from the vendor document's example grids; org numbers and
# external numbers are invented so that every lookup path has something to find.
_SEED_CUSTOMERS: tuple[tuple[str, str, str | None, str | None], ...] = (
    ("013", "Berglunds", "556001-0013", None),
    ("11", "11", None, None),
    ("1117", "Alexandersdotter AB", "556001-1117", None),
    ("1698", "Olivasson AB", None, None),
    ("4315", "Emilberg AB", "556001-4315", "EXT-4315"),
    ("4416", "Jensfjergen AB", "556001-4416", "EXT-4416"),
    ("4456", "Ålenberg AB", None, None),
    ("4538", "Davallagen AB", None, None),
    ("4824", "Avallson AB", "556001-4824", "EXT-4824"),
    ("4914", "Hampusgren AB", None, None),
    ("4931", "Carolinadahl AB", None, None),
)
_SEED_PRODUCTS: tuple[tuple[str, str, str, float, int], ...] = (
    ("A11", "Arbetskostnad", "Tim", 580.0, STATE_ACTIVE),
    ("A12", "Installationsmaterial", "St", 7400.0, STATE_ACTIVE),
    ("A13", "Resor (gammal taxa)", "St", 200.0, STATE_INACTIVE),
    ("A14", "Resor", "St", 250.0, STATE_ACTIVE),
    ("100-5t", "Skolbil m väktare", "St", 350.0, STATE_ACTIVE),
    ("1001", "Kabel EKK 3G1,5", "M", 12.5, STATE_ACTIVE),
    ("0042", "Kopplingsdosa", "St", 42.0, STATE_ACTIVE),
    ("999", "Övrigt", "St", 0.0, STATE_ACTIVE),
)
_MISC_PRODUCT_NR = "999"


_SeedCustomer = tuple[str, str, str | None, str | None, float, dict[str, Any]]


def _seed_customers() -> list[JsonDict]:
    """The seed customers in order: the vendor examples', then those with price lists."""
    plain: list[_SeedCustomer] = [
        (nr, name, orgnr, external, 0.0, {}) for nr, name, orgnr, external in _SEED_CUSTOMERS
    ]
    priced: list[_SeedCustomer] = [
        (nr, name, orgnr, None, discount, special)
        for nr, name, orgnr, discount, special in PRICE_LIST_CUSTOMERS
    ]
    return [
        {
            "CustomerId": 10001 + index,
            "CustomerNr": nr,
            "Name": name,
            "OrgNr": orgnr,
            "ExternalNr": external,
            "DiscountPercent": discount,
            "SpecialPrices": copy.deepcopy(special),
            "State": STATE_ACTIVE,
        }
        for index, (nr, name, orgnr, external, discount, special) in enumerate(plain + priced)
    ]


def _seed_products() -> list[JsonDict]:
    """The seed articles in order: the original few, then the register of ``catalogue``."""
    first = [
        (number, name, unit, price, state) for number, name, unit, price, state in _SEED_PRODUCTS
    ]
    register = [
        (number, name, unit, price, STATE_ACTIVE) for number, name, unit, price in catalogue()
    ]
    return [
        {
            "ProductId": 5001 + index,
            "Number": number,
            "Name": name,
            "Unit": unit,
            "SalesPrice": price,
            "VatRate": DEFAULT_VAT_RATE,
            "State": state,
        }
        for index, (number, name, unit, price, state) in enumerate(first + register)
    ]


def seed_document() -> JsonDict:
    """A fresh state document: seed customers and products, no offers."""
    customers = _seed_customers()
    products = _seed_products()
    return {
        "format": STATE_FORMAT,
        "credentials": asdict(DEFAULT_CREDENTIALS),
        "misc_product_nr": _MISC_PRODUCT_NR,
        # Offer numbers start where the vendor example's reply does ("486").
        "next": {
            "invoice_id": 21027272,
            "offer_nr": 486,
            "row_id": 90000001,
            "customer_id": 10001 + len(customers),
            "customer_nr": 5001,
            "product_id": 5001 + len(products),
        },
        "customers": customers,
        "products": products,
        "offers": [],
    }


def _price_for(breaks: Any, quantity: float) -> float | None:
    """The special price for ``quantity`` from ``[[from quantity, price], ...]``, or None."""
    if not isinstance(breaks, list):
        return None
    valid = sorted(
        (float(e[0]), float(e[1]))
        for e in breaks
        if isinstance(e, list) and len(e) == 2 and all(_is_number(v) for v in e)
    )
    if not valid:
        return None
    # below the first break (half an hour of a price from 1) the first price holds
    return next((price for start, price in reversed(valid) if start <= quantity), valid[0][1])


def _problem_in(doc: Any) -> str | None:
    """Why ``doc`` is not a usable state document, or None when it is."""
    if not isinstance(doc, dict):
        return "the top level is not a JSON object"
    if doc.get("format") != STATE_FORMAT:
        return f"unknown format {doc.get('format')!r} (expected {STATE_FORMAT})"
    credentials = doc.get("credentials")
    names = [f.name for f in fields(SandboxCredentials)]
    if not isinstance(credentials, dict) or not all(
        isinstance(credentials.get(name), str) for name in names
    ):
        return f"'credentials' must be an object with string fields {', '.join(names)}"
    counters = doc.get("next")
    expected = seed_document()["next"]
    if not isinstance(counters, dict) or not all(
        type(counters.get(name)) is int for name in expected
    ):
        return f"'next' must be an object with integer fields {', '.join(expected)}"
    for name in ("customers", "products", "offers"):
        items = doc.get(name)
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            return f"'{name}' must be a list of objects"
    misc = doc.get("misc_product_nr")
    if not any(product.get("Number") == misc for product in doc["products"]):
        return f"'misc_product_nr' {misc!r} is not one of the products"
    return None


def document_text(document: JsonDict) -> str:
    """The state file's text: JSON with one customer, article or offer a line.

    Each line is written by ``json``'s C encoder; ``indent=`` takes its
    pure-Python one, which took most of the sandbox's time per saved offer
    (the whole file is written again each time, and it grows by every offer).
    """
    entries = []
    for key, value in document.items():
        if isinstance(value, list) and value:
            lines = ",\n    ".join(json.dumps(item, ensure_ascii=False) for item in value)
            text = f"[\n    {lines}\n  ]"
        else:
            text = json.dumps(value, ensure_ascii=False)
        entries.append(f"  {json.dumps(key, ensure_ascii=False)}: {text}")
    return "{\n" + ",\n".join(entries) + "\n}\n"


def _fold(obj: Mapping[str, Any]) -> JsonDict:
    """Keys lower-cased, so fields can be read regardless of the sender's casing."""
    return {str(key).lower(): value for key, value in obj.items()}


def _is_number(value: Any) -> bool:
    """JSON numbers only; booleans are ints in Python but not numbers in JSON."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_int(value: Any) -> int | None:
    """An integral JSON number as int, anything else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _text(value: Any) -> str | None:
    """A non-blank string, stripped; anything else None."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _money(value: Decimal) -> float:
    """Round to öre the way invoices do (half up) and hand back a JSON number."""
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _dec(value: float | int) -> Decimal:
    """Exact decimal of a JSON number (via str, so 0.1 stays 0.1)."""
    return Decimal(str(value))


def _now() -> str:
    """Server timestamp in the document's format (no zone, seconds)."""
    return datetime.now().replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class BusinessError:
    """A refusal the server reports with HTTP 200 and ``Success: false``."""

    number: int
    message: str


class _Refused(Exception):
    """Internal: stops the import of one offer with a business error."""

    def __init__(self, number: OfferError, message: str) -> None:
        super().__init__(message)
        self.error = BusinessError(int(number), message)


@dataclass
class ImportOutcome:
    """What one ``POST Offer`` batch did: saved offers in order, and the first error."""

    batch_id: str
    received: int
    keys: list[int] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    error: BusinessError | None = None


class SandboxState:
    """The sandbox's data, shared by all request threads; every method is thread-safe."""

    def __init__(self, document: JsonDict, path: Path | None) -> None:
        """Wrap an already validated document; use :meth:`open` to load or create one."""
        self._doc = document
        self._path = path
        self._lock = threading.RLock()

    # ----------------------------------------------------------- loading, saving

    @classmethod
    def open(cls, path: Path | None = None, seed_path: Path | None = None) -> SandboxState:
        """Load the state at ``path`` (created from the seed if missing; None = memory only).

        ``seed_path`` names an optional JSON file with ``customers`` and/or
        ``products`` lists that are merged in (same number = replaced).
        Raises :class:`SandboxStateError` for an unreadable or corrupt file.
        """
        document: JsonDict
        if path is not None and path.exists():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise SandboxStateError(path, f"not readable as JSON ({exc})") from exc
            problem = _problem_in(loaded)
            if problem is not None:
                raise SandboxStateError(path, problem)
            document = loaded
            created = False
        else:
            document = seed_document()
            created = True
        state = cls(document, path)
        completed = not created and state._add_missing_seed()
        merged = seed_path is not None and state._merge_seed(seed_path)
        if created or completed or merged:
            state._write()
        return state

    def _add_missing_seed(self) -> bool:
        """Give a state file from an earlier version the seed articles and customers it lacks.

        Nothing there is changed: only numbers it does not have are added, with
        new ids, so a practice company made before the article register grew
        gets the register too. True when anything was added.
        """
        added = False
        have = {p["Number"].casefold() for p in self._doc["products"]}
        for product in _seed_products():
            if product["Number"].casefold() not in have:
                self._doc["products"].append({**product, "ProductId": self._next("product_id")})
                added = True
        known = {c["CustomerNr"] for c in self._doc["customers"]}
        for customer in _seed_customers():
            if customer["CustomerNr"] not in known:
                self._doc["customers"].append({**customer, "CustomerId": self._next("customer_id")})
                added = True
        return added

    def _merge_seed(self, seed_path: Path) -> bool:
        """Upsert the seed file's customers and products; True when it held any."""
        try:
            seed = json.loads(seed_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SandboxStateError(seed_path, f"seed not readable as JSON ({exc})") from exc
        if not isinstance(seed, dict):
            raise SandboxStateError(seed_path, "the seed's top level is not a JSON object")
        changed = False
        for raw in self._seed_list(seed_path, seed, "customers"):
            nr = _text(raw.get("customernr"))
            if nr is None:
                raise SandboxStateError(seed_path, "every seed customer needs a CustomerNr")
            self._upsert_customer(raw, nr)
            changed = True
        for raw in self._seed_list(seed_path, seed, "products"):
            number = _text(raw.get("number")) or _text(raw.get("productnr"))
            if number is None:
                raise SandboxStateError(seed_path, "every seed product needs a Number")
            self._upsert_product(raw, number)
            changed = True
        return changed

    @staticmethod
    def _seed_list(seed_path: Path, seed: JsonDict, name: str) -> list[JsonDict]:
        """The seed's ``name`` list with case-folded keys (empty when absent)."""
        items = _fold(seed).get(name, [])
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise SandboxStateError(seed_path, f"'{name}' in the seed must be a list of objects")
        return [_fold(item) for item in items]

    def _upsert_customer(self, raw: JsonDict, nr: str) -> None:
        existing = next((c for c in self._doc["customers"] if c["CustomerNr"] == nr), None)
        customer = existing if existing is not None else {"CustomerId": self._next("customer_id")}
        discount = raw.get("discountpercent", customer.get("DiscountPercent", 0.0))
        special = raw.get("specialprices", customer.get("SpecialPrices") or {})
        customer.update(
            CustomerNr=nr,
            Name=_text(raw.get("name")) or customer.get("Name") or nr,
            OrgNr=_text(raw.get("orgnr")) or customer.get("OrgNr"),
            ExternalNr=_text(raw.get("externalnr")) or customer.get("ExternalNr"),
            DiscountPercent=float(discount) if _is_number(discount) else 0.0,
            SpecialPrices=special if isinstance(special, dict) else {},
        )
        if existing is None:
            self._doc["customers"].append(customer)

    def _upsert_product(self, raw: JsonDict, number: str) -> None:
        existing = next((p for p in self._doc["products"] if p["Number"] == number), None)
        product = existing if existing is not None else {"ProductId": self._next("product_id")}
        price = raw.get("salesprice", product.get("SalesPrice", 0.0))
        vat = raw.get("vatrate", product.get("VatRate", DEFAULT_VAT_RATE))
        state = raw.get("state", product.get("State", STATE_ACTIVE))
        product.update(
            Number=number,
            Name=_text(raw.get("name")) or product.get("Name") or number,
            Unit=_text(raw.get("unit")) or product.get("Unit") or "St",
            SalesPrice=float(price) if _is_number(price) else 0.0,
            VatRate=float(vat) if _is_number(vat) else DEFAULT_VAT_RATE,
            State=_as_int(state) if _as_int(state) is not None else STATE_ACTIVE,
        )
        if existing is None:
            self._doc["products"].append(product)

    def _write(self) -> None:
        """Persist atomically: a temp file in the same folder, then ``os.replace``.

        A reader (or a crash) therefore sees either the old or the new file,
        never half of one.
        """
        if self._path is None:
            return
        text = document_text(self._doc)
        self._path.parent.mkdir(parents=True, exist_ok=True)
        # readable only by its owner, as before: it holds the practice login
        write_atomically(self._path, text.encode("utf-8"), new_mode=0o600)

    def _next(self, counter: str) -> int:
        """Take the next value of a number series."""
        value: int = self._doc["next"][counter]
        self._doc["next"][counter] = value + 1
        return value

    # ------------------------------------------------------------------ reading

    @property
    def path(self) -> Path | None:
        """The state file, or None when the state lives in memory only."""
        return self._path

    @property
    def credentials(self) -> SandboxCredentials:
        """The keys and login this company accepts."""
        with self._lock:
            return SandboxCredentials(**self._doc["credentials"])

    def offers(self) -> list[JsonDict]:
        """Deep copy of all stored offers, oldest first."""
        with self._lock:
            return copy.deepcopy(self._doc["offers"])

    def customers(
        self, number_from: str | None = None, number_to: str | None = None
    ) -> list[JsonDict]:
        """Deep copy of the customers whose number lies in ``number_from``..``number_to``.

        The bounds are compared as text, inclusive; a missing bound is open.
        """
        with self._lock:
            return copy.deepcopy(
                [
                    c
                    for c in self._doc["customers"]
                    if (number_from is None or c["CustomerNr"] >= number_from)
                    and (number_to is None or c["CustomerNr"] <= number_to)
                ]
            )

    def offer_by_id(self, invoice_id: int) -> JsonDict | None:
        """The offer with this internal id, or None."""
        with self._lock:
            found = self._find_offer(invoice_id)
            return copy.deepcopy(found) if found is not None else None

    def offer_by_number(self, number: str) -> JsonDict | None:
        """The offer with this offer number (``CustomerInvoiceNr``), or None."""
        with self._lock:
            found = next((o for o in self._doc["offers"] if o["CustomerInvoiceNr"] == number), None)
            return copy.deepcopy(found) if found is not None else None

    def invoice_ids_for_external_id(self, external_id: str) -> list[int]:
        """Internal ids of the offers whose ``ExternalId`` equals ``external_id``."""
        with self._lock:
            return [
                o["InvoiceId"] for o in self._doc["offers"] if o.get("ExternalId") == external_id
            ]

    def product_by_number(self, number: str) -> JsonDict | None:
        """The product with this number (case-insensitive), or None."""
        with self._lock:
            found = self._find_product(number)
            return copy.deepcopy(found) if found is not None else None

    def search_products(
        self, number: str | None, name: str | None, max_rows: int | None
    ) -> list[JsonDict]:
        """Products whose number and name contain ``number`` and ``name`` (case-insensitive)."""
        with self._lock:
            found = [
                copy.deepcopy(p)
                for p in self._doc["products"]
                if (not number or number.casefold() in p["Number"].casefold())
                and (not name or name.casefold() in str(p.get("Name") or "").casefold())
            ]
        return found if max_rows is None or max_rows <= 0 else found[:max_rows]

    def products_page(self, page: int, size: int) -> list[JsonDict]:
        """Page ``page`` (1-based) of ``size`` articles of the register, in register order."""
        with self._lock:
            start = (max(page, 1) - 1) * size
            return copy.deepcopy(self._doc["products"][start : start + size])

    def prices(self, customer_id: int | None, items: list[Any]) -> list[JsonDict]:
        """``Products/Price``: per requested product, its price for the customer.

        The customer's special price for the quantity (the price of the largest
        "from quantity" not above it) is a net price; any other article has its
        list price and the customer's default discount. An article with neither
        a special nor a list price has no price: ``ErrorMessage`` says so.
        """
        with self._lock:
            customer = next(
                (c for c in self._doc["customers"] if c["CustomerId"] == customer_id), None
            )
            discount = float(customer.get("DiscountPercent") or 0.0) if customer else 0.0
            special: JsonDict = (customer.get("SpecialPrices") or {}) if customer else {}
            answers: list[JsonDict] = []
            for item in items:
                wanted = _fold(item) if isinstance(item, dict) else {}
                product_id = _as_int(wanted.get("productid"))
                product = next(
                    (p for p in self._doc["products"] if p["ProductId"] == product_id), None
                )
                asked = wanted.get("quantity")
                quantity: float = asked if isinstance(asked, int | float) else 1
                answer: JsonDict = {
                    "ProductId": product_id,
                    "Price": 0.0,
                    "Unit": product["Unit"] if product else None,
                    "InclusiveVat": False,
                    "DiscountPercent": 0.0,
                    "Quantity": quantity,
                    "ErrorMessage": None,
                }
                net = _price_for(special.get(product["Number"]) if product else None, quantity)
                if product is None:
                    answer["ErrorMessage"] = f"Artikel {product_id} hittades inte"
                elif net is not None:
                    answer["Price"] = net
                elif product.get("SalesPrice"):
                    answer.update(Price=product["SalesPrice"], DiscountPercent=discount)
                else:
                    answer["ErrorMessage"] = (
                        f"Det finns inget pris för artikel {product['Number']} i kundens prislista"
                    )
                answers.append(answer)
            return answers

    def set_offer_status(self, invoice_id: int, status: int | None) -> bool:
        """Put an offer in ``status`` (as SoftOne GO does when it is ordered, invoiced,
        closed); False when there is no such offer."""
        with self._lock:
            found = self._find_offer(invoice_id)
            if found is None:
                return False
            found["Status"] = status
            self._write()
            return True

    def _find_offer(self, invoice_id: int) -> JsonDict | None:
        return next((o for o in self._doc["offers"] if o["InvoiceId"] == invoice_id), None)

    def _find_product(self, number: str) -> JsonDict | None:
        folded = number.casefold()
        return next((p for p in self._doc["products"] if p["Number"].casefold() == folded), None)

    def _match_product(self, product_nr: str) -> JsonDict:
        """The article a row's ``ProductNr`` books, as the server matches it.

        By number, then by name (both case-insensitive); an unknown or inactive
        article falls back to the miscellaneous article.
        """
        folded = product_nr.casefold()
        products: list[JsonDict] = self._doc["products"]
        found = self._find_product(product_nr) or next(
            (p for p in products if str(p.get("Name") or "").casefold() == folded), None
        )
        if found is None or found.get("State", STATE_ACTIVE) != STATE_ACTIVE:
            found = self._find_product(self._doc["misc_product_nr"])
        assert found is not None  # _problem_in guarantees the misc product exists
        return found

    # ------------------------------------------------------------------ import

    def import_offers(self, offers: Iterable[Mapping[str, Any]], user: str) -> ImportOutcome:
        """Save offers in order, stopping at the first refused one.

        Offers saved before the refusal stay saved (and are listed in the
        outcome), as on the real server. ``user`` becomes ``CreatedBy`` /
        ``ModifiedBy``. See :meth:`_save_offer` for the rules.
        """
        batch = list(offers)
        outcome = ImportOutcome(batch_id=str(uuid.uuid4()), received=len(batch))
        with self._lock:
            for raw in batch:
                try:
                    invoice_id, number = self._save_offer(_fold(raw), outcome.batch_id, user)
                except _Refused as refused:
                    outcome.error = refused.error
                    break
                # Written per offer so that a later crash cannot lose an acknowledged save.
                self._write()
                outcome.keys.append(invoice_id)
                outcome.numbers.append(number)
        return outcome

    def _save_offer(self, head: JsonDict, batch_id: str, user: str) -> tuple[int, str]:
        """Validate one offer and create or update it; raise :class:`_Refused` when invalid.

        Checks, in order: the enums OriginType, RegistrationType and BillingType
        (missing or 0 = "Mandatory enum is not set"; OriginType must be 5),
        the InvoiceId of an update, InvoiceDate, the rows, and last the
        customer (so that a refused offer never auto-creates a customer).

        Update (``InvoiceId`` set): refused while the offer is ordered,
        invoiced or closed (:data:`LOCKED_STATUSES`); otherwise the header is
        replaced by what was sent (fields not sent become empty); the offer
        keeps its id, number and status. Rows are replaced only when the
        stored offer has none, which is what the server code suggests;
        otherwise the sent rows are validated but ignored and the stored rows
        and totals stay.
        """
        for name in ("OriginType", "RegistrationType", "BillingType"):
            value = head.get(name.lower())
            if value is None or value == 0:
                raise _Refused(OfferError.MANDATORY_ENUM, f"Mandatory enum is not set: {name}")
            if _as_int(value) is None:
                raise _Refused(OfferError.INVALID_VALUE, f"Ogiltigt värde för {name}: {value!r}")
        origin = _as_int(head["origintype"])
        if origin != OFFER_ORIGIN_TYPE:
            raise _Refused(
                OfferError.WRONG_ORIGIN_TYPE,
                f"Felaktig OriginType {origin}: offerter ska skickas med OriginType 5",
            )

        existing: JsonDict | None = None
        invoice_id_raw = head.get("invoiceid")
        if invoice_id_raw not in (None, 0):
            invoice_id = _as_int(invoice_id_raw)
            if invoice_id is None:
                raise _Refused(
                    OfferError.INVALID_VALUE, f"Ogiltigt värde för InvoiceId: {invoice_id_raw!r}"
                )
            existing = self._find_offer(invoice_id)
            if existing is None:
                raise _Refused(
                    OfferError.OFFER_NOT_FOUND, f"Offerten med InvoiceId {invoice_id} hittades inte"
                )
            if existing.get("Status") in LOCKED_STATUSES:
                raise _Refused(
                    OfferError.INVALID_STATE_TRANSITION,
                    f"Ogiltig statusövergång: offerten har status {existing['Status']} "
                    "och kan inte ändras",
                )

        invoice_date = self._parse_date(head.get("invoicedate"))
        rows_raw = head.get("invoicerows")
        if not isinstance(rows_raw, list) or not rows_raw:
            raise _Refused(OfferError.NO_ROWS, "Offerten saknar rader (InvoiceRows)")
        customer = self._resolve_customer(head, dry_run=True)
        rows = self._build_rows(rows_raw, float(customer.get("DiscountPercent") or 0.0))
        customer = self._resolve_customer(head, dry_run=False)

        header: JsonDict = {name: head.get(name.lower()) for name in _HEADER_FIELDS}
        header.update(
            InvoiceDate=invoice_date,
            CustomerId=customer["CustomerId"],
            CustomerNr=customer["CustomerNr"],
            CustomerName=customer["Name"],
            CustomerOrgnr=customer.get("OrgNr"),
            CustomerExternalNr=customer.get("ExternalNr"),
            BatchId=batch_id,
            # the status is the server's (ordered, invoiced, ...), never the sender's
            Status=existing.get("Status") if existing is not None else None,
        )
        now = _now()
        if existing is not None:
            keep = {k: existing.get(k) for k in ("InvoiceId", "CustomerInvoiceNr", "SeqNr")}
            kept_rows = existing["InvoiceRows"]
            created = {k: existing[k] for k in ("Created", "CreatedBy")}
            existing.clear()
            existing.update(keep, **header, **created, Modified=now, ModifiedBy=user)
            self._set_rows(existing, kept_rows if kept_rows else rows)
            return existing["InvoiceId"], existing["CustomerInvoiceNr"]

        seq = self._next("offer_nr")
        offer: JsonDict = {
            "InvoiceId": self._next("invoice_id"),
            "CustomerInvoiceNr": str(seq),
            "SeqNr": seq,
            **header,
            "Created": now,
            "CreatedBy": user,
            "Modified": None,
            "ModifiedBy": None,
        }
        self._set_rows(offer, rows)
        self._doc["offers"].append(offer)
        return offer["InvoiceId"], offer["CustomerInvoiceNr"]

    @staticmethod
    def _parse_date(value: Any) -> str:
        """InvoiceDate as ``YYYY-MM-DDTHH:MM:SS``; refused when missing or not a date."""
        if not isinstance(value, str) or not value.strip():
            raise _Refused(OfferError.INVALID_INVOICE_DATE, "Fakturadatum (InvoiceDate) saknas")
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise _Refused(
                OfferError.INVALID_INVOICE_DATE, f"Ogiltigt fakturadatum (InvoiceDate): {value!r}"
            ) from None
        return parsed.replace(tzinfo=None, microsecond=0).isoformat()

    def _resolve_customer(self, head: JsonDict, dry_run: bool) -> JsonDict:
        """Find the customer by CustomerId, CustomerNr, CustomerExternalNr, CustomerOrgnr.

        No match: a new customer is created unless AutoCreateCustomer is
        JSON ``false``. With ``dry_run`` nothing is created (a placeholder with
        no discount is returned), so validation can run before any change.
        """
        customers: list[JsonDict] = self._doc["customers"]
        customer_id = _as_int(head.get("customerid"))
        number = _text(head.get("customernr"))
        external = _text(head.get("customerexternalnr"))
        orgnr = _text(head.get("customerorgnr"))
        for key, wanted in (
            ("CustomerId", customer_id or None),
            ("CustomerNr", number),
            ("ExternalNr", external),
            ("OrgNr", orgnr),
        ):
            if wanted is None:
                continue
            found = next((c for c in customers if c.get(key) == wanted), None)
            if found is not None:
                return found

        auto_create = head.get("autocreatecustomer")
        if auto_create is not None and not isinstance(auto_create, bool):
            raise _Refused(
                OfferError.INVALID_VALUE, f"Ogiltigt värde för AutoCreateCustomer: {auto_create!r}"
            )
        name = _text(head.get("customername"))
        if auto_create is False or not (number or external or orgnr or name):
            shown = number or external or orgnr or (str(customer_id) if customer_id else "")
            message = f"Kund kunde inte mappas ({shown})" if shown else "Kund kunde inte mappas"
            raise _Refused(OfferError.CUSTOMER_NOT_MAPPED, message)
        if dry_run:
            return {"DiscountPercent": 0.0}
        customer: JsonDict = {
            "CustomerId": self._next("customer_id"),
            "CustomerNr": number or self._free_customer_nr(),
            "Name": name or number or external or orgnr,
            "OrgNr": orgnr,
            "ExternalNr": external,
            "DiscountPercent": 0.0,
        }
        customers.append(customer)
        return customer

    def _free_customer_nr(self) -> str:
        """The next customer number from the series that no customer has yet."""
        taken = {c["CustomerNr"] for c in self._doc["customers"]}
        while (candidate := str(self._next("customer_nr"))) in taken:
            pass
        return candidate

    def _build_rows(self, rows_raw: list[Any], customer_discount: float) -> list[JsonDict]:
        """Validate the rows and compute their sums; raise :class:`_Refused` on the first bad one.

        A product row needs ProductNr, Quantity, Amount and RowNr; a text row
        Text and RowNr. Discount is a percentage 0..100; 0 or missing means the
        customer's default discount. RowNr must be unique in the offer.
        """
        built: list[JsonDict] = []
        seen: set[int] = set()
        for position, raw in enumerate(rows_raw, start=1):
            if not isinstance(raw, dict):
                raise _Refused(OfferError.INVALID_ROW, f"Rad {position}: raden är inte ett objekt")
            row = _fold(raw)
            where = f"Rad {position}"
            row_type = _as_int(row.get("customerrowtype"))
            if row_type not in (PRODUCT_ROW, TEXT_ROW):
                raise _Refused(
                    OfferError.INVALID_ROW,
                    f"{where}: ogiltig radtyp {row.get('customerrowtype')!r} "
                    "(CustomerRowType ska vara 2 = artikelrad eller 3 = textrad)",
                )
            row_nr = _as_int(row.get("rownr"))
            if row_nr is None:
                raise _Refused(OfferError.INVALID_ROW, f"{where}: radnummer (RowNr) saknas")
            if row_nr in seen:
                raise _Refused(
                    OfferError.INVALID_ROW, f"{where}: radnummer {row_nr} förekommer flera gånger"
                )
            seen.add(row_nr)
            stored: JsonDict = {name: row.get(name.lower()) for name in _ROW_FIELDS}
            stored.update(InvoiceRowId=None, CustomerRowType=row_type, RowNr=row_nr)
            if row_type == TEXT_ROW:
                if _text(row.get("text")) is None:
                    raise _Refused(OfferError.INVALID_ROW, f"{where}: textrad saknar Text")
                stored.update(SumAmount=0.0, VatAmount=0.0)
            else:
                self._price_product_row(row, stored, where, customer_discount)
            built.append(stored)
        return built

    def _price_product_row(
        self, row: JsonDict, stored: JsonDict, where: str, customer_discount: float
    ) -> None:
        """Check a product row, map its product and compute SumAmount and VatAmount."""
        product_nr = _text(row.get("productnr"))
        if product_nr is None:
            raise _Refused(OfferError.INVALID_ROW, f"{where}: artikelnummer (ProductNr) saknas")
        for name in ("Quantity", "Amount"):
            if not _is_number(row.get(name.lower())):
                raise _Refused(
                    OfferError.INVALID_ROW, f"{where}: {name} saknas eller är inte ett tal"
                )
        discount = row.get("discount")
        if discount is not None and not (_is_number(discount) and 0 <= discount <= 100):
            raise _Refused(
                OfferError.INVALID_ROW, f"{where}: rabatt (Discount) ska vara mellan 0 och 100"
            )
        vat_rate = row.get("vatrate")
        if vat_rate is not None and not (_is_number(vat_rate) and 0 <= vat_rate <= 100):
            raise _Refused(OfferError.INVALID_ROW, f"{where}: ogiltig momssats (VatRate)")

        # Unknown and inactive articles are silently booked on the miscellaneous
        # article: the row shows its number and name, and keeps the text it was sent.
        product = self._match_product(product_nr)
        applied = float(discount) if discount else customer_discount
        rate = float(vat_rate) if vat_rate is not None else float(product["VatRate"])
        total = _dec(row["amount"]) * _dec(row["quantity"])
        total *= 1 - _dec(applied) / 100
        stored.update(
            ProductNr=product["Number"],
            ProductId=product["ProductId"],
            ProductName=_text(row.get("productname")) or product["Name"],
            UnitPrice=row["amount"],  # the price of one unit, as GET Offer shows it
            Unit=stored["Unit"] or product["Unit"],
            Discount=applied,  # the discount applied: the customer's when none was sent
            VatRate=rate,
            SumAmount=_money(total),
            VatAmount=_money(_dec(_money(total)) * _dec(rate) / 100),
        )

    def _set_rows(self, offer: JsonDict, rows: list[JsonDict]) -> None:
        """Attach rows (giving new ones ids) and recompute the offer's totals."""
        for row in rows:
            if row.get("InvoiceRowId") is None:
                row["InvoiceRowId"] = self._next("row_id")
        total = sum((_dec(row["SumAmount"]) for row in rows), Decimal(0))
        vat = sum((_dec(row["VatAmount"]) for row in rows), Decimal(0))
        offer.update(
            InvoiceRows=rows,
            SumAmount=_money(total),  # api-notes: the head's sum excluding VAT
            TotalAmount=_money(total),  # the vendor document's "Totalt belopp ex. moms"
            VatAmount=_money(vat),
            TotalAmountInclVat=_money(total + vat),
        )
