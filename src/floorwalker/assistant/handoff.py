"""Handing a conversation to people, and giving it back.

A handoff keeps why it was made, a summary a person can read in ten seconds and the (redacted)
transcript. It is announced as a `handoff.requested` outbound webhook (the connectors' signed
deliveries) to every endpoint of the store that subscribes to it. The shopper is told at every
step: waiting, someone has joined, back with the assistant. Staff replies reach the shopper's
open stream live (or the next poll).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.assistant.errors import HandoffClosed, HandoffNotFound
from floorwalker.assistant.events import Event, EventType
from floorwalker.assistant.models import Conversation, Handoff, Message
from floorwalker.assistant.repository import AssistantRepository
from floorwalker.connectors import service as connectors_service
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.logging import get_logger

log = get_logger(__name__)

REASONS = ("requested", "repeated_failure", "upset", "out_of_scope")
#: How a staff member without a name shown to shoppers signs their replies.
TEAM_AUTHOR = "Our team"

SHOPPER_TEXT = {
    "waiting": "I've asked a member of our team to join. They'll reply here as soon as they can; "
    "you can keep writing in the meantime.",
    "active": "{who} from our team has joined the conversation.",
    "closed": "Our team member has handed the conversation back to me. How else can I help?",
}


class HandoffNotifier(Protocol):
    """Tells the retailer's people that a conversation waits for them."""

    async def notify(self, store_id: int, payload: dict[str, Any]) -> None:
        """Send one handoff notification (called after the handoff is committed)."""
        ...


class LogNotifier:
    """Writes a log line per handoff (outbound webhooks are queued with the handoff itself)."""

    async def notify(self, store_id: int, payload: dict[str, Any]) -> None:
        log.info(
            "conversation handed to staff",
            store_id=store_id,
            handoff_id=payload.get("handoff_id"),
            reason=payload.get("reason"),
        )


def transcript_of(messages: Sequence[Message]) -> list[dict[str, Any]]:
    """The redacted transcript people read: who said what, when (tool traffic left out)."""
    return [
        {"role": m.role, "text": m.text, "author": m.author, "at": m.created_at.isoformat()}
        for m in messages
        if m.role in {"user", "assistant", "staff"} and m.text
    ]


def summarise(
    conversation: Conversation, messages: Sequence[Message], reason: str, note: str = ""
) -> str:
    """A few lines a person can act on: who, why, what they asked, what is open."""
    asked = [m.text for m in messages if m.role == "user" and m.text][-3:]
    who = (
        f"verified customer #{conversation.customer_id}"
        if conversation.customer_id
        else "an anonymous shopper"
    )
    lines = [f"Handed over ({reason.replace('_', ' ')}) by {who}."]
    if note:
        lines.append(f"Note: {note}")
    state = conversation.state or {}
    if state.get("last_order"):
        lines.append(f"Order discussed: {state['last_order']}.")
    if asked:
        lines.append("Last messages: " + " | ".join(f'"{t[:160]}"' for t in asked))
    return "\n".join(lines)


async def open_handoff(
    session: AsyncSession, conversation: Conversation, *, reason: str, note: str = ""
) -> tuple[Handoff, bool]:
    """The conversation's open handoff, or a new one; True when it was created now."""
    repo = AssistantRepository(session, conversation.store_id)
    existing = await repo.open_handoff(conversation.id)
    if existing is not None:
        return existing, False
    messages = await repo.recent_messages(conversation.id, limit=200)
    handoff = await repo.add(
        Handoff(
            conversation_id=conversation.id,
            reason=reason if reason in REASONS else "requested",
            summary=summarise(conversation, messages, reason, note),
            transcript=transcript_of(messages),
        )
    )
    conversation.status = "waiting_for_human"
    await session.flush()
    # Queued with the handoff itself: the retailer's endpoints hear of it once it is committed.
    await connectors_service.announce(
        session,
        Actor.system(conversation.store_id, "assistant"),
        event_type="handoff.requested",
        payload=notification(handoff, conversation),
        event_id=f"handoff-{handoff.id}",
    )
    return handoff, True


def handoff_event(
    handoff: Handoff,
    conversation: Conversation,
    *,
    who: str | None = None,
    for_staff: bool = False,
    **extra: Any,
) -> Event:
    """The event announcing a handoff's state to the shopper (or, `for_staff`, to staff).

    Shoppers see `who` — the staff member's first name, or nobody in particular — never the
    internal label (`staff:12`, `api_key:5`) that staff see in `assigned_to`.
    """
    text = SHOPPER_TEXT[handoff.status if handoff.status in SHOPPER_TEXT else "waiting"]
    return Event(
        EventType.HANDOFF,
        {
            "handoff_id": handoff.id,
            "conversation_id": conversation.public_id,
            "status": handoff.status,
            "reason": handoff.reason,
            "assigned_to": handoff.assigned_to if for_staff else who,
            "text": text.format(who=who or "Someone"),
            **extra,
        },
    )


def shopper_author(public_name: str | None) -> str:
    """How a staff reply is signed for the shopper: a first name, or the team."""
    return public_name or TEAM_AUTHOR


def notification(handoff: Handoff, conversation: Conversation) -> dict[str, Any]:
    """The outbound payload of a new handoff."""
    return {
        "event": "handoff.requested",
        "handoff_id": handoff.id,
        "conversation_id": conversation.public_id,
        "reason": handoff.reason,
        "summary": handoff.summary,
        "created_at": handoff.created_at.isoformat(),
    }


async def _load(
    session: AsyncSession, actor: Actor, handoff_id: int
) -> tuple[Handoff, Conversation]:
    repo = AssistantRepository(session, actor.store_id)
    handoff = await repo.handoff(handoff_id, lock=True)
    if handoff is None:
        raise HandoffNotFound(handoff_id)
    conversation = await repo.conversation_by_id(handoff.conversation_id)
    assert conversation is not None
    return handoff, conversation


def staff_name(actor: Actor) -> str:
    """How staff and the audit trail name a staff member (never shown to shoppers)."""
    return actor.label


async def take(
    session: AsyncSession, actor: Actor, *, handoff_id: int
) -> tuple[Handoff, Conversation]:
    """A member of staff takes the conversation (taking it over from a colleague is allowed)."""
    handoff, conversation = await _load(session, actor, handoff_id)
    if handoff.status == "closed":
        raise HandoffClosed(handoff_id)
    handoff.status = "active"
    handoff.assigned_to = staff_name(actor)
    handoff.taken_at = handoff.taken_at or utcnow()
    conversation.status = "with_human"
    await session.flush()
    return handoff, conversation


async def reply(
    session: AsyncSession, actor: Actor, *, handoff_id: int, text: str
) -> tuple[Message, Conversation]:
    """A staff message to the shopper (taking the handoff if nobody has)."""
    handoff, conversation = await _load(session, actor, handoff_id)
    if handoff.status == "closed":
        raise HandoffClosed(handoff_id)
    if handoff.status == "waiting":
        handoff.status = "active"
        handoff.assigned_to = staff_name(actor)
        handoff.taken_at = utcnow()
        conversation.status = "with_human"
    message = await AssistantRepository(session, actor.store_id).add(
        Message(conversation_id=conversation.id, role="staff", text=text, author=staff_name(actor))
    )
    conversation.last_activity_at = utcnow()
    await session.flush()
    return message, conversation


async def hand_back(
    session: AsyncSession, actor: Actor, *, handoff_id: int
) -> tuple[Handoff, Conversation]:
    """Close the handoff; the assistant answers again."""
    handoff, conversation = await _load(session, actor, handoff_id)
    if handoff.status != "closed":
        handoff.status = "closed"
        handoff.closed_at = utcnow()
        conversation.status = "open"
        conversation.failed_turns = 0
        await session.flush()
    return handoff, conversation
