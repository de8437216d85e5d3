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


class BodySizeLimitMiddleware:
    """Refuse bodies larger than `max_bytes` with 413 before the app reads them."""

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
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # FastAPI re-raises HTTPExceptions met while reading the body; the error
                    # handler renders it as {"error": "request_too_large", ...}.
                    raise HTTPException(413, detail=str(self._body()["detail"]))
            return message

        await self.app(scope, limited_receive, send)

    def _body(self) -> dict[str, object]:
        return {
            "error": "request_too_large",
            "detail": f"The request body is larger than {self.max_bytes} bytes.",
            "max_bytes": self.max_bytes,
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
