"""Consent per purpose over real HTTP: read and changed by the back office and by the verified
shopper of a conversation, and honoured at once by events and the assistant's memory."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from floorwalker.assistant.models import Conversation
from floorwalker.assistant.scenarios.fixtures import FixtureStore
from floorwalker.audit.models import AuditEntry
from floorwalker.customers import service as customer_service
from floorwalker.events.models import Event
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.kit.security import token_digest
from floorwalker.stores.models import Store
from tests import factories
from tests.assistant.conftest import (  # noqa: F401 - fixtures
    Chat,
    chat,
    runtime,
    shop,
    widget,
    widget_key,
)

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


async def verified_conversation(
    db: Database, store_id: int, customer_id: int | None
) -> tuple[str, str]:
    """A conversation of the store (verified as the customer, or anonymous); its id and token."""
    token = factories.unique("token-")
    async with db.transaction() as s:
        conversation = Conversation(
            store_id=store_id,
            public_id=factories.unique("conv_c"),
            token_digest=token_digest(token),
            actor_kind="shopper" if customer_id else "anonymous",
            customer_id=customer_id,
            verified_via="token" if customer_id else None,
            state={},
            cart=[],
        )
        s.add(conversation)
    return conversation.public_id, token


class TestShopperConsent:
    async def test_the_verified_shopper_reads_and_changes_only_their_own(
        self, db: Database, shop: FixtureStore, widget: httpx.AsyncClient
    ) -> None:
        ada = shop.customers["ada"]
        public_id, token = await verified_conversation(db, shop.store_id, ada)
        headers = {"X-Conversation-Token": token}

        read = await widget.get(f"/v1/conversations/{public_id}/consent", headers=headers)
        changed = await widget.put(
            f"/v1/conversations/{public_id}/consent",
            json={"marketing": True, "personalisation": False},
            headers=headers,
        )

        assert read.json()["customer_id"] == ada
        assert read.json()["personalisation"]["allowed"] is True
        assert changed.json()["customer_id"] == ada
        assert changed.json()["marketing"]["allowed"] is True
        assert changed.json()["personalisation"]["allowed"] is False
        assert changed.json()["marketing"]["source"] == f"shopper:{ada}"
        async with db.reading() as s:
            customer = await customer_service.get_or_raise(s, shop.store_id, ada)
        assert customer.accepts_marketing is True

    async def test_an_anonymous_conversation_or_a_wrong_token_changes_nothing(
        self, db: Database, shop: FixtureStore, widget: httpx.AsyncClient
    ) -> None:
        ada = shop.customers["ada"]
        anonymous, anonymous_token = await verified_conversation(db, shop.store_id, None)
        mine, _token = await verified_conversation(db, shop.store_id, ada)

        unverified = await widget.put(
            f"/v1/conversations/{anonymous}/consent",
            json={"marketing": True},
            headers={"X-Conversation-Token": anonymous_token},
        )
        wrong_token = await widget.put(
            f"/v1/conversations/{mine}/consent",
            json={"marketing": True},
            headers={"X-Conversation-Token": anonymous_token},
        )
        # a customer id in the body is not how a shopper is named
        smuggled = await widget.put(
            f"/v1/conversations/{anonymous}/consent",
            json={"marketing": True, "customer_id": ada},
            headers={"X-Conversation-Token": anonymous_token},
        )

        assert (unverified.status_code, unverified.json()["error"]) == (
            403,
            "shopper_not_verified",
        )
        assert (wrong_token.status_code, wrong_token.json()["error"]) == (
            404,
            "conversation_not_found",
        )
        assert (smuggled.status_code, smuggled.json()["error"]) == (422, "validation_error")
        async with db.reading() as s:
            customer = await customer_service.get_or_raise(s, shop.store_id, ada)
        assert "marketing" not in customer.consent


class TestMemoryConsentIsHonoured:
    async def test_after_withdrawing_personalisation_stated_preferences_are_not_kept(
        self, db: Database, chat: Chat, shop: FixtureStore, widget: httpx.AsyncClient
    ) -> None:
        await chat.start("ada")
        withdrawn = await widget.put(
            f"/v1/conversations/{chat.public_id}/consent",
            json={"personalisation": False},
            headers={"X-Conversation-Token": chat.token},
        )

        stated = await chat.say("I usually wear size L and I don't like polyester")

        assert withdrawn.status_code == 200, withdrawn.text
        assert stated.text == "I'll keep that in mind for this conversation."
        async with db.reading() as s:
            ada = await customer_service.get_or_raise(s, shop.store_id, shop.customers["ada"])
        assert "sizes" not in ada.preferences
        assert "dislikes" not in ada.preferences
