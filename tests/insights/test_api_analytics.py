"""Analytics over HTTP with exact numbers on a hand-built week (1–7 June 2026, London)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.assistant.models import Conversation, Feedback, Handoff, Message
from floorwalker.catalog.models import Product, Variant
from floorwalker.customers.models import Customer
from floorwalker.events.models import Event
from floorwalker.kit.db import Database
from floorwalker.orders.models import Order, OrderLine
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer, keyed_client

WEEK = {"from": "2026-06-01", "to": "2026-06-07"}


def day(n: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """1 June 2026 + n days (n may be negative), at hour:minute UTC (an hour later in London)."""
    return dt.datetime(2026, 6, 1, hour, minute, tzinfo=dt.UTC) + dt.timedelta(days=n)


@dataclass
class Week:
    a: int
    b: int
    c: int
    p1: int
    p2: int
    p3: int
    orders: dict[str, int]


async def _variant(s: AsyncSession, product: Product) -> Variant:
    return (await s.scalars(select(Variant).where(Variant.product_id == product.id))).one()


async def _order(
    s: AsyncSession,
    store: Store,
    customer: Customer | None,
    lines: list[tuple[Variant, int]],
    placed_at: dt.datetime,
    status: str = "delivered",
) -> Order:
    total = sum(v.price * q for v, q in lines)
    order = Order(
        store_id=store.id,
        number=factories.unique("#A"),
        customer_id=customer.id if customer else None,
        status=status,
        currency=store.currency,
        subtotal=total,
        total=total,
        placed_at=placed_at,
    )
    s.add(order)
    await s.flush()
    for v, q in lines:
        s.add(
            OrderLine(
                store_id=store.id,
                order_id=order.id,
                variant_id=v.id,
                product_id=v.product_id,
                title="x",
                quantity=q,
                unit_price=v.price,
            )
        )
    await s.flush()
    return order


def _event(store: Store, n: int, kind: str, at: dt.datetime, **fields: Any) -> Event:
    return Event(
        store_id=store.id,
        event_id=factories.unique(f"{kind}-"),
        type=kind,
        occurred_at=at,
        session_id=fields.pop("session_id", f"s{n}"),
        **fields,
    )


async def _conversation(
    s: AsyncSession,
    store: Store,
    *,
    created: dt.datetime,
    messages: list[dict[str, Any]],
    **fields: Any,
) -> Conversation:
    conversation = Conversation(
        store_id=store.id,
        public_id=factories.unique("conv_"),
        token_digest="0" * 64,
        created_at=created,
        last_activity_at=messages[-1]["created_at"] if messages else created,
        **fields,
    )
    s.add(conversation)
    await s.flush()
    for m in messages:
        s.add(Message(store_id=store.id, conversation_id=conversation.id, **m))
    await s.flush()
    return conversation


def _single(price: int) -> list[dict[str, Any]]:
    return [{"options": {"size": "One"}, "price": price, "stock": 10, "sku": factories.unique("A")}]


@pytest.fixture
async def week(db: Database, store: Store) -> Week:
    async with db.transaction() as s:
        a = await factories.create_customer(s, store)
        b = await factories.create_customer(s, store)
        c = await factories.create_customer(s, store)
        p1 = await factories.create_product(s, store, title="Rain Jacket", variants=_single(4500))
        p2 = await factories.create_product(s, store, title="Wool Socks", variants=_single(2000))
        p3 = await factories.create_product(s, store, title="Beanie", variants=_single(9000))
        v1, v2, v3 = [await _variant(s, p) for p in (p1, p2, p3)]

        # C1: verified a, answered with a card of P1 and a search, closed, +1
        c1 = await _conversation(
            s,
            store,
            created=day(0),
            status="closed",
            customer_id=a.id,
            prompt_tokens=100,
            completion_tokens=20,
            messages=[
                {"role": "user", "text": "rain jacket", "created_at": day(0)},
                {
                    "role": "assistant",
                    "text": "",
                    "created_at": day(0, 12, 1),
                    "tool_calls": [{"id": "1", "name": "search_products", "arguments": {}}],
                    "content": {"intent": "search"},
                },
                {
                    "role": "assistant",
                    "text": "Here",
                    "created_at": day(0, 12, 2),
                    "cards": [{"type": "product", "product_id": p1.id}],
                },
            ],
        )
        # C2: order status, then a person was asked for, −1
        c2 = await _conversation(
            s,
            store,
            created=day(1),
            status="with_human",
            channel="widget",
            messages=[
                {"role": "user", "text": "where is my order", "created_at": day(1)},
                {
                    "role": "assistant",
                    "text": "",
                    "created_at": day(1, 12, 1),
                    "tool_calls": [{"id": "2", "name": "order_details", "arguments": {}}],
                    "content": {"intent": "order_status"},
                },
                {"role": "user", "text": "a human please", "created_at": day(1, 12, 3)},
            ],
        )
        s.add(
            Handoff(
                store_id=store.id,
                conversation_id=c2.id,
                reason="requested",
                created_at=day(1, 12, 4),
            )
        )
        # C3: API, policy question asked twice with a two-hour pause (reopened)
        await _conversation(
            s,
            store,
            created=day(2),
            channel="api",
            messages=[
                {"role": "user", "text": "returns?", "created_at": day(2)},
                {
                    "role": "assistant",
                    "text": "",
                    "created_at": day(2, 12, 1),
                    "tool_calls": [{"id": "3", "name": "store_policy", "arguments": {}}],
                },
                {"role": "user", "text": "and exchanges?", "created_at": day(2, 14, 1)},
                {
                    "role": "assistant",
                    "text": "",
                    "created_at": day(2, 14, 2),
                    "tool_calls": [{"id": "4", "name": "store_policy", "arguments": {}}],
                },
            ],
        )
        # C4: a shopper message never answered
        await _conversation(
            s,
            store,
            created=day(2, 16),
            messages=[{"role": "user", "text": "hello?", "created_at": day(2, 16)}],
        )
        # C5: anonymous session later identified as b; the assistant added P2 to the cart
        await _conversation(
            s,
            store,
            created=day(3),
            session_id="sess-b",
            messages=[
                {"role": "user", "text": "add the socks", "created_at": day(3)},
                {
                    "role": "assistant",
                    "text": "",
                    "created_at": day(3, 12, 1),
                    "tool_calls": [
                        {"id": "5", "name": "add_to_cart", "arguments": {"variant_id": v2.id}}
                    ],
                },
                {
                    "role": "tool",
                    "tool_name": "add_to_cart",
                    "tool_call_id": "5",
                    "created_at": day(3, 12, 1),
                    "content": {"added_variant_id": v2.id, "added": 1},
                },
                {"role": "assistant", "text": "Added", "created_at": day(3, 12, 2)},
            ],
        )
        # a conversation of the week before (outside the period)
        await _conversation(
            s,
            store,
            created=day(-3),
            messages=[{"role": "user", "text": "hi", "created_at": day(-3)}],
        )
        await s.flush()
        replies = (
            await s.scalars(
                select(
                    Message.id,
                )
                .where(Message.conversation_id.in_([c1.id, c2.id]), Message.role == "assistant")
                .order_by(Message.id)
            )
        ).all()
        s.add(Feedback(store_id=store.id, conversation_id=c1.id, message_id=replies[1], rating=1))
        s.add(Feedback(store_id=store.id, conversation_id=c2.id, message_id=replies[2], rating=-1))

        s.add_all(
            [
                _event(store, 1, "identify", day(3, 13), session_id="sess-b", customer_id=b.id),
                _event(
                    store, 2, "search", day(0, 9), query="Rain Jacket", properties={"results": 5}
                ),
                _event(
                    store, 3, "search", day(1, 9), query="rain  jacket", properties={"results": 3}
                ),
                _event(
                    store, 4, "search", day(2, 9), query="RAIN JACKET", properties={"results": 0}
                ),
                _event(
                    store, 5, "search", day(3, 9), query="purple boots", properties={"results": 0}
                ),
                _event(store, 6, "search", day(4, 9), query="socks", properties={"results": 2}),
                _event(
                    store, 7, "search_click", day(0, 9, 1), query="rain jacket", product_id=p1.id
                ),
                _event(store, 8, "search", day(9, 9), query="outside", properties={"results": 0}),
                *[
                    _event(
                        store,
                        10 + i,
                        "recommendation_view",
                        day(1, 10 + i),
                        customer_id=a.id,
                        product_id=p1.id,
                        properties={"surface": "home"},
                    )
                    for i in range(4)
                ],
                *[
                    _event(
                        store,
                        20 + i,
                        "recommendation_view",
                        day(1, 10 + i),
                        product_id=p3.id,
                        properties={"surface": "product"},
                    )
                    for i in range(2)
                ],
                _event(
                    store,
                    30,
                    "recommendation_click",
                    day(1, 15),
                    customer_id=a.id,
                    product_id=p1.id,
                    properties={"surface": "home"},
                ),
                _event(
                    store,
                    31,
                    "recommendation_click",
                    day(2, 15),
                    customer_id=a.id,
                    product_id=p3.id,
                    properties={"surface": "home"},
                ),
                _event(
                    store,
                    32,
                    "recommendation_click",
                    day(2, 16),
                    product_id=p3.id,
                    properties={"surface": "product"},
                ),
            ]
        )
        orders = {
            "a": (await _order(s, store, a, [(v1, 1), (v2, 1)], day(3, 18))).id,
            "b": (await _order(s, store, b, [(v2, 1)], day(3, 19))).id,
            "c": (await _order(s, store, c, [(v3, 1)], day(4))).id,
            "b_cancelled": (await _order(s, store, b, [(v1, 2)], day(4), status="cancelled")).id,
            "a_later": (await _order(s, store, a, [(v1, 1)], day(19))).id,
        }
        return Week(a.id, b.id, c.id, p1.id, p2.id, p3.id, orders)


@pytest.fixture
async def stranger(
    live_server: LiveServer, db: Database, other_store: Store
) -> AsyncIterator[httpx.AsyncClient]:
    async with keyed_client(live_server, db, other_store, ["read"]) as client:
        yield client


async def _get(client: httpx.AsyncClient, path: str, **params: Any) -> dict[str, Any]:
    response = await client.get(f"/v1/insights/{path}", params={**WEEK, **params})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {r["key"]: r["count"] for r in rows}


class TestConversations:
    async def test_volume_resolution_handoffs_and_satisfaction(
        self, admin: httpx.AsyncClient, week: Week
    ) -> None:
        report = await _get(admin, "conversations")

        assert report["period"] == {
            "start": "2026-06-01",
            "end": "2026-06-07",
            "timezone": "Europe/London",
        }
        assert (report["conversations"], report["answered"], report["messages_from_shoppers"]) == (
            5,
            4,
            7,
        )
        assert _counts(report["by_channel"]) == {"widget": 4, "api": 1}
        assert _counts(report["by_status"]) == {"open": 3, "closed": 1, "with_human": 1}
        assert (report["handed_off"], report["handoff_rate"]) == (1, 0.2)
        assert _counts(report["handoff_reasons"]) == {"requested": 1}
        # C1 and C5 resolved on their own; C2 handed off, C3 reopened, C4 never answered
        assert report["resolution"] == {
            "settled": 5,
            "resolved_automatically": 2,
            "pending": 0,
            "rate": 0.4,
        }
        assert report["satisfaction"] == {
            "helpful": 1,
            "not_helpful": 1,
            "rate": 0.5,
            "conversations_with_feedback": 2,
        }
        assert (report["prompt_tokens"], report["completion_tokens"]) == (100, 20)
        assert [
            (d["date"], d["conversations"], d["handed_off"], d["resolved_automatically"])
            for d in report["days"]
        ] == [
            ("2026-06-01", 1, 0, 1),
            ("2026-06-02", 1, 1, 0),
            ("2026-06-03", 2, 0, 0),
            ("2026-06-04", 1, 0, 1),
            ("2026-06-05", 0, 0, 0),
            ("2026-06-06", 0, 0, 0),
            ("2026-06-07", 0, 0, 0),
        ]

    async def test_csv_by_day(self, admin: httpx.AsyncClient, week: Week) -> None:
        response = await admin.get("/v1/insights/conversations", params={**WEEK, "format": "csv"})

        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert rows[0] == {
            "date": "2026-06-01",
            "conversations": "1",
            "handed_off": "0",
            "resolved_automatically": "1",
        }
        assert len(rows) == 7


class TestTopics:
    async def test_topics_from_tools_and_recorded_intents(
        self, admin: httpx.AsyncClient, week: Week
    ) -> None:
        report = await _get(admin, "topics")

        assert [
            (t["key"], t["label"], t["conversations"], t["uses"]) for t in report["topics"]
        ] == [
            ("policies", "Policies and FAQ", 1, 2),
            ("cart", "Cart", 1, 1),
            ("order_status", "Order status and tracking", 1, 1),
            ("product_search", "Product search", 1, 1),
        ]
        assert [(t["key"], t["conversations"]) for t in report["intents"]] == [
            ("order_status", 1),
            ("search", 1),
        ]


class TestSearches:
    async def test_top_and_zero_result_searches(self, admin: httpx.AsyncClient, week: Week) -> None:
        report = await _get(admin, "searches")

        assert (report["searches"], report["distinct_queries"]) == (5, 3)
        assert (report["zero_result_searches"], report["zero_result_rate"]) == (2, 0.4)
        assert (report["clicks"], report["click_through_rate"]) == (1, 0.2)
        assert [
            (q["query"], q["searches"], q["zero_results"], q["average_results"], q["clicks"])
            for q in report["top"]
        ] == [
            ("rain jacket", 3, 1, 2.67, 1),
            ("purple boots", 1, 1, 0.0, 0),
            ("socks", 1, 0, 2.0, 0),
        ]
        assert [q["query"] for q in report["zero_results"]] == ["purple boots", "rain jacket"]


class TestRecommendations:
    async def test_click_through_and_conversion_by_surface(
        self, admin: httpx.AsyncClient, week: Week
    ) -> None:
        report = await _get(admin, "recommendations")

        assert report["total"] == {
            "surface": "all",
            "views": 6,
            "clicks": 3,
            "click_through_rate": 0.5,
            "converted_clicks": 1,
            "conversion_rate": 0.3333,
            "revenue": 4500,
        }
        assert [
            (s["surface"], s["views"], s["clicks"], s["converted_clicks"], s["revenue"])
            for s in report["surfaces"]
        ] == [
            ("home", 4, 2, 1, 4500),
            ("product", 2, 1, 0, 0),
        ]


class TestAttribution:
    async def test_orders_after_a_recommendation_or_cart_add(
        self, admin: httpx.AsyncClient, week: Week
    ) -> None:
        report = await _get(admin, "attribution")

        assert (report["orders"], report["revenue"]) == (3, 6500 + 2000 + 9000)
        assert (report["attributed_orders"], report["attributed_revenue"]) == (2, 8500)
        assert report["attributed_line_revenue"] == 4500 + 2000
        assert (report["order_share"], report["revenue_share"]) == (0.6667, 0.4857)
        assert (report["by_recommendation"], report["by_cart_add"]) == (1, 1)
        assert [
            (o["order_id"], o["via"], o["matched_revenue"], o["product_ids"])
            for o in report["recent"]
        ] == [
            (week.orders["b"], "cart_add", 2000, [week.p2]),
            (week.orders["a"], "recommendation", 4500, [week.p1]),
        ]

    async def test_a_shorter_window_loses_the_recommendation(
        self, admin: httpx.AsyncClient, week: Week
    ) -> None:
        # the card was shown on 1 June at 12:02, the order came on 4 June at 18:00 (78 h later)
        report = await _get(admin, "attribution", window_hours=72)

        assert (report["attributed_orders"], report["by_cart_add"]) == (1, 1)


class TestIsolationAndInput:
    async def test_another_store_sees_empty_reports(
        self, admin: httpx.AsyncClient, stranger: httpx.AsyncClient, week: Week
    ) -> None:
        mine = await _get(admin, "trending", min_units=1)
        assert len(mine["products"]) == 3  # what the other store must not see

        assert (await _get(stranger, "conversations"))["conversations"] == 0
        assert (await _get(stranger, "searches"))["searches"] == 0
        assert (await _get(stranger, "recommendations"))["total"]["views"] == 0
        assert (await _get(stranger, "attribution"))["orders"] == 0
        assert (await _get(stranger, "topics"))["topics"] == []
        assert (await _get(stranger, "trending", min_units=1))["products"] == []
        segments = (await stranger.get("/v1/insights/segments", params={"to": "2026-06-07"})).json()
        assert (segments["customers"], segments["scores"]) == (0, [])

    @pytest.mark.parametrize(
        "path",
        ["conversations", "topics", "searches", "recommendations", "attribution", "trending"],
    )
    async def test_a_reversed_range_is_refused(self, admin: httpx.AsyncClient, path: str) -> None:
        response = await admin.get(
            f"/v1/insights/{path}", params={"from": "2026-06-07", "to": "2026-06-01"}
        )

        assert response.status_code == 422
        assert response.json()["error"] == "date_range_invalid"

    async def test_a_date_that_is_not_one(self, admin: httpx.AsyncClient) -> None:
        response = await admin.get("/v1/insights/searches", params={"from": "yesterday"})

        assert response.status_code == 422

    async def test_needs_a_key(self, http: httpx.AsyncClient) -> None:
        assert (await http.get("/v1/insights/conversations")).status_code == 401
