"""What the assistant holds about a customer can be exported, erased and expired."""

from __future__ import annotations

import datetime as dt

from floorwalker.assistant import privacy
from floorwalker.assistant.repository import AssistantRepository
from floorwalker.assistant.scenarios.fixtures import FixtureStore
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from tests.assistant.conftest import Chat


class TestPrivacy:
    async def test_export_holds_the_customers_conversations_redacted(
        self, chat: Chat, db: Database, shop: FixtureStore
    ) -> None:
        await chat.start("ada")
        await chat.say("cancel W1001, ordered by mistake, my phone is 07700 900123")

        async with db.reading() as session:
            data = await privacy.export_customer(session, shop.store_id, shop.customers["ada"])

        [conversation] = data["conversations"]
        assert conversation["id"] == chat.public_id
        assert [m["role"] for m in conversation["messages"]] == ["assistant", "user", "assistant"]
        assert conversation["messages"][1]["text"] == (
            "cancel W1001, ordered by mistake, my phone is [PHONE_1]"
        )
        assert [p["tool"] for p in data["proposals"]] == ["cancel_order"]

    async def test_erasure_deletes_them_and_leaves_other_customers_alone(
        self, runtime: object, db: Database, shop: FixtureStore, chat: Chat
    ) -> None:
        await chat.start("ada")
        await chat.say("I need a human")
        other = await Chat(chat.runtime, shop).start("bob")
        await other.say("hello")

        async with db.transaction() as session:
            deleted = await privacy.erase_customer(
                session, Actor.system(shop.store_id), customer_id=shop.customers["ada"]
            )
        async with db.reading() as session:
            repo = AssistantRepository(session, shop.store_id)
            ada = await repo.conversations_of_customer(shop.customers["ada"])
            bob = await repo.conversations_of_customer(shop.customers["bob"])

        assert deleted == 1
        assert ada == []
        assert [c.public_id for c in bob] == [other.public_id]

    async def test_idle_conversations_expire(
        self, chat: Chat, db: Database, shop: FixtureStore
    ) -> None:
        await chat.start()
        await chat.say("hello")

        async with db.transaction() as session:
            kept = await privacy.purge_idle(
                session, Actor.system(shop.store_id), older_than=dt.timedelta(days=1)
            )
            purged = await privacy.purge_idle(
                session, Actor.system(shop.store_id), older_than=dt.timedelta(seconds=-1)
            )

        assert (kept, purged) == (0, 1)
