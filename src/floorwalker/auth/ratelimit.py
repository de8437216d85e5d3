"""Rate limits: fixed windows counted in Redis when configured, in process otherwise.

Redis makes the limit hold across workers; the in-process limiter is exact for one worker.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis


@dataclass(frozen=True, slots=True)
class RateDecision:
    """Whether a hit is allowed, how many remain in the window, and when to retry."""

    allowed: bool
    remaining: int
    retry_after: int


class RateLimiter(Protocol):
    """Counts hits per key in fixed windows."""

    async def hit(self, key: str, *, limit: int, window: int) -> RateDecision:
        """Count one hit for `key`; at most `limit` hits per `window` seconds are allowed."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


def _window(window: int, now: float) -> tuple[int, int]:
    start = int(now // window) * window
    return start, max(1, math.ceil(start + window - now))


class MemoryRateLimiter:
    """Fixed-window counters in this process's memory."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._counts: dict[tuple[str, int], int] = {}
        self._lock = asyncio.Lock()
        self._now = clock
        self._last_sweep = 0.0

    async def hit(self, key: str, *, limit: int, window: int) -> RateDecision:
        now = self._now()
        start, retry_after = _window(window, now)
        async with self._lock:
            if now - self._last_sweep > 60:
                self._counts = {k: v for k, v in self._counts.items() if k[1] + 3600 > now}
                self._last_sweep = now
            count = self._counts.get((key, start), 0) + 1
            self._counts[(key, start)] = count
        return RateDecision(count <= limit, max(0, limit - count), retry_after)

    async def close(self) -> None:
        self._counts.clear()


class RedisRateLimiter:
    """Fixed-window counters in Redis (INCR + EXPIRE), shared by every worker."""

    def __init__(self, url: str, *, prefix: str = "fw:rl:") -> None:
        self._redis: Redis = Redis.from_url(url)
        self._prefix = prefix

    async def hit(self, key: str, *, limit: int, window: int) -> RateDecision:
        start, retry_after = _window(window, time.time())
        name = f"{self._prefix}{key}:{start}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, window + 1, nx=True)
            count, _ = await pipe.execute()
        return RateDecision(int(count) <= limit, max(0, limit - int(count)), retry_after)

    async def close(self) -> None:
        await self._redis.aclose()


def build_rate_limiter(redis_url: str | None) -> RateLimiter:
    """Redis-backed when a URL is configured, in-process otherwise."""
    if redis_url:
        return RedisRateLimiter(redis_url)
    return MemoryRateLimiter()
