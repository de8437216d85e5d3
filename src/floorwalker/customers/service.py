"""Rules of the customers context: profiles, addresses, payment methods and gift-card balances.

Batch loaders (file importer, platform connectors) call `upsert_customers`; the assistant,
events and privacy read consent with `has_consent` and change it with `set_consent`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.auth.errors import InsufficientScope
from floorwalker.customers import schemas
from floorwalker.customers.errors import (
    CustomerNotFound,
    InsufficientGiftCardBalance,
    PaymentMethodNotFound,
)
from floorwalker.customers.models import Address, Customer, PaymentMethod
from floorwalker.customers.profile import has_consent as has_consent
from floorwalker.customers.profile import set_consent as set_consent
from floorwalker.customers.profile import update_preferences as _update_preferences
from floorwalker.customers.repository import CustomerRepository
from floorwalker.customers.upserts import upsert_customers as upsert_customers
from floorwalker.kit import idempotency
from floorwalker.kit.actor import Actor, ActorKind, Scope
from floorwalker.kit.clock import utcnow
from floorwalker.kit.upsert import UpsertStatus, parse_record
from floorwalker.orders.errors import AddressNotFound, NothingToChange, OrderInvalid
from floorwalker.orders.schemas import (
    ADDRESS_KEYS,
    MAX_ID,
    AddressInput,
    DefaultAddressPlan,
    Operation,
    format_address,
    normalise_address,
)

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


async def upsert_customer(
    session: AsyncSession, actor: Actor, record: schemas.CustomerUpsert | Mapping[str, Any]
) -> tuple[UpsertStatus, Customer]:
    """Create or update one customer; raises the record's error if it is refused."""
    result = (await upsert_customers(session, actor, [record])).one()
    assert result.id is not None
    return result.status, await get_or_raise(session, actor.store_id, result.id)


async def update_preferences(
    session: AsyncSession,
    actor: Actor,
    customer_id: int,
    preferences: schemas.PreferencesUpdate | Mapping[str, Any],
) -> Customer:
    """Merge stated preferences (sizes, brands, budget, colours, dislikes) into the profile."""
    update = parse_record(schemas.PreferencesUpdate, preferences)
    return await _update_preferences(session, actor, customer_id, update)


async def find_by_email(session: AsyncSession, store_id: int, email: str) -> Customer | None:
    """The customer with this e-mail (case-insensitive; the oldest if sources repeat it)."""
    return await CustomerRepository(session, store_id).by_email(email.strip().lower())


async def list_customers(
    session: AsyncSession,
    store_id: int,
    *,
    after_id: int = 0,
    limit: int = 50,
    email: str | None = None,
    source: str | None = None,
    external_id: str | None = None,
    updated_since: dt.datetime | None = None,
) -> list[Customer]:
    """A page of customers in id order with addresses and payment methods, filtered."""
    repo = CustomerRepository(session, store_id)
    ids = await repo.list_ids(
        after_id=after_id,
        limit=limit,
        email=email.strip().lower() if email else None,
        source=source,
        external_id=external_id,
        updated_since=updated_since,
    )
    return await repo.get_many(ids)


async def delete_customer(session: AsyncSession, actor: Actor, customer_id: int) -> None:
    """Delete a customer with addresses and payment methods (orders keep their snapshot)."""
    repo = CustomerRepository(session, actor.store_id)
    customer = await repo.get(customer_id, with_details=False)
    if customer is None:
        raise CustomerNotFound(customer_id)
    session.expunge(customer)
    await repo.delete(customer_id)
    await audit_service.record(
        session, actor, action="customer.delete", subject_type="customer", subject_id=customer_id
    )


def gift_card_balances(customer: Customer) -> list[schemas.GiftCardBalance]:
    """Balances of the customer's active gift cards and store credit (loaded with details)."""
    return [
        schemas.GiftCardBalance(
            payment_method_id=m.id,
            kind=m.kind,
            label=m.label,
            balance=m.balance or 0,
            currency=m.currency,
        )
        for m in customer.payment_methods
        if m.active and m.kind in STORED_VALUE_KINDS
    ]


def to_read(customer: Customer, *, order_count: int | None = None) -> schemas.Customer:
    """The API shape of a customer loaded with details."""
    return schemas.Customer.model_validate(
        {
            **{name: getattr(customer, name) for name in _CUSTOMER_COLUMNS},
            "name": customer.name,
            "addresses": customer.addresses,
            "payment_methods": customer.payment_methods,
            "gift_card_balances": gift_card_balances(customer),
            "order_count": order_count,
        }
    )


_CUSTOMER_COLUMNS = (
    "id",
    "source",
    "external_id",
    "email",
    "first_name",
    "last_name",
    "phone",
    "language",
    "accepts_marketing",
    "tags",
    "consent",
    "preferences",
    "created_at",
    "updated_at",
)


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


# ----------------------------------------------------------------------------- default address
# A support operation with the two phases of the order operations (docs/orders.md): the plan
# writes nothing; the execution locks the customer, replays a known idempotency key, re-plans,
# applies and audits. Orders already placed keep the address they were placed with.


def _may_change_customer(actor: Actor, customer_id: int) -> None:
    if not 1 <= customer_id <= MAX_ID:
        raise CustomerNotFound(customer_id)
    if actor.kind in (ActorKind.SHOPPER, ActorKind.ANONYMOUS):
        if actor.customer_id is None or actor.customer_id != customer_id:
            raise CustomerNotFound(customer_id)
    elif not actor.has_scope(Scope.WRITE):
        raise InsufficientScope(Scope.WRITE.value)


def _address_snapshot(address: Address) -> dict[str, Any]:
    return normalise_address({key: getattr(address, key) for key in ADDRESS_KEYS})


async def _plan_default_address(
    session: AsyncSession,
    actor: Actor,
    customer_id: int,
    address: AddressInput | None,
    address_id: int | None,
) -> tuple[DefaultAddressPlan, Customer, Address | None]:
    customer = await get_or_raise(session, actor.store_id, customer_id)
    if (address is None) == (address_id is None):
        raise OrderInvalid(
            "Give either a new address or the id of a saved address.", code="address_required"
        )
    current = default_address(customer)
    chosen: Address | None
    if address_id is not None:
        chosen = next((a for a in customer.addresses if a.id == address_id), None)
        if chosen is None:
            raise AddressNotFound(address_id)
        after = _address_snapshot(chosen)
    else:
        assert address is not None
        after = address.snapshot()
        chosen = next((a for a in customer.addresses if _address_snapshot(a) == after), None)
    if chosen is not None and chosen.is_default:
        raise NothingToChange(
            "This already is the customer's default address.", address_id=chosen.id
        )
    plan = DefaultAddressPlan(
        operation=Operation.UPDATE_DEFAULT_ADDRESS,
        customer_id=customer.id,
        address_before=_address_snapshot(current) if current is not None else None,
        address_after=after,
        address_id=chosen.id if chosen is not None else None,
        reuses_saved_address=chosen is not None,
        summary=f"Make {format_address(after)} the default address"
        + (f" instead of {format_address(_address_snapshot(current))}" if current else "")
        + "; orders already placed keep their address.",
    )
    return plan, customer, chosen


async def plan_update_default_address(
    session: AsyncSession,
    actor: Actor,
    *,
    customer_id: int,
    address: AddressInput | None = None,
    address_id: int | None = None,
) -> DefaultAddressPlan:
    """Show what making the address the customer's default would do, without doing it."""
    _may_change_customer(actor, customer_id)
    plan, _customer, _chosen = await _plan_default_address(
        session, actor, customer_id, address, address_id
    )
    return plan


async def update_default_address(
    session: AsyncSession,
    actor: Actor,
    *,
    customer_id: int,
    address: AddressInput | None = None,
    address_id: int | None = None,
    idempotency_key: str | None = None,
) -> DefaultAddressPlan:
    """Make a new or saved address the customer's default; existing orders keep theirs."""
    _may_change_customer(actor, customer_id)
    name = f"customer.{Operation.UPDATE_DEFAULT_ADDRESS.value}"
    arguments = {
        "customer_id": customer_id,
        "address": address.model_dump() if address else None,
        "address_id": address_id,
    }
    async with session.begin_nested():
        locked = await session.get(
            Customer, customer_id, with_for_update=True, populate_existing=True
        )
        if locked is None or locked.store_id != actor.store_id:
            raise CustomerNotFound(customer_id)
        if idempotency_key is not None:
            stored = await idempotency.lookup(
                session,
                store_id=actor.store_id,
                key=idempotency_key,
                operation=name,
                arguments=arguments,
            )
            if stored is not None:
                return DefaultAddressPlan.model_validate(stored)
        plan, customer, chosen = await _plan_default_address(
            session, actor, customer_id, address, address_id
        )
        for saved in customer.addresses:
            saved.is_default = False
        # Clear the old default first: at most one address is the default at any moment.
        await session.flush()
        if chosen is None:
            chosen = Address(store_id=actor.store_id, customer_id=customer.id, **plan.address_after)
            customer.addresses.append(chosen)
        chosen.is_default = True
        customer.updated_at = utcnow()
        await session.flush()
        plan.address_id = chosen.id
        plan.executed = True
        plan.executed_at = utcnow()
        entry = await audit_service.record(
            session,
            actor,
            action=name,
            subject_type="customer",
            subject_id=customer.id,
            data={"plan": plan.model_dump(mode="json"), "idempotency_key": idempotency_key},
        )
        plan.audit_entry_id = entry.id
        if idempotency_key is not None:
            try:
                async with session.begin_nested():
                    await idempotency.remember(
                        session,
                        store_id=actor.store_id,
                        key=idempotency_key,
                        operation=name,
                        arguments=arguments,
                        response=plan.model_dump(mode="json"),
                    )
            except IntegrityError:
                raise idempotency.IdempotencyKeyReused(
                    "This idempotency key was already used for a different request.",
                    key=idempotency_key,
                ) from None
        return plan


# ----------------------------------------------------------------------------- privacy
# The privacy context exports and erases a customer through these (docs/privacy.md).


def export_customer(customer: Customer) -> dict[str, Any]:
    """The profile as JSON: contact fields, addresses, payment-method references, gift-card
    balances, consent and stated preferences (customer loaded with details)."""
    return to_read(customer).model_dump(mode="json")


def personal_values(customer: Customer) -> list[str]:
    """The values that identify the customer wherever they were copied (loaded with details):
    e-mail, names, phone numbers, address lines and PayPal e-mails."""
    values = [customer.email, customer.name, customer.first_name, customer.last_name]
    values.append(customer.phone)
    for address in customer.addresses:
        values.extend([address.name, address.line1, address.line2, address.phone])
    values.extend(m.paypal_email for m in customer.payment_methods)
    return [v for v in values if v]


async def erase_customer(
    session: AsyncSession, actor: Actor, *, customer_id: int
) -> dict[str, int]:
    """Delete the customer with addresses and payment methods; returns what was deleted."""
    customer = await get_or_raise(session, actor.store_id, customer_id)
    counts = {
        "customers": 1,
        "addresses": len(customer.addresses),
        "payment_methods": len(customer.payment_methods),
    }
    await delete_customer(session, actor, customer_id)
    return counts
