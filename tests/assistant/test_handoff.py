"""Handing a conversation to people: when it happens, what staff see, what the shopper sees."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx

from floorwalker.assistant.events import EventType
from floorwalker.config import Settings
from floorwalker.connectors import service as connectors_service
from floorwalker.connectors.schemas import EndpointCreate
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from tests.assistant.conftest import Chat


async def start(widget: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
    started = (await widget.post("/v1/conversations", json={})).json()
    return started["conversation"]["id"], {"X-Conversation-Token": started["token"]}


async def say(
    widget: httpx.AsyncClient, conversation_id: str, headers: dict[str, str], text: str
) -> Any:
    response = await widget.post(
        f"/v1/conversations/{conversation_id}/messages?stream=false",
        json={"text": text},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    return response.json()


async def read_events(response: httpx.Response, until: str, found: list[dict[str, Any]]) -> None:
    kind = ""
    async for line in response.aiter_lines():
        if line.startswith("event: "):
            kind = line[7:]
        elif line.startswith("data: "):
            found.append({"type": kind, "data": json.loads(line[6:])})
            if kind == until:
                return


class TestWhenItHappens:
    async def test_asking_for_a_person_is_always_honoured(self, chat: Chat) -> None:
        await chat.start()

        reply = await chat.say("can I talk to a human please")

        assert reply.tools == ["request_human"]
        [handoff] = reply.of(EventType.HANDOFF)
        assert handoff["status"] == "waiting"
        assert handoff["reason"] == "requested"
        assert reply.text.startswith("I've asked a member of our team to join this conversation.")

    async def test_an_upset_shopper_is_handed_over_with_an_apology(self, chat: Chat) -> None:
        await chat.start()

        reply = await chat.say("this is ridiculous, you are useless")

        assert reply.of(EventType.HANDOFF)[0]["reason"] == "upset"
        assert reply.text.startswith("I'm sorry this has been frustrating.")

    async def test_two_turns_without_help_hand_over(self, chat: Chat) -> None:
        await chat.start()

        first = await chat.say("blorp flibber zonk")
        second = await chat.say("quux wibble")

        assert first.of(EventType.HANDOFF) == []
        assert second.of(EventType.HANDOFF)[0]["reason"] == "repeated_failure"

    async def test_while_staff_handle_it_the_assistant_stays_quiet(self, chat: Chat) -> None:
        await chat.start()
        await chat.say("human please")

        reply = await chat.say("hello? anyone?")

        assert reply.tools == []
        assert reply.of(EventType.NOTICE)[0]["code"] == "with_staff"
        assert reply.of(EventType.DONE)[0]["with_staff"] is True


class TestStaffSide:
    async def test_staff_list_take_reply_live_and_hand_back(
        self, widget: httpx.AsyncClient, staff: httpx.AsyncClient
    ) -> None:
        conversation_id, headers = await start(widget)
        await say(widget, conversation_id, headers, "where can I find hiking boots")
        await say(widget, conversation_id, headers, "I want to speak to a person")

        waiting = await staff.get("/v1/handoffs?status=waiting")
        [handoff] = [h for h in waiting.json()["items"] if h["conversation_id"] == conversation_id]
        assert handoff["reason"] == "requested"
        assert handoff["summary"].startswith("Handed over (requested) by an anonymous shopper.")
        assert '"where can I find hiking boots"' in handoff["summary"]
        detail = (await staff.get(f"/v1/handoffs/{handoff['id']}")).json()
        assert [t["role"] for t in detail["transcript"]][:3] == ["assistant", "user", "assistant"]

        seen: list[dict[str, Any]] = []
        async with widget.stream(
            "GET", f"/v1/conversations/{conversation_id}/events", headers=headers
        ) as stream:
            reader = asyncio.create_task(read_events(stream, "staff_message", seen))
            await asyncio.sleep(0)  # the subscription is open once the first ping arrives
            while not seen:
                await asyncio.sleep(0.05)
            taken = await staff.post(f"/v1/handoffs/{handoff['id']}/take")
            sent = await staff.post(
                f"/v1/handoffs/{handoff['id']}/reply", json={"text": "Hi, I'm Sam. How can I help?"}
            )
            await asyncio.wait_for(reader, timeout=20)

        assert taken.json()["status"] == "active"
        assert sent.status_code == 201
        kinds = [e["type"] for e in seen]
        assert kinds[0] == "ping"
        assert kinds[-2:] == ["handoff", "staff_message"]
        assert seen[-2]["data"]["status"] == "active"
        assert seen[-1]["data"]["text"] == "Hi, I'm Sam. How can I help?"

        polled = await widget.get(f"/v1/conversations/{conversation_id}/messages", headers=headers)
        assert polled.json()[-1]["role"] == "staff"
        assert polled.json()[-1]["text"] == "Hi, I'm Sam. How can I help?"

        back = await staff.post(f"/v1/handoffs/{handoff['id']}/hand-back")
        assert back.json()["status"] == "closed"
        after = await say(widget, conversation_id, headers, "thanks")
        assert after["text"] == "You're welcome! Is there anything else I can help with?"

    async def test_the_shopper_button_hands_over_without_a_message(
        self, widget: httpx.AsyncClient, staff: httpx.AsyncClient
    ) -> None:
        conversation_id, headers = await start(widget)

        response = await widget.post(
            f"/v1/conversations/{conversation_id}/handoff", headers=headers
        )
        again = await widget.post(f"/v1/conversations/{conversation_id}/handoff", headers=headers)

        assert response.status_code == 200
        assert response.json()["status"] == "waiting"
        assert again.json()["id"] == response.json()["id"]
        conversation = await widget.get(f"/v1/conversations/{conversation_id}", headers=headers)
        assert conversation.json()["status"] == "waiting_for_human"

    async def test_a_widget_key_cannot_act_as_staff(self, widget: httpx.AsyncClient) -> None:
        response = await widget.get("/v1/handoffs")

        assert response.status_code == 403


class TestNotification:
    async def test_a_handoff_is_queued_to_the_stores_webhook_endpoints(
        self, chat: Chat, db: Database, settings: Settings
    ) -> None:
        actor = Actor.system(chat.shop.store_id)
        async with db.transaction() as session:
            await connectors_service.create_endpoint(
                session,
                actor,
                data=EndpointCreate(url="https://hooks.example/fw", events=["handoff.requested"]),
                encryptor=connectors_service.connector_encryptor(
                    settings.secret_key.get_secret_value()
                ),
            )
        await chat.start()

        reply = await chat.say("I need a human please")
        again = await chat.say("still there?")

        async with db.reading() as session:
            deliveries = await connectors_service.list_deliveries(session, actor)
        [delivery] = deliveries
        assert delivery.event_type == "handoff.requested"
        assert delivery.event_id == f"handoff-{reply.of(EventType.HANDOFF)[0]['handoff_id']}"
        assert delivery.payload["reason"] == "requested"
        assert delivery.payload["conversation_id"] == chat.public_id
        assert again.of(EventType.HANDOFF) == []
