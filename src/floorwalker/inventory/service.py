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

from pydantic import TypeAdapter
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
    "read_products",
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
    stock = await _stock_documents(session, store_id, variant_ids)
    return {
        vid: catalog_schemas.VariantStock.model_validate(stock.get(vid) or _no_stock())
        for vid in variant_ids
    }


def _no_stock() -> dict[str, Any]:
    return {"on_hand": 0, "reserved": 0, "available": 0, "locations": []}


async def _stock_documents(
    session: AsyncSession, store_id: int, variant_ids: Collection[int]
) -> dict[int, dict[str, Any]]:
    """Stock per variant as plain dicts (the shape of `VariantStock`); unstocked ones absent."""
    stock: dict[int, dict[str, Any]] = {}
    rows = await InventoryRepository(session, store_id).stock_rows(variant_ids)
    for variant_id, location_id, on_hand, reserved, code, name in rows:
        free = on_hand - reserved if on_hand > reserved else 0
        entry = stock.get(variant_id)
        if entry is None:
            entry = stock[variant_id] = _no_stock()
        entry["on_hand"] += on_hand
        entry["reserved"] += reserved
        entry["available"] += free
        entry["locations"].append(
            {
                "location_id": location_id,
                "location_code": code,
                "location_name": name,
                "on_hand": on_hand,
                "reserved": reserved,
                "available": free,
            }
        )
    return stock


async def with_stock(
    session: AsyncSession, store_id: int, documents: Sequence[dict[str, Any]]
) -> list[catalog_schemas.Product]:
    """Product documents (from the catalog's read model) completed with stock, validated.

    Each variant gets its stock; the product gets the units available over active variants.
    """
    variant_ids = [v["id"] for d in documents for v in d["variants"]]
    stock = await _stock_documents(session, store_id, variant_ids)
    shown = []
    for document in documents:
        total = 0
        variants = []
        for variant in document["variants"]:
            found = stock.get(variant["id"]) or _no_stock()
            variants.append({**variant, "stock": found})
            if variant["status"] == "active":
                total += found["available"]
        shown.append({**document, "variants": variants, "available": total})
    return _PRODUCTS.validate_python(shown)


_PRODUCTS = TypeAdapter(list[catalog_schemas.Product])


async def read_products(
    session: AsyncSession, store_id: int, product_ids: Sequence[int]
) -> list[catalog_schemas.Product]:
    """Products of the store by id with everything nested and stock, in the given order."""
    documents = await catalog_service.product_documents(session, store_id, product_ids)
    return await with_stock(session, store_id, documents)


async def iter_active_products_with_stock(
    session: AsyncSession, store_id: int, *, batch_size: int = 500
) -> AsyncIterator[list[catalog_schemas.Product]]:
    """Every active product with variants, brand, category path and stock, in batches by id."""
    after_id = 0
    while True:
        documents = await catalog_service.list_product_documents(
            session, store_id, after_id=after_id, limit=batch_size, status="active"
        )
        if not documents:
            return
        yield await with_stock(session, store_id, documents)
        after_id = documents[-1]["id"]
