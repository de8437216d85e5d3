"""What the orders context holds about a person: export, and erasure that keeps the accounts.

A person's orders are the ones linked to their customer record, the guest orders placed with
their e-mail (found by its blind index) and any a platform names. Erasure either deletes them
or, when the store keeps order financials (its privacy setting, the default), anonymises them:
amounts, currency, dates, statuses, SKUs, product titles and quantities stay for the accounts;
the e-mail, the shipping address (but its country, which tax reporting needs), notes, reasons
typed by people, tracking numbers and payment-method labels go, and so does the link to the
customer.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.kit.actor import Actor
from floorwalker.kit.fields import blind_candidates
from floorwalker.kit.pii import scrub
from floorwalker.orders.models import Order
from floorwalker.orders.repository import ORDERS, OrderRepository
from floorwalker.orders.schemas import OrderStatus
from floorwalker.orders.service.reading import to_schema

#: Orders still being fulfilled, returned or exchanged: erasing them needs a deliberate choice.
OPEN_STATUSES = frozenset(
    {
        OrderStatus.PENDING,
        OrderStatus.PROCESSING,
        OrderStatus.SHIPPED,
        OrderStatus.RETURN_REQUESTED,
        OrderStatus.EXCHANGE_REQUESTED,
    }
)

_METHOD_NAMES = {
    "card": "Card",
    "paypal": "PayPal",
    "gift_card": "Gift card",
    "store_credit": "Store credit",
}


async def orders_of_person(
    session: AsyncSession,
    store_id: int,
    *,
    customer_id: int | None,
    email: str | None,
    order_ids: Collection[int] = (),
) -> Sequence[Order]:
    """A person's orders (see the module doc), with everything loaded, oldest first."""
    keys = blind_candidates(ORDERS, "email", email) if email else []
    return await OrderRepository(session, store_id).of_person(
        customer_id=customer_id, email_keys=keys, order_ids=order_ids
    )


async def order_ids_by_external(
    session: AsyncSession, store_id: int, *, source: str, external_ids: Collection[str]
) -> Sequence[int]:
    """Ids of the orders a platform names by its own ids (e.g. Shopify's orders_to_redact)."""
    return await OrderRepository(session, store_id).ids_by_external(source, external_ids)


async def guest_order_ids_of_source(
    session: AsyncSession, store_id: int, *, source: str, limit: int = 200
) -> Sequence[int]:
    """Orders from a source linked to no customer and not yet anonymised (a shop's redaction)."""
    return await OrderRepository(session, store_id).guest_ids_of_source(source, limit=limit)


async def export_person(
    session: AsyncSession,
    store_id: int,
    *,
    customer_id: int | None,
    email: str | None,
    order_ids: Collection[int] = (),
) -> list[dict[str, Any]]:
    """A person's orders with lines, shipments, payments, returns and exchanges, as JSON."""
    orders = await orders_of_person(
        session, store_id, customer_id=customer_id, email=email, order_ids=order_ids
    )
    return [to_schema(order).model_dump(mode="json") for order in orders]


def open_orders(orders: Sequence[Order]) -> list[Order]:
    """The orders still in progress (fulfilment, return or exchange)."""
    return [o for o in orders if o.status in OPEN_STATUSES]


async def erase_person(
    session: AsyncSession,
    actor: Actor,
    *,
    customer_id: int | None,
    email: str | None,
    needles: list[str],
    keep_financials: bool,
    order_ids: Collection[int] = (),
) -> dict[str, Any]:
    """Anonymise (or delete) a person's orders; returns counts and the orders' ids.

    Orders still in progress are always anonymised, never deleted: their stock reservations
    and payments are still moving. `needles` are the person's known values (e-mail, names,
    phone, address lines), removed from free text that stays (line options, refund notes).
    """
    orders = list(
        await orders_of_person(
            session, actor.store_id, customer_id=customer_id, email=email, order_ids=order_ids
        )
    )
    ids = [o.id for o in orders]
    deleted = 0
    anonymised = 0
    for order in orders:
        if not keep_financials and order.status not in OPEN_STATUSES:
            await session.delete(order)
            deleted += 1
            continue
        _anonymise(order, needles)
        anonymised += 1
    await session.flush()
    if orders:
        await audit_service.record(
            session,
            actor,
            action="order.erase_personal_data",
            subject_type="customer" if customer_id is not None else "orders",
            subject_id=customer_id if customer_id is not None else ",".join(map(str, ids))[:64],
            data={"anonymised": anonymised, "deleted": deleted, "order_ids": ids},
        )
    return {"order_ids": ids, "anonymised": anonymised, "deleted": deleted}


def _anonymise(order: Order, needles: list[str]) -> None:
    country = (order.shipping_address or {}).get("country")
    order.customer_id = None
    order.email = None
    order.shipping_address = {"country": country} if country else {}
    order.note = ""
    order.cancel_reason = None
    for line in order.lines:
        line.options = scrub(line.options or {}, needles)[0]
    for fulfilment in order.fulfilments:
        fulfilment.tracking_numbers = []
        fulfilment.tracking_url = None
    for transaction in order.transactions:
        transaction.method_label = _METHOD_NAMES.get(transaction.method_kind, "")
        transaction.reason = scrub(transaction.reason or "", needles)[0]
    for returned in order.returns:
        returned.reason = ""
        returned.refund_method_label = _label_kind(returned.refund_method_label)
        returned.refunds = [
            {**r, "method_label": _METHOD_NAMES.get(str(r.get("method_kind")), "")}
            if isinstance(r, dict)
            else r
            for r in scrub(returned.refunds or [], needles)[0]
        ]
        returned.items = scrub(returned.items or [], needles)[0]
    for exchange in order.exchanges:
        exchange.reason = ""
        exchange.settlement_method_label = _METHOD_NAMES.get(exchange.settlement_method_kind, "")
        exchange.items = scrub(exchange.items or [], needles)[0]


def _label_kind(label: str) -> str:
    """ "Visa ending 4242" → "Card": a label names a payment method, its kind does not."""
    lowered = label.lower()
    if "paypal" in lowered:
        return "PayPal"
    if "gift card" in lowered:
        return "Gift card"
    if "store credit" in lowered:
        return "Store credit"
    return "Card" if label else ""
