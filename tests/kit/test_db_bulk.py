"""`Database.bulk`: one connection, many transactions, each committed or rolled back alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from floorwalker.kit.db import SQLITE_BULK_WAL_PAGES, SQLITE_WAL_PAGES, Database
from floorwalker.stores.models import Store
from tests import factories


async def names(db: Database, *ids: int) -> list[str]:
    async with db.reading() as s:
        rows = await s.scalars(select(Store.name).where(Store.id.in_(ids)).order_by(Store.id))
        return list(rows)


async def rename_then_fail(transaction: Any, store_id: int) -> None:
    async with transaction() as s:
        (await s.get(Store, store_id)).name = "Lost"
        await s.flush()
        raise RuntimeError("the batch failed")


class TestBulk:
    async def test_each_transaction_commits_or_rolls_back_on_its_own(self, db: Database) -> None:
        async with db.transaction() as s:
            first, second = await factories.create_store(s), await factories.create_store(s)

        async with db.bulk() as transaction:
            async with transaction() as s:
                (await s.get(Store, first.id)).name = "Renamed"  # type: ignore[union-attr]
            with pytest.raises(RuntimeError, match="the batch failed"):
                await rename_then_fail(transaction, second.id)
            async with transaction() as s:
                seen = await s.scalar(select(Store.name).where(Store.id == first.id))

        assert seen == "Renamed"
        assert await names(db, first.id, second.id) == ["Renamed", second.name]

    async def test_sqlite_checkpoints_less_often_only_while_bulk_writing(
        self, tmp_path: Path
    ) -> None:
        # A SQLite file of its own, whichever database the suite runs on.
        db = Database.from_url(f"sqlite:///{tmp_path / 'bulk.db'}")
        try:
            async with db.bulk() as transaction, transaction() as s:
                connection = await s.connection()
                during = await connection.exec_driver_sql("PRAGMA wal_autocheckpoint")
                pages = during.scalar()
            pooled = db.engine.pool.checkedin()  # type: ignore[attr-defined]
            async with db.engine.connect() as connection:
                after = await connection.exec_driver_sql("PRAGMA wal_autocheckpoint")
                restored = after.scalar()
        finally:
            await db.dispose()

        assert (pages, pooled, restored) == (SQLITE_BULK_WAL_PAGES, 1, SQLITE_WAL_PAGES)
