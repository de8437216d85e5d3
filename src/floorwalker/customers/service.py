"""Rules of the customers context: profiles, addresses, payment methods and gift-card balances."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.customers.errors import (
    CustomerNotFound,
    InsufficientGiftCardBalance,
    PaymentMethodNotFound,
)
from floorwalker.customers.models import Address, Customer, PaymentMethod
from floorwalker.customers.repository import CustomerRepository

STORED_VALUE_KINDS = frozenset({"gift_card", "store_credit"})


async def get(session: AsyncSession, store_id: int, customer_id: int) -> Customer | None:
    """A customer of the store with addresses and payment methods, or None."""
    return await CustomerRepository(session, store_id).get(customer_id)


async def get_or_raise(session: AsyncSession, store_id: int, customer_id: int) -> Customer:
    """A customer of the store; raises CustomerNotFound."""
    customer = await get(session, store_id, customer_id)
    if customer is None:
        raise CustomerNotFound(customer_id)
    return customer


async def payment_method_of_or_raise(
    session: AsyncSession,
    store_id: int,
    *,
    customer_id: int,
    payment_method_id: int,
    for_update: bool = False,
) -> PaymentMethod:
    """One of the customer's active payment methods; raises PaymentMethodNotFound."""
    method = await CustomerRepository(session, store_id).payment_method(
        customer_id, payment_method_id, for_update=for_update
    )
    if method is None or not method.active:
        raise PaymentMethodNotFound(payment_method_id)
    return method


async def payment_method_for_update(
    session: AsyncSession, store_id: int, payment_method_id: int
) -> PaymentMethod | None:
    """A payment method of the store, locked for the rest of the transaction, or None."""
    return await CustomerRepository(session, store_id).payment_method_by_id(
        payment_method_id, for_update=True
    )


def is_stored_value(method: PaymentMethod) -> bool:
    """Gift cards and store credit hold a balance that moves immediately."""
    return method.kind in STORED_VALUE_KINDS


def ensure_covers(method: PaymentMethod, amount: int) -> None:
    """Raise InsufficientGiftCardBalance unless a stored-value method covers `amount`."""
    if is_stored_value(method) and (method.balance or 0) < amount:
        raise InsufficientGiftCardBalance(method.id, method.balance or 0, amount)


async def debit(session: AsyncSession, method: PaymentMethod, amount: int) -> None:
    """Take `amount` off a gift card or store credit (others are charged by the platform)."""
    if is_stored_value(method):
        ensure_covers(method, amount)
        method.balance = (method.balance or 0) - amount
        await session.flush()


async def credit(session: AsyncSession, method: PaymentMethod, amount: int) -> None:
    """Add `amount` to a gift card or store credit (others are refunded by the platform)."""
    if is_stored_value(method):
        method.balance = (method.balance or 0) + amount
        await session.flush()


def default_address(customer: Customer) -> Address | None:
    """The customer's default address (customer loaded with addresses), or None."""
    return next((a for a in customer.addresses if a.is_default), None)
