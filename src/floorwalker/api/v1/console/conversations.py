"""Conversations for staff: a filtered list, newest first, and whole transcripts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from floorwalker.api.deps import ReadActor, SessionDep
from floorwalker.api.v1.insights.common import MAX_ID, From, To
from floorwalker.assistant import service as assistant_service
from floorwalker.assistant.schemas import (
    ConversationFilter,
    StaffConversation,
    StaffTranscript,
)
from floorwalker.insights.analytics.conversations import TOPICS
from floorwalker.insights.periods import period_of
from floorwalker.kit.pagination import clamp_limit, decode_cursor, encode_cursor
from floorwalker.kit.schemas import Schema
from floorwalker.stores import service as store_service

router = APIRouter()

ConversationId = Annotated[str, Path(min_length=1, max_length=48)]


class TopicLabel(Schema):
    """A topic: what the assistant was asked to do, named after the tools it used."""

    key: str
    label: str


class ConversationRow(StaffConversation):
    """A conversation of the list, with its topics."""

    topics: list[TopicLabel]


class ConversationPage(Schema):
    """One page of conversations, newest first; `total` counts every match."""

    items: list[ConversationRow]
    next_cursor: str | None
    total: int


class Transcript(StaffTranscript):
    """A transcript with the conversation's topics."""

    topics: list[TopicLabel]


def _words(value: str | None) -> str | None:
    """A filter value without NUL characters (PostgreSQL text cannot hold them), or None."""
    cleaned = (value or "").replace("\x00", "").strip()
    return cleaned or None


def topic_of(tool: str) -> TopicLabel:
    """The topic a tool's use puts a conversation in (the analytics' own mapping)."""
    key, label = TOPICS.get(tool, (tool, tool.replace("_", " ").capitalize()))
    return TopicLabel(key=key, label=label)


def topics_of(tools: list[str]) -> list[TopicLabel]:
    """Distinct topics of some tools, in first-use order."""
    seen: dict[str, TopicLabel] = {}
    for tool in tools:
        topic = topic_of(tool)
        seen.setdefault(topic.key, topic)
    return list(seen.values())


def tools_of(topic: str) -> list[str]:
    """The tools whose use puts a conversation in a topic (a tool's own name works too)."""
    return [name for name, (key, _) in TOPICS.items() if key == topic] or [topic]


@router.get("/topics", response_model=list[TopicLabel])
async def list_topics(actor: ReadActor) -> list[TopicLabel]:
    """List the topics conversations are sorted into (for the conversation filter)."""
    return topics_of(list(TOPICS))


@router.get("/conversations", response_model=ConversationPage)
async def list_conversations(
    actor: ReadActor,
    session: SessionDep,
    start: From = None,
    end: To = None,
    status: Literal["open", "waiting_for_human", "with_human", "closed"] | None = None,
    topic: str | None = Query(default=None, max_length=64, description="A topic key."),
    handoff: Literal["yes", "no"] | None = Query(default=None, description="Handed to staff?"),
    rating: Literal["up", "down", "none"] | None = Query(
        default=None, description="Rated helpful, not helpful, or not rated."
    ),
    customer_id: int | None = Query(default=None, ge=1, le=MAX_ID),
    q: str | None = Query(default=None, max_length=200, description="Words anyone wrote."),
    cursor: str | None = None,
    limit: int = Query(default=50, ge=1, le=200),
) -> ConversationPage:
    """List conversations, newest first: by start date (store time; none given: all), status,
    topic, handoff, rating, customer or words."""
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    if start is not None or end is not None:
        store = await store_service.get_or_raise(session, actor.store_id)
        period = period_of(store.timezone, start, end)
        since, until = period.since, period.until
    filters = ConversationFilter(
        since=since,
        until=until,
        status=status,
        tool_names=tools_of(topic) if (topic := _words(topic)) else None,
        handed_off=None if handoff is None else handoff == "yes",
        rating=rating,
        customer_id=customer_id,
        text=_words(q),
    )
    before = decode_cursor(cursor) or None
    rows, next_before, total = await assistant_service.find_conversations(
        session, actor, filters=filters, before_id=before, limit=clamp_limit(limit)
    )
    return ConversationPage(
        items=[ConversationRow(**row.model_dump(), topics=topics_of(row.tools)) for row in rows],
        next_cursor=encode_cursor(next_before) if next_before is not None else None,
        total=total,
    )


@router.get("/conversations/{conversation_id}", response_model=Transcript)
async def read_transcript(
    conversation_id: ConversationId, actor: ReadActor, session: SessionDep
) -> Transcript:
    """Read a whole conversation: the shopper, every message with the tools the assistant
    used, ratings, proposals and handoffs (PII redacted as stored)."""
    transcript = await assistant_service.staff_transcript(session, actor, public_id=conversation_id)
    return Transcript(**transcript.model_dump(), topics=topics_of(transcript.conversation.tools))
