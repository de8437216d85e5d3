"""Builders of test data, written straight through the ORM (fast, explicit, no magic)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.auth import service as auth_service
from floorwalker.auth.schemas import ApiKeyCreate, KeyKind
from floorwalker.catalog.models import Category, Product, Variant
from floorwalker.customers.models import Address, Customer, PaymentMethod
from floorwalker.inventory.models import InventoryLevel, Location
from floorwalker.kit.actor import Actor, Scope
from floorwalker.kit.clock import utcnow
from floorwalker.orders.models import Fulfilment, Order, OrderLine, PaymentTransaction
from floorwalker.stores.models import Store
from floorwalker.stores.policy import StorePolicy

_seq = itertools.count(1)


def unique(prefix: str) -> str:
    """A value unique within the test run."""
    return f"{prefix}{next(_seq)}"


async def create_store(
    session: AsyncSession, *, currency: str = "USD", policy: StorePolicy | None = None
) -> Store:
    """A store with a unique slug."""
    store = Store(
        slug=unique("store-"),
        name="Test Store",
        currency=currency,
        timezone="Europe/London",
        policy=(policy or StorePolicy()).model_dump(mode="json"),
        settings={},
    )
    session.add(store)
    await session.flush()
    return store


async def create_key(
    session: AsyncSession,
    store: Store,
    *,
    scopes: list[str] | None = None,
    kind: KeyKind = KeyKind.SECRET,
) -> str:
    """An API key of the store; returns the key itself."""
    _key, token = await auth_service.create_key(
        session,
        Actor.system(store.id),
        data=ApiKeyCreate(
            name=unique("key-"),
            kind=kind,
            scopes=[Scope(s) for s in (scopes or ["read"])] if kind is KeyKind.SECRET else [],
        ),
    )
    return token


async def create_location(session: AsyncSession, store: Store, *, code: str = "WH1") -> Location:
    """A stock location."""
    location = Location(store_id=store.id, code=code, name=f"Warehouse {code}")
    session.add(location)
    await session.flush()
    return location


async def create_product(
    session: AsyncSession,
    store: Store,
    *,
    title: str = "Linen Shirt",
    variants: list[dict[str, Any]] | None = None,
    location: Location | None = None,
    category: Category | None = None,
    description: str = "A breathable shirt.",
) -> Product:
    """A product with variants and stock.

    Each variant spec: {"options": {...}, "price": int, "stock": int, "sku": str}.
    """
    specs = variants or [
        {"options": {"size": "M", "colour": "Blue"}, "price": 4500, "stock": 5},
        {"options": {"size": "L", "colour": "Blue"}, "price": 4500, "stock": 0},
        {"options": {"size": "M", "colour": "White"}, "price": 4800, "stock": 3},
    ]
    product = Product(
        store_id=store.id,
        handle=unique("product-"),
        title=title,
        description=description,
        option_names=list(specs[0]["options"].keys()),
        category_id=category.id if category else None,
    )
    session.add(product)
    await session.flush()
    for position, spec in enumerate(specs):
        variant = Variant(
            store_id=store.id,
            product_id=product.id,
            sku=spec.get("sku") or unique("SKU-"),
            title=" / ".join(str(v) for v in spec["options"].values()),
            options=spec["options"],
            price=spec["price"],
            currency=store.currency,
            position=position,
        )
        session.add(variant)
        await session.flush()
        if location is not None:
            session.add(
                InventoryLevel(
                    store_id=store.id,
                    variant_id=variant.id,
                    location_id=location.id,
                    on_hand=spec.get("stock", 0),
                    reserved=0,
                )
            )
    await session.flush()
    return product


async def create_customer(
    session: AsyncSession,
    store: Store,
    *,
    email: str | None = None,
    gift_card_balance: int | None = 10000,
) -> Customer:
    """A customer with a default address, a Visa card, PayPal and (optionally) a gift card."""
    customer = Customer(
        store_id=store.id,
        email=email or f"{unique('shopper')}@example.com",
        first_name="Ada",
        last_name="Lovelace",
    )
    session.add(customer)
    await session.flush()
    session.add(
        Address(
            store_id=store.id,
            customer_id=customer.id,
            name="Ada Lovelace",
            line1="12 St James's Square",
            city="London",
            postal_code="SW1Y 4JH",
            country="GB",
            is_default=True,
        )
    )
    session.add(
        PaymentMethod(
            store_id=store.id, customer_id=customer.id, kind="card", brand="visa", last4="4242"
        )
    )
    session.add(PaymentMethod(store_id=store.id, customer_id=customer.id, kind="paypal"))
    if gift_card_balance is not None:
        session.add(
            PaymentMethod(
                store_id=store.id,
                customer_id=customer.id,
                kind="gift_card",
                last4="7777",
                balance=gift_card_balance,
                currency=store.currency,
            )
        )
    await session.flush()
    return customer


async def create_order(
    session: AsyncSession,
    store: Store,
    customer: Customer,
    *,
    lines: list[tuple[Variant, int]],
    status: str = "pending",
    payment_method: PaymentMethod | None = None,
    delivered_at: dt.datetime | None = None,
    number: str | None = None,
) -> Order:
    """An order paid in full by one payment method; delivered orders get a fulfilment."""
    subtotal = sum(v.price * q for v, q in lines)
    order = Order(
        store_id=store.id,
        number=number or unique("#W"),
        customer_id=customer.id,
        email=customer.email,
        status=status,
        currency=store.currency,
        subtotal=subtotal,
        total=subtotal,
        shipping_address={
            "name": "Ada Lovelace",
            "line1": "12 St James's Square",
            "city": "London",
            "postal_code": "SW1Y 4JH",
            "country": "GB",
        },
        placed_at=utcnow() - dt.timedelta(days=3),
    )
    session.add(order)
    await session.flush()
    for position, (variant, quantity) in enumerate(lines):
        session.add(
            OrderLine(
                store_id=store.id,
                order_id=order.id,
                variant_id=variant.id,
                product_id=variant.product_id,
                position=position,
                sku=variant.sku,
                title="Product",
                variant_title=variant.title,
                options=variant.options,
                quantity=quantity,
                unit_price=variant.price,
            )
        )
    if payment_method is not None:
        session.add(
            PaymentTransaction(
                store_id=store.id,
                order_id=order.id,
                kind="payment",
                amount=subtotal,
                currency=store.currency,
                payment_method_id=payment_method.id,
                method_kind=payment_method.kind,
                method_label=payment_method.label,
                reason="order placed",
            )
        )
    if status in {"delivered", "shipped"}:
        session.add(
            Fulfilment(
                store_id=store.id,
                order_id=order.id,
                status="delivered" if status == "delivered" else "in_transit",
                carrier="UPS",
                tracking_numbers=[unique("1Z")],
                shipped_at=utcnow() - dt.timedelta(days=2),
                delivered_at=(delivered_at or utcnow() - dt.timedelta(days=1))
                if status == "delivered"
                else None,
            )
        )
    await session.flush()
    return order
