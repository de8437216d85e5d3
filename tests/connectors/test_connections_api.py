"""Connections over the REST API: created with encrypted credentials, listed, refused, isolated."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from floorwalker.connectors.models import Connection
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories

SHOPIFY = {
    "platform": "shopify",
    "name": "main",
    "base_url": "https://my-shop.myshopify.com/",
    "credentials": {"access_token": "shpat_secret_token"},
    "webhook_secret": "shpss_webhook_secret",
}


async def rows(db: Database, store: Store) -> list[Connection]:
    async with db.reading() as s:
        return list(
            (await s.scalars(select(Connection).where(Connection.store_id == store.id))).all()
        )


class TestAddConnection:
    async def test_credentials_are_stored_encrypted_and_never_shown(
        self, admin: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        response = await admin.post("/v1/connections", json=SHOPIFY)

        assert response.status_code == 201
        body = response.json()
        assert (
            body["platform"],
            body["name"],
            body["source"],
            body["base_url"],
            body["status"],
        ) == ("shopify", "main", "shopify", "https://my-shop.myshopify.com", "active")
        assert body["webhooks_enabled"] is True
        assert body["webhook_path"].startswith("/v1/webhooks/shopify/wh_")
        assert "credentials" not in body
        assert "shpat_secret_token" not in response.text
        (row,) = await rows(db, store)
        assert "shpat_secret_token" not in row.credentials_encrypted
        assert row.webhook_secret_encrypted is not None
        assert "shpss_webhook_secret" not in row.webhook_secret_encrypted
        listed = await admin.get("/v1/connections")
        assert [c["name"] for c in listed.json()] == ["main"]
        assert "shpat_secret_token" not in listed.text

    async def test_missing_or_unknown_credentials_are_refused_with_a_code(
        self, admin: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        woo = {
            **SHOPIFY,
            "platform": "woocommerce",
            "credentials": {"consumer_key": "ck", "token": "x"},
        }

        response = await admin.post("/v1/connections", json=woo)

        assert response.status_code == 422
        assert response.json() == {
            "error": "invalid_platform_credentials",
            "detail": "woocommerce credentials: missing consumer_secret; unknown token "
            "(needed: consumer_key, consumer_secret).",
            "missing": ["consumer_secret"],
            "unknown": ["token"],
        }
        assert await rows(db, store) == []

    async def test_an_unknown_platform_or_a_bad_url_is_422(
        self, admin: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        magento = await admin.post("/v1/connections", json={**SHOPIFY, "platform": "magento"})
        ftp = await admin.post("/v1/connections", json={**SHOPIFY, "base_url": "ftp://shop"})

        assert (magento.status_code, magento.json()["error"]) == (422, "validation_error")
        assert (ftp.status_code, ftp.json()["error"]) == (422, "validation_error")
        assert await rows(db, store) == []

    async def test_a_second_connection_with_the_same_name_is_409(
        self, admin: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        await admin.post("/v1/connections", json=SHOPIFY)

        again = await admin.post("/v1/connections", json={**SHOPIFY, "source": "shopify-eu"})

        assert again.status_code == 409
        assert again.json()["error"] == "connection_exists"
        assert len(await rows(db, store)) == 1


class TestAccess:
    async def test_a_write_key_cannot_manage_connections(
        self, http: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        async with db.transaction() as s:
            key = await factories.create_key(s, store, scopes=["write"])

        response = await http.post(
            "/v1/connections", json=SHOPIFY, headers={"Authorization": f"Bearer {key}"}
        )

        assert response.status_code == 403
        assert await rows(db, store) == []

    async def test_another_stores_connection_is_not_found(
        self, admin: httpx.AsyncClient, db: Database, store: Store, other_store: Store
    ) -> None:
        async with db.transaction() as s:
            other_key = await factories.create_key(s, other_store, scopes=["admin"])
        async with httpx.AsyncClient(
            base_url=str(admin.base_url), headers={"Authorization": f"Bearer {other_key}"}
        ) as other:
            created = (await other.post("/v1/connections", json=SHOPIFY)).json()

        read = await admin.get(f"/v1/connections/{created['id']}")
        removed = await admin.delete(f"/v1/connections/{created['id']}")

        assert (read.status_code, read.json()["error"]) == (404, "connection_not_found")
        assert removed.status_code == 404
        assert len(await rows(db, other_store)) == 1


class TestChangeConnection:
    async def test_pause_resume_and_remove(
        self, admin: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        await admin.post("/v1/connections", json=SHOPIFY)

        paused = await admin.patch("/v1/connections/main", json={"status": "paused"})
        sync = await admin.post("/v1/connections/main/sync", json={})
        resumed = await admin.patch("/v1/connections/main", json={"status": "active"})
        removed = await admin.delete("/v1/connections/main")

        assert paused.json()["status"] == "paused"
        assert (sync.status_code, sync.json()["error"]) == (409, "connection_paused")
        assert resumed.json()["status"] == "active"
        assert removed.status_code == 204
        assert await rows(db, store) == []
