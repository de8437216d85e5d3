"""The recommendation service on the fixture shop: consent, rules, surfaces, reasons, access."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from floorwalker.catalog.errors import ProductNotFound
from floorwalker.config import Settings
from floorwalker.customers.errors import CustomerNotFound
from floorwalker.customers.models import Customer
from floorwalker.events import service as events_service
from floorwalker.inventory.models import InventoryLevel
from floorwalker.kit.actor import Actor, ActorKind, Scope
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.recommend import jobs
from floorwalker.recommend import service as recommend_service
from floorwalker.recommend.engine.model import Params
from floorwalker.recommend.errors import (
    PersonalRecommendationsForbidden,
    RecommendationRequestInvalid,
    RuleConflict,
    RuleNotFound,
)
from floorwalker.recommend.schemas import RuleCreate, RuleKind
from floorwalker.stores.models import Store
from tests import factories
from tests.recommend.conftest import Lists
from tests.recommend.shop import Shop, add_event, consent

#: What anyone gets on the home page: decayed popularity, in stock, active products only.
NON_PERSONAL = ["beans", "shirt", "sneakers", "chinos", "oxford", "mug", "dress"]


def widget(store: Store) -> Actor:
    return Actor(
        store_id=store.id, kind=ActorKind.API_KEY, id="9", scopes=frozenset({Scope.PUBLISHABLE})
    )


class TestConsent:
    async def test_with_consent_the_list_follows_the_shoppers_purchases(
        self, trained: Shop, lists: Lists
    ) -> None:
        # given ada consented and bought the linen shirt yesterday
        # when
        result = await lists.get(surface="for_you", customer="ada")

        # then what goes with the shirt leads, and the shirt itself is not offered again
        assert trained.names([i.product_id for i in result.items]) == [
            "chinos", "sneakers", "oxford", "beans", "dress", "mug",
        ]  # fmt: skip
        assert result.personalised is True
        assert result.items[0].reason.model_dump() == {
            "kind": "because_bought",
            "text": "Because you bought Linen Shirt",
            "product_id": trained.products["shirt"],
            "label": None,
        }

    async def test_without_consent_the_same_history_gives_the_non_personal_list(
        self, trained: Shop, lists: Lists
    ) -> None:
        # given bob bought the same shirt but never consented
        result = await lists.get(surface="for_you", customer="bob")

        assert trained.names([i.product_id for i in result.items]) == NON_PERSONAL
        assert result.personalised is False
        assert all("you" not in item.reason.text.lower() for item in result.items)

    async def test_withdrawn_consent_takes_effect_on_the_next_list(
        self, db: Database, trained: Shop, lists: Lists
    ) -> None:
        async with db.transaction() as s:
            await s.execute(
                update(Customer)
                .where(Customer.id == trained.customers["ada"])
                .values(consent=consent(False))
            )

        assert await lists.names(surface="for_you", customer="ada") == NON_PERSONAL

    async def test_stored_preferences_are_not_used_without_consent(
        self, db: Database, trained: Shop, lists: Lists
    ) -> None:
        async with db.transaction() as s:
            await s.execute(
                update(Customer).where(Customer.id == trained.customers["cleo"]).values(consent={})
            )

        result = await lists.get(surface="for_you", customer="cleo")

        assert trained.names([i.product_id for i in result.items]) == NON_PERSONAL
        assert result.personalised is False


class TestColdStart:
    async def test_stored_preferences_lead_a_shopper_with_no_orders(
        self, trained: Shop, lists: Lists
    ) -> None:
        # given cleo never ordered but said she likes Tailor
        result = await lists.get(surface="for_you", customer="cleo")

        assert trained.names([i.product_id for i in result.items])[:2] == ["chinos", "beans"]
        assert result.items[0].reason.kind == "preference"
        assert result.items[0].reason.text == "Matches your stated preference for Tailor"

    async def test_preferences_stated_in_chat_shape_an_anonymous_list(
        self, trained: Shop, lists: Lists
    ) -> None:
        names = await lists.names(surface="chat", preferences={"brands_liked": ["Stride"]})

        # the boots are Stride too, but out of stock
        assert names == ["sneakers", "beans", "shirt", "chinos", "oxford", "mug", "dress"]

    async def test_a_stated_budget_rules_out_what_costs_more(
        self, trained: Shop, lists: Lists
    ) -> None:
        names = await lists.names(
            surface="for_you", preferences={"budget": {"max": 1500, "currency": "USD"}}
        )

        assert names == ["beans", "mug"]

    async def test_a_budget_in_another_currency_is_not_applied(
        self, trained: Shop, lists: Lists
    ) -> None:
        names = await lists.names(
            surface="for_you", preferences={"budget": {"max": 1500, "currency": "EUR"}}
        )

        assert names == NON_PERSONAL


class TestStock:
    async def test_out_of_stock_and_draft_products_never_appear_until_restocked(
        self, db: Database, trained: Shop, lists: Lists
    ) -> None:
        # given the boots (popular, bought with sneakers) are out of stock
        before = await lists.names(surface="cart", cart_of=["sneakers"])
        assert "boots" not in before
        assert "sample" not in before
        assert "boots" not in await lists.names(surface="for_you", limit=50)

        # when they are restocked
        async with db.transaction() as s:
            await s.execute(
                update(InventoryLevel)
                .where(InventoryLevel.variant_id == trained.variants["boots"])
                .values(on_hand=4)
            )

        # then they complete a sneakers cart at once (no retraining needed)
        after = await lists.names(surface="cart", cart_of=["sneakers"])
        assert after[0] == "boots"
        assert after[1:] == before


class TestRules:
    async def test_a_blocked_product_disappears_and_the_rest_keep_their_order(
        self, db: Database, trained: Shop, lists: Lists
    ) -> None:
        actor = Actor.system(trained.store.id)
        async with db.transaction() as s:
            await recommend_service.create_rule(
                s,
                actor,
                data=RuleCreate(product_id=trained.products["chinos"], kind=RuleKind.BLOCK),
            )

        assert await lists.names(surface="for_you", customer="ada") == [
            "sneakers", "oxford", "beans", "dress", "mug",
        ]  # fmt: skip
        assert "chinos" not in await lists.names(surface="bought_together", product="shirt")

    async def test_a_pinned_product_comes_first_on_its_surface_only(
        self, db: Database, trained: Shop, lists: Lists
    ) -> None:
        actor = Actor.system(trained.store.id)
        async with db.transaction() as s:
            await recommend_service.create_rule(
                s,
                actor,
                data=RuleCreate(
                    product_id=trained.products["mug"], kind=RuleKind.PIN, surface="for_you"
                ),
            )

        result = await lists.get(surface="for_you", customer="ada")
        similar = await lists.names(surface="similar", product="shirt")

        names = trained.names([i.product_id for i in result.items])
        assert names == ["mug", "chinos", "sneakers", "oxford", "beans", "dress"]
        assert result.items[0].reason.text == "Featured by the store"
        assert result.items[0].score == 0.0
        assert similar[0] == "oxford"

    async def test_a_pinned_product_out_of_stock_is_not_shown(
        self, db: Database, trained: Shop, lists: Lists
    ) -> None:
        async with db.transaction() as s:
            await recommend_service.create_rule(
                s,
                Actor.system(trained.store.id),
                data=RuleCreate(product_id=trained.products["boots"], kind=RuleKind.PIN),
            )

        assert await lists.names(surface="for_you") == NON_PERSONAL

    async def test_one_rule_per_product_and_surface_and_deleting_restores_the_list(
        self, db: Database, trained: Shop, lists: Lists
    ) -> None:
        actor = Actor.system(trained.store.id)
        data = RuleCreate(product_id=trained.products["beans"], kind=RuleKind.BLOCK)
        async with db.transaction() as s:
            rule = await recommend_service.create_rule(s, actor, data=data)
        with pytest.raises(RuleConflict):
            async with db.transaction() as s:
                await recommend_service.create_rule(s, actor, data=data)
        assert "beans" not in await lists.names(surface="for_you")

        async with db.transaction() as s:
            await recommend_service.delete_rule(s, actor, rule_id=rule.id)
            rules = await recommend_service.list_rules(s, actor)

        assert rules == []
        assert await lists.names(surface="for_you") == NON_PERSONAL
        with pytest.raises(RuleNotFound):
            async with db.transaction() as s:
                await recommend_service.delete_rule(s, actor, rule_id=rule.id)

    async def test_rules_name_only_the_stores_own_products(
        self, db: Database, trained: Shop, other_store: Store
    ) -> None:
        with pytest.raises(ProductNotFound):
            async with db.transaction() as s:
                await recommend_service.create_rule(
                    s,
                    Actor.system(other_store.id),
                    data=RuleCreate(product_id=trained.products["mug"], kind=RuleKind.PIN),
                )


class TestRepurchase:
    async def test_a_regularly_rebought_item_is_offered_again_with_how_often(
        self, trained: Shop, lists: Lists
    ) -> None:
        # given dan buys coffee beans every few weeks (last 8 days ago)
        result = await lists.get(surface="for_you", customer="dan")

        assert trained.name_of(result.items[0].product_id) == "beans"
        assert result.items[0].reason.text == "You have bought this 2 times"
        assert result.items[1].reason.text == "Because you bought Coffee Beans"

    async def test_discovery_lists_only_what_the_shopper_has_not_bought(
        self, trained: Shop, lists: Lists
    ) -> None:
        names = await lists.names(surface="for_you", customer="dan", discovery=True)

        assert names == ["mug", "shirt", "sneakers", "chinos", "oxford", "dress"]


class TestSessions:
    async def test_an_anonymous_session_steers_the_list_and_says_what_was_viewed(
        self, db: Database, trained: Shop, lists: Lists
    ) -> None:
        async with db.transaction() as s:
            await add_event(s, trained, type_="view", product="chinos", session_id="s-anon")

        result = await lists.get(surface="for_you", session_id="s-anon")

        assert trained.name_of(result.items[0].product_id) == "shirt"
        assert result.items[0].reason.text == "Because you viewed Chino Trousers"
        assert result.personalised is True

    async def test_a_session_of_a_customer_without_consent_is_not_used(
        self, db: Database, trained: Shop, lists: Lists
    ) -> None:
        # given bob's session is stitched to him, and he never consented
        async with db.transaction() as s:
            await add_event(s, trained, type_="view", product="chinos", session_id="s-bob")
            await events_service.ingest(
                s,
                Actor.system(trained.store.id),
                events=[{"id": "identify-bob", "type": "identify",
                         "timestamp": utcnow().isoformat(), "session_id": "s-bob",
                         "customer_id": trained.customers["bob"]}],
            )  # fmt: skip

        result = await lists.get(widget(trained.store), surface="for_you", session_id="s-bob")

        assert trained.names([i.product_id for i in result.items]) == NON_PERSONAL
        assert result.personalised is False

    async def test_the_widget_gets_the_same_for_you_as_anyone_without_a_session(
        self, trained: Shop, lists: Lists
    ) -> None:
        assert await lists.names(widget(trained.store), surface="for_you") == NON_PERSONAL


class TestDiversity:
    async def test_no_category_takes_more_than_its_share_of_a_list(
        self, db: Database, settings: Settings, shop: Shop, lists: Lists
    ) -> None:
        # given a model allowing one item per category in a list of five
        await jobs.train(
            db, settings, store_id=shop.store.id, force=True,
            params=Params(learn_weights=False, repurchase_threshold=0.3, max_category_share=0.2),
        )  # fmt: skip
        async with db.transaction() as s:
            await add_event(
                s, shop, type_="view", product="oxford", session_id="s-two", minutes_ago=3
            )
            await add_event(
                s, shop, type_="view", product="dress", session_id="s-two", minutes_ago=2
            )

        # when
        names = await lists.names(surface="for_you", session_id="s-two", limit=5)

        # then the oxford shirt (a second shirt) gives way to the next category
        assert names == ["shirt", "beans", "sneakers", "chinos", "mug"]


class TestSurfaces:
    async def test_bought_together_similar_and_cart_each_explain_themselves(
        self, trained: Shop, lists: Lists
    ) -> None:
        together = await lists.get(surface="bought_together", product="shirt")
        similar = await lists.get(surface="similar", product="shirt")
        cart = await lists.get(surface="cart", cart_of=["sneakers"])

        # the oxford shirt is another shirt, never bought with the linen one: not a complement
        assert trained.names([i.product_id for i in together.items]) == [
            "chinos", "sneakers", "beans", "mug", "dress",
        ]  # fmt: skip
        assert together.items[0].reason.text == "Often bought with Linen Shirt"
        assert trained.names([i.product_id for i in similar.items]) == [
            "oxford", "dress", "chinos", "sneakers", "beans", "mug",
        ]  # fmt: skip
        assert [i.reason.text for i in similar.items[:3]] == [
            "Similar to Linen Shirt",
            "Similar to Linen Shirt",
            "Customers who bought Linen Shirt also bought this",
        ]
        assert trained.name_of(cart.items[0].product_id) == "shirt"
        assert cart.items[0].reason.text == "Often bought with Canvas Sneakers"
        assert cart.items[0].title == "Linen Shirt"
        assert cart.items[0].price == 4500
        assert cart.items[0].currency == trained.store.currency

    async def test_chat_recommends_around_the_products_being_discussed(
        self, trained: Shop, lists: Lists
    ) -> None:
        result = await lists.get(surface="chat", context_products=[trained.products["oxford"]])

        assert trained.name_of(result.items[0].product_id) == "shirt"
        assert result.items[0].reason.text == "Similar to Oxford Shirt"
        assert "oxford" not in trained.names([i.product_id for i in result.items])

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"surface": "similar"}, "needs a product_id"),
            ({"surface": "bought_together"}, "needs a product_id"),
            ({"surface": "cart"}, "needs the cart"),
            ({"surface": "for_you", "limit": 0}, "limit must be between 1 and 50"),
        ],
    )
    async def test_requests_missing_what_their_surface_needs_are_refused(
        self, trained: Shop, lists: Lists, params: dict[str, object], message: str
    ) -> None:
        with pytest.raises(RecommendationRequestInvalid, match=message):
            await lists.get(**params)

    async def test_product_pages_of_unknown_draft_or_foreign_products_are_not_found(
        self, db: Database, trained: Shop, lists: Lists, other_store: Store
    ) -> None:
        async with db.transaction() as s:
            foreign = await factories.create_product(s, other_store)
        for product_id in (999_999, trained.products["sample"], foreign.id):
            with pytest.raises(ProductNotFound):
                await lists.get(surface="similar", product_id=product_id)


class TestAccess:
    async def test_a_widget_key_may_not_name_a_customer(self, trained: Shop, lists: Lists) -> None:
        with pytest.raises(PersonalRecommendationsForbidden):
            await lists.get(widget(trained.store), surface="for_you", customer="ada")

    async def test_a_verified_shopper_gets_their_own_list_and_no_one_elses(
        self, trained: Shop, lists: Lists
    ) -> None:
        ada = Actor.shopper(trained.store.id, trained.customers["ada"])

        own = await lists.names(ada, surface="for_you")

        assert own == await lists.names(surface="for_you", customer="ada")
        with pytest.raises(PersonalRecommendationsForbidden):
            await lists.get(ada, surface="for_you", customer="dan")

    async def test_another_stores_customer_is_not_found(
        self, db: Database, trained: Shop, lists: Lists, other_store: Store
    ) -> None:
        with pytest.raises(CustomerNotFound):
            await lists.get(
                Actor.system(other_store.id),
                surface="for_you",
                customer_id=trained.customers["ada"],
            )


class TestBeforeTheFirstTraining:
    async def test_best_sellers_in_stock_stand_in_until_a_model_is_trained(
        self, shop: Shop, lists: Lists
    ) -> None:
        result = await lists.get(surface="for_you", customer="ada", now=utcnow())

        # units sold in the last 30 days: beans 4, shirt 5, ... (boots out of stock)
        assert result.model_version is None
        names = shop.names([i.product_id for i in result.items])
        assert names[:3] == ["shirt", "beans", "sneakers"]
        assert "boots" not in names
        assert "sample" not in names
        assert result.items[0].reason.text == "Popular in Shirts"
        assert result.items[-1].reason.kind == "more_in"
