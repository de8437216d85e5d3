"""Erasure over real HTTP: nothing of the person remains anywhere, the accounts keep their
anonymised orders, others are untouched, and the receipt says what was done."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from floorwalker.audit.models import AuditEntry
from floorwalker.kit.db import Database
from floorwalker.orders.models import Order, OrderReturn, PaymentTransaction
from floorwalker.privacy.models import PrivacyReceipt
from floorwalker.stores.models import Store
from tests.privacy.conftest import Person, find_pii, make_person, row_counts

COUNTS = {
    "orders": {"anonymised": 2, "deleted": 0},
    "assistant": {"conversations": 1},
    "events": {"events": 4},
    "recommendations": {"imported_interactions": 2},
    "customers": {"customers": 1, "addresses": 2, "payment_methods": 3},
    "connectors": {"deliveries": 1, "dead_letters": 1, "sync_runs": 1},
    "idempotency": {"records_scrubbed": 1},
    "audit": {"entries_scrubbed": 1},
}


async def erase(admin: httpx.AsyncClient, person: Person, **body: Any) -> httpx.Response:
    return await admin.post(
        f"/v1/customers/{person.customer_id}/erase", json={"confirm": person.email, **body}
    )


async def orders_of(db: Database, ids: list[int]) -> list[Order]:
    async with db.reading() as s:
        return list(await s.scalars(select(Order).where(Order.id.in_(ids)).order_by(Order.id)))


class TestErasure:
    async def test_no_personal_data_remains_in_any_table_and_others_are_untouched(
        self, db: Database, store: Store, admin: httpx.AsyncClient, person: Person,
        neighbour: Person,
    ) -> None:  # fmt: skip
        before = await find_pii(db, store.id, person.needles)
        neighbour_before = await find_pii(db, store.id, neighbour.needles)
        counts_before = await row_counts(db, store.id)

        response = await erase(admin, person)

        assert response.status_code == 200, response.text
        assert len(before) >= 20  # the person really was everywhere
        assert await find_pii(db, store.id, person.needles) == []
        assert await find_pii(db, store.id, neighbour.needles) == neighbour_before
        after = await row_counts(db, store.id)
        removed = {t: counts_before[t] - after[t] for t in after if counts_before[t] != after[t]}
        assert removed == {
            "customers": 1,
            "addresses": 2,
            "payment_methods": 3,
            "conversations": 1,
            "conversation_messages": 2,
            "handoffs": 1,
            "mail_outbox": 1,
            "events": 4,
            "session_links": 1,
            "recommendation_interactions": 2,
            # added: the receipt, and the erasure's audit entries (orders, assistant,
            # customer, privacy), which name ids only
            "privacy_receipts": -1,
            "audit_entries": -4,
        }

    async def test_orders_keep_amounts_dates_and_skus_but_lose_everything_personal(
        self, db: Database, admin: httpx.AsyncClient, person: Person
    ) -> None:
        ids = [*person.order_ids, person.guest_order_id]
        before = await orders_of(db, ids)
        kept = [(o.number, o.total, o.subtotal, o.currency, o.status, o.placed_at) for o in before]

        await erase(admin, person)

        after = await orders_of(db, ids)
        assert [(o.number, o.total, o.subtotal, o.currency, o.status, o.placed_at)
                for o in after] == kept  # fmt: skip
        assert [(o.customer_id, o.email, o.email_index, o.shipping_address, o.note)
                for o in after] == [(None, None, None, {"country": "GB"}, "")] * 2  # fmt: skip
        async with db.reading() as s:
            order = await admin.get(f"/v1/orders/{person.order_ids[0]}")
            returned = await s.scalar(
                select(OrderReturn).where(OrderReturn.order_id == person.order_ids[0])
            )
            payments = list(
                await s.scalars(
                    select(PaymentTransaction.method_label, PaymentTransaction.reason)
                    .where(PaymentTransaction.order_id.in_(ids))
                    .order_by(PaymentTransaction.id)
                )
            )
        assert [(line["sku"], line["quantity"], line["unit_price"])
                for line in order.json()["lines"]] == [
            (order.json()["lines"][0]["sku"], 2, 4500)
        ]  # fmt: skip
        assert order.json()["fulfilments"][0]["tracking_numbers"] == []
        assert returned is not None
        assert (returned.reason, returned.refund_method_label, returned.refund_amount) == (
            "",
            "Card",
            4500,
        )
        assert returned.refunds[0]["method_label"] == "Card"
        assert payments == ["Card", "PayPal"]

    async def test_a_store_that_keeps_no_financials_loses_the_orders_too(
        self, db: Database, admin: httpx.AsyncClient, person: Person
    ) -> None:
        changed = await admin.patch("/v1/privacy/settings", json={"keep_order_financials": False})

        response = await erase(admin, person)

        assert changed.json() == {
            "keep_order_financials": False,
            "conversation_retention_days": 365,
            "event_retention_days": 730,
        }
        assert response.json()["counts"]["orders"] == {"anonymised": 0, "deleted": 2}
        assert response.json()["detail"] == "Orders deleted."
        assert await orders_of(db, [*person.order_ids, person.guest_order_id]) == []

    async def test_the_receipt_counts_every_context_and_holds_no_personal_data(
        self, db: Database, store: Store, admin: httpx.AsyncClient, person: Person
    ) -> None:
        response = await erase(admin, person)

        body = response.json()
        assert body["counts"] == COUNTS
        assert body["kind"] == "erasure"
        assert body["status"] == "completed"
        assert body["origin"] == "api"
        assert body["requested_by"].startswith("api_key:")
        assert body["customer_id"] == person.customer_id
        assert body["id"].startswith("prv_")
        fetched = await admin.get(f"/v1/privacy/receipts/{body['id']}")
        listed = await admin.get("/v1/privacy/receipts", params={"kind": "erasure"})
        assert fetched.json() == body
        assert listed.json() == {"items": [body], "next_cursor": None}
        async with db.reading() as s:
            entry = await s.scalar(
                select(AuditEntry).where(
                    AuditEntry.store_id == store.id, AuditEntry.action == "customer.erase"
                )
            )
        assert entry is not None
        assert (entry.subject_type, entry.subject_id) == ("customer", str(person.customer_id))
        assert entry.data == {"receipt": body["id"], "origin": "api", "counts": COUNTS}

    async def test_erasing_twice_returns_the_first_receipt(
        self, db: Database, store: Store, admin: httpx.AsyncClient, person: Person
    ) -> None:
        first = await erase(admin, person)

        second = await admin.post(
            f"/v1/customers/{person.customer_id}/erase", json={"confirm": "anything"}
        )

        assert second.status_code == 200
        assert second.json() == first.json()
        async with db.reading() as s:
            receipts = list(
                await s.scalars(select(PrivacyReceipt).where(PrivacyReceipt.store_id == store.id))
            )
        assert len(receipts) == 1

    async def test_after_erasure_the_customer_and_their_export_are_gone(
        self, admin: httpx.AsyncClient, person: Person
    ) -> None:
        await erase(admin, person)

        customer = await admin.get(f"/v1/customers/{person.customer_id}")
        export = await admin.get(f"/v1/customers/{person.customer_id}/export")
        by_email = await admin.get("/v1/customers", params={"email": person.email})

        assert customer.status_code == 404
        assert export.status_code == 404
        assert export.json()["error"] == "customer_not_found"
        assert by_email.json() == {"items": [], "next_cursor": None}


class TestRefusals:
    async def test_a_wrong_confirmation_changes_nothing(
        self, db: Database, store: Store, admin: httpx.AsyncClient, person: Person
    ) -> None:
        before = await row_counts(db, store.id)

        response = await admin.post(
            f"/v1/customers/{person.customer_id}/erase", json={"confirm": "someone@else.com"}
        )

        assert response.status_code == 422
        assert response.json() == {
            "error": "confirmation_mismatch",
            "detail": "Type the customer's e-mail address (or, without one, their id) "
            "to confirm erasure.",
        }
        assert await row_counts(db, store.id) == before

    async def test_orders_in_progress_block_erasure_unless_forced(
        self, db: Database, store: Store, admin: httpx.AsyncClient
    ) -> None:
        pending = await make_person(db, store, first="Pell", last="Pendingham", status="pending")
        before = await row_counts(db, store.id)

        blocked = await erase(admin, pending)
        after_block = await row_counts(db, store.id)
        forced = await erase(admin, pending, force=True)

        assert blocked.status_code == 409
        assert blocked.json()["error"] == "erasure_blocked_open_orders"
        assert blocked.json()["order_ids"] == pending.order_ids
        assert after_block == before
        assert forced.status_code == 200
        assert forced.json()["counts"]["orders"] == {"anonymised": 2, "deleted": 0}
        assert await find_pii(db, store.id, pending.needles) == []

    async def test_only_admin_keys_erase_and_another_stores_customer_is_not_found(
        self, db: Database, store: Store, other_store: Store, live_server: Any, person: Person
    ) -> None:
        from tests import factories

        async with db.transaction() as s:
            write = await factories.create_key(s, store, scopes=["write"])
            foreign = await factories.create_key(s, other_store, scopes=["admin"])
        async with httpx.AsyncClient(base_url=live_server.url) as http:
            by_writer = await http.post(
                f"/v1/customers/{person.customer_id}/erase",
                json={"confirm": person.email},
                headers={"Authorization": f"Bearer {write}"},
            )
            by_other = await http.post(
                f"/v1/customers/{person.customer_id}/erase",
                json={"confirm": person.email},
                headers={"Authorization": f"Bearer {foreign}"},
            )

        assert (by_writer.status_code, by_writer.json()["error"]) == (403, "insufficient_scope")
        assert (by_other.status_code, by_other.json()["error"]) == (404, "customer_not_found")
        assert len(await find_pii(db, store.id, person.needles)) >= 20

    async def test_the_preview_says_what_would_go_and_what_to_type(
        self, admin: httpx.AsyncClient, person: Person
    ) -> None:
        response = await admin.get(f"/v1/customers/{person.customer_id}/erasure")

        assert response.json() == {
            "customer_id": person.customer_id,
            "confirm_with": person.email,
            "orders": 2,
            "open_order_ids": [],
            "conversations": 1,
            "events": 4,
            "imported_interactions": 2,
            "keep_order_financials": True,
        }
