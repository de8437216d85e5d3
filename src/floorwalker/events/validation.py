"""Validating events: from what a sender posts to storable tuples, without the database.

Kept apart from the service (and light to import) because the file importer validates in a
helper process while the service stores the previous batch.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from pydantic import ValidationError

from floorwalker.events.schemas import EventIn, Rejection
from floorwalker.kit.actor import Actor, ActorKind, Scope
from floorwalker.kit.clock import utc_text


def _rejection(index: int, raw: Any, exc: ValidationError) -> Rejection:
    err = exc.errors()[0]
    loc = [str(p) for p in err.get("loc", ())]
    reason = str(err.get("msg", "")).removeprefix("Value error, ")
    event_id = raw.get("id") if isinstance(raw, Mapping) else None
    return Rejection(
        index=index,
        id=str(event_id) if event_id is not None else None,
        field=".".join(loc) or None,
        reason=reason,
    )


#: An event that passed validation, ready to store: a plain tuple, cheap to build, to read and
#: to send to another process (the file importer validates in one). In this order: id, type,
#: occurred_at (UTC as text, "YYYY-MM-DD HH:MM:SS.ffffff", which sorts as time does),
#: customer_id, session_id, product_id, variant_id, order_id, query, quantity, value, currency,
#: properties (JSON text).
ValidEvent = tuple[
    str,
    str,
    str,
    int | None,
    str | None,
    int | None,
    int | None,
    int | None,
    str | None,
    int | None,
    int | None,
    str | None,
    str,
]
#: Positions in a ValidEvent that storing reads.
ID: Final = 0
OCCURRED_AT: Final = 2
CUSTOMER: Final = 3
SESSION: Final = 4


def valid_event(event: EventIn) -> ValidEvent:
    """The storable tuple of a validated event."""
    return (
        event.id,
        str.__str__(event.type),
        utc_text(event.timestamp),
        event.customer_id,
        event.session_id,
        event.product_id,
        event.variant_id,
        event.order_id,
        event.query,
        event.quantity,
        event.value,
        event.currency,
        json.dumps(event.properties) if event.properties else "{}",
    )


def with_customer(event: ValidEvent, customer_id: int | None) -> ValidEvent:
    """The event with another customer id."""
    return (*event[:CUSTOMER], customer_id, *event[CUSTOMER + 1 :])  # type: ignore[return-value]


def validate(
    actor: Actor, raw_events: Sequence[Any]
) -> tuple[list[tuple[int, ValidEvent]], list[Rejection]]:
    """Validate each raw event on its own, with the rules the actor's kind adds."""
    valid: list[tuple[int, ValidEvent]] = []
    rejected: list[Rejection] = []
    for index, raw in enumerate(raw_events):
        try:
            event = raw if isinstance(raw, EventIn) else EventIn.model_validate(raw)
        except ValidationError as exc:
            rejected.append(_rejection(index, raw, exc))
            continue
        problem = _actor_problem(actor, event)
        if problem is not None:
            rejected.append(
                Rejection(index=index, id=event.id, field=problem[0], reason=problem[1])
            )
            continue
        valid.append((index, valid_event(event)))
    return valid, rejected


def _actor_problem(actor: Actor, event: EventIn) -> tuple[str, str] | None:
    """Identity comes from the edge: a browser-side caller cannot claim to be a customer."""
    browser_side = actor.kind is ActorKind.ANONYMOUS or (
        actor.kind is ActorKind.API_KEY
        and actor.has_scope(Scope.PUBLISHABLE)
        and not actor.has_scope(Scope.WRITE)
    )
    if browser_side and event.customer_id is not None:
        return (
            "customer_id",
            "a publishable key cannot name a customer; send session_id, and identify the "
            "session from your server (identify event with a secret key)",
        )
    if actor.kind is ActorKind.ANONYMOUS and event.session_id not in (None, actor.id):
        return ("session_id", "must be the caller's own session")
    if (
        actor.kind is ActorKind.SHOPPER
        and event.customer_id is not None
        and event.customer_id != actor.customer_id
    ):
        return ("customer_id", "must be the verified shopper's own id")
    return None


@dataclass
class Prepared:
    """A batch after validation: what can be stored, and what was rejected and why."""

    received: int
    valid: list[tuple[int, ValidEvent]]
    rejected: list[Rejection]


def prepare(actor: Actor, events: Sequence[Any]) -> Prepared:
    """Validate a batch without touching the database (importers overlap this with storing)."""
    valid, rejected = validate(actor, events)
    # The shopper's own identity fills in a missing customer id.
    if actor.kind is ActorKind.SHOPPER:
        valid = [(i, e if e[CUSTOMER] else with_customer(e, actor.customer_id)) for i, e in valid]
    return Prepared(len(events), valid, rejected)
