"""Rules of the stores context: creating tenants, reading their policy and settings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.kit.actor import Actor, ActorKind
from floorwalker.kit.crypto import Encryptor
from floorwalker.kit.db import Database
from floorwalker.kit.security import new_token
from floorwalker.logging import get_logger
from floorwalker.stores.errors import IdentityKeysFileNotAllowed, StoreNotFound, StoreSlugTaken
from floorwalker.stores.models import Store
from floorwalker.stores.policy import StorePolicy
from floorwalker.stores.repository import StoreRepository
from floorwalker.stores.schemas import StoreCreate, StoreSettings, StoreUpdate

log = get_logger(__name__)
T = TypeVar("T")


async def create(session: AsyncSession, *, data: StoreCreate) -> Store:
    """Create a store; its slug must be unused."""
    repo = StoreRepository(session)
    if await repo.get_by_slug(data.slug) is not None:
        raise StoreSlugTaken(data.slug)
    return await repo.add(
        Store(
            slug=data.slug,
            name=data.name,
            currency=data.currency,
            timezone=data.timezone,
            language=data.language,
            policy=data.policy.model_dump(mode="json"),
            settings=data.settings.model_dump(mode="json"),
        )
    )


async def get(session: AsyncSession, store_id: int) -> Store | None:
    """The store with this id, or None."""
    return await StoreRepository(session).get(store_id)


async def get_or_raise(session: AsyncSession, store_id: int) -> Store:
    """The store with this id; raises StoreNotFound."""
    store = await StoreRepository(session).get(store_id)
    if store is None:
        raise StoreNotFound(store_id)
    return store


async def get_by_slug(session: AsyncSession, slug: str) -> Store | None:
    """The store with this slug, or None."""
    return await StoreRepository(session).get_by_slug(slug)


async def list_stores(session: AsyncSession) -> Sequence[Store]:
    """Every store."""
    return await StoreRepository(session).list()


async def each_store(
    db: Database, run: Callable[[int], Awaitable[T]], *, job: str, failure: str
) -> list[T]:
    """Run a store's job for every store, one after the other; what `run` returns, in order.

    One store's failure (its bad data, say) is logged as `failure` and the others still run.
    """
    async with db.reading() as session:
        store_ids = [s.id for s in await list_stores(session)]
    outcomes = []
    for store_id in store_ids:
        try:
            outcomes.append(await run(store_id))
        except Exception:  # one store's bad data must not stop the others
            log.exception(failure, job=job, store_id=store_id)
    return outcomes


async def update(session: AsyncSession, actor: Actor, *, data: StoreUpdate) -> Store:
    """Change the actor's store: name, timezone, language, policy or settings."""
    store = await get_or_raise(session, actor.store_id)
    if data.name is not None:
        store.name = data.name
    if data.timezone is not None:
        store.timezone = data.timezone
    if data.language is not None:
        store.language = data.language
    if data.policy is not None:
        store.policy = data.policy.model_dump(mode="json")
    if data.settings is not None:
        before = settings_of(store).identity_keys
        after = data.settings.identity_keys
        before_file = before.jwks_file if before is not None else None
        after_file = after.jwks_file if after is not None else None
        if after_file is not None and after_file != before_file and actor.kind != ActorKind.SYSTEM:
            raise IdentityKeysFileNotAllowed
        store.settings = data.settings.model_dump(mode="json")
        if before != after:
            await audit_service.record(
                session,
                actor,
                action="store.identity_keys.update",
                subject_type="store",
                subject_id=store.id,
            )
    await session.flush()
    return store


def policy_of(store: Store) -> StorePolicy:
    """The store's policy object (defaults fill anything not set)."""
    return StorePolicy.model_validate(store.policy or {})


def settings_of(store: Store) -> StoreSettings:
    """The store's storefront settings."""
    return StoreSettings.model_validate(store.settings or {})


def identity_secret_of(store: Store, encryptor: Encryptor) -> str | None:
    """The secret the store's site signs shopper identity tokens with, or None if unset."""
    if not store.identity_secret_encrypted:
        return None
    return encryptor.decrypt(store.identity_secret_encrypted)


async def rotate_identity_secret(
    session: AsyncSession, actor: Actor, *, encryptor: Encryptor, secret: str | None = None
) -> str:
    """Set a new identity secret (random unless given); tokens signed with the old one fail."""
    store = await get_or_raise(session, actor.store_id)
    value = secret if secret is not None else new_token("fw_id_", 32)
    store.identity_secret_encrypted = encryptor.encrypt(value)
    await session.flush()
    await audit_service.record(
        session,
        actor,
        action="store.identity_secret.rotate",
        subject_type="store",
        subject_id=store.id,
    )
    return value
