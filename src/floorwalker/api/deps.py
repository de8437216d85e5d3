"""Request dependencies, declared once as `Annotated` aliases.

The request owns the transaction: `Session` commits after the route returns (before the
response is sent) and rolls back if it raises. Safe methods get a read-only session.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.auth import service as auth_service
from floorwalker.auth.errors import InsufficientScope, MissingCredentials
from floorwalker.config import Settings
from floorwalker.kit.actor import Actor, Scope
from floorwalker.kit.db import Database

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


async def get_api_actor(request: Request) -> Actor:
    """The actor of the request's API key; raises 401 without a valid key."""
    token = bearer_token(request)
    if token is None:
        raise MissingCredentials
    db = get_database(request)
    async with db.read_session() as session, session.begin():
        actor, _key = await auth_service.authenticate(session, token)
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


ReadActor = Annotated[Actor, Depends(require(Scope.READ))]
WriteActor = Annotated[Actor, Depends(require(Scope.WRITE))]
AdminActor = Annotated[Actor, Depends(require(Scope.ADMIN))]
PublishableActor = Annotated[Actor, Depends(require(Scope.PUBLISHABLE))]
