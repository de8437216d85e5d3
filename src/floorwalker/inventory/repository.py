"""Queries of the inventory context."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.inventory.models import InventoryLevel


class InventoryRepository:
    """Reads and writes stock levels of one store."""

    def __init__(self, session: AsyncSession, store_id: int) -> None:
        self.session = session
        self.store_id = store_id

    async def available_by_variant(self, variant_ids: Sequence[int]) -> dict[int, int]:
        """Units available (on hand − reserved, floored at 0 per location) per variant."""
        if not variant_ids:
            return {}
        free = InventoryLevel.on_hand - InventoryLevel.reserved
        available = func.sum(case((free > 0, free), else_=0))
        rows = await self.session.execute(
            select(InventoryLevel.variant_id, available)
            .where(
                InventoryLevel.store_id == self.store_id,
                InventoryLevel.variant_id.in_(set(variant_ids)),
            )
            .group_by(InventoryLevel.variant_id)
        )
        found = {int(vid): int(qty or 0) for vid, qty in rows.all()}
        return {vid: found.get(vid, 0) for vid in variant_ids}

    async def levels_for_update(self, variant_id: int) -> Sequence[InventoryLevel]:
        """The variant's levels, locked for the rest of the transaction (PostgreSQL)."""
        rows = await self.session.scalars(
            select(InventoryLevel)
            .where(
                InventoryLevel.store_id == self.store_id, InventoryLevel.variant_id == variant_id
            )
            .order_by(InventoryLevel.id)
            .with_for_update()
        )
        return rows.all()

    async def level_for_update(self, variant_id: int, location_id: int) -> InventoryLevel | None:
        """One level, locked for the rest of the transaction (PostgreSQL)."""
        return await self.session.scalar(
            select(InventoryLevel)
            .where(
                InventoryLevel.store_id == self.store_id,
                InventoryLevel.variant_id == variant_id,
                InventoryLevel.location_id == location_id,
            )
            .with_for_update()
        )
