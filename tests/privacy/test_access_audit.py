"""Access to customer data is audited (who read what, when; no personal data in the entry),
and the audit log is exportable as CSV or JSON lines over a period."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import httpx
from sqlalchemy import select

from floorwalker.api.access import ACCESS_RULES, SELF_AUDITED
from floorwalker.app import create_app
from floorwalker.assistant.models import Conversation, Handoff
from floorwalker.audit.models import AuditEntry
from floorwalker.auth.schemas import KeyKind
from floorwalker.kit.db import Database
from floorwalker.kit.security import token_digest
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer
from tests.privacy.conftest import Person

#: Path prefixes whose GET routes read customer data.
CUSTOMER_DATA = ("/v1/customers", "/v1/orders", "/v1/conversations", "/v1/console/conversations",
                 "/v1/handoffs", "/v1/events", "/v1/mail")  # fmt: skip


async def reads(db: Database, store: Store) -> list[tuple[str, str, str, str, dict[str, object]]]:
    """The store's access entries: (actor kind, action, subject type, subject id, data)."""
    async with db.reading() as s:
        rows = await s.scalars(
            select(AuditEntry)
            .where(AuditEntry.store_id == store.id, AuditEntry.action.like("%.%"))
            .order_by(AuditEntry.id)
        )
        return [
            (e.actor_kind, e.action, e.subject_type, e.subject_id, e.data)
            for e in rows
            if e.data.get("route")
        ]


class TestAccessIsRecorded:
    async def test_reads_of_a_customer_their_orders_and_conversations_are_recorded(
        self, db: Database, store: Store, admin: httpx.AsyncClient, person: Person
    ) -> None:
        async with db.reading() as s:
            handoff_id = await s.scalar(select(Handoff.id).where(Handoff.store_id == store.id))
        customer = person.customer_id

        responses = [
            await admin.get(f"/v1/customers/{customer}"),
            await admin.get("/v1/customers", params={"email": person.email}),
            await admin.get(f"/v1/orders/{person.order_ids[0]}"),
            await admin.get("/v1/orders", params={"customer_id": customer, "limit": 5}),
            await admin.get(f"/v1/console/conversations/{person.conversation}"),
            await admin.get(f"/v1/handoffs/{handoff_id}"),
            await admin.get("/v1/events", params={"customer_id": customer}),
            await admin.get(f"/v1/customers/{customer}/consent"),
        ]

        assert [r.status_code for r in responses] == [200] * 8
        assert await reads(db, store) == [
            ("api_key", "customer.read", "customer", str(customer),
             {"route": "/v1/customers/{customer_id}"}),
            ("api_key", "customer.list", "customers", "*",
             {"route": "/v1/customers", "filters": ["email"]}),
            ("api_key", "order.read", "order", str(person.order_ids[0]),
             {"route": "/v1/orders/{order_id}"}),
            ("api_key", "order.list", "customer", str(customer),
             {"route": "/v1/orders", "filters": ["customer_id"]}),
            ("api_key", "conversation.read_transcript", "conversation", person.conversation,
             {"route": "/v1/console/conversations/{conversation_id}"}),
            ("api_key", "handoff.read", "handoff", str(handoff_id),
             {"route": "/v1/handoffs/{handoff_id}"}),
            ("api_key", "event.list", "customer", str(customer),
             {"route": "/v1/events", "filters": ["customer_id"]}),
            ("api_key", "customer.read_consent", "customer", str(customer),
             {"route": "/v1/customers/{customer_id}/consent"}),
        ]  # fmt: skip
        assert person.email not in str(await reads(db, store))

    async def test_failed_reads_and_shoppers_reading_their_own_conversation_are_not(
        self,
        db: Database,
        store: Store,
        admin: httpx.AsyncClient,
        live_server: LiveServer,
        person: Person,
    ) -> None:
        token = factories.unique("tok-")
        async with db.transaction() as s:
            conversation = await s.scalar(
                select(Conversation).where(Conversation.public_id == person.conversation)
            )
            assert conversation is not None
            conversation.token_digest = token_digest(token)
            widget_key = await factories.create_key(s, store, kind=KeyKind.PUBLISHABLE, scopes=[])
            read_key = await factories.create_key(s, store, scopes=["read"])
        path = f"/v1/conversations/{person.conversation}/messages"

        missing = await admin.get("/v1/customers/999999999")
        async with httpx.AsyncClient(base_url=live_server.url) as http:
            shopper = await http.get(
                path,
                headers={"Authorization": f"Bearer {widget_key}", "X-Conversation-Token": token},
            )
            back_office = await http.get(
                path,
                headers={"Authorization": f"Bearer {read_key}", "X-Conversation-Token": token},
            )

        assert (missing.status_code, shopper.status_code, back_office.status_code) == (
            404,
            200,
            200,
        )
        assert await reads(db, store) == [
            ("api_key", "conversation.read_transcript", "conversation", person.conversation,
             {"route": "/v1/conversations/{conversation_id}/messages"}),
        ]  # fmt: skip

    def test_every_route_that_reads_customer_data_is_audited(self) -> None:
        spec = create_app().openapi()
        reading = {
            path
            for path, operations in spec["paths"].items()
            if "get" in operations and path.startswith(CUSTOMER_DATA)
        }

        assert reading - set(ACCESS_RULES) - SELF_AUDITED == set()
        assert set(ACCESS_RULES) - set(spec["paths"]) == set()


async def backdate(db: Database, store: Store, when: dt.datetime) -> list[int]:
    """Move every audit entry of the store to `when`; returns their ids in order."""
    async with db.transaction() as s:
        entries = list(
            await s.scalars(
                select(AuditEntry).where(AuditEntry.store_id == store.id).order_by(AuditEntry.id)
            )
        )
        for entry in entries:
            entry.occurred_at = when
        return [e.id for e in entries]


class TestAuditExport:
    async def test_a_period_exports_as_json_lines_and_as_csv(
        self, db: Database, store: Store, admin: httpx.AsyncClient, person: Person
    ) -> None:
        old = await backdate(db, store, dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC))
        await admin.get(f"/v1/customers/{person.customer_id}")  # one entry, now

        january = {"since": "2026-01-01T00:00:00Z", "until": "2026-02-01T00:00:00Z"}
        jsonl = await admin.get("/v1/audit/export", params={**january, "format": "jsonl"})
        as_csv = await admin.get("/v1/audit/export", params={**january, "format": "csv"})
        everything = await admin.get("/v1/audit/export")

        assert jsonl.status_code == 200, jsonl.text
        assert jsonl.headers["content-type"].startswith("application/jsonl")
        lines = [json.loads(line) for line in jsonl.text.splitlines()]
        assert [line["id"] for line in lines] == old
        assert {line["occurred_at"] for line in lines} == {"2026-01-10T12:00:00+00:00"}
        assert list(lines[0]) == [
            "id", "occurred_at", "actor", "actor_kind", "action", "subject_type", "subject_id",
            "data",
        ]  # fmt: skip
        rows = list(csv.reader(io.StringIO(as_csv.text)))
        assert as_csv.headers["content-type"].startswith("text/csv")
        assert rows[0] == list(lines[0])
        assert [int(r[0]) for r in rows[1:]] == old
        assert [json.loads(r[7]) for r in rows[1:]] == [line["data"] for line in lines]
        # without a period: everything, including the read made now and the two exports
        actions = [json.loads(line)["action"] for line in everything.text.splitlines()]
        assert actions[len(old):] == ["customer.read", "audit.export", "audit.export",
                                      "audit.export"]  # fmt: skip

    async def test_a_period_that_ends_before_it_starts_is_refused(
        self, admin: httpx.AsyncClient
    ) -> None:
        response = await admin.get(
            "/v1/audit/export",
            params={"since": "2026-02-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"},
        )
        bad_format = await admin.get("/v1/audit/export", params={"format": "xml"})

        assert response.status_code == 422
        assert response.json() == {
            "error": "invalid_period",
            "detail": "since must be before until.",
        }
        assert bad_format.status_code == 422
