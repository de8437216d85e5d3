"""Locations and inventory levels over real HTTP."""

from __future__ import annotations

import httpx

from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer

SHIRT = {
    "handle": "shirt",
    "title": "Shirt",
    "variants": [
        {"sku": "SH-M", "options": {"Size": "M"}, "price": 100},
        {"sku": "SH-L", "options": {"Size": "L"}, "price": 100},
    ],
}


class TestLevels:
    async def test_set_one_level_then_the_same_again(self, admin: httpx.AsyncClient) -> None:
        await admin.post("/v1/products", json=SHIRT)
        await admin.post("/v1/locations", json={"code": "WH1", "name": "Main"})

        created = await admin.post(
            "/v1/inventory/levels", json={"sku": "SH-M", "location_code": "WH1", "on_hand": 6}
        )
        again = await admin.post(
            "/v1/inventory/levels", json={"sku": "SH-M", "location_code": "WH1", "on_hand": 6}
        )

        assert created.status_code == 201
        level = created.json()["level"]
        assert created.json()["status"] == "created"
        assert (
            level["location_code"],
            level["on_hand"],
            level["reserved"],
            level["available"],
        ) == (
            "WH1",
            6,
            0,
            6,
        )
        assert again.status_code == 200
        assert again.json() == {"status": "unchanged", "level": level}

    async def test_batch_reports_each_record_and_keeps_the_good_ones(
        self, admin: httpx.AsyncClient
    ) -> None:
        await admin.post("/v1/products", json=SHIRT)

        response = await admin.post(
            "/v1/inventory/levels/batch",
            json={
                "records": [
                    {"sku": "SH-M", "on_hand": 2},
                    {"sku": "NOPE", "on_hand": 2},
                    {"sku": "SH-L", "on_hand": "many"},
                    {"sku": "SH-L", "on_hand": 9},
                ]
            },
        )

        body = response.json()
        assert [(r["status"], r["error"]) for r in body["results"]] == [
            ("created", None),
            ("failed", "variant_not_found"),
            ("failed", "validation_error"),
            ("created", None),
        ]
        levels = (await admin.get("/v1/inventory/levels")).json()["items"]
        assert [(lv["location_code"], lv["on_hand"]) for lv in levels] == [
            ("default", 2),
            ("default", 9),
        ]
        by_sku = (await admin.get("/v1/inventory/levels", params={"sku": "SH-L"})).json()["items"]
        assert [lv["on_hand"] for lv in by_sku] == [9]

    async def test_a_read_key_cannot_set_stock(
        self, admin: httpx.AsyncClient, db: Database, store: Store, live_server: LiveServer
    ) -> None:
        await admin.post("/v1/products", json=SHIRT)
        async with db.transaction() as session:
            key = await factories.create_key(session, store, scopes=["read"])
        async with httpx.AsyncClient(
            base_url=live_server.url, headers={"Authorization": f"Bearer {key}"}
        ) as reader:
            response = await reader.post("/v1/inventory/levels", json={"sku": "SH-M", "on_hand": 1})
            listed = await reader.get("/v1/inventory/levels")

        assert response.status_code == 403
        assert listed.json() == {"items": [], "next_cursor": None}


class TestLocations:
    async def test_locations_upsert_by_code_and_delete_takes_their_stock(
        self, admin: httpx.AsyncClient
    ) -> None:
        await admin.post("/v1/products", json=SHIRT)
        created = await admin.post("/v1/locations", json={"code": "WH1", "name": "Main"})
        renamed = await admin.post("/v1/locations", json={"code": "WH1", "name": "Main Street"})
        await admin.post("/v1/inventory/levels", json={"sku": "SH-M", "on_hand": 4})
        location_id = created.json()["id"]

        deleted = await admin.delete(f"/v1/locations/{location_id}")

        assert (created.status_code, renamed.status_code) == (201, 200)
        assert renamed.json()["name"] == "Main Street"
        assert deleted.status_code == 204
        assert (await admin.get(f"/v1/locations/{location_id}")).json()["error"] == (
            "location_not_found"
        )
        assert (await admin.get("/v1/inventory/levels")).json()["items"] == []

    async def test_another_stores_location_is_404(
        self, admin: httpx.AsyncClient, db: Database, other_store: Store, live_server: LiveServer
    ) -> None:
        async with db.transaction() as session:
            key = await factories.create_key(session, other_store, scopes=["admin"])
        async with httpx.AsyncClient(
            base_url=live_server.url, headers={"Authorization": f"Bearer {key}"}
        ) as them:
            theirs = (await them.post("/v1/locations", json={"code": "X"})).json()

            read = await admin.get(f"/v1/locations/{theirs['id']}")
            deleted = await admin.delete(f"/v1/locations/{theirs['id']}")
            still = await them.get(f"/v1/locations/{theirs['id']}")

        assert (read.status_code, deleted.status_code, still.status_code) == (404, 404, 200)
