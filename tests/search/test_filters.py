"""Filters, facets, sorting and pagination on the fixture shop."""

from __future__ import annotations

from floorwalker.search.schemas import Facet, SearchResponse
from tests.search.conftest import Searcher

EVERYTHING_BY_PRICE = [
    "merino-hiking-socks",  # 18.00
    "striped-tee",  # 20.00
    "kids-backpack",  # 30.00 (its blue variant)
    "red-cotton-dress",  # 39.00
    "linen-shirt",  # 40.00
    "red-linen-dress",  # 45.00
    "blue-linen-dress",  # 55.00
    "canvas-sneakers",  # 60.00
    "floral-wrap-dress",  # 65.00
    "black-daypack",  # 80.00
    "trail-runner-shoes",  # 90.00
    "waterproof-hiking-boots",  # 110.00
    "travel-backpack",  # 120.00
    "alpine-leather-boots",  # 150.00
]


def facet(result: SearchResponse, name: str) -> dict[str, int]:
    """A facet's counts by label."""
    found: Facet = next(f for f in result.facets if f.name == name)
    return {v.label: v.count for v in found.values}


class TestFilters:
    async def test_a_category_includes_its_subcategories(
        self, find: Searcher, shop: dict[str, int]
    ) -> None:
        women = next(
            int(v.value)
            for f in (await find("")).facets
            if f.name == "category"
            for v in f.values
            if v.label == "Women"
        )

        by_id = await find.handles(categories=[str(women)], sort="price_asc")
        by_slug = await find.handles(categories=["women"], sort="price_asc")

        assert (
            by_id
            == by_slug
            == [
                "striped-tee",
                "red-cotton-dress",
                "red-linen-dress",
                "blue-linen-dress",
                "floral-wrap-dress",
            ]
        )

    async def test_an_unknown_category_matches_nothing(self, find: Searcher) -> None:
        assert (await find("", categories=["no-such-category"])).total == 0

    async def test_brands_match_whatever_their_case(self, find: Searcher) -> None:
        assert await find.handles(brands=["acme"], sort="price_asc") == [
            "striped-tee",
            "kids-backpack",
            "red-linen-dress",
            "floral-wrap-dress",
        ]

    async def test_a_price_range_includes_both_ends(self, find: Searcher) -> None:
        assert await find.handles(price_min=4500, price_max=5500, sort="price_asc") == [
            "red-linen-dress",
            "blue-linen-dress",
        ]

    async def test_option_values_of_one_facet_are_alternatives(self, find: Searcher) -> None:
        assert await find.handles(options={"size": ["9", "11"]}, sort="price_asc") == [
            "canvas-sneakers",
            "waterproof-hiking-boots",
        ]

    async def test_a_colour_matches_the_colour_names_that_contain_it(self, find: Searcher) -> None:
        assert await find.handles(options={"color": ["BLACK"]}, sort="price_asc") == [
            "kids-backpack",
            "canvas-sneakers",
            "black-daypack",
            "travel-backpack",
            "alpine-leather-boots",
        ]

    async def test_in_stock_leaves_out_what_cannot_be_bought(self, find: Searcher) -> None:
        everything = await find.handles(sort="price_asc")
        available = await find.handles(in_stock=True, sort="price_asc")

        assert set(everything) - set(available) == {"red-cotton-dress"}

    async def test_option_price_and_stock_filters_hold_for_one_and_the_same_variant(
        self, find: Searcher
    ) -> None:
        # The red linen dress comes in red M (in stock) and red L (sold out).
        red_m = await find("", options={"colour": ["Red"], "size": ["M"]}, in_stock=True)
        red_l = await find("", options={"colour": ["Red"], "size": ["L"]}, in_stock=True)

        assert [h.handle for h in red_m.hits] == ["red-linen-dress"]
        assert red_l.total == 0

    async def test_the_price_shown_is_the_cheapest_variant_that_matches(
        self, find: Searcher
    ) -> None:
        # The kids' backpack is 30.00 in blue and 35.00 in black.
        any_colour = await find("kids backpack")
        black = await find("kids backpack", options={"colour": ["Black"]})

        assert (any_colour.hits[0].price, black.hits[0].price) == (3000, 3500)
        assert [(v.sku, v.matches) for v in black.hits[0].variants] == [
            ("KBP-BLK", True),
            ("KBP-BLU", False),
        ]


class TestFacets:
    async def test_facets_count_every_product_of_the_shop(self, find: Searcher) -> None:
        result = await find("")

        assert [f.name for f in result.facets] == [
            "category", "brand", "price", "size", "colour", "material", "in_stock",
        ]  # fmt: skip
        assert facet(result, "brand") == {
            "Acme": 4, "Bolt": 3, "Northwind": 3, "Trailhead": 3, "The North Face": 1,
        }  # fmt: skip
        assert facet(result, "size") == {"S": 2, "M": 7, "L": 3, "9": 2, "10": 4, "11": 1}
        assert facet(result, "price") == {
            "$0.00 – $49.99": 6,
            "$50.00 – $99.99": 5,
            "$100.00 – $149.99": 2,
            "$150.00 – $199.99": 1,
        }
        assert facet(result, "in_stock") == {"In stock": 13, "Out of stock": 1}
        assert facet(result, "category")["Women"] == 5
        assert facet(result, "category")["Women > Dresses"] == 4

    async def test_a_facet_ignores_its_own_filter_and_applies_the_others(
        self, find: Searcher
    ) -> None:
        result = await find("", brands=["Bolt"], options={"colour": ["Red"]})

        assert [h.handle for h in result.hits] == ["red-cotton-dress"]
        # Brands of red products; colours of Bolt products.
        assert facet(result, "brand") == {"Acme": 1, "Bolt": 1}
        assert facet(result, "colour") == {"Black": 1, "Blue": 1, "Red": 1, "White": 1}
        assert facet(result, "size") == {"S": 1, "M": 1}
        selected = {v.label for f in result.facets for v in f.values if v.selected}
        assert selected == {"Bolt", "Red"}

    async def test_the_stock_facet_counts_variants_that_match_the_other_filters(
        self, find: Searcher
    ) -> None:
        result = await find("", options={"colour": ["Red"], "size": ["L"]})

        assert [h.handle for h in result.hits] == ["red-linen-dress"]
        assert facet(result, "in_stock") == {"In stock": 0, "Out of stock": 1}

    async def test_the_category_facet_drills_down_into_the_chosen_category(
        self, find: Searcher
    ) -> None:
        result = await find("", categories=["women"])

        assert facet(result, "category") == {"Women": 5, "Women > Dresses": 4, "Women > Tops": 1}

    async def test_facets_follow_the_text_query(self, find: Searcher) -> None:
        result = await find("dress")

        assert facet(result, "brand") == {"Acme": 2, "Bolt": 2}
        assert facet(result, "material") == {"Linen": 2, "Cotton": 1, "Viscose": 1}

    async def test_facets_can_be_left_out(self, find: Searcher) -> None:
        assert (await find("dress", facets=False)).facets == []


class TestSorting:
    async def test_by_price_ascending_and_descending(self, find: Searcher) -> None:
        assert await find.handles(sort="price_asc") == EVERYTHING_BY_PRICE
        assert await find.handles(sort="price_desc") == EVERYTHING_BY_PRICE[::-1]

    async def test_newest_first(self, find: Searcher, shop: dict[str, int]) -> None:
        # Created together, in id order: the last created comes first.
        newest = sorted(shop, key=lambda handle: -shop[handle])

        assert await find.handles(sort="newest") == newest

    async def test_cheapest_in_words_sorts_by_price(self, find: Searcher) -> None:
        result = await find("cheapest black backpack")

        assert result.sort == "price_asc"
        assert [(h.handle, h.price) for h in result.hits] == [
            ("kids-backpack", 3500),
            ("black-daypack", 8000),
            ("travel-backpack", 12000),
        ]


class TestPagination:
    async def test_pages_cover_the_results_once_each(self, find: Searcher) -> None:
        pages = [await find("", sort="price_asc", limit=5, page=n) for n in (1, 2, 3, 4)]

        assert [len(p.hits) for p in pages] == [5, 5, 4, 0]
        assert {(p.total, p.pages) for p in pages} == {(14, 3)}
        assert [h.handle for p in pages for h in p.hits] == EVERYTHING_BY_PRICE
