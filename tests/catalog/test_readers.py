"""What other contexts read from the catalog: active products in batches, changes by polling."""

from __future__ import annotations

import datetime as dt

from floorwalker.catalog import service as catalog_service
from floorwalker.inventory import service as inventory_service
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store


async def load(db: Database, store: Store, count: int, **extra: object) -> list[int]:
    records = [
        {"handle": f"item-{n}", "title": f"Item {n}", "variants": [{"sku": f"S{n}", "price": 100}]}
        | extra
        for n in range(count)
    ]
    async with db.transaction() as session:
        summary = await catalog_service.upsert_products(session, Actor.system(store.id), records)
    return [r.id for r in summary.results if r.id is not None]


class TestIterActiveProducts:
    async def test_yields_every_active_product_once_in_batches_by_id(
        self, db: Database, store: Store
    ) -> None:
        ids = await load(db, store, 7)
        async with db.transaction() as session:
            await catalog_service.upsert_products(
                session, Actor.system(store.id), [{"handle": "item-3", "status": "draft"}]
            )

        async with db.reading() as session:
            batches = [
                [p.id for p in batch]
                async for batch in catalog_service.iter_active_products(
                    session, store.id, batch_size=3
                )
            ]

        assert batches == [[ids[0], ids[1], ids[2]], [ids[4], ids[5], ids[6]]]

    async def test_with_stock_carries_availability_per_variant_and_location(
        self, db: Database, store: Store
    ) -> None:
        await load(db, store, 2)
        async with db.transaction() as session:
            actor = Actor.system(store.id)
            await inventory_service.upsert_locations(
                session, actor, [{"code": "WH1", "name": "North"}, {"code": "WH2", "name": "South"}]
            )
            await inventory_service.set_levels(
                session,
                actor,
                [
                    {"sku": "S0", "location_code": "WH1", "on_hand": 5},
                    {"sku": "S0", "location_code": "WH2", "on_hand": 2},
                ],
            )
            await inventory_service.reserve(
                session,
                store.id,
                variant_id=(await catalog_service.get_variants_by_sku(session, store.id, ["S0"]))[
                    "S0"
                ].id,
                quantity=3,
            )

        async with db.reading() as session:
            batches = [
                batch
                async for batch in inventory_service.iter_active_products_with_stock(
                    session, store.id
                )
            ]

        (products,) = batches
        stock = products[0].variants[0].stock
        assert stock is not None
        assert (stock.on_hand, stock.reserved, stock.available) == (7, 3, 4)
        assert [(s.location_code, s.on_hand, s.reserved, s.available) for s in stock.locations] == [
            ("WH1", 5, 3, 2),
            ("WH2", 2, 0, 2),
        ]
        assert products[0].available == 4
        assert products[1].available == 0


class TestChangedSince:
    async def test_catalog_and_stock_changes_are_reported_oldest_first(
        self, db: Database, store: Store
    ) -> None:
        first, second, third = await load(db, store, 3)
        since = dt.datetime.now(dt.UTC)
        async with db.transaction() as session:
            await inventory_service.set_levels(
                session, Actor.system(store.id), [{"sku": "S2", "on_hand": 4}]
            )
        async with db.transaction() as session:
            await catalog_service.upsert_products(
                session, Actor.system(store.id), [{"handle": "item-0", "title": "Renamed"}]
            )

        async with db.reading() as session:
            changes = await catalog_service.changed_since(session, store.id, since=since)
            page = await catalog_service.changed_since(session, store.id, since=since, limit=1)
            rest = await catalog_service.changed_since(
                session, store.id, since=since, after=(page[0].updated_at, page[0].id)
            )

        assert [c.id for c in changes] == [third, first]
        assert [c.id for c in page] == [third]
        assert [c.id for c in rest] == [first]
        assert second not in {c.id for c in changes}

    async def test_nothing_changed_means_nothing_reported(self, db: Database, store: Store) -> None:
        await load(db, store, 2)
        since = dt.datetime.now(dt.UTC)
        await load(db, store, 2)

        async with db.reading() as session:
            changes = await catalog_service.changed_since(session, store.id, since=since)

        assert changes == []
