"""Preferences stated in chat: kept with consent, used in later conversations."""

from __future__ import annotations

from floorwalker.assistant.scenarios.fixtures import FixtureStore
from floorwalker.customers import service as customer_service
from floorwalker.kit.db import Database
from tests.assistant.conftest import Chat


class TestMemory:
    async def test_a_consenting_customers_size_shapes_a_later_search(
        self, chat: Chat, db: Database, shop: FixtureStore
    ) -> None:
        await chat.start("ada")
        stated = await chat.say("I usually wear size L and I don't like polyester")
        later = await Chat(chat.runtime, shop).start("ada")

        reply = await later.say("show me shirts")

        assert (
            stated.text
            == "I'll keep that in mind — I've saved it to your profile for next time too."
        )
        async with db.reading() as session:
            ada = await customer_service.get_or_raise(session, shop.store_id, shop.customers["ada"])
        assert ada.preferences["sizes"] == {"any": "L"}
        assert ada.preferences["dislikes"] == ["polyester"]
        assert reply.tools == ["search_products"]
        assert reply.text.startswith("Here's what I found (showing your size (L) first):")

    async def test_without_consent_nothing_is_kept_on_the_profile(
        self, chat: Chat, db: Database, shop: FixtureStore
    ) -> None:
        await chat.start("bob")

        stated = await chat.say("my favourite brand is Summit")

        assert stated.text == "I'll keep that in mind for this conversation."
        async with db.reading() as session:
            bob = await customer_service.get_or_raise(session, shop.store_id, shop.customers["bob"])
        assert bob.preferences == {}
