"""Read-only analytical queries over conversations, events, orders and the catalogue
(docs/decisions/0007). Nothing here writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.assistant.models import Conversation, Feedback, Handoff, Message
from floorwalker.catalog.models import Product, Variant
from floorwalker.events.models import Event
from floorwalker.orders.models import Order, OrderLine

T = TypeVar("T")
_CHUNK = 500
NOT_PURCHASED = ("cancelled",)


def _chunks(values: Sequence[T]) -> Iterator[list[T]]:
    for start in range(0, len(values), _CHUNK):
        yield list(values[start : start + _CHUNK])


@dataclass(frozen=True, slots=True)
class ConversationRow:
    """A conversation as the analytics see it."""

    id: int
    channel: str
    status: str
    customer_id: int | None
    session_id: str | None
    prompt_tokens: int
    completion_tokens: int
    created_at: dt.datetime
    last_activity_at: dt.datetime


async def conversations(
    session: AsyncSession, store_id: int, *, since: dt.datetime, until: dt.datetime
) -> list[ConversationRow]:
    """Conversations started in [since, until)."""
    rows = await session.execute(
        select(
            Conversation.id,
            Conversation.channel,
            Conversation.status,
            Conversation.customer_id,
            Conversation.session_id,
            Conversation.prompt_tokens,
            Conversation.completion_tokens,
            Conversation.created_at,
            Conversation.last_activity_at,
        )
        .where(
            Conversation.store_id == store_id,
            Conversation.created_at >= since,
            Conversation.created_at < until,
        )
        .order_by(Conversation.id)
    )
    return [ConversationRow(*row) for row in rows.all()]


@dataclass(frozen=True, slots=True)
class MessageRow:
    """One transcript entry, without its text."""

    conversation_id: int
    role: str
    created_at: dt.datetime
    tool_calls: list[dict[str, Any]]
    tool_name: str | None
    content: dict[str, Any]
    cards: list[dict[str, Any]]


async def messages(
    session: AsyncSession, store_id: int, conversation_ids: Sequence[int]
) -> list[MessageRow]:
    """Every message of these conversations, in order."""
    out: list[MessageRow] = []
    for chunk in _chunks(conversation_ids):
        rows = await session.execute(
            select(
                Message.conversation_id,
                Message.role,
                Message.created_at,
                Message.tool_calls,
                Message.tool_name,
                Message.content,
                Message.cards,
            )
            .where(Message.store_id == store_id, Message.conversation_id.in_(chunk))
            .order_by(Message.conversation_id, Message.id)
        )
        for cid, role, created, calls, tool, content, cards in cast(
            "list[tuple[int, str, dt.datetime, Any, str | None, Any, Any]]", rows.all()
        ):
            out.append(
                MessageRow(cid, role, created, calls or [], tool, content or {}, cards or [])
            )
    return out


async def handoffs(
    session: AsyncSession, store_id: int, conversation_ids: Sequence[int]
) -> list[tuple[int, str, dt.datetime]]:
    """(conversation id, reason, created at) of these conversations' handoffs."""
    out: list[tuple[int, str, dt.datetime]] = []
    for chunk in _chunks(conversation_ids):
        rows = await session.execute(
            select(Handoff.conversation_id, Handoff.reason, Handoff.created_at).where(
                Handoff.store_id == store_id, Handoff.conversation_id.in_(chunk)
            )
        )
        out.extend((c, r, t) for c, r, t in rows.all())
    return out


async def feedback(
    session: AsyncSession, store_id: int, conversation_ids: Sequence[int]
) -> list[tuple[int, int]]:
    """(conversation id, rating) of the feedback on these conversations' replies."""
    out: list[tuple[int, int]] = []
    for chunk in _chunks(conversation_ids):
        rows = await session.execute(
            select(Feedback.conversation_id, Feedback.rating).where(
                Feedback.store_id == store_id, Feedback.conversation_id.in_(chunk)
            )
        )
        out.extend((c, r) for c, r in rows.all())
    return out


@dataclass(frozen=True, slots=True)
class EventRow:
    """An event as the analytics see it."""

    type: str
    occurred_at: dt.datetime
    customer_id: int | None
    session_id: str | None
    product_id: int | None
    query: str | None
    properties: dict[str, Any]


async def events(
    session: AsyncSession,
    store_id: int,
    *,
    types: Sequence[str],
    since: dt.datetime,
    until: dt.datetime,
) -> list[EventRow]:
    """Events of these types in [since, until), oldest first."""
    rows = await session.execute(
        select(
            Event.type,
            Event.occurred_at,
            Event.customer_id,
            Event.session_id,
            Event.product_id,
            Event.query,
            Event.properties,
        )
        .where(
            Event.store_id == store_id,
            Event.type.in_(list(types)),
            Event.occurred_at >= since,
            Event.occurred_at < until,
        )
        .order_by(Event.occurred_at, Event.id)
    )
    return [
        EventRow(t, at, c, s, p, q, props or {})
        for t, at, c, s, p, q, props in cast(
            "list[tuple[str, dt.datetime, int | None, str | None, int | None, str | None, Any]]",
            rows.all(),
        )
    ]


async def customers_of_sessions(
    session: AsyncSession, store_id: int, session_ids: Sequence[str]
) -> dict[str, int]:
    """The customer each browsing session was identified as (from its events)."""
    out: dict[str, int] = {}
    for chunk in _chunks(session_ids):
        rows = await session.execute(
            select(Event.session_id, Event.customer_id)
            .where(
                Event.store_id == store_id,
                Event.session_id.in_(chunk),
                Event.customer_id.is_not(None),
            )
            .distinct()
        )
        for sid, cid in rows.all():
            if sid is not None and cid is not None:
                out.setdefault(sid, cid)
    return out


@dataclass(frozen=True, slots=True)
class OrderRow:
    """A placed order with its lines' products and amounts."""

    id: int
    number: str
    customer_id: int | None
    placed_at: dt.datetime
    total: int
    currency: str
    #: (product id, variant id, quantity, line total)
    lines: list[tuple[int | None, int | None, int, int]]


async def orders(
    session: AsyncSession,
    store_id: int,
    *,
    since: dt.datetime,
    until: dt.datetime,
    customer_ids: Sequence[int] | None = None,
) -> list[OrderRow]:
    """Orders placed in [since, until) that were not cancelled, oldest first, with lines."""
    query = (
        select(
            Order.id,
            Order.number,
            Order.customer_id,
            Order.placed_at,
            Order.total,
            Order.currency,
        )
        .where(
            Order.store_id == store_id,
            Order.placed_at >= since,
            Order.placed_at < until,
            Order.status.not_in(NOT_PURCHASED),
        )
        .order_by(Order.placed_at, Order.id)
    )
    if customer_ids is not None:
        if not customer_ids:
            return []
        query = query.where(Order.customer_id.in_(list(customer_ids)))
    found = {row[0]: OrderRow(*row, lines=[]) for row in (await session.execute(query)).all()}
    for chunk in _chunks(list(found)):
        lines = await session.execute(
            select(
                OrderLine.order_id,
                OrderLine.product_id,
                OrderLine.variant_id,
                OrderLine.quantity,
                OrderLine.unit_price,
            ).where(OrderLine.store_id == store_id, OrderLine.order_id.in_(chunk))
        )
        for order_id, product_id, variant_id, quantity, unit_price in lines.all():
            found[order_id].lines.append((product_id, variant_id, quantity, quantity * unit_price))
    return list(found.values())


async def product_of_variants(
    session: AsyncSession, store_id: int, variant_ids: Sequence[int]
) -> dict[int, int]:
    """Each variant's product."""
    out: dict[int, int] = {}
    for chunk in _chunks(variant_ids):
        rows = await session.execute(
            select(Variant.id, Variant.product_id).where(
                Variant.store_id == store_id, Variant.id.in_(chunk)
            )
        )
        out.update((v, p) for v, p in rows.all())
    return out


async def product_titles(
    session: AsyncSession, store_id: int, product_ids: Sequence[int]
) -> dict[int, str]:
    """Each product's title."""
    out: dict[int, str] = {}
    for chunk in _chunks(product_ids):
        rows = await session.execute(
            select(Product.id, Product.title).where(
                Product.store_id == store_id, Product.id.in_(chunk)
            )
        )
        out.update((p, t) for p, t in rows.all())
    return out
