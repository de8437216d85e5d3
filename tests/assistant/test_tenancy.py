"""Nothing crosses stores: conversations, tools and handoffs all stay in their tenant."""

from __future__ import annotations

import httpx

from floorwalker.assistant.events import EventType
from floorwalker.assistant.runtime import Runtime
from floorwalker.assistant.scenarios.fixtures import FixtureStore, build_store
from floorwalker.auth import service as auth_service
from floorwalker.auth.schemas import ApiKeyCreate, KeyKind
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from tests.assistant.conftest import Chat
from tests.conftest import LiveServer


async def widget_key(db: Database, shop: FixtureStore) -> str:
    async with db.transaction() as session:
        _key, token = await auth_service.create_key(
            session,
            Actor.system(shop.store_id),
            data=ApiKeyCreate(name="widget", kind=KeyKind.PUBLISHABLE, scopes=[]),
        )
    return token


class TestTenancy:
    async def test_another_stores_key_cannot_reach_a_conversation_even_with_its_token(
        self, live_server: LiveServer, db: Database, shop: FixtureStore, runtime: Runtime
    ) -> None:
        other = await build_store(db, runtime.identity_crypto)
        async with (
            httpx.AsyncClient(
                base_url=live_server.url,
                headers={"Authorization": f"Bearer {await widget_key(db, shop)}"},
            ) as mine,
            httpx.AsyncClient(
                base_url=live_server.url,
                headers={"Authorization": f"Bearer {await widget_key(db, other)}"},
            ) as theirs,
        ):
            started = (await mine.post("/v1/conversations", json={})).json()
            path = f"/v1/conversations/{started['conversation']['id']}"
            headers = {"X-Conversation-Token": started["token"]}

            read = await theirs.get(path, headers=headers)
            sent = await theirs.post(f"{path}/messages", json={"text": "hi"}, headers=headers)

        assert read.status_code == 404
        assert sent.status_code == 404
        assert sent.json()["error"] == "conversation_not_found"

    async def test_tools_see_only_their_own_stores_products_and_orders(
        self, db: Database, runtime: Runtime, shop: FixtureStore
    ) -> None:
        other = await build_store(db, runtime.identity_crypto)
        chat = await Chat(runtime, shop).start("ada")

        # Both stores have an order W1001; the other store's product ids are valid ids.
        reply = await chat.say("where is W1001?")
        foreign = await chat.say(f"tell me about product {other.products['linen-shirt']}")

        [card] = [c for d in reply.of(EventType.CARDS) for c in d["cards"]]
        assert card["order_number"] == "W1001"
        found = [c["product_id"] for d in foreign.of(EventType.CARDS) for c in d["cards"]]
        assert other.products["linen-shirt"] not in found
        assert set(found) <= set(shop.products.values())

    async def test_staff_see_only_their_own_stores_handoffs(
        self,
        live_server: LiveServer,
        db: Database,
        runtime: Runtime,
        shop: FixtureStore,
        staff: httpx.AsyncClient,
    ) -> None:
        other = await build_store(db, runtime.identity_crypto)
        chat = await Chat(runtime, other).start()
        reply = await chat.say("I want to talk to a person")
        [handoff] = reply.of(EventType.HANDOFF)

        listed = await staff.get("/v1/handoffs")
        read = await staff.get(f"/v1/handoffs/{handoff['handoff_id']}")
        taken = await staff.post(f"/v1/handoffs/{handoff['handoff_id']}/take")

        assert handoff["handoff_id"] not in [h["id"] for h in listed.json()["items"]]
        assert read.status_code == 404
        assert taken.status_code == 404
        assert taken.json()["error"] == "handoff_not_found"
