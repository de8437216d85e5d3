"""How staff see conversations: list rows and transcript entries built from the stored rows.

The console's conversation list and transcript (`service.find_conversations`,
`service.staff_transcript`) are assembled here: the shopper as the store knows them, the tools
used, the handoff, the ratings, and every message with its tool traffic (PII redacted as
stored).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.assistant.models import Conversation, Feedback, Handoff, Message
from floorwalker.assistant.repository import AssistantRepository
from floorwalker.assistant.schemas import (
    ShopperIdentity,
    StaffConversation,
    StaffMessage,
    ToolCallView,
)
from floorwalker.customers import service as customer_service

#: Characters of the shopper's first message a conversation list shows.
PREVIEW_CHARS = 160


async def shoppers_of(
    session: AsyncSession, store_id: int, conversations: Sequence[Conversation]
) -> dict[int, ShopperIdentity]:
    """The verified shoppers of some conversations, as the store knows them."""
    found: dict[int, ShopperIdentity] = {}
    for c in conversations:
        if c.customer_id is None or c.actor_kind != "shopper" or c.customer_id in found:
            continue
        customer = await customer_service.get(session, store_id, c.customer_id)
        if customer is not None:
            found[c.customer_id] = ShopperIdentity(
                customer_id=customer.id,
                name=customer.name,
                email=customer.email,
                external_id=customer.external_id,
                verified_via=None,
            )
    return found


async def summaries(
    session: AsyncSession, store_id: int, conversations: Sequence[Conversation]
) -> list[StaffConversation]:
    """List rows for some conversations, in the order given."""
    repo = AssistantRepository(session, store_id)
    ids = [c.id for c in conversations]
    tools: dict[int, list[str]] = {}
    for conversation_id, name in await repo.tools_used(ids):
        used = tools.setdefault(conversation_id, [])
        if name not in used:
            used.append(name)
    previews = await repo.first_shopper_messages(ids)
    latest: dict[int, Handoff] = {
        h.conversation_id: h for h in await repo.in_conversations(Handoff, ids)
    }
    ratings: dict[int, list[int]] = {}
    for feedback in await repo.in_conversations(Feedback, ids):
        ratings.setdefault(feedback.conversation_id, []).append(feedback.rating)
    shoppers = await shoppers_of(session, store_id, conversations)
    out = []
    for c in conversations:
        shopper = shoppers.get(c.customer_id) if c.customer_id is not None else None
        handoff = latest.get(c.id)
        preview = " ".join(previews.get(c.id, "").split())
        out.append(
            StaffConversation(
                id=c.public_id,
                status=c.status,
                channel=c.channel,
                language=c.language,
                model=c.model,
                turns=c.turns,
                created_at=c.created_at,
                last_activity_at=c.last_activity_at,
                shopper=shopper.model_copy(update={"verified_via": c.verified_via})
                if shopper
                else None,
                session_id=c.session_id,
                preview=preview[:PREVIEW_CHARS] + ("…" if len(preview) > PREVIEW_CHARS else ""),
                tools=tools.get(c.id, []),
                handoff_status=handoff.status if handoff else None,
                handoff_reason=handoff.reason if handoff else None,
                helpful=sum(1 for r in ratings.get(c.id, []) if r > 0),
                not_helpful=sum(1 for r in ratings.get(c.id, []) if r < 0),
            )
        )
    return out


def staff_message(message: Message, feedback: Feedback | None) -> StaffMessage:
    """A stored message as staff read it, with its rating."""
    is_tool = message.role == "tool"
    error = message.content.get("error") if is_tool else None
    return StaffMessage(
        id=message.id,
        role=message.role,
        text=message.text,
        author=message.author,
        model=message.model,
        created_at=message.created_at,
        tool_calls=[
            ToolCallView(
                id=str(c.get("id", "")), name=str(c.get("name", "")), arguments=c.get("arguments")
            )
            for c in message.tool_calls
        ],
        tool_name=message.tool_name,
        tool_call_id=message.tool_call_id,
        tool_ok=(error is None) if is_tool else None,
        tool_error=str(error) if error is not None else None,
        tool_result=message.content if is_tool else None,
        cards=message.cards,
        corrections=message.corrections,
        rating=None if feedback is None else ("up" if feedback.rating > 0 else "down"),
        rating_comment=feedback.comment if feedback is not None else None,
    )
