"""What the assistant holds about a customer: export, erasure and retention.

The privacy context (issue 6) calls these for its one-call export and erasure; the retention job
calls `purge_idle`. Conversations a shopper had anonymously (never verified) are not linked to
them and are covered by retention only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.assistant.models import Feedback, Handoff, Message, Proposal, ShopperVerification
from floorwalker.assistant.repository import AssistantRepository
from floorwalker.audit import service as audit_service
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow


async def export_customer(session: AsyncSession, store_id: int, customer_id: int) -> dict[str, Any]:
    """Everything the assistant holds about a customer, as JSON-ready data."""
    repo = AssistantRepository(session, store_id)
    conversations = await repo.conversations_of_customer(customer_id)
    ids = [c.id for c in conversations]
    public = {c.id: c.public_id for c in conversations}
    messages = await repo.in_conversations(Message, ids)
    proposals = await repo.in_conversations(Proposal, ids)
    feedback = await repo.in_conversations(Feedback, ids)
    handoffs = await repo.in_conversations(Handoff, ids)
    checks = await repo.in_conversations(ShopperVerification, ids)
    return {
        "conversations": [
            {
                "id": c.public_id,
                "created_at": c.created_at.isoformat(),
                "channel": c.channel,
                "status": c.status,
                "verified_via": c.verified_via,
                "preferences_stated": (c.state or {}).get("preferences", {}),
                "cart": c.cart,
                "messages": [
                    {"role": m.role, "text": m.text, "at": m.created_at.isoformat()}
                    for m in messages
                    if m.conversation_id == c.id and m.text and m.role != "tool"
                ],
            }
            for c in conversations
        ],
        "proposals": [
            {
                "conversation_id": public[p.conversation_id],
                "tool": p.tool,
                "status": p.status,
                "summary": p.summary,
                "created_at": p.created_at.isoformat(),
            }
            for p in proposals
        ],
        "feedback": [
            {"conversation_id": public[f.conversation_id], "rating": f.rating, "comment": f.comment}
            for f in feedback
        ],
        "handoffs": [
            {
                "conversation_id": public[h.conversation_id],
                "reason": h.reason,
                "status": h.status,
                "summary": h.summary,
                "created_at": h.created_at.isoformat(),
            }
            for h in handoffs
        ],
        "verifications": [
            {
                "conversation_id": public[v.conversation_id],
                "method": v.method,
                "status": v.status,
                "at": v.created_at.isoformat(),
            }
            for v in checks
        ],
    }


async def erase_customer(
    session: AsyncSession, actor: Actor, *, customer_id: int, email: str | None = None
) -> int:
    """Delete the customer's conversations with everything in them, and mail kept for them."""
    repo = AssistantRepository(session, actor.store_id)
    ids = [c.id for c in await repo.conversations_of_customer(customer_id)]
    deleted = await repo.delete_conversations(ids)
    if email:
        await repo.delete_outbox_to(email)
    await audit_service.record(
        session,
        actor,
        action="assistant.erase_customer",
        subject_type="customer",
        subject_id=customer_id,
        data={"conversations": deleted},
    )
    return deleted


async def purge_idle(
    session: AsyncSession, actor: Actor, *, older_than: dt.timedelta, batch: int = 500
) -> int:
    """Delete conversations idle for longer than the store's retention (one batch)."""
    repo = AssistantRepository(session, actor.store_id)
    ids = await repo.idle_conversation_ids(utcnow() - older_than, limit=batch)
    return await repo.delete_conversations(ids)
