"""The public keys of RS256 identity tokens: a store's JWKS, inline, from a file or a URL.

Key sets are cached per source for a while (`identity_jwks_cache_seconds`) and fetched again
at once when a token names a key id the cached set lacks (the retailer rotated its keys) — but
such refetches are spaced out, so a stream of made-up key ids cannot turn Floorwalker into a
load generator against the retailer's key server. What a source returns is only ever parsed as
a key set: its content never reaches a caller, and failures say only that the keys could not
be read.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt

from floorwalker.assistant.errors import InvalidIdentityToken
from floorwalker.logging import get_logger
from floorwalker.stores.schemas import IdentityKeys, check_jwks

log = get_logger(__name__)

#: The most a key set may weigh: a few keys are a few kilobytes.
MAX_JWKS_BYTES = 64 * 1024
FETCH_TIMEOUT_SECONDS = 5.0


@dataclass(slots=True)
class _Entry:
    keys: dict[str, Any]
    fetched_at: float
    missed_at: float | None = None


class JwksCache:
    """Key sets by source, each kept `ttl` seconds; an unknown `kid` refetches (spaced out)."""

    def __init__(
        self,
        *,
        ttl: float = 300.0,
        refetch_interval: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.refetch_interval = refetch_interval
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        #: One lock per source: a slow key server holds up its own store's tokens only.
        self._locks: dict[str, asyncio.Lock] = {}
        #: How many times each source was read (operators' metrics; tests).
        self.loads: dict[str, int] = {}

    async def key_for(self, source: IdentityKeys, kid: str | None) -> Any:
        """The public key `kid` names (the only key when the set has one and `kid` is None)."""
        name = _source_name(source)
        async with self._locks.setdefault(name, asyncio.Lock()):
            now = self._clock()
            entry = self._entries.get(name)
            if entry is None or now - entry.fetched_at >= self.ttl:
                entry = await self._load(name, source, now)
            key = _pick(entry.keys, kid)
            if key is None and (
                entry.missed_at is None or now - entry.missed_at >= self.refetch_interval
            ):
                entry = await self._load(name, source, now)
                entry.missed_at = now
                key = _pick(entry.keys, kid)
        if key is None:
            raise InvalidIdentityToken("unknown key")
        return key

    async def _load(self, name: str, source: IdentityKeys, now: float) -> _Entry:
        self.loads[name] = self.loads.get(name, 0) + 1
        try:
            raw = await _read(source)
            check_jwks(raw)
            keys = _parse(raw)
        except (OSError, ValueError, httpx.HTTPError, jwt.PyJWKError) as exc:
            log.warning("identity keys could not be read", source=name, error=str(exc)[:200])
            stale = self._entries.get(name)
            if stale is not None:
                # Keep serving the last good set: a key server's hiccup must not log everyone out.
                return stale
            raise InvalidIdentityToken("keys unavailable") from exc
        previous = self._entries.get(name)
        entry = _Entry(keys, now, previous.missed_at if previous else None)
        self._entries[name] = entry
        return entry


def _source_name(source: IdentityKeys) -> str:
    if source.jwks_url is not None:
        return f"url:{source.jwks_url}"
    if source.jwks_file is not None:
        return f"file:{source.jwks_file}"
    return "inline:" + json.dumps(source.jwks, sort_keys=True)


async def _read(source: IdentityKeys) -> Any:
    if source.jwks is not None:
        return source.jwks
    if source.jwks_file is not None:
        path = Path(source.jwks_file)
        data = await asyncio.to_thread(path.read_bytes)
        if len(data) > MAX_JWKS_BYTES:
            raise ValueError("the key set file is too large")
        return json.loads(data)
    assert source.jwks_url is not None
    async with (
        httpx.AsyncClient(timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=False) as client,
        client.stream("GET", source.jwks_url, headers={"Accept": "application/json"}) as response,
    ):
        response.raise_for_status()
        body = b""
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > MAX_JWKS_BYTES:
                raise ValueError("the key set is too large")
    return json.loads(body)


def _parse(raw: dict[str, Any]) -> dict[str, Any]:
    """Public RSA keys by kid (keys without one under "")."""
    out: dict[str, Any] = {}
    for item in raw["keys"]:
        if item.get("use", "sig") != "sig" or item.get("alg", "RS256") != "RS256":
            continue
        out[str(item.get("kid", ""))] = jwt.PyJWK(item, algorithm="RS256").key
    if not out:
        raise ValueError("the key set has no RS256 signing key")
    return out


def _pick(keys: dict[str, Any], kid: str | None) -> Any:
    if kid is not None:
        return keys.get(kid)
    return next(iter(keys.values())) if len(keys) == 1 else None
