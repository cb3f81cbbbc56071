"""Deterministic fault injection for the sandbox.

A fault is decided from request counters alone, never from randomness, so a
test or benchmark that says "every 3rd upload fails after saving" gets exactly
that, on every run. The counters are 1-based and count from server start:
``every=3`` fires on the 3rd, 6th, 9th ... request of the relevant kind.

Four counters exist: one for *every* request (latency spikes and throttling,
which a gateway would apply to anything), one for ``POST
Economy/Billing/Offer`` requests (server errors and dropped replies, which are
what the upload client must survive), one for the look-ups made before an
offer is sent (``GET Economy/Billing/Product`` and ``GET
Economy/Customer/Customers``: errors and stalls, which must never let an
unchecked offer through), and one for ``GET Economy/Billing/Offer`` (errors
that must never let an offer pass unread). When several faults fire on the same request only
one action is taken, in this order: throttle, error before processing, drop
after saving, error after saving.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, fields
from enum import Enum


class FaultAction(Enum):
    """What the server does to a request instead of (or after) handling it normally."""

    NONE = "none"
    THROTTLE = "throttle"  # 429 + Retry-After, request not processed
    ERROR_BEFORE = "error_before"  # 500 before processing, nothing saved
    DROP_AFTER_SAVE = "drop_after_save"  # process and save, then close the socket silently
    ERROR_AFTER_SAVE = "error_after_save"  # process and save, then reply 500


@dataclass(frozen=True)
class FaultDecision:
    """The outcome for one request: how long to stall and which action to take."""

    delay: float
    action: FaultAction


def _fires(every: int, count: int | None) -> bool:
    """True when a fault configured as "every Nth" fires on the request numbered ``count``."""
    return count is not None and every > 0 and count % every == 0


@dataclass(frozen=True)
class Faults:
    """Which faults the sandbox injects; all off by default.

    Every "every Nth" setting is 0 (off) or a positive count. ``retry_after``
    is what the 429 reply tells the client to wait, in seconds.
    """

    latency: float = 0.0
    spike_every: int = 0
    spike_seconds: float = 0.0
    error_before_every: int = 0
    error_after_save_every: int = 0
    drop_after_save_every: int = 0
    throttle_every: int = 0
    retry_after: float = 1.0
    token_expiry_after: int = 0
    lookup_error_every: int = 0  # every Nth look-up answers 500 before it is processed
    lookup_stall_every: int = 0  # every Nth look-up waits spike_seconds before answering
    offer_read_error_every: int = 0  # every Nth GET Economy/Billing/Offer answers 500

    def __post_init__(self) -> None:
        """Refuse negative settings: they have no sensible meaning and hide typos."""
        for field in fields(self):
            value = getattr(self, field.name)
            if value < 0:
                raise ValueError(f"Faults.{field.name} must not be negative (got {value!r})")

    @property
    def active(self) -> bool:
        """True when at least one fault is switched on (``retry_after`` alone is not a fault)."""
        return any(
            getattr(self, field.name) != field.default
            for field in fields(self)
            if field.name != "retry_after"
        )

    def decide(
        self,
        request_number: int,
        offer_number: int | None,
        lookup_number: int | None = None,
        read_number: int | None = None,
    ) -> FaultDecision:
        """Decide the fault for a request.

        ``request_number`` is the 1-based index of the request among all
        requests; ``offer_number`` its index among ``POST Economy/Billing/Offer``
        requests, or None for any other request; ``lookup_number`` its index
        among the look-ups (product and customer), and ``read_number`` among
        the ``GET Economy/Billing/Offer`` requests, or None.
        """
        delay = self.latency
        if _fires(self.spike_every, request_number):
            delay += self.spike_seconds
        if _fires(self.lookup_stall_every, lookup_number):
            delay += self.spike_seconds
        if _fires(self.throttle_every, request_number):
            action = FaultAction.THROTTLE
        elif (
            _fires(self.error_before_every, offer_number)
            or _fires(self.lookup_error_every, lookup_number)
            or _fires(self.offer_read_error_every, read_number)
        ):
            action = FaultAction.ERROR_BEFORE
        elif _fires(self.drop_after_save_every, offer_number):
            action = FaultAction.DROP_AFTER_SAVE
        elif _fires(self.error_after_save_every, offer_number):
            action = FaultAction.ERROR_AFTER_SAVE
        else:
            action = FaultAction.NONE
        return FaultDecision(delay=delay, action=action)

    def retry_after_header(self) -> str:
        """``Retry-After`` value: whole seconds as an integer, otherwise a decimal."""
        if float(self.retry_after).is_integer():
            return str(int(self.retry_after))
        return format(self.retry_after, "g")


class RequestCounters:
    """Thread-safe request counters that feed :meth:`Faults.decide`."""

    def __init__(self) -> None:
        """Start every counter at zero."""
        self._lock = threading.Lock()
        self._requests = 0
        self._offer_posts = 0
        self._lookups = 0
        self._offer_reads = 0

    def count(
        self, is_offer_post: bool, is_lookup: bool = False, is_offer_read: bool = False
    ) -> tuple[int, int | None, int | None, int | None]:
        """Count one arriving request: its request, offer-post, look-up and offer-read numbers."""
        with self._lock:
            self._requests += 1
            offer_number: int | None = None
            lookup_number: int | None = None
            read_number: int | None = None
            if is_offer_post:
                self._offer_posts += 1
                offer_number = self._offer_posts
            if is_lookup:
                self._lookups += 1
                lookup_number = self._lookups
            if is_offer_read:
                self._offer_reads += 1
                read_number = self._offer_reads
            return self._requests, offer_number, lookup_number, read_number

    @property
    def offer_reads(self) -> int:
        """How many ``GET Economy/Billing/Offer`` requests have arrived since start."""
        with self._lock:
            return self._offer_reads

    @property
    def requests(self) -> int:
        """How many requests have arrived since start."""
        with self._lock:
            return self._requests
