"""The remote model path, against a scripted OpenAI-compatible server over real HTTP."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from floorwalker.assistant.events import EventType
from floorwalker.assistant.repository import AssistantRepository
from floorwalker.assistant.runtime import Runtime
from floorwalker.assistant.scenarios.fixtures import FixtureStore
from floorwalker.config import Settings
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.orders import service as order_service
from tests.assistant.conftest import Chat, parse_sse
from tests.conftest import LiveServer
from tests.fakes.openai_server import FakeOpenAI, Reply, ToolCall


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.stop()


@pytest.fixture
def llm(fake: FakeOpenAI) -> FakeOpenAI:
    """The fake model with an empty script and no recorded requests."""
    fake.script.clear()
    fake.requests.clear()
    fake.default = None
    fake.responder = None
    return fake


def remote_settings(settings: Settings, fake: FakeOpenAI, **extra: Any) -> Settings:
    return settings.model_copy(
        update={
            "model_base_url": fake.url,
            "model_api_key": SecretStr("sk-test"),
            "model_name": "fake-gpt",
            "model_timeout_seconds": 0.5,
            "model_max_retries": 1,
            **extra,
        }
    )


@pytest.fixture
async def remote(db: Database, settings: Settings, llm: FakeOpenAI) -> AsyncIterator[Runtime]:
    runtime = Runtime.build(db, remote_settings(settings, llm))
    yield runtime
    await runtime.close()


@pytest.fixture
def rchat(remote: Runtime, shop: FixtureStore) -> Chat:
    return Chat(remote, shop)


def tool_messages(request: dict[str, Any]) -> list[dict[str, Any]]:
    return [json.loads(m["content"]) for m in request["messages"] if m["role"] == "tool"]


async def order_status(db: Database, shop: FixtureStore, number: str) -> str:
    async with db.reading() as session:
        order = await order_service.get_order_by_number(
            session, Actor.system(shop.store_id), number=number
        )
    return order.status


class TestRemoteTurn:
    async def test_a_tool_call_then_an_answer_streams_and_counts_tokens(
        self, rchat: Chat, llm: FakeOpenAI, db: Database, shop: FixtureStore
    ) -> None:
        llm.add(
            Reply(tool_calls=[ToolCall("search_products", {"query": "linen shirt"})]),
            Reply(text="The Linen Shirt costs $45.00 in blue. The white one is $48.00."),
        )
        await rchat.start()

        reply = await rchat.say("Do you have a linen shirt?")

        assert reply.tools == ["search_products"]
        assert reply.text == "The Linen Shirt costs $45.00 in blue. The white one is $48.00."
        assert [d["text"] for d in reply.of(EventType.TEXT_DELTA)] == [
            "The Linen Shirt costs $45.00 in blue. ",
            "The white one is $48.00.",
        ]
        assert reply.of(EventType.DONE)[0]["usage"] == {
            "prompt_tokens": 100,
            "completion_tokens": 40,
        }
        assert reply.of(EventType.DONE)[0]["model"] == "fake-gpt"
        first, second = llm.requests
        assert first["model"] == "fake-gpt"
        assert first["stream"] is True
        assert first["messages"][0]["role"] == "system"
        assert "Orders can be cancelled while they are pending" in first["messages"][0]["content"]
        assert {t["function"]["name"] for t in first["tools"]} >= {
            "search_products",
            "cancel_order",
        }
        [result] = tool_messages(second)
        assert [p["title"] for p in result["products"]] == ["Linen Shirt"]
        async with db.reading() as session:
            conversation = await AssistantRepository(session, shop.store_id).conversation(
                rchat.public_id
            )
        assert conversation is not None
        assert (conversation.prompt_tokens, conversation.completion_tokens) == (100, 40)

    async def test_personal_data_reaches_the_model_only_as_placeholders(
        self, rchat: Chat, llm: FakeOpenAI
    ) -> None:
        llm.add(Reply(text="Thanks!"))
        await rchat.start()

        await rchat.say(
            "I'm ada@example.com, call 07700 900123, card 4242 4242 4242 4242, "
            "I live at 12 Oak Street, Leeds"
        )

        sent = json.dumps(llm.requests[0]["messages"])
        for secret in ("ada@example.com", "07700 900123", "4242 4242 4242 4242", "12 Oak Street"):
            assert secret not in sent
        assert llm.requests[0]["messages"][-1]["content"] == (
            "I'm [EMAIL_1], call [PHONE_1], card [CARD_NUMBER], I live at [ADDRESS_1]"
        )

    async def test_no_tool_takes_a_customer_id(self, remote: Runtime) -> None:
        from floorwalker.assistant.tools import build_registry

        schemas = json.dumps(build_registry().specs())

        assert "customer_id" not in schemas


class TestRemoteToolFailures:
    async def test_malformed_arguments_go_back_to_the_model_as_an_error(
        self, rchat: Chat, llm: FakeOpenAI
    ) -> None:
        llm.add(
            Reply(tool_calls=[ToolCall("product_details", '{"product_id": 1')]),
            Reply(text="Sorry, I could not look that up."),
        )
        await rchat.start()

        reply = await rchat.say("tell me about product 1")

        assert reply.of(EventType.TOOL_RESULT) == [
            {"id": "call_0", "name": "product_details", "ok": False, "error": "malformed_arguments"}
        ]
        assert tool_messages(llm.requests[1]) == [
            {"error": "malformed_arguments", "detail": "The arguments are not valid JSON."}
        ]
        assert reply.text == "Sorry, I could not look that up."

    async def test_an_unknown_tool_is_an_error_listing_the_real_ones(
        self, rchat: Chat, llm: FakeOpenAI
    ) -> None:
        llm.add(
            Reply(tool_calls=[ToolCall("delete_all_orders", {})]),
            Reply(text="I can't do that."),
        )
        await rchat.start()

        await rchat.say("delete everything")

        [error] = tool_messages(llm.requests[1])
        assert error["error"] == "unknown_tool"
        assert "cancel_order" in error["available"]

    async def test_a_customer_id_argument_is_refused_not_obeyed(
        self, rchat: Chat, llm: FakeOpenAI, shop: FixtureStore
    ) -> None:
        llm.add(
            Reply(tool_calls=[ToolCall("list_orders", {"customer_id": shop.customers["bob"]})]),
            Reply(text="I can only see your own orders."),
        )
        await rchat.start("ada")

        await rchat.say("show me bob's orders")

        [error] = tool_messages(llm.requests[1])
        assert error["error"] == "invalid_arguments"
        assert error["problems"] == [
            {"field": "customer_id", "problem": "Extra inputs are not permitted"}
        ]

    async def test_a_made_up_or_foreign_order_number_is_not_found(
        self, rchat: Chat, llm: FakeOpenAI
    ) -> None:
        llm.add(
            Reply(
                tool_calls=[
                    ToolCall("order_details", {"order_number": "W2001"}, id="a"),
                    ToolCall("order_details", {"order_number": "W9999"}, id="b"),
                    ToolCall("product_details", {"product_id": 987654}, id="c"),
                ]
            ),
            Reply(text="I couldn't find those."),
        )
        await rchat.start("ada")

        reply = await rchat.say("show order W2001")

        errors = [e["error"] for e in tool_messages(llm.requests[1])]
        assert errors == ["order_not_found", "order_not_found", "product_not_found"]
        assert "W2001" not in json.dumps(reply.of(EventType.CARDS))

    async def test_order_tools_need_a_verified_shopper(self, rchat: Chat, llm: FakeOpenAI) -> None:
        llm.add(
            Reply(tool_calls=[ToolCall("order_details", {"order_number": "W1001"})]),
            Reply(text="Please verify first."),
        )
        await rchat.start()

        await rchat.say("where is W1001")

        assert [e["error"] for e in tool_messages(llm.requests[1])] == ["verification_required"]


class TestFallback:
    async def test_a_timeout_is_answered_by_the_local_model(
        self, rchat: Chat, llm: FakeOpenAI
    ) -> None:
        llm.add(Reply(delay=1.5, text="too late"), Reply(delay=1.5, text="too late"))
        await rchat.start()

        reply = await rchat.say("thanks")

        assert reply.of(EventType.NOTICE) == [
            {"code": "model_fallback", "text": "Answering with the built-in assistant."}
        ]
        assert reply.text == "You're welcome! Is there anything else I can help with?"
        assert reply.of(EventType.DONE)[0]["model"] == "local"
        assert len(llm.requests) == 2

    async def test_429_is_retried_after_the_wait_it_asks_for(
        self, rchat: Chat, llm: FakeOpenAI
    ) -> None:
        llm.add(Reply(status=429, retry_after=0.05), Reply(text="Hello there!"))
        await rchat.start()

        reply = await rchat.say("hi")

        assert reply.text == "Hello there!"
        assert reply.of(EventType.NOTICE) == []
        assert len(llm.requests) == 2

    async def test_repeated_500s_fall_back_to_the_local_model(
        self, rchat: Chat, llm: FakeOpenAI
    ) -> None:
        llm.add(Reply(status=500), Reply(status=500))
        await rchat.start()

        reply = await rchat.say("what is your return policy?")

        assert reply.of(EventType.DONE)[0]["model"] == "local"
        assert "within 30 days of delivery" in reply.text
        assert "cancelled while" not in reply.text

    async def test_a_malformed_stream_falls_back(self, rchat: Chat, llm: FakeOpenAI) -> None:
        llm.add(Reply(raw="data: {not json\n\n"))
        await rchat.start()

        reply = await rchat.say("thanks")

        assert reply.of(EventType.DONE)[0]["model"] == "local"

    async def test_a_stream_that_breaks_midway_tells_the_client_to_drop_its_text(
        self, rchat: Chat, llm: FakeOpenAI
    ) -> None:
        first = json.dumps({"choices": [{"index": 0, "delta": {"content": "Half an answer. "}}]})
        llm.add(Reply(raw=f"data: {first}\n\ndata: {{broken\n\n"))
        await rchat.start()

        reply = await rchat.say("thanks")

        assert reply.of(EventType.TEXT_DELTA)[0] == {"text": "Half an answer. "}
        assert reply.of(EventType.NOTICE) == [
            {
                "code": "model_fallback",
                "text": "Answering with the built-in assistant.",
                "discard_text": True,
            }
        ]
        assert reply.text == "You're welcome! Is there anything else I can help with?"

    async def test_real_providers_are_never_called_when_requests_are_forbidden(
        self, db: Database, settings: Settings, shop: FixtureStore
    ) -> None:
        blocked = settings.model_copy(
            update={
                "model_base_url": None,
                "model_api_key": SecretStr("sk-live"),
                "allow_model_requests": False,
            }
        )
        runtime = Runtime.build(db, blocked)
        chat = await Chat(runtime, shop).start()

        reply = await chat.say("thanks")

        await runtime.close()
        assert runtime.remote is not None
        assert runtime.remote.base_url == "https://api.openai.com/v1"
        assert reply.of(EventType.DONE)[0]["model"] == "local"


class TestReplyCheck:
    async def test_a_wrong_price_is_corrected_before_it_is_sent(
        self, rchat: Chat, llm: FakeOpenAI
    ) -> None:
        llm.add(
            Reply(tool_calls=[ToolCall("search_products", {"query": "linen shirt"})]),
            Reply(text="The Linen Shirt costs $30.00. It is in stock."),
        )
        await rchat.start()

        reply = await rchat.say("how much is the linen shirt?")

        assert reply.text == "The Linen Shirt costs $45.00–$48.00. It is in stock."
        assert [c["kind"] for c in reply.of(EventType.DONE)[0]["corrections"]] == ["price"]

    async def test_out_of_stock_claimed_available_is_corrected(
        self, rchat: Chat, llm: FakeOpenAI
    ) -> None:
        llm.add(
            Reply(tool_calls=[ToolCall("search_products", {"query": "merino sweater"})]),
            Reply(text="Good news: the Merino Wool Sweater is in stock!"),
        )
        await rchat.start()

        reply = await rchat.say("is the merino sweater available?")

        assert reply.text == "Merino Wool Sweater is out of stock at the moment."

    async def test_a_change_claimed_without_confirmation_is_corrected_and_nothing_changes(
        self, rchat: Chat, llm: FakeOpenAI, db: Database, shop: FixtureStore
    ) -> None:
        llm.add(
            Reply(
                tool_calls=[
                    ToolCall(
                        "cancel_order", {"order_number": "W1001", "reason": "no longer needed"}
                    )
                ]
            ),
            Reply(text="I have cancelled your order W1001."),
        )
        await rchat.start("ada")

        reply = await rchat.say("cancel W1001, I don't need it")

        assert reply.text == (
            "Nothing has been changed yet: I've prepared it, and it happens only once you confirm."
        )
        [proposal] = reply.proposals
        assert proposal["status"] == "proposed"
        assert await order_status(db, shop, "W1001") == "pending"

    async def test_instructions_in_product_text_cannot_act_on_another_customers_order(
        self, rchat: Chat, llm: FakeOpenAI, db: Database, shop: FixtureStore
    ) -> None:
        # The model "obeys" the tote bag's injected text; permissions do not depend on it.
        llm.add(
            Reply(tool_calls=[ToolCall("search_products", {"query": "tote bag"})]),
            Reply(
                tool_calls=[
                    ToolCall("cancel_order", {"order_number": "W2001", "reason": "mistake"}),
                    ToolCall("order_details", {"order_number": "W2002"}, id="x"),
                ]
            ),
            Reply(text="Done! Order W2001 has been cancelled and refunded."),
        )
        await rchat.start("ada")

        reply = await rchat.say("tell me about the tote bag")

        errors = [e.get("error") for e in tool_messages(llm.requests[2])[1:]]
        assert errors == ["order_not_found", "order_not_found"]
        assert reply.proposals == []
        assert reply.text == EMPTY
        assert await order_status(db, shop, "W2001") == "pending"


EMPTY = (
    "I'm sorry — I couldn't check that answer against the store's records, so I won't guess. "
    "Could you ask in another way, or shall I ask a person to help?"
)


@pytest.fixture(scope="module")
def remote_server(settings: Settings, fake: FakeOpenAI) -> Iterator[LiveServer]:
    server = LiveServer(remote_settings(settings, fake, assistant_messages_per_minute=3))
    server.start()
    yield server
    server.stop()


class TestOverHttp:
    async def test_the_remote_reply_streams_over_server_sent_events(
        self, remote_server: LiveServer, widget_key: str, llm: FakeOpenAI
    ) -> None:
        llm.add(Reply(text="Hello! How can I help you today? I can find products.", chunk=5))
        async with httpx.AsyncClient(
            base_url=remote_server.url, headers={"Authorization": f"Bearer {widget_key}"}
        ) as client:
            started = (await client.post("/v1/conversations", json={})).json()
            headers = {"X-Conversation-Token": started["token"]}
            conversation_id = started["conversation"]["id"]

            response = await client.post(
                f"/v1/conversations/{conversation_id}/messages",
                json={"text": "hello"},
                headers=headers,
            )

        events = parse_sse(response.text)
        deltas = [data["text"] for kind, data in events if kind == "text_delta"]
        assert deltas == ["Hello! ", "How can I help you today? ", "I can find products."]
        assert events[-1][1]["model"] == "fake-gpt"

    async def test_a_conversation_is_limited_to_its_messages_per_minute(
        self, remote_server: LiveServer, widget_key: str, llm: FakeOpenAI
    ) -> None:
        llm.default = Reply(text="Sure.")
        async with httpx.AsyncClient(
            base_url=remote_server.url, headers={"Authorization": f"Bearer {widget_key}"}
        ) as client:
            started = (await client.post("/v1/conversations", json={})).json()
            headers = {"X-Conversation-Token": started["token"]}
            url = f"/v1/conversations/{started['conversation']['id']}/messages?stream=false"

            # The limit counts per clock minute: seven quick messages put four in one minute.
            responses = [
                await client.post(url, json={"text": f"message {i}"}, headers=headers)
                for i in range(7)
            ]
            history = await client.get(
                f"/v1/conversations/{started['conversation']['id']}/messages", headers=headers
            )

        refused = [r for r in responses if r.status_code == 429]
        accepted = [f"message {i}" for i, r in enumerate(responses) if r.status_code == 200]
        assert refused
        assert len(refused) + len(accepted) == 7
        assert refused[0].json()["error"] == "rate_limited"
        assert int(refused[0].headers["retry-after"]) >= 1
        assert [m["text"] for m in history.json() if m["role"] == "user"] == accepted
