"""Tools: thin typed wrappers over the services, run with the conversation's actor.

A tool declares its arguments as a pydantic model (which becomes the JSON schema the remote
model sees) and never takes a customer id: who is acting comes from the conversation. Read
tools run at once; write tools return a proposal and write nothing (see `proposals`).
`run_tool` is the one entry point: it turns unknown tools, malformed or invalid arguments,
missing verification and service refusals into error results the model can read, never into a
crash and never into another customer's data.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.assistant.context import TurnContext
from floorwalker.assistant.models import Conversation
from floorwalker.assistant.repository import AssistantRepository
from floorwalker.errors import AppError
from floorwalker.kit.actor import ActorKind
from floorwalker.logging import get_logger

log = get_logger(__name__)

Access = Literal["anyone", "verified"]


class ToolArgs(BaseModel):
    """Base of tool arguments: unknown fields are refused, strings stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ToolFailure(Exception):
    """A tool refused: `code` and `detail` go back to the model (and the local templates)."""

    def __init__(self, code: str, detail: str, **data: Any) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.data = data


@dataclass(slots=True)
class ToolOutput:
    """What a tool produced: data for the model, cards for the shopper."""

    data: dict[str, Any]
    cards: list[dict[str, Any]] = field(default_factory=list)
    #: Set by write tools: the proposal the shopper must confirm.
    proposal: dict[str, Any] | None = None


Handler = Callable[[TurnContext, Any], Awaitable[ToolOutput]]


@asynccontextmanager
async def conversation_transaction(
    ctx: TurnContext,
) -> AsyncIterator[tuple[AsyncSession, Conversation]]:
    """A short writing transaction with the turn's conversation loaded (tools that write)."""
    async with ctx.runtime.db.transaction() as session:
        repo = AssistantRepository(session, ctx.store.id)
        yield session, await repo.conversation_or_raise(ctx.conversation_id)


@dataclass(frozen=True, slots=True)
class Tool:
    """One tool: its name, what it does, its arguments, who may use it, and its handler."""

    name: str
    description: str
    args: type[ToolArgs]
    handler: Handler
    access: Access = "anyone"
    writes: bool = False

    def spec(self) -> dict[str, Any]:
        """The tool in the OpenAI function-calling format."""
        schema = self.args.model_json_schema()
        schema.pop("title", None)
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": _inline_refs(schema),
            },
        }


@dataclass(slots=True)
class ToolRun:
    """The outcome of one call: ok or an error, the result the model sees, cards, proposal."""

    call_id: str
    name: str
    arguments: dict[str, Any]
    ok: bool
    result: dict[str, Any]
    cards: list[dict[str, Any]] = field(default_factory=list)
    proposal: dict[str, Any] | None = None

    @property
    def error(self) -> str | None:
        """The error code of a failed call."""
        return None if self.ok else str(self.result.get("error"))


class Registry:
    """The tools a conversation may call, by name."""

    def __init__(self, tools: list[Tool]) -> None:
        self.tools = {tool.name: tool for tool in tools}
        self._specs = [tool.spec() for tool in self.tools.values()]

    def specs(self) -> list[dict[str, Any]]:
        """Every tool in the OpenAI function-calling format (built once)."""
        return self._specs

    async def run(
        self, ctx: TurnContext, *, call_id: str, name: str, arguments: str | dict[str, Any]
    ) -> ToolRun:
        """Run one tool call; every failure becomes an error result."""
        tool = self.tools.get(name)
        if tool is None:
            return _failed(
                call_id,
                name,
                {},
                "unknown_tool",
                f"There is no tool called {name!r}.",
                available=sorted(self.tools),
            )
        if isinstance(arguments, str):
            try:
                parsed = json.loads(arguments) if arguments.strip() else {}
            except ValueError:
                return _failed(
                    call_id, name, {}, "malformed_arguments", "The arguments are not valid JSON."
                )
        else:
            parsed = arguments
        if not isinstance(parsed, dict):
            return _failed(
                call_id, name, {}, "malformed_arguments", "The arguments must be a JSON object."
            )
        try:
            args = tool.args.model_validate(ctx.vault.restore(parsed))
        except ValidationError as exc:
            problems = [
                {"field": ".".join(str(p) for p in err["loc"]), "problem": err["msg"]}
                for err in exc.errors()
            ]
            return _failed(
                call_id,
                name,
                parsed,
                "invalid_arguments",
                "Some arguments are not valid.",
                problems=problems,
            )
        if tool.access == "verified" and ctx.actor.kind is not ActorKind.SHOPPER:
            return _failed(
                call_id,
                name,
                parsed,
                "verification_required",
                "The shopper must be verified first: ask for their order number and the e-mail "
                "address used for it, or for the e-mail address to send a one-time code to.",
            )
        try:
            output = await tool.handler(ctx, args)
        except ToolFailure as exc:
            return _failed(call_id, name, parsed, exc.code, exc.detail, **exc.data)
        except AppError as exc:
            return _failed(call_id, name, parsed, exc.code, exc.detail, **_jsonable(exc.data))
        except Exception:
            log.exception("tool failed", tool=name)
            return _failed(
                call_id, name, parsed, "tool_failed", "The tool failed; try again or hand over."
            )
        ctx.facts.absorb(name, output.data)
        return ToolRun(
            call_id=call_id,
            name=name,
            arguments=parsed,
            ok=True,
            result=output.data,
            cards=output.cards,
            proposal=output.proposal,
        )


def _failed(
    call_id: str, name: str, arguments: dict[str, Any], code: str, detail: str, **data: Any
) -> ToolRun:
    return ToolRun(
        call_id=call_id,
        name=name,
        arguments=arguments,
        ok=False,
        result={"error": code, "detail": detail, **data},
    )


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return result


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """Inline `$defs` references: some OpenAI-compatible servers do not resolve them."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                target = dict(defs[ref.removeprefix("#/$defs/")])
                target.pop("title", None)
                return walk(target)
            return {k: walk(v) for k, v in node.items() if k != "title" or not isinstance(v, str)}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    result: dict[str, Any] = walk(schema)
    return result
