"""Natural-language queries read into filters, in the fixture shop's own vocabulary.

Expected values leave out defaults; categories are named by path (their ids are checked to
be those of the paths).
"""

from __future__ import annotations

from typing import Any

import pytest

from floorwalker.search import service as search_service
from floorwalker.search.schemas import ParsedQuery
from floorwalker.stores.models import Store

DRESSES = {"phrase": "dress", "paths": ["Women > Dresses"]}
PLURAL_DRESSES = {"phrase": "dresses", "paths": ["Women > Dresses"]}
BACKPACKS = {"phrase": "backpack", "paths": ["Bags > Backpacks"]}
SOCKS = {"phrase": "socks", "paths": ["Accessories > Socks"]}
SNEAKERS = {"phrase": "sneakers", "paths": ["Footwear > Sneakers"]}

TABLE: list[tuple[str, dict[str, Any]]] = [
    (
        "red linen dress under 50 in size M",
        {"categories": [DRESSES], "product_types": ["Dress"], "price_max": 5000,
         "options": {"size": ["M"], "colour": ["Red"], "material": ["Linen"]}},
    ),
    (
        "waterproof hiking boots under 120 in size 10",
        {"terms": "waterproof", "price_max": 12000, "options": {"size": ["10"]},
         "categories": [{"phrase": "hiking boots", "paths": ["Footwear > Hiking Boots"]}]},
    ),
    (
        "cheapest black backpack",
        {"categories": [BACKPACKS], "product_types": ["Backpack"], "sort": "price_asc",
         "options": {"colour": ["Black"]}},
    ),
    ("dresses", {"categories": [PLURAL_DRESSES], "product_types": ["Dress"]}),
    (
        "show me blue dresses",
        {"categories": [PLURAL_DRESSES], "product_types": ["Dress"],
         "options": {"colour": ["Blue"]}},
    ),
    (
        "I'm looking for a pair of leather boots",
        {"terms": "boots", "product_types": ["Boots"], "options": {"material": ["Leather"]}},
    ),
    ("acme dress", {"categories": [DRESSES], "brands": ["Acme"], "product_types": ["Dress"]}),
    (
        "the north face backpack",
        {"categories": [BACKPACKS], "brands": ["The North Face"], "product_types": ["Backpack"]},
    ),
    (
        "north face daypack under $100",
        {"terms": "daypack", "brands": ["The North Face"], "price_max": 10000},
    ),
    (
        "backpacks between 40 and 100 dollars",
        {"categories": [{"phrase": "backpacks", "paths": ["Bags > Backpacks"]}],
         "product_types": ["Backpack"], "price_min": 4000, "price_max": 10000},
    ),
    (
        "boots from $100 to $130",
        {"terms": "boots", "product_types": ["Boots"], "price_min": 10000, "price_max": 13000},
    ),
    ("socks over 15", {"categories": [SOCKS], "product_types": ["Socks"], "price_min": 1500}),
    (
        "socks at least 15 usd",
        {"categories": [SOCKS], "product_types": ["Socks"], "price_min": 1500},
    ),
    (
        "dress around 50",
        {"categories": [DRESSES], "product_types": ["Dress"], "price_min": 4000, "price_max": 6000},
    ),
    (
        "dresses less than 45.50",
        {"categories": [PLURAL_DRESSES], "product_types": ["Dress"], "price_max": 4550},
    ),
    ("dress $40", {"categories": [DRESSES], "product_types": ["Dress"], "price_max": 4000}),
    (
        "linen shirt in L",
        {"categories": [{"phrase": "shirt", "paths": ["Men > Shirts"]}], "product_types": ["Shirt"],
         "options": {"size": ["L"], "material": ["Linen"]}},
    ),
    (
        "black sneakers size 10",
        {"categories": [SNEAKERS], "product_types": ["Sneakers"],
         "options": {"size": ["10"], "colour": ["Black"]}},
    ),
    (
        "sneakers in size 9.5",
        {"categories": [SNEAKERS], "product_types": ["Sneakers"], "options": {"size": ["9.5"]}},
    ),
    (
        "canvas sneakers sz 9",
        {"categories": [SNEAKERS], "product_types": ["Sneakers"],
         "options": {"size": ["9"], "material": ["Canvas"]}},
    ),
    (
        "red dress in medium",
        {"categories": [DRESSES], "product_types": ["Dress"],
         "options": {"size": ["M"], "colour": ["Red"]}},
    ),
    ("white tee xl", {"terms": "tee", "options": {"size": ["XL"], "colour": ["White"]}}),
    (
        "dresses in stock",
        {"categories": [PLURAL_DRESSES], "product_types": ["Dress"], "in_stock": True},
    ),
    ("available boots", {"terms": "boots", "product_types": ["Boots"], "in_stock": True}),
    (
        "newest dresses",
        {"categories": [PLURAL_DRESSES], "product_types": ["Dress"], "sort": "newest"},
    ),
    (
        "most expensive boots",
        {"terms": "boots", "product_types": ["Boots"], "sort": "price_desc"},
    ),
    ("boots high to low", {"terms": "boots", "product_types": ["Boots"], "sort": "price_desc"}),
    (
        "grey merino socks",
        {"categories": [SOCKS], "product_types": ["Socks"],
         "options": {"colour": ["Grey"], "material": ["Merino"]}},
    ),
    (
        "gray socks",
        {"categories": [SOCKS], "product_types": ["Socks"], "options": {"colour": ["Grey"]}},
    ),
    (
        "purple dress",
        {"categories": [DRESSES], "product_types": ["Dress"], "options": {"colour": ["purple"]}},
    ),
    (
        "leathr boots",
        {"terms": "boots", "product_types": ["Boots"], "options": {"material": ["Leather"]}},
    ),
    ("trailhed boots", {"terms": "boots", "brands": ["Trailhead"], "product_types": ["Boots"]}),
    (
        "womens dresses",
        {"categories": [{"phrase": "womens", "paths": ["Women"]}, PLURAL_DRESSES],
         "product_types": ["Dress"]},
    ),
    (
        "men's shirts",
        {"categories": [{"phrase": "men", "paths": ["Men"]},
                        {"phrase": "shirts", "paths": ["Men > Shirts"]}],
         "product_types": ["Shirt"]},
    ),
    (
        "hiking socks for winter",
        {"terms": "hiking winter", "categories": [SOCKS], "product_types": ["Socks"]},
    ),
    ("gifts", {"terms": "gifts"}),
]  # fmt: skip


def _readable(parsed: ParsedQuery) -> dict[str, Any]:
    out = parsed.model_dump(mode="json", exclude_defaults=True, exclude={"text", "currency"})
    if "categories" in out:
        out["categories"] = [
            {"phrase": c["phrase"], "paths": c["paths"]} for c in out["categories"]
        ]
    return out


class TestParseQuery:
    @pytest.mark.parametrize(("text", "expected"), TABLE, ids=[t for t, _ in TABLE])
    async def test_reads_the_query_into_filters(
        self,
        registry: search_service.SearchRegistry,
        store: Store,
        shop: dict[str, int],
        text: str,
        expected: dict[str, Any],
    ) -> None:
        index = await registry.index_for(store.id)

        parsed = search_service.parse_query(index, text)

        assert (parsed.text, parsed.currency) == (text, "USD")
        assert _readable(parsed) == expected
        for match in parsed.categories:
            assert [index.meta.categories[i].path for i in match.ids] == match.paths

    async def test_prices_are_read_in_the_stores_currency(
        self, registry: search_service.SearchRegistry, store: Store, shop: dict[str, int]
    ) -> None:
        index = await registry.index_for(store.id)

        parsed = search_service.parse_query(index, "socks under 20")

        assert (parsed.price_max, parsed.currency) == (2000, store.currency)
