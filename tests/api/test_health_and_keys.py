"""The health route and API key authentication over real HTTP."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from floorwalker.audit.models import AuditEntry
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories


class TestHealth:
    async def test_reports_ok_and_the_backend(self, http: httpx.AsyncClient, db: Database) -> None:
        response = await http.get("/v1/health")

        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok"
        assert body["database"] == db.dialect


class TestAuthentication:
    async def test_no_key_is_401_with_a_code(self, http: httpx.AsyncClient) -> None:
        response = await http.get("/v1/store")

        assert response.status_code == 401
        assert response.json()["error"] == "missing_credentials"
        assert response.headers["www-authenticate"] == "Bearer"

    async def test_unknown_key_is_401(self, http: httpx.AsyncClient) -> None:
        response = await http.get("/v1/store", headers={"Authorization": "Bearer fw_sk_nope"})

        assert response.status_code == 401
        assert response.json()["error"] == "invalid_credentials"

    async def test_read_key_reads_its_own_store(
        self, http: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        async with db.transaction() as s:
            key = await factories.create_key(s, store, scopes=["read"])

        response = await http.get("/v1/store", headers={"Authorization": f"Bearer {key}"})

        assert response.status_code == 200
        assert response.json()["id"] == store.id
        assert response.json()["slug"] == store.slug

    async def test_read_key_cannot_create_keys(
        self, http: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        async with db.transaction() as s:
            key = await factories.create_key(s, store, scopes=["read"])

        response = await http.post(
            "/v1/keys", json={"name": "x"}, headers={"Authorization": f"Bearer {key}"}
        )

        assert response.status_code == 403
        assert response.json() == {
            "error": "insufficient_scope",
            "detail": "This request needs the 'admin' scope.",
            "needed_scope": "admin",
        }
        async with db.reading() as s:
            entries = (
                await s.scalars(
                    select(AuditEntry).where(
                        AuditEntry.store_id == store.id, AuditEntry.action == "api_key.create"
                    )
                )
            ).all()
        assert len(entries) == 1  # only the fixture's own key


class TestKeyLifecycle:
    async def test_created_key_works_and_revocation_is_immediate(
        self, admin: httpx.AsyncClient, http: httpx.AsyncClient
    ) -> None:
        created = await admin.post("/v1/keys", json={"name": "integration", "scopes": ["write"]})
        assert created.status_code == 201
        token = created.json()["key"]
        assert token.startswith("fw_sk_")
        assert created.json()["scopes"] == ["write"]

        ok = await http.get("/v1/store", headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200

        revoked = await admin.delete(f"/v1/keys/{created.json()['id']}")
        assert revoked.status_code == 200
        assert revoked.json()["revoked_at"] is not None

        after = await http.get("/v1/store", headers={"Authorization": f"Bearer {token}"})
        assert after.status_code == 401
        assert after.json()["error"] == "invalid_credentials"

    async def test_listing_never_shows_the_key(self, admin: httpx.AsyncClient) -> None:
        await admin.post("/v1/keys", json={"name": "reader"})

        listed = await admin.get("/v1/keys")

        assert listed.status_code == 200
        assert all("key" not in k for k in listed.json())
        assert [k["name"] for k in listed.json()][-1] == "reader"

    async def test_another_stores_key_id_is_not_found(
        self, admin: httpx.AsyncClient, db: Database, other_store: Store
    ) -> None:
        async with db.transaction() as s:
            await factories.create_key(s, other_store, scopes=["admin"])
            others = await s.scalars(
                select(AuditEntry.subject_id).where(AuditEntry.store_id == other_store.id)
            )
            other_key_id = int(others.first() or 0)

        response = await admin.delete(f"/v1/keys/{other_key_id}")

        assert response.status_code == 404
        assert response.json()["error"] == "api_key_not_found"
