"""Builders for insights tests: sales on given days, categories, stock at two locations."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.catalog.models import Category, Variant
from floorwalker.customers.models import Customer
from floorwalker.inventory.models import InventoryLevel, Location
from floorwalker.kit.clock import utcnow
from floorwalker.orders.models import Order, OrderLine
from floorwalker.stores.models import Store
from tests import factories


def this_monday(store: Store, today: dt.date | None = None) -> dt.date:
    """Monday of the store's current week (where the forecast starts)."""
    today = today or utcnow().astimezone(ZoneInfo(store.timezone)).date()
    return today - dt.timedelta(days=today.weekday())


def at_noon(day: dt.date) -> dt.datetime:
    """Noon UTC on a day: the same calendar day in every European timezone."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


async def category(
    session: AsyncSession, store: Store, name: str, parent: Category | None = None
) -> Category:
    """A category (path kept by hand here)."""
    row = Category(
        store_id=store.id,
        name=name,
        slug=factories.unique(name.lower() + "-"),
        parent_id=parent.id if parent else None,
        path=f"{parent.path} > {name}" if parent else name,
    )
    session.add(row)
    await session.flush()
    return row


async def set_stock(
    session: AsyncSession,
    store: Store,
    variant: Variant,
    location: Location,
    *,
    on_hand: int,
    reserved: int = 0,
) -> None:
    """Add a level of a variant at a location."""
    session.add(
        InventoryLevel(
            store_id=store.id,
            variant_id=variant.id,
            location_id=location.id,
            on_hand=on_hand,
            reserved=reserved,
        )
    )
    await session.flush()


async def sell(
    session: AsyncSession,
    store: Store,
    customer: Customer | None,
    variant: Variant,
    *,
    days: list[dt.date],
    quantity: int = 1,
    status: str = "delivered",
    at: dt.time | None = None,
) -> list[Order]:
    """One order of `quantity` units of `variant` on each day (noon UTC unless `at`)."""
    orders = []
    for day in days:
        placed = dt.datetime.combine(day, at, tzinfo=dt.UTC) if at else at_noon(day)
        order = Order(
            store_id=store.id,
            number=factories.unique("#S"),
            customer_id=customer.id if customer else None,
            email=customer.email if customer else "guest@example.com",
            status=status,
            currency=store.currency,
            subtotal=variant.price * quantity,
            total=variant.price * quantity,
            placed_at=placed,
        )
        session.add(order)
        await session.flush()
        session.add(
            OrderLine(
                store_id=store.id,
                order_id=order.id,
                variant_id=variant.id,
                product_id=variant.product_id,
                title="Product",
                quantity=quantity,
                unit_price=variant.price,
            )
        )
        orders.append(order)
    await session.flush()
    return orders


def days_back(monday: dt.date, weeks: int) -> list[dt.date]:
    """Every day of the `weeks` full weeks before `monday`."""
    start = monday - dt.timedelta(weeks=weeks)
    return [start + dt.timedelta(days=i) for i in range(weeks * 7)]
