"""Every row of some stores, to prove that something changed nothing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from floorwalker.kit.db import Database
from floorwalker.models import metadata

Snapshot = dict[str, list[tuple[Any, ...]]]


async def snapshot(db: Database, store_ids: Iterable[int], *, skip: Iterable[str] = ()) -> Snapshot:
    """The rows of the stores in every store-scoped table but `skip`, by `table:store_id`."""
    ids = sorted(store_ids)
    skipped = set(skip)
    out: Snapshot = {}
    async with db.reading() as session:
        for table in metadata.sorted_tables:
            if "store_id" not in table.c or table.name in skipped:
                continue
            for store_id in ids:
                out[f"{table.name}:{store_id}"] = []
            rows = await session.execute(
                select(table).where(table.c.store_id.in_(ids)).order_by(table.c.id)
            )
            for row in rows:
                out[f"{table.name}:{row.store_id}"].append(tuple(row))
    return out


def changed_tables(before: Snapshot, after: Snapshot) -> list[str]:
    """The tables whose rows differ."""
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
