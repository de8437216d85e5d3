"""Conversations for staff over HTTP: the filtered list and whole transcripts.

Conversations are made by real turns of the local model through the widget's API, so the rows
the console lists are the rows shoppers produce.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from floorwalker.config import Settings
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from tests.api.console_shop import ConsoleShop, Talk, open_console_shop
from tests.conftest import LiveServer


@pytest.fixture
async def shop(
    db: Database, settings: Settings, live_server: LiveServer
) -> AsyncIterator[ConsoleShop]:
    async with open_console_shop(db, settings, live_server) as built:
        yield built


@dataclass
class Three:
    """A shopper browsing jackets; Ada asking about an order and then for a person; a shopper
    reading the return policy who rated the answer not helpful (oldest first)."""

    jackets: Talk
    ada: Talk
    policy: Talk


@pytest.fixture
async def three(shop: ConsoleShop) -> Three:
    jackets = await shop.talk("do you have rain jackets?")
    ada = await shop.talk("where is my order W1003?", "talk to a human", customer="ada")
    policy = await shop.talk("what is your return policy?")
    await shop.rate(policy, "down")
    return Three(jackets, ada, policy)


async def ids(client: httpx.AsyncClient, **params: Any) -> list[str]:
    response = await client.get("/v1/console/conversations", params=params)
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["items"]]


class TestConversationList:
    async def test_lists_conversations_newest_first_with_what_staff_need(
        self, shop: ConsoleShop, three: Three
    ) -> None:
        response = await shop.reader.get("/v1/console/conversations")

        assert response.status_code == 200
        body = response.json()
        assert body["total"] == 3
        assert body["next_cursor"] is None
        rows = body["items"]
        assert [r["id"] for r in rows] == [three.policy.id, three.ada.id, three.jackets.id]
        policy, ada, jackets = rows
        assert {k: ada[k] for k in ada if k not in ("created_at", "last_activity_at")} == {
            "id": three.ada.id,
            "status": "waiting_for_human",
            "channel": "widget",
            "language": "en",
            "model": "local",
            "turns": 2,
            "shopper": {
                "customer_id": shop.fixture.customers["ada"],
                "name": "Ada Lovelace",
                "email": "ada@example.com",
                "external_id": "cust-ada",
                "verified_via": "token",
            },
            "session_id": None,
            "preview": "where is my order W1003?",
            "tools": ["order_details", "request_human"],
            "topics": [
                {"key": "order_status", "label": "Order status and tracking"},
                {"key": "human", "label": "Asked for a person"},
            ],
            "handoff_status": "waiting",
            "handoff_reason": "requested",
            "helpful": 0,
            "not_helpful": 0,
        }
        assert (policy["tools"], policy["helpful"], policy["not_helpful"]) == (
            ["store_policy", "search_help"],
            0,
            1,
        )
        assert [t["key"] for t in policy["topics"]] == ["policies", "product_search"]
        assert (jackets["shopper"], jackets["preview"], jackets["handoff_status"]) == (
            None,
            "do you have rain jackets?",
            None,
        )

    async def test_each_filter_narrows_the_list(self, shop: ConsoleShop, three: Three) -> None:
        today = utcnow().date()  # the scenario store keeps UTC
        tomorrow = (today + dt.timedelta(days=1)).isoformat()
        ada = shop.fixture.customers["ada"]
        cases: list[tuple[dict[str, Any], list[Talk]]] = [
            ({"status": "waiting_for_human"}, [three.ada]),
            ({"status": "closed"}, []),
            ({"handoff": "yes"}, [three.ada]),
            ({"handoff": "no"}, [three.policy, three.jackets]),
            ({"rating": "down"}, [three.policy]),
            ({"rating": "up"}, []),
            ({"rating": "none"}, [three.ada, three.jackets]),
            ({"topic": "product_search"}, [three.policy, three.jackets]),
            ({"topic": "policies"}, [three.policy]),
            ({"topic": "order_status"}, [three.ada]),
            ({"topic": "request_human"}, [three.ada]),  # a tool's own name works too
            ({"customer_id": ada}, [three.ada]),
            ({"q": "RAIN JACKET"}, [three.jackets]),
            ({"q": "100%_"}, []),  # LIKE wildcards are taken literally
            ({"from": today.isoformat()}, [three.policy, three.ada, three.jackets]),
            ({"from": tomorrow, "to": tomorrow}, []),
            ({"handoff": "no", "rating": "none"}, [three.jackets]),
        ]
        for params, expected in cases:
            assert await ids(shop.reader, **params) == [t.id for t in expected], params

    async def test_pages_follow_the_cursor_to_the_end(
        self, shop: ConsoleShop, three: Three
    ) -> None:
        seen: list[str] = []
        totals: set[int] = set()
        cursor: str | None = None
        for _ in range(4):
            params: dict[str, Any] = {"limit": 1}
            if cursor:
                params["cursor"] = cursor
            body = (await shop.reader.get("/v1/console/conversations", params=params)).json()
            seen.extend(r["id"] for r in body["items"])
            totals.add(body["total"])
            cursor = body["next_cursor"]
            if cursor is None:
                break

        assert seen == [three.policy.id, three.ada.id, three.jackets.id]
        assert totals == {3}

    async def test_bad_filters_are_refused_with_a_code(
        self, shop: ConsoleShop, three: Three
    ) -> None:
        cases = [
            ({"cursor": "not-a-cursor"}, "invalid_cursor"),
            ({"from": "2026-03-01", "to": "2026-02-01"}, "date_range_invalid"),
            ({"from": "2020-01-01", "to": "2026-01-01"}, "date_range_invalid"),
            ({"status": "lost"}, "validation_error"),
            ({"rating": "5"}, "validation_error"),
            ({"limit": 0}, "validation_error"),
            ({"customer_id": 0}, "validation_error"),
        ]
        for params, code in cases:
            response = await shop.reader.get("/v1/console/conversations", params=params)
            assert (response.status_code, response.json()["error"]) == (422, code), params

    async def test_needs_a_key_that_can_read(
        self, shop: ConsoleShop, three: Three, http: httpx.AsyncClient
    ) -> None:
        anonymous = await http.get("/v1/console/conversations")
        widget = await shop.widget.get("/v1/console/conversations")

        assert (anonymous.status_code, anonymous.json()["error"]) == (401, "missing_credentials")
        assert (widget.status_code, widget.json()["error"]) == (403, "insufficient_scope")


class TestTenancy:
    async def test_another_stores_conversations_are_not_listed_nor_readable(
        self, db: Database, settings: Settings, live_server: LiveServer, shop: ConsoleShop
    ) -> None:
        async with open_console_shop(db, settings, live_server) as other:
            theirs = await other.talk("do you have rain jackets?")
        mine = await shop.talk("do you have rain jackets?")

        listed = await ids(shop.reader)
        read = await shop.reader.get(f"/v1/console/conversations/{theirs.id}")

        assert listed == [mine.id]
        assert (read.status_code, read.json()["error"]) == (404, "conversation_not_found")


class TestTranscript:
    async def test_shows_the_shopper_tool_traffic_proposals_ratings_and_handoffs(
        self, shop: ConsoleShop
    ) -> None:
        talk = await shop.talk("cancel order W1001", "no longer needed", customer="ada")
        await shop.rate(talk, "up")
        await shop.say(talk, "talk to a human")

        response = await shop.reader.get(f"/v1/console/conversations/{talk.id}")

        assert response.status_code == 200
        body = response.json()
        assert body["conversation"]["shopper"]["name"] == "Ada Lovelace"
        assert body["topics"] == [
            {"key": "cancellation", "label": "Cancellations"},
            {"key": "human", "label": "Asked for a person"},
        ]
        messages = body["messages"]
        assert [m["role"] for m in messages] == [
            "assistant",  # the welcome
            "user",
            "assistant",  # asks why
            "user",
            "assistant",  # calls the tool
            "tool",
            "assistant",  # shows the proposal
            "user",
            "assistant",
            "tool",
            "assistant",
        ]
        call, result, shown = messages[4], messages[5], messages[6]
        assert [c["name"] for c in call["tool_calls"]] == ["cancel_order"]
        assert (result["tool_name"], result["tool_ok"], result["tool_error"]) == (
            "cancel_order",
            True,
            None,
        )
        assert result["tool_call_id"] == call["tool_calls"][0]["id"]
        assert shown["rating"] == "up"
        assert shown["id"] == talk.replies[1]["message_id"]
        assert [(p["tool"], p["status"], p["message_id"]) for p in body["proposals"]] == [
            ("cancel_order", "proposed", shown["id"])
        ]
        assert "W1001" in body["proposals"][0]["summary"]
        assert [(h["status"], h["reason"]) for h in body["handoffs"]] == [("waiting", "requested")]

    async def test_personal_data_stays_redacted_as_stored(self, shop: ConsoleShop) -> None:
        talk = await shop.talk("my email is joe@example.com")

        response = await shop.reader.get(f"/v1/console/conversations/{talk.id}")

        user = [m for m in response.json()["messages"] if m["role"] == "user"]
        assert [m["text"] for m in user] == ["my email is [EMAIL_1]"]
        assert "joe@example.com" not in response.text

    async def test_an_unknown_conversation_is_not_found(self, shop: ConsoleShop) -> None:
        response = await shop.reader.get("/v1/console/conversations/conv_nope")

        assert (response.status_code, response.json()["error"]) == (404, "conversation_not_found")
