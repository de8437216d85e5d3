"""Queries of the audit context."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit.models import AuditEntry


class AuditRepository:
    """Appends to and reads the audit log."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, entry: AuditEntry) -> AuditEntry:
        """Append one entry."""
        self.session.add(entry)
        await self.session.flush()
        return entry

    async def list(
        self,
        store_id: int,
        *,
        subject_type: str | None = None,
        subject_id: str | None = None,
        action: str | None = None,
        after_id: int = 0,
        limit: int = 50,
    ) -> Sequence[AuditEntry]:
        """Entries of a store in id order, optionally for one subject or action."""
        query = select(AuditEntry).where(AuditEntry.store_id == store_id, AuditEntry.id > after_id)
        if subject_type is not None:
            query = query.where(AuditEntry.subject_type == subject_type)
        if subject_id is not None:
            query = query.where(AuditEntry.subject_id == subject_id)
        if action is not None:
            query = query.where(AuditEntry.action == action)
        return (await self.session.scalars(query.order_by(AuditEntry.id).limit(limit))).all()
