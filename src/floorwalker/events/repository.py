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
from floorwalker.events.validation import ValidEvent
from floorwalker.kit.clock import utc_text

#: Ids per IN (...) lookup.
_CHUNK = 1000

#: The columns of the events table in insert order: store_id, then a `ValidEvent` with
#: received_at after its occurred_at.
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
_SQLITE_INSERT = (
    f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))}) "
    "ON CONFLICT (store_id, event_id) DO NOTHING"
)


def _insert(session: AsyncSession, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


class EventRepository:
    """Writes and reads the events of one store."""

    def __init__(self, session: AsyncSession, store_id: int) -> None:
        self.session = session
        self.store_id = store_id

    async def insert_new(self, rows: Sequence[ValidEvent], *, received_at: dt.datetime) -> int:
        """Insert events, skipping ids already stored; returns how many were inserted."""
        if not rows:
            return 0
        store_id = self.store_id
        if self.session.get_bind().dialect.name == "sqlite":
            # The hot path of imports: one prepared statement, the rows' values already as the
            # column types store them (UTC text, JSON text), skipping SQLAlchemy's per-value
            # processing, which costs more than SQLite's own work. pysqlite sums the rows each
            # parameter set inserted (duplicates insert none).
            received = utc_text(received_at)
            params = [(store_id, *row[:3], received, *row[3:]) for row in rows]
            connection = await self.session.connection()
            result = await connection.exec_driver_sql(_SQLITE_INSERT, params)
            return int(result.rowcount)
        statement = (
            _insert(self.session, Event.__table__)
            .on_conflict_do_nothing(index_elements=["store_id", "event_id"])
            .returning(Event.__table__.c.event_id)
        )
        values = [
            dict(
                zip(COLUMNS, (store_id, *row[:3], received_at, *row[3:]), strict=True),
                occurred_at=dt.datetime.fromisoformat(row[2]).replace(tzinfo=dt.UTC),
                properties=json.loads(row[-1]),
            )
            for row in rows
        ]
        # psycopg batches into multi-row INSERTs whose rowcount is not summed: count returns.
        return len((await self.session.execute(statement, values)).all())

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
