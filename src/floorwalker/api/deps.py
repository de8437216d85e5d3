"""Request dependencies, declared once as `Annotated` aliases.

The request owns the transaction: `Session` commits after the route returns (before the
response is sent) and rolls back if it raises. Safe methods get a read-only session.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.api.middleware import client_address
from floorwalker.auth import service as auth_service
from floorwalker.auth import staff as staff_service
from floorwalker.auth.errors import (
    CsrfFailed,
    InsufficientScope,
    MissingCredentials,
    OriginNotAllowed,
)
from floorwalker.auth.ratelimit import RateLimiter
from floorwalker.auth.schemas import KeyKind
from floorwalker.config import Settings
from floorwalker.errors import RateLimited
from floorwalker.kit.actor import Actor, Scope
from floorwalker.kit.db import Database
from floorwalker.kit.security import constant_time_equals
from floorwalker.stores import service as store_service

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_database(request: Request) -> Database:
    """The app's database."""
    db: Database = request.app.state.db
    return db


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session in a transaction for this request: read-only for safe methods."""
    db = get_database(request)
    factory = db.read_session if request.method in _SAFE_METHODS else db.session
    async with factory() as session, session.begin():
        yield session


DatabaseDep = Annotated[Database, Depends(get_database)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer …` header (or None)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


SESSION_COOKIE = "fw_session"


def get_rate_limiter(request: Request) -> RateLimiter:
    """The app's rate limiter (Redis-backed when configured)."""
    limiter: RateLimiter = request.app.state.rate_limiter
    return limiter


def _origin_of(url: str) -> str:
    parts = urlsplit(url.strip().lower())
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else url.strip()


def origin_allowed(origin: str, allowed: list[str], public_url: str) -> bool:
    """Whether a browser origin may use a publishable key.

    The key's own list wins, then the store's; with neither, only Floorwalker's own origin.
    `*` allows any origin (development only).
    """
    candidates = allowed or [public_url]
    if "*" in candidates:
        return True
    return _origin_of(origin) in {_origin_of(c) for c in candidates}


async def _enforce(request: Request, key: str, limit: int) -> None:
    decision = await get_rate_limiter(request).hit(key, limit=limit, window=60)
    if not decision.allowed:
        raise RateLimited(
            "Too many requests for this key; slow down.", retry_after=decision.retry_after
        )


async def get_api_actor(request: Request) -> Actor:
    """The caller: an API key (`Authorization: Bearer …`) or a console session cookie.

    Publishable keys are checked against the allowed origins; unsafe requests made with the
    session cookie must carry the session's CSRF token. Every caller is rate limited.
    """
    db = get_database(request)
    settings = get_settings(request)
    token = bearer_token(request)
    if token is None:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            raise MissingCredentials
        async with db.read_session() as session, session.begin():
            user, staff_session = await staff_service.resolve(session, cookie)
        if request.method not in _SAFE_METHODS and not constant_time_equals(
            request.headers.get("x-csrf-token", ""), staff_session.csrf_token
        ):
            raise CsrfFailed
        actor = staff_service.actor_for(user)
        await _enforce(request, f"staff:{user.id}", settings.rate_limit_per_key)
    else:
        async with db.read_session() as session, session.begin():
            actor, key = await auth_service.authenticate(session, token)
            if key.kind == KeyKind.PUBLISHABLE.value:
                origin = request.headers.get("origin")
                if origin is not None:
                    store = await store_service.get_or_raise(session, key.store_id)
                    allowed = (
                        key.allowed_origins or store_service.settings_of(store).allowed_origins
                    )
                    if not origin_allowed(origin, allowed, settings.resolved_public_url):
                        raise OriginNotAllowed(origin)
        if key.kind == KeyKind.PUBLISHABLE.value:
            address = client_address(request.scope, trust_proxy=settings.trust_proxy_headers)
            await _enforce(request, f"pk:{key.id}:{address}", settings.rate_limit_per_ip)
        else:
            await _enforce(request, f"sk:{key.id}", settings.rate_limit_per_key)
    request.state.actor = actor
    return actor


def require(scope: Scope) -> Callable[..., Coroutine[Any, Any, Actor]]:
    """A dependency that authenticates the key and checks it holds `scope`."""

    async def dependency(actor: Annotated[Actor, Depends(get_api_actor)]) -> Actor:
        if not actor.has_scope(scope):
            raise InsufficientScope(scope.value)
        return actor

    dependency.__name__ = f"require_{scope.value}"
    return dependency


def require_any(*scopes: Scope) -> Callable[..., Coroutine[Any, Any, Actor]]:
    """A dependency that authenticates the caller and checks it holds one of `scopes`."""

    async def dependency(actor: Annotated[Actor, Depends(get_api_actor)]) -> Actor:
        if not any(actor.has_scope(scope) for scope in scopes):
            raise InsufficientScope(" or ".join(s.value for s in scopes))
        return actor

    dependency.__name__ = "require_" + "_or_".join(s.value for s in scopes)
    return dependency


ReadActor = Annotated[Actor, Depends(require(Scope.READ))]
WriteActor = Annotated[Actor, Depends(require(Scope.WRITE))]
AdminActor = Annotated[Actor, Depends(require(Scope.ADMIN))]
PublishableActor = Annotated[Actor, Depends(require(Scope.PUBLISHABLE))]
#: Widget routes: a publishable key from an allowed origin, or any key that can read.
StorefrontActor = Annotated[Actor, Depends(require_any(Scope.PUBLISHABLE, Scope.READ))]
RateLimiterDep = Annotated[RateLimiter, Depends(get_rate_limiter)]
