"""Platforms' privacy requests (Shopify's mandatory webhooks) answered by the privacy services.

The connectors context records each request as it arrives (`privacy_requests`, status
`received`); `answer_platform_request` carries one out and marks it completed or failed:

- `customer_redact` erases the customer (even with orders in progress: the platform decides
  when to send it) and anonymises the orders the request names;
- `customer_data_request` confirms the customer is known and points staff at the export,
  which they download (audited) and hand to the shopper through the platform;
- `shop_redact` erases every customer that came from the shop, and anonymises its guest orders,
  a batch per call: the request stays `received` until the last batch.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.connectors import service as connectors_service
from floorwalker.customers import service as customers_service
from floorwalker.kit.actor import Actor
from floorwalker.orders import service as orders_service
from floorwalker.privacy.erasure import erase_customer, erase_orders
from floorwalker.privacy.errors import PlatformRequestNotFound
from floorwalker.privacy.models import PrivacyReceipt
from floorwalker.privacy.schemas import Origin

#: Customers erased per call for a shop's redaction (each call is one transaction).
SHOP_BATCH = 25


@dataclass
class Answer:
    """What answering a request did: its status now, and any receipts made."""

    platform_request_id: int
    kind: str
    status: str
    detail: str
    receipts: list[PrivacyReceipt]


async def answer_platform_request(
    session: AsyncSession, actor: Actor, *, request_id: int
) -> Answer:
    """Carry out one platform privacy request (or the next batch of a shop's redaction)."""
    request = await connectors_service.get_privacy_request(
        session, actor, request_id=request_id, for_update=True
    )
    if request is None:
        raise PlatformRequestNotFound(request_id)
    if request.status != "received":
        return Answer(request.id, request.kind, request.status, request.detail, [])
    source = (
        await connectors_service.connection_source(session, actor, request.connection_id)
        if request.connection_id is not None
        else None
    )
    if request.kind == "shop_redact":
        return await _redact_shop(session, actor, request.id, source)
    customer = (
        await customers_service.get(session, actor.store_id, request.customer_id)
        if request.customer_id is not None
        else None
    )
    made: list[PrivacyReceipt] = []
    if request.kind == "customer_data_request":
        if customer is None:
            detail = "No data held: the customer is not known here."
        else:
            detail = (
                f"Export ready: download it in the console (Privacy) or from "
                f"GET /v1/customers/{customer.id}/export, and send it to the shopper."
            )
    else:
        order_ids = (
            list(
                await orders_service.order_ids_by_external(
                    session, actor.store_id, source=source, external_ids=request.order_external_ids
                )
            )
            if source is not None
            else []
        )
        if customer is not None:
            made.append(
                await erase_customer(
                    session,
                    actor,
                    customer_id=customer.id,
                    origin=Origin.SHOPIFY,
                    force=True,
                    order_ids=order_ids,
                    platform_request_id=request.id,
                )
            )
        elif order_ids:
            made.append(
                await erase_orders(
                    session,
                    actor,
                    order_ids=order_ids,
                    origin=Origin.SHOPIFY,
                    platform_request_id=request.id,
                )
            )
        detail = (
            f"Erased; receipt {made[0].public_id}."
            if made
            else "No data held: neither the customer nor the orders are known here."
        )
    await connectors_service.finish_privacy_request(
        session, actor, request_id=request.id, status="completed", detail=detail
    )
    return Answer(request.id, request.kind, "completed", detail, made)


async def _redact_shop(
    session: AsyncSession, actor: Actor, request_id: int, source: str | None
) -> Answer:
    if source is None:
        detail = "The connection is gone; its customers were removed with it or never imported."
        await connectors_service.finish_privacy_request(
            session, actor, request_id=request_id, status="completed", detail=detail
        )
        return Answer(request_id, "shop_redact", "completed", detail, [])
    customers = await customers_service.list_customers(
        session, actor.store_id, source=source, limit=SHOP_BATCH
    )
    made = [
        await erase_customer(
            session,
            actor,
            customer_id=c.id,
            origin=Origin.SHOPIFY,
            force=True,
            platform_request_id=request_id,
        )
        for c in customers
    ]
    if not made:
        guests = list(
            await orders_service.guest_order_ids_of_source(session, actor.store_id, source=source)
        )
        if guests:
            made.append(
                await erase_orders(
                    session,
                    actor,
                    order_ids=guests,
                    origin=Origin.SHOPIFY,
                    platform_request_id=request_id,
                )
            )
    if made:
        return Answer(request_id, "shop_redact", "received", "In progress.", made)
    detail = "Every customer and guest order from the shop has been erased."
    await connectors_service.finish_privacy_request(
        session, actor, request_id=request_id, status="completed", detail=detail
    )
    return Answer(request_id, "shop_redact", "completed", detail, [])
