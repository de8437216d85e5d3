"""Batch upsert of products: matching, idempotency, variants, images and refusals."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select

from floorwalker.audit.models import AuditEntry
from floorwalker.catalog import service as catalog_service
from floorwalker.catalog.models import Product, ProductImage, Variant
from floorwalker.inventory import service as inventory_service
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.kit.upsert import UpsertStatus, UpsertSummary
from floorwalker.stores.models import Store


def shirt(**overrides: Any) -> dict[str, Any]:
    """A product record as a connector would send it."""
    record: dict[str, Any] = {
        "source": "shopify",
        "external_id": "P1",
        "handle": "linen-shirt",
        "title": "Linen Shirt",
        "description": "Breathable linen.",
        "brand": "Acme",
        "category_path": "Men > Shirts",
        "attributes": {"material": "linen"},
        "tags": ["summer", "linen"],
        "images": [{"url": "https://img.example/1.jpg", "alt": "Front"}],
        "variants": [
            {"external_id": "V1", "sku": "LS-M", "options": {"Size": "M"}, "price": 4500},
            {"external_id": "V2", "sku": "LS-L", "options": {"Size": "L"}, "price": 4700},
        ],
    }
    record.update(overrides)
    return record


async def upsert(db: Database, store: Store, records: list[Any]) -> UpsertSummary:
    async with db.transaction() as session:
        return await catalog_service.upsert_products(session, Actor.system(store.id), records)


async def snapshot(db: Database, store: Store) -> dict[str, Any]:
    """Every catalog row of the store, to prove a refused change wrote nothing."""
    async with db.reading() as session:
        products = (
            await session.execute(
                select(Product.id, Product.handle, Product.title, Product.updated_at).where(
                    Product.store_id == store.id
                )
            )
        ).all()
        variants = (
            await session.execute(
                select(Variant.id, Variant.sku, Variant.price, Variant.status).where(
                    Variant.store_id == store.id
                )
            )
        ).all()
        audits = await session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.store_id == store.id)
        )
    return {"products": sorted(products), "variants": sorted(variants), "audits": audits}


class TestCreate:
    async def test_creates_product_with_variants_brand_category_and_image(
        self, db: Database, store: Store
    ) -> None:
        summary = await upsert(db, store, [shirt()])

        assert (summary.created, summary.updated, summary.unchanged, summary.failed) == (1, 0, 0, 0)
        async with db.reading() as session:
            (read,) = await inventory_service.read_products(
                session, store.id, [summary.results[0].id or 0]
            )
        assert read.handle == "linen-shirt"
        assert read.title == "Linen Shirt"
        assert read.source == "shopify"
        assert read.external_id == "P1"
        assert read.status == "active"
        assert read.brand is not None
        assert (read.brand.name, read.brand.slug) == ("Acme", "acme")
        assert read.category is not None
        assert read.category.path == "Men > Shirts"
        assert read.option_names == ["Size"]
        assert read.attributes == {"material": "linen"}
        assert read.tags == ["summer", "linen"]
        assert [(i.url, i.alt, i.position) for i in read.images] == [
            ("https://img.example/1.jpg", "Front", 0)
        ]
        assert [
            (v.sku, v.external_id, v.options, v.price, v.currency, v.title, v.position, v.status)
            for v in read.variants
        ] == [
            ("LS-M", "V1", {"Size": "M"}, 4500, "USD", "M", 0, "active"),
            ("LS-L", "V2", {"Size": "L"}, 4700, "USD", "L", 1, "active"),
        ]

    async def test_a_record_without_keys_is_keyed_by_the_handle_made_from_its_title(
        self, db: Database, store: Store
    ) -> None:
        record = {"title": "Wool Scarf", "variants": [{"price": 2000}]}

        first = await upsert(db, store, [record])
        second = await upsert(db, store, [record])

        assert first.results[0].status is UpsertStatus.CREATED
        assert second.results[0].status is UpsertStatus.UNCHANGED
        assert second.results[0].id == first.results[0].id
        async with db.reading() as session:
            products = await catalog_service.list_products(session, store.id)
        assert [(p.handle, [v.title for v in p.variants]) for p in products] == [
            ("wool-scarf", ["Default"])
        ]

    async def test_keyed_products_with_the_same_title_get_distinct_handles(
        self, db: Database, store: Store
    ) -> None:
        records = [
            {"external_id": f"X{n}", "title": "Tee", "variants": [{"price": 1000}]}
            for n in range(3)
        ]

        summary = await upsert(db, store, records)

        assert summary.created == 3
        async with db.reading() as session:
            products = await catalog_service.list_products(session, store.id)
        assert [p.handle for p in products] == ["tee", "tee-2", "tee-3"]


class TestIdempotency:
    async def test_the_same_payload_twice_changes_nothing(self, db: Database, store: Store) -> None:
        await upsert(db, store, [shirt()])
        before = await snapshot(db, store)

        summary = await upsert(db, store, [shirt()])

        assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 1)
        assert await snapshot(db, store) == before

    async def test_a_changed_price_updates_only_that_variant_and_is_audited(
        self, db: Database, store: Store
    ) -> None:
        first = await upsert(db, store, [shirt()])
        changed = shirt()
        changed["variants"][1]["price"] = 4900

        summary = await upsert(db, store, [changed])

        assert summary.results[0].status is UpsertStatus.UPDATED
        product_id = first.results[0].id
        async with db.reading() as session:
            variants = await catalog_service.variants_of_product(session, store.id, product_id or 0)
            entry = await session.scalar(
                select(AuditEntry)
                .where(AuditEntry.store_id == store.id, AuditEntry.action == "product.upsert")
                .order_by(AuditEntry.id.desc())
            )
        assert [(v.sku, v.price) for v in variants] == [("LS-M", 4500), ("LS-L", 4900)]
        assert entry is not None
        assert entry.subject_id == str(product_id)
        assert entry.actor == "system:system"
        assert entry.data == {
            "created": [],
            "updated": [product_id],
            "changes": {str(product_id): ["variants"]},
        }

    async def test_fields_left_out_keep_their_values(self, db: Database, store: Store) -> None:
        first = await upsert(db, store, [shirt()])

        summary = await upsert(
            db, store, [{"source": "shopify", "external_id": "P1", "title": "Linen Shirt II"}]
        )

        assert summary.results[0].status is UpsertStatus.UPDATED
        async with db.reading() as session:
            (read,) = await inventory_service.read_products(
                session, store.id, [first.results[0].id or 0]
            )
        assert (read.title, read.description, read.tags) == (
            "Linen Shirt II",
            "Breathable linen.",
            ["summer", "linen"],
        )
        assert [v.sku for v in read.variants] == ["LS-M", "LS-L"]


class TestVariants:
    async def test_a_variant_left_out_is_archived_and_revived_when_listed_again(
        self, db: Database, store: Store
    ) -> None:
        await upsert(db, store, [shirt()])
        only_m = shirt(variants=[shirt()["variants"][0]])

        await upsert(db, store, [only_m])
        async with db.reading() as session:
            after_drop = await catalog_service.list_variants(session, store.id)
        await upsert(db, store, [shirt()])
        async with db.reading() as session:
            after_revival = await catalog_service.list_variants(session, store.id)

        assert [(v.sku, v.status) for v in after_drop] == [("LS-M", "active"), ("LS-L", "archived")]
        assert [(v.sku, v.status) for v in after_revival] == [
            ("LS-M", "active"),
            ("LS-L", "active"),
        ]
        assert [v.id for v in after_revival] == [v.id for v in after_drop]

    async def test_variants_match_by_sku_then_options_without_external_ids(
        self, db: Database, store: Store
    ) -> None:
        base = {
            "handle": "cap",
            "title": "Cap",
            "variants": [
                {"sku": "CAP-1", "options": {"Colour": "Red"}, "price": 900},
                {"options": {"Colour": "Blue"}, "price": 900},
            ],
        }
        await upsert(db, store, [base])
        async with db.reading() as session:
            before = {
                v.sku or v.title: v.id
                for v in await catalog_service.list_variants(session, store.id)
            }
        renamed = {
            **base,
            "variants": [
                {"sku": "CAP-1", "options": {"Colour": "Crimson"}, "price": 900},
                {"options": {"Colour": "Blue"}, "price": 950},
            ],
        }

        summary = await upsert(db, store, [renamed])

        assert summary.results[0].status is UpsertStatus.UPDATED
        async with db.reading() as session:
            after = await catalog_service.list_variants(session, store.id)
        assert [(v.id, v.title, v.price) for v in after] == [
            (before["CAP-1"], "Crimson", 900),
            (before["Blue"], "Blue", 950),
        ]

    async def test_a_variant_external_id_of_another_product_is_refused(
        self, db: Database, store: Store
    ) -> None:
        await upsert(db, store, [shirt()])
        before = await snapshot(db, store)
        thief = shirt(
            external_id="P2", handle="other", variants=[{"external_id": "V1", "price": 1}]
        )

        summary = await upsert(db, store, [thief])

        assert [(r.status, r.error) for r in summary.results] == [
            (UpsertStatus.FAILED, "external_id_taken")
        ]
        assert await snapshot(db, store) == before

    async def test_a_new_variant_without_a_price_fails_its_record_only(
        self, db: Database, store: Store
    ) -> None:
        bad = shirt(external_id="P2", handle="bad", variants=[{"sku": "B-1"}])

        summary = await upsert(db, store, [bad, shirt()])

        assert [(r.index, r.status, r.error) for r in summary.results] == [
            (0, UpsertStatus.FAILED, "validation_error"),
            (1, UpsertStatus.CREATED, None),
        ]
        assert summary.results[0].errors is not None
        assert [(e.loc, e.type) for e in summary.results[0].errors] == [
            (["variants", "0", "price"], "missing")
        ]


class TestImages:
    async def test_images_are_matched_by_url_and_linked_to_variants_by_sku(
        self, db: Database, store: Store
    ) -> None:
        first = await upsert(db, store, [shirt()])
        images = [
            {"url": "https://img.example/2.jpg", "alt": "Back", "variant_sku": "LS-L"},
            {"url": "https://img.example/1.jpg", "alt": "Front"},
        ]

        summary = await upsert(db, store, [shirt(images=images)])

        assert summary.results[0].status is UpsertStatus.UPDATED
        async with db.reading() as session:
            product = await catalog_service.get_product_or_raise(
                session, store.id, first.results[0].id or 0
            )
            rows = (
                await session.scalars(select(ProductImage).where(ProductImage.store_id == store.id))
            ).all()
        large = next(v for v in product.variants if v.sku == "LS-L")
        assert [(i.url, i.alt, i.position, i.variant_id) for i in product.images] == [
            ("https://img.example/2.jpg", "Back", 0, large.id),
            ("https://img.example/1.jpg", "Front", 1, None),
        ]
        assert len(rows) == 2


class TestRefusals:
    async def test_an_unknown_id_is_product_not_found(self, db: Database, store: Store) -> None:
        summary = await upsert(db, store, [{"id": 999_999, "title": "Ghost"}])

        assert [(r.status, r.error, r.detail) for r in summary.results] == [
            (UpsertStatus.FAILED, "product_not_found", "Product 999999 not found.")
        ]

    async def test_another_stores_product_is_not_found(
        self, db: Database, store: Store, other_store: Store
    ) -> None:
        theirs = await upsert(db, other_store, [shirt()])
        before = await snapshot(db, other_store)

        summary = await upsert(db, store, [{"id": theirs.results[0].id, "title": "Mine now"}])

        assert summary.results[0].error == "product_not_found"
        assert await snapshot(db, other_store) == before

    async def test_renaming_to_a_taken_handle_is_refused(self, db: Database, store: Store) -> None:
        await upsert(db, store, [shirt(), shirt(external_id="P2", handle="cap")])
        before = await snapshot(db, store)

        summary = await upsert(
            db, store, [{"source": "shopify", "external_id": "P2", "handle": "linen-shirt"}]
        )

        assert summary.results[0].error == "handle_taken"
        assert await snapshot(db, store) == before

    async def test_prices_in_another_currency_are_refused(self, db: Database, store: Store) -> None:
        record = shirt(variants=[{"sku": "X", "price": 100, "currency": "EUR"}])

        summary = await upsert(db, store, [record])

        assert (summary.results[0].error, summary.results[0].detail) == (
            "currency_mismatch",
            "Prices must be in the store's currency USD, not EUR.",
        )
        assert (await snapshot(db, store))["products"] == []

    async def test_the_second_record_for_the_same_product_in_a_batch_is_refused(
        self, db: Database, store: Store
    ) -> None:
        summary = await upsert(db, store, [shirt(), shirt(title="Again")])

        assert [(r.status, r.error) for r in summary.results] == [
            (UpsertStatus.CREATED, None),
            (UpsertStatus.FAILED, "duplicate_in_batch"),
        ]

    async def test_unknown_fields_and_bad_types_fail_with_field_codes(
        self, db: Database, store: Store
    ) -> None:
        summary = await upsert(
            db,
            store,
            [
                {"title": "A", "colour": "red", "variants": [{"price": 1}]},
                {"title": "B", "variants": [{"price": -5}]},
                "not a record",
            ],
        )

        assert [[(e.loc, e.type) for e in r.errors or []] for r in summary.results] == [
            [(["colour"], "extra_forbidden")],
            [(["variants", "0", "price"], "greater_than_equal")],
            [([], "model_type")],
        ]
        assert (await snapshot(db, store))["products"] == []


class TestConcurrentWriters:
    async def test_a_writer_racing_on_the_same_new_product_updates_instead_of_failing(
        self, db: Database, store: Store
    ) -> None:
        actor = Actor.system(store.id)
        newer = shirt(title="Linen Shirt (new title)")
        async with db.session() as first:
            async with first.begin():
                created = await catalog_service.upsert_products(first, actor, [shirt()])

                async def second_writer() -> UpsertSummary:
                    async with db.transaction() as second:
                        return await catalog_service.upsert_products(second, actor, [newer])

                racing = asyncio.create_task(second_writer())
                await asyncio.sleep(0.5)  # let it load, insert and wait on the first's lock
            raced = await racing

        assert [(r.status, r.id) for r in raced.results] == [
            (UpsertStatus.UPDATED, created.results[0].id)
        ]
        async with db.reading() as session:
            products = await catalog_service.list_products(session, store.id)
        assert [(p.handle, p.title, len(p.variants)) for p in products] == [
            ("linen-shirt", "Linen Shirt (new title)", 2)
        ]
