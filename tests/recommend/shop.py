"""A small clothing-and-home shop with a purchase history, built in the test's store.

Products (category, brand, stock):
    shirt    Linen Shirt      Clothing > Shirts    Breeze  in stock
    chinos   Chino Trousers   Clothing > Trousers  Tailor  in stock
    sneakers Canvas Sneakers  Footwear > Shoes     Stride  in stock
    boots    Leather Boots    Footwear > Shoes     Stride  OUT OF STOCK (and popular)
    beans    Coffee Beans     Home > Pantry        Hearth  in stock (bought again and again)
    oxford   Oxford Shirt     Clothing > Shirts    Breeze  in stock
    dress    Linen Dress      Clothing > Dresses   Breeze  in stock
    mug      Stoneware Mug    Home > Kitchen       Hearth  in stock
    sample   Secret Sample    (draft: never sold)

Shoppers: ada (consents to personalisation; bought the shirt yesterday), bob (same purchase,
no consent), cleo (consents; said she likes Tailor; never ordered), dan (consents; buys beans
every few weeks), and eleven others whose orders make the co-occurrence signal.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.catalog.models import Brand, Category, Product, Variant
from floorwalker.customers.models import Customer
from floorwalker.events.models import Event
from floorwalker.inventory.models import InventoryLevel
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.orders.models import Order, OrderLine
from floorwalker.stores.models import Store
from tests import factories

_seq = itertools.count(1)

PRODUCTS: dict[str, dict[str, Any]] = {
    "shirt": {"title": "Linen Shirt", "category": ("Clothing", "Shirts"), "brand": "Breeze",
              "variants": [({"size": "S", "colour": "White"}, 4500, 5),
                           ({"size": "M", "colour": "White"}, 4500, 5)]},
    "chinos": {"title": "Chino Trousers", "category": ("Clothing", "Trousers"), "brand": "Tailor",
               "variants": [({"size": "M"}, 6000, 5), ({"size": "L"}, 6000, 5)]},
    "sneakers": {"title": "Canvas Sneakers", "category": ("Footwear", "Shoes"), "brand": "Stride",
                 "variants": [({"size": "41"}, 7000, 5), ({"size": "42"}, 7000, 5)]},
    "boots": {"title": "Leather Boots", "category": ("Footwear", "Shoes"), "brand": "Stride",
              "variants": [({"size": "42"}, 12000, 0)]},
    "beans": {"title": "Coffee Beans", "category": ("Home", "Pantry"), "brand": "Hearth",
              "variants": [({"weight": "1kg"}, 900, 50)]},
    "oxford": {"title": "Oxford Shirt", "category": ("Clothing", "Shirts"), "brand": "Breeze",
               "variants": [({"size": "L", "colour": "Blue"}, 5000, 5)]},
    "dress": {"title": "Linen Dress", "category": ("Clothing", "Dresses"), "brand": "Breeze",
              "variants": [({"size": "M"}, 8000, 3)]},
    "mug": {"title": "Stoneware Mug", "category": ("Home", "Kitchen"), "brand": "Hearth",
            "variants": [({"colour": "Grey"}, 1500, 10)]},
    "sample": {"title": "Secret Sample", "category": ("Home", "Kitchen"), "brand": "Hearth",
               "variants": [({"colour": "Red"}, 100, 10)], "status": "draft"},
}  # fmt: skip

#: (customer, [products], days ago) — one order each.
ORDERS: list[tuple[str, list[str], float]] = [
    ("c1", ["shirt", "chinos"], 20), ("c2", ["shirt", "chinos"], 15),
    ("c3", ["shirt", "sneakers"], 12), ("c4", ["beans"], 40), ("c4", ["beans"], 10),
    ("c5", ["beans"], 30), ("c5", ["beans"], 5), ("c6", ["oxford"], 3),
    ("c7", ["sneakers"], 2), ("c8", ["boots"], 4), ("c9", ["boots"], 6),
    ("c10", ["boots", "sneakers"], 8), ("c11", ["mug", "beans"], 9),
    ("ada", ["shirt"], 1), ("bob", ["shirt"], 1),
    ("dan", ["beans"], 35), ("dan", ["beans"], 8),
]  # fmt: skip
CONSENTING = {"ada", "cleo", "dan"}
PREFERENCES = {"cleo": {"brands_liked": ["Tailor"]}}


@dataclass
class Shop:
    """Ids of the fixture shop's products, variants and customers, by short name."""

    store: Store
    products: dict[str, int] = field(default_factory=dict)
    variants: dict[str, int] = field(default_factory=dict)
    customers: dict[str, int] = field(default_factory=dict)
    location_id: int = 0

    def name_of(self, product_id: int) -> str:
        """The short name of a product id."""
        return next(name for name, pid in self.products.items() if pid == product_id)

    def names(self, product_ids: list[int]) -> list[str]:
        """Short names of product ids."""
        return [self.name_of(pid) for pid in product_ids]


def consent(granted: bool) -> dict[str, Any]:
    """A consent document granting or refusing personalisation."""
    return {"personalisation": {"granted": granted, "at": utcnow().isoformat(), "source": "test"}}


async def add_order(
    session: AsyncSession, shop: Shop, customer: str, products: list[str], days_ago: float
) -> int:
    """An order of one unit of each product, placed `days_ago` days ago."""
    placed = utcnow() - dt.timedelta(days=days_ago)
    order = Order(
        store_id=shop.store.id,
        number=f"#R{next(_seq)}",
        customer_id=shop.customers[customer],
        status="delivered",
        currency=shop.store.currency,
        placed_at=placed,
    )
    session.add(order)
    await session.flush()
    for position, name in enumerate(products):
        session.add(
            OrderLine(
                store_id=shop.store.id,
                order_id=order.id,
                variant_id=shop.variants[name],
                product_id=shop.products[name],
                position=position,
                title=PRODUCTS[name]["title"],
                quantity=1,
                unit_price=PRODUCTS[name]["variants"][0][1],
            )
        )
    await session.flush()
    return order.id


async def add_event(
    session: AsyncSession,
    shop: Shop,
    *,
    type_: str,
    product: str,
    session_id: str | None = None,
    customer: str | None = None,
    minutes_ago: float = 5,
) -> None:
    """A browsing event."""
    session.add(
        Event(
            store_id=shop.store.id,
            event_id=f"ev-{next(_seq)}",
            type=type_,
            occurred_at=utcnow() - dt.timedelta(minutes=minutes_ago),
            customer_id=shop.customers[customer] if customer else None,
            session_id=session_id,
            product_id=shop.products[product],
        )
    )
    await session.flush()


async def build_shop(db: Database, store: Store) -> Shop:
    """Create the fixture shop in `store` (committed)."""
    shop = Shop(store=store)
    async with db.transaction() as session:
        location = await factories.create_location(session, store)
        shop.location_id = location.id
        categories: dict[tuple[str, str], int] = {}
        brands: dict[str, int] = {}
        for name, spec in PRODUCTS.items():
            top, leaf = spec["category"]
            if (top, leaf) not in categories:
                category = Category(
                    store_id=store.id,
                    name=leaf,
                    slug=factories.unique("cat-"),
                    path=f"{top} > {leaf}",
                )
                session.add(category)
                await session.flush()
                categories[(top, leaf)] = category.id
            if spec["brand"] not in brands:
                brand = Brand(store_id=store.id, name=spec["brand"], slug=factories.unique("b-"))
                session.add(brand)
                await session.flush()
                brands[spec["brand"]] = brand.id
            product = Product(
                store_id=store.id,
                handle=factories.unique(f"{name}-"),
                title=spec["title"],
                description=f"The {spec['title'].lower()} from {spec['brand']}.",
                brand_id=brands[spec["brand"]],
                category_id=categories[(top, leaf)],
                status=spec.get("status", "active"),
                option_names=list(spec["variants"][0][0]),
            )
            session.add(product)
            await session.flush()
            shop.products[name] = product.id
            for position, (options, price, stock) in enumerate(spec["variants"]):
                variant = Variant(
                    store_id=store.id,
                    product_id=product.id,
                    sku=factories.unique(f"SKU-{name}-"),
                    title=" / ".join(options.values()),
                    options=options,
                    price=price,
                    currency=store.currency,
                    position=position,
                )
                session.add(variant)
                await session.flush()
                shop.variants.setdefault(name, variant.id)
                session.add(
                    InventoryLevel(
                        store_id=store.id,
                        variant_id=variant.id,
                        location_id=location.id,
                        on_hand=stock,
                        reserved=0,
                    )
                )
        names = sorted({c for c, _, _ in ORDERS} | CONSENTING)
        for name in names:
            customer = Customer(
                store_id=store.id,
                email=f"{name}.{factories.unique('x')}@example.com",
                first_name=name.title(),
                consent=consent(True) if name in CONSENTING else {},
                preferences=PREFERENCES.get(name, {}),
            )
            session.add(customer)
            await session.flush()
            shop.customers[name] = customer.id
        for customer_name, products, days in ORDERS:
            await add_order(session, shop, customer_name, products, days)
    return shop
