"""The turn loop: redact → (confirm?) → model rounds with tools → check → stream → store.

No database session is held across a model call (decision 0005): the turn opens short
transactions before, inside tools, and after. When the remote model fails or times out, the
local model answers the turn instead — the shopper gets an answer, not an error.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from floorwalker.assistant.engine import persistence
from floorwalker.assistant.engine.confirmation import is_clear_no, is_clear_yes
from floorwalker.assistant.engine.turn import Model, Round, Turn
from floorwalker.assistant.events import Event, EventType
from floorwalker.assistant.guardrails.checker import ReplyChecker
from floorwalker.assistant.local import entities as local_entities
from floorwalker.assistant.local import templates
from floorwalker.assistant.local.model import LocalModel
from floorwalker.assistant.remote.client import Completion, ModelUnavailable, TextDelta
from floorwalker.assistant.remote.model import RemoteModel
from floorwalker.assistant.runtime import Runtime
from floorwalker.assistant.tools import build_registry
from floorwalker.logging import get_logger

log = get_logger(__name__)

EMPTY_REPLY = (
    "I'm sorry — I couldn't check that answer against the store's records, so I won't guess. "
    "Could you ask in another way, or shall I ask a person to help?"
)
TOO_MANY_ROUNDS = "I'm sorry, I couldn't finish that. Shall I ask a person to help?"


async def run_turn(
    runtime: Runtime, *, store_id: int, public_id: str, text: str
) -> AsyncIterator[Event]:
    """Answer one shopper message, yielding the events to stream.

    The caller has authenticated the conversation. Raises (before the first event) when the
    conversation is missing or closed.
    """
    lock = runtime.conversation_lock(public_id)
    async with lock:
        prepared = await persistence.prepare(
            runtime, store_id=store_id, public_id=public_id, text=text
        )
        ctx = prepared.ctx
        yield Event(EventType.MESSAGE_START, {"conversation_id": public_id})
        if prepared.with_staff:
            for event in prepared.staff_events:
                yield event
            yield Event(
                EventType.DONE,
                {
                    "message_id": None,
                    "user_message_id": prepared.user_message_id,
                    "text": "",
                    "model": None,
                    "with_staff": True,
                },
            )
            return
        ctx.facts.stated_amounts = set(
            local_entities.extract(prepared.redacted, currency=ctx.store.currency).amounts
        )
        outcome = persistence.Outcome()
        try:
            if prepared.open_proposal is not None and is_clear_yes(prepared.redacted):
                async for event in _confirm(runtime, prepared, outcome):
                    yield event
            elif prepared.open_proposal is not None and is_clear_no(prepared.redacted):
                async for event in _decline(runtime, prepared, outcome):
                    yield event
            else:
                async for event in _answer(runtime, prepared, outcome):
                    yield event
        except BaseException:
            # The reply failed: still keep what the shopper wrote.
            await persistence.save_message_only(runtime, prepared)
            raise
        saved = await persistence.save(runtime, prepared, outcome)
        for event in saved.events:
            yield event
        yield Event(
            EventType.DONE,
            {
                "message_id": saved.message_id,
                "user_message_id": prepared.user_message_id,
                "text": outcome.text,
                "model": outcome.model,
                "usage": {
                    "prompt_tokens": outcome.prompt_tokens,
                    "completion_tokens": outcome.completion_tokens,
                },
                # Kinds only: the sentence the check refused stays with staff (it may hold
                # what the check kept from the shopper: a link, an unknown order number).
                "corrections": [
                    {"kind": c.kind, "corrected": c.corrected} for c in outcome.corrections
                ],
            },
        )


async def _confirm(
    runtime: Runtime, prepared: persistence.Prepared, outcome: persistence.Outcome
) -> AsyncIterator[Event]:
    proposal = await persistence.answer_open_proposal(runtime, prepared, confirm=True)
    outcome.model = "rules"
    yield Event(EventType.PROPOSAL_UPDATE, {"proposal": proposal})
    if proposal["status"] == "executed":
        prepared.ctx.facts.executed.add(proposal["tool"])
        text = templates.executed(prepared.ctx.store, proposal["tool"], proposal["result"])
    else:
        detail = str(proposal["result"].get("detail") or "it could not be done")
        text = f"I'm sorry — that didn't go through: {detail.rstrip('.')}. Nothing was changed."
    prepared.ctx.state["frame"] = {"slots": {}}
    outcome.text = text
    yield Event(EventType.TEXT_DELTA, {"text": text})


async def _decline(
    runtime: Runtime, prepared: persistence.Prepared, outcome: persistence.Outcome
) -> AsyncIterator[Event]:
    proposal = await persistence.answer_open_proposal(runtime, prepared, confirm=False)
    outcome.model = "rules"
    yield Event(EventType.PROPOSAL_UPDATE, {"proposal": proposal})
    prepared.ctx.state["frame"] = {"slots": {}}
    outcome.text = (
        "Alright — I've left everything as it was. Is there anything else I can help with?"
    )
    yield Event(EventType.TEXT_DELTA, {"text": outcome.text})


async def _answer(
    runtime: Runtime, prepared: persistence.Prepared, outcome: persistence.Outcome
) -> AsyncIterator[Event]:
    local = runtime.local_model()
    model: Model = RemoteModel(runtime.remote) if runtime.remote is not None else local
    streamed = False
    try:
        async for event in _rounds(runtime, prepared, outcome, model):
            streamed = streamed or event.type is EventType.TEXT_DELTA
            yield event
    except ModelUnavailable as exc:
        log.warning("remote model unavailable; the local model answers", reason=exc.reason)
        outcome.fell_back = exc.reason
        notice: dict[str, Any] = {
            "code": "model_fallback",
            "text": "Answering with the built-in assistant.",
        }
        if streamed:
            # Text of the failed answer already went out; clients drop it and start again.
            notice["discard_text"] = True
        yield Event(EventType.NOTICE, notice)
        outcome.reset()
        async for event in _rounds(runtime, prepared, outcome, local):
            yield event


async def _rounds(
    runtime: Runtime, prepared: persistence.Prepared, outcome: persistence.Outcome, model: Model
) -> AsyncIterator[Event]:
    ctx = prepared.ctx
    registry = build_registry()
    turn = Turn(
        ctx=ctx,
        text=prepared.redacted,
        first=prepared.first,
        history=prepared.history if not isinstance(model, LocalModel) else [],
        registry=registry,
    )
    outcome.turn = turn
    outcome.model = model.name
    checker = ReplyChecker(ctx.facts, ctx.store, ctx.user_texts)
    for _ in range(runtime.max_rounds):
        completion: Completion | None = None
        async for item in model.stream(turn):
            if isinstance(item, TextDelta):
                for sentence in checker.feed(item.text):
                    yield Event(EventType.TEXT_DELTA, {"text": sentence})
            else:
                completion = item
        assert completion is not None
        outcome.prompt_tokens += completion.prompt_tokens
        outcome.completion_tokens += completion.completion_tokens
        if not completion.tool_calls:
            break
        round_ = Round(text=completion.text, calls=completion.tool_calls)
        turn.rounds.append(round_)
        for call in completion.tool_calls:
            yield Event(
                EventType.TOOL_CALL,
                {
                    "id": call.id,
                    "name": call.name,
                    "arguments": _redacted_arguments(call.arguments),
                },
            )
            run = await registry.run(ctx, call_id=call.id, name=call.name, arguments=call.arguments)
            round_.runs.append(run)
            yield Event(
                EventType.TOOL_RESULT,
                {"id": call.id, "name": call.name, "ok": run.ok, "error": run.error},
            )
            if run.cards:
                outcome.cards.extend(run.cards)
                yield Event(EventType.CARDS, {"cards": run.cards})
            if run.proposal is not None:
                outcome.cards.append(run.proposal)
                yield Event(EventType.CONFIRMATION_REQUEST, {"proposal": run.proposal})
            while ctx.events:
                yield ctx.events.pop(0)
    else:
        for sentence in checker.feed(TOO_MANY_ROUNDS + " "):
            yield Event(EventType.TEXT_DELTA, {"text": sentence})
        outcome.failed = True
    for sentence in checker.flush():
        yield Event(EventType.TEXT_DELTA, {"text": sentence})
    outcome.text = checker.text
    outcome.corrections = list(checker.corrections)
    outcome.failed = outcome.failed or bool(turn.scratch.get("failed"))
    if not outcome.text:
        outcome.text = EMPTY_REPLY
        outcome.failed = True
        yield Event(EventType.TEXT_DELTA, {"text": EMPTY_REPLY})


def _redacted_arguments(arguments: str) -> Any:
    """Tool-call arguments as shown to the shopper's client (already placeholders only)."""
    try:
        return json.loads(arguments) if arguments.strip() else {}
    except ValueError:
        return {"raw": arguments[:200]}


async def drain(events: AsyncIterator[Event]) -> list[Event]:
    """Collect every event of a turn (CLI, evaluation, tests)."""
    return [event async for event in events]
