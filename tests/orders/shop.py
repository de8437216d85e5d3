"""A small shop for the order tests, and a snapshot of everything a store holds.

`build_shop` makes a store with one location, a shirt in four variants (one out of stock, one
archived), a mug, a customer with a Visa card, PayPal and a gift card, and a second customer.
`snapshot` reads every row of the store that an order operation could touch, so a refused
operation can be shown to change nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from floorwalker.catalog.models import Product, Variant
from floorwalker.customers.models import Customer, PaymentMethod
from floorwalker.inventory.models import InventoryLevel, Location
from floorwalker.kit.actor import Actor, ActorKind, Scope
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.models import metadata
from floorwalker.orders.models import Order, OrderLine, PaymentTransaction
from floorwalker.stores.models import Store
from floorwalker.stores.policy import StorePolicy
from tests import factories

SNAPSHOT_TABLES = (
    "orders", "order_lines", "fulfilments", "payment_transactions", "order_returns",
    "order_exchanges", "customers", "addresses", "payment_methods", "inventory_levels",
    "audit_entries", "idempotency_records",
)  # fmt: skip


@dataclass
class Shop:
    """Everything a test needs, built fresh for each test."""

    store: Store
    location: Location
    shirt: Product
    m_blue: Variant  # 4500, 5 in stock
    l_blue: Variant  # 4500, out of stock
    m_white: Variant  # 4800, 3 in stock
    l_white: Variant  # 4800, 4 in stock, archived
    mug: Product
    mug_variant: Variant  # 1200, 10 in stock
    customer: Customer
    card: PaymentMethod
    paypal: PaymentMethod
    gift_card: PaymentMethod  # balance 10000
    other_customer: Customer
    other_card: PaymentMethod

    @property
    def staff(self) -> Actor:
        """A key with the write scope."""
        return Actor(
            store_id=self.store.id, kind=ActorKind.API_KEY, id="7", scopes=frozenset({Scope.WRITE})
        )

    @property
    def shopper(self) -> Actor:
        """The verified customer."""
        return Actor.shopper(self.store.id, self.customer.id)

    @property
    def stranger(self) -> Actor:
        """Another verified customer of the same store."""
        return Actor.shopper(self.store.id, self.other_customer.id)


async def _methods(session: AsyncSession, customer: Customer) -> dict[str, PaymentMethod]:
    rows = await session.scalars(
        select(PaymentMethod).where(PaymentMethod.customer_id == customer.id)
    )
    return {m.kind: m for m in rows}


async def build_shop(db: Database, *, policy: StorePolicy | None = None) -> Shop:
    """A fresh store with products, stock and two customers."""
    async with db.transaction() as s:
        store = await factories.create_store(s, policy=policy)
        location = await factories.create_location(s, store)
        shirt = await factories.create_product(
            s,
            store,
            title="Linen Shirt",
            location=location,
            variants=[
                {"options": {"size": "M", "colour": "Blue"}, "price": 4500, "stock": 5},
                {"options": {"size": "L", "colour": "Blue"}, "price": 4500, "stock": 0},
                {"options": {"size": "M", "colour": "White"}, "price": 4800, "stock": 3},
                {"options": {"size": "L", "colour": "White"}, "price": 4800, "stock": 4},
            ],
        )
        mug = await factories.create_product(
            s,
            store,
            title="Enamel Mug",
            location=location,
            variants=[{"options": {"colour": "Green"}, "price": 1200, "stock": 10}],
        )
        variants = list(
            await s.scalars(
                select(Variant).where(Variant.product_id == shirt.id).order_by(Variant.position)
            )
        )
        variants[3].status = "archived"
        mug_variant = await s.scalar(select(Variant).where(Variant.product_id == mug.id))
        assert mug_variant is not None
        customer = await factories.create_customer(s, store)
        other = await factories.create_customer(s, store, gift_card_balance=None)
        mine, theirs = await _methods(s, customer), await _methods(s, other)
        return Shop(
            store=store,
            location=location,
            shirt=shirt,
            m_blue=variants[0],
            l_blue=variants[1],
            m_white=variants[2],
            l_white=variants[3],
            mug=mug,
            mug_variant=mug_variant,
            customer=customer,
            card=mine["card"],
            paypal=mine["paypal"],
            gift_card=mine["gift_card"],
            other_customer=other,
            other_card=theirs["card"],
        )


async def place_order(
    db: Database,
    shop: Shop,
    *,
    lines: list[tuple[Variant, int]],
    status: str = "pending",
    pay_with: list[tuple[PaymentMethod, int]] | None = None,
    hold_stock: bool = False,
    delivered_days_ago: float = 1,
    customer: Customer | None = None,
) -> Order:
    """An order of the shop; paid in full by the card unless `pay_with` splits it.

    Gift-card payments take their amount off the card's balance, as a real checkout would.
    `hold_stock` reserves each line's units at the shop's location, as Floorwalker does.
    """
    async with db.transaction() as s:
        order = await factories.create_order(
            s,
            shop.store,
            customer or shop.customer,
            lines=lines,
            status=status,
            delivered_at=utcnow() - dt.timedelta(days=delivered_days_ago),
        )
        for method, amount in [(shop.card, order.total)] if pay_with is None else pay_with:
            s.add(
                PaymentTransaction(
                    store_id=shop.store.id,
                    order_id=order.id,
                    kind="payment",
                    amount=amount,
                    currency=shop.store.currency,
                    payment_method_id=method.id,
                    method_kind=method.kind,
                    method_label=method.label,
                    reason="order placed",
                )
            )
            if method.kind == "gift_card":
                await s.execute(
                    update(PaymentMethod)
                    .where(PaymentMethod.id == method.id)
                    .values(balance=PaymentMethod.balance - amount)
                )
        if hold_stock:
            for line in await s.scalars(select(OrderLine).where(OrderLine.order_id == order.id)):
                line.reserved_location_id = shop.location.id
                await s.execute(
                    update(InventoryLevel)
                    .where(
                        InventoryLevel.variant_id == line.variant_id,
                        InventoryLevel.location_id == shop.location.id,
                    )
                    .values(reserved=InventoryLevel.reserved + line.quantity)
                )
        return order


async def snapshot(db: Database, store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every row of the store in the tables an order operation can touch."""
    out: dict[str, list[dict[str, Any]]] = {}
    async with db.reading() as s:
        for name in SNAPSHOT_TABLES:
            table = metadata.tables[name]
            rows = await s.execute(
                select(table).where(table.c.store_id == store.id).order_by(table.c.id)
            )
            out[name] = [dict(r._mapping) for r in rows]
    return out


async def balance(db: Database, method: PaymentMethod) -> int | None:
    """A payment method's current balance."""
    async with db.reading() as s:
        return await s.scalar(select(PaymentMethod.balance).where(PaymentMethod.id == method.id))


async def stock(db: Database, variant: Variant) -> tuple[int, int]:
    """(on hand, reserved) of a variant over every location."""
    async with db.reading() as s:
        levels = list(
            await s.scalars(select(InventoryLevel).where(InventoryLevel.variant_id == variant.id))
        )
        return sum(lvl.on_hand for lvl in levels), sum(lvl.reserved for lvl in levels)


async def transactions(db: Database, order: Order) -> list[tuple[str, int, str, str, str]]:
    """(kind, amount, method label, status, reason) of an order's transactions, in order."""
    async with db.reading() as s:
        rows = await s.scalars(
            select(PaymentTransaction)
            .where(PaymentTransaction.order_id == order.id)
            .order_by(PaymentTransaction.id)
        )
        return [(t.kind, t.amount, t.method_label, t.status, t.reason) for t in rows]


async def reload(db: Database, order: Order) -> Order:
    """The order as stored now (lines, returns and exchanges loaded)."""
    async with db.reading() as s:
        found = await s.scalar(
            select(Order)
            .where(Order.id == order.id)
            .options(
                selectinload(Order.lines),
                selectinload(Order.returns),
                selectinload(Order.exchanges),
            )
        )
        assert found is not None
        return found
