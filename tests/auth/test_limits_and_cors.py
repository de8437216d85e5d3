"""Abuse limits (per key, per address, body size) and CORS for the widget's routes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import redis.asyncio as aioredis

from floorwalker.auth.ratelimit import MemoryRateLimiter, RedisRateLimiter
from floorwalker.auth.schemas import KeyKind
from floorwalker.config import Settings
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
async def strict_server(settings: Settings) -> AsyncIterator[LiveServer]:
    """A separate server with tiny limits, so the shared one is not disturbed."""
    strict = settings.model_copy(
        update={"rate_limit_per_key": 3, "rate_limit_per_ip": 2, "max_request_bytes": 2048}
    )
    server = LiveServer(strict)
    server.start()
    yield server
    server.stop()


class TestRateLimiters:
    async def test_memory_limiter_counts_per_key_and_window(self) -> None:
        now = [1000.0]
        limiter = MemoryRateLimiter(clock=lambda: now[0])

        first = [await limiter.hit("a", limit=2, window=60) for _ in range(3)]
        other = await limiter.hit("b", limit=2, window=60)
        now[0] = 1060.0
        next_window = await limiter.hit("a", limit=2, window=60)

        assert [d.allowed for d in first] == [True, True, False]
        assert first[2].retry_after == 20
        assert other.allowed is True
        assert next_window.allowed is True
        assert next_window.remaining == 1

    async def test_redis_limiter_is_shared_between_instances(self, run_id: str) -> None:
        one, two = RedisRateLimiter(REDIS_URL), RedisRateLimiter(REDIS_URL)
        key = f"test:{run_id}:shared"
        try:
            a = await one.hit(key, limit=2, window=60)
            b = await two.hit(key, limit=2, window=60)
            c = await one.hit(key, limit=2, window=60)
            client = aioredis.Redis.from_url(REDIS_URL)
            ttl = [await client.ttl(k) for k in await client.keys(f"fw:rl:{key}:*")]
            await client.aclose()
        finally:
            await one.close()
            await two.close()

        assert [a.allowed, b.allowed, c.allowed] == [True, True, False]
        assert len(ttl) == 1
        assert 0 < ttl[0] <= 61


class TestLimitsOverHttp:
    async def test_secret_key_gets_429_with_retry_after(
        self, strict_server: LiveServer, db: Database, store: Store
    ) -> None:
        async with db.transaction() as s:
            key = await factories.create_key(s, store, scopes=["read"])
        async with httpx.AsyncClient(
            base_url=strict_server.url, headers={"Authorization": f"Bearer {key}"}
        ) as client:
            statuses = [(await client.get("/v1/store")).status_code for _ in range(4)]
            limited = await client.get("/v1/store")

        assert statuses == [200, 200, 200, 429]
        assert limited.json()["error"] == "rate_limited"
        assert 1 <= int(limited.headers["retry-after"]) <= 60

    async def test_unauthenticated_address_gets_429(self, strict_server: LiveServer) -> None:
        async with httpx.AsyncClient(base_url=strict_server.url) as client:
            statuses = [(await client.get("/v1/health")).status_code for _ in range(3)]

        assert statuses == [200, 200, 429]

    async def test_signed_webhook_deliveries_are_not_limited_per_address(
        self, strict_server: LiveServer
    ) -> None:
        async with httpx.AsyncClient(base_url=strict_server.url) as client:
            answers = [
                await client.post("/v1/webhooks/shopify/no-such-token", content=b"{}")
                for _ in range(4)
            ]

        # Refused for the unknown connection every time, never throttled.
        assert [a.status_code for a in answers] == [404, 404, 404, 404]
        assert {a.json()["error"] for a in answers} == {"connection_not_found"}

    async def test_oversized_body_is_413_and_nothing_is_created(
        self, strict_server: LiveServer, db: Database, store: Store
    ) -> None:
        async with db.transaction() as s:
            key = await factories.create_key(s, store, scopes=["admin"])
        async with httpx.AsyncClient(
            base_url=strict_server.url, headers={"Authorization": f"Bearer {key}"}
        ) as client:
            response = await client.post("/v1/keys", json={"name": "x" * 5000})
            listed = await client.get("/v1/keys")

        assert response.status_code == 413
        assert response.json()["error"] == "request_too_large"
        assert len(listed.json()) == 1  # only the key the test made
        assert listed.json()[0]["name"].startswith("key-")


class TestNulCharacters:
    """PostgreSQL refuses NUL in text; no text a person writes holds one: 422 at the door."""

    async def test_an_escaped_nul_in_a_json_body_is_422_and_nothing_is_created(
        self, admin: httpx.AsyncClient
    ) -> None:
        before = (await admin.get("/v1/keys")).json()

        response = await admin.post(
            "/v1/keys",
            content=b'{"name": "ops\\u0000key"}',
            headers={"Content-Type": "application/json"},
        )

        assert response.status_code == 422
        assert response.json()["error"] == "nul_character"
        assert (await admin.get("/v1/keys")).json() == before

    async def test_a_nul_split_between_two_chunks_is_still_found(
        self, admin: httpx.AsyncClient
    ) -> None:
        before = (await admin.get("/v1/keys")).json()

        async def chunks() -> AsyncIterator[bytes]:
            yield b'{"name": "ops\\u00'
            yield b'00key"}'

        response = await admin.post(
            "/v1/keys", content=chunks(), headers={"Content-Type": "application/json"}
        )

        assert response.status_code == 422
        assert response.json()["error"] == "nul_character"
        assert (await admin.get("/v1/keys")).json() == before

    async def test_the_text_backslash_u0000_is_ordinary_text(
        self, admin: httpx.AsyncClient
    ) -> None:
        # JSON `\\\\u0000` is a backslash followed by "u0000": six visible characters.
        response = await admin.post(
            "/v1/keys",
            content=b'{"name": "ops\\\\u0000key"}',
            headers={"Content-Type": "application/json"},
        )

        assert response.status_code == 201, response.text
        assert response.json()["name"] == "ops\\u0000key"

    async def test_a_nul_in_the_query_string_is_422(self, admin: httpx.AsyncClient) -> None:
        response = await admin.get("/v1/customers?email=ada%00@example.com")

        assert response.status_code == 422
        assert response.json()["error"] == "nul_character"


class TestWidgetCors:
    async def test_preflight_is_answered_for_widget_routes_only(
        self, http: httpx.AsyncClient
    ) -> None:
        headers = {
            "Origin": "https://shop.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        }

        widget = await http.options("/v1/search", headers=headers)
        admin = await http.options("/v1/keys", headers=headers)

        assert widget.status_code == 204
        assert widget.headers["access-control-allow-origin"] == "https://shop.example"
        allowed = {h.strip() for h in widget.headers["access-control-allow-headers"].split(",")}
        # Every header the widget sends from the retailer's domain must be allowed.
        assert {"authorization", "content-type", "x-conversation-token"} <= allowed
        assert "access-control-allow-origin" not in admin.headers

    async def test_publishable_key_from_an_unlisted_origin_is_refused(
        self, http: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        async with db.transaction() as s:
            store_row = await s.get(Store, store.id)
            assert store_row is not None
            store_row.settings = {"allowed_origins": ["https://shop.example"]}
            key = await factories.create_key(s, store, kind=KeyKind.PUBLISHABLE)

        allowed = await http.get(
            "/v1/staff/me",
            headers={"Authorization": f"Bearer {key}", "Origin": "https://shop.example"},
        )
        refused = await http.get(
            "/v1/staff/me",
            headers={"Authorization": f"Bearer {key}", "Origin": "https://evil.example"},
        )

        # The key authenticates from the listed origin (then lacks the read scope) ...
        assert allowed.status_code == 403
        assert allowed.json()["error"] == "insufficient_scope"
        # ... and is refused outright from any other.
        assert refused.status_code == 403
        assert refused.json() == {
            "error": "origin_not_allowed",
            "detail": "Origin 'https://evil.example' may not use this key.",
            "origin": "https://evil.example",
        }
