"""GET /v1/search and the synonym, reindex and status routes, over real HTTP."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from sqlalchemy import select

from floorwalker.auth.schemas import KeyKind
from floorwalker.events.models import Event
from floorwalker.kit.db import Database
from floorwalker.search.models import SynonymRule
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer
from tests.search.catalog import build_catalog


async def _key(db: Database, store: Store, *scopes: str, publishable: bool = False) -> str:
    async with db.transaction() as session:
        if publishable:
            return await factories.create_key(session, store, kind=KeyKind.PUBLISHABLE)
        return await factories.create_key(session, store, scopes=list(scopes))


def _client(live_server: LiveServer, key: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=live_server.url, timeout=30, headers={"Authorization": f"Bearer {key}"}
    )


async def _eventually(check: Any, timeout: float = 15.0) -> Any:
    """Poll `check()` until it returns something truthy (no assertion on how fast)."""
    deadline = time.monotonic() + timeout
    while True:
        found = await check()
        if found or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.1)


class TestSearchEndpoint:
    async def test_a_widget_key_gets_product_cards(
        self, db: Database, store: Store, live_server: LiveServer
    ) -> None:
        shop = await build_catalog(db, store)
        async with db.transaction() as session:
            row = await session.get(Store, store.id)
            assert row is not None
            row.settings = {"product_url_template": "https://shop.example/products/{handle}"}
        key = await _key(db, store, publishable=True)

        async with _client(live_server, key) as http:
            response = await http.get("/v1/search", params={"q": "linen dress", "limit": 1})

        assert response.status_code == 200
        body = response.json()
        assert (body["query"], body["total"], body["page"], body["pages"]) == (
            "linen dress",
            2,
            1,
            2,
        )
        hit = body["hits"][0]
        assert hit.pop("score") > 0
        assert hit == {
            "product_id": shop["red-linen-dress"],
            "handle": "red-linen-dress",
            "title": "Red Linen Dress",
            "brand": "Acme",
            "category": "Women > Dresses",
            "category_id": hit["category_id"],
            "product_type": "Dress",
            "price": 4500,
            "price_max": 4500,
            "compare_at_price": None,
            "currency": "USD",
            "image_url": None,
            "url": "https://shop.example/products/red-linen-dress",
            "in_stock": True,
            "variants": [
                {"id": v["id"], "sku": sku, "title": v["title"], "options": options,
                 "price": 4500, "compare_at_price": None, "in_stock": stock, "matches": True,
                 "image_url": None}
                for v, (sku, options, stock) in zip(
                    hit["variants"],
                    [
                        ("RLD-S", {"colour": "Red", "size": "S"}, True),
                        ("RLD-M", {"colour": "Red", "size": "M"}, True),
                        ("RLD-L", {"colour": "Red", "size": "L"}, False),
                    ],
                    strict=True,
                )
            ],
        }  # fmt: skip
        assert body["parsed"]["categories"][0]["paths"] == ["Women > Dresses"]
        assert (body["relaxed"], body["note"], body["semantic"]) == ([], None, False)

    async def test_filters_sort_and_paging_are_query_parameters(
        self, db: Database, store: Store, live_server: LiveServer
    ) -> None:
        await build_catalog(db, store)
        key = await _key(db, store, "read")
        params: list[tuple[str, str | int]] = [
            ("option", "size:M"), ("option", "colour:Red"), ("sort", "price_asc"),
            ("in_stock", "false"), ("brand", "Acme"), ("brand", "Bolt"), ("category", "women"),
            ("price_max", 5000), ("limit", 1), ("page", 2),
        ]  # fmt: skip

        async with _client(live_server, key) as http:
            response = await http.get("/v1/search", params=params)

        body = response.json()
        assert (response.status_code, body["total"], body["pages"]) == (200, 2, 2)
        assert [h["handle"] for h in body["hits"]] == ["red-linen-dress"]

    async def test_without_a_key_nothing_is_found(self, http: httpx.AsyncClient) -> None:
        response = await http.get("/v1/search", params={"q": "dress"})

        assert response.status_code == 401
        assert response.json()["error"] == "missing_credentials"

    async def test_an_option_filter_must_be_name_colon_value(
        self, db: Database, store: Store, live_server: LiveServer
    ) -> None:
        key = await _key(db, store, "read")
        async with _client(live_server, key) as http:
            response = await http.get("/v1/search", params={"option": "size=M"})

        assert response.status_code == 422
        assert response.json()["error"] == "invalid_option_filter"

    async def test_a_price_range_must_not_be_upside_down(
        self, db: Database, store: Store, live_server: LiveServer
    ) -> None:
        key = await _key(db, store, "read")
        async with _client(live_server, key) as http:
            response = await http.get("/v1/search", params={"price_min": 5000, "price_max": 10})

        assert (response.status_code, response.json()["error"]) == (422, "invalid_price_range")

    async def test_limits_and_sorts_are_validated(
        self, db: Database, store: Store, live_server: LiveServer
    ) -> None:
        key = await _key(db, store, "read")
        async with _client(live_server, key) as http:
            too_many = await http.get("/v1/search", params={"limit": 101})
            bad_sort = await http.get("/v1/search", params={"sort": "popular"})

        assert [too_many.status_code, bad_sort.status_code] == [422, 422]
        assert {too_many.json()["error"], bad_sort.json()["error"]} == {"validation_error"}

    async def test_the_parser_can_be_asked_alone(
        self, db: Database, store: Store, live_server: LiveServer
    ) -> None:
        await build_catalog(db, store)
        key = await _key(db, store, publishable=True)
        async with _client(live_server, key) as http:
            response = await http.get("/v1/search/parse", params={"q": "black sneakers size 10"})

        body = response.json()
        assert response.status_code == 200
        assert (body["options"], body["product_types"]) == (
            {"size": ["10"], "colour": ["Black"]},
            ["Sneakers"],
        )


class TestTenantIsolation:
    async def test_another_stores_products_never_appear(
        self, db: Database, store: Store, other_store: Store, live_server: LiveServer
    ) -> None:
        await build_catalog(db, store)
        async with db.transaction() as session:
            await factories.create_product(session, other_store, title="Red Linen Dress Deluxe")
        mine = await _key(db, store, "read")
        theirs = await _key(db, other_store, "read")

        async with _client(live_server, mine) as http:
            my_hits = (await http.get("/v1/search", params={"q": "deluxe"})).json()
        async with _client(live_server, theirs) as http:
            their_hits = (await http.get("/v1/search", params={"q": "linen dress"})).json()

        assert (my_hits["total"], my_hits["hits"]) == (0, [])
        assert [h["title"] for h in their_hits["hits"]] == ["Red Linen Dress Deluxe"]


class TestSearchEvents:
    async def test_every_search_is_logged_with_its_result_count(
        self, db: Database, store: Store, live_server: LiveServer
    ) -> None:
        await build_catalog(db, store)
        key = await _key(db, store, publishable=True)
        async with _client(live_server, key) as http:
            await http.get("/v1/search", params={"q": "zzzz qqqq", "session_id": "s-1"})
            await http.get("/v1/search", params={"q": "socks", "session_id": "s-1"})
            await http.get("/v1/search", params={"q": "boots"})
            # Browsing without words (a filter only) is not a search and is not logged.
            browse = await http.get("/v1/search", params={"in_stock": "true"})
        assert browse.status_code == 200

        async def logged() -> list[Event]:
            async with db.reading() as session:
                rows = await session.scalars(
                    select(Event).where(Event.store_id == store.id).order_by(Event.id)
                )
                found = list(rows)
            return found if len(found) == 3 else []

        events = await _eventually(logged)
        key_id = events[2].session_id.removeprefix("api_key:")
        assert [(e.type, e.query, e.session_id, e.properties["results"]) for e in events] == [
            ("search", "zzzz qqqq", "s-1", 0),
            ("search", "socks", "s-1", 1),
            ("search", "boots", f"api_key:{key_id}", 3),
        ]


class TestSynonymsApi:
    async def test_rules_are_created_listed_changed_and_deleted(
        self, db: Database, store: Store, live_server: LiveServer
    ) -> None:
        await build_catalog(db, store)
        writer = await _key(db, store, "write")
        async with _client(live_server, writer) as http:
            assert (await http.get("/v1/search", params={"q": "trainers"})).json()["total"] == 0
            created = await http.post(
                "/v1/search/synonyms", json={"terms": ["sneakers", "trainers"]}
            )
            rule = created.json()

            async def found() -> int:
                response = await http.get("/v1/search", params={"q": "trainers"})
                return int(response.json()["total"])

            assert await _eventually(found) == 2
            changed = await http.put(
                f"/v1/search/synonyms/{rule['id']}",
                json={"terms": ["sneakers", "kicks"], "one_way": True},
            )
            listed = await http.get("/v1/search/synonyms")
            deleted = await http.delete(f"/v1/search/synonyms/{rule['id']}")
            gone = await http.delete(f"/v1/search/synonyms/{rule['id']}")

        assert created.status_code == 201
        assert (rule["terms"], rule["one_way"]) == (["sneakers", "trainers"], False)
        assert (changed.json()["terms"], changed.json()["one_way"]) == (["sneakers", "kicks"], True)
        assert [r["terms"] for r in listed.json()] == [["sneakers", "kicks"]]
        assert deleted.status_code == 204
        assert (gone.status_code, gone.json()["error"]) == (404, "synonym_rule_not_found")

    async def test_a_read_key_cannot_change_rules(
        self, db: Database, store: Store, live_server: LiveServer
    ) -> None:
        reader = await _key(db, store, "read")
        async with _client(live_server, reader) as http:
            response = await http.post("/v1/search/synonyms", json={"terms": ["a1", "b1"]})

        assert (response.status_code, response.json()["error"]) == (403, "insufficient_scope")
        async with db.reading() as session:
            rules = list(
                await session.scalars(select(SynonymRule).where(SynonymRule.store_id == store.id))
            )
        assert rules == []

    async def test_a_rule_needs_two_different_terms(
        self, db: Database, store: Store, live_server: LiveServer
    ) -> None:
        writer = await _key(db, store, "write")
        async with _client(live_server, writer) as http:
            one = await http.post("/v1/search/synonyms", json={"terms": ["tee"]})
            same = await http.post("/v1/search/synonyms", json={"terms": ["Tee", "tee"]})

        assert [one.status_code, same.status_code] == [422, 422]
        async with db.reading() as session:
            rules = list(
                await session.scalars(select(SynonymRule).where(SynonymRule.store_id == store.id))
            )
        assert rules == []


class TestIndexRoutes:
    async def test_status_tells_what_the_worker_holds(
        self, db: Database, store: Store, live_server: LiveServer
    ) -> None:
        await build_catalog(db, store)
        key = await _key(db, store, "read")
        async with _client(live_server, key) as http:
            await http.get("/v1/search", params={"q": "dress"})
            status = (await http.get("/v1/search/status")).json()

        assert (status["store_id"], status["documents"], status["semantic"]) == (
            store.id,
            14,
            False,
        )

    async def test_only_an_admin_can_ask_for_a_reindex(
        self, db: Database, store: Store, live_server: LiveServer
    ) -> None:
        reader = await _key(db, store, "read")
        admin = await _key(db, store, "admin")
        async with _client(live_server, reader) as http:
            refused = await http.post("/v1/search/reindex")
        async with _client(live_server, admin) as http:
            accepted = await http.post("/v1/search/reindex")

        assert (refused.status_code, refused.json()["error"]) == (403, "insufficient_scope")
        assert accepted.status_code == 202
        assert "requested_at" in accepted.json()
