"""Rules of the inventory context: availability, reservations for open orders, restocking."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.inventory.errors import InsufficientStock
from floorwalker.inventory.repository import InventoryRepository


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
    return best.location_id


async def release(
    session: AsyncSession, store_id: int, *, variant_id: int, location_id: int, quantity: int
) -> None:
    """Give back units reserved at a location (never below zero reserved)."""
    level = await InventoryRepository(session, store_id).level_for_update(variant_id, location_id)
    if level is not None:
        level.reserved = max(0, level.reserved - quantity)
        await session.flush()


async def restock(
    session: AsyncSession, store_id: int, *, variant_id: int, location_id: int, quantity: int
) -> None:
    """Put units back on hand at a location (returned goods received)."""
    level = await InventoryRepository(session, store_id).level_for_update(variant_id, location_id)
    if level is not None:
        level.on_hand += quantity
        await session.flush()
