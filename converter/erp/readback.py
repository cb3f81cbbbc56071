"""Read an offer back after it was saved, and say where SoftOne GO's differs from the sheet.

A save that answers "success" is not proof that SoftOne GO holds what was
sent (api-notes.md, "More from the server code"): an unknown article becomes
the miscellaneous one, an update keeps the rows of an offer that has rows,
an empty Rabatt takes the customer's default discount. So after each create
or update the offer is fetched (``GET Economy/Billing/Offer?invoiceId=``) and
:func:`compare` lists every difference in the number of rows, in each row's
article, Antal, Pris, Rabatt, Enhet and text, and in the total, in the user's words
and language.

What the journal keeps for an offer that differs is :func:`held_fingerprint`,
a fingerprint of what SoftOne GO holds, which no sheet's fingerprint equals:
a later run never calls such an offer "unchanged".
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from converter.i18n import Lang, render
from converter.model.api import (
    ROW_TYPE_PRODUCT,
    ROW_TYPE_TEXT,
    InvoiceRow,
    Offer,
    OfferReply,
    OfferRowReply,
)

MONEY_TOLERANCE = Decimal("0.005")  # SoftOne GO keeps amounts in öre
TOTAL_TOLERANCE = Decimal("0.011")  # rows are rounded one by one
NUMBER_TOLERANCE = Decimal("0.0001")  # Antal and Rabatt
SHOWN_DIFFERENCES = 5  # in one message; the rest are counted
TEXT_SHOWN = 40  # characters of a row text in a message
_CENT = Decimal("0.01")
# what the journal keeps for an offer whose read-back failed: no sheet matches it
UNVERIFIED = "unverified:"
HELD = "go:"


class Number:
    """A quantity or percentage as the user's language writes it: ``2,5`` or ``2.5``."""

    def __init__(self, value: Decimal) -> None:
        self.value = value

    def message(self, lang: Lang = "en") -> str:
        """The number without trailing zeros, with a decimal comma in Swedish."""
        text = format(self.value.normalize(), "f") if self.value == self.value else str(self.value)
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.replace(".", ",") if lang == "sv" else text

    def __str__(self) -> str:
        return self.message("en")


@dataclass(frozen=True)
class Difference:
    """One way SoftOne GO's offer differs from the sheet."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    in_rows: bool = True  # False: only the total differs

    def message(self, lang: Lang = "en") -> str:
        """The difference in the user's words."""
        return render(self.code, lang, **self.params)


@dataclass(frozen=True)
class Differences:
    """Every difference of one offer, shown as one text (the first few, then a count)."""

    items: tuple[Difference, ...]

    def message(self, lang: Lang = "en") -> str:
        """``Rad 3: SoftOne GO har 2 × A14, arket säger 3; …``."""
        shown = "; ".join(d.message(lang) for d in self.items[:SHOWN_DIFFERENCES])
        more = len(self.items) - SHOWN_DIFFERENCES
        return render("diff_more", lang, shown=shown, more=more) if more > 0 else shown

    def __str__(self) -> str:
        return self.message("en")

    @property
    def in_rows(self) -> bool:
        """True when a row differs (not only the total)."""
        return any(d.in_rows for d in self.items)


def _dec(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal(0)


def _money(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def _cut(text: str) -> str:
    return text if len(text) <= TEXT_SHOWN else text[: TEXT_SHOWN - 1] + "…"


def _is_text_row(row: OfferRowReply) -> bool:
    return row.customer_row_type == ROW_TYPE_TEXT or (
        row.customer_row_type is None and not row.product_nr
    )


def compare(
    sent: Offer, stored: OfferReply | None, customer_discount: Decimal = Decimal(0)
) -> list[Difference]:
    """Every difference between the offer as sent (what the sheet says) and as stored.

    Rows are paired in order of their RowNr. A row the sheet leaves without
    Rabatt gets the customer's default discount (``customer_discount``) in
    SoftOne GO; one that shows 0 there is also accepted. The total compared is
    SoftOne GO's sum excluding VAT against the rows' Antal × Pris × (1 − Rabatt).
    """
    if stored is None:
        return [Difference("diff_missing")]
    ours = sorted(sent.invoice_rows, key=lambda r: r.row_nr)
    theirs = sorted(stored.invoice_rows, key=lambda r: (r.row_nr is None, r.row_nr or 0))
    found: list[Difference] = []
    if len(ours) != len(theirs):
        found.append(Difference("diff_row_count", {"go": len(theirs), "sheet": len(ours)}))
    expected_total = Decimal(0)
    for row in ours:
        if row.customer_row_type == ROW_TYPE_PRODUCT:
            discount = row.discount if row.discount else customer_discount
            price = _dec(row.amount) * _dec(row.quantity) * (1 - discount / 100)
            expected_total += _money(price)
    for mine, held in zip(ours, theirs, strict=False):
        found += _compare_row(mine, held, customer_discount)
    if stored.sum_amount is not None and abs(stored.sum_amount - expected_total) > TOTAL_TOLERANCE:
        found.append(
            Difference(
                "diff_total",
                {"go": _money(stored.sum_amount), "sheet": _money(expected_total)},
                in_rows=False,
            )
        )
    return found


def _compare_row(
    mine: InvoiceRow, held: OfferRowReply, customer_discount: Decimal
) -> list[Difference]:
    rad = mine.row_nr
    if mine.customer_row_type != ROW_TYPE_PRODUCT:
        if not _is_text_row(held):
            return [Difference("diff_go_article_row", {"row": rad, "go": held.product_nr or "?"})]
        if _text(held.text) != _text(mine.text):
            return [_text_difference(rad, held.text, mine.text)]
        return []
    article = mine.product_nr or "?"
    if _is_text_row(held):
        return [Difference("diff_go_text_row", {"row": rad, "sheet": article})]
    found: list[Difference] = []
    if (held.product_nr or "").strip().casefold() != article.strip().casefold():
        go = held.product_nr or "?"
        if held.product_name:
            go = f"{go} ({held.product_name})"
        found.append(Difference("diff_article", {"row": rad, "go": go, "sheet": article}))
    quantity = _dec(held.quantity)
    if abs(quantity - _dec(mine.quantity)) > NUMBER_TOLERANCE:
        found.append(
            Difference(
                "diff_quantity",
                {
                    "row": rad,
                    "article": article,
                    "go": Number(quantity),
                    "sheet": Number(_dec(mine.quantity)),
                },
            )
        )
    price = held.unit_price if held.unit_price is not None else held.amount
    if abs(_dec(price) - _dec(mine.amount)) > MONEY_TOLERANCE:
        found.append(
            Difference(
                "diff_price",
                {"row": rad, "article": article, "go": _dec(price), "sheet": _dec(mine.amount)},
            )
        )
    wanted = mine.discount if mine.discount else customer_discount
    accepted = {wanted} if mine.discount else {wanted, Decimal(0)}
    discount = _dec(held.discount)
    if all(abs(discount - a) > NUMBER_TOLERANCE for a in accepted):
        found.append(
            Difference(
                "diff_discount",
                {"row": rad, "article": article, "go": Number(discount), "sheet": Number(wanted)},
            )
        )
    if mine.unit and _text(held.unit).casefold() != _text(mine.unit).casefold():
        found.append(
            Difference(
                "diff_unit",
                {"row": rad, "article": article, "go": held.unit or "-", "sheet": mine.unit},
            )
        )
    if _text(mine.text) and _text(held.text) != _text(mine.text):
        found.append(_text_difference(rad, held.text, mine.text))
    return found


def _text_difference(rad: int, go: str | None, sheet: str | None) -> Difference:
    return Difference("diff_text", {"row": rad, "go": _cut(_text(go)), "sheet": _cut(_text(sheet))})


def held_fingerprint(stored: OfferReply | None) -> str:
    """A fingerprint of what SoftOne GO holds, for the journal; no sheet's fingerprint equals it."""
    if stored is None:
        return HELD + "missing"
    content = {
        "rows": [
            [
                r.customer_row_type,
                r.row_nr,
                r.product_nr,
                str(r.quantity),
                str(r.unit_price),
                str(r.discount),
                r.text,
            ]
            for r in stored.invoice_rows
        ],
        "sum": str(stored.sum_amount),
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return HELD + hashlib.sha256(text.encode("utf-8")).hexdigest()


def unverified(fingerprint: str) -> str:
    """What the journal keeps when the read-back failed: the next run sends and checks again."""
    return UNVERIFIED + fingerprint
