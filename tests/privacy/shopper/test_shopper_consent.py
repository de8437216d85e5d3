"""The shopper's own consent, through their verified conversation (never a customer id of
their choosing), and the assistant's memory honouring it at once."""

from __future__ import annotations

import httpx

from floorwalker.assistant.models import Conversation
from floorwalker.assistant.scenarios.fixtures import FixtureStore
from floorwalker.customers import service as customer_service
from floorwalker.kit.db import Database
from floorwalker.kit.security import token_digest
from tests import factories
from tests.assistant.conftest import Chat


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
