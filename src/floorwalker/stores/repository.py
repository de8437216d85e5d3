"""Queries of the stores context."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.stores.models import Store


class StoreRepository:
    """Reads and writes stores."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, store_id: int) -> Store | None:
        """The store with this id, or None."""
        return await self.session.get(Store, store_id)

    async def get_by_slug(self, slug: str) -> Store | None:
        """The store with this slug, or None."""
        return await self.session.scalar(select(Store).where(Store.slug == slug))

    async def list(self) -> Sequence[Store]:
        """Every store, oldest first."""
        return (await self.session.scalars(select(Store).order_by(Store.id))).all()

    async def add(self, store: Store) -> Store:
        """Insert a store and assign its id."""
        self.session.add(store)
        await self.session.flush()
        return store
