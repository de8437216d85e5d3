"""Queries of the inventory context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any, cast

from sqlalchemy import Table, case, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.inventory.models import InventoryLevel, Location

Row = dict[str, Any]

LEVELS = cast(Table, InventoryLevel.__table__)
LOCATIONS = cast(Table, Location.__table__)


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

    # ------------------------------------------------------------ batch loaders (dicts)

    async def location_rows(self) -> list[Row]:
        """Every location of the store, as dicts (a store has a handful)."""
        rows = await self.session.execute(
            select(LOCATIONS).where(LOCATIONS.c.store_id == self.store_id)
        )
        return [dict(r._mapping) for r in rows]

    async def level_rows(self, variant_ids: Collection[int]) -> list[Row]:
        """Levels of the given variants, as dicts."""
        if not variant_ids:
            return []
        rows = await self.session.execute(
            select(LEVELS).where(
                LEVELS.c.store_id == self.store_id, LEVELS.c.variant_id.in_(list(variant_ids))
            )
        )
        return [dict(r._mapping) for r in rows]

    async def stock_rows(
        self, variant_ids: Collection[int]
    ) -> Sequence[tuple[int, int, int, int, str, str]]:
        """(variant, location, on hand, reserved, location code, name) at active locations."""
        if not variant_ids:
            return []
        rows = await self.session.execute(
            select(
                LEVELS.c.variant_id,
                LEVELS.c.location_id,
                LEVELS.c.on_hand,
                LEVELS.c.reserved,
                LOCATIONS.c.code,
                LOCATIONS.c.name,
            )
            .join(LOCATIONS, LOCATIONS.c.id == LEVELS.c.location_id)
            .where(
                LEVELS.c.store_id == self.store_id,
                LEVELS.c.variant_id.in_(set(variant_ids)),
                LOCATIONS.c.active.is_(True),
            )
            .order_by(LEVELS.c.variant_id, LOCATIONS.c.code)
        )
        return cast(Sequence[tuple[int, int, int, int, str, str]], rows.all())

    async def list_levels(
        self,
        *,
        after_id: int,
        limit: int,
        variant_ids: Collection[int] | None = None,
        location_id: int | None = None,
        updated_since: dt.datetime | None = None,
        level_id: int | None = None,
    ) -> list[Row]:
        """A page of levels in id order with their location code, as dicts."""
        query = (
            select(LEVELS, LOCATIONS.c.code.label("location_code"))
            .join(LOCATIONS, LOCATIONS.c.id == LEVELS.c.location_id)
            .where(LEVELS.c.store_id == self.store_id, LEVELS.c.id > after_id)
        )
        if variant_ids is not None:
            query = query.where(LEVELS.c.variant_id.in_(list(variant_ids)))
        if location_id is not None:
            query = query.where(LEVELS.c.location_id == location_id)
        if level_id is not None:
            query = query.where(LEVELS.c.id == level_id)
        if updated_since is not None:
            query = query.where(LEVELS.c.updated_at >= updated_since)
        rows = await self.session.execute(query.order_by(LEVELS.c.id).limit(limit))
        return [dict(r._mapping) for r in rows]

    async def variant_ids_at(self, location_id: int) -> list[int]:
        """Variants with stock rows at a location."""
        rows = await self.session.scalars(
            select(InventoryLevel.variant_id).where(
                InventoryLevel.store_id == self.store_id, InventoryLevel.location_id == location_id
            )
        )
        return list(rows.all())

    async def delete_location(self, location_id: int) -> int:
        """Delete a location of the store (its levels go with it); returns rows deleted."""
        result = await self.session.execute(
            delete(LOCATIONS).where(
                LOCATIONS.c.store_id == self.store_id, LOCATIONS.c.id == location_id
            )
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
