"""Queries of the audit context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit.models import AuditEntry
from floorwalker.kit.pii import mentions


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

    # ------------------------------------------------------------ privacy (issue 6)

    async def about(
        self, store_id: int, subjects: Sequence[tuple[str, str]], *, limit: int
    ) -> Sequence[AuditEntry]:
        """Entries of a store about any of the (subject type, subject id) pairs, oldest first."""
        if not subjects:
            return []
        by_type: dict[str, list[str]] = {}
        for subject_type, subject_id in subjects:
            by_type.setdefault(subject_type, []).append(subject_id)
        condition = or_(
            *(
                and_(AuditEntry.subject_type == kind, AuditEntry.subject_id.in_(ids))
                for kind, ids in by_type.items()
            )
        )
        query = select(AuditEntry).where(AuditEntry.store_id == store_id, condition)
        return (await self.session.scalars(query.order_by(AuditEntry.id).limit(limit))).all()

    async def mentioning(
        self, store_id: int, needles: Sequence[str], *, after_id: int, limit: int
    ) -> Sequence[AuditEntry]:
        """Entries of a store whose data mentions one of the needles, in id order."""
        query = select(AuditEntry).where(
            AuditEntry.store_id == store_id,
            AuditEntry.id > after_id,
            mentions(AuditEntry.data, needles),
        )
        return (await self.session.scalars(query.order_by(AuditEntry.id).limit(limit))).all()

    async def between(
        self,
        store_id: int,
        *,
        since: dt.datetime | None,
        until: dt.datetime | None,
        after_id: int,
        limit: int,
    ) -> Sequence[AuditEntry]:
        """Entries of a store that occurred in [since, until), in id order."""
        query = select(AuditEntry).where(AuditEntry.store_id == store_id, AuditEntry.id > after_id)
        if since is not None:
            query = query.where(AuditEntry.occurred_at >= since)
        if until is not None:
            query = query.where(AuditEntry.occurred_at < until)
        return (await self.session.scalars(query.order_by(AuditEntry.id).limit(limit))).all()
