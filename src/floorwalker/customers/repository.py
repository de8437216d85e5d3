"""Queries of the customers context."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from floorwalker.customers.models import Address, Customer, PaymentMethod


class CustomerRepository:
    """Reads and writes customers of one store."""

    def __init__(self, session: AsyncSession, store_id: int) -> None:
        self.session = session
        self.store_id = store_id

    async def get(self, customer_id: int, *, with_details: bool = True) -> Customer | None:
        """A customer of the store, with addresses and payment methods loaded."""
        query = select(Customer).where(
            Customer.store_id == self.store_id, Customer.id == customer_id
        )
        if with_details:
            query = query.options(
                selectinload(Customer.addresses), selectinload(Customer.payment_methods)
            )
        return await self.session.scalar(query)

    async def payment_method(
        self, customer_id: int, payment_method_id: int, *, for_update: bool = False
    ) -> PaymentMethod | None:
        """One of the customer's payment methods (optionally locked), or None."""
        query = select(PaymentMethod).where(
            PaymentMethod.store_id == self.store_id,
            PaymentMethod.customer_id == customer_id,
            PaymentMethod.id == payment_method_id,
        )
        if for_update:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def payment_method_by_id(
        self, payment_method_id: int, *, for_update: bool = False
    ) -> PaymentMethod | None:
        """A payment method of the store by id (optionally locked), or None."""
        query = select(PaymentMethod).where(
            PaymentMethod.store_id == self.store_id, PaymentMethod.id == payment_method_id
        )
        if for_update:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def addresses(self, customer_id: int) -> Sequence[Address]:
        """The customer's addresses, oldest first."""
        rows = await self.session.scalars(
            select(Address)
            .where(Address.store_id == self.store_id, Address.customer_id == customer_id)
            .order_by(Address.id)
        )
        return rows.all()
