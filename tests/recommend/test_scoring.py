"""The blend's features, exclusions and reasons on the five-product shop, with exact lists."""

from __future__ import annotations

import pytest

from floorwalker.recommend.engine.explain import explain
from floorwalker.recommend.engine.preferences import Preferences
from floorwalker.recommend.engine.scoring import History, score_anchored, score_personal
from tests.recommend.engine_shop import NOW, P, history, keys, model


def reasons(scored, items):  # type: ignore[no-untyped-def]
    return [explain(scored, i).text for i in items]


class TestPopularityList:
    def test_without_a_history_the_list_is_decayed_popularity(self) -> None:
        # given a shopper we know nothing about
        m = model({"popularity": 1.0})

        # when
        scored = score_personal(m, history=History.empty(), now=NOW)
        top = scored.top(5)

        # then A (4 recent buyers), D (4 orders, older), C, B, E
        assert keys(m, top) == ["A", "D", "C", "B", "E"]
        assert reasons(scored, top[:2]) == ["Popular in Shirts", "Popular in Pantry"]


class TestRepeatPurchases:
    def test_an_item_bought_often_comes_back_with_how_many_times(self) -> None:
        # given a shopper who bought coffee beans 35 and 8 days ago
        m = model({"repeat": 1.0})
        mine = history(m, [("D", 35, P, 1), ("D", 8, P, 2)])

        # when
        scored = score_personal(m, history=mine, now=NOW)

        # then beans are re-bought by most buyers (propensity 0.42 ≥ 0.3): still recommended
        assert keys(m, scored.top(1)) == ["D"]
        assert reasons(scored, scored.top(1)) == ["You have bought this 2 times"]

    def test_a_just_bought_item_rarely_bought_again_is_left_out(self) -> None:
        # given the shopper bought the linen shirt yesterday; nobody buys it twice (0.10 < 0.3)
        m = model({"repeat": 1.0, "bought_with": 1.0})
        mine = history(m, [("A", 1, P, 1)])

        # when
        scored = score_personal(m, history=mine, now=NOW)

        # then it is excluded; what goes with it comes first
        assert "A" not in keys(m, scored.top(5))
        assert keys(m, scored.top(4)) == ["B", "C", "D", "E"]

    def test_the_same_item_bought_long_ago_may_come_back(self) -> None:
        m = model({"repeat": 1.0})
        mine = history(m, [("A", 90, P, 1)])

        scored = score_personal(m, history=mine, now=NOW)

        assert keys(m, scored.top(1)) == ["A"]
        assert reasons(scored, scored.top(1)) == ["You have bought this before"]


class TestCoOccurrenceReasons:
    def test_because_you_bought_names_the_item_behind_the_suggestion(self) -> None:
        # given the shopper bought the linen shirt
        m = model({"bought_with": 1.0})
        mine = history(m, [("A", 1, P, 1)])

        # when
        scored = score_personal(m, history=mine, now=NOW)
        top = scored.top(2)

        # then chinos (in 2 of the shirt's 4 baskets), then sneakers (in 1); each item is in
        # 2 baskets, so with shrinkage 10: 2 / (√(4·2) + 10) and 1 / (√(4·2) + 10)
        assert keys(m, top) == ["B", "C"]
        assert scored.scores[top].tolist() == pytest.approx(
            [2 / (8**0.5 + 10), 1 / (8**0.5 + 10)], rel=1e-5
        )
        assert reasons(scored, top) == ["Often bought with Linen Shirt"] * 2

    def test_customers_also_bought_reads_as_because_you_bought(self) -> None:
        m = model({"also_bought": 1.0})
        mine = history(m, [("C", 5, P, 1)])

        scored = score_personal(m, history=mine, now=NOW)

        assert keys(m, scored.top(1)) == ["A"]
        assert reasons(scored, scored.top(1)) == ["Because you bought Canvas Sneakers"]

    def test_a_viewed_item_reads_as_because_you_viewed(self) -> None:
        m = model({"also_bought": 1.0})
        mine = history(m, [("C", 0, 2, -1)])  # a view

        scored = score_personal(m, history=mine, now=NOW)

        assert reasons(scored, scored.top(1)) == ["Because you viewed Canvas Sneakers"]

    def test_the_session_steers_an_anonymous_list(self) -> None:
        m = model({"session": 1.0, "popularity": 0.01})

        scored = score_personal(m, history=History.empty(), session=[m.index["B"]], now=NOW)

        assert keys(m, scored.top(1)) == ["A"]
        assert reasons(scored, scored.top(1)) == ["Because you viewed Chino Trousers"]


class TestDiscovery:
    def test_excluding_what_was_bought_leaves_only_new_items(self) -> None:
        m = model({"repeat": 1.0, "popularity": 0.1})
        mine = history(m, [("D", 60, P, 1)])

        scored = score_personal(m, history=mine, now=NOW)
        assert keys(m, scored.top(1)) == ["D"]
        scored.exclude(mine.distinct_purchases().items)

        assert keys(m, scored.top(5)) == ["A", "C", "B", "E"]


class TestPreferences:
    def test_cold_start_puts_the_stated_brand_first_and_says_why(self) -> None:
        # given a new shopper who said in chat they like Tailor
        m = model({"popularity": 0.5, "preference": 1.5})
        prefs = Preferences.parse({"brands_liked": ["Tailor"]})

        # when
        scored = score_personal(m, history=History.empty(), preferences=prefs, now=NOW)

        # then
        assert keys(m, scored.top(2)) == ["B", "A"]
        assert reasons(scored, scored.top(1)) == ["Matches your stated preference for Tailor"]

    def test_budget_dislikes_and_sizes_rule_items_out(self) -> None:
        m = model({"popularity": 1.0})
        cases = {
            "budget": ({"budget": {"max": 5000, "currency": "USD"}}, ["A", "D", "E"]),
            "brand": ({"brands_disliked": ["Breeze"]}, ["D", "C", "B"]),
            "word": ({"dislikes": ["coffee"]}, ["A", "C", "B", "E"]),
            "shoe size": ({"sizes": {"shoes": "43"}}, ["A", "D", "B", "E"]),
            "shirt size": ({"sizes": {"shirts": "L"}}, ["D", "C", "B", "E"]),
        }

        found = {
            name: keys(
                m,
                score_personal(
                    m, history=History.empty(), preferences=Preferences.parse(data), now=NOW
                ).top(5),
            )
            for name, (data, _) in cases.items()
        }

        assert found == {name: expected for name, (_, expected) in cases.items()}


class TestProductPages:
    def test_bought_together_follows_baskets_and_says_so(self) -> None:
        m = model()

        scored = score_anchored(m, [m.index["A"]], surface="bought_together")
        top = scored.top(2)

        assert keys(m, top) == ["B", "C"]
        assert reasons(scored, top) == ["Often bought with Linen Shirt"] * 2

    def test_similar_prefers_the_same_kind_of_product(self) -> None:
        m = model()

        scored = score_anchored(m, [m.index["A"]], surface="similar")

        assert keys(m, scored.top(1)) == ["E"]
        assert reasons(scored, scored.top(1)) == ["Similar to Linen Shirt"]
        assert "A" not in keys(m, scored.top(5))

    def test_a_cart_gets_what_completes_it(self) -> None:
        m = model()

        scored = score_anchored(m, [m.index["B"], m.index["C"]], surface="cart")

        assert keys(m, scored.top(1)) == ["A"]
        assert not {"B", "C"} & set(keys(m, scored.top(5)))


class TestComplementsNotSubstitutes:
    def test_another_product_of_the_same_category_completes_nothing_unless_bought_with_it(
        self,
    ) -> None:
        m = model({"also_bought": 1.0, "popularity": 0.1})

        together = keys(m, score_anchored(m, [m.index["A"]], surface="bought_together").top(5))
        similar = keys(m, score_anchored(m, [m.index["A"]], surface="similar").top(5))

        # E (Oxford Shirt) shares the linen shirt's category and was never in its orders
        assert "E" not in together
        assert "E" in similar
