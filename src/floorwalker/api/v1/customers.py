"""Customers with addresses, payment-method references and gift-card balances; consent and
stated preferences."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from floorwalker.api.deps import AdminActor, ReadActor, SessionDep, WriteActor
from floorwalker.customers import schemas
from floorwalker.customers import service as customers_service
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import ensure_aware
from floorwalker.kit.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from floorwalker.kit.upsert import MAX_ID, BatchRequest, UpsertStatus, UpsertSummary
from floorwalker.orders import service as orders_service

#: Ids in paths and filters: larger numbers than a row id can hold are a 422, not a crash.
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]

router = APIRouter(tags=["customers"])

Limit = Query(default=50, ge=1, le=500, description="Page size.")


async def _read(session: SessionDep, actor: Actor, customer_id: int) -> schemas.Customer:
    customer = await customers_service.get_or_raise(session, actor.store_id, customer_id)
    count = await orders_service.count_orders(session, actor, customer_id=customer_id)
    return customers_service.to_read(customer, order_count=count)


@router.get("/customers", response_model=Page[schemas.Customer])
async def list_customers(
    actor: ReadActor,
    session: SessionDep,
    email: str | None = Query(default=None, description="Exact e-mail, case-insensitive."),
    source: str | None = None,
    external_id: str | None = None,
    updated_since: dt.datetime | None = None,
    cursor: str | None = None,
    limit: int = Limit,
) -> Page[schemas.Customer]:
    """List customers with addresses, payment methods and gift-card balances, oldest first."""
    size = clamp_limit(limit)
    customers = await customers_service.list_customers(
        session,
        actor.store_id,
        after_id=decode_cursor(cursor),
        limit=size + 1,
        email=email,
        source=source,
        external_id=external_id,
        updated_since=ensure_aware(updated_since) if updated_since else None,
    )
    items = [customers_service.to_read(c) for c in customers[:size]]
    more = len(customers) > size
    return Page[schemas.Customer](
        items=items, next_cursor=encode_cursor(items[-1].id) if more else None
    )


@router.get("/customers/{customer_id}", response_model=schemas.Customer)
async def read_customer(
    customer_id: IdPath, actor: ReadActor, session: SessionDep
) -> schemas.Customer:
    """Read a customer with addresses, payment methods, gift-card balances and order count."""
    return await _read(session, actor, customer_id)


@router.post("/customers", response_model=schemas.CustomerUpserted)
async def upsert_customer(
    data: schemas.CustomerUpsert, actor: WriteActor, session: SessionDep, response: Response
) -> schemas.CustomerUpserted:
    """Create or update a customer (matched by id, source + external_id, then e-mail)."""
    status, customer = await customers_service.upsert_customer(session, actor, data)
    response.status_code = 201 if status is UpsertStatus.CREATED else 200
    return schemas.CustomerUpserted(
        status=status.value, customer=await _read(session, actor, customer.id)
    )


@router.patch("/customers/{customer_id}", response_model=schemas.CustomerUpserted)
async def update_customer(
    customer_id: IdPath, data: schemas.CustomerUpsert, actor: WriteActor, session: SessionDep
) -> schemas.CustomerUpserted:
    """Change the fields of a customer that the body carries."""
    record = data.model_copy(update={"id": customer_id})
    record.model_fields_set.add("id")
    status, customer = await customers_service.upsert_customer(session, actor, record)
    return schemas.CustomerUpserted(
        status=status.value, customer=await _read(session, actor, customer.id)
    )


@router.post("/customers/batch", response_model=UpsertSummary)
async def upsert_customers(
    data: BatchRequest, actor: WriteActor, session: SessionDep
) -> UpsertSummary:
    """Create or update up to 1,000 customers; each record gets its own result."""
    return await customers_service.upsert_customers(session, actor, data.checked())


@router.delete("/customers/{customer_id}", status_code=204)
async def delete_customer(customer_id: IdPath, actor: AdminActor, session: SessionDep) -> None:
    """Delete a customer with addresses and payment methods (orders keep their snapshot)."""
    await customers_service.delete_customer(session, actor, customer_id)


@router.put("/customers/{customer_id}/consent/{purpose}", response_model=schemas.Customer)
async def set_consent(
    customer_id: IdPath,
    purpose: schemas.ConsentPurpose,
    data: schemas.ConsentUpdate,
    actor: WriteActor,
    session: SessionDep,
) -> schemas.Customer:
    """Record that the customer granted or withdrew consent for a purpose, now."""
    await customers_service.set_consent(session, actor, customer_id, purpose, data.granted)
    return await _read(session, actor, customer_id)


@router.patch("/customers/{customer_id}/preferences", response_model=schemas.Customer)
async def update_preferences(
    customer_id: IdPath, data: schemas.PreferencesUpdate, actor: WriteActor, session: SessionDep
) -> schemas.Customer:
    """Merge stated preferences (sizes, brands, budget, colours, dislikes) into the profile."""
    await customers_service.update_preferences(session, actor, customer_id, data)
    return await _read(session, actor, customer_id)
