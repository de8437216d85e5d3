"""A fake OpenAI-compatible chat-completions server over real HTTP, scripted per test.

    fake = FakeOpenAI().start()
    fake.add(Reply(tool_calls=[ToolCall("search_products", {"query": "red dress"})]))
    fake.add(Reply(text="Here are two red dresses."))
    ... point FLOORWALKER_MODEL_BASE_URL at fake.url ...
    fake.requests  # every request body received, in order

Each request takes the next scripted reply (or `default` when the script is empty, or a
`responder(body)` callable). Replies can stream (SSE chunks, as the real API does when the
request says `stream: true`), fail with a status (429 with Retry-After, 500), stall longer than
the client's timeout, or carry malformed JSON — everything the assistant must survive.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


@dataclass
class ToolCall:
    """A tool call the fake model makes; `arguments` as a dict, or raw (possibly broken) text."""

    name: str
    arguments: dict[str, Any] | str = field(default_factory=dict)
    id: str | None = None


@dataclass
class Reply:
    """One scripted answer."""

    text: str | None = None
    tool_calls: list[ToolCall] = field(default_factory=list)
    #: Seconds to wait before answering (longer than the client's timeout = a timeout).
    delay: float = 0.0
    #: An error status instead of an answer (429, 500, ...).
    status: int = 200
    retry_after: float | None = None
    #: A raw body to send instead of a well-formed answer.
    raw: str | None = None
    prompt_tokens: int = 50
    completion_tokens: int = 20
    #: Characters per streamed text chunk.
    chunk: int = 8


class FakeOpenAI:
    """The scripted server; `start()` serves it on a loopback port in a background thread."""

    def __init__(self) -> None:
        self.script: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.default: Reply | None = Reply(text="I am a fake model.")
        self.responder: Callable[[dict[str, Any]], Reply] | None = None
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        app = Starlette(routes=[Route("/v1/chat/completions", self._chat, methods=["POST"])])
        self._server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self._thread = threading.Thread(target=lambda: asyncio.run(self._server.serve()))
        self._thread.daemon = True

    def add(self, *replies: Reply) -> FakeOpenAI:
        """Queue replies, answered in order."""
        self.script.extend(replies)
        return self

    def start(self) -> FakeOpenAI:
        """Serve on loopback; returns self."""
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the fake OpenAI server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving."""
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def _next(self, body: dict[str, Any]) -> Reply:
        if self.script:
            return self.script.popleft()
        if self.responder is not None:
            return self.responder(body)
        if self.default is not None:
            return self.default
        return Reply(status=500, raw='{"error": {"message": "script exhausted"}}')

    async def _chat(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append(body)
        reply = self._next(body)
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.status != 200:
            headers = {"retry-after": str(reply.retry_after)} if reply.retry_after else {}
            content = reply.raw or json.dumps({"error": {"message": f"status {reply.status}"}})
            return Response(
                content, status_code=reply.status, headers=headers, media_type="application/json"
            )
        if reply.raw is not None:
            media = "text/event-stream" if body.get("stream") else "application/json"
            return Response(reply.raw, media_type=media)
        model = str(body.get("model", "fake"))
        if body.get("stream"):
            return StreamingResponse(_chunks(reply, model), media_type="text/event-stream")
        return JSONResponse(_whole(reply, model))


def _calls(reply: Reply) -> list[dict[str, Any]]:
    return [
        {
            "id": call.id or f"call_{index}",
            "type": "function",
            "function": {
                "name": call.name,
                "arguments": call.arguments
                if isinstance(call.arguments, str)
                else json.dumps(call.arguments),
            },
        }
        for index, call in enumerate(reply.tool_calls)
    ]


def _whole(reply: Reply, model: str) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": reply.text}
    if reply.tool_calls:
        message["tool_calls"] = _calls(reply)
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": "tool_calls" if reply.tool_calls else "stop",
            }
        ],
        "usage": {
            "prompt_tokens": reply.prompt_tokens,
            "completion_tokens": reply.completion_tokens,
            "total_tokens": reply.prompt_tokens + reply.completion_tokens,
        },
    }


async def _chunks(reply: Reply, model: str) -> AsyncIterator[str]:
    def frame(delta: dict[str, Any], finish: str | None = None) -> str:
        chunk = {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        return f"data: {json.dumps(chunk)}\n\n"

    yield frame({"role": "assistant", "content": ""})
    text = reply.text or ""
    for start in range(0, len(text), reply.chunk):
        yield frame({"content": text[start : start + reply.chunk]})
    for index, call in enumerate(_calls(reply)):
        arguments = call["function"]["arguments"]
        half = len(arguments) // 2
        # Split the arguments across two chunks, as real servers do.
        yield frame(
            {
                "tool_calls": [
                    {
                        "index": index,
                        "id": call["id"],
                        "type": "function",
                        "function": {
                            "name": call["function"]["name"],
                            "arguments": arguments[:half],
                        },
                    }
                ]
            }
        )
        yield frame({"tool_calls": [{"index": index, "function": {"arguments": arguments[half:]}}]})
    yield frame({}, "tool_calls" if reply.tool_calls else "stop")
    usage = {
        "prompt_tokens": reply.prompt_tokens,
        "completion_tokens": reply.completion_tokens,
        "total_tokens": reply.prompt_tokens + reply.completion_tokens,
    }
    yield f"data: {json.dumps({'id': 'chatcmpl-fake', 'choices': [], 'usage': usage})}\n\n"
    yield "data: [DONE]\n\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
