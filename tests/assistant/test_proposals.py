"""Two-phase changes: a proposal changes nothing; only an explicit yes executes it, once."""

from __future__ import annotations

import httpx
import pytest

from floorwalker.assistant.events import EventType
from floorwalker.assistant.scenarios.fixtures import FixtureStore
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.orders import service as order_service
from floorwalker.orders.schemas import Order
from tests.assistant.conftest import Chat, identity_token


async def order(db: Database, shop: FixtureStore, number: str) -> Order:
    async with db.reading() as session:
        return await order_service.get_order_by_number(
            session, Actor.system(shop.store_id), number=number
        )


async def propose_cancel(chat: Chat) -> str:
    await chat.start("ada")
    reply = await chat.say("please cancel order W1001, I ordered it by mistake")
    [proposal] = reply.proposals
    return str(proposal["proposal_id"])


class TestInChat:
    async def test_a_proposal_writes_nothing(
        self, chat: Chat, db: Database, shop: FixtureStore
    ) -> None:
        await chat.start("ada")

        reply = await chat.say("please cancel order W1001, I ordered it by mistake")

        [proposal] = reply.proposals
        assert proposal["summary"] == (
            "Cancel order W1001 (ordered by mistake): refund $45.00 to Visa ending 4242 "
            "(within 5-7 business days)."
        )
        after = await order(db, shop, "W1001")
        assert after.status == "pending"
        assert [t.kind for t in after.transactions] == ["payment"]

    async def test_a_clear_yes_executes_the_proposal_shown_in_the_previous_reply_once(
        self, chat: Chat, db: Database, shop: FixtureStore
    ) -> None:
        await propose_cancel(chat)

        reply = await chat.say("yes please")
        again = await chat.say("yes")

        [update] = reply.of(EventType.PROPOSAL_UPDATE)
        assert update["proposal"]["status"] == "executed"
        assert reply.text == (
            "Done — order W1001 is cancelled. $45.00 refunded to Visa ending 4242 "
            "(within 5-7 business days)."
        )
        assert again.of(EventType.PROPOSAL_UPDATE) == []
        after = await order(db, shop, "W1001")
        assert after.status == "cancelled"
        assert [(t.kind, t.amount) for t in after.transactions] == [
            ("payment", 4500),
            ("refund", 4500),
        ]

    async def test_no_leaves_everything_as_it_was(
        self, chat: Chat, db: Database, shop: FixtureStore
    ) -> None:
        await propose_cancel(chat)

        reply = await chat.say("no")

        assert reply.of(EventType.PROPOSAL_UPDATE)[0]["proposal"]["status"] == "declined"
        assert (await order(db, shop, "W1001")).status == "pending"

    @pytest.mark.parametrize("text", ["yes, but change the address", "yes?", "I'm not sure yet"])
    async def test_a_hedged_answer_is_not_a_confirmation(
        self, chat: Chat, db: Database, shop: FixtureStore, text: str
    ) -> None:
        await propose_cancel(chat)

        reply = await chat.say(text)

        assert reply.of(EventType.PROPOSAL_UPDATE) == []
        assert (await order(db, shop, "W1001")).status == "pending"

    async def test_a_yes_after_another_reply_confirms_nothing(
        self, chat: Chat, db: Database, shop: FixtureStore
    ) -> None:
        await propose_cancel(chat)
        await chat.say("what is your return policy?")

        reply = await chat.say("yes")

        assert reply.of(EventType.PROPOSAL_UPDATE) == []
        assert (await order(db, shop, "W1001")).status == "pending"


class TestButtons:
    async def start(
        self, widget: httpx.AsyncClient, shop: FixtureStore
    ) -> tuple[str, dict[str, str]]:
        started = (
            await widget.post(
                "/v1/conversations", json={"identity_token": identity_token(shop, "ada")}
            )
        ).json()
        return started["conversation"]["id"], {"X-Conversation-Token": started["token"]}

    async def proposal(
        self, widget: httpx.AsyncClient, conversation_id: str, headers: dict[str, str]
    ) -> str:
        turn = await widget.post(
            f"/v1/conversations/{conversation_id}/messages?stream=false",
            json={"text": "cancel W1001, I ordered it by mistake"},
            headers=headers,
        )
        [event] = [e for e in turn.json()["events"] if e["type"] == "confirmation_request"]
        return str(event["data"]["proposal"]["proposal_id"])

    async def test_the_confirm_button_executes_once_and_a_second_press_does_nothing(
        self, widget: httpx.AsyncClient, shop: FixtureStore, db: Database
    ) -> None:
        conversation_id, headers = await self.start(widget, shop)
        proposal_id = await self.proposal(widget, conversation_id, headers)
        url = f"/v1/conversations/{conversation_id}/proposals/{proposal_id}/confirm"

        first = await widget.post(url, headers=headers)
        second = await widget.post(url, headers=headers)

        assert first.status_code == 200
        assert first.json()["proposal"]["status"] == "executed"
        assert first.json()["message"]["text"].startswith("Done — order W1001 is cancelled.")
        assert second.status_code == 409
        assert second.json()["error"] == "proposal_not_open"
        refunds = [t for t in (await order(db, shop, "W1001")).transactions if t.kind == "refund"]
        assert [t.amount for t in refunds] == [4500]

    async def test_a_proposal_id_of_another_conversation_does_nothing(
        self, widget: httpx.AsyncClient, shop: FixtureStore, db: Database
    ) -> None:
        conversation_id, headers = await self.start(widget, shop)
        proposal_id = await self.proposal(widget, conversation_id, headers)
        other_id, other_headers = await self.start(widget, shop)

        response = await widget.post(
            f"/v1/conversations/{other_id}/proposals/{proposal_id}/confirm", headers=other_headers
        )

        assert response.status_code == 404
        assert response.json()["error"] == "proposal_not_found"
        assert (await order(db, shop, "W1001")).status == "pending"

    async def test_a_replaced_proposal_cannot_be_confirmed(
        self, widget: httpx.AsyncClient, shop: FixtureStore, db: Database
    ) -> None:
        conversation_id, headers = await self.start(widget, shop)
        old = await self.proposal(widget, conversation_id, headers)
        await self.proposal(widget, conversation_id, headers)

        response = await widget.post(
            f"/v1/conversations/{conversation_id}/proposals/{old}/confirm", headers=headers
        )

        assert response.status_code == 409
        assert response.json() == {
            "error": "proposal_not_open",
            "detail": "This proposal is already expired; nothing was done.",
            "proposal_id": old,
            "proposal_status": "expired",
        }
        assert (await order(db, shop, "W1001")).status == "pending"

    async def test_decline_changes_nothing(
        self, widget: httpx.AsyncClient, shop: FixtureStore, db: Database
    ) -> None:
        conversation_id, headers = await self.start(widget, shop)
        proposal_id = await self.proposal(widget, conversation_id, headers)

        response = await widget.post(
            f"/v1/conversations/{conversation_id}/proposals/{proposal_id}/decline", headers=headers
        )

        assert response.json()["proposal"]["status"] == "declined"
        assert (await order(db, shop, "W1001")).status == "pending"
