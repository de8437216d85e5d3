"""The engine without a database: text analysis, incremental changes, rebuilds."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from floorwalker.catalog.models import Product
from floorwalker.kit.db import Database
from floorwalker.search import service as search_service
from floorwalker.search.documents import ProductDoc, VariantDoc
from floorwalker.search.engine.executor import execute
from floorwalker.search.engine.query import EngineQuery, SynonymTable, build_clauses
from floorwalker.search.engine.store_index import StoreIndex, StoreMeta
from floorwalker.search.text import analyzer, words
from floorwalker.stores.models import Store
from tests.search.conftest import Searcher

CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def doc(pid: int, title: str, *, price: int = 1000, stock: int = 1) -> ProductDoc:
    variant = VariantDoc(
        id=pid * 10, sku=None, title="", options={}, price=price, compare_at_price=None,
        available=stock,
    )  # fmt: skip
    return ProductDoc(
        id=pid, handle=f"p{pid}", title=title, description="", currency="USD",
        created_at=CREATED, variants=(variant,),
    )  # fmt: skip


def ids(index: StoreIndex, text: str) -> list[int]:
    clauses = build_clauses(text, lexicon=index.lexicon, synonyms=SynonymTable(), df=index.df)
    return [hit.doc.id for hit in execute(index, EngineQuery(clauses=clauses, limit=50)).hits]


class TestTextAnalysis:
    def test_words_are_folded_and_possessives_dropped(self) -> None:
        assert words("Women's Café CRÈME") == ["women", "cafe", "creme"]

    def test_hyphenated_words_give_their_parts_and_the_joined_word(self) -> None:
        assert words("T-shirt") == ["t", "shirt", "tshirt"]
        assert words("T-shirt", join_compounds=True) == ["tshirt"]

    def test_decimal_sizes_stay_whole(self) -> None:
        assert words("size 10.5") == ["size", "10.5"]

    def test_stems_meet(self) -> None:
        a = analyzer()
        assert a.stems(["boots", "running", "dresses"]) == ["boot", "run", "dress"]


class TestIncrementalIndex:
    def test_a_changed_product_is_found_by_its_new_words_only(self) -> None:
        index = StoreIndex.build(StoreMeta(1, "USD"), [doc(1, "Red Dress"), doc(2, "Blue Shirt")])

        changed = index.apply([doc(1, "Green Dress")], [])

        assert (ids(changed, "red"), ids(changed, "green"), ids(changed, "dress")) == ([], [1], [1])
        assert (changed.size, changed.delta_size) == (2, 1)
        assert ids(index, "red") == [1]  # the old snapshot is untouched

    def test_a_removed_product_disappears(self) -> None:
        index = StoreIndex.build(StoreMeta(1, "USD"), [doc(1, "Red Dress"), doc(2, "Red Shirt")])

        changed = index.apply([], [1])

        assert ids(changed, "red") == [2]
        assert (changed.get(1), changed.size) == (None, 1)

    def test_new_words_are_known_to_typo_tolerance(self) -> None:
        index = StoreIndex.build(StoreMeta(1, "USD"), [doc(1, "Red Dress")])

        changed = index.apply([doc(2, "Waterproof Jacket")], [])

        assert ids(changed, "waterprof") == [2]

    def test_a_rebuild_ranks_like_the_index_it_replaces(self) -> None:
        docs = [doc(i, f"{c} {n}") for i, (c, n) in enumerate(
            [(c, n) for c in ("Red", "Blue", "Green") for n in ("Dress", "Shirt", "Coat")], start=1
        )]  # fmt: skip
        index = StoreIndex.build(StoreMeta(1, "USD"), docs)
        changed = index.apply([doc(3, "Red Linen Coat"), doc(10, "Red Scarf")], [5])

        rebuilt = StoreIndex.build(changed.meta, changed.documents())

        for text in ("red", "coat", "red coat", "linen", "shirt", "scarf"):
            assert ids(rebuilt, text) == ids(changed, text)

    def test_a_large_delta_asks_for_a_merge(self) -> None:
        index = StoreIndex.build(StoreMeta(1, "USD"), [doc(i, "Item") for i in range(1, 101)])

        assert index.apply([doc(i, "Item") for i in range(1, 2002)], []).needs_merge is True
        assert index.apply([doc(1, "Item")], []).needs_merge is False


class TestRebuild:
    async def test_a_rebuild_sees_changes_made_behind_the_catalogs_back(
        self, find: Searcher, db: Database, store: Store, shop: dict[str, int]
    ) -> None:
        assert await find.handles("socks") == ["merino-hiking-socks"]
        # An edit straight in the database, without marking the product changed.
        async with db.transaction() as session:
            await session.execute(
                update(Product)
                .where(Product.id == shop["merino-hiking-socks"])
                .values(title="Merino Trekking Stockings", updated_at=CREATED)
            )
        await find.registry.refresh_now(store.id)
        assert await find.handles("stockings") == []

        await find.registry.rebuild(store.id)

        assert await find.handles("stockings") == ["merino-hiking-socks"]

    async def test_a_reindex_request_rebuilds_the_workers_index(
        self, find: Searcher, db: Database, store: Store, shop: dict[str, int]
    ) -> None:
        await find("socks")
        before = find.registry.loaded(store.id)
        async with db.transaction() as session:
            await search_service.request_reindex(session, find.actor)

        await find.registry.refresh()
        for task in list(find.registry._background):
            await task

        after = find.registry.loaded(store.id)
        assert before is not None
        assert after is not None
        assert after is not before
        assert after.built_at > before.built_at


class TestProductCards:
    def test_a_card_shows_the_compare_at_price_of_a_variant_on_sale(self) -> None:
        from floorwalker.search.results import to_hit

        on_sale = VariantDoc(
            id=1, sku="S", title="", options={"size": "M"}, price=3000, compare_at_price=4000,
            available=2,
        )  # fmt: skip
        full_price = VariantDoc(
            id=2, sku="L", title="", options={"size": "L"}, price=4000, compare_at_price=4000,
            available=0,
        )  # fmt: skip
        product = ProductDoc(
            id=7, handle="jacket", title="Jacket", description="", currency="EUR",
            created_at=CREATED, variants=(on_sale, full_price),
        )  # fmt: skip
        meta = StoreMeta(1, "EUR", product_url_template="https://shop.example/p/{id}/{handle}")
        index = StoreIndex.build(meta, [product])
        (hit,) = execute(index, EngineQuery()).hits

        card = to_hit(hit, index)

        assert (card.price, card.price_max, card.compare_at_price) == (3000, 4000, 4000)
        assert (card.currency, card.url) == ("EUR", "https://shop.example/p/7/jacket")
        assert [(v.sku, v.in_stock, v.matches) for v in card.variants] == [
            ("S", True, True),
            ("L", False, True),
        ]
