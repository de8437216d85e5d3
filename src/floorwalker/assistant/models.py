"""ORM models of the assistant context: conversations and everything said or done in them.

Text is stored with PII redacted (see `guardrails.redaction`). Values the shopper typed that a
tool needs later (an e-mail for verification, a new address) live only in the conversation's
encrypted vault, never in the transcript.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from floorwalker.kit.clock import utcnow
from floorwalker.kit.crypto import ASSISTANT_VAULT, sealed
from floorwalker.kit.db import Base, BigId, IdMixin, StoreScoped, Timestamps


class Conversation(IdMixin, StoreScoped, Timestamps, Base):
    """One shopper's conversation with the assistant (and, after a handoff, with staff)."""

    __tablename__ = "conversations"
    __table_args__ = (
        Index("ix_conversations_store_customer", "store_id", "customer_id"),
        Index("ix_conversations_store_activity", "store_id", "last_activity_at"),
    )

    #: The id shoppers and staff use (`conv_…`); unguessable, unlike the integer key.
    public_id: Mapped[str] = mapped_column(String(48), unique=True)
    #: SHA-256 of the conversation token the shopper's client holds.
    token_digest: Mapped[str] = mapped_column(String(64))
    #: anonymous or shopper (verified).
    actor_kind: Mapped[str] = mapped_column(String(16), default="anonymous")
    customer_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("customers.id", ondelete="SET NULL"), default=None
    )
    #: How the shopper was verified: token, order_email, email_code or cli.
    verified_via: Mapped[str | None] = mapped_column(String(16), default=None)
    #: The widget's anonymous session id, so events and the conversation can be joined.
    session_id: Mapped[str | None] = mapped_column(String(100), default=None)
    #: widget, api, cli or eval.
    channel: Mapped[str] = mapped_column(String(16), default="widget")
    language: Mapped[str] = mapped_column(String(16), default="en")
    #: open, waiting_for_human, with_human or closed.
    status: Mapped[str] = mapped_column(String(24), default="open")
    #: The model that answered the last turn ("local" or the remote model's name).
    model: Mapped[str] = mapped_column(String(120), default="")
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    turns: Mapped[int] = mapped_column(Integer, default=0)
    #: Consecutive turns the assistant could not help with (drives handoff on failure).
    failed_turns: Mapped[int] = mapped_column(Integer, default=0)
    #: The dialogue frame and facts the assistant carries across turns.
    state: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: Cart lines: [{"variant_id": int, "quantity": int}].
    cart: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    #: PII the shopper typed, by placeholder, encrypted (see guardrails.redaction.Vault).
    vault_encrypted: Mapped[str | None] = mapped_column(
        Text, default=None, info=sealed(ASSISTANT_VAULT)
    )
    last_activity_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Message(IdMixin, StoreScoped, Base):
    """One entry of a transcript: the shopper, the assistant, a tool, staff or the system."""

    __tablename__ = "conversation_messages"
    __table_args__ = (Index("ix_conversation_messages_conv", "conversation_id", "id"),)

    conversation_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("conversations.id", ondelete="CASCADE")
    )
    #: user, assistant, tool, staff or system.
    role: Mapped[str] = mapped_column(String(16))
    #: What was said, PII redacted.
    text: Mapped[str] = mapped_column(Text, default="")
    #: For assistant messages: [{"id", "name", "arguments"}] (arguments redacted).
    tool_calls: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    #: For tool messages: the call they answer and the tool's name.
    tool_call_id: Mapped[str | None] = mapped_column(String(64), default=None)
    tool_name: Mapped[str | None] = mapped_column(String(64), default=None)
    #: For tool messages: the result (redacted); otherwise extra data.
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: Product, order and proposal cards shown with the message.
    cards: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    #: What the reply check changed before the message was sent.
    corrections: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    model: Mapped[str | None] = mapped_column(String(120), default=None)
    #: The staff member who wrote a staff message.
    author: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Proposal(IdMixin, StoreScoped, Timestamps, Base):
    """A change the assistant prepared and the shopper must confirm before it happens."""

    __tablename__ = "assistant_proposals"
    __table_args__ = (Index("ix_assistant_proposals_conv", "conversation_id", "status"),)

    public_id: Mapped[str] = mapped_column(String(48), unique=True)
    conversation_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("conversations.id", ondelete="CASCADE")
    )
    #: The assistant message that showed it (set when the reply is stored).
    message_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("conversation_messages.id", ondelete="SET NULL"), default=None
    )
    #: The write tool, e.g. cancel_order.
    tool: Mapped[str] = mapped_column(String(64))
    #: The executing function's arguments, exactly as they will be passed.
    arguments: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: The plan the shopper was shown (amounts, movements, summary).
    plan: Mapped[dict[str, Any]] = mapped_column(default=dict)
    summary: Mapped[str] = mapped_column(Text, default="")
    #: proposed, declined, expired, executed or failed.
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    expires_at: Mapped[dt.datetime] = mapped_column()
    decided_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class Feedback(IdMixin, StoreScoped, Timestamps, Base):
    """A shopper's rating of one assistant reply (one per reply; the latest wins)."""

    __tablename__ = "conversation_feedback"
    __table_args__ = (UniqueConstraint("message_id"),)

    conversation_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("conversation_messages.id", ondelete="CASCADE")
    )
    #: 1 (helpful) or -1 (not helpful).
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")


class Handoff(IdMixin, StoreScoped, Base):
    """A conversation handed to people: why, a summary, the transcript, who took it."""

    __tablename__ = "handoffs"
    __table_args__ = (Index("ix_handoffs_store_status", "store_id", "status"),)

    conversation_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    #: requested, repeated_failure, upset, out_of_scope.
    reason: Mapped[str] = mapped_column(String(32))
    summary: Mapped[str] = mapped_column(Text, default="")
    #: The redacted transcript when the handoff was made.
    transcript: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    #: waiting, active or closed.
    status: Mapped[str] = mapped_column(String(16), default="waiting")
    assigned_to: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    taken_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    closed_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class ShopperVerification(IdMixin, StoreScoped, Base):
    """One attempt to verify a shopper in chat: order number + e-mail, or an e-mailed code."""

    __tablename__ = "shopper_verifications"
    __table_args__ = (Index("ix_shopper_verifications_conv", "conversation_id", "created_at"),)

    conversation_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("conversations.id", ondelete="CASCADE")
    )
    #: order_email or email_code.
    method: Mapped[str] = mapped_column(String(16))
    #: pending (a code was sent), verified, failed or expired.
    status: Mapped[str] = mapped_column(String(16))
    customer_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("customers.id", ondelete="CASCADE"), default=None
    )
    #: SHA-256 of the one-time code (email_code only).
    code_digest: Mapped[str | None] = mapped_column(String(64), default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class OutboxMail(IdMixin, StoreScoped, Base):
    """A message the development mail sender kept instead of sending."""

    __tablename__ = "mail_outbox"

    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    #: Why it was sent, e.g. verification_code.
    purpose: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
