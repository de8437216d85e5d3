"""The index follows catalog and stock changes within seconds, seen through the live API.

Each change is written through the owning service and committed; the test then polls
`GET /v1/search` until the change shows (with a deadline, never asserting how fast).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from floorwalker.catalog import service as catalog_service
from floorwalker.inventory import service as inventory_service
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer
from tests.search.catalog import build_catalog

DEADLINE_SECONDS = 30.0


async def _until(check: Callable[[], Awaitable[Any]], expected: Any) -> Any:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        seen = await check()
        if seen == expected or time.monotonic() > deadline:
            return seen
        await asyncio.sleep(0.2)


class TestFreshness:
    async def _client(
        self, db: Database, store: Store, live_server: LiveServer
    ) -> httpx.AsyncClient:
        async with db.transaction() as session:
            key = await factories.create_key(session, store, scopes=["read"])
        return httpx.AsyncClient(
            base_url=live_server.url, timeout=30, headers={"Authorization": f"Bearer {key}"}
        )

    async def test_price_stock_and_title_changes_become_searchable(
        self, db: Database, store: Store, live_server: LiveServer
    ) -> None:
        shop = await build_catalog(db, store)
        actor = Actor.system(store.id)
        async with await self._client(db, store, live_server) as http:

            async def card(q: str, **params: Any) -> list[tuple[str, int, bool]]:
                body = (await http.get("/v1/search", params={"q": q, **params})).json()
                return [(h["handle"], h["price"], h["in_stock"]) for h in body["hits"]]

            assert await card("socks") == [("merino-hiking-socks", 1800, True)]

            # Given a new price, a new title and no stock left, written by the services…
            async with db.transaction() as session:
                await catalog_service.upsert_products(
                    session,
                    actor,
                    [{"id": shop["merino-hiking-socks"], "title": "Merino Trekking Socks",
                      "variants": [{"sku": "MHS-M", "price": 1500}]}],
                )  # fmt: skip
                await inventory_service.set_levels(
                    session, actor, [{"sku": "MHS-M", "location_code": "WH1", "on_hand": 0}]
                )

            # …then searches see all three.
            assert await _until(
                lambda: card("trekking socks"), [("merino-hiking-socks", 1500, False)]
            ) == [("merino-hiking-socks", 1500, False)]
            assert await card("socks", in_stock="true") == []

    async def test_a_reservation_that_empties_the_stock_is_seen(
        self, db: Database, store: Store, live_server: LiveServer
    ) -> None:
        await build_catalog(db, store)
        async with await self._client(db, store, live_server) as http:

            async def kids_in_stock() -> list[str]:
                body = (
                    await http.get("/v1/search", params={"q": "backpack", "in_stock": "true"})
                ).json()
                return [h["handle"] for h in body["hits"]]

            assert "kids-backpack" in await kids_in_stock()
            async with db.transaction() as session:
                variants = await catalog_service.resolve_variants(
                    session, store.id, skus=["KBP-BLK", "KBP-BLU"]
                )
                for variant in variants:
                    await inventory_service.reserve(
                        session, store.id, variant_id=variant["id"], quantity=1
                    )

            expected = ["travel-backpack", "black-daypack"]
            assert await _until(kids_in_stock, expected) == expected

    async def test_new_and_deleted_products_come_and_go(
        self, db: Database, store: Store, live_server: LiveServer
    ) -> None:
        shop = await build_catalog(db, store)
        actor = Actor.system(store.id)
        async with await self._client(db, store, live_server) as http:

            async def handles(q: str) -> list[str]:
                body = (await http.get("/v1/search", params={"q": q})).json()
                return [h["handle"] for h in body["hits"]]

            assert await handles("backpack") == [
                "kids-backpack",
                "travel-backpack",
                "black-daypack",
            ]
            async with db.transaction() as session:
                await catalog_service.upsert_products(
                    session,
                    actor,
                    [{"handle": "summit-backpack", "title": "Summit Backpack",
                      "variants": [{"sku": "SUM-1", "price": 9900}]}],
                )  # fmt: skip
                await catalog_service.delete_product(session, actor, shop["kids-backpack"])

            # The new backpack has no stock yet, so it comes after those that can be bought.
            expected = ["travel-backpack", "black-daypack", "summit-backpack"]
            assert await _until(lambda: handles("backpack"), expected) == expected
