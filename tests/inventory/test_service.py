"""Stock: locations, on-hand levels set in batches, availability and reservations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from floorwalker.catalog import service as catalog_service
from floorwalker.inventory import service as inventory_service
from floorwalker.inventory.errors import InsufficientStock
from floorwalker.inventory.models import InventoryLevel
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.kit.upsert import UpsertStatus, UpsertSummary
from floorwalker.stores.models import Store


async def catalog(db: Database, store: Store) -> dict[str, int]:
    """Two products: a shirt in two sizes and a cap; variant ids by SKU."""
    records = [
        {
            "source": "shopify",
            "external_id": "P1",
            "handle": "shirt",
            "title": "Shirt",
            "variants": [
                {"external_id": "V1", "sku": "SH-M", "options": {"Size": "M"}, "price": 100},
                {"external_id": "V2", "sku": "SH-L", "options": {"Size": "L"}, "price": 100},
            ],
        },
        {"handle": "cap", "title": "Cap", "variants": [{"sku": "CAP", "price": 50}]},
    ]
    async with db.transaction() as session:
        await catalog_service.upsert_products(session, Actor.system(store.id), records)
        found = await catalog_service.get_variants_by_sku(
            session, store.id, ["SH-M", "SH-L", "CAP"]
        )
    return {sku: v.id for sku, v in found.items()}


async def set_levels(db: Database, store: Store, records: list[Any]) -> UpsertSummary:
    async with db.transaction() as session:
        return await inventory_service.set_levels(session, Actor.system(store.id), records)


async def levels(db: Database, store: Store) -> list[tuple[int, int, int, int]]:
    async with db.reading() as session:
        rows = (
            await session.execute(
                select(
                    InventoryLevel.variant_id,
                    InventoryLevel.location_id,
                    InventoryLevel.on_hand,
                    InventoryLevel.reserved,
                ).where(InventoryLevel.store_id == store.id)
            )
        ).all()
    return sorted(tuple(r) for r in rows)  # type: ignore[misc]


class TestSetLevels:
    async def test_creates_then_updates_then_reports_unchanged(
        self, db: Database, store: Store
    ) -> None:
        ids = await catalog(db, store)
        async with db.transaction() as session:
            await inventory_service.upsert_locations(
                session, Actor.system(store.id), [{"code": "WH1", "name": "Main"}]
            )
        records = [
            {"sku": "SH-M", "location_code": "WH1", "on_hand": 5},
            {
                "source": "shopify",
                "variant_external_id": "V2",
                "location_code": "WH1",
                "on_hand": 0,
            },
            {"variant_id": ids["CAP"], "location_code": "WH1", "on_hand": 12},
        ]

        created = await set_levels(db, store, records)
        records[0]["on_hand"] = 4
        second = await set_levels(db, store, records)

        assert [r.status for r in created.results] == [UpsertStatus.CREATED] * 3
        assert [r.status for r in second.results] == [
            UpsertStatus.UPDATED,
            UpsertStatus.UNCHANGED,
            UpsertStatus.UNCHANGED,
        ]
        assert [r.id for r in second.results] == [r.id for r in created.results]
        async with db.reading() as session:
            available = await inventory_service.available(
                session, store.id, [ids["SH-M"], ids["SH-L"], ids["CAP"]]
            )
        assert available == {ids["SH-M"]: 4, ids["SH-L"]: 0, ids["CAP"]: 12}

    async def test_a_store_without_locations_gets_a_default_one(
        self, db: Database, store: Store
    ) -> None:
        ids = await catalog(db, store)

        summary = await set_levels(db, store, [{"sku": "CAP", "on_hand": 3}])

        assert summary.created == 1
        async with db.reading() as session:
            (location,) = await inventory_service.list_locations(session, store.id)
        assert (location.code, location.name, location.active) == ("default", "Default", True)
        assert await levels(db, store) == [(ids["CAP"], location.id, 3, 0)]

    async def test_with_several_locations_a_level_must_name_one(
        self, db: Database, store: Store
    ) -> None:
        await catalog(db, store)
        async with db.transaction() as session:
            await inventory_service.upsert_locations(
                session, Actor.system(store.id), [{"code": "A"}, {"code": "B"}]
            )

        summary = await set_levels(db, store, [{"sku": "CAP", "on_hand": 3}])

        assert summary.results[0].error == "location_required"
        assert await levels(db, store) == []

    async def test_bad_references_fail_their_record_and_the_rest_are_stored(
        self, db: Database, store: Store, other_store: Store
    ) -> None:
        ids = await catalog(db, store)
        theirs = await catalog(db, other_store)

        summary = await set_levels(
            db,
            store,
            [
                {"sku": "NOPE", "on_hand": 1},
                {"variant_id": theirs["CAP"], "on_hand": 1},
                {"sku": "CAP", "location_code": "MOON", "on_hand": 1},
                {"sku": "CAP", "variant_id": ids["CAP"], "on_hand": 1},
                {"sku": "CAP", "on_hand": 7},
                {"sku": "CAP", "on_hand": 8},
            ],
        )

        assert [(r.status, r.error) for r in summary.results] == [
            (UpsertStatus.FAILED, "variant_not_found"),
            (UpsertStatus.FAILED, "variant_not_found"),
            (UpsertStatus.FAILED, "location_not_found"),
            (UpsertStatus.FAILED, "validation_error"),
            (UpsertStatus.CREATED, None),
            (UpsertStatus.FAILED, "duplicate_in_batch"),
        ]
        assert [(v, on_hand) for v, _, on_hand, _ in await levels(db, store)] == [(ids["CAP"], 7)]
        assert await levels(db, other_store) == []

    async def test_a_shared_sku_is_ambiguous(self, db: Database, store: Store) -> None:
        await catalog(db, store)
        async with db.transaction() as session:
            await catalog_service.upsert_products(
                session,
                Actor.system(store.id),
                [{"handle": "cap-2", "title": "Cap 2", "variants": [{"sku": "CAP", "price": 50}]}],
            )

        summary = await set_levels(db, store, [{"sku": "CAP", "on_hand": 1}])

        assert summary.results[0].error == "sku_ambiguous"
        assert await levels(db, store) == []

    async def test_stock_changes_mark_the_product_changed(self, db: Database, store: Store) -> None:
        ids = await catalog(db, store)
        since = dt.datetime.now(dt.UTC)

        await set_levels(db, store, [{"sku": "CAP", "on_hand": 2}])

        async with db.reading() as session:
            cap = await catalog_service.get_variant_or_raise(session, store.id, ids["CAP"])
            changes = await catalog_service.changed_since(session, store.id, since=since)
        assert [(c.id, c.updated_at) for c in changes] == [(cap.product_id, cap.product.updated_at)]


class TestReservations:
    async def test_reserve_takes_from_the_location_with_most_available(
        self, db: Database, store: Store
    ) -> None:
        ids = await catalog(db, store)
        async with db.transaction() as session:
            actor = Actor.system(store.id)
            await inventory_service.upsert_locations(session, actor, [{"code": "A"}, {"code": "B"}])
            await inventory_service.set_levels(
                session,
                actor,
                [
                    {"sku": "CAP", "location_code": "A", "on_hand": 2},
                    {"sku": "CAP", "location_code": "B", "on_hand": 5},
                ],
            )
            (a, b) = await inventory_service.list_locations(session, store.id)

        async with db.transaction() as session:
            location_id = await inventory_service.reserve(
                session, store.id, variant_id=ids["CAP"], quantity=4
            )

        assert location_id == b.id
        assert await levels(db, store) == [(ids["CAP"], a.id, 2, 0), (ids["CAP"], b.id, 5, 4)]

    async def test_reserving_more_than_any_location_holds_changes_nothing(
        self, db: Database, store: Store
    ) -> None:
        ids = await catalog(db, store)
        await set_levels(db, store, [{"sku": "CAP", "on_hand": 2}])
        before = await levels(db, store)

        async with db.transaction() as session:
            try:
                await inventory_service.reserve(
                    session, store.id, variant_id=ids["CAP"], quantity=3
                )
            except InsufficientStock as exc:
                error = exc

        assert (error.code, error.data) == (
            "insufficient_stock",
            {"variant_id": ids["CAP"], "requested": 3, "available": 2},
        )
        assert await levels(db, store) == before


class TestLocations:
    async def test_locations_match_by_code_and_codes_are_unique(
        self, db: Database, store: Store
    ) -> None:
        async with db.transaction() as session:
            actor = Actor.system(store.id)
            first = await inventory_service.upsert_locations(
                session, actor, [{"code": "WH1", "name": "Main"}, {"code": "WH2", "name": "Shop"}]
            )
            again = await inventory_service.upsert_locations(
                session,
                actor,
                [{"code": "WH1", "name": "Main"}, {"id": first.results[1].id, "code": "WH1"}],
            )

        assert [r.status for r in first.results] == [UpsertStatus.CREATED] * 2
        assert [(r.status, r.error) for r in again.results] == [
            (UpsertStatus.UNCHANGED, None),
            (UpsertStatus.FAILED, "duplicate_in_batch"),
        ]
        async with db.reading() as session:
            found = await inventory_service.list_locations(session, store.id)
        assert [(loc.code, loc.name) for loc in found] == [("WH1", "Main"), ("WH2", "Shop")]
