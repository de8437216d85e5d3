"""Conversations with the assistant: start, talk (streamed), answer proposals, rate, verify.

Every call is made with the store's publishable widget key (or a read key) and, after the
start, the conversation's token in `X-Conversation-Token` (or `?token=` on the live stream,
where browsers' EventSource cannot set headers). Replies stream as server-sent events; see
docs/assistant.md for every event type.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, Header, Query, Request
from fastapi.responses import StreamingResponse

from floorwalker.api.deps import (
    DatabaseDep,
    RateLimiterDep,
    SessionDep,
    SettingsDep,
    StorefrontActor,
    get_database,
    get_settings,
)
from floorwalker.api.v1.search import get_registry
from floorwalker.assistant import handoff as handoff_rules
from floorwalker.assistant import service as assistant_service
from floorwalker.assistant.engine.loop import run_turn
from floorwalker.assistant.errors import ConversationClosed
from floorwalker.assistant.events import Event, EventType
from floorwalker.assistant.live import conversation_channel, staff_channel
from floorwalker.assistant.local import model as local_model
from floorwalker.assistant.runtime import Runtime
from floorwalker.assistant.schemas import (
    Conversation,
    ConversationCreated,
    ConversationMessage,
    ConversationStart,
    Feedback,
    FeedbackCreate,
    Handoff,
    MessageCreate,
    ProposalAnswer,
    TurnResult,
    Verification,
    VerificationRequest,
)
from floorwalker.auth import staff as staff_service
from floorwalker.errors import AppError, RateLimited
from floorwalker.logging import get_logger
from floorwalker.stores import service as store_service

log = get_logger(__name__)

#: Seconds between keep-alive pings on an idle live stream.
PING_SECONDS = 15.0


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Train the local model now, off the event loop, rather than in the first shopper's turn.
    warming = asyncio.create_task(_warm_local_model())
    try:
        yield
    finally:
        await warming
        runtime: Runtime | None = getattr(app.state, "assistant", None)
        if runtime is not None:
            await runtime.close()


async def _warm_local_model() -> None:
    try:
        await asyncio.to_thread(local_model.warm)
    except Exception:  # the first turn trains it instead, and says why if it cannot
        log.exception("could not prepare the local model at start-up")


router = APIRouter(tags=["conversations"], lifespan=_lifespan)


def get_runtime(request: Request) -> Runtime:
    """The app's assistant runtime (built on first use, sharing the app's search indexes)."""
    runtime: Runtime | None = getattr(request.app.state, "assistant", None)
    if runtime is None:
        runtime = Runtime.build(get_database(request), get_settings(request))
        request.app.state.assistant = runtime
    if runtime.search is None:
        runtime.search = get_registry(request)
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
TokenHeader = Annotated[
    str | None,
    Header(alias="X-Conversation-Token", description="The token the start returned."),
]

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def conversation_out(conversation: Any) -> Conversation:
    """The API shape of a conversation."""
    return Conversation(
        id=conversation.public_id,
        status=conversation.status,
        verified=conversation.customer_id is not None and conversation.actor_kind == "shopper",
        verified_via=conversation.verified_via,
        channel=conversation.channel,
        language=conversation.language,
        model=conversation.model,
        turns=conversation.turns,
        prompt_tokens=conversation.prompt_tokens,
        completion_tokens=conversation.completion_tokens,
        created_at=conversation.created_at,
        last_activity_at=conversation.last_activity_at,
    )


@router.post("/conversations", response_model=ConversationCreated, status_code=201)
async def start_conversation(
    data: ConversationStart, actor: StorefrontActor, session: SessionDep, runtime: RuntimeDep
) -> ConversationCreated:
    """Start a conversation, anonymous or with the retailer's signed shopper identity token."""
    conversation, token, messages = await assistant_service.start(
        session, runtime, actor, data=data
    )
    return ConversationCreated(
        conversation=conversation_out(conversation),
        token=token,
        messages=[ConversationMessage.model_validate(m) for m in messages],
    )


@router.get("/conversations/{conversation_id}", response_model=Conversation)
async def read_conversation(
    conversation_id: str, actor: StorefrontActor, session: SessionDep, token: TokenHeader = None
) -> Conversation:
    """Read a conversation's state (status, verification, token usage)."""
    conversation = await assistant_service.authenticate(
        session, actor, public_id=conversation_id, token=token
    )
    return conversation_out(conversation)


@router.get("/conversations/{conversation_id}/messages", response_model=list[ConversationMessage])
async def read_messages(
    conversation_id: str,
    actor: StorefrontActor,
    session: SessionDep,
    token: TokenHeader = None,
    after: int = Query(default=0, ge=0, description="Only messages after this message id."),
    limit: int = Query(default=100, ge=1, le=500),
) -> list[ConversationMessage]:
    """Read the transcript (PII redacted), or only what is new since a message (polling)."""
    conversation = await assistant_service.authenticate(
        session, actor, public_id=conversation_id, token=token
    )
    messages = await assistant_service.transcript(
        session, conversation, after_id=after, limit=limit
    )
    return await shopper_messages(session, actor.store_id, messages)


async def shopper_messages(
    session: Any, store_id: int, messages: Sequence[Any]
) -> list[ConversationMessage]:
    """Messages as the shopper sees them: staff replies signed with a first name at most."""
    staff = [m.author for m in messages if m.role == "staff"]
    names = await staff_service.public_names(session, store_id, staff)
    out = []
    for message in messages:
        shown = ConversationMessage.model_validate(message)
        if message.role == "staff":
            shown.author = handoff_rules.shopper_author(names.get(message.author or ""))
        out.append(shown)
    return out


async def _stream(events: AsyncIterator[Event]) -> AsyncIterator[str]:
    sequence = 0
    try:
        async for event in events:
            sequence += 1
            yield event.sse(sequence)
    except AppError as exc:
        yield Event(EventType.ERROR, exc.to_dict()).sse(sequence + 1)
    except Exception:
        log.exception("turn failed")
        body = {"error": "internal_error", "detail": "Something went wrong on our side."}
        yield Event(EventType.ERROR, body).sse(sequence + 1)


@router.post(
    "/conversations/{conversation_id}/messages",
    response_model=TurnResult,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def send_message(
    conversation_id: str,
    data: MessageCreate,
    actor: StorefrontActor,
    db: DatabaseDep,
    settings: SettingsDep,
    runtime: RuntimeDep,
    limiter: RateLimiterDep,
    token: TokenHeader = None,
    stream: bool = Query(default=True, description="Stream server-sent events (default)."),
) -> Any:
    """Send the shopper's message; the reply streams as server-sent events (see the docs)."""
    async with db.reading() as session:
        conversation = await assistant_service.authenticate(
            session, actor, public_id=conversation_id, token=token
        )
        if conversation.status == "closed":
            raise ConversationClosed(conversation_id)
    decision = await limiter.hit(
        f"conv:{conversation_id}", limit=settings.assistant_messages_per_minute, window=60
    )
    if not decision.allowed:
        raise RateLimited(
            "Too many messages in this conversation; wait a moment.",
            retry_after=decision.retry_after,
        )
    events = run_turn(runtime, store_id=actor.store_id, public_id=conversation_id, text=data.text)
    if stream:
        return StreamingResponse(
            _stream(events), media_type="text/event-stream", headers=SSE_HEADERS
        )
    collected = [event async for event in events]
    done = next((e for e in reversed(collected) if e.type is EventType.DONE), None)
    return TurnResult(
        message_id=done.data.get("message_id") if done else None,
        text=str(done.data.get("text", "")) if done else "",
        events=[e.to_dict() for e in collected],
    )


@router.get(
    "/conversations/{conversation_id}/events",
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def live_events(
    conversation_id: str,
    actor: StorefrontActor,
    db: DatabaseDep,
    runtime: RuntimeDep,
    request: Request,
    token: TokenHeader = None,
    query_token: str | None = Query(default=None, alias="token"),
) -> StreamingResponse:
    """Stay connected for staff replies and handoff updates (server-sent events, with pings)."""
    async with db.reading() as session:
        conversation = await assistant_service.authenticate(
            session, actor, public_id=conversation_id, token=token or query_token
        )
    channel = conversation_channel(actor.store_id, conversation.id)

    async def events() -> AsyncIterator[str]:
        sequence = 0
        async with runtime.broker.subscribe(channel) as subscription:
            iterator = subscription.__aiter__()
            yield Event(EventType.PING, {"status": conversation.status}).sse(sequence)
            while not await request.is_disconnected():
                try:
                    event = await _next_within(iterator, PING_SECONDS)
                except TimeoutError:
                    event = Event(EventType.PING, {})
                sequence += 1
                yield event.sse(sequence)

    return StreamingResponse(events(), media_type="text/event-stream", headers=SSE_HEADERS)


async def _next_within(iterator: AsyncIterator[Event], seconds: float) -> Event:
    return await asyncio.wait_for(iterator.__anext__(), timeout=seconds)


@router.post(
    "/conversations/{conversation_id}/proposals/{proposal_id}/confirm",
    response_model=ProposalAnswer,
)
async def confirm_proposal(
    conversation_id: str,
    proposal_id: str,
    actor: StorefrontActor,
    session: SessionDep,
    runtime: RuntimeDep,
    background: BackgroundTasks,
    token: TokenHeader = None,
) -> ProposalAnswer:
    """Carry out a proposed change, once. A stale or foreign proposal id does nothing."""
    return await _answer(
        session, runtime, background, actor, conversation_id, proposal_id, token, True
    )


@router.post(
    "/conversations/{conversation_id}/proposals/{proposal_id}/decline",
    response_model=ProposalAnswer,
)
async def decline_proposal(
    conversation_id: str,
    proposal_id: str,
    actor: StorefrontActor,
    session: SessionDep,
    runtime: RuntimeDep,
    background: BackgroundTasks,
    token: TokenHeader = None,
) -> ProposalAnswer:
    """Drop a proposed change; nothing happens."""
    return await _answer(
        session, runtime, background, actor, conversation_id, proposal_id, token, False
    )


async def _answer(
    session: Any,
    runtime: Runtime,
    background: BackgroundTasks,
    actor: Any,
    conversation_id: str,
    proposal_id: str,
    token: str | None,
    confirm: bool,
) -> ProposalAnswer:
    conversation = await assistant_service.authenticate(
        session, actor, public_id=conversation_id, token=token, lock=True
    )
    proposal, message = await assistant_service.answer_proposal(
        session, conversation, public_id=proposal_id, confirm=confirm
    )
    channel = conversation_channel(actor.store_id, conversation.id)
    background.add_task(
        runtime.broker.publish, channel, Event(EventType.PROPOSAL_UPDATE, {"proposal": proposal})
    )
    return ProposalAnswer.model_validate(
        {"proposal": proposal, "message": ConversationMessage.model_validate(message)}
    )


@router.post("/conversations/{conversation_id}/feedback", response_model=Feedback)
async def give_feedback(
    conversation_id: str,
    data: FeedbackCreate,
    actor: StorefrontActor,
    session: SessionDep,
    token: TokenHeader = None,
) -> Feedback:
    """Rate one of the assistant's replies (helpful or not), with an optional comment."""
    conversation = await assistant_service.authenticate(
        session, actor, public_id=conversation_id, token=token
    )
    feedback = await assistant_service.rate(session, conversation, data=data)
    return Feedback(
        message_id=feedback.message_id,
        rating="up" if feedback.rating > 0 else "down",
        comment=feedback.comment,
        updated_at=feedback.updated_at,
    )


@router.post("/conversations/{conversation_id}/verify", response_model=Verification)
async def verify_shopper(
    conversation_id: str,
    data: VerificationRequest,
    actor: StorefrontActor,
    session: SessionDep,
    runtime: RuntimeDep,
    background: BackgroundTasks,
    token: TokenHeader = None,
) -> Verification:
    """Verify the shopper: identity token, order number + e-mail, or an e-mailed code."""
    conversation = await assistant_service.authenticate(
        session, actor, public_id=conversation_id, token=token, lock=True
    )
    store = await store_service.get_or_raise(session, actor.store_id)
    status, detail, mail = await assistant_service.verify(
        session, runtime, conversation, data=data, store_name=store.name
    )
    if mail is not None:
        background.add_task(runtime.mail.send, mail)
    await session.refresh(conversation)
    return Verification(status=status, detail=detail, conversation=conversation_out(conversation))


@router.post("/conversations/{conversation_id}/handoff", response_model=Handoff)
async def ask_for_person(
    conversation_id: str,
    actor: StorefrontActor,
    session: SessionDep,
    runtime: RuntimeDep,
    background: BackgroundTasks,
    token: TokenHeader = None,
) -> Handoff:
    """Hand the conversation to the store's staff ("talk to a person"); always honoured."""
    conversation = await assistant_service.authenticate(
        session, actor, public_id=conversation_id, token=token, lock=True
    )
    handoff, created = await handoff_rules.open_handoff(session, conversation, reason="requested")
    names = await staff_service.public_names(session, actor.store_id, [handoff.assigned_to])
    who = names.get(handoff.assigned_to or "")
    if created:
        event = handoff_rules.handoff_event(handoff, conversation, who=who)
        staff_event = handoff_rules.handoff_event(handoff, conversation, for_staff=True)
        background.add_task(runtime.broker.publish, staff_channel(actor.store_id), staff_event)
        background.add_task(
            runtime.broker.publish, conversation_channel(actor.store_id, conversation.id), event
        )
        background.add_task(
            runtime.notifier.notify,
            actor.store_id,
            handoff_rules.notification(handoff, conversation),
        )
    # The shopper sees who joined by first name at most, never a staff label.
    return handoff_out(handoff, conversation.public_id).model_copy(update={"assigned_to": who})


def handoff_out(handoff: Any, public_id: str) -> Handoff:
    """The API shape of a handoff."""
    return Handoff(
        id=handoff.id,
        conversation_id=public_id,
        reason=handoff.reason,
        summary=handoff.summary,
        status=handoff.status,
        assigned_to=handoff.assigned_to,
        created_at=handoff.created_at,
        taken_at=handoff.taken_at,
        closed_at=handoff.closed_at,
    )
