"""Pure ASGI middleware: body size limit, per-address rate limit, CORS for widget routes.

Pure ASGI (not BaseHTTPMiddleware) because they sit in front of every request, including the
high-volume events endpoint.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from floorwalker.auth.ratelimit import RateLimiter

#: Routes whose callers prove themselves with a signature over the body (platform webhooks):
#: a platform's burst must not be throttled as one address; a bad signature costs one HMAC.
SIGNED_PREFIXES = ("/v1/webhooks/",)

#: Routes the storefront widget calls from the retailer's pages (other origins).
PUBLIC_PREFIXES = (
    "/v1/conversations",
    "/v1/search",
    "/v1/recommendations",
    "/v1/events",
    "/v1/identity",
    "/v1/health",
)


async def _send_json(
    send: Send, status: int, body: dict[str, object], headers: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def client_address(scope: Scope, *, trust_proxy: bool) -> str:
    """The client's address (first X-Forwarded-For entry only when the proxy is trusted)."""
    if trust_proxy:
        forwarded = _header(scope, b"x-forwarded-for")
        if forwarded:
            return forwarded.split(",")[0].strip()
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


#: A NUL character as JSON writes it. No text a person types contains one, and PostgreSQL
#: refuses it in text columns, so it is refused at the door rather than deep in a query.
_JSON_NUL = b"\\u0000"


def _has_json_nul(data: bytes) -> bool:
    """Whether JSON text holds an escaped NUL (`\\u0000` not preceded by an escaping backslash)."""
    start = data.find(_JSON_NUL)
    while start != -1:
        backslashes = len(data[:start]) - len(data[:start].rstrip(b"\\"))
        if backslashes % 2 == 0:
            return True
        start = data.find(_JSON_NUL, start + 1)
    return False


class BodySizeLimitMiddleware:
    """Refuse bodies larger than `max_bytes` (413) and NUL characters in a request (422).

    Signed webhook bodies are exempt from the NUL check: they are verified byte for byte and a
    platform's payload is stored as sent (a bad one becomes a dead letter, never a 500).
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _send_json(send, 413, self._body())
            return
        path = scope.get("path", "")
        if "\x00" in path or b"%00" in scope.get("query_string", b""):
            await _send_json(send, 422, _NUL_BODY)
            return
        check_nul = not path.startswith(SIGNED_PREFIXES)
        received = 0
        tail = b""

        async def limited_receive() -> Message:
            nonlocal received, tail
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > self.max_bytes:
                    # FastAPI re-raises HTTPExceptions met while reading the body; the error
                    # handler renders it as {"error": "request_too_large", ...}.
                    raise HTTPException(413, detail=str(self._body()["detail"]))
                if check_nul:
                    # The tail of the previous chunk: an escape may straddle two chunks.
                    window = tail + chunk
                    if _has_json_nul(window):
                        raise HTTPException(422, detail=str(_NUL_BODY["detail"]))
                    tail = window[-64:]
            return message

        await self.app(scope, limited_receive, send)

    def _body(self) -> dict[str, object]:
        return {
            "error": "request_too_large",
            "detail": f"The request body is larger than {self.max_bytes} bytes.",
            "max_bytes": self.max_bytes,
        }


_NUL_BODY: dict[str, object] = {
    "error": "nul_character",
    "detail": "The request contains a NUL character (\\u0000 or %00), which no text may hold.",
}


class AddressRateLimitMiddleware:
    """Limit requests per client address on /v1 (429 with Retry-After)."""

    def __init__(
        self, app: ASGIApp, *, limiter: RateLimiter, per_minute: int, trust_proxy: bool
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.per_minute = per_minute
        self.trust_proxy = trust_proxy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        authenticated_secret = (_header(scope, b"authorization") or "").startswith("Bearer fw_sk_")
        if (
            not path.startswith("/v1/")
            or path.startswith(SIGNED_PREFIXES)
            or authenticated_secret
            or scope.get("method") == "OPTIONS"
        ):
            await self.app(scope, receive, send)
            return
        address = client_address(scope, trust_proxy=self.trust_proxy)
        decision = await self.limiter.hit(f"ip:{address}", limit=self.per_minute, window=60)
        if not decision.allowed:
            await _send_json(
                send,
                429,
                {
                    "error": "rate_limited",
                    "detail": "Too many requests from this address; slow down.",
                    "retry_after": decision.retry_after,
                },
                [(b"retry-after", str(decision.retry_after).encode())],
            )
            return
        await self.app(scope, receive, send)


class PublicCorsMiddleware:
    """CORS for the widget's routes only.

    Preflights from any origin are answered (they carry no key); actual responses reflect the
    origin. Whether that origin may use the publishable key is decided by authentication, which
    answers 403 `origin_not_allowed` for origins the store has not listed.
    """

    allow_headers = (
        b"authorization, content-type, idempotency-key, last-event-id, x-conversation-token"
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = _header(scope, b"origin")
        path = scope.get("path", "")
        if origin is None or not path.startswith(PUBLIC_PREFIXES):
            await self.app(scope, receive, send)
            return
        cors = [
            (b"access-control-allow-origin", origin.encode("latin-1")),
            (b"vary", b"Origin"),
        ]
        if scope.get("method") == "OPTIONS" and _header(scope, b"access-control-request-method"):
            await send(
                {
                    "type": "http.response.start",
                    "status": 204,
                    "headers": [
                        *cors,
                        (b"access-control-allow-methods", b"GET, POST, PUT, DELETE, OPTIONS"),
                        (b"access-control-allow-headers", self.allow_headers),
                        (b"access-control-max-age", b"600"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return

        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *cors]}
            await send(message)

        await self.app(scope, receive, with_cors)
