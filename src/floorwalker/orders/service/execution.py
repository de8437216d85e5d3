"""Running an operation: once, atomically, audited, and idempotent under a key.

Every executing function goes through `run`: inside a savepoint it takes the order's row lock,
answers a retried key with the first result, re-plans on the locked rows, applies the plan,
records the audit entry and remembers the result under the key. Any refusal or failure rolls
the savepoint back, so the caller's session is left exactly as it was.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.kit import idempotency
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.orders.schemas import Operation, Plan

P = TypeVar("P", bound=Plan)
T = TypeVar("T")


async def run(
    session: AsyncSession,
    actor: Actor,
    *,
    operation: Operation,
    subject_type: str,
    subject_id: int,
    arguments: dict[str, Any],
    idempotency_key: str | None,
    result_type: type[P],
    lock: Callable[[], Awaitable[T]],
    apply: Callable[[T], Awaitable[P]],
) -> P:
    """Lock the subject, replay a known key, else apply to the locked subject, audit, remember."""
    async with session.begin_nested():
        subject = await lock()
        name = f"{subject_type}.{operation.value}"
        if idempotency_key is not None:
            stored = await idempotency.lookup(
                session,
                store_id=actor.store_id,
                key=idempotency_key,
                operation=name,
                arguments=arguments,
            )
            if stored is not None:
                return result_type.model_validate(stored)
        plan = await apply(subject)
        plan.executed = True
        plan.executed_at = utcnow()
        entry = await audit_service.record(
            session,
            actor,
            action=name,
            subject_type=subject_type,
            subject_id=subject_id,
            data={
                "plan": plan.model_dump(mode="json", exclude={"audit_entry_id"}),
                "idempotency_key": idempotency_key,
            },
        )
        plan.audit_entry_id = entry.id
        if idempotency_key is not None:
            await _remember(session, actor, idempotency_key, name, arguments, plan)
        return plan


async def _remember(
    session: AsyncSession,
    actor: Actor,
    key: str,
    operation: str,
    arguments: dict[str, Any],
    plan: Plan,
) -> None:
    try:
        async with session.begin_nested():
            await idempotency.remember(
                session,
                store_id=actor.store_id,
                key=key,
                operation=operation,
                arguments=arguments,
                response=plan.model_dump(mode="json"),
            )
    except IntegrityError:
        # The same key was just used concurrently for another subject: refuse, undo everything.
        raise idempotency.IdempotencyKeyReused(
            "This idempotency key was already used for a different request.", key=key
        ) from None
