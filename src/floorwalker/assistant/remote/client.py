"""A client for OpenAI-compatible chat completions with tool calling and streaming.

Speaks the Chat Completions wire format over httpx, so one client reaches ChatGPT, Azure OpenAI,
Ollama, vLLM and llama.cpp. Retries 429, 5xx, timeouts and connection errors with exponential
backoff (honouring Retry-After) as long as nothing has been streamed yet; every other failure
raises `ModelUnavailable`, and the caller answers with the local model instead.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from floorwalker.logging import get_logger

log = get_logger(__name__)

DEFAULT_BASE_URL = "https://api.openai.com/v1"
#: Longest wait between retries, whatever Retry-After says.
MAX_BACKOFF_SECONDS = 8.0


class ModelUnavailable(Exception):
    """The remote model could not answer (after retries); `reason` says why."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(slots=True)
class ToolCallRequest:
    """A tool call as the model wrote it; `arguments` is the raw JSON text."""

    id: str
    name: str
    arguments: str


@dataclass(slots=True)
class Completion:
    """One finished completion: text, tool calls, token usage."""

    text: str = ""
    tool_calls: list[ToolCallRequest] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    finish_reason: str | None = None


@dataclass(slots=True)
class TextDelta:
    """A piece of streamed text."""

    text: str


def is_loopback(url: str) -> bool:
    """Whether a URL points at this machine (the only place tests may reach)."""
    host = (urlsplit(url).hostname or "").strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ChatClient:
    """Streams chat completions from one OpenAI-compatible endpoint."""

    def __init__(
        self,
        *,
        base_url: str | None,
        api_key: str | None,
        model: str,
        timeout: float,
        max_retries: int,
        allow_remote: bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.model = model
        self.timeout = timeout
        self.max_retries = max_retries
        self.allowed = allow_remote or is_loopback(self.base_url)
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            transport=transport,
            limits=httpx.Limits(max_connections=500, max_keepalive_connections=100),
        )

    async def close(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def stream(
        self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]
    ) -> AsyncIterator[TextDelta | Completion]:
        """Stream text deltas, then the finished Completion (always the last item)."""
        if not self.allowed:
            raise ModelUnavailable(
                "forbidden", "remote model requests are disabled (FLOORWALKER_ALLOW_MODEL_REQUESTS)"
            )
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "stream": True,
            "stream_options": {"include_usage": True},
            "temperature": 0.2,
        }
        if tools:
            body["tools"] = tools
            body["tool_choice"] = "auto"
        attempt = 0
        while True:
            streamed = False
            try:
                async for item in self._attempt(body):
                    if isinstance(item, TextDelta):
                        streamed = True
                    yield item
                return
            except _Retryable as exc:
                if streamed or attempt >= self.max_retries:
                    raise ModelUnavailable(exc.reason, exc.detail) from exc
                delay = exc.retry_after if exc.retry_after is not None else 0.25 * 2**attempt
                delay = min(MAX_BACKOFF_SECONDS, delay) * (1 + random.random() * 0.1)
                log.info("model request retried", reason=exc.reason, attempt=attempt + 1)
                await asyncio.sleep(delay)
                attempt += 1

    async def _attempt(self, body: dict[str, Any]) -> AsyncIterator[TextDelta | Completion]:
        try:
            async with self._http.stream("POST", "/chat/completions", json=body) as response:
                if response.status_code == 429 or response.status_code >= 500:
                    await response.aread()
                    raise _Retryable(
                        f"http_{response.status_code}",
                        response.text[:200],
                        _retry_after(response.headers.get("retry-after")),
                    )
                if response.status_code >= 400:
                    await response.aread()
                    raise ModelUnavailable(f"http_{response.status_code}", response.text[:200])
                content_type = response.headers.get("content-type", "")
                if "text/event-stream" not in content_type:
                    await response.aread()
                    yield _parse_whole(response.text)
                    return
                # The read timeout bounds silences; this bounds a server that trickles forever.
                deadline = asyncio.get_running_loop().time() + self.timeout * 4
                async for item in _parse_stream(response.aiter_lines()):
                    if asyncio.get_running_loop().time() > deadline:
                        raise _Retryable("timeout", "the answer took too long")
                    yield item
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            raise _Retryable(type(exc).__name__, str(exc)) from exc


class _Retryable(Exception):
    def __init__(self, reason: str, detail: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail
        self.retry_after = retry_after


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _parse_whole(text: str) -> Completion:
    """A non-streamed completion (some servers ignore `stream`)."""
    try:
        payload = json.loads(text)
        message = payload["choices"][0]["message"]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise ModelUnavailable("malformed_response", text[:200]) from exc
    usage = payload.get("usage") or {}
    calls = [
        ToolCallRequest(
            id=str(call.get("id") or f"call_{index}"),
            name=str((call.get("function") or {}).get("name") or ""),
            arguments=str((call.get("function") or {}).get("arguments") or ""),
        )
        for index, call in enumerate(message.get("tool_calls") or [])
    ]
    return Completion(
        text=message.get("content") or "",
        tool_calls=calls,
        prompt_tokens=int(usage.get("prompt_tokens") or 0),
        completion_tokens=int(usage.get("completion_tokens") or 0),
        finish_reason=payload["choices"][0].get("finish_reason"),
    )


async def _parse_stream(lines: AsyncIterator[str]) -> AsyncIterator[TextDelta | Completion]:
    """Turn `data:` lines of a streamed completion into deltas and a final Completion."""
    result = Completion()
    calls: dict[int, ToolCallRequest] = {}
    text: list[str] = []
    async for line in lines:
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            break
        try:
            chunk = json.loads(data)
        except ValueError as exc:
            raise ModelUnavailable("malformed_stream", data[:200]) from exc
        usage = chunk.get("usage")
        if usage:
            result.prompt_tokens = int(usage.get("prompt_tokens") or 0)
            result.completion_tokens = int(usage.get("completion_tokens") or 0)
        for choice in chunk.get("choices") or []:
            delta = choice.get("delta") or {}
            if delta.get("content"):
                text.append(delta["content"])
                yield TextDelta(delta["content"])
            for call in delta.get("tool_calls") or []:
                index = int(call.get("index", len(calls)))
                current = calls.setdefault(index, ToolCallRequest(id="", name="", arguments=""))
                function = call.get("function") or {}
                current.id = call.get("id") or current.id
                current.name += function.get("name") or ""
                current.arguments += function.get("arguments") or ""
            if choice.get("finish_reason"):
                result.finish_reason = choice["finish_reason"]
    result.text = "".join(text)
    result.tool_calls = [
        ToolCallRequest(id=call.id or f"call_{index}", name=call.name, arguments=call.arguments)
        for index, call in sorted(calls.items())
    ]
    yield result
