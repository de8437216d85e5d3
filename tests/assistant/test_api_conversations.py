"""The conversation API over real HTTP: start, streamed replies, history, feedback."""

from __future__ import annotations

import httpx
import pytest

from floorwalker.assistant.scenarios.fixtures import FixtureStore
from tests.assistant.conftest import identity_token, parse_sse

pytestmark = pytest.mark.usefixtures("shop")


async def start(widget: httpx.AsyncClient, **body: object) -> tuple[str, dict[str, str]]:
    response = await widget.post("/v1/conversations", json=body)
    assert response.status_code == 201, response.text
    data = response.json()
    return data["conversation"]["id"], {"X-Conversation-Token": data["token"]}


class TestStart:
    async def test_an_anonymous_start_returns_a_token_and_a_welcome_that_discloses_ai(
        self, widget: httpx.AsyncClient
    ) -> None:
        response = await widget.post("/v1/conversations", json={"session_id": "sess-1"})

        assert response.status_code == 201
        data = response.json()
        assert data["conversation"]["status"] == "open"
        assert data["conversation"]["verified"] is False
        assert data["token"].startswith("fw_ct_")
        [welcome] = data["messages"]
        assert welcome["role"] == "assistant"
        assert welcome["text"].startswith(
            "Hi! I'm Pip, Harbor & Pine's AI shopping assistant — an automated assistant, "
            "not a person."
        )

    async def test_a_signed_identity_token_starts_a_verified_conversation(
        self, widget: httpx.AsyncClient, shop: FixtureStore
    ) -> None:
        response = await widget.post(
            "/v1/conversations", json={"identity_token": identity_token(shop, "ada")}
        )

        assert response.status_code == 201
        assert response.json()["conversation"]["verified"] is True
        assert response.json()["conversation"]["verified_via"] == "token"

    async def test_a_token_signed_with_another_secret_is_refused_and_starts_nothing(
        self, widget: httpx.AsyncClient, shop: FixtureStore
    ) -> None:
        forged = FixtureStore(**{**shop.__dict__, "identity_secret": "x" * 40})

        response = await widget.post(
            "/v1/conversations", json={"identity_token": identity_token(forged, "ada")}
        )

        assert response.status_code == 401
        assert response.json()["error"] == "invalid_identity_token"
        assert response.json()["reason"] == "bad signature or format"

    async def test_without_a_key_nothing_starts(self, http: httpx.AsyncClient) -> None:
        response = await http.post("/v1/conversations", json={})

        assert response.status_code == 401
        assert response.json()["error"] == "missing_credentials"


class TestTalk:
    async def test_a_reply_streams_tool_activity_cards_text_and_done(
        self, widget: httpx.AsyncClient
    ) -> None:
        conversation_id, headers = await start(widget)

        response = await widget.post(
            f"/v1/conversations/{conversation_id}/messages",
            json={"text": "do you have linen shirts?"},
            headers=headers,
        )

        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(response.text)
        kinds = [kind for kind, _ in events]
        assert kinds[0] == "message_start"
        assert kinds[-1] == "done"
        assert kinds.index("tool_call") < kinds.index("tool_result") < kinds.index("cards")
        [call] = [data for kind, data in events if kind == "tool_call"]
        assert call["name"] == "search_products"
        [cards] = [data["cards"] for kind, data in events if kind == "cards"]
        assert [c["title"] for c in cards] == ["Linen Shirt"]
        text = "".join(data["text"] for kind, data in events if kind == "text_delta")
        assert text == events[-1][1]["text"]
        assert text == (
            "I found this:\n1. Linen Shirt by Coastline — $45.00–$48.00\n"
            "Would you like details on one of them, or shall I add one to your cart?"
        )

    async def test_without_streaming_the_whole_turn_comes_back_as_json(
        self, widget: httpx.AsyncClient
    ) -> None:
        conversation_id, headers = await start(widget)

        response = await widget.post(
            f"/v1/conversations/{conversation_id}/messages?stream=false",
            json={"text": "thanks"},
            headers=headers,
        )

        assert response.status_code == 200
        assert response.json()["text"] == "You're welcome! Is there anything else I can help with?"
        assert response.json()["events"][-1]["type"] == "done"

    async def test_a_wrong_conversation_token_finds_nothing_and_stores_nothing(
        self, widget: httpx.AsyncClient
    ) -> None:
        conversation_id, headers = await start(widget)

        response = await widget.post(
            f"/v1/conversations/{conversation_id}/messages",
            json={"text": "hello"},
            headers={"X-Conversation-Token": "fw_ct_forged"},
        )

        assert response.status_code == 404
        assert response.json()["error"] == "conversation_not_found"
        history = await widget.get(f"/v1/conversations/{conversation_id}/messages", headers=headers)
        assert [m["role"] for m in history.json()] == ["assistant"]

    async def test_an_empty_message_is_refused(self, widget: httpx.AsyncClient) -> None:
        conversation_id, headers = await start(widget)

        response = await widget.post(
            f"/v1/conversations/{conversation_id}/messages", json={"text": ""}, headers=headers
        )

        assert response.status_code == 422
        assert response.json()["error"] == "validation_error"


class TestHistory:
    async def test_history_shows_what_was_said_with_typed_pii_redacted(
        self, widget: httpx.AsyncClient
    ) -> None:
        conversation_id, headers = await start(widget)
        await widget.post(
            f"/v1/conversations/{conversation_id}/messages",
            json={"text": "my email is ada@example.com and I live at 12 Oak Street, Leeds"},
            headers=headers,
        )

        response = await widget.get(
            f"/v1/conversations/{conversation_id}/messages", headers=headers
        )

        messages = response.json()
        assert [m["role"] for m in messages] == ["assistant", "user", "assistant"]
        assert messages[1]["text"] == "my email is [EMAIL_1] and I live at [ADDRESS_1]"
        newer = await widget.get(
            f"/v1/conversations/{conversation_id}/messages?after={messages[1]['id']}",
            headers=headers,
        )
        assert [m["id"] for m in newer.json()] == [messages[2]["id"]]


class TestFeedback:
    async def test_a_reply_can_be_rated_and_the_rating_changed(
        self, widget: httpx.AsyncClient
    ) -> None:
        conversation_id, headers = await start(widget)
        turn = await widget.post(
            f"/v1/conversations/{conversation_id}/messages?stream=false",
            json={"text": "hello"},
            headers=headers,
        )
        message_id = turn.json()["message_id"]

        first = await widget.post(
            f"/v1/conversations/{conversation_id}/feedback",
            json={"message_id": message_id, "rating": "down", "comment": "too short"},
            headers=headers,
        )
        second = await widget.post(
            f"/v1/conversations/{conversation_id}/feedback",
            json={"message_id": message_id, "rating": "up"},
            headers=headers,
        )

        assert first.status_code == 200
        assert first.json()["rating"] == "down"
        assert second.json() == {
            "message_id": message_id,
            "rating": "up",
            "comment": "",
            "updated_at": second.json()["updated_at"],
        }

    async def test_the_shoppers_own_message_cannot_be_rated(
        self, widget: httpx.AsyncClient
    ) -> None:
        conversation_id, headers = await start(widget)
        turn = await widget.post(
            f"/v1/conversations/{conversation_id}/messages?stream=false",
            json={"text": "hello"},
            headers=headers,
        )
        user_message_id = turn.json()["events"][-1]["data"]["user_message_id"]

        response = await widget.post(
            f"/v1/conversations/{conversation_id}/feedback",
            json={"message_id": user_message_id, "rating": "up"},
            headers=headers,
        )

        assert response.status_code == 422
        assert response.json()["error"] == "feedback_not_allowed"
