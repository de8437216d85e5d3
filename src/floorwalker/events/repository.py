"""Queries of the events context: bulk inserts that skip duplicates, session links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.events.models import Event, SessionLink

#: Rows per INSERT statement; SQLite allows 32,766 bound parameters (16 columns here).
_CHUNK = 1000


def _insert(session: AsyncSession, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


class EventRepository:
    """Writes and reads the events of one store."""

    def __init__(self, session: AsyncSession, store_id: int) -> None:
        self.session = session
        self.store_id = store_id

    async def insert_new(self, rows: Sequence[Mapping[str, Any]]) -> int:
        """Insert events, skipping ids already stored; returns how many were inserted."""
        if not rows:
            return 0
        statement = _insert(self.session, Event.__table__).on_conflict_do_nothing(
            index_elements=["store_id", "event_id"]
        )
        if self.session.get_bind().dialect.name == "sqlite":
            # A plain executemany of one prepared statement is the fastest SQLite path, and
            # pysqlite sums the rows each parameter set inserted.
            result = await self.session.execute(statement, list(rows))
            return int(result.rowcount)  # type: ignore[attr-defined]
        # psycopg batches into multi-row INSERTs whose rowcount is not summed: count returns.
        returning = statement.returning(Event.__table__.c.event_id)
        return len((await self.session.execute(returning, list(rows))).all())

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
            _insert(self.session, SessionLink)
            .values(
                [
                    {
                        "store_id": self.store_id,
                        "session_id": sid,
                        "customer_id": cid,
                        "identified_at": identified_at,
                    }
                    for sid, cid in links.items()
                ]
            )
            .on_conflict_do_nothing(index_elements=["store_id", "session_id"])
            .returning(SessionLink.session_id)
        )
        return set((await self.session.scalars(statement)).all())

    async def backfill(self, session_id: str, customer_id: int) -> int:
        """Give a session's anonymous events their customer; returns how many changed."""
        result = await self.session.execute(
            update(Event)
            .where(
                Event.store_id == self.store_id,
                Event.session_id == session_id,
                Event.customer_id.is_(None),
            )
            .values(customer_id=customer_id)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

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
