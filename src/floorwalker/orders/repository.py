"""Queries of the orders context. Every query is scoped to one store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Select, Table, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from floorwalker.kit.upsert import bulk_insert, bulk_insert_returning
from floorwalker.orders.models import Fulfilment, Order, OrderLine, PaymentTransaction

ORDERS = cast(Table, Order.__table__)
LINES = cast(Table, OrderLine.__table__)
FULFILMENTS = cast(Table, Fulfilment.__table__)
TRANSACTIONS = cast(Table, PaymentTransaction.__table__)


def _one_with_details(query: Select[Order]) -> Select[Order]:
    """One order with its details in one statement (results need `.unique()`).

    An order has a handful of lines, shipments and payments and rarely a return or exchange,
    so the joined rows stay few; one statement instead of six matters most on SQLite, where
    every statement is a trip to the database thread.
    """
    return query.options(
        joinedload(Order.lines),
        joinedload(Order.fulfilments),
        joinedload(Order.transactions),
        joinedload(Order.returns),
        joinedload(Order.exchanges),
    )


def _with_details(query: Select[Order]) -> Select[Order]:
    return query.options(
        selectinload(Order.lines),
        selectinload(Order.fulfilments),
        selectinload(Order.transactions),
        selectinload(Order.returns),
        selectinload(Order.exchanges),
    )


class OrderRepository:
    """Reads and writes orders of one store."""

    def __init__(self, session: AsyncSession, store_id: int) -> None:
        self.session = session
        self.store_id = store_id

    def _select(self) -> Select[Order]:
        return select(Order).where(Order.store_id == self.store_id)

    async def get(
        self, order_id: int, *, for_update: bool = False, customer_id: int | None = None
    ) -> Order | None:
        """An order with everything loaded; locked (and re-read) when `for_update`."""
        query = _one_with_details(self._select().where(Order.id == order_id))
        if customer_id is not None:
            query = query.where(Order.customer_id == customer_id)
        if for_update:
            # Re-read rows already in the session: the locked state is the one to plan on.
            query = query.with_for_update(of=Order).execution_options(populate_existing=True)
        return (await self.session.execute(query)).unique().scalar_one_or_none()

    async def get_by_number(self, number: str, *, customer_id: int | None = None) -> Order | None:
        """An order by the number shoppers see, with everything loaded."""
        query = _one_with_details(self._select().where(Order.number == number))
        if customer_id is not None:
            query = query.where(Order.customer_id == customer_id)
        return (await self.session.execute(query)).unique().scalar_one_or_none()

    async def list(
        self,
        *,
        customer_id: int | None = None,
        status: str | None = None,
        number: str | None = None,
        updated_since: dt.datetime | None = None,
        after_id: int = 0,
        limit: int = 50,
    ) -> Sequence[Order]:
        """Orders in id order after `after_id`, filtered."""
        query = self._select().where(Order.id > after_id)
        if customer_id is not None:
            query = query.where(Order.customer_id == customer_id)
        if status is not None:
            query = query.where(Order.status == status)
        if number is not None:
            query = query.where(Order.number == number)
        if updated_since is not None:
            query = query.where(Order.updated_at >= updated_since)
        return (await self.session.scalars(query.order_by(Order.id).limit(limit))).all()

    async def count(self, *, customer_id: int | None = None) -> int:
        """How many orders the store (or one customer) has."""
        query = select(func.count(Order.id)).where(Order.store_id == self.store_id)
        if customer_id is not None:
            query = query.where(Order.customer_id == customer_id)
        return int(await self.session.scalar(query) or 0)

    async def find_for_upsert(
        self,
        *,
        ids: Collection[int],
        keys: Collection[tuple[str, str]],
        numbers: Collection[str],
    ) -> Sequence[Order]:
        """Orders matching any of the ids, (source, external_id) keys or numbers, with details."""
        conditions = []
        if ids:
            conditions.append(Order.id.in_(set(ids)))
        if keys:
            conditions.append(tuple_(Order.source, Order.external_id).in_(set(keys)))
        if numbers:
            conditions.append(Order.number.in_(set(numbers)))
        if not conditions:
            return []
        query = _with_details(self._select().where(or_(*conditions)))
        rows = await self.session.scalars(query.execution_options(populate_existing=True))
        return rows.all()

    async def insert_orders(self, rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
        """Insert new orders in bulk; their ids by number."""
        returned = await bulk_insert_returning(self.session, ORDERS, rows, "id", "number")
        return {number: order_id for order_id, number in returned}

    async def insert_lines(self, rows: Sequence[Mapping[str, Any]]) -> dict[tuple[int, int], int]:
        """Insert order lines in bulk; their ids by (order id, position)."""
        returned = await bulk_insert_returning(
            self.session, LINES, rows, "id", "order_id", "position"
        )
        return {(order_id, position): line_id for line_id, order_id, position in returned}

    async def insert_fulfilments(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert shipments in bulk."""
        await bulk_insert(self.session, FULFILMENTS, rows)

    async def insert_transactions(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert payment transactions in bulk."""
        await bulk_insert(self.session, TRANSACTIONS, rows)

    # ------------------------------------------------------------ privacy (issue 6)

    async def of_person(
        self, *, customer_id: int | None, email_keys: Sequence[str], order_ids: Collection[int]
    ) -> Sequence[Order]:
        """Orders of a customer, guest orders placed with their e-mail (by its blind-index
        values) and orders named by id, with everything loaded, oldest first."""
        conditions = []
        if customer_id is not None:
            conditions.append(Order.customer_id == customer_id)
        if email_keys:
            conditions.append(Order.email_index.in_(list(email_keys)))
        if order_ids:
            conditions.append(Order.id.in_(list(order_ids)))
        if not conditions:
            return []
        query = _with_details(self._select().where(or_(*conditions))).order_by(Order.id)
        return (await self.session.scalars(query)).all()

    async def guest_ids_of_source(self, source: str, *, limit: int) -> Sequence[int]:
        """Ids of orders from a source that are linked to no customer and still carry an
        e-mail (not yet anonymised), oldest first."""
        rows = await self.session.scalars(
            select(Order.id)
            .where(
                Order.store_id == self.store_id,
                Order.source == source,
                Order.customer_id.is_(None),
                Order.email_index.is_not(None),
            )
            .order_by(Order.id)
            .limit(limit)
        )
        return rows.all()

    async def ids_by_external(self, source: str, external_ids: Collection[str]) -> Sequence[int]:
        """Ids of the orders a platform names by its own ids."""
        if not external_ids:
            return []
        rows = await self.session.scalars(
            select(Order.id).where(
                Order.store_id == self.store_id,
                Order.source == source,
                Order.external_id.in_(list(external_ids)),
            )
        )
        return sorted(rows.all())
