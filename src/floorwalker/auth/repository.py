"""Queries of the auth context."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.auth.models import ApiKey


class ApiKeyRepository:
    """Reads and writes API keys."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_by_digest(self, digest: str) -> ApiKey | None:
        """The key with this digest, or None."""
        return await self.session.scalar(select(ApiKey).where(ApiKey.digest == digest))

    async def get(self, store_id: int, key_id: int) -> ApiKey | None:
        """A key of the store, or None."""
        return await self.session.scalar(
            select(ApiKey).where(ApiKey.store_id == store_id, ApiKey.id == key_id)
        )

    async def list(self, store_id: int) -> Sequence[ApiKey]:
        """The store's keys, oldest first."""
        return (
            await self.session.scalars(
                select(ApiKey).where(ApiKey.store_id == store_id).order_by(ApiKey.id)
            )
        ).all()

    async def add(self, key: ApiKey) -> ApiKey:
        """Insert a key."""
        self.session.add(key)
        await self.session.flush()
        return key
