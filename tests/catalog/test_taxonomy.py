"""Categories (a tree whose paths stay in step) and brands."""

from __future__ import annotations

import datetime as dt
from typing import Any

from floorwalker.catalog import service as catalog_service
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.kit.upsert import UpsertStatus, UpsertSummary
from floorwalker.stores.models import Store


async def categories(db: Database, store: Store, records: list[Any]) -> UpsertSummary:
    async with db.transaction() as session:
        return await catalog_service.upsert_categories(session, Actor.system(store.id), records)


async def paths(db: Database, store: Store) -> list[tuple[str, str]]:
    async with db.reading() as session:
        found = await catalog_service.list_categories(session, store.id, limit=500)
    return sorted((c.slug, c.path) for c in found)


async def product_in(db: Database, store: Store, path: str, handle: str) -> int:
    async with db.transaction() as session:
        summary = await catalog_service.upsert_products(
            session,
            Actor.system(store.id),
            [
                {
                    "handle": handle,
                    "title": handle,
                    "category_path": path,
                    "variants": [{"price": 1}],
                }
            ],
        )
    assert summary.results[0].id is not None
    return summary.results[0].id


class TestCategoryTree:
    async def test_parents_named_earlier_in_the_batch_build_the_paths(
        self, db: Database, store: Store
    ) -> None:
        summary = await categories(
            db,
            store,
            [
                {"source": "woo", "external_id": "1", "name": "Women"},
                {"source": "woo", "external_id": "2", "name": "Dresses", "parent_external_id": "1"},
                {"source": "woo", "external_id": "3", "name": "Maxi", "parent_external_id": "2"},
            ],
        )

        assert [r.status for r in summary.results] == [UpsertStatus.CREATED] * 3
        assert await paths(db, store) == [
            ("women", "Women"),
            ("women-dresses", "Women > Dresses"),
            ("women-dresses-maxi", "Women > Dresses > Maxi"),
        ]

    async def test_renaming_a_parent_rewrites_descendant_paths_and_marks_products_changed(
        self, db: Database, store: Store
    ) -> None:
        product_id = await product_in(db, store, "Women > Dresses > Maxi", "maxi-dress")
        async with db.reading() as session:
            before = (
                await catalog_service.get_product_or_raise(session, store.id, product_id)
            ).updated_at

        summary = await categories(db, store, [{"slug": "women", "name": "Ladies"}])

        assert summary.results[0].status is UpsertStatus.UPDATED
        assert await paths(db, store) == [
            ("women", "Ladies"),
            ("women-dresses", "Ladies > Dresses"),
            ("women-dresses-maxi", "Ladies > Dresses > Maxi"),
        ]
        async with db.reading() as session:
            product = await catalog_service.get_product_or_raise(session, store.id, product_id)
            changes = await catalog_service.changed_since(session, store.id, since=before)
        assert product.category is not None
        assert product.category.path == "Ladies > Dresses > Maxi"
        assert product.updated_at > before
        assert [c.id for c in changes] == [product_id]

    async def test_moving_a_category_under_its_own_descendant_is_refused(
        self, db: Database, store: Store
    ) -> None:
        await product_in(db, store, "Women > Dresses", "dress")
        before = await paths(db, store)

        summary = await categories(db, store, [{"slug": "women", "parent_slug": "women-dresses"}])

        assert summary.results[0].error == "category_cycle"
        assert await paths(db, store) == before

    async def test_deleting_a_category_moves_its_children_up(
        self, db: Database, store: Store
    ) -> None:
        product_id = await product_in(db, store, "Women > Dresses > Maxi", "maxi")
        await product_in(db, store, "Women > Dresses", "dress")
        async with db.reading() as session:
            tree = await catalog_service.list_categories(session, store.id)
        dresses = next(c for c in tree if c.slug == "women-dresses")

        async with db.transaction() as session:
            await catalog_service.delete_category(session, Actor.system(store.id), dresses.id)

        assert await paths(db, store) == [
            ("women", "Women"),
            ("women-dresses-maxi", "Women > Maxi"),
        ]
        async with db.reading() as session:
            maxi = await catalog_service.get_product_or_raise(session, store.id, product_id)
            dress = await catalog_service.list_products(session, store.id, handle="dress")
        assert maxi.category is not None
        assert maxi.category.path == "Women > Maxi"
        assert dress[0].category_id is None

    async def test_an_external_category_adopts_the_one_a_product_path_created(
        self, db: Database, store: Store
    ) -> None:
        await product_in(db, store, "Men", "shirt")

        summary = await categories(
            db, store, [{"source": "woo", "external_id": "9", "name": "Men"}]
        )

        assert summary.results[0].status is UpsertStatus.UPDATED
        async with db.reading() as session:
            (men,) = await catalog_service.list_categories(session, store.id)
        assert (men.source, men.external_id, men.path) == ("woo", "9", "Men")

    async def test_siblings_cannot_share_a_name(self, db: Database, store: Store) -> None:
        await categories(db, store, [{"source": "woo", "external_id": "1", "name": "Sale"}])

        summary = await categories(
            db, store, [{"source": "woo", "external_id": "2", "name": "sale"}]
        )

        assert summary.results[0].error == "category_name_taken"
        assert await paths(db, store) == [("sale", "Sale")]

    async def test_filtering_products_by_a_category_includes_its_subcategories(
        self, db: Database, store: Store
    ) -> None:
        maxi = await product_in(db, store, "Women > Dresses > Maxi", "maxi")
        midi = await product_in(db, store, "Women > Dresses", "midi")
        await product_in(db, store, "Men", "shirt")
        async with db.reading() as session:
            tree = await catalog_service.list_categories(session, store.id)
            women = next(c for c in tree if c.slug == "women")
            found = await catalog_service.list_products(session, store.id, category_id=women.id)

        assert [p.id for p in found] == [maxi, midi]


class TestBrands:
    async def test_product_records_create_brands_by_name_once(
        self, db: Database, store: Store
    ) -> None:
        records = [
            {"handle": f"p{n}", "title": f"P{n}", "brand": "Acme Co", "variants": [{"price": 1}]}
            for n in range(3)
        ]
        async with db.transaction() as session:
            await catalog_service.upsert_products(session, Actor.system(store.id), records)

        async with db.reading() as session:
            brands = await catalog_service.list_brands(session, store.id)
            products = await catalog_service.list_products(session, store.id)
        assert [(b.name, b.slug) for b in brands] == [("Acme Co", "acme-co")]
        assert {p.brand_id for p in products} == {brands[0].id}

    async def test_renaming_a_brand_marks_its_products_changed(
        self, db: Database, store: Store
    ) -> None:
        product_id = await product_in(db, store, "Men", "shirt")
        async with db.transaction() as session:
            await catalog_service.upsert_products(
                session, Actor.system(store.id), [{"handle": "shirt", "brand": "Acme"}]
            )
        since = dt.datetime.now(dt.UTC)

        async with db.transaction() as session:
            summary = await catalog_service.upsert_brands(
                session, Actor.system(store.id), [{"slug": "acme", "name": "ACME"}]
            )

        assert summary.results[0].status is UpsertStatus.UPDATED
        async with db.reading() as session:
            product = await catalog_service.get_product_or_raise(session, store.id, product_id)
            changes = await catalog_service.changed_since(session, store.id, since=since)
        assert product.brand is not None
        assert product.brand.name == "ACME"
        assert [c.id for c in changes] == [product_id]
