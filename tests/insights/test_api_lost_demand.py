"""Lost demand over HTTP: from searches and conversations to the grouped report."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import func, select

from floorwalker.assistant.models import Conversation, Message
from floorwalker.catalog.models import Variant
from floorwalker.events import service as events_service
from floorwalker.events.schemas import EventIn, EventType
from floorwalker.insights.models import LostDemandSignal
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer, keyed_client
from tests.insights.builders import category, days_back, sell, this_monday


@dataclass
class Scene:
    jacket: int
    boots: int
    outerwear: int
    jacket_l: int


def _search(n: int, query: str, session_id: str = "s1", **properties: object) -> EventIn:
    return EventIn(
        id=f"search-{n}",
        type=EventType.SEARCH,
        timestamp=utcnow() - dt.timedelta(hours=n),
        session_id=session_id,
        query=query,
        properties=properties,
    )


@pytest.fixture
async def scene(db: Database, store: Store) -> Scene:
    async with db.transaction() as s:
        wh = await factories.create_location(s, store)
        outerwear = await category(s, store, "Outerwear")
        jacket = await factories.create_product(
            s,
            store,
            title="Rain Jacket",
            category=outerwear,
            location=wh,
            variants=[
                {"options": {"size": "M", "colour": "Red"}, "price": 6000, "stock": 3},
                {"options": {"size": "L", "colour": "Blue"}, "price": 6000, "stock": 0},
            ],
        )
        boots = await factories.create_product(
            s,
            store,
            title="Trail Boots",
            location=wh,
            variants=[{"options": {"size": "42"}, "price": 9000, "stock": 0}],
        )
        m, large = (
            await s.scalars(
                select(Variant).where(Variant.product_id == jacket.id).order_by(Variant.id)
            )
        ).all()
        await sell(s, store, None, m, days=days_back(this_monday(store), 4))
        conversation = Conversation(
            store_id=store.id, public_id=factories.unique("conv_"), token_digest="0" * 64
        )
        s.add(conversation)
        await s.flush()
        s.add(
            Message(
                store_id=store.id,
                conversation_id=conversation.id,
                role="user",
                text="Do you have the rain jacket in L? mail me at [EMAIL_1]",
            )
        )
        await s.flush()
        s.add(
            Message(
                store_id=store.id,
                conversation_id=conversation.id,
                role="tool",
                tool_name="check_availability",
                tool_call_id="call_1",
                content={
                    "product_id": jacket.id,
                    "title": "Rain Jacket",
                    "variants": [
                        {
                            "variant_id": m.id,
                            "options": {"size": "M", "colour": "Red"},
                            "price": 6000,
                            "available": 3,
                        },
                        {
                            "variant_id": large.id,
                            "options": {"size": "L", "colour": "Blue"},
                            "price": 6000,
                            "available": 0,
                        },
                    ],
                },
            )
        )
        await events_service.ingest(
            s,
            Actor.system(store.id),
            events=[
                _search(1, "purple raincoat", results=0),
                _search(
                    2,
                    "rain jacket under 20",
                    results=1,
                    relaxed=["price"],
                    top_product_ids=[jacket.id],
                ),
                _search(
                    3,
                    "rain jacket in size XL",
                    results=1,
                    relaxed=["size"],
                    top_product_ids=[jacket.id],
                ),
                _search(4, "trail boots", results=1, relaxed=[], top_product_ids=[boots.id]),
                _search(5, "jacket", results=1, relaxed=[], top_product_ids=[jacket.id]),
                _search(6, "boots for jane@example.com", results=0),
                _search(7, "green wellies", session_id=conversation.public_id, results=0),
            ],
        )
        return Scene(jacket.id, boots.id, outerwear.id, large.id)


@pytest.fixture
async def refreshed(admin: httpx.AsyncClient, scene: Scene) -> Scene:
    assert (await admin.post("/v1/insights/forecasts/run")).status_code == 200
    response = await admin.post("/v1/insights/lost-demand/refresh")
    assert response.status_code == 200, response.text
    return scene


@pytest.fixture
async def stranger(
    live_server: LiveServer, db: Database, other_store: Store
) -> AsyncIterator[httpx.AsyncClient]:
    async with keyed_client(live_server, db, other_store, ["admin"]) as client:
        yield client


async def _report(client: httpx.AsyncClient, **params: str) -> dict:  # type: ignore[type-arg]
    response = await client.get("/v1/insights/lost-demand", params=params)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


class TestRefresh:
    async def test_reads_searches_and_answers_once(
        self, admin: httpx.AsyncClient, scene: Scene
    ) -> None:
        first = await admin.post("/v1/insights/lost-demand/refresh")
        second = await admin.post("/v1/insights/lost-demand/refresh")

        assert first.json() == {
            "store_id": first.json()["store_id"],
            "searches_read": 7,
            "answers_read": 1,
            "signals_added": 7,
        }
        assert second.json()["signals_added"] == 0
        assert (second.json()["searches_read"], second.json()["answers_read"]) == (0, 0)


class TestReport:
    async def test_by_reason(self, admin: httpx.AsyncClient, refreshed: Scene) -> None:
        report = await _report(admin, group_by="reason")

        assert report["total_signals"] == 7
        assert {r["key"]: r["signals"] for r in report["rows"]} == {
            "not_carried": 3,
            "over_budget": 1,
            "size_unavailable": 2,
            "out_of_stock": 1,
        }
        not_carried = next(r for r in report["rows"] if r["key"] == "not_carried")
        # most recent first; the e-mail address never reaches the report
        assert not_carried["examples"] == ["purple raincoat", "boots for [email]", "green wellies"]
        assert report["period"]["timezone"] == "Europe/London"

    async def test_by_product_with_stock_and_forecast(
        self, admin: httpx.AsyncClient, refreshed: Scene
    ) -> None:
        rows = {r["product_id"]: r for r in (await _report(admin, group_by="product"))["rows"]}

        assert set(rows) == {refreshed.boots, refreshed.jacket}
        boots, jacket = rows[refreshed.boots], rows[refreshed.jacket]
        assert (boots["label"], boots["reasons"], boots["available"], boots["forecast_weekly"]) == (
            "Trail Boots",
            {"out_of_stock": 1},
            0,
            None,
        )
        # the M sells 7 a week (TSB on four weeks of 7); the L never sold
        assert (jacket["label"], jacket["reasons"], jacket["category_id"]) == (
            "Rain Jacket",
            {"size_unavailable": 1},
            refreshed.outerwear,
        )
        assert (jacket["available"], jacket["forecast_weekly"], jacket["variants"]) == (3, 7.0, 2)

    async def test_the_conversations_question_about_a_sold_out_size(
        self, db: Database, store: Store, refreshed: Scene
    ) -> None:
        async with db.reading() as s:
            rows = (
                await s.scalars(
                    select(LostDemandSignal)
                    .where(
                        LostDemandSignal.store_id == store.id,
                        LostDemandSignal.source == "conversation",
                    )
                    .order_by(LostDemandSignal.reason)
                )
            ).all()

        assert [
            (r.reason, r.product_id, r.variant_id, r.attribute, r.attribute_value, r.phrase)
            for r in rows
        ] == [
            ("not_carried", None, None, None, None, "green wellies"),
            (
                "size_unavailable",
                refreshed.jacket,
                refreshed.jacket_l,
                "size",
                "L",
                "Do you have the rain jacket in L? mail me at [EMAIL_1]",
            ),
        ]

    async def test_attributes_with_the_stock_of_matching_variants(
        self, admin: httpx.AsyncClient, refreshed: Scene
    ) -> None:
        recorded = await admin.post(
            "/v1/insights/lost-demand",
            json={
                "signals": [
                    {
                        "ref": "x1",
                        "reason": "colour_unavailable",
                        "phrase": "rain jacket in yellow",
                        "product_id": refreshed.jacket,
                        "attribute": "colour",
                        "attribute_value": "yellow",
                    }
                ]
            },
        )

        rows = {r["key"]: r for r in (await _report(admin, group_by="attribute"))["rows"]}

        assert recorded.json() == {"added": 1, "duplicates": 0}
        assert {k: (r["label"], r["available"], r["variants"]) for k, r in rows.items()} == {
            "size:xl": ("size: XL", 0, 0),
            "size:l": ("size: L", 0, 1),
            "colour:yellow": ("colour: yellow", 0, 0),
        }

    async def test_by_category_and_phrase(self, admin: httpx.AsyncClient, refreshed: Scene) -> None:
        phrases = {
            r["label"]: r["signals"] for r in (await _report(admin, group_by="phrase"))["rows"]
        }
        categories = (await _report(admin, group_by="category"))["rows"]

        assert phrases == {
            "Do you have the rain jacket in L? mail me at [EMAIL_1]": 1,
            "purple raincoat": 1,
            "rain jacket under 20": 1,
            "rain jacket in size XL": 1,
            "trail boots": 1,
            "boots for [email]": 1,
            "green wellies": 1,
        }
        assert [
            (r["label"], r["signals"], r["available"], r["forecast_weekly"]) for r in categories
        ] == [("Outerwear", 1, 3, 7.0)]

    async def test_csv_export(self, admin: httpx.AsyncClient, refreshed: Scene) -> None:
        response = await admin.get(
            "/v1/insights/lost-demand", params={"group_by": "reason", "format": "csv"}
        )

        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert response.headers["content-type"].startswith("text/csv")
        assert (rows[0]["key"], rows[0]["signals"]) == ("not_carried", "3")
        assert rows[0]["reasons.not_carried"] == "3"

    async def test_a_period_without_signals_is_empty(
        self, admin: httpx.AsyncClient, refreshed: Scene
    ) -> None:
        report = await _report(admin, **{"from": "2020-01-01", "to": "2020-01-31"})

        assert (report["total_signals"], report["rows"]) == (0, [])
        assert report["period"] == {
            "start": "2020-01-01",
            "end": "2020-01-31",
            "timezone": "Europe/London",
        }

    @pytest.mark.parametrize(
        ("params", "code"),
        [
            ({"from": "2024-02-01", "to": "2024-01-01"}, "date_range_invalid"),
            ({"from": "2020-01-01", "to": "2024-01-01"}, "date_range_invalid"),
        ],
    )
    async def test_bad_periods(
        self, admin: httpx.AsyncClient, scene: Scene, params: dict[str, str], code: str
    ) -> None:
        response = await admin.get("/v1/insights/lost-demand", params=params)

        assert response.status_code == 422
        assert response.json()["error"] == code

    async def test_other_stores_see_nothing(
        self, stranger: httpx.AsyncClient, refreshed: Scene
    ) -> None:
        refresh = (await stranger.post("/v1/insights/lost-demand/refresh")).json()

        assert (refresh["searches_read"], refresh["signals_added"]) == (0, 0)
        assert (await _report(stranger))["total_signals"] == 0


class TestRecord:
    async def test_records_once_per_ref(self, admin: httpx.AsyncClient, scene: Scene) -> None:
        body = {
            "signals": [
                {
                    "ref": "chat-1",
                    "source": "conversation",
                    "reason": "over_budget",
                    "phrase": "boots under 30, call 07700 900123",
                    "budget": 3000,
                }
            ]
        }

        first = await admin.post("/v1/insights/lost-demand", json=body)
        second = await admin.post("/v1/insights/lost-demand", json=body)

        assert first.json() == {"added": 1, "duplicates": 0}
        assert second.json() == {"added": 0, "duplicates": 1}
        row = (await _report(admin, group_by="phrase"))["rows"][0]
        assert row["label"] == "boots under 30, call [number]"

    async def test_refusals_store_nothing(
        self,
        admin: httpx.AsyncClient,
        db: Database,
        store: Store,
        scene: Scene,
        live_server: LiveServer,
        stranger: httpx.AsyncClient,
    ) -> None:
        async with db.transaction() as s:
            read_key = await factories.create_key(s, store, scopes=["read"])

        unknown_product = await admin.post(
            "/v1/insights/lost-demand",
            json={
                "signals": [
                    {"ref": "a", "reason": "out_of_stock", "phrase": "x", "product_id": 999999999}
                ]
            },
        )
        foreign_variant = await stranger.post(
            "/v1/insights/lost-demand",
            json={
                "signals": [
                    {
                        "ref": "b",
                        "reason": "out_of_stock",
                        "phrase": "x",
                        "variant_id": scene.jacket_l,
                    }
                ]
            },
        )
        bad_reason = await admin.post(
            "/v1/insights/lost-demand",
            json={"signals": [{"ref": "c", "reason": "sad", "phrase": "x"}]},
        )
        naive_time = await admin.post(
            "/v1/insights/lost-demand",
            json={
                "signals": [
                    {
                        "ref": "d",
                        "reason": "not_carried",
                        "phrase": "x",
                        "occurred_at": "2026-01-01T10:00:00",
                    }
                ]
            },
        )
        async with httpx.AsyncClient(
            base_url=live_server.url, headers={"Authorization": f"Bearer {read_key}"}
        ) as reader:
            read_only = await reader.post(
                "/v1/insights/lost-demand",
                json={"signals": [{"ref": "e", "reason": "not_carried", "phrase": "x"}]},
            )

        assert (unknown_product.status_code, unknown_product.json()["error"]) == (
            422,
            "lost_demand_invalid",
        )
        assert (foreign_variant.status_code, foreign_variant.json()["error"]) == (
            422,
            "lost_demand_invalid",
        )
        assert bad_reason.status_code == 422
        assert naive_time.status_code == 422
        assert read_only.status_code == 403
        async with db.reading() as s:
            mine = await s.scalar(
                select(func.count(LostDemandSignal.id)).where(LostDemandSignal.store_id == store.id)
            )
        assert mine == 0
