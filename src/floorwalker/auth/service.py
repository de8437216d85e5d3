"""API keys: creation, authentication, revocation. Keys are shown once and stored hashed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.auth.errors import ApiKeyNotFound, InvalidCredentials
from floorwalker.auth.models import ApiKey
from floorwalker.auth.repository import ApiKeyRepository
from floorwalker.auth.schemas import ApiKeyCreate, KeyKind
from floorwalker.kit.actor import Actor, ActorKind, Scope
from floorwalker.kit.clock import utcnow
from floorwalker.kit.security import new_token, token_digest

SECRET_PREFIX = "fw_sk_"
PUBLISHABLE_PREFIX = "fw_pk_"


async def create_key(
    session: AsyncSession, actor: Actor, *, data: ApiKeyCreate
) -> tuple[ApiKey, str]:
    """Create a key for the actor's store; returns the record and the key (shown only now)."""
    prefix = PUBLISHABLE_PREFIX if data.kind is KeyKind.PUBLISHABLE else SECRET_PREFIX
    token = new_token(prefix)
    key = await ApiKeyRepository(session).add(
        ApiKey(
            store_id=actor.store_id,
            name=data.name,
            kind=data.kind.value,
            scopes=[s.value for s in data.scopes],
            prefix=token[: len(prefix) + 6],
            digest=token_digest(token),
            allowed_origins=data.allowed_origins,
        )
    )
    await audit_service.record(
        session,
        actor,
        action="api_key.create",
        subject_type="api_key",
        subject_id=key.id,
        data={"name": key.name, "kind": key.kind, "scopes": key.scopes},
    )
    return key, token


async def authenticate(session: AsyncSession, token: str) -> tuple[Actor, ApiKey]:
    """The actor a key stands for; raises InvalidCredentials if unknown or revoked."""
    if not token.startswith((SECRET_PREFIX, PUBLISHABLE_PREFIX)):
        raise InvalidCredentials
    key = await ApiKeyRepository(session).get_by_digest(token_digest(token))
    if key is None or key.revoked_at is not None:
        raise InvalidCredentials
    actor = Actor(
        store_id=key.store_id,
        kind=ActorKind.API_KEY,
        id=str(key.id),
        scopes=frozenset(Scope(s) for s in key.scopes),
    )
    return actor, key


async def list_keys(session: AsyncSession, actor: Actor) -> Sequence[ApiKey]:
    """Every key of the actor's store, revoked ones included."""
    return await ApiKeyRepository(session).list(actor.store_id)


async def revoke(session: AsyncSession, actor: Actor, *, key_id: int) -> ApiKey:
    """Revoke a key of the actor's store; it stops working at once. Revoking twice is a no-op."""
    key = await ApiKeyRepository(session).get(actor.store_id, key_id)
    if key is None:
        raise ApiKeyNotFound(key_id)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        await session.flush()
        await audit_service.record(
            session, actor, action="api_key.revoke", subject_type="api_key", subject_id=key.id
        )
    return key
