"""Recording and reading the audit log. Every change a service makes is recorded here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit.models import AuditEntry
from floorwalker.audit.repository import AuditRepository
from floorwalker.kit.actor import Actor
from floorwalker.kit.pii import scrub


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


# ----------------------------------------------------------------------------- privacy
# The privacy context exports what the log holds about a customer, erases personal data from
# it (entries stay: who did what, when; only the values that identify the person go), and
# exports the log for auditors.

#: Entries read per query when scrubbing or exporting.
_BATCH = 500


async def entries_about(
    session: AsyncSession, actor: Actor, *, subjects: Sequence[tuple[str, str]], limit: int = 10_000
) -> Sequence[AuditEntry]:
    """Entries about any of the (subject type, subject id) pairs, oldest first."""
    return await AuditRepository(session).about(actor.store_id, subjects, limit=limit)


async def scrub_entries(
    session: AsyncSession,
    actor: Actor,
    *,
    subjects: Sequence[tuple[str, str]],
    needles: list[str],
) -> int:
    """Remove a person's values (`needles`) from entries about their subjects and from any
    other entry that mentions them; returns how many entries changed."""
    repo = AuditRepository(session)
    changed = 0
    seen: set[int] = set()
    for entry in await repo.about(actor.store_id, subjects, limit=1_000_000):
        seen.add(entry.id)
        changed += _scrub(entry, needles)
    after_id = 0
    while needles:
        batch = await repo.mentioning(actor.store_id, needles, after_id=after_id, limit=_BATCH)
        for entry in batch:
            if entry.id not in seen:
                changed += _scrub(entry, needles)
        if len(batch) < _BATCH:
            break
        after_id = batch[-1].id
    await session.flush()
    return changed


def _scrub(entry: AuditEntry, needles: list[str]) -> int:
    data, replaced = scrub(entry.data or {}, needles)
    if not replaced:
        return 0
    entry.data = data
    return 1


async def entries_between(
    session: AsyncSession,
    actor: Actor,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    after_id: int = 0,
    limit: int = _BATCH,
) -> Sequence[AuditEntry]:
    """Entries that occurred in [since, until), in id order, after `after_id` (export)."""
    return await AuditRepository(session).between(
        actor.store_id, since=since, until=until, after_id=after_id, limit=limit
    )
