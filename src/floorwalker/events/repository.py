"""Queries of the events context: bulk inserts that skip duplicates, session links."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.events.models import Event, SessionLink

#: Ids per IN (...) lookup.
_CHUNK = 1000

#: The columns of an event row, in the order of an `EventRow`.
COLUMNS = (
    "store_id",
    "event_id",
    "type",
    "occurred_at",
    "received_at",
    "customer_id",
    "session_id",
    "product_id",
    "variant_id",
    "order_id",
    "query",
    "quantity",
    "value",
    "currency",
    "properties",
)
#: One event to insert, as a tuple in COLUMNS order (cheaper than a dict per event).
EventRow = tuple[Any, ...]
_SQLITE_INSERT = (
    f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))}) "
    "ON CONFLICT (store_id, event_id) DO NOTHING"
)


def sqlite_time(value: dt.datetime) -> str:
    """A UTC datetime as SQLite stores it through `UTCDateTime` (naive ISO text with µs)."""
    if value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    # Cutting "+00:00" off costs less than a naive copy of the datetime (once per event).
    return value.isoformat(sep=" ", timespec="microseconds")[:26]


def _insert(session: AsyncSession, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


class EventRepository:
    """Writes and reads the events of one store."""

    def __init__(self, session: AsyncSession, store_id: int) -> None:
        self.session = session
        self.store_id = store_id

    async def insert_new(self, rows: Sequence[EventRow]) -> int:
        """Insert events, skipping ids already stored; returns how many were inserted."""
        if not rows:
            return 0
        if self.session.get_bind().dialect.name == "sqlite":
            return await self._insert_sqlite(rows)
        statement = (
            _insert(self.session, Event.__table__)
            .on_conflict_do_nothing(index_elements=["store_id", "event_id"])
            .returning(Event.__table__.c.event_id)
        )
        params = [dict(zip(COLUMNS, row, strict=True)) for row in rows]
        # psycopg batches into multi-row INSERTs whose rowcount is not summed: count returns.
        return len((await self.session.execute(statement, params)).all())

    async def _insert_sqlite(self, rows: Sequence[EventRow]) -> int:
        # The hot path of imports: one prepared statement, parameters converted here exactly as
        # the column types would (UTC text timestamps, JSON text), skipping SQLAlchemy's
        # per-value processing, which costs more than SQLite's own work. pysqlite sums the
        # rows each parameter set inserted (duplicates insert none).
        received: dict[dt.datetime, str] = {}
        params = []
        for row in rows:
            at = row[4]
            if at not in received:
                received[at] = sqlite_time(at)
            params.append(
                (
                    *row[:3],
                    sqlite_time(row[3]),
                    received[at],
                    *row[5:14],
                    json.dumps(row[14]) if row[14] else "{}",
                )
            )
        connection = await self.session.connection()
        result = await connection.exec_driver_sql(_SQLITE_INSERT, params)
        return int(result.rowcount)

    async def links_for(self, session_ids: Iterable[str]) -> dict[str, int]:
        """The customer each of these sessions is stitched to (unstitched ones are absent)."""
        ids = list(set(session_ids))
        found: dict[str, int] = {}
        for start in range(0, len(ids), _CHUNK):
            rows = await self.session.execute(
                select(SessionLink.session_id, SessionLink.customer_id).where(
                    SessionLink.store_id == self.store_id,
                    SessionLink.session_id.in_(ids[start : start + _CHUNK]),
                )
            )
            found.update({str(row[0]): int(row[1]) for row in rows.all()})
        return found

    async def add_links(self, links: Mapping[str, int], identified_at: dt.datetime) -> set[str]:
        """Stitch sessions to customers unless already stitched; returns the sessions linked."""
        if not links:
            return set()
        statement = (
            _insert(self.session, SessionLink.__table__)
            .on_conflict_do_nothing(index_elements=["store_id", "session_id"])
            .returning(SessionLink.__table__.c.session_id)
        )
        rows = [
            {
                "store_id": self.store_id,
                "session_id": sid,
                "customer_id": cid,
                "identified_at": identified_at,
            }
            for sid, cid in links.items()
        ]
        return set((await self.session.execute(statement, rows)).scalars().all())

    async def backfill(self, session_ids: Iterable[str]) -> int:
        """Give these stitched sessions' anonymous events their customer, in one statement."""
        ids = list(session_ids)
        changed = 0
        for start in range(0, len(ids), _CHUNK):
            linked = (
                select(SessionLink.customer_id)
                .where(
                    SessionLink.store_id == self.store_id,
                    SessionLink.session_id == Event.session_id,
                )
                .scalar_subquery()
            )
            result = await self.session.execute(
                update(Event)
                .where(
                    Event.store_id == self.store_id,
                    Event.session_id.in_(ids[start : start + _CHUNK]),
                    Event.customer_id.is_(None),
                )
                .values(customer_id=linked)
                .execution_options(synchronize_session=False)
            )
            changed += int(result.rowcount or 0)  # type: ignore[attr-defined]
        return changed

    async def list(
        self,
        *,
        customer_id: int | None = None,
        session_id: str | None = None,
        event_type: str | None = None,
        since: dt.datetime | None = None,
        after_id: int = 0,
        limit: int = 50,
    ) -> Sequence[Event]:
        """Stored events in id order, optionally filtered."""
        query = select(Event).where(Event.store_id == self.store_id, Event.id > after_id)
        if customer_id is not None:
            query = query.where(Event.customer_id == customer_id)
        if session_id is not None:
            query = query.where(Event.session_id == session_id)
        if event_type is not None:
            query = query.where(Event.type == event_type)
        if since is not None:
            query = query.where(Event.occurred_at >= since)
        return (await self.session.scalars(query.order_by(Event.id).limit(limit))).all()

    async def delete_for_customer(self, customer_id: int) -> int:
        """Remove a customer's events and session links; returns the events removed."""
        sessions = select(SessionLink.session_id).where(
            SessionLink.store_id == self.store_id, SessionLink.customer_id == customer_id
        )
        result = await self.session.execute(
            delete(Event)
            .where(
                Event.store_id == self.store_id,
                (Event.customer_id == customer_id) | Event.session_id.in_(sessions),
            )
            .execution_options(synchronize_session=False)
        )
        await self.session.execute(
            delete(SessionLink).where(
                SessionLink.store_id == self.store_id, SessionLink.customer_id == customer_id
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    # ------------------------------------------------------------ privacy (issue 6)

    async def session_ids_of(self, customer_id: int) -> Sequence[str]:
        """The sessions stitched to a customer."""
        rows = await self.session.scalars(
            select(SessionLink.session_id)
            .where(SessionLink.store_id == self.store_id, SessionLink.customer_id == customer_id)
            .order_by(SessionLink.id)
        )
        return rows.all()

    async def of_customer(self, customer_id: int, *, after_id: int, limit: int) -> Sequence[Event]:
        """A customer's events, those of sessions stitched to them included, in id order."""
        sessions = select(SessionLink.session_id).where(
            SessionLink.store_id == self.store_id, SessionLink.customer_id == customer_id
        )
        query = (
            select(Event)
            .where(
                Event.store_id == self.store_id,
                Event.id > after_id,
                (Event.customer_id == customer_id) | Event.session_id.in_(sessions),
            )
            .order_by(Event.id)
            .limit(limit)
        )
        return (await self.session.scalars(query)).all()

    async def delete_before(self, before: dt.datetime, *, limit: int) -> int:
        """Delete up to `limit` of the oldest events that occurred before `before`."""
        ids = select(Event.id).where(Event.store_id == self.store_id, Event.occurred_at < before)
        chosen = list(await self.session.scalars(ids.order_by(Event.id).limit(limit)))
        if not chosen:
            return 0
        result = await self.session.execute(
            delete(Event)
            .where(Event.store_id == self.store_id, Event.id.in_(chosen))
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
