"""Idempotency keys: a retried request with the same key returns the first result, once.

The record is written in the same transaction as the change it guards, so a change and its
record commit or roll back together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from floorwalker.errors import Conflict
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Base, BigId, IdMixin, JsonDoc
from floorwalker.kit.pii import mentions, scrub


class IdempotencyRecord(IdMixin, Base):
    """The stored outcome of one keyed operation."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("store_id", "key"),)

    store_id: Mapped[int] = mapped_column(BigId, ForeignKey("stores.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    operation: Mapped[str] = mapped_column(String(80))
    request_hash: Mapped[str] = mapped_column(String(64))
    response: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class IdempotencyKeyReused(Conflict):
    """The key was used before for a different operation or different arguments."""

    code = "idempotency_key_reused"


def request_fingerprint(operation: str, arguments: dict[str, Any]) -> str:
    """A stable hash of an operation and its arguments."""
    payload = json.dumps([operation, arguments], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


async def lookup(
    session: AsyncSession,
    *,
    store_id: int,
    key: str,
    operation: str,
    arguments: dict[str, Any],
) -> dict[str, Any] | None:
    """The stored response for `key`, or None; raises if the key was used differently."""
    record = await session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.store_id == store_id, IdempotencyRecord.key == key
        )
    )
    if record is None:
        return None
    if record.operation != operation or record.request_hash != request_fingerprint(
        operation, arguments
    ):
        raise IdempotencyKeyReused(
            "This idempotency key was already used for a different request.", key=key
        )
    return record.response


async def remember(
    session: AsyncSession,
    *,
    store_id: int,
    key: str,
    operation: str,
    arguments: dict[str, Any],
    response: dict[str, Any],
) -> None:
    """Store the response of a keyed operation in the current transaction."""
    session.add(
        IdempotencyRecord(
            store_id=store_id,
            key=key,
            operation=operation,
            request_hash=request_fingerprint(operation, arguments),
            response=response,
        )
    )
    await session.flush()


async def scrub_person(session: AsyncSession, *, store_id: int, needles: Sequence[str]) -> int:
    """Remove a person's values from stored responses (privacy erasure); returns how many
    records changed. The records stay, so a retried request still answers the same way."""
    if not needles:
        return 0
    records = await session.scalars(
        select(IdempotencyRecord).where(
            IdempotencyRecord.store_id == store_id, mentions(IdempotencyRecord.response, needles)
        )
    )
    changed = 0
    for record in records:
        response, replaced = scrub(record.response, needles)
        if replaced:
            record.response = response
            changed += 1
    await session.flush()
    return changed
