"""Stock locations and inventory levels: set on hand (one or a batch of 1,000) and read."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Response

from floorwalker.api.deps import AdminActor, ReadActor, SessionDep, WriteActor
from floorwalker.api.params import IdPath
from floorwalker.inventory import schemas
from floorwalker.inventory import service as inventory_service
from floorwalker.kit.clock import ensure_aware
from floorwalker.kit.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from floorwalker.kit.schemas import Schema
from floorwalker.kit.upsert import MAX_ID, BatchRequest, UpsertStatus, UpsertSummary

#: Ids in paths and filters: larger numbers than a row id can hold are a 422, not a crash.
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]

router = APIRouter(tags=["inventory"])

Limit = Query(default=50, ge=1, le=500, description="Page size.")


class LevelSetResult(Schema):
    """The result of setting one level."""

    status: str
    level: schemas.Level


# ---------------------------------------------------------------- locations


@router.get("/locations", response_model=Page[schemas.Location])
async def list_locations(
    actor: ReadActor, session: SessionDep, cursor: str | None = None, limit: int = Limit
) -> Page[schemas.Location]:
    """List stock locations, oldest first."""
    size = clamp_limit(limit)
    after = decode_cursor(cursor)
    found = sorted(
        (
            loc
            for loc in await inventory_service.list_locations(session, actor.store_id)
            if loc.id > after
        ),
        key=lambda loc: loc.id,
    )
    more = len(found) > size
    items = found[:size]
    return Page[schemas.Location](
        items=items, next_cursor=encode_cursor(items[-1].id) if more else None
    )


@router.get("/locations/{location_id}", response_model=schemas.Location)
async def read_location(
    location_id: IdPath, actor: ReadActor, session: SessionDep
) -> schemas.Location:
    """Read a stock location."""
    return await inventory_service.get_location_or_raise(session, actor.store_id, location_id)


@router.post("/locations", response_model=schemas.Location)
async def upsert_location(
    data: schemas.LocationUpsert, actor: WriteActor, session: SessionDep, response: Response
) -> schemas.Location:
    """Create or update a location (matched by id, source + external_id, then code)."""
    result = (await inventory_service.upsert_locations(session, actor, [data])).one()
    response.status_code = 201 if result.status is UpsertStatus.CREATED else 200
    assert result.id is not None
    return await inventory_service.get_location_or_raise(session, actor.store_id, result.id)


@router.post("/locations/batch", response_model=UpsertSummary)
async def upsert_locations(
    data: BatchRequest, actor: WriteActor, session: SessionDep
) -> UpsertSummary:
    """Create or update up to 1,000 locations."""
    return await inventory_service.upsert_locations(session, actor, data.checked())


@router.delete("/locations/{location_id}", status_code=204)
async def delete_location(location_id: IdPath, actor: AdminActor, session: SessionDep) -> None:
    """Delete a location and the stock recorded there."""
    await inventory_service.delete_location(session, actor, location_id)


# ---------------------------------------------------------------- levels


@router.get("/inventory/levels", response_model=Page[schemas.Level])
async def list_levels(
    actor: ReadActor,
    session: SessionDep,
    variant_id: IdQuery = None,
    sku: str | None = None,
    location_id: IdQuery = None,
    updated_since: dt.datetime | None = None,
    cursor: str | None = None,
    limit: int = Limit,
) -> Page[schemas.Level]:
    """List stock levels (on hand, reserved, available), oldest first."""
    size = clamp_limit(limit)
    levels = await inventory_service.list_levels(
        session,
        actor.store_id,
        after_id=decode_cursor(cursor),
        limit=size + 1,
        variant_id=variant_id,
        sku=sku,
        location_id=location_id,
        updated_since=ensure_aware(updated_since) if updated_since else None,
    )
    more = len(levels) > size
    items = levels[:size]
    return Page[schemas.Level](
        items=items, next_cursor=encode_cursor(items[-1].id) if more else None
    )


@router.post("/inventory/levels", response_model=LevelSetResult)
async def set_level(
    data: schemas.LevelSet, actor: WriteActor, session: SessionDep, response: Response
) -> LevelSetResult:
    """Set the units on hand of one variant at one location."""
    result = (await inventory_service.set_levels(session, actor, [data])).one()
    response.status_code = 201 if result.status is UpsertStatus.CREATED else 200
    assert result.id is not None
    level = await inventory_service.get_level(session, actor.store_id, result.id)
    assert level is not None
    return LevelSetResult(status=result.status.value, level=level)


@router.post("/inventory/levels/batch", response_model=UpsertSummary)
async def set_levels(data: BatchRequest, actor: WriteActor, session: SessionDep) -> UpsertSummary:
    """Set units on hand for up to 1,000 variant-location pairs."""
    return await inventory_service.set_levels(session, actor, data.checked())
