"""The built-in local model: no key, no network, English only, answers from tool results.

It speaks to the loop exactly as a remote model does — one round at a time, asking for tool
calls or giving the final text — so the same tools, permissions, confirmations and checks apply.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator

from floorwalker.assistant.engine.turn import Turn
from floorwalker.assistant.local.compose import next_step
from floorwalker.assistant.local.dialogue import first_step
from floorwalker.assistant.local.entities import Entities, extract
from floorwalker.assistant.local.frame import Step, View
from floorwalker.assistant.local.intents import IntentClassifier, shared_classifier
from floorwalker.assistant.local.language import SORRY, detect
from floorwalker.assistant.remote.client import Completion, TextDelta, ToolCallRequest
from floorwalker.kit import heap

ENGLISH_ONLY = (
    "I'm sorry — I can only help in English for now. Could you write to me in English, or "
    "would you like me to ask a person to help?"
)


def warm() -> None:
    """Train the process-wide intent classifier now (about 0.3 s), not in a shopper's turn."""
    shared_classifier()
    heap.freeze_long_lived()


class LocalModel:
    """Intent recognition, entity extraction, a dialogue frame and templates."""

    name = "local"

    def __init__(self, classifier: IntentClassifier | None = None) -> None:
        self._classifier = classifier

    @property
    def classifier(self) -> IntentClassifier:
        """The intent classifier (trained on first use)."""
        if self._classifier is None:
            self._classifier = shared_classifier()
        return self._classifier

    def _view(self, turn: Turn) -> View:
        entities = turn.scratch.get("entities")
        if not isinstance(entities, Entities):
            awaiting = turn.ctx.state.get("frame", {}).get("awaiting")
            entities = extract(turn.text, currency=turn.ctx.store.currency, awaiting=awaiting)
            turn.scratch["entities"] = entities
        return View(
            ctx=turn.ctx,
            text=turn.text,
            first=turn.first,
            entities=entities,
            scratch=turn.scratch,
            runs=turn.runs,
        )

    def decide(self, turn: Turn) -> Step:
        """This round's step (exposed for tests and the scenario suite)."""
        view = self._view(turn)
        if not turn.rounds:
            language = detect(turn.text)
            if language != "en":
                turn.ctx.language = language
                text = f"{SORRY[language]}\n\n{ENGLISH_ONLY}" if language in SORRY else ENGLISH_ONLY
                return Step(text=text)
            guess = self.classifier.predict(turn.text)
            turn.scratch["confidence"] = guess.confidence
            return first_step(view, guess)
        return next_step(view, str(turn.scratch.get("then", "compose")))

    async def stream(self, turn: Turn) -> AsyncIterator[TextDelta | Completion]:
        """One round: tool calls, or the reply streamed sentence by sentence."""
        step = self.decide(turn)
        if step.failed:
            turn.scratch["failed"] = True
        if step.calls:
            turn.scratch["then"] = step.then
            index = len(turn.rounds)
            calls = [
                ToolCallRequest(id=f"local_{index}_{i}", name=c.name, arguments=json.dumps(c.args))
                for i, c in enumerate(step.calls)
            ]
            yield Completion(tool_calls=calls)
            return
        text = str(turn.scratch.pop("prefix", "")) + (step.text or "")
        for piece in re.split(r"(?<=[.!?\n])(?=\s)", text):
            if piece:
                yield TextDelta(piece)
        yield Completion(text=text)
