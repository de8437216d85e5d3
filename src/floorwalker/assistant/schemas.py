"""Pydantic schemas of the assistant: what the conversation and staff APIs take and return."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, model_validator

from floorwalker.kit.ids import RecordId
from floorwalker.kit.schemas import InputSchema, Schema

MAX_MESSAGE_CHARS = 4000


class ConversationStart(InputSchema):
    """A new conversation: anonymous, or with the retailer's signed shopper identity token."""

    identity_token: str | None = Field(
        default=None,
        max_length=4000,
        description="A JWT (HS256) the retailer's site signed with the store's identity secret.",
    )
    session_id: str | None = Field(
        default=None, max_length=100, description="The storefront's anonymous session id."
    )
    channel: Literal["widget", "api", "cli"] = "widget"
    language: str | None = Field(default=None, max_length=16)


class ConversationMessage(Schema):
    """One entry of a conversation's transcript, as the shopper sees it."""

    id: int
    role: Literal["user", "assistant", "staff", "system"]
    text: str
    cards: list[dict[str, Any]] = Field(default_factory=list)
    author: str | None = None
    created_at: dt.datetime


class Conversation(Schema):
    """A conversation's state."""

    id: str = Field(description="The conversation id (`conv_…`).")
    status: Literal["open", "waiting_for_human", "with_human", "closed"]
    verified: bool
    verified_via: str | None
    channel: str
    language: str
    model: str
    turns: int
    prompt_tokens: int
    completion_tokens: int
    created_at: dt.datetime
    last_activity_at: dt.datetime


class ConversationCreated(Schema):
    """A started conversation, its token (shown once) and the assistant's welcome."""

    conversation: Conversation
    token: str = Field(
        description="Send it as `X-Conversation-Token` on every call about this conversation."
    )
    messages: list[ConversationMessage]


class MessageCreate(InputSchema):
    """A shopper's message."""

    text: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)


class FeedbackCreate(InputSchema):
    """A rating of one of the assistant's replies."""

    message_id: RecordId
    rating: Literal["up", "down"]
    comment: str = Field(default="", max_length=2000)


class Feedback(Schema):
    """A stored rating."""

    message_id: int
    rating: Literal["up", "down"]
    comment: str
    updated_at: dt.datetime


class VerificationRequest(InputSchema):
    """Verify in the chat: an identity token; order number + e-mail; an e-mail (a code is sent);
    or the code.
    """

    identity_token: str | None = Field(default=None, max_length=4000)
    order_number: str | None = Field(default=None, max_length=64)
    email: str | None = Field(default=None, max_length=320)
    code: str | None = Field(default=None, pattern=r"^\s*\d{6}\s*$")

    @model_validator(mode="after")
    def _one_way(self) -> VerificationRequest:
        ways = [
            self.identity_token is not None,
            self.order_number is not None,
            self.code is not None,
            self.email is not None and self.order_number is None,
        ]
        if sum(ways) != 1:
            raise ValueError(
                "give exactly one of: identity_token; order_number with email; email; code"
            )
        if self.order_number is not None and self.email is None:
            raise ValueError("order_number needs the email used for the order")
        return self


class Verification(Schema):
    """The outcome of a verification step."""

    status: Literal["verified", "code_sent", "failed"]
    detail: str
    conversation: Conversation


class Proposal(Schema):
    """A change waiting for (or after) the shopper's answer."""

    proposal_id: str
    tool: str
    status: Literal["proposed", "confirmed", "declined", "expired", "executed", "failed"]
    summary: str
    result: dict[str, Any]
    expires_at: str
    decided_at: str | None


class ProposalAnswer(Schema):
    """The proposal after the shopper's answer, and what the assistant said about it."""

    proposal: Proposal
    message: ConversationMessage


class Handoff(Schema):
    """A conversation handed to people."""

    id: int
    conversation_id: str
    reason: str
    summary: str
    status: Literal["waiting", "active", "closed"]
    assigned_to: str | None
    created_at: dt.datetime
    taken_at: dt.datetime | None
    closed_at: dt.datetime | None


class HandoffDetail(Handoff):
    """A handoff with the transcript as it was and the messages since."""

    transcript: list[dict[str, Any]]
    messages: list[ConversationMessage]


class StaffReply(InputSchema):
    """A staff member's message to the shopper."""

    text: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)


class OutboxMail(Schema):
    """A message the development mail sender kept."""

    id: int
    to_address: str
    subject: str
    body: str
    purpose: str
    created_at: dt.datetime


class TurnResult(Schema):
    """A whole turn, for clients that do not stream (`?stream=false`)."""

    message_id: int | None
    text: str
    events: list[dict[str, Any]]


# ---------------------------------------------------------------- staff console


class ConversationFilter(InputSchema):
    """Which conversations a staff list shows; every field left out matches everything."""

    since: dt.datetime | None = None
    until: dt.datetime | None = None
    status: Literal["open", "waiting_for_human", "with_human", "closed"] | None = None
    #: Conversations in which the assistant used one of these tools.
    tool_names: list[str] | None = None
    handed_off: bool | None = None
    #: up / down: at least one such rating; none: no rating at all.
    rating: Literal["up", "down", "none"] | None = None
    customer_id: RecordId | None = None
    #: Words somebody wrote (shopper, assistant or staff), case-insensitive.
    text: str | None = Field(default=None, max_length=200)


class ShopperIdentity(Schema):
    """Who the shopper is, as the store knows them (verified conversations only)."""

    customer_id: int
    name: str
    email: str | None
    external_id: str | None
    verified_via: str | None


class StaffConversation(Schema):
    """One row of the staff conversation list."""

    id: str
    status: Literal["open", "waiting_for_human", "with_human", "closed"]
    channel: str
    language: str
    model: str
    turns: int
    created_at: dt.datetime
    last_activity_at: dt.datetime
    shopper: ShopperIdentity | None
    session_id: str | None
    #: The shopper's first message (PII redacted), shortened.
    preview: str
    #: Tools the assistant used, in first-use order.
    tools: list[str]
    handoff_status: Literal["waiting", "active", "closed"] | None
    handoff_reason: str | None
    helpful: int
    not_helpful: int


class ToolCallView(Schema):
    """A tool call the assistant made (arguments as stored: PII redacted)."""

    id: str
    name: str
    arguments: Any


class StaffMessage(Schema):
    """One entry of a transcript as staff see it: tool traffic and ratings included."""

    id: int
    role: Literal["user", "assistant", "tool", "staff", "system"]
    text: str
    author: str | None
    model: str | None
    created_at: dt.datetime
    tool_calls: list[ToolCallView]
    tool_name: str | None
    tool_call_id: str | None
    #: For tool messages: whether the tool succeeded, its error code, its (redacted) result.
    tool_ok: bool | None
    tool_error: str | None
    tool_result: dict[str, Any] | None
    cards: list[dict[str, Any]]
    corrections: list[dict[str, Any]]
    rating: Literal["up", "down"] | None
    rating_comment: str | None


class StaffProposal(Proposal):
    """A proposal with the reply that showed it."""

    message_id: int | None
    created_at: dt.datetime


class StaffTranscript(Schema):
    """A whole conversation for staff: who, what was said and done, proposals, handoffs."""

    conversation: StaffConversation
    prompt_tokens: int
    completion_tokens: int
    messages: list[StaffMessage]
    proposals: list[StaffProposal]
    handoffs: list[Handoff]


class HandoffCounts(Schema):
    """How many handoffs wait for someone, and how many staff are handling now."""

    waiting: int
    active: int
