"""What the uploader asks before and after it sends an offer, so it says only what
SoftOne GO really holds.

- **Before a create or an update**, :meth:`Guard.check` looks the customer and
  every article up (:mod:`converter.erp.lookups`).
- **After SoftOne GO saved it**, :meth:`Guard.read_back` fetches the offer and
  compares it with the sheet (:mod:`converter.erp.readback`).
- **Before an update**, :func:`customer_changed` and :func:`copy_changed`: a
  changed Kundnr is never an update, and neither is a copy of another
  workbook (Save As); :func:`original_of` tells a copy from a moved workbook.
- **When an update is refused**, :meth:`Guard.locked_status` tells whether the
  offer is no longer editable (ordered, invoiced, closed).

The uploader calls these at a few marked places; the rules live here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from converter.erp.client import SoftOneClient
from converter.erp.journal import Slot
from converter.erp.lookups import Lookups, UnknownArticles, check_offer
from converter.erp.readback import Difference, Differences, compare, held_fingerprint
from converter.erp.redact import server_text
from converter.errors import AuthError, UploadError
from converter.i18n import Lang, render
from converter.model.mapped import MappedOffer, Problem

if TYPE_CHECKING:
    from converter.erp.journal import Journal
    from converter.model.records import UploadRecord

# offer statuses named in the user's words (api-notes: "Statuses seen in the enum")
_STATUS_CODES = {42: "offer_state_ordered", 44: "offer_state_invoiced", 45: "offer_state_closed"}


@dataclass(frozen=True)
class CustomerLabel:
    """A customer as a result line names it: ``013 Berglunds AB`` (or ``Kundnr 013``)."""

    number: str
    name: str | None = None

    def message(self, lang: Lang = "en") -> str:
        """The number and name, or the number alone when the name is not known."""
        if self.name:
            return f"{self.number} {self.name}"
        return render("customer_nr_only", lang, customer=self.number)

    def __str__(self) -> str:
        return self.message("en")


@dataclass(frozen=True)
class OfferState:
    """An offer status in the user's words: ``ordered``, ``invoiced``, ``closed``."""

    status: int

    def message(self, lang: Lang = "en") -> str:
        """The status's name, or its number for one without a name."""
        code = _STATUS_CODES.get(self.status)
        if code is None:
            return render("offer_state_other", lang, status=self.status)
        return render(code, lang)

    def __str__(self) -> str:
        return self.message("en")


@dataclass(frozen=True)
class Shown:
    """A problem with its cell, as one text: ``Offert!B9: Artikel A99 finns inte …``."""

    problem: Problem

    def message(self, lang: Lang = "en") -> str:
        """The cell (when there is one) and the message."""
        return self.problem.located(lang)

    def __str__(self) -> str:
        return self.message("en")


@dataclass(frozen=True)
class Verdict:
    """What the read-back found, and the fingerprint the journal keeps for the offer."""

    fingerprint: str
    differences: tuple[Difference, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when SoftOne GO holds what the sheet says (or nothing was read back)."""
        return not self.differences

    def failure_code(self, updated: bool) -> str:
        """The result's message code when SoftOne GO holds something else."""
        if not updated:
            return "readback_created_differs"
        if Differences(self.differences).in_rows:
            return "readback_rows_kept"
        return "readback_updated_differs"


class Guard:
    """The checks around each send, for one target; shared by the upload threads."""

    def __init__(
        self,
        client: SoftOneClient,
        *,
        unknown_articles: UnknownArticles = "error",
        verify: bool = True,
        lookups: Lookups | None = None,
    ) -> None:
        self.client = client
        self.unknown_articles = unknown_articles
        self.verify = verify  # read every offer back after it is saved
        self.lookups = lookups or Lookups(client)

    def check(self, offer: MappedOffer) -> list[Problem]:
        """The problems SoftOne GO would hide; raises :class:`~converter.errors.LookupFailed`."""
        return check_offer(offer, self.lookups, self.unknown_articles)

    def customer_label(self, number: str | None) -> CustomerLabel:
        """The customer as the result line names it (from the look-ups; never asks)."""
        customer = self.lookups.known_customer(number or "")
        name = server_text(customer.name) if customer and customer.name else None
        return CustomerLabel(number or "?", name)

    def read_back(self, offer: MappedOffer, invoice_id: int, sent_fingerprint: str) -> Verdict:
        """Fetch the saved offer and compare it with the sheet; raises :class:`UploadError`."""
        if not self.verify or offer.request is None:
            return Verdict(sent_fingerprint)
        stored = self.client.read_offer(invoice_id)
        customer = self.lookups.known_customer(offer.customer_nr or "")
        discount = customer.discount if customer else Decimal(0)
        found = compare(offer.request, stored, discount)
        if not found:
            return Verdict(sent_fingerprint)
        return Verdict(held_fingerprint(stored), tuple(found))

    def locked_status(self, invoice_id: int) -> int | None:
        """The offer's status when it is one that refuses updates, else None (also when
        it can't be asked: the refusal is then shown as SoftOne GO worded it)."""
        try:
            stored = self.client.read_offer(invoice_id)
        except AuthError:
            raise
        except UploadError:
            return None
        if stored is None or stored.status not in self.client.endpoints.locked_statuses:
            return None
        return stored.status


def customer_changed(offer: MappedOffer, offer_nr: str, uploaded_for: str) -> Problem | None:
    """A problem at the Kundnr cell when the sheet's Kundnr is not the uploaded offer's.

    An offer can't move to another customer: the salesperson is making a new
    offer from an old one, and an update would overwrite the old one.
    """
    if not uploaded_for or (offer.customer_nr or "") == uploaded_for:
        return None
    return Problem(
        "error",
        "customer_changed",
        offer.file,
        sheet=offer.sheet,
        ref=offer.customer_cell,
        params={"offer_nr": offer_nr, "old": uploaded_for, "new": offer.customer_nr or "?"},
    )


def copy_changed(offer: MappedOffer, offer_nr: str, original: Path) -> Problem:
    """A problem at the Offertnr cell of a changed copy of another workbook's offer."""
    return Problem(
        "error",
        "copy_changed",
        offer.file,
        sheet=offer.sheet,
        ref=offer.offer_nr_cell,
        params={"offer_nr": offer_nr, "file": original.name},
    )


def original_of(
    journal: Journal,
    target: str,
    path: Path,
    sheet: str,
    record: UploadRecord,
    holds: Callable[[Path, str], bool],
) -> Path | None:
    """The workbook that ``path`` is a copy of, or None when ``path`` holds its own offer.

    A workbook carrying another file's upload record (Save As, a copy in
    another folder) is a copy while that file still exists and still holds
    the record (``holds(file, external_id)``) and was uploaded more recently
    than this one. A workbook that was moved (the original path no longer
    holds it) is the same offer.
    """
    if record.invoice_id is None:
        return None
    here = Slot.of(target, path, sheet)
    entries = [
        e
        for e in journal.find_external_id(target, record.external_id)
        if e.state == "done" and e.invoice_id == record.invoice_id
    ]
    mine = next((e for e in entries if e.slot == here), None)
    holders = [
        e
        for e in entries
        if e.file != here.file and Path(e.file).exists() and holds(Path(e.file), record.external_id)
    ]
    if not holders:
        return None
    latest = max(holders, key=lambda e: e.updated_at)
    if mine is not None and mine.updated_at >= latest.updated_at:
        return None  # this one was uploaded last: the other one is the copy
    return Path(latest.file)
