"""Relevance on the fixture shop: field weights, stock, typos, stemming, synonyms."""

from __future__ import annotations

from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.search import service as search_service
from floorwalker.search.schemas import SynonymRuleCreate
from floorwalker.stores.models import Store
from tests.search.conftest import Searcher


class TestRelevance:
    async def test_title_and_category_matches_outrank_description_matches(
        self, find: Searcher
    ) -> None:
        # "hiking": title and category, title only, category only, description ("day hikes").
        assert await find.handles("hiking") == [
            "waterproof-hiking-boots",
            "merino-hiking-socks",
            "alpine-leather-boots",
            "black-daypack",
        ]

    async def test_a_word_in_the_title_outranks_the_same_word_in_the_description(
        self, find: Searcher
    ) -> None:
        assert await find.handles("waterproof") == ["waterproof-hiking-boots", "trail-runner-shoes"]

    async def test_every_word_must_match(self, find: Searcher) -> None:
        assert await find.handles("dress flowers") == ["floral-wrap-dress"]

    async def test_products_out_of_stock_come_after_those_that_can_be_bought(
        self, find: Searcher
    ) -> None:
        result = await find("dress")

        assert [h.handle for h in result.hits] == [
            "red-linen-dress",
            "blue-linen-dress",
            "floral-wrap-dress",
            "red-cotton-dress",
        ]
        assert [h.in_stock for h in result.hits] == [True, True, True, False]

    async def test_words_read_as_filters_still_rank_the_results(self, find: Searcher) -> None:
        # "leather" becomes a material filter; the boots named "Leather" still come first.
        result = await find("leather boots")

        assert [h.handle for h in result.hits] == [
            "alpine-leather-boots",
            "waterproof-hiking-boots",
        ]
        assert result.hits[0].score > result.hits[1].score

    async def test_scores_descend_down_the_page(self, find: Searcher) -> None:
        hits = (await find("hiking")).hits

        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


class TestTypos:
    async def test_one_typo_is_forgiven_in_words_of_four_letters_or_more(
        self, find: Searcher
    ) -> None:
        assert await find.handles("backpak") == [
            "kids-backpack",
            "travel-backpack",
            "black-daypack",
        ]
        assert await find.handles("drss") == await find.handles("dress")

    async def test_several_misspelt_words_are_each_corrected(self, find: Searcher) -> None:
        assert await find.handles("hikking bots") == [
            "waterproof-hiking-boots",
            "alpine-leather-boots",
            "merino-hiking-socks",
        ]

    async def test_two_typos_are_forgiven_from_eight_letters(self, find: Searcher) -> None:
        assert await find.handles("wterprooof") == ["waterproof-hiking-boots", "trail-runner-shoes"]

    async def test_two_typos_in_a_short_word_are_not_guessed(self, find: Searcher) -> None:
        result = await find("snekrs")

        assert (result.total, result.hits) == (0, [])

    async def test_words_under_four_letters_are_taken_as_typed(self, find: Searcher) -> None:
        assert (await find("bga")).total == 0

    async def test_a_correct_spelling_ranks_above_the_same_word_misspelt(
        self, find: Searcher
    ) -> None:
        exact = (await find("sneakers")).hits[0]
        guessed = (await find("sneakrs")).hits[0]

        assert exact.handle == guessed.handle == "canvas-sneakers"
        assert exact.score > guessed.score


class TestStemming:
    async def test_singular_and_plural_find_the_same_products(self, find: Searcher) -> None:
        assert await find.handles("boot") == await find.handles("boots")
        assert await find.handles("dresses") == await find.handles("dress")

    async def test_word_forms_meet_at_their_stem(self, find: Searcher) -> None:
        assert await find.handles("hikes") == await find.handles("hiking")


async def _add_rule(db: Database, store: Store, terms: list[str], *, one_way: bool = False) -> None:
    async with db.transaction() as session:
        await search_service.create_synonym(
            session, Actor.system(store.id), data=SynonymRuleCreate(terms=terms, one_way=one_way)
        )


class TestSynonyms:
    async def test_equivalent_terms_find_each_other(
        self, find: Searcher, db: Database, store: Store
    ) -> None:
        assert await find.handles("trainers") == []

        await _add_rule(db, store, ["sneakers", "trainers"])
        await find.registry.refresh_now(store.id)

        assert await find.handles("trainers") == ["canvas-sneakers", "trail-runner-shoes"]
        assert await find.handles("sneakers") == ["canvas-sneakers", "trail-runner-shoes"]

    async def test_a_one_way_rule_expands_only_its_first_term(
        self, find: Searcher, db: Database, store: Store
    ) -> None:
        await find("warm up the index")
        await _add_rule(db, store, ["shoes", "boots"], one_way=True)
        await find.registry.refresh_now(store.id)

        # Boots named "Boots" (a synonym, weighted 0.9) outrank shoes only described as such.
        assert await find.handles("shoes") == [
            "trail-runner-shoes",
            "alpine-leather-boots",
            "waterproof-hiking-boots",
            "canvas-sneakers",
            "merino-hiking-socks",
        ]
        assert "trail-runner-shoes" not in await find.handles("boots")

    async def test_a_phrase_can_be_a_synonym(
        self, find: Searcher, db: Database, store: Store
    ) -> None:
        await find("warm up the index")
        await _add_rule(db, store, ["rucksack", "travel backpack"])
        await find.registry.refresh_now(store.id)

        assert await find.handles("rucksack") == ["travel-backpack"]

    async def test_a_deleted_rule_stops_expanding(
        self, find: Searcher, db: Database, store: Store
    ) -> None:
        await _add_rule(db, store, ["sneakers", "trainers"])
        assert await find.handles("trainers") != []
        async with db.transaction() as session:
            actor = Actor.system(store.id)
            (rule,) = await search_service.list_synonyms(session, actor)
            await search_service.delete_synonym(session, actor, rule_id=rule.id)
        await find.registry.refresh_now(store.id)

        assert await find.handles("trainers") == []

    async def test_another_stores_rules_do_not_apply(
        self, find: Searcher, db: Database, other_store: Store
    ) -> None:
        await find("warm up the index")
        await _add_rule(db, other_store, ["sneakers", "trainers"])
        await find.registry.refresh_now(find.actor.store_id)

        assert await find.handles("trainers") == []
