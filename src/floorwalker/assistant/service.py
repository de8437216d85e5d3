"""Rules of the assistant context for the faces: start, authenticate, read, answer proposals,
rate, verify, and the staff side of handoffs. A turn itself runs in `engine.loop.run_turn`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.assistant import proposals, staff_views
from floorwalker.assistant.engine.persistence import actor_of, store_info
from floorwalker.assistant.errors import (
    ConversationNotFound,
    FeedbackNotAllowed,
    HandoffNotFound,
    IdentityNotConfigured,
    InvalidIdentityToken,
    MessageNotFound,
)
from floorwalker.assistant.identity import tokens, verification
from floorwalker.assistant.identity.mail import Mail
from floorwalker.assistant.local import templates
from floorwalker.assistant.models import (
    Conversation,
    Feedback,
    Handoff,
    Message,
    OutboxMail,
    Proposal,
)
from floorwalker.assistant.privacy import erase_customer as erase_customer
from floorwalker.assistant.privacy import export_customer as export_customer
from floorwalker.assistant.privacy import purge_idle as purge_idle
from floorwalker.assistant.repository import AssistantRepository
from floorwalker.assistant.runtime import Runtime
from floorwalker.assistant.schemas import (
    ConversationFilter,
    ConversationStart,
    FeedbackCreate,
    HandoffCounts,
    StaffConversation,
    StaffProposal,
    StaffTranscript,
    VerificationRequest,
)
from floorwalker.assistant.schemas import Handoff as HandoffSchema
from floorwalker.customers import service as customer_service
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.security import constant_time_equals, new_token, token_digest
from floorwalker.stores import service as store_service

#: Roles of messages a shopper's transcript shows (tool traffic stays internal).
VISIBLE_ROLES = frozenset({"user", "assistant", "staff", "system"})


async def customer_for_token(
    session: AsyncSession, runtime: Runtime, store_id: int, token: str
) -> int:
    """The customer a shopper identity token names; raises InvalidIdentityToken."""
    store = await store_service.get_or_raise(session, store_id)
    secret = store_service.identity_secret_of(store, runtime.identity_crypto)
    keys = store_service.settings_of(store).identity_keys
    if secret is None and keys is None:
        raise IdentityNotConfigured
    header = tokens.header_of(token)
    key: Any
    if header.algorithm == "RS256":
        if keys is None:
            raise InvalidIdentityToken("algorithm not allowed")
        key = await runtime.jwks.key_for(keys, header.kid)
    else:
        if secret is None:
            raise InvalidIdentityToken("algorithm not allowed")
        key = secret
    subject = tokens.read_token(
        token,
        key=key,
        algorithm=header.algorithm,
        audience=store.slug,
        issuer=keys.issuer if keys is not None and header.algorithm == "RS256" else None,
        leeway=runtime.settings.identity_token_leeway_seconds,
    )
    if subject.customer_id is not None:
        customer = await customer_service.get(session, store_id, subject.customer_id)
        if customer is None:
            raise InvalidIdentityToken("unknown customer")
        return customer.id
    matches = await customer_service.list_customers(
        session, store_id, external_id=subject.external_id, limit=2
    )
    if len(matches) != 1:
        raise InvalidIdentityToken("unknown customer" if not matches else "ambiguous customer")
    return matches[0].id


def welcome_text(store: Any) -> str:
    """The first message of every conversation: who (what) the assistant is."""
    return templates.disclosure(store_info(store)) + templates.CAPABILITIES


async def start(
    session: AsyncSession, runtime: Runtime, actor: Actor, *, data: ConversationStart
) -> tuple[Conversation, str, list[Message]]:
    """Open a conversation; returns it, its token (shown once) and the welcome message."""
    customer_id = None
    if data.identity_token:
        customer_id = await customer_for_token(
            session, runtime, actor.store_id, data.identity_token
        )
    store = await store_service.get_or_raise(session, actor.store_id)
    token = new_token("fw_ct_", 24)
    repo = AssistantRepository(session, actor.store_id)
    conversation = await repo.add(
        Conversation(
            public_id=new_token("conv_", 12),
            token_digest=token_digest(token),
            actor_kind="shopper" if customer_id else "anonymous",
            customer_id=customer_id,
            verified_via="token" if customer_id else None,
            session_id=data.session_id,
            channel=data.channel,
            language=data.language or store.language or "en",
            model="",
            state={},
            cart=[],
        )
    )
    welcome = await repo.add(
        Message(conversation_id=conversation.id, role="assistant", text=welcome_text(store))
    )
    return conversation, token, [welcome]


async def authenticate(
    session: AsyncSession, actor: Actor, *, public_id: str, token: str | None, lock: bool = False
) -> Conversation:
    """The caller's conversation if the token matches; otherwise "not found"."""
    conversation = await AssistantRepository(session, actor.store_id).conversation(
        public_id, lock=lock
    )
    if (
        conversation is None
        or token is None
        or not constant_time_equals(conversation.token_digest, token_digest(token))
    ):
        raise ConversationNotFound(public_id)
    return conversation


async def staff_conversation(
    session: AsyncSession, actor: Actor, *, public_id: str
) -> Conversation:
    """A conversation of the store, for staff (no shopper token needed)."""
    conversation = await AssistantRepository(session, actor.store_id).conversation(public_id)
    if conversation is None:
        raise ConversationNotFound(public_id)
    return conversation


async def transcript(
    session: AsyncSession, conversation: Conversation, *, after_id: int = 0, limit: int = 100
) -> list[Message]:
    """The shopper-visible messages after `after_id` (tool traffic left out)."""
    rows = await AssistantRepository(session, conversation.store_id).messages(
        conversation.id, after_id=after_id, limit=limit * 4
    )
    visible = [m for m in rows if m.role in VISIBLE_ROLES and not m.tool_calls and m.text]
    return visible[:limit]


async def rate(
    session: AsyncSession, conversation: Conversation, *, data: FeedbackCreate
) -> Feedback:
    """Rate one of the assistant's replies (a second rating replaces the first)."""
    repo = AssistantRepository(session, conversation.store_id)
    message = await repo.message(conversation.id, data.message_id)
    if message is None:
        raise MessageNotFound(data.message_id)
    if message.role != "assistant" or message.tool_calls:
        raise FeedbackNotAllowed(data.message_id)
    value = 1 if data.rating == "up" else -1
    feedback = await repo.feedback(message.id)
    if feedback is None:
        feedback = await repo.add(
            Feedback(
                conversation_id=conversation.id,
                message_id=message.id,
                rating=value,
                comment=data.comment,
            )
        )
    else:
        feedback.rating = value
        feedback.comment = data.comment
        feedback.updated_at = utcnow()
        await session.flush()
    return feedback


async def answer_proposal(
    session: AsyncSession, conversation: Conversation, *, public_id: str, confirm: bool
) -> tuple[dict[str, Any], Message]:
    """Confirm (execute once) or decline a proposal of this conversation, with a reply."""
    store = store_info(await store_service.get_or_raise(session, conversation.store_id))
    if confirm:
        proposal = await proposals.confirm(
            session, conversation, actor_of(conversation), public_id=public_id
        )
        if proposal.status == "executed":
            text = templates.executed(store, proposal.tool, proposal.result)
        else:
            detail = str(proposal.result.get("detail") or "it could not be done")
            text = f"I'm sorry — that didn't go through: {detail.rstrip('.')}. Nothing was changed."
    else:
        proposal = await proposals.decline(session, conversation, public_id=public_id)
        text = "Alright — I've left everything as it was."
    state = dict(conversation.state or {})
    state["frame"] = {"slots": {}}
    conversation.state = state
    message = await AssistantRepository(session, conversation.store_id).add(
        Message(conversation_id=conversation.id, role="assistant", text=text, model="rules")
    )
    return proposals.proposal_view(proposal), message


async def verify(
    session: AsyncSession,
    runtime: Runtime,
    conversation: Conversation,
    *,
    data: VerificationRequest,
    store_name: str,
) -> tuple[str, str, Mail | None]:
    """One verification step; returns (status, detail, mail to send after commit)."""
    if data.identity_token is not None:
        customer_id = await customer_for_token(
            session, runtime, conversation.store_id, data.identity_token
        )
        await verification.apply_identity(
            session, conversation, customer_id=customer_id, via="token"
        )
        return "verified", "You're verified.", None
    if data.code is not None:
        outcome = await verification.check_code(session, conversation, code=data.code)
    elif data.order_number is not None and data.email is not None:
        outcome = await verification.by_order_and_email(
            session, conversation, order_number=data.order_number, email=data.email
        )
    else:
        assert data.email is not None
        request = await verification.request_code(
            session, conversation, email=data.email, store_name=store_name
        )
        detail = "If that address belongs to an account, a six-digit code is on its way."
        return "code_sent", detail, request.mail
    if outcome.customer_id is None:
        return "failed", outcome.message, None
    via = "email_code" if data.code is not None else "order_email"
    await verification.apply_identity(
        session, conversation, customer_id=outcome.customer_id, via=via
    )
    return "verified", "You're verified.", None


# ---------------------------------------------------------------- staff side


async def list_handoffs(
    session: AsyncSession, actor: Actor, *, status: str | None, after_id: int, limit: int
) -> list[tuple[Handoff, str]]:
    """Handoffs of the store with their conversations' public ids."""
    repo = AssistantRepository(session, actor.store_id)
    rows = await repo.handoffs(status=status, after_id=after_id, limit=limit)
    out = []
    for handoff in rows:
        conversation = await repo.conversation_by_id(handoff.conversation_id)
        assert conversation is not None
        out.append((handoff, conversation.public_id))
    return out


async def handoff_detail(
    session: AsyncSession, actor: Actor, *, handoff_id: int
) -> tuple[Handoff, Conversation, list[Message]]:
    """A handoff, its conversation and the messages since it was made."""
    repo = AssistantRepository(session, actor.store_id)
    handoff = await repo.handoff(handoff_id)
    if handoff is None:
        raise HandoffNotFound(handoff_id)
    conversation = await repo.conversation_by_id(handoff.conversation_id)
    assert conversation is not None
    messages = [
        m
        for m in await repo.messages(conversation.id, limit=500)
        if m.created_at >= handoff.created_at
        and m.role in VISIBLE_ROLES
        and m.text
        and not m.tool_calls
    ]
    return handoff, conversation, messages


async def outbox(
    session: AsyncSession, store_id: int, *, to_address: str | None = None, limit: int = 20
) -> Sequence[OutboxMail]:
    """The latest mail the development sender kept."""
    return await AssistantRepository(session, store_id).outbox(to_address=to_address, limit=limit)


# ---------------------------------------------------------------- staff console


async def find_conversations(
    session: AsyncSession,
    actor: Actor,
    *,
    filters: ConversationFilter,
    before_id: int | None = None,
    limit: int = 50,
) -> tuple[list[StaffConversation], int | None, int]:
    """A page of the store's conversations, newest first: (rows, id to continue before, total)."""
    repo = AssistantRepository(session, actor.store_id)
    rows = await repo.find_conversations(filters, before_id=before_id, limit=limit + 1)
    page = list(rows[:limit])
    next_before = page[-1].id if len(rows) > limit else None
    total = await repo.count_conversations(filters)
    return await staff_views.summaries(session, actor.store_id, page), next_before, total


async def staff_transcript(
    session: AsyncSession, actor: Actor, *, public_id: str, limit: int = 2000
) -> StaffTranscript:
    """A conversation as staff see it: the shopper, every message with tool traffic and
    ratings, the proposals and the handoffs (PII redacted as stored)."""
    conversation = await staff_conversation(session, actor, public_id=public_id)
    repo = AssistantRepository(session, actor.store_id)
    messages = await repo.messages(conversation.id, limit=limit)
    feedback = {f.message_id: f for f in await repo.in_conversations(Feedback, [conversation.id])}
    proposals_ = await repo.in_conversations(Proposal, [conversation.id])
    handoffs = await repo.in_conversations(Handoff, [conversation.id])
    (summary,) = await staff_views.summaries(session, actor.store_id, [conversation])
    return StaffTranscript(
        conversation=summary,
        prompt_tokens=conversation.prompt_tokens,
        completion_tokens=conversation.completion_tokens,
        messages=[staff_views.staff_message(m, feedback.get(m.id)) for m in messages],
        proposals=[
            StaffProposal(
                **proposals.proposal_view(p), message_id=p.message_id, created_at=p.created_at
            )
            for p in proposals_
        ],
        handoffs=[
            HandoffSchema(
                id=h.id,
                conversation_id=conversation.public_id,
                reason=h.reason,
                summary=h.summary,
                status=h.status,
                assigned_to=h.assigned_to,
                created_at=h.created_at,
                taken_at=h.taken_at,
                closed_at=h.closed_at,
            )
            for h in handoffs
        ],
    )


async def handoff_counts(session: AsyncSession, actor: Actor) -> HandoffCounts:
    """How many handoffs of the store wait, and how many are being handled."""
    counts = await AssistantRepository(session, actor.store_id).handoff_counts()
    return HandoffCounts(waiting=counts.get("waiting", 0), active=counts.get("active", 0))
