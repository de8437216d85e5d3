"""Two-phase changes: a write tool proposes, only the shopper's explicit yes executes.

A proposal stores the executing function's arguments exactly as they will be passed and the
plan the shopper was shown. Confirming claims the proposal (`proposed` → `confirmed`, a
conditional update, so two confirmations cannot both win), calls the same order service with an
idempotency key derived from the proposal id, and records `executed` or `failed` — all in one
transaction. A stale, foreign, expired or superseded proposal executes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.assistant.errors import (
    ProposalExpired,
    ProposalNotFound,
    ProposalNotOpen,
)
from floorwalker.assistant.models import Conversation, Proposal
from floorwalker.assistant.repository import AssistantRepository
from floorwalker.customers import service as customer_service
from floorwalker.errors import AppError
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.security import new_token
from floorwalker.orders import service as order_service
from floorwalker.orders.schemas import AddressInput, LineSwap, ReturnItem

Kwargs = dict[str, Any]
PlanFn = Callable[[AsyncSession, Actor, Kwargs], Awaitable[BaseModel]]
ExecFn = Callable[[AsyncSession, Actor, Kwargs, str], Awaitable[BaseModel]]


@dataclass(frozen=True, slots=True)
class Action:
    """How one write tool plans and executes through its service."""

    plan: PlanFn
    execute: ExecFn


def _address(kwargs: Kwargs) -> Kwargs:
    out = dict(kwargs)
    if out.get("address") is not None:
        out["address"] = AddressInput.model_validate(out["address"])
    return out


def _swaps(kwargs: Kwargs) -> Kwargs:
    return {**kwargs, "items": [LineSwap.model_validate(i) for i in kwargs["items"]]}


def _returns(kwargs: Kwargs) -> Kwargs:
    return {**kwargs, "items": [ReturnItem.model_validate(i) for i in kwargs["items"]]}


ACTIONS: dict[str, Action] = {
    "cancel_order": Action(
        plan=lambda s, a, k: order_service.plan_cancel(s, a, **k),
        execute=lambda s, a, k, key: order_service.cancel(s, a, **k, idempotency_key=key),
    ),
    "change_order_address": Action(
        plan=lambda s, a, k: order_service.plan_modify_address(s, a, **_address(k)),
        execute=lambda s, a, k, key: order_service.modify_address(
            s, a, **_address(k), idempotency_key=key
        ),
    ),
    "change_order_payment": Action(
        plan=lambda s, a, k: order_service.plan_modify_payment(s, a, **k),
        execute=lambda s, a, k, key: order_service.modify_payment(s, a, **k, idempotency_key=key),
    ),
    "change_order_items": Action(
        plan=lambda s, a, k: order_service.plan_modify_items(s, a, **_swaps(k)),
        execute=lambda s, a, k, key: order_service.modify_items(
            s, a, **_swaps(k), idempotency_key=key
        ),
    ),
    "return_items": Action(
        plan=lambda s, a, k: order_service.plan_return(s, a, **_returns(k)),
        execute=lambda s, a, k, key: order_service.return_items(
            s, a, **_returns(k), idempotency_key=key
        ),
    ),
    "exchange_items": Action(
        plan=lambda s, a, k: order_service.plan_exchange(s, a, **_swaps(k)),
        execute=lambda s, a, k, key: order_service.exchange_items(
            s, a, **_swaps(k), idempotency_key=key
        ),
    ),
    "update_default_address": Action(
        plan=lambda s, a, k: customer_service.plan_update_default_address(s, a, **_address(k)),
        execute=lambda s, a, k, key: customer_service.update_default_address(
            s, a, **_address(k), idempotency_key=key
        ),
    ),
}


def idempotency_key(proposal: Proposal) -> str:
    """The key the executing call carries: one per proposal, so it runs once."""
    return f"assistant:{proposal.public_id}"


async def plan(session: AsyncSession, actor: Actor, tool: str, kwargs: Kwargs) -> BaseModel:
    """Plan a change without writing anything (raises the service's refusal)."""
    return await ACTIONS[tool].plan(session, actor, kwargs)


async def create(
    session: AsyncSession,
    conversation: Conversation,
    actor: Actor,
    *,
    tool: str,
    kwargs: Kwargs,
    plan_shown: BaseModel,
    ttl: dt.timedelta,
) -> Proposal:
    """Store a proposal; any earlier open proposal of the conversation expires."""
    repo = AssistantRepository(session, conversation.store_id)
    for older in await repo.open_proposals(conversation.id):
        await repo.claim_proposal(older.id, status="expired")
    data = plan_shown.model_dump(mode="json")
    return await repo.add(
        Proposal(
            public_id=new_token("prop_", 12),
            conversation_id=conversation.id,
            tool=tool,
            arguments={"kwargs": kwargs, "customer_id": actor.customer_id},
            plan=data,
            summary=str(data.get("summary", "")),
            expires_at=utcnow() + ttl,
        )
    )


async def confirm(
    session: AsyncSession, conversation: Conversation, actor: Actor, *, public_id: str
) -> Proposal:
    """Execute a proposal of this conversation, once; a failure is recorded on it."""
    repo = AssistantRepository(session, conversation.store_id)
    proposal = await repo.proposal(conversation.id, public_id, lock=True)
    if proposal is None:
        raise ProposalNotFound(public_id)
    if proposal.status != "proposed":
        raise ProposalNotOpen(public_id, proposal.status)
    if (
        proposal.expires_at <= utcnow()
        or proposal.arguments.get("customer_id") != actor.customer_id
    ):
        await repo.claim_proposal(proposal.id, status="expired")
        await session.refresh(proposal)
        raise ProposalExpired(public_id)
    if not await repo.claim_proposal(proposal.id, status="confirmed"):
        raise ProposalNotOpen(public_id, "confirmed")
    try:
        result = await ACTIONS[proposal.tool].execute(
            session, actor, proposal.arguments["kwargs"], idempotency_key(proposal)
        )
    except AppError as exc:
        proposal.status = "failed"
        proposal.result = exc.to_dict()
    else:
        proposal.status = "executed"
        proposal.result = result.model_dump(mode="json")
    proposal.decided_at = utcnow()
    await session.flush()
    return proposal


async def decline(session: AsyncSession, conversation: Conversation, *, public_id: str) -> Proposal:
    """Drop a proposal of this conversation without doing anything."""
    repo = AssistantRepository(session, conversation.store_id)
    proposal = await repo.proposal(conversation.id, public_id, lock=True)
    if proposal is None:
        raise ProposalNotFound(public_id)
    if not await repo.claim_proposal(proposal.id, status="declined"):
        raise ProposalNotOpen(public_id, proposal.status)
    await session.refresh(proposal)
    return proposal


def proposal_view(proposal: Proposal) -> dict[str, Any]:
    """A proposal as clients see it."""
    return {
        "proposal_id": proposal.public_id,
        "tool": proposal.tool,
        "status": proposal.status,
        "summary": proposal.summary,
        "result": proposal.result,
        "expires_at": proposal.expires_at.isoformat(),
        "decided_at": proposal.decided_at.isoformat() if proposal.decided_at else None,
    }
