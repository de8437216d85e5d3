"""Read-only analytical queries over other contexts' tables (docs/decisions/0007).

Training reads a whole store's orders, events and catalog at once; serving reads one shopper's
history and the live stock of a few dozen candidates. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.catalog.models import Brand, Category, Product, ProductImage, Variant
from floorwalker.customers.models import Customer
from floorwalker.events.models import Event
from floorwalker.inventory.models import InventoryLevel
from floorwalker.kit.fields import blind_candidates
from floorwalker.orders.models import Order, OrderLine
from floorwalker.recommend.engine.catalog import ItemInfo
from floorwalker.recommend.engine.data import EVENT_KINDS, InteractionLog, Kind
from floorwalker.recommend.models import ImportedInteraction

#: Order statuses that are not purchases.
NOT_PURCHASED = ("cancelled",)
#: Event types that carry a product interaction the recommender uses.
EVENT_TYPES = tuple(EVENT_KINDS)
#: Interactions older than this are not read for training (their signal is stale).
TRAINING_WINDOW = dt.timedelta(days=730)
_CHUNK = 500


def _epoch(value: dt.datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return int(value.timestamp())


def _rows(result: Any) -> list[Any]:
    """The rows of a result, untyped (wide selects outrun SQLAlchemy's tuple typing)."""
    return list(result.all())


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


# ---------------------------------------------------------------- training


async def load_catalog(session: AsyncSession, store_id: int) -> list[ItemInfo]:
    """Every active product as the engine sees it (title, text, category, brand, options)."""
    products = _rows(
        await session.execute(
            select(
                Product.id,
                Product.title,
                Product.description,
                Product.product_type,
                Product.tags,
                Product.attributes,
                Brand.name,
                Category.path,
                Category.name,
            )
            .outerjoin(Brand, Brand.id == Product.brand_id)
            .outerjoin(Category, Category.id == Product.category_id)
            .where(Product.store_id == store_id, Product.status == "active")
            .order_by(Product.id)
        )
    )
    options: dict[int, dict[str, list[str]]] = defaultdict(dict)
    prices: dict[int, int] = {}
    variants = await session.execute(
        select(Variant.product_id, Variant.options, Variant.price)
        .join(Product, Product.id == Variant.product_id)
        .where(
            Variant.store_id == store_id,
            Variant.status == "active",
            Product.status == "active",
        )
        .order_by(Variant.product_id, Variant.position, Variant.id)
    )
    for product_id, opts, price in _rows(variants):
        for name, value in (opts or {}).items():
            values = options[product_id].setdefault(str(name), [])
            if str(value) not in values:
                values.append(str(value))
        prices[product_id] = min(prices.get(product_id, price), price)
    items = []
    for pid, title, description, ptype, tags, attributes, brand, path, cat_name in products:
        attribute_text = " ".join(
            f"{k} {v}" for k, v in (attributes or {}).items() if isinstance(v, str | int | float)
        )
        items.append(
            ItemInfo(
                key=str(pid),
                title=title,
                text=" ".join(p for p in (ptype or "", attribute_text, description or "") if p),
                category=(path or cat_name) or None,
                brand=brand,
                price=prices.get(pid),
                options=options.get(pid, {}),
                tags=[str(t) for t in (tags or [])],
            )
        )
    return items


async def load_interactions(
    session: AsyncSession, store_id: int, *, now: dt.datetime
) -> InteractionLog:
    """Purchases (order lines), product events and imported history within the window."""
    since = now - TRAINING_WINDOW
    users: list[str] = []
    items: list[str] = []
    times: list[int] = []
    kinds: list[int] = []
    quantities: list[float] = []
    baskets: list[str] = []

    lines = await session.execute(
        select(
            Order.id,
            Order.customer_id,
            Order.email_index,
            Order.placed_at,
            OrderLine.product_id,
            OrderLine.quantity,
        )
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(
            Order.store_id == store_id,
            Order.status.not_in(NOT_PURCHASED),
            Order.placed_at >= since,
            OrderLine.product_id.is_not(None),
        )
    )
    for order_id, customer_id, email_key, placed_at, product_id, quantity in _rows(lines):
        if customer_id is not None:
            users.append(f"c:{customer_id}")
        elif email_key:
            # guests: the e-mail's keyed digest (orders store the e-mail encrypted) groups
            # their orders for co-occurrence; it never leaves training
            users.append(f"e:{email_key[:24]}")
        else:
            users.append(f"o:{order_id}")
        items.append(str(product_id))
        times.append(_epoch(placed_at))
        kinds.append(Kind.PURCHASE)
        quantities.append(float(quantity))
        baskets.append(f"o:{order_id}")

    events = await session.execute(
        select(
            Event.customer_id,
            Event.session_id,
            Event.product_id,
            Event.type,
            Event.occurred_at,
            Event.quantity,
        ).where(
            Event.store_id == store_id,
            Event.type.in_(EVENT_TYPES),
            Event.occurred_at >= since,
            Event.product_id.is_not(None),
            # purchases that name an order are already counted from the order's lines
            or_(Event.type != "purchase", Event.order_id.is_(None)),
        )
    )
    for customer_id, session_id, product_id, type_, occurred_at, quantity in _rows(events):
        if customer_id is None and session_id is None:
            continue
        user = f"c:{customer_id}" if customer_id is not None else f"s:{session_id}"
        when = _epoch(occurred_at)
        users.append(user)
        items.append(str(product_id))
        times.append(when)
        kinds.append(EVENT_KINDS[type_])
        quantities.append(float(quantity or 1))
        baskets.append(f"{user}@{when}")

    imported = await session.execute(
        select(
            ImportedInteraction.customer_id,
            ImportedInteraction.customer_ref,
            ImportedInteraction.product_id,
            ImportedInteraction.kind,
            ImportedInteraction.occurred_at,
            ImportedInteraction.quantity,
            ImportedInteraction.order_ref,
        ).where(ImportedInteraction.store_id == store_id, ImportedInteraction.occurred_at >= since)
    )
    for customer_id, ref, product_id, kind, occurred_at, quantity, order_ref in _rows(imported):
        user = f"c:{customer_id}" if customer_id is not None else f"x:{ref}"
        when = _epoch(occurred_at)
        users.append(user)
        items.append(str(product_id))
        times.append(when)
        kinds.append(EVENT_KINDS[kind])
        quantities.append(float(quantity))
        baskets.append(f"x:{ref}#{order_ref}" if order_ref else f"{user}@{when}")

    return InteractionLog.from_rows(
        users=users, items=items, times=times, kinds=kinds, quantities=quantities, baskets=baskets
    )


async def fingerprint(session: AsyncSession, store_id: int) -> str:
    """A digest that changes whenever anything training reads changes (counts and last marks)."""
    parts: list[Any] = []
    statements: list[Any] = [
        select(func.count(Order.id), func.max(Order.updated_at)).where(Order.store_id == store_id),
        select(func.count(OrderLine.id), func.max(OrderLine.id)).where(
            OrderLine.store_id == store_id
        ),
        select(func.count(Event.id), func.max(Event.id)).where(
            Event.store_id == store_id, Event.type.in_(EVENT_TYPES)
        ),
        select(func.count(ImportedInteraction.id), func.max(ImportedInteraction.id)).where(
            ImportedInteraction.store_id == store_id
        ),
        select(func.count(Product.id), func.max(Product.updated_at)).where(
            Product.store_id == store_id
        ),
        select(func.count(Variant.id), func.max(Variant.updated_at)).where(
            Variant.store_id == store_id
        ),
        select(func.count(Brand.id), func.max(Brand.updated_at)).where(Brand.store_id == store_id),
        select(func.count(Category.id), func.max(Category.updated_at)).where(
            Category.store_id == store_id
        ),
    ]
    for statement in statements:
        parts.extend(str(v) for v in (await session.execute(statement)).one())
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


# ---------------------------------------------------------------- serving


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One interaction of a shopper: product, when, what kind, and its basket (order)."""

    product_id: int
    at: int
    kind: Kind
    basket: str


async def customer_history(
    session: AsyncSession, store_id: int, customer_id: int, *, limit: int = 500
) -> list[HistoryRow]:
    """The customer's most recent purchases, product events and imported interactions."""
    rows: list[HistoryRow] = []
    lines = await session.execute(
        select(Order.id, Order.placed_at, OrderLine.product_id)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(
            Order.store_id == store_id,
            Order.customer_id == customer_id,
            Order.status.not_in(NOT_PURCHASED),
            OrderLine.product_id.is_not(None),
        )
        .order_by(Order.placed_at.desc(), OrderLine.id)
        .limit(limit)
    )
    rows.extend(
        HistoryRow(int(pid), _epoch(at), Kind.PURCHASE, f"o:{oid}") for oid, at, pid in _rows(lines)
    )
    events = await session.execute(
        select(Event.product_id, Event.type, Event.occurred_at)
        .where(
            Event.store_id == store_id,
            Event.customer_id == customer_id,
            Event.type.in_(EVENT_TYPES),
            Event.product_id.is_not(None),
            or_(Event.type != "purchase", Event.order_id.is_(None)),
        )
        .order_by(Event.occurred_at.desc())
        .limit(limit)
    )
    rows.extend(
        HistoryRow(int(pid), _epoch(at), EVENT_KINDS[t], f"e@{_epoch(at)}")
        for pid, t, at in _rows(events)
    )
    imported = await session.execute(
        select(
            ImportedInteraction.product_id,
            ImportedInteraction.kind,
            ImportedInteraction.occurred_at,
            ImportedInteraction.order_ref,
        )
        .where(
            ImportedInteraction.store_id == store_id,
            ImportedInteraction.customer_id == customer_id,
        )
        .order_by(ImportedInteraction.occurred_at.desc())
        .limit(limit)
    )
    rows.extend(
        HistoryRow(int(pid), _epoch(at), EVENT_KINDS[k], f"x#{ref or _epoch(at)}")
        for pid, k, at, ref in _rows(imported)
    )
    return rows


async def session_products(
    session: AsyncSession, store_id: int, session_id: str, *, limit: int = 20
) -> list[int]:
    """Products the session viewed or carted, most recent first, each once."""
    result = await session.execute(
        select(Event.product_id)
        .where(
            Event.store_id == store_id,
            Event.session_id == session_id,
            Event.type.in_(("view", "product_view", "add_to_cart", "recommendation_click")),
            Event.product_id.is_not(None),
        )
        .order_by(Event.occurred_at.desc(), Event.id.desc())
        .limit(limit * 3)
    )
    return list(dict.fromkeys(int(pid) for (pid,) in _rows(result)))[:limit]


@dataclass(frozen=True, slots=True)
class ProductCard:
    """What a list shows of a product, and whether it can be recommended right now."""

    product_id: int
    title: str
    handle: str
    category: str | None
    price: int | None
    currency: str | None
    image_url: str | None
    in_stock: bool


async def product_cards(
    session: AsyncSession, store_id: int, product_ids: Sequence[int]
) -> dict[int, ProductCard]:
    """Active products of the store among `product_ids`, with price and live stock.

    A product is in stock when one of its active variants has units available, or when none of
    its variants has any inventory level (the store does not track stock for it).
    """
    ids = sorted(set(product_ids))
    found: dict[int, ProductCard] = {}
    for chunk in _chunks(ids):
        products = _rows(
            await session.execute(
                select(Product.id, Product.title, Product.handle, Category.path, Category.name)
                .outerjoin(Category, Category.id == Product.category_id)
                .where(
                    Product.store_id == store_id,
                    Product.id.in_(chunk),
                    Product.status == "active",
                )
            )
        )
        if not products:
            continue
        live = [row[0] for row in products]
        stock = _rows(
            await session.execute(
                select(
                    Variant.product_id,
                    Variant.id,
                    Variant.price,
                    Variant.currency,
                    Variant.image_url,
                    func.count(InventoryLevel.id),
                    func.coalesce(
                        func.sum(
                            case(
                                (
                                    InventoryLevel.on_hand > InventoryLevel.reserved,
                                    InventoryLevel.on_hand - InventoryLevel.reserved,
                                ),
                                else_=0,
                            )
                        ),
                        0,
                    ),
                )
                .outerjoin(
                    InventoryLevel,
                    and_(
                        InventoryLevel.variant_id == Variant.id,
                        InventoryLevel.store_id == store_id,
                    ),
                )
                .where(
                    Variant.store_id == store_id,
                    Variant.product_id.in_(live),
                    Variant.status == "active",
                )
                .group_by(
                    Variant.product_id,
                    Variant.id,
                    Variant.price,
                    Variant.currency,
                    Variant.image_url,
                )
                .order_by(Variant.product_id, Variant.position, Variant.id)
            )
        )
        images = _rows(
            await session.execute(
                select(ProductImage.product_id, ProductImage.url)
                .where(ProductImage.store_id == store_id, ProductImage.product_id.in_(live))
                .order_by(ProductImage.product_id, ProductImage.position, ProductImage.id)
            )
        )
        first_image: dict[int, str] = {}
        for pid, url in images:
            first_image.setdefault(int(pid), url)
        tracked: dict[int, bool] = {}
        sellable: dict[int, list[tuple[int, str, str | None]]] = defaultdict(list)
        any_variant: dict[int, list[tuple[int, str, str | None]]] = defaultdict(list)
        for pid, _vid, price, currency, image, levels, available in stock:
            any_variant[pid].append((price, currency, image))
            if levels:
                tracked[pid] = True
            if levels == 0 or available > 0:
                sellable[pid].append((price, currency, image))
        for pid, title, handle, path, cat_name in products:
            offers = sellable.get(pid) or []
            # a tracked product sells only variants with stock; an untracked one sells them all
            in_stock = bool(offers) if tracked.get(pid) else bool(any_variant.get(pid))
            shown = offers or any_variant.get(pid) or []
            cheapest = min(shown, key=lambda o: o[0]) if shown else None
            found[int(pid)] = ProductCard(
                product_id=int(pid),
                title=title,
                handle=handle,
                category=(path or cat_name) or None,
                price=cheapest[0] if cheapest else None,
                currency=cheapest[1] if cheapest else None,
                image_url=first_image.get(int(pid)) or (cheapest[2] if cheapest else None),
                in_stock=in_stock,
            )
    return found


async def bestsellers(
    session: AsyncSession, store_id: int, *, since: dt.datetime, limit: int
) -> list[tuple[int, int]]:
    """(product, units) by units sold since `since`, then the newest active products with
    units 0 — the list before a store's first training."""
    sold = await session.execute(
        select(OrderLine.product_id, func.sum(OrderLine.quantity).label("units"))
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            Order.store_id == store_id,
            Order.status.not_in(NOT_PURCHASED),
            Order.placed_at >= since,
            OrderLine.product_id.is_not(None),
        )
        .group_by(OrderLine.product_id)
        .order_by(func.sum(OrderLine.quantity).desc(), OrderLine.product_id)
        .limit(limit)
    )
    ranked = [(int(pid), int(units)) for pid, units in _rows(sold)]
    if len(ranked) < limit:
        seen = {pid for pid, _ in ranked}
        newest = await session.execute(
            select(Product.id)
            .where(Product.store_id == store_id, Product.status == "active")
            .order_by(Product.created_at.desc(), Product.id.desc())
            .limit(limit)
        )
        ranked.extend((int(pid), 0) for (pid,) in _rows(newest) if int(pid) not in seen)
    return ranked[:limit]


# ---------------------------------------------------------------- import resolution


async def resolve_products(
    session: AsyncSession, store_id: int, refs: Sequence[str]
) -> dict[str, int]:
    """Products the refs of an imported file name: by external id, SKU, handle, then id."""
    wanted = sorted(set(refs))
    found: dict[str, int] = {}
    for chunk in _chunks(wanted):
        rows = await session.execute(
            select(Product.external_id, Product.id).where(
                Product.store_id == store_id, Product.external_id.in_(chunk)
            )
        )
        for ref, pid in _rows(rows):
            found.setdefault(str(ref), int(pid))
    for chunk in _chunks([r for r in wanted if r not in found]):
        rows = await session.execute(
            select(Variant.sku, Variant.product_id).where(
                Variant.store_id == store_id, Variant.sku.in_(chunk)
            )
        )
        for ref, pid in _rows(rows):
            found.setdefault(str(ref), int(pid))
    for chunk in _chunks([r for r in wanted if r not in found]):
        rows = await session.execute(
            select(Product.handle, Product.id).where(
                Product.store_id == store_id, Product.handle.in_(chunk)
            )
        )
        for ref, pid in _rows(rows):
            found.setdefault(str(ref), int(pid))
    numeric = [int(r) for r in wanted if r not in found and r.isdigit() and len(r) < 19]
    for chunk in _chunks(numeric):
        rows = await session.execute(
            select(Product.id).where(Product.store_id == store_id, Product.id.in_(chunk))
        )
        for (pid,) in _rows(rows):
            found.setdefault(str(pid), int(pid))
    return found


async def resolve_customers(
    session: AsyncSession, store_id: int, refs: Sequence[str]
) -> dict[str, int]:
    """Customers the refs of an imported file name: by external id, e-mail, then id."""
    wanted = sorted(set(refs))
    found: dict[str, int] = {}
    for chunk in _chunks(wanted):
        rows = await session.execute(
            select(Customer.external_id, Customer.id)
            .where(Customer.store_id == store_id, Customer.external_id.in_(chunk))
            .order_by(Customer.id)
        )
        for ref, cid in _rows(rows):
            found.setdefault(str(ref), int(cid))
    # e-mails are stored encrypted: match the keyed digests of the normalised refs
    emails = {
        key: r
        for r in wanted
        if r not in found and "@" in r
        for key in blind_candidates(Customer.__table__, "email", r)  # type: ignore[arg-type]
    }
    for chunk in _chunks(sorted(emails)):
        rows = await session.execute(
            select(Customer.email_index, Customer.id)
            .where(Customer.store_id == store_id, Customer.email_index.in_(chunk))
            .order_by(Customer.id)
        )
        for email_key, cid in _rows(rows):
            found.setdefault(emails[str(email_key)], int(cid))
    numeric = [int(r) for r in wanted if r not in found and r.isdigit() and len(r) < 19]
    for chunk in _chunks(numeric):
        rows = await session.execute(
            select(Customer.id).where(Customer.store_id == store_id, Customer.id.in_(chunk))
        )
        for (cid,) in _rows(rows):
            found.setdefault(str(cid), int(cid))
    return found


async def product_exists(session: AsyncSession, store_id: int, product_id: int) -> bool:
    """Whether the store has a product with this id (any status)."""
    found = await session.execute(
        select(Product.id).where(Product.store_id == store_id, Product.id == product_id)
    )
    return found.first() is not None
