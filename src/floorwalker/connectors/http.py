"""An HTTP client for platform APIs that retries what is worth retrying, with backoff.

429 (honouring Retry-After), 5xx, timeouts and dropped connections are retried with
exponential backoff and jitter; other 4xx are the caller's problem and raise at once.
The sleep function is injectable so tests check the waits without waiting.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from floorwalker.connectors.errors import PlatformError, PlatformUnavailable
from floorwalker.logging import get_logger

log = get_logger(__name__)

Sleep = Callable[[float], Awaitable[None]]

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How many attempts, and how long to wait between them (seconds)."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    jitter: float = 0.1

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """The wait before attempt `attempt + 1` (attempt counts from 1)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_delay)
        backoff = min(self.base_delay * 2 ** (attempt - 1), self.max_delay)
        return float(backoff * (1 + random.uniform(0, self.jitter)))


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The Retry-After header in seconds, when it is a number."""
    value = response.headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class PlatformClient:
    """An httpx client bound to one platform base URL, with retries."""

    def __init__(
        self,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | tuple[str, str] | None = None,
        timeout: float = 30.0,
        policy: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self._client = httpx.AsyncClient(
            base_url=base_url,
            headers=dict(headers or {}),
            auth=auth,
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send a request; retry 429/5xx/timeouts; raise PlatformError for other failures."""
        last_error = ""
        for attempt in range(1, self.policy.attempts + 1):
            retry_after: float | None = None
            try:
                response = await self._client.request(method, url, **kwargs)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                last_error = f"{type(exc).__name__}: {exc}".rstrip(": ")
            else:
                if response.status_code < 400:
                    return response
                if response.status_code not in RETRYABLE_STATUS:
                    raise PlatformError(
                        f"{method} {url} answered {response.status_code}: {response.text[:500]}",
                        status_code=response.status_code,
                    )
                last_error = f"HTTP {response.status_code}"
                retry_after = retry_after_seconds(response)
            if attempt == self.policy.attempts:
                break
            wait = self.policy.delay(attempt, retry_after)
            log.warning(
                "platform request failed; retrying",
                method=method,
                url=url,
                error=last_error,
                attempt=attempt,
                wait=round(wait, 2),
            )
            await self.sleep(wait)
        raise PlatformUnavailable(
            f"{method} {url} failed after {self.policy.attempts} attempts ({last_error}).",
            attempts=self.policy.attempts,
        )

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()
