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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from converter.erp.client import OutcomeUnknown, SoftOneClient
from converter.erp.credentials import target_key
from converter.erp.guard import Guard, OfferState, Shown, copy_changed, customer_changed
from converter.erp.journal import Entry, Held, Journal, Slot
from converter.erp.readback import Differences, unverified
from converter.erp.redact import server_text
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
    """An offer SoftOne GO holds that this sheet is (from its record or the journal)."""

    held: Held
    written_back: bool  # its number is in the workbook already


@dataclass(frozen=True)
class Found:
    """What the ExternalId look-up found: the offer, and any others that carry the same
    ExternalId (a duplicate, made by a request the server committed late)."""

    invoice_id: int
    offer_nr: str
    others: tuple[tuple[int, str], ...] = ()


Action = Literal["fail", "skip", "update", "adopt", "create"]
# does the workbook at this path still carry the record of the offer with this ExternalId?
Holds = Callable[[Path, str], bool]


@dataclass(frozen=True)
class Plan:
    """What the uploader knows about one offer, and what it is going to do with it.

    ``action`` is one of: *fail* (``result`` says why, nothing is sent), *skip*
    (unchanged), *update* (``known``), *adopt* (the journal knows this content
    as an offer whose record the workbook lost: write its number back, send
    nothing) and *create* (with ``external_id``; ``check_first``: look the
    ExternalId up before posting, because a claim or an interrupted run may
    have sent it already).
    """

    offer: MappedOffer
    slot: Slot
    action: Action
    body: dict[str, Any] = field(default_factory=dict)
    fingerprint: str = ""
    known: _Known | None = None
    external_id: str | None = None
    check_first: bool = False
    copy_of: Path | None = None
    result: OfferResult | None = None  # action "fail": the result, already decided
    recognised: Entry | None = None  # action "adopt": the journal entry recognised


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
        # A request that timed out may still be running on the server: look for it during
        # this long before sending it again (default: the client's read timeout).
        read_timeout = client.http.timeout.read
        if settle_seconds is None:
            settle_seconds = read_timeout if read_timeout is not None else 5.0
        self.settle_seconds = settle_seconds
        self._sleep = sleep

    def speaks_of(self, target: str) -> bool:
        """True when ``target`` (a record's) names the SoftOne GO this uploader uploads to."""
        return target_key(target) == target_key(self.target)

    def slot(self, path: Path, sheet: str) -> Slot:
        """The journal's key for ``sheet`` of the workbook at ``path`` at this target."""
        return Slot.of(self.target, path, sheet)

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
        return self.carry_out(self.plan(offer, record, external_id, copy_of))

    # -- what do we know about this offer ------------------------------------------------

    def plan(
        self,
        offer: MappedOffer,
        record: UploadRecord | None,
        external_id: str | None = None,
        copy_of: Path | None = None,
        holds: Holds | None = None,
    ) -> Plan:
        """Decide, from the workbook's record, the journal and the Offertnr cell, what to
        do with ``offer``; sends nothing (the journal is only read).

        ``holds(file, external_id)`` tells whether another workbook still carries the
        record of an offer (None: never asked, so content from another workbook is
        never taken for that workbook's offer).
        """
        slot = self.slot(offer.file, offer.sheet)
        if offer.request is None or not offer.ok:
            errors = offer.errors
            failed = OfferResult(offer, "failed", "upload_not_valid", {"count": len(errors)})
            return Plan(offer, slot, "fail", result=failed)
        body = offer.request.body()
        fp = fingerprint(body)
        base = Plan(offer, slot, "fail", body=body, fingerprint=fp, copy_of=copy_of)
        entry = self.journal.get(slot)
        shown = offer.offer_nr_shown
        known: _Known | None = None
        confirmed = record is not None and record.invoice_id is not None and record.offer_nr
        if record and confirmed and shown == record.offer_nr:
            known = _Known(_held_of(record), True)
        elif (
            entry
            and (held := entry.held) is not None
            and not entry.written_back
            and shown in (None, held.offer_nr)
        ):
            known = _Known(held, False)
        elif entry and entry.state == "pending" and not shown:
            # an interrupted run sent it, or was about to
            return replace(base, action="create", external_id=entry.external_id,
                           check_first=True)  # fmt: skip
        elif record and record.invoice_id is None and not shown:
            # a claim written before a POST whose outcome this workbook never learnt
            return replace(base, action="create", external_id=record.external_id, check_first=True)
        elif record is None and (same := self._same_content(slot, fp, shown, holds)):
            return replace(base, action="adopt", recognised=same)
        if known is None:
            if shown:
                failed = OfferResult(
                    offer,
                    "failed",
                    "upload_offer_nr_unknown",
                    {"offer_nr": shown},
                    needs_writeback=False,
                )
                return replace(base, result=failed)
            return replace(base, action="create", external_id=external_id or new_external_id())
        if known.held.fingerprint == fp:
            return replace(base, action="skip", known=known)
        return replace(base, action="update", known=known)

    def _same_content(
        self, slot: Slot, fp: str, shown: str | None, holds: Holds | None
    ) -> Entry | None:
        """A done journal entry that sent this sheet's content, for a sheet whose workbook has
        no record of it: the same file (a stale copy saved over the written-back one), or
        another file whose write-back is still pending and that does not hold the offer
        itself (Save As or a move before the number was written in). Two workbooks that
        each hold their own offer are two offers, however alike."""
        for candidate in (fp, unverified(fp)):
            for entry in self.journal.find_content(slot.target, slot.sheet, candidate):
                held = entry.held
                if held is None or shown not in (None, held.offer_nr):
                    continue
                if entry.file == slot.file:
                    return entry
                if not entry.written_back and holds is not None:
                    if not holds(Path(entry.file), entry.external_id):
                        return entry
        return None

    # -- what do we do -------------------------------------------------------------------

    def carry_out(self, plan: Plan) -> OfferResult:
        """Do what ``plan`` says; :class:`AuthError` stops the whole run."""
        if plan.result is not None:
            return plan.result
        try:
            return self._carry_out(plan)
        except AuthError:
            raise
        except LookupFailed as exc:  # guard: nothing is sent unchecked
            return OfferResult(plan.offer, "failed", "upload_not_checked", {"reason": exc})
        except UploadError as exc:
            # the journal keeps any pending create: the next run asks before sending again
            return OfferResult(plan.offer, "failed", "upload_error", {"reason": exc})

    def _carry_out(self, plan: Plan) -> OfferResult:
        offer, fp = plan.offer, plan.fingerprint
        if plan.action == "create":
            assert plan.external_id is not None
            return self._create(plan, plan.external_id, plan.check_first)
        if plan.action == "adopt":
            assert plan.recognised is not None and plan.recognised.held is not None
            held = plan.recognised.held
            self._done(plan, held)
            log.info(
                "sheet %s of %s is offer %s by its content (uploaded from %s)",
                offer.sheet, offer.file.name, held.offer_nr, plan.recognised.file,
            )  # fmt: skip
            return OfferResult(
                offer,
                "skipped",
                "upload_recognised",
                {"offer_nr": held.offer_nr, "file": Path(plan.recognised.file).name},
                offer_nr=held.offer_nr,
                invoice_id=held.invoice_id,
                external_id=held.external_id,
                fingerprint=held.fingerprint,
            )
        known = plan.known
        assert known is not None
        if (stop := self._not_this_offer(offer, fp, known, plan.copy_of)) is not None:
            return stop  # guard: a new customer, or a copy of another workbook
        if plan.action == "skip":
            held = known.held
            self._done(plan, held)
            return OfferResult(
                offer,
                "skipped",
                "upload_skipped",
                {"offer_nr": held.offer_nr},
                offer_nr=held.offer_nr,
                invoice_id=held.invoice_id,
                external_id=held.external_id,
                fingerprint=fp,
                needs_writeback=not known.written_back,
            )
        return self._update(plan, known)

    # -- guard: the checks around each send (converter.erp.guard) -------------------------

    def _not_this_offer(
        self, offer: MappedOffer, fp: str, known: _Known, copy_of: Path | None
    ) -> OfferResult | None:
        """Why an offer that carries an upload record must not update that offer, or None.

        An unchanged copy is skipped and named a copy; it never takes the
        journal entry over from its original.
        """
        held = known.held
        problem = customer_changed(offer, held.offer_nr, held.customer_nr)
        if problem is None and copy_of is not None:
            if held.fingerprint == fp:
                return OfferResult(
                    offer,
                    "skipped",
                    "upload_skipped_copy",
                    {"offer_nr": held.offer_nr, "file": copy_of.name},
                    offer_nr=held.offer_nr,
                    invoice_id=held.invoice_id,
                    external_id=held.external_id,
                    fingerprint=fp,
                    needs_writeback=False,
                )
            problem = copy_changed(offer, held.offer_nr, copy_of)
        if problem is None:
            return None
        offer.problems.append(problem)
        return self._not_sent(offer)

    def _checked(self, offer: MappedOffer) -> OfferResult | None:
        """None when SoftOne GO has the offer's customer and articles; else why it is not sent."""
        offer.problems.extend(self.guard.check(offer))
        return None if offer.ok else self._not_sent(offer)

    def _not_sent(self, offer: MappedOffer) -> OfferResult:
        errors = offer.errors
        if len(errors) == 1:
            return OfferResult(offer, "failed", "upload_not_sent", {"problem": Shown(errors[0])})
        return OfferResult(
            offer,
            "failed",
            "upload_not_sent_more",
            {"problem": Shown(errors[0]), "more": len(errors) - 1},
        )

    def _saved(self, plan: Plan, held: Held, code: str, updated: bool) -> OfferResult:
        """Read a saved offer back, journal what SoftOne GO holds, and say so."""
        offer, fp = plan.offer, held.fingerprint
        ids: dict[str, Any] = {
            "offer_nr": held.offer_nr,
            "invoice_id": held.invoice_id,
            "external_id": held.external_id,
        }
        try:
            verdict = self.guard.read_back(offer, held.invoice_id, fp)
        except UploadError as exc:
            # the offer exists: record it (as unverified, so the next run checks it again)
            self._done(plan, replace(held, fingerprint=unverified(fp)))
            if isinstance(exc, AuthError):
                raise
            params = {"offer_nr": held.offer_nr, "reason": exc}
            return OfferResult(
                offer, "failed", "readback_failed", params, fingerprint=unverified(fp), **ids
            )
        self._done(plan, replace(held, fingerprint=verdict.fingerprint))
        ids["fingerprint"] = verdict.fingerprint
        customer = self.guard.customer_label(offer.customer_nr)
        if not verdict.ok:
            params = {
                "offer_nr": held.offer_nr,
                "customer": customer,
                "differences": Differences(verdict.differences),
            }
            return OfferResult(offer, "failed", verdict.failure_code(updated), params, **ids)
        if updated:
            params = {"offer_nr": held.offer_nr, "invoice_id": held.invoice_id}
            return OfferResult(offer, "updated", code, params, **ids)
        params = {
            "offer_nr": held.offer_nr,
            "customer": customer,
            "rows": offer.row_count,
            "total": offer.total,
        }
        return OfferResult(offer, "created", code, params, **ids)

    # -- the journal and the requests ------------------------------------------------------

    def _done(self, plan: Plan, held: Held) -> None:
        self.journal.done(plan.slot, held)

    def _created(self, plan: Plan, external_id: str, found: Found, code: str) -> OfferResult:
        held = Held(
            external_id,
            plan.fingerprint,
            plan.offer.customer_nr or "",
            found.invoice_id,
            found.offer_nr,
        )
        result = self._saved(plan, held, code, updated=False)
        if not found.others:
            return result
        # more than one offer carries this ExternalId: say so loudly, with every number
        numbers = ", ".join(n for _, n in found.others)
        log.warning(
            "DUPLICATE: SoftOne GO holds offers %s and %s with the ExternalId %s (sheet %s of %s)",
            found.offer_nr, numbers, external_id, plan.offer.sheet, plan.offer.file.name,
        )  # fmt: skip
        params = {"offer_nr": found.offer_nr, "others": numbers, "sheet": plan.offer.sheet}
        return replace(result, status="failed", code="upload_duplicate", params=params)

    def _find(self, external_id: str) -> Found | None:
        """The offer carrying ``external_id``, if SoftOne GO has one (the first one
        created, with the others when it has more than one)."""
        ids = sorted(set(self.client.find_offer_ids(external_id)))
        if not ids:
            return None
        numbered = []
        for invoice_id in ids:
            number = self.client.offer_number(invoice_id)
            if number is None:
                raise UploadError("found_without_number")
            numbered.append((invoice_id, number))
        (invoice_id, number), *others = numbered
        return Found(invoice_id, number, tuple(others))

    def _settle_and_find(self, external_id: str, answered: bool) -> Found | None:
        """Look the offer up after a request whose outcome is unknown.

        A request the server answered (a 500: it finished, saved or not) is looked
        up at once. One that got no answer may still be running: it is looked up at
        growing intervals during ``settle_seconds``, stopping as soon as it is found;
        only one that never appears in the whole window is reported as absent.
        """
        if answered and (found := self._find(external_id)):
            return found
        if answered:
            return None
        window = self.settle_seconds
        waited = 0.0
        step = max(window / 16, 0.01)
        while waited < window:
            pause = min(step, window - waited)
            self._sleep(pause)
            waited += pause
            step *= 2
            if found := self._find(external_id):
                return found
        return None

    def _create(self, plan: Plan, external_id: str, check_first: bool) -> OfferResult:
        offer = plan.offer
        if check_first and (found := self._find(external_id)):
            log.info("offer on sheet %s was created by an interrupted run", offer.sheet)
            return self._created(plan, external_id, found, code="upload_recovered")
        if (stop := self._checked(offer)) is not None:
            return stop  # guard: SoftOne GO would book it otherwise than the sheet says
        self.journal.begin(plan.slot, external_id, plan.fingerprint, offer.customer_nr or "")
        payload = {**plan.body, "ExternalId": external_id}
        unsure = False  # an earlier send of this payload may have been saved after all
        for _ in range(self.max_sends):
            try:
                result = self.client.post_offer(payload)
            except OutcomeUnknown as exc:
                log.info("no answer to the create (%s); looking it up", exc)
                answered = exc.code == "server_error" and exc.params.get("status") == 500
                if found := self._settle_and_find(external_id, answered):
                    return self._created(plan, external_id, found, code="upload_created")
                unsure = True
                continue  # SoftOne GO does not have it: sending again cannot duplicate it
            if result.success:
                key, number = _key_and_number(result)
                if key is None or number is None or unsure:
                    # no number in the reply, or a resend: ask, which also finds a late
                    # commit of the earlier send (two offers with one ExternalId)
                    if found := self._find(external_id):
                        return self._created(plan, external_id, found, code="upload_created")
                if key is None or number is None:
                    raise UploadError("saved_without_number")
                found = Found(key, number)
                return self._created(plan, external_id, found, code="upload_created")
            self.journal.forget(plan.slot)
            return self._refused(offer, result)
        raise UploadError("no_answer", tries=self.max_sends)

    def _update(self, plan: Plan, known: _Known) -> OfferResult:
        offer, held = plan.offer, known.held
        if (stop := self._checked(offer)) is not None:
            return stop  # guard
        payload = {
            **plan.body,
            "ExternalId": held.external_id,
            "InvoiceId": held.invoice_id,
            "CustomerInvoiceNr": held.offer_nr,
        }
        for _ in range(self.max_sends):
            try:
                result = self.client.post_offer(payload)
            except OutcomeUnknown as exc:
                # an update names its offer by InvoiceId, so sending it again is safe
                log.info("no answer to the update (%s); sending it again", exc)
                continue
            if not result.success:
                if (status := self.guard.locked_status(held.invoice_id)) is not None:
                    params = {"offer_nr": held.offer_nr, "state": OfferState(status)}
                    return OfferResult(offer, "failed", "update_not_editable", params)  # guard
                return self._refused(offer, result)
            sent = replace(held, fingerprint=plan.fingerprint, customer_nr=offer.customer_nr or "")
            return self._saved(plan, sent, "upload_updated", updated=True)
        raise UploadError("no_answer", tries=self.max_sends)

    def _refused(self, offer: MappedOffer, result: OperationResult) -> OfferResult:
        reason = server_text(result.error_message or f"error {result.error_number}")
        return OfferResult(
            offer,
            "failed",
            "upload_refused",
            {"sheet": offer.sheet, "customer": offer.customer_nr or "?", "reason": reason},
        )


def _held_of(record: UploadRecord) -> Held:
    assert record.invoice_id is not None and record.offer_nr is not None
    return Held(
        record.external_id,
        record.fingerprint,
        record.customer_nr,
        record.invoice_id,
        record.offer_nr,
    )


def _key_and_number(result: OperationResult) -> tuple[int | None, str | None]:
    key = result.keys[0] if result.keys else None
    number = server_text(result.strings[0]).strip() if result.strings else None
    return key, number or None
