"""Consent per purpose over real HTTP, read and changed by the back office, and honoured at
once by event ingestion."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from floorwalker.audit.models import AuditEntry
from floorwalker.events.models import Event
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories

NEVER_ASKED = {"granted": None, "at": None, "source": None}


async def new_customer(db: Database, store: Store) -> int:
    async with db.transaction() as s:
        return (await factories.create_customer(s, store)).id


class TestBackOfficeConsent:
    async def test_a_customer_never_asked_allows_analytics_only(
        self, db: Database, store: Store, admin: httpx.AsyncClient
    ) -> None:
        customer_id = await new_customer(db, store)

        response = await admin.get(f"/v1/customers/{customer_id}/consent")

        assert response.json() == {
            "customer_id": customer_id,
            "personalisation": {**NEVER_ASKED, "allowed": False},
            "analytics": {**NEVER_ASKED, "allowed": True},
            "marketing": {**NEVER_ASKED, "allowed": False},
        }

    async def test_purposes_sent_change_and_the_others_stay(
        self, db: Database, store: Store, admin: httpx.AsyncClient
    ) -> None:
        customer_id = await new_customer(db, store)

        response = await admin.put(
            f"/v1/customers/{customer_id}/consent",
            json={"personalisation": True, "analytics": False},
        )

        body = response.json()
        assert response.status_code == 200, response.text
        assert (body["personalisation"]["granted"], body["personalisation"]["allowed"]) == (
            True,
            True,
        )
        assert (body["analytics"]["granted"], body["analytics"]["allowed"]) == (False, False)
        assert body["marketing"] == {**NEVER_ASKED, "allowed": False}
        assert body["personalisation"]["source"].startswith("api_key:")
        async with db.reading() as s:
            entries = list(
                await s.scalars(
                    select(AuditEntry.data)
                    .where(
                        AuditEntry.store_id == store.id,
                        AuditEntry.action == "customer.consent",
                        AuditEntry.subject_id == str(customer_id),
                    )
                    .order_by(AuditEntry.id)
                )
            )
        assert entries == [
            {"purpose": "personalisation", "granted": True, "previous": None},
            {"purpose": "analytics", "granted": False, "previous": None},
        ]

    async def test_unknown_purposes_read_keys_and_other_stores_are_refused(
        self, db: Database, store: Store, other_store: Store, admin: httpx.AsyncClient
    ) -> None:
        customer_id = await new_customer(db, store)
        async with db.transaction() as s:
            foreign = await factories.create_key(s, other_store, scopes=["admin"])
            reader = await factories.create_key(s, store, scopes=["read"])
        path = f"/v1/customers/{customer_id}/consent"

        unknown = await admin.put(path, json={"profiling": True})
        by_reader = await admin.put(
            path, json={"marketing": True}, headers={"Authorization": f"Bearer {reader}"}
        )
        by_other = await admin.get(path, headers={"Authorization": f"Bearer {foreign}"})
        after = await admin.get(path)

        assert (unknown.status_code, unknown.json()["error"]) == (422, "validation_error")
        assert (by_reader.status_code, by_reader.json()["error"]) == (403, "insufficient_scope")
        assert (by_other.status_code, by_other.json()["error"]) == (404, "customer_not_found")
        assert after.json()["marketing"] == {**NEVER_ASKED, "allowed": False}


class TestAnalyticsConsentIsHonoured:
    async def test_events_of_a_refusing_customer_are_dropped_at_once(
        self, db: Database, store: Store, admin: httpx.AsyncClient
    ) -> None:
        customer_id = await new_customer(db, store)

        def event() -> dict[str, object]:
            return {"id": factories.unique("e-"), "type": "page_view",
                    "timestamp": utcnow().isoformat(), "customer_id": customer_id}  # fmt: skip

        allowed = await admin.post("/v1/events", json={"events": [event()]})
        await admin.put(f"/v1/customers/{customer_id}/consent", json={"analytics": False})
        refused = await admin.post("/v1/events", json={"events": [event(), event()]})
        await admin.put(f"/v1/customers/{customer_id}/consent", json={"analytics": True})
        regranted = await admin.post("/v1/events", json={"events": [event()]})

        assert [r.json()["accepted"] for r in (allowed, refused, regranted)] == [1, 0, 1]
        assert refused.json()["skipped_no_consent"] == 2
        async with db.reading() as s:
            stored = list(await s.scalars(select(Event.id).where(Event.customer_id == customer_id)))
        assert len(stored) == 2
