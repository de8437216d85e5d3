"""Browsing and commerce events in (batch), and a read-back for checking an integration."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime

from floorwalker.api.deps import ReadActor, SessionDep, get_api_actor
from floorwalker.api.params import IdQuery
from floorwalker.auth.errors import InsufficientScope
from floorwalker.events import service as events_service
from floorwalker.events.schemas import Event, EventBatchIn, EventType, IngestResult
from floorwalker.kit.actor import Actor, Scope
from floorwalker.kit.pagination import Page, clamp_limit, decode_cursor, encode_cursor

router = APIRouter(tags=["events"])


async def _event_sender(actor: Annotated[Actor, Depends(get_api_actor)]) -> Actor:
    """A secret key with the write scope, or the storefront's publishable key."""
    if not (actor.has_scope(Scope.WRITE) or actor.has_scope(Scope.PUBLISHABLE)):
        raise InsufficientScope("write or publishable")
    return actor


SenderActor = Annotated[Actor, Depends(_event_sender)]


@router.post("/events", response_model=IngestResult)
async def post_events(
    data: EventBatchIn,
    actor: SenderActor,
    session: SessionDep,
    strict: bool = Query(default=False, description="Store nothing if any event is invalid."),
) -> IngestResult:
    """Store a batch of events; the answer comes only after they are committed."""
    return await events_service.ingest(session, actor, events=data.events, strict=strict)


@router.get("/events", response_model=Page[Event])
async def list_events(
    actor: ReadActor,
    session: SessionDep,
    customer_id: IdQuery = None,
    session_id: str | None = None,
    type: EventType | None = None,
    since: AwareDatetime | None = None,
    cursor: str | None = None,
    limit: int = Query(default=50, ge=1, le=500),
) -> Page[Event]:
    """List stored events, oldest first, by customer, session, type or time."""
    size = clamp_limit(limit)
    rows = await events_service.list_events(
        session,
        actor,
        customer_id=customer_id,
        session_id=session_id,
        event_type=type.value if type else None,
        since=since,
        after_id=decode_cursor(cursor),
        limit=size + 1,
    )
    items = [Event.model_validate(row) for row in rows[:size]]
    return Page[Event](
        items=items, next_cursor=encode_cursor(items[-1].id) if len(rows) > size else None
    )
