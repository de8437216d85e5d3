"""Rules of the events context: validate, deduplicate, respect consent, stitch sessions, store.

`ingest` is the one way events come in: the API, the file importer and other contexts (search
logging its queries, the assistant) all call it. It only flushes; the caller commits, and
answers the sender only after the commit (so an acknowledged event is a stored event).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.events.consent import (
    ANALYTICS,
    CONSENT_TTL,
    IngestContext,
    consent_changed,
    learn_customers,
    refuses_analytics,
)
from floorwalker.events.errors import InvalidEvents
from floorwalker.events.models import Event
from floorwalker.events.repository import EventRepository
from floorwalker.events.schemas import EventType, IngestResult, Rejection
from floorwalker.events.validation import (
    CUSTOMER,
    ID,
    OCCURRED_AT,
    SESSION,
    Prepared,
    ValidEvent,
    prepare,
    valid_event,
    validate,
    with_customer,
)
from floorwalker.kit.actor import Actor, ActorKind
from floorwalker.kit.clock import utcnow

__all__ = [
    "ANALYTICS",
    "CONSENT_TTL",
    "IngestContext",
    "Prepared",
    "ValidEvent",
    "consent_changed",
    "customer_of_session",
    "erase_customer",
    "export_customer",
    "ingest",
    "list_events",
    "prepare",
    "purge_before",
    "record",
    "refuses_analytics",
    "store",
    "valid_event",
    "validate",
]


async def ingest(
    session: AsyncSession,
    actor: Actor,
    *,
    events: Sequence[Any],
    strict: bool = False,
    context: IngestContext | None = None,
) -> IngestResult:
    """Validate and store a batch of events; duplicates (by event id) are ignored.

    A bad event is rejected with its index and reason and does not stop the others, unless
    `strict`, in which case any bad event stores nothing (InvalidEvents). A shopper (or a
    verified session) acting for a customer is stored with that customer; its session is
    stitched to the customer, which also gives the session's earlier events their customer.
    Events of customers who refused analytics consent are dropped.
    """
    return await store(session, actor, prepare(actor, events), strict=strict, context=context)


async def store(
    session: AsyncSession,
    actor: Actor,
    prepared: Prepared,
    *,
    strict: bool = False,
    context: IngestContext | None = None,
) -> IngestResult:
    """Store a prepared batch: known customers only, consent respected, sessions stitched."""
    context = context or IngestContext()
    store_id = actor.store_id
    valid, rejected = prepared.valid, list(prepared.rejected)
    await learn_customers(
        session, store_id, (e[CUSTOMER] for _, e in valid if e[CUSTOMER]), context
    )
    kept: list[tuple[int, ValidEvent]] = []
    for index, event in valid:
        if event[CUSTOMER] is not None and event[CUSTOMER] in context.unknown:
            rejected.append(
                Rejection(index=index, id=event[ID], field="customer_id", reason="no such customer")
            )
        else:
            kept.append((index, event))
    if strict and rejected:
        raise InvalidEvents([r.model_dump() for r in sorted(rejected, key=lambda r: r.index)])

    repo = EventRepository(session, store_id)
    unseen_sessions = {
        e[SESSION] for _, e in kept if e[SESSION] and e[SESSION] not in context.links
    }
    if unseen_sessions:
        found = await repo.links_for(unseen_sessions)
        context.links.update(found)
        # Only the links just read: the customers of earlier ones are known already (learning
        # them all again would make each batch of a long import slower than the last).
        await learn_customers(session, store_id, found.values(), context)

    stitched = await _stitch(repo, kept, context)

    rows: list[ValidEvent] = []
    seen: set[str] = set()
    duplicates = skipped = 0
    links, refused = context.links, context.refused
    for _, event in kept:
        if event[ID] in seen:
            duplicates += 1
            continue
        seen.add(event[ID])
        customer_id = event[CUSTOMER]
        if customer_id is None and event[SESSION] is not None:
            linked = links.get(event[SESSION])
            if linked is not None and linked not in refused:
                # The session's customer, found when it was stitched.
                event = with_customer(event, linked)
                customer_id = linked
        if customer_id is not None and customer_id in refused:
            skipped += 1
            continue
        rows.append(event)
    inserted = await repo.insert_new(rows, received_at=utcnow())
    duplicates += len(rows) - inserted
    return IngestResult(
        received=prepared.received,
        accepted=inserted,
        duplicates=duplicates,
        skipped_no_consent=skipped,
        stitched_sessions=stitched,
        rejected=sorted(rejected, key=lambda r: r.index),
    )


async def _stitch(
    repo: EventRepository, kept: Sequence[tuple[int, ValidEvent]], context: IngestContext
) -> int:
    """Link sessions first identified in this batch; their anonymous past follows."""
    candidates: dict[str, tuple[int, str]] = {}
    for _, event in kept:
        sid, cid = event[SESSION], event[CUSTOMER]
        if sid is None or cid is None or sid in context.links or cid in context.refused:
            continue
        # The earliest identification in the batch wins, like the first one ever does.
        if sid not in candidates or event[OCCURRED_AT] < candidates[sid][1]:
            candidates[sid] = (cid, event[OCCURRED_AT])
    if not candidates:
        return 0
    created = await repo.add_links({sid: cid for sid, (cid, _) in candidates.items()}, utcnow())
    # A link another writer made first is the one that counts.
    raced = set(candidates) - created
    if raced:
        found = await repo.links_for(raced)
        context.links.update(found)
        await learn_customers(repo.session, repo.store_id, found.values(), context)
    for sid in created:
        context.links[sid] = candidates[sid][0]
    if created:
        await repo.backfill(created)
    return len(created)


async def record(
    session: AsyncSession, actor: Actor, *, event_type: EventType, event_id: str, **fields: Any
) -> bool:
    """Store one event on the actor's behalf (search logging, the assistant); True if new.

    An anonymous actor's session id and a shopper's customer id are filled in from the actor.
    """
    if actor.kind is ActorKind.ANONYMOUS:
        fields.setdefault("session_id", actor.id)
    payload = {"id": event_id, "type": event_type.value, "timestamp": utcnow(), **fields}
    result = await ingest(session, actor, events=[payload], strict=True)
    return result.accepted == 1


async def list_events(
    session: AsyncSession,
    actor: Actor,
    *,
    customer_id: int | None = None,
    session_id: str | None = None,
    event_type: str | None = None,
    since: dt.datetime | None = None,
    after_id: int = 0,
    limit: int = 50,
) -> Sequence[Event]:
    """Stored events of the actor's store, oldest first."""
    return await EventRepository(session, actor.store_id).list(
        customer_id=customer_id,
        session_id=session_id,
        event_type=event_type,
        since=since,
        after_id=after_id,
        limit=limit,
    )


async def customer_of_session(session: AsyncSession, actor: Actor, session_id: str) -> int | None:
    """The customer a session is stitched to, or None."""
    links = await EventRepository(session, actor.store_id).links_for([session_id])
    return links.get(session_id)


async def erase_customer(session: AsyncSession, actor: Actor, *, customer_id: int) -> int:
    """Delete a customer's events (stitched sessions included); returns how many (privacy)."""
    return await EventRepository(session, actor.store_id).delete_for_customer(customer_id)


# ----------------------------------------------------------------------------- privacy
# Export and retention for the privacy context (erasure is `erase_customer` above).

#: Events read per query when exporting.
_EXPORT_PAGE = 1000


async def export_customer(
    session: AsyncSession, actor: Actor, *, customer_id: int
) -> dict[str, Any]:
    """A customer's events (stitched sessions included) and sessions, as JSON-ready data."""
    repo = EventRepository(session, actor.store_id)
    events: list[dict[str, Any]] = []
    after_id = 0
    while True:
        page = await repo.of_customer(customer_id, after_id=after_id, limit=_EXPORT_PAGE)
        events.extend(
            {
                "event_id": e.event_id,
                "type": e.type,
                "occurred_at": e.occurred_at.isoformat(),
                "session_id": e.session_id,
                "product_id": e.product_id,
                "variant_id": e.variant_id,
                "order_id": e.order_id,
                "query": e.query,
                "quantity": e.quantity,
                "value": e.value,
                "currency": e.currency,
                "properties": e.properties,
            }
            for e in page
        )
        if len(page) < _EXPORT_PAGE:
            break
        after_id = page[-1].id
    return {"sessions": await repo.session_ids_of(customer_id), "events": events}


async def purge_before(
    session: AsyncSession, actor: Actor, *, before: dt.datetime, batch: int = 5000
) -> int:
    """Delete one batch of the store's events that occurred before `before` (retention)."""
    return await EventRepository(session, actor.store_id).delete_before(before, limit=batch)
