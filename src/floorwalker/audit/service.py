"""Recording and reading the audit log. Every change a service makes is recorded here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit.models import AuditEntry
from floorwalker.audit.repository import AuditRepository
from floorwalker.kit.actor import Actor


async def record(
    session: AsyncSession,
    actor: Actor,
    *,
    action: str,
    subject_type: str,
    subject_id: int | str,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry for `action` on a subject, in the current transaction."""
    return await AuditRepository(session).add(
        AuditEntry(
            store_id=actor.store_id,
            actor=actor.label,
            actor_kind=actor.kind.value,
            action=action,
            subject_type=subject_type,
            subject_id=str(subject_id),
            data=data or {},
        )
    )


async def list_entries(
    session: AsyncSession,
    actor: Actor,
    *,
    subject_type: str | None = None,
    subject_id: str | None = None,
    action: str | None = None,
    after_id: int = 0,
    limit: int = 50,
) -> Sequence[AuditEntry]:
    """Entries of the actor's store, oldest first."""
    return await AuditRepository(session).list(
        actor.store_id,
        subject_type=subject_type,
        subject_id=subject_id,
        action=action,
        after_id=after_id,
        limit=limit,
    )
