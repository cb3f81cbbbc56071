"""Pydantic models of the SoftOne GO API, mirroring ../shared/spec exactly.

Request models (:class:`Offer`, :class:`InvoiceRow`) carry every documented
input field under its PascalCase name; ``None`` fields are left out of the
body. Response models accept PascalCase and camelCase keys, because the server
may send either (api-notes.md).

Deliberately absent: ``CustomerInvoiceHeadId`` (api-notes: it does not exist
on the input object; updates use ``InvoiceId``). ``BillingType`` is added: the
vendor's own offer example sends it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AliasChoices,
    AliasGenerator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
)
from pydantic.alias_generators import to_camel, to_pascal


def json_number(value: Decimal) -> int | float:
    """A decimal as a JSON number: 3 when integral, else 2.5."""
    # JSON has no decimal type; an integral value goes out as 3, others as 2.5
    return int(value) if value == value.to_integral_value() else float(value)


Number = Annotated[Decimal, PlainSerializer(json_number, return_type=int | float)]

ROW_TYPE_PRODUCT = 2
ROW_TYPE_TEXT = 3


class _Request(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_pascal, populate_by_name=True, extra="forbid", frozen=True
    )


class InvoiceRow(_Request):
    """One element of ``InvoiceRows``: a product row (2) or a text row (3)."""

    customer_row_type: int
    row_nr: int
    product_nr: str | None = None
    quantity: Number | None = None
    amount: Number | None = None  # the price of ONE unit (api-notes)
    text: str | None = None
    account_sie_dim6: str | None = None
    customer_invoice_row_i_old: int | None = None
    customer_invoice_head_i_old: int | None = None
    invoice_row_id: int | None = None
    invoice_nr: str | None = None
    actor_company_id: int | None = None
    import_: bool | None = Field(None, alias="Import")
    type: str | None = None
    status: int | None = None
    source: int | None = None
    batch_id: str | None = None
    product_id: int | None = None
    product_group_id: int | None = None
    product_name: str | None = None
    product_name2: str | None = None
    unit_price: Number | None = None  # not used for pricing by the server
    discount: Number | None = None  # percent, 0..100
    unit: str | None = None
    vat_rate: Number | None = None  # percent: 25, 12, 6, 0
    account_nr: str | None = None
    purchase_price: Number | None = None
    vat_amount: Number | None = None
    sum_amount: Number | None = None
    error_message: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    external_id: str | None = None
    category_ids: list[int] | None = None
    is_read_only: bool | None = None


class Offer(_Request):
    """One element of the body of ``POST Economy/Billing/Offer``."""

    customer_nr: str
    invoice_date: date
    origin_type: int
    invoice_rows: list[InvoiceRow]
    registration_type: int
    billing_type: int
    auto_create_customer: bool | None = None
    invoice_id: int | None = None
    customer_invoice_nr: str | None = None
    seq_nr: int | None = None
    ocr: str | None = Field(None, alias="OCR")
    actor_company_id: int | None = None
    import_: bool | None = Field(None, alias="Import")
    type: int | None = None
    status: int | None = None
    source: int | None = None
    origin_status: int | None = None
    batch_id: str | None = None
    price_list_type_id: int | None = None
    payment_condition: str | None = None
    payment_condition_id: int | None = None
    delivery_condition: str | None = None
    delivery_condition_id: int | None = None
    delivery_type: str | None = None
    delivery_type_id: int | None = None
    customer_id: int | None = None
    customer_external_nr: str | None = None
    customer_name: str | None = None
    customer_orgnr: str | None = None
    due_date: date | None = None
    delivery_date: date | None = None
    voucher_date: date | None = None
    reference_our: str | None = None
    reference_your: str | None = None
    order_date: date | None = None
    currency: str | None = None
    note: str | None = None
    error_message: str | None = None
    created: datetime | None = None
    created_by: str | None = None
    modified: datetime | None = None
    modified_by: str | None = None
    external_id: str | None = None
    order_nr: str | None = None
    order_type: int | None = None

    def body(self) -> dict[str, Any]:
        """This offer as one element of the request body: PascalCase, no empty fields."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class _Response(BaseModel):
    model_config = ConfigDict(
        alias_generator=AliasGenerator(
            validation_alias=lambda name: AliasChoices(to_pascal(name), to_camel(name)),
            serialization_alias=to_pascal,
        ),
        populate_by_name=True,
        extra="ignore",
    )


class OperationResult(_Response):
    """The operation-result object every save returns (spec section 3.1)."""

    success: bool = False
    success_number: int | None = 0
    error_number: int | None = 0
    error_message: str | None = None
    info_message: str | None = None
    can_user_override: bool | None = False
    integer_value: int | None = 0
    integer_value2: int | None = 0
    decimal_value: float | None = 0.0
    string_value: str | None = None
    boolean_value: bool | None = False
    boolean_value2: bool | None = False
    date_time_value: str | None = None
    value: Any = None
    value2: Any = None
    dates: list[str] | None = None
    keys: list[int] | None = None
    strings: list[str] | None = None
    id_dict: Any = None
    int_dict: Any = None
    int_dict2: Any = None
    str_dict: Any = None
    str_dict2: Any = None
    str_int_list_dict: Any = None
    objects_affected: int | None = 0
    stack_trace: str | None = None
    exception: str | None = None
    modified: str | None = None
    modified_by: str | None = None


class LoginReply(_Response):
    """The reply of ``Login/Token``: a token, or none and a message saying why."""

    token: str | None = None
    message: str | None = None


# The look-ups below are outside the vendor document: api-notes.md ("More from
# the server code") names their fields. Numbers the server may send as JSON
# numbers (an article or customer number) are read as text.


class _Lookup(_Response):
    model_config = ConfigDict(coerce_numbers_to_str=True)


class ProductReply(_Lookup):
    """One article, as ``GET Economy/Billing/Product?number=`` answers.

    For a number SoftOne GO does not know it answers an empty article: no
    ``number`` and no ``productId``.
    """

    product_id: int | None = None
    number: str | None = None
    name: str | None = None
    description: str | None = None
    unit: str | None = None
    sales_price: Decimal | None = None
    state: int | None = None  # 0 active; anything else: not bookable

    @property
    def known(self) -> bool:
        """True when the reply is an article, not the empty one."""
        return bool(self.product_id) or bool(self.number)


class PriceReply(_Lookup):
    """One article's price for a customer, as ``POST Economy/Billing/Products/Price`` answers.

    ``error_message`` is set (and ``price`` 0) when SoftOne GO has no price
    for the article: never a price of 0 kr to put on a row.
    """

    product_id: int | None = None
    price: Decimal | None = None
    unit: str | None = None
    inclusive_vat: bool | None = None
    discount_percent: Decimal | None = None
    quantity: Decimal | None = None
    error_message: str | None = None


class CustomerReply(_Lookup):
    """One customer, as ``GET Economy/Customer/Customers`` lists them."""

    customer_id: int | None = None
    customer_nr: str | None = None
    name: str | None = None
    org_nr: str | None = None
    state: int | None = None
    discount_percent: Decimal | None = None


class OfferRowReply(_Lookup):
    """One row of a stored offer, as ``GET Economy/Billing/Offer`` shows it."""

    customer_row_type: int | None = None
    row_nr: int | None = None
    product_nr: str | None = None
    product_name: str | None = None
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None
    discount: Decimal | None = None
    unit: str | None = None
    sum_amount: Decimal | None = None
    text: str | None = None


class OfferReply(_Lookup):
    """A stored offer, as ``GET Economy/Billing/Offer?invoiceId=`` answers (``{}``: none)."""

    invoice_id: int | None = None
    customer_invoice_nr: str | None = None
    customer_nr: str | None = None
    status: int | None = None
    sum_amount: Decimal | None = None  # excluding VAT
    vat_amount: Decimal | None = None
    total_amount: Decimal | None = None
    invoice_rows: list[OfferRowReply] = Field(default_factory=list)
