"""The full-size demo store has what a real shop has, in the amounts the issue promises."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.catalog.models import Brand, Category, Product, ProductImage, Variant
from floorwalker.customers.models import Address, Customer, PaymentMethod
from floorwalker.demo.images import svg_for_path
from floorwalker.events.models import Event, SessionLink
from floorwalker.inventory.models import InventoryLevel, Location
from floorwalker.kit.db import Database
from floorwalker.knowledge.models import Article
from floorwalker.orders.models import (
    Fulfilment,
    Order,
    OrderExchange,
    OrderLine,
    OrderReturn,
    PaymentTransaction,
)
from floorwalker.orders.schemas import OrderStatus
from floorwalker.stores.models import Store
from tests.demo.conftest import DemoStore


async def count(s: AsyncSession, model: Any, store_id: int, *where: Any) -> int:
    """Rows of a model in a store that match every condition."""
    query = select(func.count()).select_from(model).where(model.store_id == store_id, *where)
    return int(await s.scalar(query) or 0)


class TestCatalog:
    async def test_has_over_two_thousand_products_in_a_category_tree(
        self, db: Database, demo: DemoStore
    ) -> None:
        sid = demo.store_id
        async with db.reading() as s:
            assert await count(s, Product, sid) >= 2000
            assert await count(s, Product, sid, Product.status == "active") >= 2000
            assert await count(s, Category, sid) >= 15
            assert await count(s, Category, sid, Category.parent_id.is_(None)) == 7
            leaves = await count(s, Category, sid, Category.parent_id.is_not(None))
            assert leaves >= 15
            paths = set(await s.scalars(select(Category.path).where(Category.store_id == sid)))
            assert "Women > Jackets & Coats" in paths
            assert "Home > Bedding" in paths
            used = await s.scalar(
                select(func.count(distinct(Product.category_id))).where(Product.store_id == sid)
            )
            assert used == leaves  # every leaf has products, no product sits on a department
            assert await count(s, Brand, sid) >= 20

    async def test_variants_carry_real_options_prices_and_codes(
        self, db: Database, demo: DemoStore
    ) -> None:
        async with db.reading() as s:
            variants = list(
                await s.scalars(select(Variant).where(Variant.store_id == demo.store_id))
            )
            option_order = dict(
                (
                    await s.execute(
                        select(Product.id, Product.option_names).where(
                            Product.store_id == demo.store_id
                        )
                    )
                ).all()
            )
        assert len(variants) >= 15_000
        option_names = {name for v in variants for name in v.options}
        assert {"size", "colour", "capacity", "material", "scent", "waist", "inseam"} <= (
            option_names
        )
        assert all(v.price > 0 and v.currency == "USD" for v in variants)
        on_sale = [v for v in variants if v.compare_at_price is not None]
        assert len(on_sale) >= 1000
        assert all(v.compare_at_price > v.price for v in on_sale)  # type: ignore[operator]
        assert len({v.sku for v in variants}) == len(variants)
        assert all(v.barcode and len(v.barcode) == 12 for v in variants)
        # The title lists option values in the product's option order (JSONB keeps no order).
        assert all(
            v.title == " / ".join(v.options[name] for name in option_order[v.product_id])
            for v in variants
        )

    async def test_products_read_like_a_real_shop(self, db: Database, demo: DemoStore) -> None:
        async with db.reading() as s:
            products = list(
                await s.scalars(select(Product).where(Product.store_id == demo.store_id))
            )
            images = list(
                await s.scalars(select(ProductImage).where(ProductImage.store_id == demo.store_id))
            )
        assert len({p.title for p in products}) == len(products)
        assert len({p.handle for p in products}) == len(products)
        # Multi-sentence descriptions from a rich vocabulary: few share an opening.
        assert all(p.description.count(". ") >= 3 for p in products)
        assert len({p.description for p in products}) >= 0.99 * len(products)
        assert all(
            {"material", "care", "audience", "season"} <= set(p.attributes) for p in products
        )
        assert all(p.tags for p in products)
        assert {"sale", "new-arrival", "waterproof", "gift-idea"} <= {
            t for p in products for t in p.tags
        }
        with_images = {i.product_id for i in images}
        assert with_images == {p.id for p in products}
        assert all(i.url.startswith("/static/demo/") for i in images)
        assert all(svg_for_path(url) is not None for url in {i.url for i in images})


class TestStock:
    async def test_is_kept_at_two_distribution_centres_and_a_shop(
        self, db: Database, demo: DemoStore
    ) -> None:
        async with db.reading() as s:
            codes = set(
                await s.scalars(select(Location.code).where(Location.store_id == demo.store_id))
            )
            stocked = await s.scalar(
                select(func.count(distinct(InventoryLevel.location_id))).where(
                    InventoryLevel.store_id == demo.store_id, InventoryLevel.on_hand > 0
                )
            )
        assert codes == {"DC-WEST", "DC-EAST", "PDX"}
        assert stocked == 3

    async def test_some_variants_and_whole_products_are_out_and_some_are_low(
        self, db: Database, demo: DemoStore
    ) -> None:
        sid = demo.store_id
        available = func.sum(InventoryLevel.on_hand - InventoryLevel.reserved)
        async with db.reading() as s:
            per_variant = dict(
                (
                    await s.execute(
                        select(InventoryLevel.variant_id, available)
                        .where(InventoryLevel.store_id == sid)
                        .group_by(InventoryLevel.variant_id)
                    )
                ).all()
            )
            variants = (
                await s.execute(
                    select(Variant.id, Variant.product_id, Product.status)
                    .join(Product, Product.id == Variant.product_id)
                    .where(Variant.store_id == sid)
                )
            ).all()
        assert set(per_variant) == {v.id for v in variants}
        out = [v for v in variants if per_variant[v.id] == 0]
        low = [v for v in variants if 1 <= per_variant[v.id] <= 3]
        assert len(out) >= 1000
        assert len(low) >= 1000
        by_product: dict[int, list[int]] = {}
        for v in variants:
            if v.status == "active":
                by_product.setdefault(v.product_id, []).append(per_variant[v.id])
        sold_out = [p for p, units in by_product.items() if sum(units) == 0]
        assert len(sold_out) >= 20
        assert len(sold_out) < len(by_product) // 10


class TestCustomers:
    async def test_over_a_thousand_with_addresses_and_every_kind_of_payment_method(
        self, db: Database, demo: DemoStore
    ) -> None:
        sid = demo.store_id
        async with db.reading() as s:
            customers = list(await s.scalars(select(Customer).where(Customer.store_id == sid)))
            kinds = dict(
                (
                    await s.execute(
                        select(PaymentMethod.kind, func.count())
                        .where(PaymentMethod.store_id == sid)
                        .group_by(PaymentMethod.kind)
                    )
                ).all()
            )
            brands = set(
                await s.scalars(
                    select(PaymentMethod.brand).where(
                        PaymentMethod.store_id == sid, PaymentMethod.kind == "card"
                    )
                )
            )
            addresses = await count(s, Address, sid)
        assert len(customers) >= 1000
        assert len({c.email for c in customers}) == len(customers)
        assert all(
            c.email and c.email.split("@")[1] in {"example.com", "example.org", "example.net"}
            for c in customers
        )
        assert all(c.first_name and c.last_name for c in customers)
        assert sum(1 for c in customers if c.phone) >= 800
        assert all(c.phone is None or "-555-01" in c.phone for c in customers)
        assert addresses > len(customers)
        assert set(kinds) == {"card", "paypal", "gift_card", "store_credit"}
        assert kinds["gift_card"] >= 100
        assert brands == {"visa", "mastercard", "amex", "discover"}


class TestOrders:
    async def test_over_ten_thousand_across_thirteen_months_in_every_status(
        self, db: Database, demo: DemoStore
    ) -> None:
        sid = demo.store_id
        async with db.reading() as s:
            statuses = dict(
                (
                    await s.execute(
                        select(Order.status, func.count())
                        .where(Order.store_id == sid)
                        .group_by(Order.status)
                    )
                ).all()
            )
            first, last = (
                await s.execute(
                    select(func.min(Order.placed_at), func.max(Order.placed_at)).where(
                        Order.store_id == sid
                    )
                )
            ).one()
            months = {
                (p.year, p.month)
                for p in await s.scalars(select(Order.placed_at).where(Order.store_id == sid))
            }
        assert sum(statuses.values()) >= 10_000
        assert set(statuses) == {status.value for status in OrderStatus}
        assert statuses["delivered"] > sum(statuses.values()) // 2
        assert first <= demo.anchor - dt.timedelta(days=365)
        assert last < demo.anchor
        assert len(months) >= 13

    async def test_have_lines_shipments_payments_returns_and_exchanges(
        self, db: Database, demo: DemoStore
    ) -> None:
        sid = demo.store_id
        async with db.reading() as s:
            assert await count(s, OrderLine, sid) >= 15_000
            assert await count(s, Fulfilment, sid) >= 9_000
            assert await count(s, OrderReturn, sid) >= 500
            assert await count(s, OrderExchange, sid) >= 200
            carriers = set(
                await s.scalars(select(Fulfilment.carrier).where(Fulfilment.store_id == sid))
            )
            movements = set(
                (
                    await s.execute(
                        select(PaymentTransaction.kind, PaymentTransaction.method_kind)
                        .where(PaymentTransaction.store_id == sid)
                        .distinct()
                    )
                ).all()
            )
            reserved = await count(s, OrderLine, sid, OrderLine.reserved_location_id.is_not(None))
        assert carriers == {"UPS", "USPS", "FedEx"}
        assert {("payment", "card"), ("payment", "paypal"), ("payment", "gift_card"),
                ("refund", "card"), ("refund", "gift_card")} <= movements  # fmt: skip
        assert reserved >= 50

    async def test_customers_come_back_and_the_seasons_show(
        self, db: Database, demo: DemoStore
    ) -> None:
        sid = demo.store_id
        async with db.reading() as s:
            per_customer = list(
                await s.scalars(
                    select(func.count())
                    .select_from(Order)
                    .where(Order.store_id == sid, Order.customer_id.is_not(None))
                    .group_by(Order.customer_id)
                )
            )
            placed = list(await s.scalars(select(Order.placed_at).where(Order.store_id == sid)))
        assert sum(1 for n in per_customer if n >= 2) >= 500
        assert max(per_customer) >= 30
        # Orders per day: December (gifts) well above February, whatever today's date is.
        days = {p.date() for p in placed}
        per_day = {
            month: sum(1 for p in placed if p.month == month)
            / max(1, sum(1 for d in days if d.month == month))
            for month in (2, 12)
        }
        assert per_day[12] > 1.5 * per_day[2]


class TestBrowsingAndKnowledge:
    async def test_over_fifty_thousand_events_with_searches_that_found_nothing(
        self, db: Database, demo: DemoStore
    ) -> None:
        sid = demo.store_id
        async with db.reading() as s:
            types = dict(
                (
                    await s.execute(
                        select(Event.type, func.count())
                        .where(Event.store_id == sid)
                        .group_by(Event.type)
                    )
                ).all()
            )
            searches = list(
                await s.scalars(select(Event).where(Event.store_id == sid, Event.type == "search"))
            )
            links = await count(s, SessionLink, sid)
        assert sum(types.values()) >= 50_000
        assert {"view", "search", "add_to_cart", "remove_from_cart", "purchase", "identify"} <= (
            set(types)
        )
        assert types["purchase"] == demo.plan.counts()["orders"]
        queries = {e.query for e in searches}
        assert {"kayak", "ski boots", "gift for dad who likes camping"} <= queries
        zero = [e for e in searches if e.properties["results"] == 0]
        sold_out = [
            e for e in searches
            if e.properties["results"] > 0 and e.properties["in_stock_results"] == 0
        ]  # fmt: skip
        assert len(zero) >= 1000
        assert len(sold_out) >= 50
        assert links == types["identify"] >= 1000

    async def test_shoppers_never_see_draft_products(self, db: Database, demo: DemoStore) -> None:
        async with db.reading() as s:
            drafts = set(
                await s.scalars(
                    select(Product.id).where(
                        Product.store_id == demo.store_id, Product.status == "draft"
                    )
                )
            )
            seen = set(
                await s.scalars(
                    select(Event.product_id)
                    .where(Event.store_id == demo.store_id, Event.product_id.is_not(None))
                    .distinct()
                )
            )
            sold = set(
                await s.scalars(
                    select(OrderLine.product_id).where(OrderLine.store_id == demo.store_id)
                )
            )
        assert drafts
        assert not drafts & seen
        assert not drafts & sold

    async def test_policies_and_faq_agree_with_the_policy_object(
        self, db: Database, demo: DemoStore
    ) -> None:
        async with db.reading() as s:
            store = await s.get(Store, demo.store_id)
            articles = {
                a.slug: a
                for a in await s.scalars(select(Article).where(Article.store_id == demo.store_id))
            }
        assert store is not None
        assert store.currency == "USD"
        assert store.timezone == "America/Los_Angeles"
        assert store.settings["product_url_template"].endswith("/demo/products/{handle}")
        assert {"returns", "shipping", "sizing", "payment", "gift-cards", "contact"} <= set(
            articles
        )
        assert sum(1 for a in articles.values() if a.kind == "faq") >= 15
        returns = articles["returns"].body
        assert f"within {store.policy['return_window_days']} days of delivery" in returns
        cancelling = articles["cancellations-and-changes"].body
        assert all(f'"{reason}"' in cancelling for reason in store.policy["cancel_reasons"])
