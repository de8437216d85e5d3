"""Rules of the inventory context: locations, levels, availability and reservations.

On hand comes from the retailer (API, files, platforms); reserved is Floorwalker's own
(units promised to open orders); available = on hand − reserved, never below 0 per location.
Every change to stock marks the product changed, so the search index follows by polling
`catalog_service.changed_since`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Collection, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.catalog import schemas as catalog_schemas
from floorwalker.catalog import service as catalog_service
from floorwalker.inventory import schemas
from floorwalker.inventory.errors import InsufficientStock, LocationNotFound
from floorwalker.inventory.levels import set_levels as set_levels
from floorwalker.inventory.levels import upsert_locations as upsert_locations
from floorwalker.inventory.repository import InventoryRepository
from floorwalker.kit.actor import Actor

__all__ = [
    "available",
    "delete_location",
    "get_level",
    "get_location_or_raise",
    "iter_active_products_with_stock",
    "list_levels",
    "list_locations",
    "release",
    "reserve",
    "restock",
    "set_levels",
    "stock_by_variant",
    "upsert_locations",
    "with_stock",
]


async def available(
    session: AsyncSession, store_id: int, variant_ids: Sequence[int]
) -> dict[int, int]:
    """Units available to sell per variant, summed over locations (0 when none is stocked)."""
    return await InventoryRepository(session, store_id).available_by_variant(variant_ids)


async def reserve(session: AsyncSession, store_id: int, *, variant_id: int, quantity: int) -> int:
    """Reserve units of a variant at the location with the most available; returns its id.

    Raises InsufficientStock (and changes nothing) when no single location has enough.
    """
    levels = await InventoryRepository(session, store_id).levels_for_update(variant_id)
    best = max(levels, key=lambda lvl: (lvl.available, -lvl.id), default=None)
    if best is None or best.available < quantity:
        total = sum(lvl.available for lvl in levels)
        raise InsufficientStock(variant_id, quantity, total)
    best.reserved += quantity
    await session.flush()
    await catalog_service.mark_changed(session, store_id, variant_ids=[variant_id])
    return best.location_id


async def release(
    session: AsyncSession, store_id: int, *, variant_id: int, location_id: int, quantity: int
) -> None:
    """Give back units reserved at a location (never below zero reserved)."""
    level = await InventoryRepository(session, store_id).level_for_update(variant_id, location_id)
    if level is not None:
        level.reserved = max(0, level.reserved - quantity)
        await session.flush()
        await catalog_service.mark_changed(session, store_id, variant_ids=[variant_id])


async def restock(
    session: AsyncSession, store_id: int, *, variant_id: int, location_id: int, quantity: int
) -> None:
    """Put units back on hand at a location (returned goods received)."""
    level = await InventoryRepository(session, store_id).level_for_update(variant_id, location_id)
    if level is not None:
        level.on_hand += quantity
        await session.flush()
        await catalog_service.mark_changed(session, store_id, variant_ids=[variant_id])


# ---------------------------------------------------------------- locations


async def list_locations(session: AsyncSession, store_id: int) -> list[schemas.Location]:
    """The store's locations by code."""
    rows = await InventoryRepository(session, store_id).location_rows()
    rows.sort(key=lambda r: (r["code"], r["id"]))
    return [schemas.Location.model_validate(r) for r in rows]


async def get_location_or_raise(
    session: AsyncSession, store_id: int, location_id: int
) -> schemas.Location:
    """A location of the store; raises LocationNotFound."""
    rows = await InventoryRepository(session, store_id).location_rows()
    found = next((r for r in rows if r["id"] == location_id), None)
    if found is None:
        raise LocationNotFound(location_id)
    return schemas.Location.model_validate(found)


async def delete_location(session: AsyncSession, actor: Actor, location_id: int) -> None:
    """Delete a location and the stock recorded there."""
    repo = InventoryRepository(session, actor.store_id)
    location = await get_location_or_raise(session, actor.store_id, location_id)
    variant_ids = await repo.variant_ids_at(location_id)
    await catalog_service.mark_changed(session, actor.store_id, variant_ids=variant_ids)
    await repo.delete_location(location_id)
    await audit_service.record(
        session,
        actor,
        action="location.delete",
        subject_type="location",
        subject_id=location_id,
        data={"code": location.code, "levels": len(variant_ids)},
    )


# ---------------------------------------------------------------- levels and stock


async def list_levels(
    session: AsyncSession,
    store_id: int,
    *,
    after_id: int = 0,
    limit: int = 50,
    variant_id: int | None = None,
    sku: str | None = None,
    location_id: int | None = None,
    updated_since: dt.datetime | None = None,
) -> list[schemas.Level]:
    """A page of stock levels in id order, filtered by variant, SKU, location or change time."""
    variant_ids: set[int] | None = None
    if variant_id is not None:
        variant_ids = {variant_id}
    if sku is not None:
        found = {
            r["id"] for r in await catalog_service.resolve_variants(session, store_id, skus=[sku])
        }
        variant_ids = found if variant_ids is None else variant_ids & found
    rows = await InventoryRepository(session, store_id).list_levels(
        after_id=after_id,
        limit=limit,
        variant_ids=variant_ids,
        location_id=location_id,
        updated_since=updated_since,
    )
    return [_level(r) for r in rows]


async def get_level(session: AsyncSession, store_id: int, level_id: int) -> schemas.Level | None:
    """One stock level of the store by id, or None."""
    rows = await InventoryRepository(session, store_id).list_levels(
        after_id=0, limit=1, level_id=level_id
    )
    return _level(rows[0]) if rows else None


def _level(row: dict[str, Any]) -> schemas.Level:
    return schemas.Level.model_validate(
        {**row, "available": max(0, row["on_hand"] - row["reserved"])}
    )


async def stock_by_variant(
    session: AsyncSession, store_id: int, variant_ids: Collection[int]
) -> dict[int, catalog_schemas.VariantStock]:
    """Stock of each variant over the store's active locations, with the per-location split."""
    stock = {vid: catalog_schemas.VariantStock() for vid in variant_ids}
    for row in await InventoryRepository(session, store_id).stock_rows(variant_ids):
        free = max(0, row["on_hand"] - row["reserved"])
        entry = stock[row["variant_id"]]
        entry.on_hand += row["on_hand"]
        entry.reserved += row["reserved"]
        entry.available += free
        entry.locations.append(
            catalog_schemas.LocationStock(
                location_id=row["location_id"],
                location_code=row["location_code"],
                location_name=row["location_name"],
                on_hand=row["on_hand"],
                reserved=row["reserved"],
                available=free,
            )
        )
    return stock


async def with_stock(
    session: AsyncSession, store_id: int, products: Sequence[catalog_service.Product]
) -> list[catalog_schemas.Product]:
    """Products (loaded by the catalog) in their API shape, each variant with its stock."""
    variant_ids = [v.id for p in products for v in p.variants]
    stock = await stock_by_variant(session, store_id, variant_ids)
    return [catalog_service.to_read(p, stock) for p in products]


async def iter_active_products_with_stock(
    session: AsyncSession, store_id: int, *, batch_size: int = 500
) -> AsyncIterator[list[catalog_schemas.Product]]:
    """Every active product with variants, brand, category path and stock, in batches by id."""
    async for batch in catalog_service.iter_active_products(
        session, store_id, batch_size=batch_size
    ):
        yield await with_stock(session, store_id, batch)
