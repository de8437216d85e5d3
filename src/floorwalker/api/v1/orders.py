"""Orders: loading them, reading them, and the support operations on them.

Every operation takes `?preview=true` (returns the plan, writes nothing) and an
`Idempotency-Key` header (a retry with the same key and body returns the first result once).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Body, Header, Query, Response

from floorwalker.api.deps import ReadActor, SessionDep, WriteActor
from floorwalker.api.params import IdPath
from floorwalker.customers import service as customers_service
from floorwalker.kit.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from floorwalker.kit.upsert import BatchRequest, UpsertStatus, UpsertSummary
from floorwalker.orders import schemas
from floorwalker.orders import service as orders_service

router = APIRouter(tags=["orders"])

RowId = IdPath
Preview = Annotated[bool, Query(description="Return the plan of the operation without doing it.")]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Retrying with the same key and body returns the first result, once.",
    ),
]


@router.get("/orders", response_model=Page[schemas.OrderSummary])
async def list_orders(
    actor: ReadActor,
    session: SessionDep,
    customer_id: int | None = Query(default=None, ge=1, le=schemas.MAX_ID),
    status: schemas.OrderStatus | None = None,
    number: str | None = None,
    updated_since: dt.datetime | None = None,
    cursor: str | None = None,
    limit: int = Query(default=50, ge=1, le=500, description="Page size."),
) -> Page[schemas.OrderSummary]:
    """List orders, oldest first, by customer, status, number or last change."""
    size = clamp_limit(limit)
    rows = await orders_service.list_orders(
        session,
        actor,
        customer_id=customer_id,
        status=status.value if status else None,
        number=number,
        updated_since=updated_since,
        after_id=decode_cursor(cursor),
        limit=size + 1,
    )
    items = list(rows[:size])
    more = len(rows) > size
    return Page[schemas.OrderSummary](
        items=items, next_cursor=encode_cursor(items[-1].id) if more else None
    )


@router.get("/orders/{order_id}", response_model=schemas.Order)
async def read_order(order_id: RowId, actor: ReadActor, session: SessionDep) -> schemas.Order:
    """Read an order with lines, shipments, payment history, returns and exchanges."""
    return await orders_service.get_order(session, actor, order_id=order_id)


@router.post("/orders", response_model=schemas.OrderUpserted)
async def upsert_order(
    data: schemas.OrderRecord, actor: WriteActor, session: SessionDep, response: Response
) -> schemas.OrderUpserted:
    """Create or update an order (matched by id, source + external_id, then number)."""
    status, order = await orders_service.upsert_order(session, actor, data)
    response.status_code = 201 if status is UpsertStatus.CREATED else 200
    return schemas.OrderUpserted(status=status.value, order=order)


@router.post("/orders/batch", response_model=UpsertSummary)
async def upsert_orders(
    data: BatchRequest, actor: WriteActor, session: SessionDep
) -> UpsertSummary:
    """Create or update up to 1,000 orders; each record gets its own result."""
    return await orders_service.upsert_orders(session, actor, data.checked())


@router.post("/orders/{order_id}/cancel", response_model=schemas.CancelPlan)
async def cancel_order(
    order_id: RowId,
    data: schemas.CancelRequest,
    actor: WriteActor,
    session: SessionDep,
    key: IdempotencyKey = None,
    preview: Preview = False,
) -> schemas.CancelPlan:
    """Cancel a pending order: every payment refunded to its method, held stock released."""
    if preview:
        return await orders_service.plan_cancel(
            session, actor, order_id=order_id, reason=data.reason
        )
    return await orders_service.cancel(
        session, actor, order_id=order_id, reason=data.reason, idempotency_key=key
    )


@router.post("/orders/{order_id}/modify-address", response_model=schemas.AddressChangePlan)
async def modify_address(
    order_id: RowId,
    data: schemas.AddressChangeRequest,
    actor: WriteActor,
    session: SessionDep,
    key: IdempotencyKey = None,
    preview: Preview = False,
) -> schemas.AddressChangePlan:
    """Ship a pending order to a new address or one of the customer's saved addresses."""
    if preview:
        return await orders_service.plan_modify_address(
            session, actor, order_id=order_id, address=data.address, address_id=data.address_id
        )
    return await orders_service.modify_address(
        session,
        actor,
        order_id=order_id,
        address=data.address,
        address_id=data.address_id,
        idempotency_key=key,
    )


@router.post("/orders/{order_id}/modify-payment", response_model=schemas.PaymentChangePlan)
async def modify_payment(
    order_id: RowId,
    data: schemas.PaymentChangeRequest,
    actor: WriteActor,
    session: SessionDep,
    key: IdempotencyKey = None,
    preview: Preview = False,
) -> schemas.PaymentChangePlan:
    """Pay a pending order with another of the customer's methods: old refunded, new charged."""
    if preview:
        return await orders_service.plan_modify_payment(
            session, actor, order_id=order_id, payment_method_id=data.payment_method_id
        )
    return await orders_service.modify_payment(
        session,
        actor,
        order_id=order_id,
        payment_method_id=data.payment_method_id,
        idempotency_key=key,
    )


@router.post("/orders/{order_id}/modify-items", response_model=schemas.ItemsChangePlan)
async def modify_items(
    order_id: RowId,
    data: schemas.ItemsChangeRequest,
    actor: WriteActor,
    session: SessionDep,
    key: IdempotencyKey = None,
    preview: Preview = False,
) -> schemas.ItemsChangePlan:
    """Swap items of a pending order for other available options of the same products."""
    if preview:
        return await orders_service.plan_modify_items(
            session,
            actor,
            order_id=order_id,
            items=data.items,
            payment_method_id=data.payment_method_id,
        )
    return await orders_service.modify_items(
        session,
        actor,
        order_id=order_id,
        items=data.items,
        payment_method_id=data.payment_method_id,
        idempotency_key=key,
    )


@router.post("/orders/{order_id}/returns", response_model=schemas.ReturnPlan)
async def return_items(
    order_id: RowId,
    data: schemas.ReturnRequest,
    actor: WriteActor,
    session: SessionDep,
    key: IdempotencyKey = None,
    preview: Preview = False,
) -> schemas.ReturnPlan:
    """Request a return of delivered items; the refund is paid when the return is received."""
    if preview:
        return await orders_service.plan_return(
            session,
            actor,
            order_id=order_id,
            items=data.items,
            refund_payment_method_id=data.refund_payment_method_id,
            reason=data.reason,
        )
    return await orders_service.return_items(
        session,
        actor,
        order_id=order_id,
        items=data.items,
        refund_payment_method_id=data.refund_payment_method_id,
        reason=data.reason,
        idempotency_key=key,
    )


@router.post("/orders/{order_id}/exchanges", response_model=schemas.ExchangePlan)
async def exchange_items(
    order_id: RowId,
    data: schemas.ExchangeRequest,
    actor: WriteActor,
    session: SessionDep,
    key: IdempotencyKey = None,
    preview: Preview = False,
) -> schemas.ExchangePlan:
    """Request an exchange of delivered items for other options of the same products."""
    if preview:
        return await orders_service.plan_exchange(
            session,
            actor,
            order_id=order_id,
            items=data.items,
            payment_method_id=data.payment_method_id,
            reason=data.reason,
        )
    return await orders_service.exchange_items(
        session,
        actor,
        order_id=order_id,
        items=data.items,
        payment_method_id=data.payment_method_id,
        reason=data.reason,
        idempotency_key=key,
    )


@router.post(
    "/orders/{order_id}/returns/{return_id}/complete",
    response_model=schemas.ReturnCompletionPlan,
)
async def complete_return(
    order_id: RowId,
    return_id: RowId,
    actor: WriteActor,
    session: SessionDep,
    data: Annotated[schemas.CompletionRequest | None, Body()] = None,
    key: IdempotencyKey = None,
    preview: Preview = False,
) -> schemas.ReturnCompletionPlan:
    """Receive a return: units back on hand, refund paid (gift cards credited at once)."""
    body = data or schemas.CompletionRequest()
    if preview:
        return await orders_service.plan_complete_return(
            session,
            actor,
            order_id=order_id,
            return_id=return_id,
            location_id=body.location_id,
            restock=body.restock,
        )
    return await orders_service.complete_return(
        session,
        actor,
        order_id=order_id,
        return_id=return_id,
        location_id=body.location_id,
        restock=body.restock,
        idempotency_key=key,
    )


@router.post(
    "/orders/{order_id}/exchanges/{exchange_id}/complete",
    response_model=schemas.ExchangeCompletionPlan,
)
async def complete_exchange(
    order_id: RowId,
    exchange_id: RowId,
    actor: WriteActor,
    session: SessionDep,
    data: Annotated[schemas.CompletionRequest | None, Body()] = None,
    key: IdempotencyKey = None,
    preview: Preview = False,
) -> schemas.ExchangeCompletionPlan:
    """Complete an exchange: old units back on hand, replacement sent, a surplus refunded."""
    body = data or schemas.CompletionRequest()
    if preview:
        return await orders_service.plan_complete_exchange(
            session,
            actor,
            order_id=order_id,
            exchange_id=exchange_id,
            location_id=body.location_id,
            restock=body.restock,
        )
    return await orders_service.complete_exchange(
        session,
        actor,
        order_id=order_id,
        exchange_id=exchange_id,
        location_id=body.location_id,
        restock=body.restock,
        idempotency_key=key,
    )


@router.post(
    "/customers/{customer_id}/default-address",
    response_model=schemas.DefaultAddressPlan,
    tags=["customers"],
)
async def update_default_address(
    customer_id: RowId,
    data: schemas.AddressChangeRequest,
    actor: WriteActor,
    session: SessionDep,
    key: IdempotencyKey = None,
    preview: Preview = False,
) -> schemas.DefaultAddressPlan:
    """Make an address the customer's default; orders already placed keep theirs."""
    if preview:
        return await customers_service.plan_update_default_address(
            session,
            actor,
            customer_id=customer_id,
            address=data.address,
            address_id=data.address_id,
        )
    return await customers_service.update_default_address(
        session,
        actor,
        customer_id=customer_id,
        address=data.address,
        address_id=data.address_id,
        idempotency_key=key,
    )
