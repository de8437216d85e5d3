"""Connections to platforms, their sync history and dead letters; outbound webhooks and the
delivery log of webhooks and write-backs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from floorwalker.api.deps import AdminActor, DatabaseDep, SessionDep, SettingsDep
from floorwalker.api.params import IdPath, IdQuery
from floorwalker.connectors import inbound, schemas
from floorwalker.connectors import service as connectors_service
from floorwalker.connectors.sync import sync_connection
from floorwalker.kit.crypto import Encryptor
from floorwalker.kit.pagination import Page, clamp_limit, decode_cursor, encode_cursor

router = APIRouter(tags=["connectors"])


def get_encryptor(settings: SettingsDep) -> Encryptor:
    """The encryptor for platform credentials and webhook secrets."""
    return connectors_service.connector_encryptor(settings.secret_key.get_secret_value())


EncryptorDep = Annotated[Encryptor, Depends(get_encryptor)]


# ---------------------------------------------------------------- connections


@router.post("/connections", response_model=schemas.Connection, status_code=201)
async def add_connection(
    data: schemas.ConnectionCreate, actor: AdminActor, session: SessionDep, encryptor: EncryptorDep
) -> schemas.Connection:
    """Connect a Shopify or WooCommerce store; credentials are stored encrypted."""
    connection = await connectors_service.add_connection(
        session, actor, data=data, encryptor=encryptor
    )
    return connectors_service.to_read(connection)


@router.get("/connections", response_model=list[schemas.Connection])
async def list_connections(actor: AdminActor, session: SessionDep) -> list[schemas.Connection]:
    """List the store's connections (never their credentials)."""
    return [
        connectors_service.to_read(c)
        for c in await connectors_service.list_connections(session, actor)
    ]


@router.get("/connections/{ref}", response_model=schemas.Connection)
async def read_connection(ref: str, actor: AdminActor, session: SessionDep) -> schemas.Connection:
    """Read a connection by id or name, with its sync state and webhook path."""
    return connectors_service.to_read(await connectors_service.get_connection(session, actor, ref))


@router.patch("/connections/{ref}", response_model=schemas.Connection)
async def update_connection(
    ref: str,
    data: schemas.ConnectionUpdate,
    actor: AdminActor,
    session: SessionDep,
    encryptor: EncryptorDep,
) -> schemas.Connection:
    """Pause or resume a connection, or replace its credentials, secret or settings."""
    connection = await connectors_service.update_connection(
        session, actor, ref, data=data, encryptor=encryptor
    )
    return connectors_service.to_read(connection)


@router.delete("/connections/{ref}", status_code=204)
async def remove_connection(ref: str, actor: AdminActor, session: SessionDep) -> Response:
    """Remove a connection; the records it imported stay."""
    await connectors_service.remove_connection(session, actor, ref)
    return Response(status_code=204)


@router.post("/connections/{ref}/sync", response_model=schemas.SyncResult)
async def sync(
    ref: str,
    actor: AdminActor,
    db: DatabaseDep,
    encryptor: EncryptorDep,
    data: schemas.SyncRequest | None = None,
) -> schemas.SyncResult:
    """Sync now: every resource (or those named) from the stored cursor, or in full."""
    request = data or schemas.SyncRequest()
    return await sync_connection(
        db, encryptor, actor, ref, resources=request.resources, full=request.full
    )


@router.get("/sync-runs", response_model=Page[schemas.SyncRun])
async def list_runs(
    actor: AdminActor,
    session: SessionDep,
    connection_id: IdQuery = None,
    cursor: str | None = None,
    limit: int = Query(default=50, ge=1, le=500),
) -> Page[schemas.SyncRun]:
    """Import and sync history, newest first, with counts and the first errors."""
    size = clamp_limit(limit)
    rows = await connectors_service.list_runs(
        session, actor, connection_id=connection_id, before_id=decode_cursor(cursor), limit=size + 1
    )
    items = [schemas.SyncRun.model_validate(r) for r in rows[:size]]
    return Page(items=items, next_cursor=encode_cursor(items[-1].id) if len(rows) > size else None)


# ---------------------------------------------------------------- dead letters


@router.get("/dead-letters", response_model=Page[schemas.DeadLetter])
async def list_dead_letters(
    actor: AdminActor,
    session: SessionDep,
    status: str | None = Query(default="open", description="open, resolved or discarded."),
    cursor: str | None = None,
    limit: int = Query(default=50, ge=1, le=500),
) -> Page[schemas.DeadLetter]:
    """Payloads that could not be applied, oldest first."""
    size = clamp_limit(limit)
    rows = await connectors_service.list_dead_letters(
        session, actor, status=status, after_id=decode_cursor(cursor), limit=size + 1
    )
    items = [schemas.DeadLetter.model_validate(r) for r in rows[:size]]
    return Page(items=items, next_cursor=encode_cursor(items[-1].id) if len(rows) > size else None)


@router.post("/dead-letters/{letter_id}/replay", response_model=schemas.DeadLetter)
async def replay_dead_letter(
    letter_id: IdPath, actor: AdminActor, db: DatabaseDep, encryptor: EncryptorDep
) -> schemas.DeadLetter:
    """Apply a dead letter again; resolved if it goes through, else kept with the new error."""
    return schemas.DeadLetter.model_validate(await inbound.replay(db, encryptor, actor, letter_id))


@router.post("/dead-letters/{letter_id}/discard", response_model=schemas.DeadLetter)
async def discard_dead_letter(
    letter_id: IdPath, actor: AdminActor, session: SessionDep
) -> schemas.DeadLetter:
    """Give up on a dead letter (it stays listed as discarded)."""
    letter = await connectors_service.discard_dead_letter(session, actor, letter_id)
    return schemas.DeadLetter.model_validate(letter)


# ---------------------------------------------------------------- outbound webhooks


@router.post("/webhook-endpoints", response_model=schemas.EndpointCreated, status_code=201)
async def create_endpoint(
    data: schemas.EndpointCreate, actor: AdminActor, session: SessionDep, encryptor: EncryptorDep
) -> schemas.EndpointCreated:
    """Add an endpoint; the answer carries its signing secret, shown only this once."""
    endpoint, secret = await connectors_service.create_endpoint(
        session, actor, data=data, encryptor=encryptor
    )
    read = schemas.Endpoint.model_validate(endpoint)
    return schemas.EndpointCreated(**read.model_dump(), secret=secret)


@router.get("/webhook-endpoints", response_model=list[schemas.Endpoint])
async def list_endpoints(actor: AdminActor, session: SessionDep) -> list[schemas.Endpoint]:
    """List the store's endpoints."""
    return [
        schemas.Endpoint.model_validate(e)
        for e in await connectors_service.list_endpoints(session, actor)
    ]


@router.patch("/webhook-endpoints/{endpoint_id}", response_model=schemas.Endpoint)
async def update_endpoint(
    endpoint_id: IdPath, data: schemas.EndpointUpdate, actor: AdminActor, session: SessionDep
) -> schemas.Endpoint:
    """Change an endpoint's URL, events, description or whether it is active."""
    endpoint = await connectors_service.update_endpoint(session, actor, endpoint_id, data=data)
    return schemas.Endpoint.model_validate(endpoint)


@router.delete("/webhook-endpoints/{endpoint_id}", status_code=204)
async def delete_endpoint(endpoint_id: IdPath, actor: AdminActor, session: SessionDep) -> Response:
    """Remove an endpoint and its delivery log."""
    await connectors_service.delete_endpoint(session, actor, endpoint_id)
    return Response(status_code=204)


@router.get("/deliveries", response_model=Page[schemas.Delivery])
async def list_deliveries(
    actor: AdminActor,
    session: SessionDep,
    status: str | None = Query(
        default=None, description="pending, delivered, failed or unsupported."
    ),
    endpoint_id: IdQuery = None,
    connection_id: IdQuery = None,
    cursor: str | None = None,
    limit: int = Query(default=50, ge=1, le=500),
) -> Page[schemas.Delivery]:
    """The delivery log of webhooks and write-backs, newest first."""
    size = clamp_limit(limit)
    rows = await connectors_service.list_deliveries(
        session,
        actor,
        status=status,
        endpoint_id=endpoint_id,
        connection_id=connection_id,
        before_id=decode_cursor(cursor),
        limit=size + 1,
    )
    items = [schemas.Delivery.model_validate(r) for r in rows[:size]]
    return Page(items=items, next_cursor=encode_cursor(items[-1].id) if len(rows) > size else None)


@router.get("/deliveries/{delivery_id}", response_model=schemas.Delivery)
async def read_delivery(
    delivery_id: IdPath, actor: AdminActor, session: SessionDep
) -> schemas.Delivery:
    """Read one delivery with its payload and last error."""
    return schemas.Delivery.model_validate(
        await connectors_service.get_delivery(session, actor, delivery_id)
    )


@router.post("/deliveries/{delivery_id}/retry", response_model=schemas.Delivery)
async def retry_delivery(
    delivery_id: IdPath, actor: AdminActor, session: SessionDep
) -> schemas.Delivery:
    """Queue a failed delivery again, now, with a fresh set of attempts."""
    return schemas.Delivery.model_validate(
        await connectors_service.retry_delivery(session, actor, delivery_id)
    )
