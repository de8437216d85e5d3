"""Read-only queries for lost demand: search events, assistant answers, catalogue and stock
(docs/decisions/0007). Nothing here writes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.assistant.models import Conversation, Message
from floorwalker.catalog.models import Category, Product, Variant
from floorwalker.events.models import Event
from floorwalker.inventory.models import InventoryLevel

#: Assistant tools whose results say what of a product is in stock.
AVAILABILITY_TOOLS = ("check_availability", "product_details")


@dataclass(frozen=True, slots=True)
class SearchRow:
    """A search event."""

    id: int
    event_id: str
    occurred_at: dt.datetime
    query: str
    properties: dict[str, Any]
    session_id: str | None


async def searches_after(
    session: AsyncSession, store_id: int, *, after_id: int, limit: int
) -> list[SearchRow]:
    """Search events with an id above `after_id`, oldest first."""
    rows = await session.execute(
        select(
            Event.id,
            Event.event_id,
            Event.occurred_at,
            Event.query,
            Event.properties,
            Event.session_id,
        )
        .where(Event.store_id == store_id, Event.type == "search", Event.id > after_id)
        .order_by(Event.id)
        .limit(limit)
    )
    return [
        SearchRow(id_, event_id, occurred, query or "", props or {}, sid)
        for id_, event_id, occurred, query, props, sid in cast(
            "list[tuple[int, str, dt.datetime, str | None, dict[str, Any] | None, str | None]]",
            rows.all(),
        )
    ]


async def conversation_sessions(
    session: AsyncSession, store_id: int, session_ids: Sequence[str]
) -> set[str]:
    """Which of these session ids are the assistant's conversations (its searches)."""
    if not session_ids:
        return set()
    rows = await session.scalars(
        select(Conversation.public_id).where(
            Conversation.store_id == store_id, Conversation.public_id.in_(list(session_ids))
        )
    )
    return set(rows.all())


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """An assistant's availability answer and the shopper's message it answered."""

    id: int
    created_at: dt.datetime
    result: dict[str, Any]
    asked: str


async def answers_after(
    session: AsyncSession, store_id: int, *, after_id: int, limit: int
) -> list[AnswerRow]:
    """Availability tool results with an id above `after_id`, with the shopper's last message."""
    tools = cast(
        "list[tuple[int, int, dt.datetime, dict[str, Any] | None]]",
        (
            await session.execute(
                select(Message.id, Message.conversation_id, Message.created_at, Message.content)
                .where(
                    Message.store_id == store_id,
                    Message.role == "tool",
                    Message.tool_name.in_(AVAILABILITY_TOOLS),
                    Message.id > after_id,
                )
                .order_by(Message.id)
                .limit(limit)
            )
        ).all(),
    )
    if not tools:
        return []
    conversations = sorted({row[1] for row in tools})
    users = await session.execute(
        select(Message.id, Message.conversation_id, Message.text)
        .where(
            Message.store_id == store_id,
            Message.role == "user",
            Message.conversation_id.in_(conversations),
            Message.id < tools[-1][0],
        )
        .order_by(Message.id)
    )
    said: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for message_id, conversation_id, text in users.all():
        said[conversation_id].append((message_id, text or ""))
    out = []
    for message_id, conversation_id, created_at, content in tools:
        earlier = [text for mid, text in said.get(conversation_id, []) if mid < message_id]
        out.append(AnswerRow(message_id, created_at, content or {}, earlier[-1] if earlier else ""))
    return out


async def sold_out(session: AsyncSession, store_id: int, product_ids: Sequence[int]) -> set[int]:
    """Which of these products have nothing available in any active variant."""
    if not product_ids:
        return set()
    # a location's reserved units never exceed its on-hand ones for selling purposes
    per_level = case(
        (
            InventoryLevel.on_hand > InventoryLevel.reserved,
            InventoryLevel.on_hand - InventoryLevel.reserved,
        ),
        else_=0,
    )
    available = func.coalesce(func.sum(per_level), 0)
    rows = await session.execute(
        select(Product.id, available)
        .select_from(Product)
        .outerjoin(
            Variant,
            (Variant.product_id == Product.id) & (Variant.status == "active"),
        )
        .outerjoin(InventoryLevel, InventoryLevel.variant_id == Variant.id)
        .where(Product.store_id == store_id, Product.id.in_(list(product_ids)))
        .group_by(Product.id)
    )
    return {
        product_id
        for product_id, units in cast("list[tuple[int, int | None]]", rows.all())
        if (units or 0) <= 0
    }


async def option_values(session: AsyncSession, store_id: int) -> dict[str, list[str]]:
    """Every option value the store's variants use, by lower-cased option name."""
    rows: list[dict[str, Any] | None] = list(
        (
            await session.scalars(
                select(Variant.options).where(
                    Variant.store_id == store_id, Variant.status == "active"
                )
            )
        ).all()
    )
    values: dict[str, set[str]] = defaultdict(set)
    for options in rows:
        for name, value in (options or {}).items():
            if value is not None and str(value).strip():
                values[str(name).lower()].add(str(value))
    if "color" in values:
        values["colour"] |= values.pop("color")
    return {name: sorted(found) for name, found in values.items()}


async def categories_of(
    session: AsyncSession, store_id: int, product_ids: Sequence[int]
) -> dict[int, int | None]:
    """Each product's category."""
    if not product_ids:
        return {}
    rows = await session.execute(
        select(Product.id, Product.category_id).where(
            Product.store_id == store_id, Product.id.in_(list(product_ids))
        )
    )
    return {row[0]: row[1] for row in rows.all()}


@dataclass(frozen=True, slots=True)
class ProductFacts:
    """What the report shows next to a product: title, category, stock now."""

    title: str
    category_id: int | None
    available: int
    variant_ids: list[int]


async def product_facts(
    session: AsyncSession, store_id: int, product_ids: Sequence[int]
) -> dict[int, ProductFacts]:
    """Title, category, available units and variants of each product."""
    if not product_ids:
        return {}
    products = await session.execute(
        select(Product.id, Product.title, Product.category_id).where(
            Product.store_id == store_id, Product.id.in_(list(product_ids))
        )
    )
    variants = await session.execute(
        select(Variant.product_id, Variant.id).where(
            Variant.store_id == store_id, Variant.product_id.in_(list(product_ids))
        )
    )
    by_product: dict[int, list[int]] = defaultdict(list)
    for product_id, variant_id in variants.all():
        by_product[product_id].append(variant_id)
    stock = await available_by_variant(
        session, store_id, [v for vs in by_product.values() for v in vs]
    )
    return {
        pid: ProductFacts(
            title,
            category_id,
            sum(stock.get(v, 0) for v in by_product.get(pid, [])),
            sorted(by_product.get(pid, [])),
        )
        for pid, title, category_id in products.all()
    }


async def available_by_variant(
    session: AsyncSession, store_id: int, variant_ids: Sequence[int]
) -> dict[int, int]:
    """Available units per variant (each location counted from 0 up)."""
    if not variant_ids:
        return {}
    rows = await session.execute(
        select(InventoryLevel.variant_id, InventoryLevel.on_hand, InventoryLevel.reserved).where(
            InventoryLevel.store_id == store_id,
            InventoryLevel.variant_id.in_(list(variant_ids)),
        )
    )
    out: dict[int, int] = defaultdict(int)
    for variant_id, on_hand, reserved in rows.all():
        out[variant_id] += max(0, on_hand - reserved)
    return dict(out)


async def category_facts(
    session: AsyncSession, store_id: int, category_ids: Sequence[int]
) -> dict[int, tuple[str, list[int]]]:
    """Each category's path and the active variants of its products (not below it)."""
    if not category_ids:
        return {}
    paths = await session.execute(
        select(Category.id, Category.path, Category.name).where(
            Category.store_id == store_id, Category.id.in_(list(category_ids))
        )
    )
    variants = await session.execute(
        select(Product.category_id, Variant.id)
        .join(Variant, Variant.product_id == Product.id)
        .where(
            Product.store_id == store_id,
            Product.category_id.in_(list(category_ids)),
            Variant.status == "active",
        )
    )
    by_category: dict[int, list[int]] = defaultdict(list)
    for category_id, variant_id in variants.all():
        if category_id is not None:
            by_category[category_id].append(variant_id)
    return {
        cid: (path or name, sorted(by_category.get(cid, []))) for cid, path, name in paths.all()
    }


async def variants_with_option(
    session: AsyncSession, store_id: int, option: str, value: str
) -> list[int]:
    """Active variants whose option `option` has `value` (case-insensitive)."""
    names = {option, "color"} if option == "colour" else {option}
    rows = await session.execute(
        select(Variant.id, Variant.options).where(
            Variant.store_id == store_id, Variant.status == "active"
        )
    )
    wanted = value.lower()
    return sorted(
        vid
        for vid, options in cast("list[tuple[int, dict[str, Any] | None]]", rows.all())
        if any(
            str(k).lower() in names and str(v).lower() == wanted for k, v in (options or {}).items()
        )
    )
