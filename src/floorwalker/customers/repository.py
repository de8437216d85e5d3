"""Queries of the customers context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, delete, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from floorwalker.customers.models import Address, Customer, PaymentMethod
from floorwalker.kit.fields import blind_candidates

Row = dict[str, Any]

CUSTOMERS = cast(Table, Customer.__table__)
ADDRESSES = cast(Table, Address.__table__)
PAYMENT_METHODS = cast(Table, PaymentMethod.__table__)


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

    # ------------------------------------------------------------ reads for the API

    async def get_many(self, customer_ids: Sequence[int]) -> list[Customer]:
        """Customers of the store by id with details loaded, in the given order."""
        if not customer_ids:
            return []
        rows = await self.session.scalars(
            select(Customer)
            .where(Customer.store_id == self.store_id, Customer.id.in_(set(customer_ids)))
            .options(selectinload(Customer.addresses), selectinload(Customer.payment_methods))
            .execution_options(populate_existing=True)
        )
        by_id = {c.id: c for c in rows}
        return [by_id[i] for i in customer_ids if i in by_id]

    async def list_ids(
        self,
        *,
        after_id: int,
        limit: int,
        email: str | None = None,
        source: str | None = None,
        external_id: str | None = None,
        updated_since: dt.datetime | None = None,
    ) -> list[int]:
        """Ids of a page of customers in id order, filtered."""
        query = select(Customer.id).where(
            Customer.store_id == self.store_id, Customer.id > after_id
        )
        if email is not None:
            # E-mails are encrypted: they are found by their blind index (kit.fields).
            query = query.where(Customer.email_index.in_(_email_keys(email)))
        if source is not None:
            query = query.where(Customer.source == source)
        if external_id is not None:
            query = query.where(Customer.external_id == external_id)
        if updated_since is not None:
            query = query.where(Customer.updated_at >= updated_since)
        return list((await self.session.scalars(query.order_by(Customer.id).limit(limit))).all())

    async def by_email(self, email: str) -> Customer | None:
        """The oldest customer of the store with this e-mail (any source), or None."""
        return await self.session.scalar(
            select(Customer)
            .where(
                Customer.store_id == self.store_id,
                Customer.email_index.in_(_email_keys(email)),
            )
            .options(selectinload(Customer.addresses), selectinload(Customer.payment_methods))
            .order_by(Customer.id)
            .limit(1)
        )

    async def delete(self, customer_id: int) -> int:
        """Delete a customer of the store (addresses and payment methods go with it)."""
        result = await self.session.execute(
            delete(CUSTOMERS).where(
                CUSTOMERS.c.store_id == self.store_id, CUSTOMERS.c.id == customer_id
            )
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    # ------------------------------------------------------------ batch loaders (dicts)

    async def customer_rows(
        self,
        *,
        ids: Collection[int],
        externals: Mapping[str, Collection[str]],
        emails: Collection[str],
    ) -> list[Row]:
        """Customers named by id, `(source, external_id)` or e-mail, as dicts."""
        conditions: list[ColumnElement[bool]] = []
        if ids:
            conditions.append(CUSTOMERS.c.id.in_(list(ids)))
        for source, values in externals.items():
            conditions.append(
                and_(CUSTOMERS.c.source == source, CUSTOMERS.c.external_id.in_(list(values)))
            )
        if emails:
            keys = [key for email in emails for key in _email_keys(email)]
            conditions.append(CUSTOMERS.c.email_index.in_(keys))
        where = or_(*conditions) if conditions else false()
        rows = await self.session.execute(
            select(CUSTOMERS).where(CUSTOMERS.c.store_id == self.store_id, where)
        )
        return [dict(r._mapping) for r in rows]

    async def rows_of(self, table: Table, customer_ids: Collection[int]) -> list[Row]:
        """Addresses or payment methods of the given customers, as dicts, oldest first."""
        if not customer_ids:
            return []
        rows = await self.session.execute(
            select(table)
            .where(table.c.store_id == self.store_id, table.c.customer_id.in_(list(customer_ids)))
            .order_by(table.c.id)
        )
        return [dict(r._mapping) for r in rows]

    async def delete_rows(self, table: Table, row_ids: Collection[int]) -> None:
        """Delete addresses (or other child rows) of the store by id."""
        if row_ids:
            await self.session.execute(
                delete(table).where(
                    table.c.store_id == self.store_id, table.c.id.in_(list(row_ids))
                )
            )


def _email_keys(email: str) -> list[str]:
    """Blind-index values an e-mail is stored under (one per configured key)."""
    return blind_candidates(CUSTOMERS, "email", email)
