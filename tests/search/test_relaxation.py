"""When nothing matches as asked, what was read from the words is loosened, with a note."""

from __future__ import annotations

from tests.search.conftest import Searcher


class TestRelaxation:
    async def test_the_price_cap_goes_first(self, find: Searcher) -> None:
        result = await find("red linen dress under 20")

        assert [h.handle for h in result.hits] == ["red-linen-dress"]
        assert [r.step for r in result.relaxed] == ["price"]
        assert result.note == "Nothing matched under $20.00; showing results at any price."

    async def test_then_the_size(self, find: Searcher) -> None:
        result = await find("red linen dress in size XL under 20")

        assert [h.handle for h in result.hits] == ["red-linen-dress"]
        assert [(r.step, r.detail) for r in result.relaxed] == [
            ("price", "Nothing matched under $20.00; showing results at any price."),
            ("size", "Nothing matched in size XL; showing other sizes."),
        ]

    async def test_then_the_colour(self, find: Searcher) -> None:
        result = await find("purple dress")

        assert [h.handle for h in result.hits] == [
            "red-linen-dress", "blue-linen-dress", "floral-wrap-dress", "red-cotton-dress",
        ]  # fmt: skip
        assert result.note == "Nothing matched in purple; showing other colours."

    async def test_then_the_material(self, find: Searcher) -> None:
        result = await find("cotton shirt")

        assert [h.handle for h in result.hits] == ["linen-shirt"]
        assert result.note == "Nothing matched in Cotton; showing other materials."

    async def test_then_the_category_and_then_any_of_the_words(self, find: Searcher) -> None:
        result = await find("unicorn dress")

        assert [h.handle for h in result.hits] == [
            "red-linen-dress", "blue-linen-dress", "floral-wrap-dress", "red-cotton-dress",
        ]  # fmt: skip
        assert [(r.step, r.detail) for r in result.relaxed] == [
            ("category", "Nothing matched in dress; searching every category."),
            ("terms", "Nothing matched every word; showing results that match some of them."),
        ]

    async def test_the_brand_goes_last(self, find: Searcher) -> None:
        result = await find("acme boots")

        assert [h.handle for h in result.hits] == [
            "alpine-leather-boots", "waterproof-hiking-boots", "merino-hiking-socks",
        ]  # fmt: skip
        assert result.note == "Nothing matched from Acme; showing other brands."

    async def test_a_query_that_matches_needs_no_note(self, find: Searcher) -> None:
        result = await find("red linen dress under 50")

        assert (result.relaxed, result.note) == ([], None)

    async def test_filters_chosen_explicitly_are_never_relaxed(self, find: Searcher) -> None:
        result = await find("boots", brands=["Acme"])

        assert (result.total, result.relaxed, result.note) == (0, [], None)

    async def test_relaxing_can_be_turned_off(self, find: Searcher) -> None:
        result = await find("purple dress", relax=False)

        assert (result.total, result.hits, result.relaxed, result.note) == (0, [], [], None)

    async def test_nothing_to_relax_is_an_empty_result(self, find: Searcher) -> None:
        result = await find("zzzz qqqq")

        assert (result.total, result.relaxed, result.note) == (0, [], None)

    async def test_facets_describe_the_relaxed_results(self, find: Searcher) -> None:
        result = await find("purple dress")

        colours = next(f for f in result.facets if f.name == "colour")
        assert {v.label: v.count for v in colours.values} == {"Red": 2, "Blue": 1, "Pink": 1}
