"""The events a turn streams to the shopper, as server-sent events.

Each event is `event: <type>` plus one line of JSON `data`; docs/assistant.md lists every type
with its fields. The same events are published on the conversation's live channel, so a second
open stream (or a staff console) sees what the shopper sees.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EventType(StrEnum):
    """What an event announces."""

    #: A reply begins: {"conversation_id", "turn"}.
    MESSAGE_START = "message_start"
    #: A piece of the reply's text: {"text"}.
    TEXT_DELTA = "text_delta"
    #: A tool is being called: {"id", "name", "arguments"} (arguments redacted).
    TOOL_CALL = "tool_call"
    #: A tool finished: {"id", "name", "ok", "error"}.
    TOOL_RESULT = "tool_result"
    #: Cards to show with the reply: {"cards": [{"type": "product" | "order" | "cart" | ...}]}.
    CARDS = "cards"
    #: A change waits for the shopper's yes: {"proposal": {...}}.
    CONFIRMATION_REQUEST = "confirmation_request"
    #: A proposal was executed, declined, expired or failed: {"proposal": {...}}.
    PROPOSAL_UPDATE = "proposal_update"
    #: The shopper's identity changed: {"status": "verified" | "code_sent" | "failed", ...}.
    VERIFICATION = "verification"
    #: A handoff to people changed: {"handoff_id", "status", "reason"}.
    HANDOFF = "handoff"
    #: A member of staff wrote to the shopper: {"message_id", "text", "author", "created_at"}.
    STAFF_MESSAGE = "staff_message"
    #: The shopper wrote while staff handle the conversation (for staff streams): {...}.
    SHOPPER_MESSAGE = "shopper_message"
    #: Something the shopper should know that is not part of the reply: {"code", "text"}.
    NOTICE = "notice"
    #: The reply is complete: {"message_id", "text", "model", "usage", "corrections"}.
    DONE = "done"
    #: The turn failed: {"error", "detail"}; no reply was stored.
    ERROR = "error"
    #: Keeps idle live streams open through proxies: {}.
    PING = "ping"


@dataclass(frozen=True, slots=True)
class Event:
    """One event of a turn or of a conversation's live channel."""

    type: EventType
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The event as a plain mapping (published on live channels)."""
        return {"type": self.type.value, "data": self.data}

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> Event:
        """The event `to_dict` produced."""
        return cls(EventType(value["type"]), dict(value.get("data") or {}))

    def sse(self, event_id: int | None = None) -> str:
        """The event in the text/event-stream wire format."""
        head = f"id: {event_id}\n" if event_id is not None else ""
        body = json.dumps(self.data, separators=(",", ":"), ensure_ascii=False, default=str)
        return f"{head}event: {self.type.value}\ndata: {body}\n\n"
