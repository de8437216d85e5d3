"""What ingestion knows about customers: who exists, who refused analytics, which sessions
are whose. The customers service owns the consent record; this reads it economically."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.customers import service as customers_service

#: The consent purpose that governs storing a customer's events.
ANALYTICS = "analytics"


@dataclass
class IngestContext:
    """What one ingestion run has learnt about customers and sessions, reused across batches.

    A file import passes one context to every batch so each customer is looked up once.
    """

    known: set[int] = field(default_factory=set)
    unknown: set[int] = field(default_factory=set)
    refused: set[int] = field(default_factory=set)
    links: dict[str, int] = field(default_factory=dict)


def refuses_analytics(consent: Mapping[str, Any] | None) -> bool:
    """Whether a customer's consent record explicitly refuses analytics (no record = allowed)."""
    entry = (consent or {}).get(ANALYTICS)
    if isinstance(entry, Mapping):
        return entry.get("granted") is False
    return entry is False


#: Customers read per page when a batch names many of them.
_PAGE = 1000
#: How long what was learnt about a customer (exists, refuses analytics) is reused.
CONSENT_TTL = 30.0


class _ConsentCache:
    """What the process learnt about customers lately: (store, customer) → (refuses, when).

    Busy storefronts name the same customers in request after request; reading each of them
    again every time would cost more than storing the events. A refusal of analytics consent
    therefore applies to ingestion within CONSENT_TTL seconds (call `consent_changed` to make
    it immediate).
    """

    def __init__(self, ttl: float, capacity: int = 200_000) -> None:
        self.ttl = ttl
        self.capacity = capacity
        self.entries: dict[tuple[int, int], tuple[bool | None, float]] = {}

    def get(self, store_id: int, customer_id: int, now: float) -> tuple[bool | None] | None:
        """(refuses,) when fresh, with None for "no such customer"; None when not known."""
        entry = self.entries.get((store_id, customer_id))
        if entry is None or now - entry[1] > self.ttl:
            return None
        return (entry[0],)

    def put(self, store_id: int, customer_id: int, refuses: bool | None, now: float) -> None:
        """Remember a customer's state (None: does not exist)."""
        if len(self.entries) >= self.capacity:
            self.entries.clear()
        self.entries[(store_id, customer_id)] = (refuses, now)

    def forget(self, store_id: int, customer_id: int) -> None:
        """Drop what is known about a customer."""
        self.entries.pop((store_id, customer_id), None)


_CACHE = _ConsentCache(CONSENT_TTL)


def consent_changed(store_id: int, customer_id: int) -> None:
    """Tell ingestion a customer's consent changed (or the customer was deleted): re-read it."""
    _CACHE.forget(store_id, customer_id)


async def learn_customers(
    session: AsyncSession, store_id: int, ids: Iterable[int], context: IngestContext
) -> None:
    """Learn which customers exist and which refused analytics, once per ingestion run.

    The customers service owns the consent record and offers no bulk read by ids, so what was
    learnt lately is reused (see _ConsentCache), a few other ids are read one by one, and many
    are read a page of the store's customers at a time across their span (every customer on
    those pages is learnt, which later batches and requests reuse).
    """
    wanted = set(ids) - context.known - context.unknown
    now = time.monotonic()
    for customer_id in list(wanted):
        cached = _CACHE.get(store_id, customer_id, now)
        if cached is None:
            continue
        wanted.discard(customer_id)
        if cached[0] is None:
            context.unknown.add(customer_id)
        else:
            context.known.add(customer_id)
            if cached[0]:
                context.refused.add(customer_id)
    if not wanted:
        return
    low, high = min(wanted), max(wanted)
    if len(wanted) <= 8 or high - low >= 750 * len(wanted):
        for customer_id in sorted(wanted):
            customer = await customers_service.get(session, store_id, customer_id)
            if customer is None:
                context.unknown.add(customer_id)
                _CACHE.put(store_id, customer_id, None, now)
            else:
                _remember(context, store_id, customer.id, customer.consent, now)
                session.expunge(customer)
        return
    cursor = low - 1
    while cursor < high:
        page = await customers_service.list_customers(
            session, store_id, after_id=cursor, limit=_PAGE
        )
        for customer in page:
            _remember(context, store_id, customer.id, customer.consent, now)
            session.expunge(customer)
        if len(page) < _PAGE:
            break
        cursor = page[-1].id
    for customer_id in wanted - context.known:
        context.unknown.add(customer_id)
        _CACHE.put(store_id, customer_id, None, now)


def _remember(
    context: IngestContext,
    store_id: int,
    customer_id: int,
    consent: Mapping[str, Any] | None,
    now: float,
) -> None:
    refuses = refuses_analytics(consent)
    context.known.add(customer_id)
    if refuses:
        context.refused.add(customer_id)
    _CACHE.put(store_id, customer_id, refuses, now)
