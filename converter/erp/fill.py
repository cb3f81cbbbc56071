"""Fill an offer sheet from SoftOne GO before it is sent: names, units and the customer's prices.

A salesperson knows the article numbers and the quantities; the names, units
and prices live in SoftOne GO, and a row sent without a price gets 0 kr
(api-notes, "Articles and prices"). :func:`plan_sheet` decides, for one sheet,
what goes into which empty cell:

- the Kundnamn value cell (where the sheet has that label) ← the customer's name;
- per product row: Beskrivning ← the article's name, Enhet ← its unit, Pris ←
  this customer's price for the row's Antal (default 1, ``Products/Price``),
  Rabatt ← the discount SoftOne GO gives on that row (when it gives one).

A cell that holds something is never written (a formula neither); where it
differs from SoftOne GO (Pris, Enhet, Rabatt, Kundnamn) the plan says so as
information at that cell. An unknown or inactive Artikel is an error at its
cell, with the closest articles ``Products/Search`` finds.

Look-ups: one per customer and one per distinct article (``GET Product``,
several at a time, shared through :class:`~converter.erp.lookups.Lookups`),
and one ``Products/Price`` call per sheet that carries every row. Writing the
plan into the workbook is the write-back's job (:mod:`converter.pipeline`).
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from converter.erp.lookups import Article, Customer, Lookups, article_key
from converter.map.offer_sheet import GridRow, SheetLayout
from converter.map.values import CellValueError, display_text, plain, to_decimal, to_percent
from converter.model.api import PriceReply
from converter.model.cells import Cell, CellRef
from converter.model.mapped import Problem, Severity

FillField = Literal["Kundnamn", "Beskrivning", "Enhet", "Pris", "Rabatt"]
# look-ups in flight at once: enough to hide the latency, few enough for any server
LOOKUP_THREADS = 4
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class CellFill:
    """One empty cell and what goes into it."""

    ref: CellRef
    field: FillField
    value: str | Decimal  # a Rabatt in percent (10 = 10 %), whatever the cell's format


@dataclass(slots=True)
class SheetFill:
    """What the fill does on one sheet: the cells it fills and what needs a look."""

    file: Path
    sheet: str
    customer: Customer | None = None
    fills: list[CellFill] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # info: differences; else a look

    def note(self, severity: Severity, code: str, ref: CellRef | None, **params: Any) -> None:
        """Add a note at ``ref`` (or at the sheet)."""
        self.notes.append(Problem(severity, code, self.file, self.sheet, ref, params))

    @property
    def needs_a_look(self) -> list[Problem]:
        """The warnings and errors: rows and cells the salesperson must see to."""
        return [n for n in self.notes if n.severity != "info"]


def look_up_articles(lookups: Lookups, numbers: Iterable[str]) -> None:
    """Look every distinct article of ``numbers`` up, :data:`LOOKUP_THREADS` at a time.

    The answers stay in ``lookups`` (each number asked once); a look-up that
    fails raises :class:`~converter.errors.LookupFailed` here.
    """
    distinct = {article_key(n): n for n in numbers if n.strip()}
    if not distinct:
        return
    with ThreadPoolExecutor(max_workers=min(LOOKUP_THREADS, len(distinct))) as pool:
        for _ in pool.map(lookups.article, distinct.values()):
            pass  # map re-raises the first failure


def plan_sheet(layout: SheetLayout, lookups: Lookups) -> SheetFill:
    """Decide what :func:`fill` writes on one sheet, looking up what it needs.

    Raises :class:`~converter.errors.LookupFailed` when SoftOne GO can't
    answer a look-up: then nothing on the sheet is filled.
    """
    offer = layout.offer
    plan = SheetFill(offer.file, offer.sheet)
    if offer.offer_nr_shown:
        # an uploaded offer's rows can't be changed through the API (api-notes, "Updates")
        plan.note(
            "info", "fill_already_uploaded", offer.offer_nr_cell, offer_nr=offer.offer_nr_shown
        )
        return plan
    look_up_articles(lookups, [r.article for r in layout.product_rows if r.article])
    customer = _customer(plan, layout, lookups)
    priced: list[tuple[GridRow, Article, Decimal]] = []
    for row in layout.product_rows:
        article = _article(plan, row, lookups)
        if article is None:
            continue
        _fill_text(plan, layout, row, "Beskrivning", article.name)
        _fill_text(plan, layout, row, "Enhet", article.unit)
        if layout.place(row, "Pris") is None or customer is None:
            continue  # no customer: said once, at the Kundnr cell
        quantity = _quantity(plan, row)
        if quantity is None:
            continue
        if article.product_id is None:
            plan.note("warning", "fill_price_missing", row.article_cell, article=article.number)
            continue
        priced.append((row, article, quantity))
    if priced and customer is not None and customer.customer_id is not None:  # one call
        items = [(a.product_id or 0, q) for _, a, q in priced]
        replies = lookups.prices(customer.customer_id, items)
        for index, (row, article, quantity) in enumerate(priced):
            reply = _reply_for(replies, index, article, quantity)
            _fill_price(plan, layout, row, article, reply)
    return plan


def _reply_for(
    replies: list[PriceReply], index: int, article: Article, quantity: Decimal
) -> PriceReply | None:
    """The answer to the ``index``-th item asked: in the same place, else found by its
    article and quantity (the document promises no order)."""
    if index < len(replies) and replies[index].product_id in (None, article.product_id):
        return replies[index]
    return next(
        (
            r
            for r in replies
            if r.product_id == article.product_id and (r.quantity is None or r.quantity == quantity)
        ),
        None,
    )


def _customer(plan: SheetFill, layout: SheetLayout, lookups: Lookups) -> Customer | None:
    """The sheet's customer (its name into an empty Kundnamn cell), or None with a note."""
    offer = layout.offer
    if not offer.customer_nr:
        place = offer.customer_cell or layout.header_places.get("CustomerNr")
        plan.note("warning", "fill_no_customer", place)
        return None
    customer = lookups.customer(offer.customer_nr)
    if customer is None:
        plan.note("error", "fill_customer_unknown", offer.customer_cell, customer=offer.customer_nr)
        return None
    plan.customer = customer
    place = layout.header_places.get("CustomerName")
    name = customer.name or ""
    if place is None or not name:
        return customer
    shown = layout.header_cells.get("CustomerName")
    if shown is None:
        plan.fills.append(CellFill(place, "Kundnamn", name))
    elif shown.formula is None and _text(shown).casefold() != name.casefold():
        plan.note("info", "fill_name_differs", shown.ref, value=_text(shown), go=name)
    return customer


def _article(plan: SheetFill, row: GridRow, lookups: Lookups) -> Article | None:
    """The row's article, or None with an error (and suggestions) at its Artikel cell."""
    if not row.article:
        return None  # the mapper's problem (unreadable, or a formula without a value)
    article = lookups.article(row.article)
    if article is None:
        found = lookups.suggestions(row.article)
        if found:
            shown = ", ".join(f"{a.number} {a.name or ''}".strip() for a in found)
            plan.note(
                "error", "fill_article_suggest", row.article_cell, article=row.article, close=shown
            )
        else:
            plan.note("error", "fill_article_unknown", row.article_cell, article=row.article)
        return None
    if not article.active:
        plan.note("error", "fill_article_inactive", row.article_cell, article=row.article)
        return None
    return article


def _fill_text(
    plan: SheetFill,
    layout: SheetLayout,
    row: GridRow,
    column: Literal["Beskrivning", "Enhet"],
    value: str | None,
) -> None:
    """An empty Beskrivning or Enhet gets ``value``; a different Enhet is noted."""
    place = layout.place(row, column)
    if place is None or not value:
        return
    cell = row.cells.get(column)
    if cell is None:
        plan.fills.append(CellFill(place, column, value))
    elif column == "Enhet" and cell.formula is None and _text(cell).casefold() != value.casefold():
        plan.note("info", "fill_unit_differs", cell.ref, value=_text(cell), go=value)


def _quantity(plan: SheetFill, row: GridRow) -> Decimal | None:
    """The row's Antal for its price (1 when empty); None, noted, when it can't be read."""
    if "Antal" not in row.cells:
        return Decimal(1)
    if row.quantity is not None:
        # a unit's price does not depend on the sign: a credit row (-2) costs what 2 do
        return abs(row.quantity) if row.quantity else Decimal(1)
    if "Pris" not in row.cells:  # only a Pris to fill needs the quantity
        cell = row.cells["Antal"]
        plan.note("warning", "fill_quantity_unreadable", cell.ref, value=_text(cell))
    return None


def _fill_price(
    plan: SheetFill, layout: SheetLayout, row: GridRow, article: Article, reply: PriceReply | None
) -> None:
    """Pris (and Rabatt) from the customer's price, or a note where they differ."""
    if reply is None or reply.error_message or reply.price is None:
        if "Pris" in row.cells:
            return  # the salesperson's price stands
        place = layout.place(row, "Pris")
        reason = reply.error_message if reply is not None else None
        if reason:
            code, params = "fill_price_missing_reason", {"reason": reason}
        else:
            code, params = "fill_price_missing", {}
        plan.note("warning", code, place, article=article.number, **params)
        return
    price = reply.price
    discount = reply.discount_percent or Decimal(0)
    pris = row.cells.get("Pris")
    place = layout.place(row, "Pris")
    assert place is not None  # rows without a Pris column are not priced
    if pris is None:
        plan.fills.append(CellFill(place, "Pris", price))
    elif pris.formula is None:
        typed = _number(pris)
        if typed is not None and typed.quantize(_CENT) != price.quantize(_CENT):
            code = "fill_price_below" if typed < price else "fill_price_above"
            plan.note("info", code, pris.ref, value=typed, go=price, article=article.number)
    rabatt_place = layout.place(row, "Rabatt")
    rabatt = row.cells.get("Rabatt")
    if rabatt_place is None:
        return
    if rabatt is None:
        if discount > 0:
            plan.fills.append(CellFill(rabatt_place, "Rabatt", discount))
    elif rabatt.formula is None:
        typed_discount = _percent(rabatt)
        if typed_discount is not None and typed_discount != discount:
            plan.note(
                "info", "fill_discount_differs", rabatt.ref, value=_plain(typed_discount),
                go=_plain(discount),
            )  # fmt: skip


def _text(cell: Cell) -> str:
    return display_text(cell.value, cell.number_format).strip()


def _number(cell: Cell) -> Decimal | None:
    try:
        return to_decimal(cell.value)
    except CellValueError:
        return None


def _percent(cell: Cell) -> Decimal | None:
    try:
        return to_percent(cell.value, cell.number_format)
    except CellValueError:
        return None


def _plain(number: Decimal) -> str:
    """A percentage for a message: 10, 12.5, never 10.00."""
    return format(plain(number), "f")
