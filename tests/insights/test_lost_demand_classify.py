"""Searches and assistant answers → lost-demand signals (pure), table-driven."""

from __future__ import annotations

from typing import Any

import pytest

from floorwalker.insights.lost_demand.classify import (
    Reason,
    budget_of,
    from_availability,
    from_search,
    redact,
    value_in,
)

OPTIONS = {"size": ["S", "M", "L"], "colour": ["Red", "Navy"]}


def search(query: str, **properties: Any) -> list[tuple[str, str | None, str | None, int | None]]:
    signals = from_search("e1", query, properties, sold_out={7, 8, 9}, option_values=OPTIONS)
    return [
        (s.reason.value, s.attribute_value, s.source_ref, s.budget or s.product_id) for s in signals
    ]


class TestFromSearch:
    @pytest.mark.parametrize(
        ("query", "properties", "expected"),
        [
            ("purple raincoat", {"results": 0}, [("not_carried", None, "e1:not_carried", None)]),
            (
                "rain jacket under 20",
                {"results": 4, "relaxed": ["price"]},
                [("over_budget", None, "e1:over_budget", 2000)],
            ),
            (
                "navy jacket in size xl under $80",
                {"results": 2, "relaxed": ["price", "size", "colour"]},
                [
                    ("over_budget", None, "e1:over_budget", 8000),
                    ("size_unavailable", "XL", "e1:size_unavailable", None),
                    ("colour_unavailable", "Navy", "e1:colour_unavailable", None),
                ],
            ),
            (
                "wool socks",
                {"results": 3, "relaxed": ["material"]},
                [("option_unavailable", None, "e1:option_unavailable", None)],
            ),
            (
                "trail shoe",
                {"results": 9, "relaxed": ["terms"]},
                [("poor_results", None, "e1:poor_results", None)],
            ),
            (
                "boots",
                {"results": 3, "top_product_ids": [7, 8, 9, 1]},
                [("out_of_stock", None, "e1:out_of_stock", 7)],
            ),
            ("boots", {"results": 3, "top_product_ids": [7, 1, 9]}, []),
            ("boots", {"results": 3}, []),
            ("", {"results": 0}, []),
            ("boots", {}, []),
        ],
    )
    def test_signals_of_a_search(
        self, query: str, properties: dict[str, Any], expected: list[tuple[Any, ...]]
    ) -> None:
        assert search(query, **properties) == expected


AVAILABILITY: dict[str, Any] = {
    "product_id": 5,
    "variants": [
        {"variant_id": 51, "options": {"size": "M", "colour": "Red"}, "available": 3},
        {"variant_id": 52, "options": {"size": "L", "colour": "Red"}, "available": 0},
    ],
}


class TestFromAvailability:
    def test_an_option_sold_out(self) -> None:
        signals = from_availability("m9", "Do you have it in L?", AVAILABILITY)

        assert [
            (s.reason, s.product_id, s.variant_id, s.attribute, s.attribute_value) for s in signals
        ] == [(Reason.SIZE_UNAVAILABLE, 5, 52, "size", "L")]

    def test_an_option_not_offered(self) -> None:
        signals = from_availability("m9", "any in XL or in green?", AVAILABILITY)

        assert [(s.reason, s.variant_id, s.attribute_value) for s in signals] == [
            (Reason.SIZE_UNAVAILABLE, None, "XL"),
            (Reason.COLOUR_UNAVAILABLE, None, "green"),
        ]

    def test_an_option_in_stock_is_no_signal(self) -> None:
        assert from_availability("m9", "is the M in stock?", AVAILABILITY) == []

    def test_nothing_left_at_all(self) -> None:
        sold_out = {
            "product_id": 5,
            "variants": [{"variant_id": 51, "options": {}, "available": 0}],
        }

        signals = from_availability("m9", "is it available", sold_out)

        assert [(s.reason, s.product_id, s.source_ref) for s in signals] == [
            (Reason.OUT_OF_STOCK, 5, "m9:out_of_stock")
        ]

    def test_without_the_shoppers_words_nothing_is_recorded(self) -> None:
        assert from_availability("m9", "", AVAILABILITY) == []


class TestPhrases:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("boots for jane.doe@example.com", "boots for [email]"),
            ("call me on +44 20 7946 0958 about boots", "call me on [number] about boots"),
            ("card 4242 4242 4242 4242 jacket", "card [number] jacket"),
            ("  size   10   boots ", "size 10 boots"),
            ("order #1001 jacket", "order #1001 jacket"),
        ],
    )
    def test_redact(self, text: str, expected: str) -> None:
        assert redact(text) == expected

    def test_phrases_are_trimmed(self) -> None:
        assert len(redact("x" * 500)) == 200

    @pytest.mark.parametrize(
        ("text", "minor"),
        [("under 50", 5000), ("below £12.50", 1250), ("budget of 80", 8000), ("boots", None)],
    )
    def test_budget(self, text: str, minor: int | None) -> None:
        assert budget_of(text) == minor

    def test_budget_in_a_currency_without_cents(self) -> None:
        assert budget_of("under 5000", minor_per_unit=1) == 5000

    @pytest.mark.parametrize(
        ("text", "option", "value"),
        [
            ("navy raincoat", "colour", "Navy"),
            ("purple raincoat", "colour", "purple"),
            ("jacket size xl", "size", "XL"),
            ("boots in 10.5", "size", "10.5"),
            ("small jacket", "size", None),
        ],
    )
    def test_value_asked_for(self, text: str, option: str, value: str | None) -> None:
        assert value_in(text, option, OPTIONS.get(option, [])) == value
