"""Tests of the SoftOne GO sandbox over real loopback HTTP (no mocks of the HTTP path).

Most tests read replies in the vendor document's form (``casing="pascal"``);
the ones about SoftOne GO's own form (camelCase, nulls left out, the default)
say so.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from converter.cli.sandbox import banner, sandbox_command
from converter.sandbox import (
    DEFAULT_CREDENTIALS,
    Faults,
    SandboxConfig,
    SandboxServer,
    SandboxState,
)
from converter.sandbox.faults import FaultAction
from converter.sandbox.server import (
    GENERIC_500,
    MSG_BAD_KEYS,
    MSG_BAD_TOKEN,
    MSG_NO_TOKEN,
    MSG_NOT_ACTIVATED,
    SandboxApp,
    _HTTPServer,
    camel_case_key,
)
from converter.sandbox.state import OfferError, SandboxStateError, document_text

RESULT_FIELDS = [
    "Success", "SuccessNumber", "ErrorNumber", "ErrorMessage", "InfoMessage", "CanUserOverride",
    "IntegerValue", "IntegerValue2", "DecimalValue", "StringValue", "BooleanValue",
    "BooleanValue2", "DateTimeValue", "Value", "Value2", "Dates", "Keys", "Strings", "IdDict",
    "IntDict", "IntDict2", "StrDict", "StrDict2", "StrIntListDict", "ObjectsAffected",
    "StackTrace", "Exception", "Modified", "ModifiedBy",
]  # fmt: skip


def offer(**overrides: Any) -> dict[str, Any]:
    """The vendor document's bare-minimum offer, with overrides (None removes a field)."""
    body: dict[str, Any] = {
        "InvoiceRows": [
            {
                "CustomerRowType": 2,
                "ProductNr": "100-5t",
                "Quantity": 3.0,
                "Amount": 350,
                "Text": "Skolbil m väktare",
                "RowNr": 1,
            }
        ],
        "InvoiceDate": "2026-01-30",
        "OriginType": 5,
        "CustomerNr": "013",
        "RegistrationType": 1,
        "BillingType": 1,
        "AutoCreateCustomer": False,
    }
    for key, value in overrides.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


class Api:
    """A thin test client: real httpx over loopback, credentials from the server."""

    def __init__(self, server: SandboxServer) -> None:
        """Open an httpx client on the server (proxies from the environment ignored)."""
        self.server = server
        self.http = httpx.Client(base_url=server.url, timeout=5.0, trust_env=False)
        creds = server.credentials
        self.keys = {"companyApiKey": creds.company_api_key, "connectApiKey": creds.connect_api_key}
        self._token: str | None = None

    def login(self, **body_overrides: str) -> httpx.Response:
        """POST /Login/Token with the valid login, fields overridden."""
        creds = self.server.credentials
        body = {"License": creds.license, "UserName": creds.username, "Password": creds.password}
        body.update(body_overrides)
        return self.http.post("/Login/Token", params=self.keys, json=body)

    @property
    def token(self) -> str:
        """A token from a (cached) login."""
        if self._token is None:
            self._token = self.login().json()["Token"]
        assert self._token
        return self._token

    def auth(self, **extra: Any) -> dict[str, Any]:
        """The three auth query parameters plus ``extra``."""
        return {**self.keys, "token": self.token, **extra}

    def post(self, offers: Any, **params: Any) -> httpx.Response:
        """POST /Economy/Billing/Offer with ``offers`` as the JSON body."""
        query = self.auth(importid=0, specialfunctionalities="", **params)
        return self.http.post("/Economy/Billing/Offer", params=query, json=offers)

    def get(self, path: str, **params: Any) -> httpx.Response:
        """An authenticated GET."""
        return self.http.get(path, params=self.auth(**params))


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Any]:
    """Factory: start a sandbox with config overrides (PascalCase replies unless
    ``casing="camel"``); everything stops at teardown."""
    with ExitStack() as stack:

        def _start(**config: Any) -> Api:
            config.setdefault("casing", "pascal")
            server = stack.enter_context(SandboxServer(SandboxConfig(**config)))
            api = Api(server)
            stack.callback(api.http.close)
            return api

        yield _start


@pytest.fixture
def api(start: Any) -> Api:
    api: Api = start()
    return api


# ------------------------------------------------------------------ login and auth


def test_login_ok_token_is_base64_with_plus_slash_equals(api: Api) -> None:
    reply = api.login()
    assert reply.status_code == 200
    token = reply.json()["Token"]
    assert isinstance(token, str) and len(token) == 44
    assert "+" in token and "/" in token and token.endswith("=")
    assert reply.json()["Message"]


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [("Password", "wrong", "lösenord"), ("UserName", "nobody", "lösenord"), ("License", "X", "")],
)
def test_login_refused_is_http_200_without_token(
    api: Api, field: str, value: str, reason: str
) -> None:
    reply = api.login(**{field: value})
    assert reply.status_code == 200
    assert reply.json()["Token"] is None
    assert reason in reply.json()["Message"] and reply.json()["Message"]


def test_login_with_wrong_keys_is_refused(api: Api) -> None:
    body = {"License": "SANDBOX", "UserName": "demo", "Password": "demo"}
    reply = api.http.post(
        "/Login/Token", params={"companyApiKey": "x", "connectApiKey": "y"}, json=body
    )
    assert reply.status_code == 200 and reply.json()["Token"] is None


def test_default_credentials_are_the_practice_values(api: Api) -> None:
    assert api.server.credentials == DEFAULT_CREDENTIALS
    assert DEFAULT_CREDENTIALS.username == "demo" and DEFAULT_CREDENTIALS.license == "SANDBOX"


def test_401_missing_token(api: Api) -> None:
    reply = api.http.post("/Economy/Billing/Offer", params=api.keys, json=[offer()])
    assert reply.status_code == 401 and reply.json() == MSG_NO_TOKEN


def test_401_garbage_token(api: Api) -> None:
    reply = api.http.get("/Economy/Customer/Customers", params={**api.keys, "token": "abc="})
    assert reply.status_code == 401 and reply.json() == MSG_BAD_TOKEN


def test_401_wrong_keys(api: Api) -> None:
    params = {"companyApiKey": "wrong", "connectApiKey": api.keys["connectApiKey"]}
    reply = api.http.get("/Economy/Customer/Customers", params={**params, "token": api.token})
    assert reply.status_code == 401 and reply.json() == MSG_BAD_KEYS
    assert api.server.offers() == []


def test_401_after_token_expiry_after_uses(start: Any) -> None:
    api: Api = start(faults=Faults(token_expiry_after=2))
    assert api.get("/Economy/Customer/Customers").status_code == 200
    assert api.get("/Economy/Customer/Customers").status_code == 200
    third = api.get("/Economy/Customer/Customers")
    assert third.status_code == 401 and third.json() == MSG_BAD_TOKEN
    api._token = None  # a fresh login gives a fresh allowance
    assert api.get("/Economy/Customer/Customers").status_code == 200


def test_401_after_idle_timeout(start: Any) -> None:
    api: Api = start(token_idle_seconds=0.05)
    assert api.get("/Economy/Customer/Customers").status_code == 200
    time.sleep(0.12)
    reply = api.get("/Economy/Customer/Customers")
    assert reply.status_code == 401 and reply.json() == MSG_BAD_TOKEN


def test_unencoded_token_fails_and_encoded_token_works(api: Api) -> None:
    token = api.token
    keys = f"companyApiKey={api.keys['companyApiKey']}&connectApiKey={api.keys['connectApiKey']}"
    raw = api.http.get(f"/Economy/Customer/Customers?{keys}&token={token}")
    assert raw.status_code == 401 and raw.json() == MSG_BAD_TOKEN
    assert api.get("/Economy/Customer/Customers").status_code == 200


def test_query_parameter_names_are_case_insensitive(api: Api) -> None:
    params = {
        "COMPANYAPIKEY": api.keys["companyApiKey"],
        "connectapikey": api.keys["connectApiKey"],
        "Token": api.token,
    }
    assert api.http.get("/economy/customer/customers", params=params).status_code == 200


# ------------------------------------------------------------------ creating offers


def test_create_offer_returns_full_operation_result_and_stores_it(api: Api) -> None:
    reply = api.post([offer(ExternalId="ext-1")])
    assert reply.status_code == 200
    result = reply.json()
    assert list(result) == RESULT_FIELDS
    assert result["Success"] is True and result["ErrorNumber"] == 0
    assert result["Strings"] == ["486"] and len(result["Keys"]) == 1
    assert result["ObjectsAffected"] == 1
    assert "1 kundfakturor utav 1" in result["InfoMessage"]
    uuid.UUID(result["StringValue"])  # a batch GUID
    [stored] = api.server.offers()
    assert stored["InvoiceId"] == result["Keys"][0]
    assert stored["CustomerInvoiceNr"] == "486" and stored["ExternalId"] == "ext-1"
    assert stored["CustomerNr"] == "013" and stored["CustomerName"] == "Berglunds"
    assert stored["InvoiceRows"][0]["SumAmount"] == 1050.0
    assert stored["TotalAmount"] == 1050.0


def test_offer_numbers_are_sequential(api: Api) -> None:
    numbers = [api.post([offer()]).json()["Strings"][0] for _ in range(3)]
    assert numbers == ["486", "487", "488"]


def test_row_sums_apply_discount_and_text_rows_are_free(api: Api) -> None:
    rows = [
        {"CustomerRowType": 3, "Text": "Offert enligt telefonsamtal", "RowNr": 1},
        {"CustomerRowType": 2, "ProductNr": "A11", "Quantity": 5, "Amount": 580, "RowNr": 2},
        {
            "CustomerRowType": 2,
            "ProductNr": "A12",
            "Quantity": 2,
            "Amount": 100.1,
            "Discount": 25,
            "RowNr": 3,
        },
    ]
    assert api.post([offer(InvoiceRows=rows)]).json()["Success"] is True
    [stored] = api.server.offers()
    assert [r["SumAmount"] for r in stored["InvoiceRows"]] == [0.0, 2900.0, 150.15]
    assert stored["TotalAmount"] == 3050.15


@pytest.mark.parametrize("article", ["TYPO-1", "A13"], ids=["unknown", "inactive"])
def test_unknown_or_inactive_article_becomes_the_miscellaneous_article(
    api: Api, article: str
) -> None:
    row = {
        "CustomerRowType": 2,
        "ProductNr": article,
        "Quantity": 1,
        "Amount": 10,
        "Text": "Resa",
        "RowNr": 1,
    }
    reply = api.post([offer(InvoiceRows=[row])]).json()
    assert reply["Success"] is True  # silently: nothing in the reply says so
    shown = api.get("/Economy/Billing/Offer", invoiceId=reply["Keys"][0]).json()
    [stored_row] = shown["InvoiceRows"]
    assert stored_row["ProductNr"] == "999" and stored_row["ProductName"] == "Övrigt"
    assert stored_row["Text"] == "Resa"  # the row keeps its text: it looks right in GO


def test_articles_are_matched_by_number_then_name_ignoring_case(api: Api) -> None:
    rows = [
        {"CustomerRowType": 2, "ProductNr": "a11", "Quantity": 1, "Amount": 1, "RowNr": 1},
        {"CustomerRowType": 2, "ProductNr": "resor", "Quantity": 1, "Amount": 1, "RowNr": 2},
    ]
    assert api.post([offer(InvoiceRows=rows)]).json()["Success"] is True
    stored = api.server.offers()[0]["InvoiceRows"]
    assert [r["ProductNr"] for r in stored] == ["A11", "A14"]


def test_camel_case_input_is_accepted(api: Api) -> None:
    body = {
        "invoiceRows": [{"customerRowType": 3, "text": "Hej", "rowNr": 1}],
        "invoiceDate": "2026-02-01T00:00:00",
        "originType": 5,
        "registrationType": 1,
        "billingType": 1,
        "customerNr": "4416",
    }
    result = api.post([body]).json()
    assert result["Success"] is True
    assert api.server.offers()[0]["CustomerName"] == "Jensfjergen AB"


def test_batch_stops_at_first_failure_earlier_saves_stay(api: Api) -> None:
    batch = [offer(ExternalId="a"), offer(ExternalId="b", InvoiceRows=[]), offer(ExternalId="c")]
    result = api.post(batch).json()
    assert result["Success"] is False and result["ErrorNumber"] == OfferError.NO_ROWS
    assert result["Strings"] == ["486"] and len(result["Keys"]) == 1
    assert result["ObjectsAffected"] == 1
    assert [o["ExternalId"] for o in api.server.offers()] == ["a"]


# ------------------------------------------------------------------ business errors


def error_of(reply: httpx.Response) -> tuple[int, str]:
    """ErrorNumber and ErrorMessage of a business error that saved nothing."""
    assert reply.status_code == 200
    result = reply.json()
    assert result["Success"] is False and result["Keys"] == [] and result["Strings"] == []
    return result["ErrorNumber"], result["ErrorMessage"]


def customer_numbers(api: Api) -> list[str]:
    """CustomerNr of every customer, via the Customers lookup."""
    return [c["CustomerNr"] for c in api.get("/Economy/Customer/Customers").json()]


def test_unknown_customer_with_auto_create_false_is_refused(api: Api) -> None:
    before = customer_numbers(api)
    number, message = error_of(api.post([offer(CustomerNr="77777")]))
    assert number == OfferError.CUSTOMER_NOT_MAPPED and "Kund kunde inte mappas" in message
    assert customer_numbers(api) == before and api.server.offers() == []


def test_unknown_customer_without_auto_create_flag_is_created(api: Api) -> None:
    body = offer(CustomerNr="77777", CustomerName="Ny Kund AB", AutoCreateCustomer=None)
    assert api.post([body]).json()["Success"] is True
    assert "77777" in customer_numbers(api)
    assert api.server.offers()[0]["CustomerName"] == "Ny Kund AB"


def test_invalid_offer_with_unknown_customer_creates_no_customer(api: Api) -> None:
    before = customer_numbers(api)
    error_of(api.post([offer(CustomerNr="77777", AutoCreateCustomer=None, InvoiceRows=[])]))
    assert customer_numbers(api) == before


@pytest.mark.parametrize(
    ("fields", "expected_nr"),
    [
        ({"CustomerId": 10005, "CustomerNr": "4416"}, "4315"),  # CustomerId wins
        ({"CustomerNr": None, "CustomerExternalNr": "EXT-4824"}, "4824"),
        ({"CustomerNr": None, "CustomerOrgnr": "556001-1117"}, "1117"),
    ],
)
def test_customer_lookup_order(api: Api, fields: dict[str, Any], expected_nr: str) -> None:
    assert api.post([offer(**fields)]).json()["Success"] is True
    assert api.server.offers()[0]["CustomerNr"] == expected_nr


@pytest.mark.parametrize("name", ["OriginType", "RegistrationType", "BillingType"])
@pytest.mark.parametrize("value", [0, None])
def test_missing_or_zero_enum_is_refused(api: Api, name: str, value: int | None) -> None:
    body = offer()
    if value is None:
        del body[name]
    else:
        body[name] = value
    number, message = error_of(api.post([body]))
    assert number == OfferError.MANDATORY_ENUM
    assert message == f"Mandatory enum is not set: {name}"


def test_order_origin_type_is_refused_for_offers(api: Api) -> None:
    number, message = error_of(api.post([offer(OriginType=6)]))
    assert number == OfferError.WRONG_ORIGIN_TYPE and "OriginType" in message


@pytest.mark.parametrize("value", [None, "", "30/01/2026", "2026-13-01", 20260130])
def test_bad_invoice_date_is_refused(api: Api, value: Any) -> None:
    body = offer()
    body["InvoiceDate"] = value
    if value is None:
        del body["InvoiceDate"]
    number, _ = error_of(api.post([body]))
    assert number == OfferError.INVALID_INVOICE_DATE


@pytest.mark.parametrize("rows", [[], None])
def test_empty_or_missing_rows_are_refused(api: Api, rows: list[Any] | None) -> None:
    body = offer()
    body["InvoiceRows"] = rows
    if rows is None:
        del body["InvoiceRows"]
    assert error_of(api.post([body]))[0] == OfferError.NO_ROWS


PRODUCT = {"CustomerRowType": 2, "ProductNr": "A11", "Quantity": 1, "Amount": 10, "RowNr": 1}


@pytest.mark.parametrize(
    "rows",
    [
        [{**PRODUCT, "CustomerRowType": 4}],
        [{**PRODUCT, "CustomerRowType": None}],
        [{k: v for k, v in PRODUCT.items() if k != "ProductNr"}],
        [{k: v for k, v in PRODUCT.items() if k != "Quantity"}],
        [{**PRODUCT, "Amount": "10"}],
        [{k: v for k, v in PRODUCT.items() if k != "RowNr"}],
        [{"CustomerRowType": 3, "RowNr": 1}],
        [{**PRODUCT, "Discount": 150}],
        [{**PRODUCT, "Discount": -1}],
        [PRODUCT, {"CustomerRowType": 3, "Text": "dubbel", "RowNr": 1}],
        ["not a row"],
    ],
)
def test_bad_rows_are_refused(api: Api, rows: list[Any]) -> None:
    number, message = error_of(api.post([offer(InvoiceRows=rows)]))
    assert number == OfferError.INVALID_ROW and message.startswith("Rad ")
    assert api.server.offers() == []


def test_malformed_json_and_non_array_are_400(api: Api) -> None:
    bad = api.http.post(
        "/Economy/Billing/Offer",
        params=api.auth(),
        content=b"[{not json",
        headers={"Content-Type": "application/json"},
    )
    assert bad.status_code == 400 and isinstance(bad.json(), str)
    not_an_offer = api.post(42)
    assert not_an_offer.status_code == 400 and isinstance(not_an_offer.json(), str)
    assert api.server.offers() == []


def test_one_offer_object_is_taken_as_well_as_the_documents_array(api: Api) -> None:
    """api-notes: Offer is declared for one object, the vendor document posts an array."""
    as_object = api.post(offer(ExternalId="object")).json()
    as_array = api.post([offer(ExternalId="array")]).json()
    assert as_object["Success"] is True and as_array["Success"] is True
    assert [o["ExternalId"] for o in api.server.offers()] == ["object", "array"]


# ------------------------------------------------------------------ update


def test_update_replaces_header_keeps_rows_and_number(api: Api) -> None:
    created = api.post([offer(ExternalId="u1")]).json()
    key = created["Keys"][0]
    new_rows = [{"CustomerRowType": 3, "Text": "ny", "RowNr": 1}]
    body = offer(
        InvoiceId=key,
        CustomerInvoiceNr="486",
        ReferenceOur="Anna",
        ExternalId="u1",
        InvoiceRows=new_rows,
    )
    updated = api.post([body]).json()
    assert updated["Success"] is True
    assert updated["Keys"] == [key] and updated["Strings"] == ["486"]
    [stored] = api.server.offers()
    assert stored["ReferenceOur"] == "Anna" and stored["ModifiedBy"] == "demo"
    assert stored["InvoiceRows"][0]["ProductNr"] == "100-5t"  # rows kept: it had rows


def test_update_of_unknown_invoice_id_is_refused(api: Api) -> None:
    number, message = error_of(api.post([offer(InvoiceId=123)]))
    assert number == OfferError.OFFER_NOT_FOUND and "123" in message


def test_update_replaces_rows_when_stored_offer_has_none(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    with SandboxServer(SandboxConfig(state_path=path, casing="pascal")) as server:
        api = Api(server)
        key = api.post([offer()]).json()["Keys"][0]
        api.http.close()
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["offers"][0]["InvoiceRows"] = []  # as left by the UI, say
    path.write_text(json.dumps(doc), encoding="utf-8")
    with SandboxServer(SandboxConfig(state_path=path, casing="pascal")) as server:
        api = Api(server)
        rows = [
            {"CustomerRowType": 2, "ProductNr": "A14", "Quantity": 2, "Amount": 250, "RowNr": 1}
        ]
        assert api.post([offer(InvoiceId=key, InvoiceRows=rows)]).json()["Keys"] == [key]
        [stored] = server.offers()
        api.http.close()
    assert [r["ProductNr"] for r in stored["InvoiceRows"]] == ["A14"]
    assert stored["TotalAmount"] == 500.0


@pytest.mark.parametrize("status", [42, 44, 45], ids=["ordered", "invoiced", "closed"])
def test_an_ordered_invoiced_or_closed_offer_refuses_updates(api: Api, status: int) -> None:
    key = api.post([offer(ExternalId="u1")]).json()["Keys"][0]
    admin = api.http.post(
        "/Sandbox/OfferStatus", params={**api.keys, "invoiceId": key, "status": status}
    )
    assert admin.status_code == 200
    number, message = error_of(api.post([offer(InvoiceId=key, ReferenceOur="Anna")]))
    assert number == OfferError.INVALID_STATE_TRANSITION and "statusövergång" in message
    [stored] = api.server.offers()
    assert stored["ReferenceOur"] is None and stored["Status"] == status
    # partly ordered is still editable, and an update keeps the server's status
    api.server.set_offer_status(key, 41)
    assert api.post([offer(InvoiceId=key, ReferenceOur="Anna")]).json()["Success"] is True
    [stored] = api.server.offers()
    assert stored["ReferenceOur"] == "Anna" and stored["Status"] == 41


def test_the_admin_call_needs_the_keys_and_an_existing_offer(api: Api) -> None:
    wrong = api.http.post("/Sandbox/OfferStatus", params={"invoiceId": 1, "status": 42})
    assert wrong.status_code == 401
    missing = api.http.post(
        "/Sandbox/OfferStatus", params={**api.keys, "invoiceId": 1, "status": 42}
    )
    assert missing.status_code == 404


# ------------------------------------------------------------------ lookups


def test_lookups(api: Api) -> None:
    first = api.post([offer(ExternalId="X-1")]).json()["Keys"][0]
    second = api.post([offer(ExternalId="X-1")]).json()["Keys"][0]
    ids = api.get("/Economy/Billing/InvoiceIdsFromExternalId", type=5, externalId="X-1")
    assert ids.status_code == 200 and ids.json() == [first, second]
    none = api.get("/Economy/Billing/InvoiceIdsFromExternalId", type=5, externalId="nope")
    assert none.json() == []
    by_id = api.get("/Economy/Billing/Offer", invoiceId=first).json()
    assert by_id["InvoiceId"] == first and by_id["CustomerInvoiceNr"] == "486"
    assert by_id["ExternalId"] == "X-1" and by_id["InvoiceDate"] == "2026-01-30T00:00:00"
    assert by_id["InvoiceRows"][0]["RowNr"] == 1
    by_number = api.get("/Economy/Billing/Offer", number="487").json()
    assert by_number["InvoiceId"] == second
    assert api.get("/Economy/Billing/Offer", invoiceId=1).json() == {}
    assert api.get("/Economy/Billing/Offer", number="9999").json() == {}
    product = api.get("/Economy/Billing/Product", number="A11").json()
    assert product["Name"] == "Arbetskostnad" and product["SalesPrice"] == 580.0
    assert (
        product["State"] == 0
        and api.get("/Economy/Billing/Product", number="a13").json()["State"] == 1
    )  # numbers are matched ignoring case; A13 is inactive
    unknown = api.get("/Economy/Billing/Product", number="nope").json()
    assert unknown["Number"] is None and unknown["ProductId"] is None  # an empty article
    numbers = customer_numbers(api)
    assert {"013", "4416", "4824", "4315", "1117", "11"} <= set(numbers)
    one = api.get("/Economy/Customer/Customers", numberFrom="4416", numberTo="4416").json()
    assert [(c["CustomerNr"], c["Name"]) for c in one] == [("4416", "Jensfjergen AB")]
    assert api.get("/Economy/Customer/Customers", numberFrom="77", numberTo="77").json() == []


def test_product_search_and_prices(api: Api) -> None:
    found = api.http.post(
        "/Economy/Billing/Products/Search",
        params=api.auth(maxNrRows=2),
        json={"Number": "a1", "Name": None},
    ).json()
    assert [p["Number"] for p in found] == ["A11", "A12"]
    assert set(found[0]) == {"ProductId", "Number", "Name", "Description"}
    by_name = api.http.post(
        "/Economy/Billing/Products/Search", params=api.auth(), json={"Name": "kabel"}
    ).json()
    assert [p["Number"] for p in by_name] == ["1001"]
    customer = next(
        c for c in api.get("/Economy/Customer/Customers").json() if c["CustomerNr"] == "4416"
    )
    product_id = found[0]["ProductId"]
    prices = api.http.post(
        "/Economy/Billing/Products/Price",
        params=api.auth(customerId=customer["CustomerId"]),
        json=[{"ProductId": product_id, "Quantity": 3}, {"ProductId": 1, "Quantity": 1}],
    ).json()
    assert prices[0]["ProductId"] == product_id and prices[0]["Price"] == 580.0
    assert prices[0]["Quantity"] == 3 and prices[0]["ErrorMessage"] is None
    assert prices[1]["ErrorMessage"]


def _customer_id(api: Api, number: str) -> int:
    found = api.get("/Economy/Customer/Customers", numberFrom=number, numberTo=number).json()
    return int(found[0]["CustomerId"])


def _product_id(api: Api, number: str) -> int:
    return int(api.get("/Economy/Billing/Product", number=number).json()["ProductId"])


def test_price_lists_give_each_customer_its_price(api: Api) -> None:
    """5010 has a 10 % discount, 5020 net prices by quantity; A15 has no list price."""
    a01, e2101, a15 = (_product_id(api, n) for n in ("A01", "E2101", "A15"))

    def prices(customer: str, *items: tuple[int, float]) -> list[dict[str, Any]]:
        body = [{"ProductId": p, "Quantity": q} for p, q in items]
        params = api.auth(customerId=_customer_id(api, customer))
        reply = api.http.post("/Economy/Billing/Products/Price", params=params, json=body)
        assert reply.status_code == 200
        answer: list[dict[str, Any]] = reply.json()
        return answer

    plain = prices("4416", (a01, 1), (a15, 1))
    assert (plain[0]["Price"], plain[0]["DiscountPercent"], plain[0]["Unit"]) == (595.0, 0, "tim")
    assert plain[1]["Price"] == 0 and "inget pris" in plain[1]["ErrorMessage"]
    discounted = prices("5010", (a01, 2))
    assert (discounted[0]["Price"], discounted[0]["DiscountPercent"]) == (595.0, 10.0)
    special = prices("5020", (e2101, 1), (e2101, 10), (e2101, 75), (e2101, 0.5), (a15, 1))
    assert [p["Price"] for p in special] == [52.0, 47.5, 44.0, 52.0, 1250.0]
    assert all(p["DiscountPercent"] == 0 and p["ErrorMessage"] is None for p in special)
    assert [p["Quantity"] for p in special][:3] == [1, 10, 75]


def test_the_register_is_listed_page_by_page(api: Api) -> None:
    first = api.get("/Economy/Billing/Products", pageNumber=1, pageSize=200).json()
    numbers = [p["Number"] for p in first]
    assert numbers[:4] == ["A11", "A12", "A13", "A14"] and len(numbers) == 200
    everything: list[str] = []
    page = 1
    while batch := api.get("/Economy/Billing/Products", pageNumber=page, pageSize=200).json():
        everything += [p["Number"] for p in batch]
        page += 1
    assert len(everything) == len(set(everything)) > 500 and "A09" in everything
    assert api.get("/Economy/Billing/Products", pageSize=0).status_code == 400


def test_an_older_state_file_gets_the_register_it_lacks(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    SandboxState.open(path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["products"] = [p for p in doc["products"] if p["Number"] in ("A11", "999")]
    doc["products"][0]["Name"] = "Arbete (eget namn)"
    doc["customers"] = [c for c in doc["customers"] if c["CustomerNr"] == "013"]
    path.write_text(json.dumps(doc), encoding="utf-8")
    state = SandboxState.open(path)
    a11 = state.product_by_number("A11")
    assert a11 is not None and a11["Name"] == "Arbete (eget namn)"  # kept as it was
    assert state.product_by_number("E2101") is not None
    assert {"013", "5010", "5020"} <= {c["CustomerNr"] for c in state.customers()}
    ids = [p["ProductId"] for p in json.loads(path.read_text(encoding="utf-8"))["products"]]
    assert len(ids) == len(set(ids))


def test_health_answers_without_a_token(api: Api) -> None:
    reply = api.http.get("/Login/Health")
    assert reply.status_code == 200 and reply.json() == {"Status": "Healthy"}


def test_a_token_first_used_after_two_minutes_is_not_activated(start: Any) -> None:
    now = [1000.0]
    api: Api = start(clock=lambda: now[0])
    token = api.token
    now[0] += 121  # two minutes and a second after the login, nothing sent yet
    reply = api.get("/Economy/Customer/Customers")
    assert reply.status_code == 401 and reply.json() == MSG_NOT_ACTIVATED
    api._token = None
    assert api.token != token
    now[0] += 119
    assert api.get("/Economy/Customer/Customers").status_code == 200  # first use in time
    now[0] += 119
    assert api.get("/Economy/Customer/Customers").status_code == 200  # each use extends it


def test_look_ups_are_counted_by_what_was_looked_up(api: Api) -> None:
    for number in ("A11", "a11", "A12"):
        api.get("/Economy/Billing/Product", number=number)
    api.get("/Economy/Customer/Customers", numberFrom="013", numberTo="013")
    server = api.server
    assert server.lookup_count("product:a11") == 2 and server.lookup_count("product") == 3
    assert server.lookup_count("customers:013") == 1 and server.lookup_count() == 4


def test_look_up_faults_hit_only_look_ups(start: Any) -> None:
    api: Api = start(faults=Faults(lookup_error_every=2))
    assert api.get("/Economy/Billing/Product", number="A11").status_code == 200
    assert api.post([offer()]).status_code == 200  # not a look-up: not counted
    second = api.get("/Economy/Customer/Customers", numberFrom="013", numberTo="013")
    assert second.status_code == 500 and second.json() == GENERIC_500
    assert api.get("/Economy/Billing/Product", number="A11").status_code == 200
    assert api.server.lookup_count() == 2  # the failed one was never answered


def test_unknown_path_is_404_and_unexpected_error_is_generic_500(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert api.get("/Economy/Nothing").status_code == 404

    def boom() -> list[dict[str, Any]]:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(api.server.state, "customers", boom)
    reply = api.get("/Economy/Customer/Customers")
    assert reply.status_code == 500 and reply.json() == GENERIC_500
    assert "secret" not in reply.text


# ------------------------------------------------------------------ camelCase


def test_replies_are_camel_case_without_null_fields_by_default(tmp_path: Path) -> None:
    with SandboxServer(SandboxConfig()) as server:
        api = Api(server)
        login = api.login().json()
        assert set(login) == {"token", "message"}
        refused = api.login(Password="wrong").json()
        assert set(refused) == {"message"}  # no token key at all
        api._token = login["token"]
        result = api.post([offer()]).json()
        assert result["success"] is True and result["strings"] == ["486"]
        assert "stringValue" in result and "Success" not in result
        assert "strIntListDict" not in result and "errorMessage" not in result  # nulls left out
        stored = api.get("/Economy/Billing/Offer", number="486").json()
        assert stored["customerInvoiceNr"] == "486" and stored["invoiceRows"][0]["rowNr"] == 1
        assert "modifiedBy" not in stored and "note" not in stored
        row = stored["invoiceRows"][0]
        assert (row["productNr"], row["unitPrice"], row["quantity"]) == ("100-5t", 350, 3.0)
        assert stored["sumAmount"] == 1050.0
        unknown = api.get("/Economy/Billing/Product", number="nope").json()
        assert "number" not in unknown and "productId" not in unknown
        api.http.close()


def test_camel_case_key_rule() -> None:
    cases = {"CustomerNr": "customerNr", "OCR": "ocr", "IdDict": "idDict", "token": "token"}
    assert {key: camel_case_key(key) for key in cases} == cases


# ------------------------------------------------------------------ faults


def test_error_before_saves_nothing(start: Any) -> None:
    api: Api = start(faults=Faults(error_before_every=2))
    assert api.post([offer(ExternalId="1")]).status_code == 200
    second = api.post([offer(ExternalId="2")])
    assert second.status_code == 500 and second.json() == GENERIC_500
    assert api.post([offer(ExternalId="3")]).status_code == 200
    assert [o["ExternalId"] for o in api.server.offers()] == ["1", "3"]


def test_error_after_save_saves(start: Any) -> None:
    api: Api = start(faults=Faults(error_after_save_every=1))
    reply = api.post([offer(ExternalId="saved")])
    assert reply.status_code == 500 and reply.json() == GENERIC_500
    assert [o["ExternalId"] for o in api.server.offers()] == ["saved"]


def test_drop_after_save_closes_without_reply_but_saves(start: Any) -> None:
    api: Api = start(faults=Faults(drop_after_save_every=2))
    assert api.post([offer(ExternalId="1")]).status_code == 200  # warms a pooled connection
    with pytest.raises(httpx.RemoteProtocolError):
        api.post([offer(ExternalId="2")])
    assert [o["ExternalId"] for o in api.server.offers()] == ["1", "2"]
    ids = api.get("/Economy/Billing/InvoiceIdsFromExternalId", type=5, externalId="2")
    assert len(ids.json()) == 1  # the client can find out that its lost create happened


@pytest.mark.parametrize(("retry_after", "header"), [(1.0, "1"), (0.5, "0.5")])
def test_throttle_429_with_retry_after(start: Any, retry_after: float, header: str) -> None:
    api: Api = start(faults=Faults(throttle_every=2, retry_after=retry_after))
    token = api.login().json()["Token"]  # request 1
    params = {**api.keys, "token": token}
    throttled = api.http.post("/Economy/Billing/Offer", params=params, json=[offer()])  # 2
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == header
    assert api.server.offers() == [] and api.server.request_count() == 2


def test_spike_and_latency_delay_replies(start: Any) -> None:
    api: Api = start(faults=Faults(latency=0.02, spike_every=2, spike_seconds=0.2))
    durations = []
    for _ in range(2):
        began = time.monotonic()
        api.http.get("/nothing")
        durations.append(time.monotonic() - began)
    assert durations[0] >= 0.02  # latency on every reply
    assert durations[1] >= 0.22  # and the spike on the second


def test_fault_priority_and_counting() -> None:
    every = Faults(
        throttle_every=1, error_before_every=1, drop_after_save_every=1, error_after_save_every=1
    )
    assert every.decide(1, 1).action is FaultAction.THROTTLE
    no_throttle = Faults(error_before_every=1, drop_after_save_every=1, error_after_save_every=1)
    assert no_throttle.decide(1, 1).action is FaultAction.ERROR_BEFORE
    assert no_throttle.decide(1, None).action is FaultAction.NONE  # not an offer post
    after = Faults(drop_after_save_every=2, error_after_save_every=3)
    actions = [after.decide(n, n).action for n in range(1, 7)]
    assert actions == [
        FaultAction.NONE,
        FaultAction.DROP_AFTER_SAVE,
        FaultAction.ERROR_AFTER_SAVE,
        FaultAction.DROP_AFTER_SAVE,
        FaultAction.NONE,
        FaultAction.DROP_AFTER_SAVE,
    ]
    with pytest.raises(ValueError):
        Faults(throttle_every=-1)


# ------------------------------------------------------------------ state


def test_state_survives_restart(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "state.json"
    with SandboxServer(SandboxConfig(state_path=path, casing="pascal")) as server:
        api = Api(server)
        api.post([offer(ExternalId="kept")])
        api.http.close()
    assert json.loads(path.read_text(encoding="utf-8"))["offers"][0]["ExternalId"] == "kept"
    assert [p.name for p in path.parent.iterdir()] == ["state.json"]  # no temp files left
    assert path.stat().st_mode & 0o777 == 0o600  # it holds the practice login
    with SandboxServer(SandboxConfig(state_path=path, casing="pascal")) as server:
        api = Api(server)
        assert [o["ExternalId"] for o in server.offers()] == ["kept"]
        assert api.post([offer()]).json()["Strings"] == ["487"]
        api.http.close()


def test_the_state_file_holds_one_customer_article_or_offer_a_line(tmp_path: Path) -> None:
    """Written by json's C encoder a record at a time (indent= is its slow pure-Python
    one), the file reads back as exactly the state, and stays readable."""
    path = tmp_path / "state.json"
    with SandboxServer(SandboxConfig(state_path=path, casing="pascal")) as server:
        api = Api(server)
        api.post([offer(ExternalId="första\nraden", CustomerNr="4416")])
        api.post([offer()])
        api.http.close()
        text = path.read_text(encoding="utf-8")
        assert json.loads(text) == server.state._doc
    assert document_text(json.loads(text)) == text  # one form, written again the same
    lines = text.splitlines()
    records = [line.strip().rstrip(",") for line in lines if line.startswith("    ")]
    doc = json.loads(text)
    assert len(records) == len(doc["customers"]) + len(doc["products"]) + len(doc["offers"])
    assert [json.loads(r) for r in records] == doc["customers"] + doc["products"] + doc["offers"]
    assert "första\\nraden" in text  # escaped only as JSON must: ö stays ö


def test_stop_wakes_the_serving_loop_instead_of_waiting_for_its_poll(tmp_path: Path) -> None:
    """shutdown() ends a loop whose select would otherwise wait an hour."""
    with SandboxServer(SandboxConfig(state_path=tmp_path / "s.json")) as server:
        url = server.url
    app = SandboxApp(SandboxConfig(), SandboxState.open(None))
    httpd = _HTTPServer(("127.0.0.1", 0), app, socket.AF_INET)
    loop = threading.Thread(target=httpd.serve_forever, args=(3600,), daemon=True)
    loop.start()
    with httpx.Client(trust_env=False) as http:  # it serves
        port = httpd.server_port
        assert http.get(f"http://127.0.0.1:{port}/Login/Health").status_code == 200
    # from a thread of its own: a shutdown that waited for the poll would hang the test run
    stopper = threading.Thread(target=httpd.shutdown, daemon=True)
    stopper.start()
    stopper.join(timeout=60)  # the poll is an hour: only the wake-up ends it in time
    assert not stopper.is_alive()
    loop.join(timeout=60)  # shutdown() returned: the loop has ended
    assert not loop.is_alive()
    httpd.server_close()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/Login/Health", trust_env=False)  # the context manager's stop stopped it


@pytest.mark.parametrize("content", ["{not json", "[]", '{"format": 1}'])
def test_corrupt_state_file_is_an_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "state.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SandboxStateError) as caught:
        SandboxServer(SandboxConfig(state_path=path))
    assert caught.value.path == path and str(path) in str(caught.value)
    assert path.read_text(encoding="utf-8") == content  # never silently reset


def test_seed_file_is_merged(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(
        json.dumps(
            {
                "customers": [{"CustomerNr": "8888", "Name": "Seedad AB"}],
                "products": [{"Number": "S1", "Name": "Seedad vara", "SalesPrice": 5}],
            }
        ),
        encoding="utf-8",
    )
    state = SandboxState.open(None, seed_path=seed)
    assert any(c["Name"] == "Seedad AB" for c in state.customers())
    product = state.product_by_number("S1")
    assert product is not None and product["SalesPrice"] == 5.0


def test_non_loopback_host_is_refused() -> None:
    with pytest.raises(ValueError):
        SandboxConfig(host="0.0.0.0")
    with pytest.raises(ValueError):
        SandboxConfig(host="example.com")


# ------------------------------------------------------------------ CLI


def test_the_banner_gives_the_practice_details_in_swedish(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    with SandboxServer(SandboxConfig(state_path=state)) as server:
        lines = banner(server, state, Faults(latency=0.5), "sv")
        url = server.url
    assert lines == [
        f"Övningsservern (sandlådan) körs på {url}",
        f"Tillståndsfil: {state}",
        "Övningsuppgifter (de fungerar bara här, aldrig i SoftOne GO):",
        "  Företagets API-nyckel (Company API key): sandbox-company-key",
        "  Connect-API-nyckel (Connect API key): sandbox-connect-key",
        "  Licens: SANDBOX",
        "  Användarnamn: demo",
        "  Lösenord: demo",
        f"Använd dem med `offer-converter setup --api-url {url}`, eller sätt variablerna "
        "SOFTONE_*; `upload --sandbox` behöver inga av dem.",
        "Simulerade fel: latency 0.5s",
        "Tryck Ctrl-C för att stoppa.",
    ]


def test_cli_help() -> None:
    result = CliRunner().invoke(sandbox_command, ["--help"])
    assert result.exit_code == 0
    for option in ("--port", "--state", "--throttle", "--drop-after-save", "--casing"):
        assert option in result.output


def test_cli_serves_prints_the_practice_details_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    code = "from converter.cli.sandbox import banner, sandbox_command; sandbox_command()"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    args = ["--port", "0", "--state", str(tmp_path / "s.json")]
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        banner = []
        for line in proc.stdout:
            banner.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        url = banner[0].split(" at ")[1].strip()
        creds = DEFAULT_CREDENTIALS
        params = {"companyApiKey": creds.company_api_key, "connectApiKey": creds.connect_api_key}
        body = {"License": creds.license, "UserName": creds.username, "Password": creds.password}
        login = httpx.post(f"{url}/Login/Token", params=params, json=body, trust_env=False)
        assert login.json()["token"]  # SoftOne GO's casing unless --casing pascal
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert [line.rstrip("\n") for line in banner] == [
        f"Practice server (sandbox) running at {url}",
        f"State file: {tmp_path / 's.json'}",
        "Practice details (they work only here, never in SoftOne GO):",
        "  Company API key: sandbox-company-key",
        "  Connect API key: sandbox-connect-key",
        "  License: SANDBOX",
        "  User name: demo",
        "  Password: demo",
        f"Use them with `offer-converter setup --api-url {url}`, or set the SOFTONE_* variables; "
        "`upload --sandbox` needs none of them.",
        "Faults: none",
        "Press Ctrl-C to stop.",
    ]
    assert out.strip().splitlines()[-1] == "Practice server stopped."
    assert (tmp_path / "s.json").exists()
