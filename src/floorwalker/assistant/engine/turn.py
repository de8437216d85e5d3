"""One turn as the models see it, and the protocol both kinds of model implement."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from floorwalker.assistant.context import TurnContext
from floorwalker.assistant.remote.client import Completion, TextDelta, ToolCallRequest
from floorwalker.assistant.tools.base import Registry, ToolRun


@dataclass(slots=True)
class Round:
    """One model call of a turn: what it said, which tools it called, what they returned."""

    text: str
    calls: list[ToolCallRequest]
    runs: list[ToolRun] = field(default_factory=list)


@dataclass(slots=True)
class Turn:
    """The shopper's message and everything the turn has done so far."""

    ctx: TurnContext
    #: The message, PII redacted.
    text: str
    #: Whether this is the shopper's first message in the conversation.
    first: bool
    #: Earlier messages in the Chat Completions format (redacted).
    history: list[dict[str, Any]]
    registry: Registry
    rounds: list[Round] = field(default_factory=list)
    #: The model's own notes between rounds (the local model keeps its plan here).
    scratch: dict[str, Any] = field(default_factory=dict)

    @property
    def runs(self) -> list[ToolRun]:
        """Every tool run of the turn, in order."""
        return [run for r in self.rounds for run in r.runs]


class Model(Protocol):
    """A model behind the loop: streams text, or asks for tool calls, one round at a time."""

    name: str

    def stream(self, turn: Turn) -> AsyncIterator[TextDelta | Completion]:
        """One round: text deltas, then the Completion (text and/or tool calls)."""
        ...
