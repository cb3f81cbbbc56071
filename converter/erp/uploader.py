"""Upload mapped offers, exactly once each.

For each offer the uploader decides, from the workbook's own upload record,
the local journal and the Offertnr cell, whether to create, update, skip or
recover it, then talks to SoftOne GO through :class:`~converter.erp.client.SoftOneClient`.

The rules that keep an offer from being created twice:

- every create carries an ``ExternalId`` that is recorded in the journal
  (*pending*) before the POST;
- a reply that never came (timeout, dropped connection, 5xx) is followed by an
  ExternalId lookup, and the offer is sent again only if SoftOne GO does not
  have it;
- a pending entry left by a killed run is looked up the same way first.

And the rules that keep it from saying more than SoftOne GO holds
(:mod:`converter.erp.guard`, called at the places marked "guard"): the customer
and articles are looked up before a send, every saved offer is read back, a
changed Kundnr or a copy of another workbook is never an update, and an
update SoftOne GO refused because the offer is ordered, invoiced or closed
says so.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from converter.erp.client import OutcomeUnknown, SoftOneClient
from converter.erp.guard import Guard, OfferState, Shown, copy_changed, customer_changed
from converter.erp.journal import Journal
from converter.erp.readback import Differences, unverified
from converter.erp.redact import redact
from converter.errors import AuthError, LookupFailed, UploadError
from converter.i18n import Lang, render
from converter.model.api import OperationResult
from converter.model.mapped import MappedOffer

if TYPE_CHECKING:
    from converter.model.records import UploadRecord

log = logging.getLogger(__name__)

UploadStatus = Literal["created", "updated", "skipped", "failed"]
# fields that identify an offer in SoftOne GO rather than describe it
_IDENTITY_FIELDS = ("ExternalId", "InvoiceId", "CustomerInvoiceNr")


def fingerprint(body: dict[str, Any]) -> str:
    """A hash of what an offer says, to tell an unchanged offer from a changed one."""
    content = {k: v for k, v in body.items() if k not in _IDENTITY_FIELDS}
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_external_id() -> str:
    """A fresh ExternalId for an offer that SoftOne GO has never seen."""
    return f"offer-converter:{uuid.uuid4()}"


@dataclass
class OfferResult:
    """What happened to one offer, and what the next run and the write-back need."""

    offer: MappedOffer
    status: UploadStatus
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    offer_nr: str | None = None
    invoice_id: int | None = None
    external_id: str | None = None
    fingerprint: str | None = None
    needs_writeback: bool = True

    def message(self, lang: Lang = "en") -> str:
        """The outcome in the user's words."""
        return render(self.code, lang, **self.params)


@dataclass(frozen=True)
class _Known:
    external_id: str
    invoice_id: int
    offer_nr: str
    fingerprint: str
    written_back: bool
    customer_nr: str = ""


class Uploader:
    """Creates, updates or skips offers at one target, recording each step in the journal."""

    def __init__(
        self,
        client: SoftOneClient,
        journal: Journal,
        target: str,
        max_sends: int = 3,
        settle_seconds: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
        guard: Guard | None = None,
    ) -> None:
        self.client = client
        self.journal = journal
        self.target = target
        self.max_sends = max_sends
        self.guard = guard if guard is not None else Guard(client)
        # A request that timed out may still be running on the server: wait this long
        # before asking whether it arrived (default: the client's read timeout).
        read_timeout = client.http.timeout.read
        if settle_seconds is None:
            settle_seconds = read_timeout if read_timeout is not None else 5.0
        self.settle_seconds = settle_seconds
        self._sleep = sleep

    def upload(
        self,
        offer: MappedOffer,
        record: UploadRecord | None,
        external_id: str | None = None,
        copy_of: Path | None = None,
    ) -> OfferResult:
        """Bring one offer into SoftOne GO; :class:`AuthError` stops the whole run.

        ``external_id`` names a new offer (a migration derives it from the legacy
        offer number, so a re-run or a duplicate is recognised); None: a fresh one.
        ``copy_of`` names the workbook whose upload record this one carries
        (:func:`~converter.erp.guard.original_of`): it is a copy, never an update.
        """
        if offer.request is None or not offer.ok:
            errors = [p for p in offer.problems if p.severity == "error"]
            return OfferResult(offer, "failed", "upload_not_valid", {"count": len(errors)})
        body = offer.request.body()
        fp = fingerprint(body)
        try:
            return self._upload(offer, body, fp, record, external_id, copy_of)
        except AuthError:
            raise
        except LookupFailed as exc:  # guard: nothing is sent unchecked
            return OfferResult(offer, "failed", "upload_not_checked", {"reason": exc})
        except UploadError as exc:
            # the journal keeps any pending create: the next run asks before sending again
            return OfferResult(offer, "failed", "upload_error", {"reason": exc})

    def _upload(
        self,
        offer: MappedOffer,
        body: dict[str, Any],
        fp: str,
        record: UploadRecord | None,
        external_id: str | None,
        copy_of: Path | None = None,
    ) -> OfferResult:
        file = str(offer.file.resolve())
        entry = self.journal.get(self.target, file, offer.sheet)
        shown = offer.offer_nr_shown
        known: _Known | None = None
        if (
            record
            and record.invoice_id is not None
            and record.offer_nr
            and shown == record.offer_nr
        ):
            known = _Known(
                record.external_id,
                record.invoice_id,
                record.offer_nr,
                record.fingerprint,
                True,
                record.customer_nr,
            )
        elif (
            entry
            and entry.state == "done"
            and entry.invoice_id is not None
            and entry.offer_nr
            and not entry.written_back
            and shown in (None, entry.offer_nr)
        ):
            known = _Known(
                entry.external_id,
                entry.invoice_id,
                entry.offer_nr,
                entry.fingerprint,
                False,
                entry.customer_nr,
            )
        elif entry and entry.state == "pending" and not shown:
            return self._create(offer, body, fp, entry.external_id, check_first=True)
        if known is None:
            if shown:
                return OfferResult(
                    offer,
                    "failed",
                    "upload_offer_nr_unknown",
                    {"offer_nr": shown},
                    needs_writeback=False,
                )
            external_id = external_id or new_external_id()
            return self._create(offer, body, fp, external_id, check_first=False)
        if (stop := self._not_this_offer(offer, fp, known, copy_of)) is not None:
            return stop  # guard: a new customer, or a copy of another workbook
        if known.fingerprint == fp:
            self._done(offer, known.external_id, fp, known.invoice_id, known.offer_nr)
            return OfferResult(
                offer,
                "skipped",
                "upload_skipped",
                {"offer_nr": known.offer_nr},
                offer_nr=known.offer_nr,
                invoice_id=known.invoice_id,
                external_id=known.external_id,
                fingerprint=fp,
                needs_writeback=not known.written_back,
            )
        return self._update(offer, body, fp, known)

    # -- guard: the checks around each send (converter.erp.guard) -------------------------

    def _not_this_offer(
        self, offer: MappedOffer, fp: str, known: _Known, copy_of: Path | None
    ) -> OfferResult | None:
        """Why an offer that carries an upload record must not update that offer, or None.

        An unchanged copy is skipped and named a copy; it never takes the
        journal entry over from its original.
        """
        problem = customer_changed(offer, known.offer_nr, known.customer_nr)
        if problem is None and copy_of is not None:
            if known.fingerprint == fp:
                return OfferResult(
                    offer,
                    "skipped",
                    "upload_skipped_copy",
                    {"offer_nr": known.offer_nr, "file": copy_of.name},
                    offer_nr=known.offer_nr,
                    invoice_id=known.invoice_id,
                    external_id=known.external_id,
                    fingerprint=fp,
                    needs_writeback=False,
                )
            problem = copy_changed(offer, known.offer_nr, copy_of)
        if problem is None:
            return None
        offer.problems.append(problem)
        return self._not_sent(offer)

    def _checked(self, offer: MappedOffer) -> OfferResult | None:
        """None when SoftOne GO has the offer's customer and articles; else why it is not sent."""
        offer.problems.extend(self.guard.check(offer))
        return None if offer.ok else self._not_sent(offer)

    def _not_sent(self, offer: MappedOffer) -> OfferResult:
        errors = [p for p in offer.problems if p.severity == "error"]
        if len(errors) == 1:
            return OfferResult(offer, "failed", "upload_not_sent", {"problem": Shown(errors[0])})
        return OfferResult(
            offer,
            "failed",
            "upload_not_sent_more",
            {"problem": Shown(errors[0]), "more": len(errors) - 1},
        )

    def _saved(
        self,
        offer: MappedOffer,
        external_id: str,
        fp: str,
        invoice_id: int,
        offer_nr: str,
        code: str,
        updated: bool,
    ) -> OfferResult:
        """Read a saved offer back, journal what SoftOne GO holds, and say so."""
        ids: dict[str, Any] = {
            "offer_nr": offer_nr,
            "invoice_id": invoice_id,
            "external_id": external_id,
        }
        try:
            verdict = self.guard.read_back(offer, invoice_id, fp)
        except UploadError as exc:
            # the offer exists: record it (as unverified, so the next run checks it again)
            self._done(offer, external_id, unverified(fp), invoice_id, offer_nr)
            if isinstance(exc, AuthError):
                raise
            params = {"offer_nr": offer_nr, "reason": exc}
            return OfferResult(
                offer, "failed", "readback_failed", params, fingerprint=unverified(fp), **ids
            )
        self._done(offer, external_id, verdict.fingerprint, invoice_id, offer_nr)
        ids["fingerprint"] = verdict.fingerprint
        customer = self.guard.customer_label(offer.customer_nr)
        if not verdict.ok:
            params = {
                "offer_nr": offer_nr,
                "customer": customer,
                "differences": Differences(verdict.differences),
            }
            return OfferResult(offer, "failed", verdict.failure_code(updated), params, **ids)
        if updated:
            params = {"offer_nr": offer_nr, "invoice_id": invoice_id}
            return OfferResult(offer, "updated", code, params, **ids)
        params = {
            "offer_nr": offer_nr,
            "customer": customer,
            "rows": offer.row_count,
            "total": offer.total,
        }
        return OfferResult(offer, "created", code, params, **ids)

    # -- the journal and the requests ------------------------------------------------------

    def _done(
        self, offer: MappedOffer, external_id: str, fp: str, invoice_id: int, offer_nr: str
    ) -> None:
        self.journal.done(
            self.target,
            str(offer.file.resolve()),
            offer.sheet,
            external_id,
            fp,
            offer.customer_nr or "",
            invoice_id,
            offer_nr,
        )

    def _created(
        self,
        offer: MappedOffer,
        external_id: str,
        fp: str,
        invoice_id: int,
        offer_nr: str,
        code: str,
    ) -> OfferResult:
        return self._saved(offer, external_id, fp, invoice_id, offer_nr, code, updated=False)

    def _find(self, external_id: str) -> tuple[int, str] | None:
        """The key and number of the offer carrying ``external_id``, if SoftOne GO has one."""
        ids = self.client.find_offer_ids(external_id)
        if not ids:
            return None
        number = self.client.offer_number(ids[0])
        if number is None:
            raise UploadError("found_without_number")
        return ids[0], number

    def _settle_and_find(self, external_id: str, checks: int = 2) -> tuple[int, str] | None:
        """Look the offer up after giving a possibly still running request time to finish.

        An immediate lookup could miss an offer whose request is still being
        processed, and a resend would then duplicate it.
        """
        for _ in range(checks):
            self._sleep(self.settle_seconds)
            if found := self._find(external_id):
                return found
        return None

    def _create(
        self, offer: MappedOffer, body: dict[str, Any], fp: str, external_id: str, check_first: bool
    ) -> OfferResult:
        if check_first and (found := self._find(external_id)):
            log.info("offer on sheet %s was created by an interrupted run", offer.sheet)
            return self._created(offer, external_id, fp, *found, code="upload_recovered")
        if (stop := self._checked(offer)) is not None:
            return stop  # guard: SoftOne GO would book it otherwise than the sheet says
        file = str(offer.file.resolve())
        self.journal.begin(self.target, file, offer.sheet, external_id, fp, offer.customer_nr or "")
        payload = {**body, "ExternalId": external_id}
        for _ in range(self.max_sends):
            try:
                result = self.client.post_offer(payload)
            except OutcomeUnknown as exc:
                log.info("no answer to the create (%s); looking it up", exc)
                if found := self._settle_and_find(external_id):
                    return self._created(offer, external_id, fp, *found, code="upload_created")
                continue  # SoftOne GO does not have it: sending again cannot duplicate it
            if result.success:
                key, number = _key_and_number(result)
                if key is None or number is None:
                    if found := self._find(external_id):
                        return self._created(offer, external_id, fp, *found, code="upload_created")
                    raise UploadError("saved_without_number")
                return self._created(offer, external_id, fp, key, number, code="upload_created")
            self.journal.forget(self.target, file, offer.sheet)
            return self._refused(offer, result)
        raise UploadError("no_answer", tries=self.max_sends)

    def _update(
        self, offer: MappedOffer, body: dict[str, Any], fp: str, known: _Known
    ) -> OfferResult:
        if (stop := self._checked(offer)) is not None:
            return stop  # guard
        payload = {
            **body,
            "ExternalId": known.external_id,
            "InvoiceId": known.invoice_id,
            "CustomerInvoiceNr": known.offer_nr,
        }
        for _ in range(self.max_sends):
            try:
                result = self.client.post_offer(payload)
            except OutcomeUnknown as exc:
                # an update names its offer by InvoiceId, so sending it again is safe
                log.info("no answer to the update (%s); sending it again", exc)
                continue
            if not result.success:
                if (status := self.guard.locked_status(known.invoice_id)) is not None:
                    params = {"offer_nr": known.offer_nr, "state": OfferState(status)}
                    return OfferResult(offer, "failed", "update_not_editable", params)  # guard
                return self._refused(offer, result)
            return self._saved(
                offer,
                known.external_id,
                fp,
                known.invoice_id,
                known.offer_nr,
                "upload_updated",
                updated=True,
            )
        raise UploadError("no_answer", tries=self.max_sends)

    def _refused(self, offer: MappedOffer, result: OperationResult) -> OfferResult:
        reason = redact(result.error_message or f"error {result.error_number}")
        return OfferResult(
            offer,
            "failed",
            "upload_refused",
            {"sheet": offer.sheet, "customer": offer.customer_nr or "?", "reason": reason},
        )


def _key_and_number(result: OperationResult) -> tuple[int | None, str | None]:
    key = result.keys[0] if result.keys else None
    number = result.strings[0] if result.strings else None
    return key, number
