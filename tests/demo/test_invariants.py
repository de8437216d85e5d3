"""The generated store keeps every invariant the services rely on."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pytest
from sqlalchemy import select

from floorwalker.catalog.models import Product, Variant
from floorwalker.customers.models import Address, Customer, PaymentMethod
from floorwalker.demo.vocab.people import GIFT_CARD_VALUES
from floorwalker.events.models import Event, SessionLink
from floorwalker.inventory.models import InventoryLevel
from floorwalker.kit.db import Database
from floorwalker.orders.models import (
    Fulfilment,
    Order,
    OrderExchange,
    OrderLine,
    OrderReturn,
    PaymentTransaction,
)
from floorwalker.stores.models import Store
from floorwalker.stores.policy import StorePolicy
from tests.demo.conftest import DemoStore


class Rows:
    """Every row of the demo store that the invariants look at, loaded once."""

    def __init__(self, data: dict[str, list[Any]]) -> None:
        self.__dict__.update(data)
        self.orders: list[Order]
        self.lines: list[OrderLine]
        self.txns: list[PaymentTransaction]
        self.returns: list[OrderReturn]
        self.exchanges: list[OrderExchange]
        self.shipments: list[Fulfilment]
        self.methods: list[PaymentMethod]
        self.addresses: list[Address]
        self.customers: list[Customer]
        self.levels: list[InventoryLevel]
        self.variants: list[Variant]
        self.products: list[Product]

    def by_order(self, items: list[Any]) -> dict[int, list[Any]]:
        """Rows grouped by their order id."""
        grouped: dict[int, list[Any]] = defaultdict(list)
        for item in items:
            grouped[item.order_id].append(item)
        return grouped


@pytest.fixture(scope="module")
async def rows(db: Database, demo: DemoStore) -> Rows:
    models = {
        "orders": Order, "lines": OrderLine, "txns": PaymentTransaction, "returns": OrderReturn,
        "exchanges": OrderExchange, "shipments": Fulfilment, "methods": PaymentMethod,
        "addresses": Address, "customers": Customer, "levels": InventoryLevel,
        "variants": Variant, "products": Product,
    }  # fmt: skip
    data: dict[str, list[Any]] = {}
    async with db.reading() as s:
        for name, model in models.items():
            query = select(model).where(model.store_id == demo.store_id).order_by(model.id)
            data[name] = list(await s.scalars(query))
    return Rows(data)


class TestMoney:
    def test_order_totals_are_the_sum_of_their_lines(self, rows: Rows) -> None:
        lines = rows.by_order(rows.lines)
        for order in rows.orders:
            assert order.subtotal == sum(
                line.quantity * line.unit_price for line in lines[order.id]
            )
            assert order.total == (
                order.subtotal - order.discount_total + order.shipping_total + order.tax_total
            )
            assert order.total > 0
            assert order.currency == "USD"

    def test_what_was_paid_matches_what_happened_to_the_order(self, rows: Rows) -> None:
        txns = rows.by_order(rows.txns)
        returns = rows.by_order(rows.returns)
        exchanges = rows.by_order(rows.exchanges)
        for order in rows.orders:
            net = sum(t.amount if t.kind == "payment" else -t.amount for t in txns[order.id])
            expected = order.total
            expected -= sum(r.refund_amount for r in returns[order.id] if r.status == "received")
            for x in exchanges[order.id]:
                if x.price_difference > 0 or x.status == "completed":
                    expected += x.price_difference
            if order.status == "cancelled":
                expected = 0
            assert net == expected, order.number
            assert all(t.amount > 0 and t.currency == "USD" for t in txns[order.id])

    def test_every_cancelled_order_refunds_each_payment_to_its_own_method(self, rows: Rows) -> None:
        txns = rows.by_order(rows.txns)
        reasons = StorePolicy().cancel_reasons
        for order in (o for o in rows.orders if o.status == "cancelled"):
            assert order.cancel_reason in reasons
            assert order.cancelled_at is not None
            assert order.cancelled_at >= order.placed_at
            paid: Counter[tuple[Any, str]] = Counter()
            for t in txns[order.id]:
                paid[(t.payment_method_id, t.method_label)] += (
                    t.amount if t.kind == "payment" else -t.amount
                )
            assert set(paid.values()) == {0}
            refunds = [t for t in txns[order.id] if t.kind == "refund"]
            assert refunds
            assert all(t.reason == "order cancelled" for t in refunds)

    def test_gift_card_balances_are_what_was_loaded_minus_spent_plus_refunded(
        self, rows: Rows
    ) -> None:
        moved: Counter[int] = Counter()
        for t in rows.txns:
            if t.payment_method_id is not None and t.method_kind == "gift_card":
                moved[t.payment_method_id] += t.amount if t.kind == "payment" else -t.amount
        cards = [m for m in rows.methods if m.kind == "gift_card"]
        assert sum(1 for card in cards if moved[card.id]) >= 50
        for card in cards:
            assert card.balance is not None
            assert card.balance >= 0
            assert card.balance + moved[card.id] in GIFT_CARD_VALUES, card.last4
        credit = [m for m in rows.methods if m.kind == "store_credit"]
        assert all(m.balance is not None and m.balance > 0 for m in credit)

    def test_transactions_name_the_method_as_customers_see_it(self, rows: Rows) -> None:
        methods = {m.id: m for m in rows.methods}
        orders = {o.id: o for o in rows.orders}
        for t in rows.txns:
            if t.payment_method_id is None:
                assert orders[t.order_id].customer_id is None  # only guests pay unsaved cards
                continue
            method = methods[t.payment_method_id]
            assert (t.method_kind, t.method_label) == (method.kind, method.label)
            assert method.customer_id == orders[t.order_id].customer_id
            assert t.status in ("succeeded", "pending")


class TestFulfilment:
    def test_shipments_match_the_status_and_never_exceed_what_was_ordered(
        self, rows: Rows, demo: DemoStore
    ) -> None:
        lines = {line.id: line for line in rows.lines}
        shipments = rows.by_order(rows.shipments)
        unshipped = {"pending", "processing", "cancelled"}
        for order in rows.orders:
            parcels = shipments[order.id]
            assert bool(parcels) == (order.status not in unshipped), order.number
            shipped: Counter[int] = Counter()
            for parcel in parcels:
                assert parcel.tracking_numbers
                assert parcel.carrier
                assert parcel.shipped_at is not None
                assert parcel.shipped_at > order.placed_at
                if order.status == "shipped":
                    assert parcel.delivered_at is None
                    assert parcel.status in ("in_transit", "out_for_delivery")
                else:
                    assert parcel.status == "delivered"
                    assert parcel.delivered_at is not None
                    assert parcel.shipped_at < parcel.delivered_at < demo.anchor
                for item in parcel.items:
                    assert lines[item["line_id"]].order_id == order.id
                    shipped[item["line_id"]] += item["quantity"]
            for line_id, quantity in shipped.items():
                assert quantity <= lines[line_id].quantity

    def test_returns_and_exchanges_only_follow_delivery_within_the_window(self, rows: Rows) -> None:
        lines = {line.id: line for line in rows.lines}
        variants = {v.id: v for v in rows.variants}
        orders = {o.id: o for o in rows.orders}
        delivered: dict[int, Any] = {}
        for parcel in rows.shipments:  # an order is delivered when its last parcel arrives
            if parcel.delivered_at is not None:
                delivered[parcel.order_id] = max(
                    parcel.delivered_at, delivered.get(parcel.order_id, parcel.delivered_at)
                )
        window = StorePolicy().return_window_days or 0
        for ret in rows.returns:
            order = orders[ret.order_id]
            assert (
                order.status
                == {"requested": "return_requested", "received": "returned"}[ret.status]
            )
            assert 0 <= (ret.created_at - delivered[order.id]).days < window
            assert (ret.completed_at is not None) == (ret.status == "received")
            assert all(lines[i["line_id"]].order_id == order.id for i in ret.items)
            assert ret.refunds
            assert sum(r["amount"] for r in ret.refunds) == ret.refund_amount
        for exchange in rows.exchanges:
            order = orders[exchange.order_id]
            assert (
                order.status
                == {"requested": "exchange_requested", "completed": "exchanged"}[exchange.status]
            )
            for item in exchange.items:
                line = lines[item["line_id"]]
                new = variants[item["new_variant_id"]]
                assert line.order_id == order.id
                assert new.product_id == line.product_id
                assert new.id != line.variant_id
                assert (item["reserved_location_id"] is not None) == (
                    exchange.status == "requested"
                )


class TestStockAndReservations:
    def test_reserved_units_are_exactly_those_of_open_orders_and_exchanges(
        self, rows: Rows
    ) -> None:
        orders = {o.id: o for o in rows.orders}
        expected: Counter[tuple[int, int]] = Counter()
        for line in rows.lines:
            if line.reserved_location_id is not None:
                assert orders[line.order_id].status in ("pending", "processing")
                assert line.variant_id is not None
                expected[(line.variant_id, line.reserved_location_id)] += line.quantity
            else:
                assert orders[line.order_id].status not in ("pending", "processing")
        for exchange in rows.exchanges:
            for item in exchange.items:
                if item["reserved_location_id"] is not None:
                    key = (item["new_variant_id"], item["reserved_location_id"])
                    expected[key] += item["quantity"]
        actual = {(lv.variant_id, lv.location_id): lv.reserved for lv in rows.levels}
        assert {k: v for k, v in actual.items() if v} == dict(expected)
        assert all(0 <= lv.reserved <= lv.on_hand for lv in rows.levels)

    def test_lines_keep_the_options_and_price_they_sold_at(self, rows: Rows) -> None:
        variants = {v.id: v for v in rows.variants}
        for line in rows.lines:
            assert line.variant_id is not None
            variant = variants[line.variant_id]
            assert line.options == variant.options
            assert line.product_id == variant.product_id
            assert line.sku == variant.sku
            assert line.unit_price in (variant.price, variant.compare_at_price)


class TestCustomers:
    def test_each_has_exactly_one_default_address(self, rows: Rows) -> None:
        defaults = Counter(a.customer_id for a in rows.addresses if a.is_default)
        assert defaults == Counter({c.id: 1 for c in rows.customers})

    def test_joined_before_their_first_order(self, rows: Rows) -> None:
        joined = {c.id: c.created_at for c in rows.customers}
        for order in rows.orders:
            if order.customer_id is not None:
                assert joined[order.customer_id] <= order.placed_at
            else:
                assert order.email  # guests leave only an e-mail

    async def test_events_are_kept_only_for_customers_who_consented(
        self, db: Database, demo: DemoStore, rows: Rows
    ) -> None:
        refused = {
            c.id for c in rows.customers if not c.consent.get("analytics", {}).get("granted")
        }
        assert refused
        async with db.reading() as s:
            seen = set(
                await s.scalars(
                    select(Event.customer_id)
                    .where(Event.store_id == demo.store_id, Event.customer_id.is_not(None))
                    .distinct()
                )
            )
            links = list(
                await s.scalars(select(SessionLink).where(SessionLink.store_id == demo.store_id))
            )
            store = await s.get(Store, demo.store_id)
        assert seen
        assert not seen & refused
        assert {link.customer_id for link in links} <= seen
        assert store is not None
        assert StorePolicy.model_validate(store.policy) == StorePolicy()
