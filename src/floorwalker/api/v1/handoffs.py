"""The staff side of conversations: handoffs, taking over, replying, handing back; the store's
identity secret and the development mail outbox.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Literal

from fastapi import APIRouter, BackgroundTasks, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import Field

from floorwalker.api.deps import AdminActor, SessionDep, WriteActor
from floorwalker.api.params import IdPath
from floorwalker.api.v1.conversations import (
    PING_SECONDS,
    SSE_HEADERS,
    RuntimeDep,
    handoff_out,
)
from floorwalker.assistant import handoff as handoff_rules
from floorwalker.assistant import service as assistant_service
from floorwalker.assistant.events import Event, EventType
from floorwalker.assistant.live import conversation_channel, staff_channel
from floorwalker.assistant.schemas import (
    ConversationMessage,
    Handoff,
    HandoffDetail,
    OutboxMail,
    StaffReply,
)
from floorwalker.auth import staff as staff_service
from floorwalker.kit.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from floorwalker.kit.schemas import InputSchema, Schema
from floorwalker.stores import service as store_service

router = APIRouter(tags=["handoffs"])


@router.get("/handoffs", response_model=Page[Handoff])
async def list_handoffs(
    actor: WriteActor,
    session: SessionDep,
    status: Literal["waiting", "active", "closed"] | None = None,
    cursor: str | None = None,
    limit: int = Query(default=50, ge=1, le=500),
) -> Page[Handoff]:
    """List handoffs, oldest first (filter by status: waiting, active, closed)."""
    size = clamp_limit(limit)
    rows = await assistant_service.list_handoffs(
        session, actor, status=status, after_id=decode_cursor(cursor), limit=size + 1
    )
    items = [handoff_out(h, public_id) for h, public_id in rows[:size]]
    next_cursor = encode_cursor(items[-1].id) if len(rows) > size else None
    return Page[Handoff](items=items, next_cursor=next_cursor)


@router.get("/handoffs/events", responses={200: {"content": {"text/event-stream": {}}}})
async def staff_events(
    actor: WriteActor, runtime: RuntimeDep, request: Request
) -> StreamingResponse:
    """Stay connected for new handoffs and shoppers' messages (server-sent events)."""

    async def events() -> AsyncIterator[str]:
        sequence = 0
        async with runtime.broker.subscribe(staff_channel(actor.store_id)) as subscription:
            iterator = subscription.__aiter__()
            yield Event(EventType.PING, {}).sse(sequence)
            while not await request.is_disconnected():
                try:
                    event = await asyncio.wait_for(iterator.__anext__(), timeout=PING_SECONDS)
                except TimeoutError:
                    event = Event(EventType.PING, {})
                sequence += 1
                yield event.sse(sequence)

    return StreamingResponse(events(), media_type="text/event-stream", headers=SSE_HEADERS)


@router.get("/handoffs/{handoff_id}", response_model=HandoffDetail)
async def read_handoff(handoff_id: IdPath, actor: WriteActor, session: SessionDep) -> HandoffDetail:
    """Read a handoff: summary, transcript at handoff time and the messages since."""
    handoff, conversation, messages = await assistant_service.handoff_detail(
        session, actor, handoff_id=handoff_id
    )
    return HandoffDetail(
        **handoff_out(handoff, conversation.public_id).model_dump(),
        transcript=handoff.transcript,
        messages=[ConversationMessage.model_validate(m) for m in messages],
    )


def _announce(
    background: BackgroundTasks,
    runtime: RuntimeDep,
    store_id: int,
    conversation_id: int,
    event: Event,
    staff_event: Event | None = None,
) -> None:
    """Publish to the shopper's channel, and (the staff version, if any) to staff."""
    background.add_task(
        runtime.broker.publish, conversation_channel(store_id, conversation_id), event
    )
    background.add_task(runtime.broker.publish, staff_channel(store_id), staff_event or event)


@router.post("/handoffs/{handoff_id}/take", response_model=Handoff)
async def take_handoff(
    handoff_id: IdPath,
    actor: WriteActor,
    session: SessionDep,
    runtime: RuntimeDep,
    background: BackgroundTasks,
) -> Handoff:
    """Take over the conversation; the shopper is told someone has joined."""
    handoff, conversation = await handoff_rules.take(session, actor, handoff_id=handoff_id)
    who = await staff_service.public_name(session, actor)
    _announce(
        background,
        runtime,
        actor.store_id,
        conversation.id,
        handoff_rules.handoff_event(handoff, conversation, who=who),
        handoff_rules.handoff_event(handoff, conversation, who=who, for_staff=True),
    )
    return handoff_out(handoff, conversation.public_id)


@router.post("/handoffs/{handoff_id}/reply", response_model=ConversationMessage, status_code=201)
async def reply_to_shopper(
    handoff_id: IdPath,
    data: StaffReply,
    actor: WriteActor,
    session: SessionDep,
    runtime: RuntimeDep,
    background: BackgroundTasks,
) -> ConversationMessage:
    """Write to the shopper; it reaches their open stream at once (or their next poll)."""
    message, conversation = await handoff_rules.reply(
        session, actor, handoff_id=handoff_id, text=data.text
    )
    out = ConversationMessage.model_validate(message)
    body = {"message_id": out.id, "text": out.text, "created_at": out.created_at.isoformat()}
    signed = handoff_rules.shopper_author(await staff_service.public_name(session, actor))
    _announce(
        background,
        runtime,
        actor.store_id,
        conversation.id,
        Event(EventType.STAFF_MESSAGE, {**body, "author": signed}),
        Event(EventType.STAFF_MESSAGE, {**body, "author": out.author}),
    )
    return out


@router.post("/handoffs/{handoff_id}/hand-back", response_model=Handoff)
async def hand_back(
    handoff_id: IdPath,
    actor: WriteActor,
    session: SessionDep,
    runtime: RuntimeDep,
    background: BackgroundTasks,
) -> Handoff:
    """Close the handoff; the assistant answers the shopper again."""
    handoff, conversation = await handoff_rules.hand_back(session, actor, handoff_id=handoff_id)
    _announce(
        background,
        runtime,
        actor.store_id,
        conversation.id,
        handoff_rules.handoff_event(handoff, conversation),
        handoff_rules.handoff_event(handoff, conversation, for_staff=True),
    )
    return handoff_out(handoff, conversation.public_id)


class IdentitySecretSet(InputSchema):
    """A secret to use (at least 32 characters), or nothing for a random one."""

    secret: str | None = Field(default=None, min_length=32, max_length=256)


class IdentitySecret(Schema):
    """The store's new identity secret — shown only now."""

    secret: str
    algorithm: str = "HS256"
    audience: str


@router.post("/store/identity-secret", response_model=IdentitySecret)
async def rotate_identity_secret(
    data: IdentitySecretSet, actor: AdminActor, session: SessionDep, runtime: RuntimeDep
) -> IdentitySecret:
    """Set or rotate the secret the store's site signs shopper identity tokens with."""
    secret = await store_service.rotate_identity_secret(
        session, actor, encryptor=runtime.identity_crypto, secret=data.secret
    )
    store = await store_service.get_or_raise(session, actor.store_id)
    return IdentitySecret(secret=secret, audience=store.slug)


@router.get("/mail/outbox", response_model=list[OutboxMail])
async def read_outbox(
    actor: AdminActor,
    session: SessionDep,
    to: str | None = Query(default=None, max_length=320),
    limit: int = Query(default=20, ge=1, le=200),
) -> list[OutboxMail]:
    """Read the mail the development sender kept (verification codes), newest first."""
    rows = await assistant_service.outbox(session, actor.store_id, to_address=to, limit=limit)
    return [OutboxMail.model_validate(r) for r in rows]
