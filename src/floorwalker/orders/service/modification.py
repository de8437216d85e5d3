"""Changing a pending order's shipping address or payment method."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.customers import service as customer_service
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.orders.errors import (
    AddressNotFound,
    MultiplePayments,
    NoCustomer,
    NoPayment,
    NothingToChange,
    OrderInvalid,
    PaymentMethodUnchanged,
)
from floorwalker.orders.models import Order
from floorwalker.orders.schemas import (
    ADDRESS_KEYS,
    AddressChangePlan,
    AddressInput,
    Operation,
    PaymentChangePlan,
    format_address,
    normalise_address,
)
from floorwalker.orders.service import execution
from floorwalker.orders.service.access import ensure_can_change, load_order, load_policy
from floorwalker.orders.service.money import (
    apply_movements,
    customer_method,
    describe_movement,
    ensure_can_pay,
    method_movement,
    movement,
    paid_by_method,
    ref_of,
    totals,
)
from floorwalker.orders.service.rules import ensure_modifiable

# ----------------------------------------------------------------------------- address


async def _new_address(
    session: AsyncSession,
    actor: Actor,
    order: Order,
    address: AddressInput | None,
    address_id: int | None,
) -> dict[str, Any]:
    if (address is None) == (address_id is None):
        raise OrderInvalid(
            "Give either a new address or the id of a saved address.", code="address_required"
        )
    if address is not None:
        return address.snapshot()
    assert address_id is not None
    if order.customer_id is None:
        raise NoCustomer
    customer = await customer_service.get_or_raise(session, actor.store_id, order.customer_id)
    saved = next((a for a in customer.addresses if a.id == address_id), None)
    if saved is None:
        raise AddressNotFound(address_id)
    return normalise_address({key: getattr(saved, key) for key in ADDRESS_KEYS})


async def _plan_address(
    session: AsyncSession,
    actor: Actor,
    order: Order,
    address: AddressInput | None,
    address_id: int | None,
) -> AddressChangePlan:
    ensure_modifiable(order, await load_policy(session, actor))
    after = await _new_address(session, actor, order, address, address_id)
    before = normalise_address(order.shipping_address or {})
    if after == before:
        raise NothingToChange("The order already ships to this address.")
    return AddressChangePlan(
        operation=Operation.MODIFY_ADDRESS,
        order_id=order.id,
        order_number=order.number,
        customer_id=order.customer_id,
        currency=order.currency,
        status_before=order.status,
        status_after=order.status,
        address_before=before,
        address_after=after,
        summary=f"Ship order {order.number} to {format_address(after)} "
        f"instead of {format_address(before) or 'no address'}.",
    )


async def plan_modify_address(
    session: AsyncSession,
    actor: Actor,
    *,
    order_id: int,
    address: AddressInput | None = None,
    address_id: int | None = None,
) -> AddressChangePlan:
    """Show what changing the order's shipping address would do, without doing it."""
    ensure_can_change(actor)
    order = await load_order(session, actor, order_id)
    return await _plan_address(session, actor, order, address, address_id)


async def modify_address(
    session: AsyncSession,
    actor: Actor,
    *,
    order_id: int,
    address: AddressInput | None = None,
    address_id: int | None = None,
    idempotency_key: str | None = None,
) -> AddressChangePlan:
    """Ship a pending order to a new address or one of the customer's saved addresses."""
    ensure_can_change(actor)

    async def apply(order: Order) -> AddressChangePlan:
        plan = await _plan_address(session, actor, order, address, address_id)
        order.shipping_address = plan.address_after
        order.updated_at = utcnow()
        await session.flush()
        return plan

    return await execution.run(
        session,
        actor,
        operation=Operation.MODIFY_ADDRESS,
        subject_type="order",
        subject_id=order_id,
        arguments={
            "order_id": order_id,
            "address": address.model_dump() if address else None,
            "address_id": address_id,
        },
        idempotency_key=idempotency_key,
        result_type=AddressChangePlan,
        lock=lambda: load_order(session, actor, order_id, lock=True),
        apply=apply,
    )


# ----------------------------------------------------------------------------- payment


async def _plan_payment(
    session: AsyncSession, actor: Actor, order: Order, payment_method_id: int, *, lock: bool
) -> PaymentChangePlan:
    ensure_modifiable(order, await load_policy(session, actor))
    if order.customer_id is None:
        raise NoCustomer
    paid = paid_by_method(order)
    if not paid:
        raise NoPayment
    if len(paid) > 1:
        raise MultiplePayments(len(paid))
    old = paid[0]
    new = await customer_method(
        session,
        actor,
        customer_id=order.customer_id,
        payment_method_id=payment_method_id,
        lock=lock,
    )
    if new.id == old.payment_method_id:
        raise PaymentMethodUnchanged(new.id)
    ensure_can_pay(new, old.amount, order.currency)
    movements = [
        movement(
            "refund",
            old.amount,
            order.currency,
            payment_method_id=old.payment_method_id,
            method_kind=old.method_kind,
            method_label=old.method_label,
            reason="payment method changed",
        ),
        method_movement("payment", old.amount, order.currency, new, "payment method changed"),
    ]
    refund_total, charge_total = totals(movements)
    return PaymentChangePlan(
        operation=Operation.MODIFY_PAYMENT,
        order_id=order.id,
        order_number=order.number,
        customer_id=order.customer_id,
        currency=order.currency,
        status_before=order.status,
        status_after=order.status,
        movements=movements,
        refund_total=refund_total,
        charge_total=charge_total,
        amount=old.amount,
        method_before=old.ref,
        method_after=ref_of(new),
        summary=f"Pay order {order.number} with {new.label} instead of {old.method_label}: "
        + "; ".join(describe_movement(m) for m in movements)
        + ".",
    )


async def plan_modify_payment(
    session: AsyncSession, actor: Actor, *, order_id: int, payment_method_id: int
) -> PaymentChangePlan:
    """Show what paying the order with another method would do, without doing it."""
    ensure_can_change(actor)
    order = await load_order(session, actor, order_id)
    return await _plan_payment(session, actor, order, payment_method_id, lock=False)


async def modify_payment(
    session: AsyncSession,
    actor: Actor,
    *,
    order_id: int,
    payment_method_id: int,
    idempotency_key: str | None = None,
) -> PaymentChangePlan:
    """Pay a pending order with another of the customer's methods: refund old, charge new."""
    ensure_can_change(actor)

    async def apply(order: Order) -> PaymentChangePlan:
        plan = await _plan_payment(session, actor, order, payment_method_id, lock=True)
        await apply_movements(session, actor, order, plan.movements)
        order.updated_at = utcnow()
        await session.flush()
        return plan

    return await execution.run(
        session,
        actor,
        operation=Operation.MODIFY_PAYMENT,
        subject_type="order",
        subject_id=order_id,
        arguments={"order_id": order_id, "payment_method_id": payment_method_id},
        idempotency_key=idempotency_key,
        result_type=PaymentChangePlan,
        lock=lambda: load_order(session, actor, order_id, lock=True),
        apply=apply,
    )
