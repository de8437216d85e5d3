"""Export over real HTTP: one JSON document with everything held about a customer, audited."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from floorwalker.audit.models import AuditEntry
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer
from tests.privacy.conftest import Person


async def export(admin: httpx.AsyncClient, person: Person) -> dict[str, Any]:
    response = await admin.get(f"/v1/customers/{person.customer_id}/export")
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == (
        f'attachment; filename="customer-{person.customer_id}-export.json"'
    )
    body: dict[str, Any] = response.json()
    return body


class TestExport:
    async def test_one_document_holds_every_context(
        self, admin: httpx.AsyncClient, person: Person, neighbour: Person
    ) -> None:
        document = await export(admin, person)

        assert list(document) == [
            "format", "request_id", "generated_at", "store", "customer", "consent", "orders",
            "conversations", "proposals", "feedback", "handoffs", "verifications", "events",
            "sessions", "recommendations", "platform_requests", "audit",
        ]  # fmt: skip
        assert document["format"] == "floorwalker.customer-export/1"
        assert document["store"] == {"id": person.store_id, "name": "Test Store"}
        customer = document["customer"]
        assert (customer["id"], customer["email"], customer["name"], customer["phone"]) == (
            person.customer_id,
            person.email,
            person.name,
            person.phone,
        )
        assert [(a["line1"], a["is_default"]) for a in customer["addresses"]] == [
            (person.line1, False),
            ("9 Quillfeather Court", True),
        ]
        assert [
            (m["kind"], m["label"], m["paypal_email"]) for m in customer["payment_methods"]
        ] == [
            ("card", "Visa ending 4242", None),
            ("paypal", "PayPal", person.email),
            ("gift_card", "Gift card ending 7777", None),
        ]
        assert customer["preferences"] == {"sizes": {"shirts": "M"}}
        assert document["consent"]["personalisation"] == {
            "granted": True, "at": "2026-01-01T00:00:00", "source": None, "allowed": True,
        }  # fmt: skip
        assert [o["id"] for o in document["orders"]] == [*person.order_ids, person.guest_order_id]
        first = document["orders"][0]
        assert (first["email"], first["shipping_address"]["line1"], first["total"]) == (
            person.email,
            person.line1,
            9000,
        )
        assert [len(first[k]) for k in ("lines", "fulfilments", "transactions", "returns")] == [
            1, 1, 1, 1,
        ]  # fmt: skip
        assert [c["id"] for c in document["conversations"]] == [person.conversation]
        assert [m["text"] for m in document["conversations"][0]["messages"]] == [
            "Hi, I'm Zebedee Quillfeather, where is my order?",
            "It was delivered yesterday.",
        ]
        assert [h["summary"] for h in document["handoffs"]] == [
            "Zebedee Quillfeather asks for a person"
        ]
        assert [e["type"] for e in document["events"]] == [
            "view", "search", "identify", "add_to_cart",
        ]  # fmt: skip
        assert document["events"][1]["query"] == "linen shirt"
        assert document["sessions"] == [person.session_id]
        recommendations = document["recommendations"]
        assert [i["kind"] for i in recommendations["imported_interactions"]] == ["purchase", "view"]
        assert recommendations["trained_models"]["per_customer_data"] is False
        assert document["platform_requests"] == []
        assert [(e["action"], e["subject_type"]) for e in document["audit"]] == [
            ("customer.update_default_address", "customer")
        ]
        # nothing of the neighbour
        text = str(document)
        assert neighbour.email not in text
        assert neighbour.last_name not in text

    async def test_the_export_is_recorded_with_a_receipt(
        self, db: Database, store: Store, admin: httpx.AsyncClient, person: Person
    ) -> None:
        document = await export(admin, person)

        receipts = (await admin.get("/v1/privacy/receipts")).json()["items"]
        async with db.reading() as s:
            entries = list(
                await s.scalars(
                    select(AuditEntry).where(
                        AuditEntry.store_id == store.id, AuditEntry.action == "customer.export"
                    )
                )
            )
        assert [(r["id"], r["kind"], r["origin"], r["customer_id"]) for r in receipts] == [
            (document["request_id"], "export", "api", person.customer_id)
        ]
        assert receipts[0]["counts"] == {
            "orders": 2, "conversations": 1, "handoffs": 1, "events": 4,
            "imported_interactions": 2, "audit_entries": 1,
        }  # fmt: skip
        assert [(e.subject_type, e.subject_id, e.data) for e in entries] == [
            ("customer", str(person.customer_id),
             {"receipt": document["request_id"], "origin": "api"}),
        ]  # fmt: skip
        # the export itself appears in the next export's audit section
        again = await export(admin, person)
        assert [e["action"] for e in again["audit"]] == [
            "customer.update_default_address",
            "customer.export",
        ]

    async def test_only_admins_export_and_only_their_stores_customers(
        self,
        db: Database,
        store: Store,
        other_store: Store,
        live_server: LiveServer,
        person: Person,
    ) -> None:
        async with db.transaction() as s:
            reader = await factories.create_key(s, store, scopes=["read"])
            foreign = await factories.create_key(s, other_store, scopes=["admin"])
        async with httpx.AsyncClient(base_url=live_server.url) as http:
            path = f"/v1/customers/{person.customer_id}/export"
            by_reader = await http.get(path, headers={"Authorization": f"Bearer {reader}"})
            by_other = await http.get(path, headers={"Authorization": f"Bearer {foreign}"})
            anonymous = await http.get(path)

        assert (by_reader.status_code, by_reader.json()["error"]) == (403, "insufficient_scope")
        assert (by_other.status_code, by_other.json()["error"]) == (404, "customer_not_found")
        assert anonymous.status_code == 401
