"""Rules of the connectors context: connections, their credentials, history and dead letters.

Other contexts use connectors only through this module. The one they need is `announce`: it
queues a signed outbound webhook to every endpoint of the store that subscribes to the event
(the assistant announces handoffs with it). Sync, inbound webhooks and write-back are jobs
(`connectors.jobs`), since they call platforms and must not hold a write transaction open.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.connectors import registry, schemas
from floorwalker.connectors.base import Connector
from floorwalker.connectors.errors import (
    ConnectionNameTaken,
    ConnectionNotFound,
    DeadLetterNotFound,
)
from floorwalker.connectors.models import (
    Connection,
    DeadLetter,
    Delivery,
    PrivacyRequest,
    SyncRun,
)
from floorwalker.connectors.outbound import (
    announce,
    create_endpoint,
    delete_endpoint,
    get_delivery,
    list_deliveries,
    list_endpoints,
    retry_delivery,
    update_endpoint,
)
from floorwalker.connectors.repository import ConnectorRepository
from floorwalker.errors import NotFound
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.crypto import Encryptor
from floorwalker.kit.pii import scrub, scrub_text
from floorwalker.kit.security import new_token
from floorwalker.stores import service as store_service

__all__ = [
    "add_connection",
    "announce",
    "build_connector",
    "connection_source",
    "connector_encryptor",
    "create_endpoint",
    "delete_endpoint",
    "discard_dead_letter",
    "erase_person",
    "finish_privacy_request",
    "get_connection",
    "get_delivery",
    "get_privacy_request",
    "list_connections",
    "list_dead_letters",
    "list_deliveries",
    "list_endpoints",
    "list_privacy_requests",
    "list_runs",
    "pending_privacy_requests",
    "privacy_requests_about",
    "remove_connection",
    "retry_delivery",
    "to_read",
    "update_connection",
    "update_endpoint",
]


def connector_encryptor(secret_keys: str) -> Encryptor:
    """The encryptor for platform credentials and webhook secrets."""
    return Encryptor(secret_keys, purpose="connectors")


def to_read(connection: Connection) -> schemas.Connection:
    """The API shape of a connection, with the path its webhooks go to."""
    read = schemas.Connection.model_validate(connection)
    return read.model_copy(
        update={
            "webhooks_enabled": connection.webhook_secret_encrypted is not None,
            "webhook_path": f"/v1/webhooks/{connection.platform}/{connection.webhook_token}",
        }
    )


async def add_connection(
    session: AsyncSession,
    actor: Actor,
    *,
    data: schemas.ConnectionCreate,
    encryptor: Encryptor,
) -> Connection:
    """Create a connection; credentials and the webhook secret are stored encrypted."""
    credentials = registry.check_credentials(data.platform, data.credentials)
    repo = ConnectorRepository(session, actor.store_id)
    source = data.source or data.platform
    if await repo.connection(data.name) is not None:
        raise ConnectionNameTaken("name", data.name)
    if await repo.connection_by_source(source) is not None:
        raise ConnectionNameTaken("source", source)
    connection = await repo.add(
        Connection(
            store_id=actor.store_id,
            platform=data.platform,
            name=data.name,
            source=source,
            base_url=data.base_url,
            credentials_encrypted=encryptor.encrypt(json.dumps(credentials)),
            webhook_secret_encrypted=encryptor.encrypt(data.webhook_secret)
            if data.webhook_secret
            else None,
            webhook_token=new_token("wh_", 24),
            settings=dict(data.settings),
            sync_state={},
        )
    )
    await audit_service.record(
        session,
        actor,
        action="connection.create",
        subject_type="connection",
        subject_id=connection.id,
        data={"platform": data.platform, "name": data.name, "base_url": data.base_url},
    )
    return connection


async def get_connection(session: AsyncSession, actor: Actor, ref: int | str) -> Connection:
    """A connection of the actor's store by id or name; raises ConnectionNotFound."""
    connection = await ConnectorRepository(session, actor.store_id).connection(ref)
    if connection is None:
        raise ConnectionNotFound(ref)
    return connection


async def list_connections(session: AsyncSession, actor: Actor) -> Sequence[Connection]:
    """Every connection of the actor's store."""
    return await ConnectorRepository(session, actor.store_id).connections()


async def update_connection(
    session: AsyncSession,
    actor: Actor,
    ref: int | str,
    *,
    data: schemas.ConnectionUpdate,
    encryptor: Encryptor,
) -> Connection:
    """Pause or resume a connection, or replace its credentials, secret or settings."""
    connection = await get_connection(session, actor, ref)
    changed: list[str] = []
    if data.status is not None and data.status != connection.status:
        connection.status = data.status
        changed.append("status")
    if data.credentials is not None:
        credentials = registry.check_credentials(connection.platform, data.credentials)
        connection.credentials_encrypted = encryptor.encrypt(json.dumps(credentials))
        changed.append("credentials")
    if data.webhook_secret is not None:
        connection.webhook_secret_encrypted = encryptor.encrypt(data.webhook_secret)
        changed.append("webhook_secret")
    if data.settings is not None:
        connection.settings = {**connection.settings, **data.settings}
        changed.append("settings")
    if changed:
        await session.flush()
        await audit_service.record(
            session,
            actor,
            action="connection.update",
            subject_type="connection",
            subject_id=connection.id,
            data={"changed": changed},
        )
    return connection


async def remove_connection(session: AsyncSession, actor: Actor, ref: int | str) -> Connection:
    """Delete a connection (imported records stay; they keep their source and external ids)."""
    connection = await get_connection(session, actor, ref)
    session.expunge(connection)
    await ConnectorRepository(session, actor.store_id).delete_connection(connection.id)
    await audit_service.record(
        session,
        actor,
        action="connection.delete",
        subject_type="connection",
        subject_id=connection.id,
        data={"name": connection.name},
    )
    return connection


def credentials_of(connection: Connection, encryptor: Encryptor) -> dict[str, str]:
    """The decrypted credentials of a connection."""
    loaded = json.loads(encryptor.decrypt(connection.credentials_encrypted))
    return {str(k): str(v) for k, v in loaded.items()}


def webhook_secret_of(connection: Connection, encryptor: Encryptor) -> str | None:
    """The decrypted webhook secret of a connection (None when webhooks are not set up)."""
    if connection.webhook_secret_encrypted is None:
        return None
    return encryptor.decrypt(connection.webhook_secret_encrypted)


async def build_connector(
    session: AsyncSession, connection: Connection, encryptor: Encryptor, **kwargs: Any
) -> Connector:
    """The platform connector of a connection (prices default to the store's currency)."""
    store = await store_service.get_or_raise(session, connection.store_id)
    return registry.build(
        connection.platform,
        connection.base_url,
        credentials_of(connection, encryptor),
        connection.settings,
        currency=store.currency,
        **kwargs,
    )


async def list_runs(
    session: AsyncSession,
    actor: Actor,
    *,
    connection_id: int | None = None,
    before_id: int = 0,
    limit: int = 50,
) -> Sequence[SyncRun]:
    """Import and sync runs of the store, newest first."""
    return await ConnectorRepository(session, actor.store_id).runs(
        connection_id=connection_id, after_id=before_id, limit=limit
    )


async def list_dead_letters(
    session: AsyncSession,
    actor: Actor,
    *,
    status: str | None = "open",
    after_id: int = 0,
    limit: int = 50,
) -> Sequence[DeadLetter]:
    """Payloads that could not be applied, oldest first (open ones by default)."""
    return await ConnectorRepository(session, actor.store_id).dead_letters(
        status=status, after_id=after_id, limit=limit
    )


async def discard_dead_letter(session: AsyncSession, actor: Actor, letter_id: int) -> DeadLetter:
    """Give up on a dead letter (it stays listed as discarded)."""
    letter = await ConnectorRepository(session, actor.store_id).dead_letter(letter_id)
    if letter is None:
        raise DeadLetterNotFound(letter_id)
    if letter.status == "open":
        letter.status = "discarded"
        await session.flush()
        await audit_service.record(
            session,
            actor,
            action="dead_letter.discard",
            subject_type="dead_letter",
            subject_id=letter.id,
        )
    return letter


async def list_privacy_requests(
    session: AsyncSession,
    actor: Actor,
    *,
    status: str | None = None,
    after_id: int = 0,
    limit: int = 50,
) -> Sequence[PrivacyRequest]:
    """Privacy requests the platforms sent, oldest first, optionally in one status."""
    return await ConnectorRepository(session, actor.store_id).privacy_requests(
        status=status, after_id=after_id, limit=limit
    )


# ----------------------------------------------------------------------------- privacy
# The privacy context answers platforms' privacy requests and erases a person's values from
# what the connectors keep (payloads of deliveries and dead letters, sync-run errors).


async def pending_privacy_requests(
    session: AsyncSession, actor: Actor, *, limit: int = 50
) -> Sequence[PrivacyRequest]:
    """Platform privacy requests not handled yet, oldest first."""
    return await ConnectorRepository(session, actor.store_id).privacy_requests_in(
        "received", limit=limit
    )


async def get_privacy_request(
    session: AsyncSession, actor: Actor, *, request_id: int, for_update: bool = False
) -> PrivacyRequest | None:
    """One of the store's platform privacy requests, or None."""
    return await ConnectorRepository(session, actor.store_id).privacy_request(
        request_id, for_update=for_update
    )


async def finish_privacy_request(
    session: AsyncSession, actor: Actor, *, request_id: int, status: str, detail: str
) -> PrivacyRequest:
    """Record how a platform privacy request was answered (completed or failed)."""
    request = await ConnectorRepository(session, actor.store_id).privacy_request(request_id)
    if request is None:
        raise NotFound(
            f"Privacy request {request_id} not found.",
            code="privacy_request_not_found",
            privacy_request_id=request_id,
        )
    request.status = status
    request.detail = detail[:2000]
    request.completed_at = utcnow()
    await session.flush()
    await audit_service.record(
        session,
        actor,
        action="privacy_request.finish",
        subject_type="privacy_request",
        subject_id=request_id,
        data={"status": status, "kind": request.kind},
    )
    return request


async def connection_source(session: AsyncSession, actor: Actor, connection_id: int) -> str | None:
    """The `source` a connection writes on the records it imports, or None if it is gone."""
    connection = await ConnectorRepository(session, actor.store_id).connection(connection_id)
    return connection.source if connection is not None else None


async def privacy_requests_about(
    session: AsyncSession, actor: Actor, *, customer_id: int | None, external_ids: Sequence[str]
) -> Sequence[PrivacyRequest]:
    """Platform privacy requests that name a customer."""
    return await ConnectorRepository(session, actor.store_id).privacy_requests_about(
        customer_id, external_ids
    )


async def erase_person(
    session: AsyncSession, actor: Actor, *, needles: list[str]
) -> dict[str, int]:
    """Remove a person's values from delivery payloads, dead letters and sync-run errors;
    returns how many rows of each changed. The rows stay: they are the integration's log."""
    repo = ConnectorRepository(session, actor.store_id)
    counts = {"deliveries": 0, "dead_letters": 0, "sync_runs": 0}
    if not needles:
        return counts
    for delivery in await repo.mentioning(Delivery, needles):
        payload, a = scrub(delivery.payload or {}, needles)
        result, b = scrub(delivery.result or {}, needles)
        error, c = scrub_text(delivery.last_error or "", needles)
        if a or b or c:
            delivery.payload, delivery.result = payload, result
            delivery.last_error = error or delivery.last_error
            counts["deliveries"] += 1
    for letter in await repo.mentioning(DeadLetter, needles):
        payload, a = scrub(letter.payload or {}, needles)
        error, b = scrub_text(letter.error or "", needles)
        if a or b:
            letter.payload, letter.error = payload, error
            counts["dead_letters"] += 1
    for run in await repo.mentioning(SyncRun, needles):
        errors, a = scrub(run.errors or [], needles)
        detail, b = scrub_text(run.detail or "", needles)
        if a or b:
            run.errors, run.detail = errors, detail
            counts["sync_runs"] += 1
    await session.flush()
    return counts
