"""Money on an order: what each payment method has paid, planned movements, applying them.

Stored value (gift cards, store credit) moves immediately: a refund credits the balance and a
charge debits it, both recorded as `succeeded`. Money a payment platform must move (cards,
PayPal) is recorded as a `pending` transaction the platform settles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.customers import service as customer_service
from floorwalker.customers.errors import PaymentMethodNotFound as CustomerMethodNotFound
from floorwalker.kit.actor import Actor
from floorwalker.kit.money import format_money
from floorwalker.orders.errors import (
    CurrencyMismatch,
    InsufficientGiftCardBalance,
    PaymentMethodNotFound,
)
from floorwalker.orders.models import Order, PaymentTransaction
from floorwalker.orders.schemas import (
    MAX_ID,
    MethodRef,
    MoneyMovement,
    TransactionKind,
    TransactionStatus,
)

STORED_VALUE_KINDS = frozenset({"gift_card", "store_credit"})


class PaymentMethodLike(Protocol):
    """What the orders context reads of a customer's payment method."""

    @property
    def id(self) -> int: ...
    @property
    def customer_id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def balance(self) -> int | None: ...
    @property
    def currency(self) -> str | None: ...


@dataclass
class Paid:
    """What one payment method has paid towards an order, net of refunds."""

    payment_method_id: int | None
    method_kind: str
    method_label: str
    amount: int

    @property
    def ref(self) -> MethodRef:
        """The method as a shopper recognises it."""
        return MethodRef(
            payment_method_id=self.payment_method_id, kind=self.method_kind, label=self.method_label
        )


def counts(transaction: PaymentTransaction) -> bool:
    """Failed transactions moved no money."""
    return transaction.status != TransactionStatus.FAILED


def paid_by_method(order: Order) -> list[Paid]:
    """Each method's net payment (payments − refunds), in the order first paid; positives only."""
    groups: dict[tuple[int | None, str, str], Paid] = {}
    for txn in order.transactions:
        if not counts(txn):
            continue
        key = (
            (txn.payment_method_id, "", "")
            if txn.payment_method_id is not None
            else (None, txn.method_kind, txn.method_label)
        )
        paid = groups.get(key)
        if paid is None:
            paid = groups[key] = Paid(txn.payment_method_id, txn.method_kind, txn.method_label, 0)
        paid.amount += txn.amount if txn.kind == TransactionKind.PAYMENT else -txn.amount
    return [p for p in groups.values() if p.amount > 0]


def amount_paid(order: Order) -> int:
    """Payments minus refunds over every method (pending ones included)."""
    total = 0
    for txn in order.transactions:
        if counts(txn):
            total += txn.amount if txn.kind == TransactionKind.PAYMENT else -txn.amount
    return total


def is_stored_value(kind: str) -> bool:
    """Gift cards and store credit hold a balance that moves at once."""
    return kind in STORED_VALUE_KINDS


def movement(
    kind: Literal["payment", "refund"],
    amount: int,
    currency: str,
    *,
    payment_method_id: int | None,
    method_kind: str,
    method_label: str,
    reason: str,
) -> MoneyMovement:
    """A planned movement; stored value on a known method moves at once, the rest is pending."""
    immediate = is_stored_value(method_kind) and payment_method_id is not None
    return MoneyMovement(
        kind=kind,
        amount=amount,
        currency=currency,
        payment_method_id=payment_method_id,
        method_kind=method_kind,
        method_label=method_label,
        status="succeeded" if immediate else "pending",
        reason=reason,
    )


def method_movement(
    kind: Literal["payment", "refund"],
    amount: int,
    currency: str,
    method: PaymentMethodLike,
    reason: str,
) -> MoneyMovement:
    """A planned movement on a customer's payment method."""
    return movement(
        kind,
        amount,
        currency,
        payment_method_id=method.id,
        method_kind=method.kind,
        method_label=method.label,
        reason=reason,
    )


def ref_of(method: PaymentMethodLike) -> MethodRef:
    """A payment method as a shopper recognises it."""
    return MethodRef(payment_method_id=method.id, kind=method.kind, label=method.label)


def describe_movement(m: MoneyMovement) -> str:
    """ "refund $45.00 to Visa ending 4242 (5-7 business days)"."""
    amount = format_money(m.amount, m.currency)
    if m.kind == "refund":
        when = "immediately" if m.status == "succeeded" else "within 5-7 business days"
        return f"refund {amount} to {m.method_label} ({when})"
    return f"charge {amount} to {m.method_label}"


async def customer_method(
    session: AsyncSession,
    actor: Actor,
    *,
    customer_id: int,
    payment_method_id: int,
    lock: bool,
) -> PaymentMethodLike:
    """One of the customer's active methods, re-read under a lock when executing."""
    if not 1 <= payment_method_id <= MAX_ID:
        raise PaymentMethodNotFound(payment_method_id)
    try:
        method = await customer_service.payment_method_of_or_raise(
            session,
            actor.store_id,
            customer_id=customer_id,
            payment_method_id=payment_method_id,
            for_update=lock,
        )
    except CustomerMethodNotFound:
        raise PaymentMethodNotFound(payment_method_id) from None
    if lock:
        # The row may already sit in the session from an earlier read; plan on the locked state.
        await session.refresh(method)
    return method


def ensure_can_pay(method: PaymentMethodLike, amount: int, currency: str) -> None:
    """A gift card or store credit must hold the order's currency and cover `amount`."""
    if not is_stored_value(method.kind):
        return
    if method.currency is not None and method.currency != currency:
        raise CurrencyMismatch(method.id, method.currency, currency)
    if (method.balance or 0) < amount:
        raise InsufficientGiftCardBalance(method.id, method.balance or 0, amount)


def ensure_can_receive(method: PaymentMethodLike, currency: str) -> None:
    """A gift card or store credit can only be credited in its own currency."""
    if is_stored_value(method.kind) and method.currency is not None and method.currency != currency:
        raise CurrencyMismatch(method.id, method.currency, currency)


async def apply_movements(
    session: AsyncSession, actor: Actor, order: Order, movements: list[MoneyMovement]
) -> None:
    """Record each movement on the order and move stored-value balances; sets transaction ids."""
    for m in movements:
        if m.status == "succeeded" and m.payment_method_id is not None:
            method = await customer_service.payment_method_for_update(
                session, actor.store_id, m.payment_method_id
            )
            if method is not None:
                # Locked now; re-read so the balance moves from its current value.
                await session.refresh(method)
                if m.kind == "payment":
                    await customer_service.debit(session, method, m.amount)
                else:
                    await customer_service.credit(session, method, m.amount)
        txn = PaymentTransaction(
            store_id=order.store_id,
            kind=m.kind,
            amount=m.amount,
            currency=m.currency,
            payment_method_id=m.payment_method_id,
            method_kind=m.method_kind,
            method_label=m.method_label,
            status=m.status,
            reason=m.reason,
        )
        order.transactions.append(txn)
        await session.flush()
        m.transaction_id = txn.id


def totals(movements: list[MoneyMovement]) -> tuple[int, int]:
    """(refund total, charge total) of planned movements."""
    refunds = sum(m.amount for m in movements if m.kind == "refund")
    charges = sum(m.amount for m in movements if m.kind == "payment")
    return refunds, charges
