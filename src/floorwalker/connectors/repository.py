"""Queries of the connectors context (the only place that builds them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.connectors.models import (
    Connection,
    DeadLetter,
    Delivery,
    JobCursor,
    PrivacyRequest,
    RecordVersion,
    SyncRun,
    WebhookEndpoint,
    WebhookReceipt,
)
from floorwalker.kit.pii import mentions

T = TypeVar("T")


def _insert(session: AsyncSession, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


class ConnectorRepository:
    """Connections, their ledger, webhooks and deliveries of one store."""

    def __init__(self, session: AsyncSession, store_id: int) -> None:
        self.session = session
        self.store_id = store_id

    async def add(self, row: T) -> T:
        """Insert one row of this context."""
        self.session.add(row)
        await self.session.flush()
        return row

    # ------------------------------------------------------------ connections

    async def connection(self, ref: int | str, *, for_update: bool = False) -> Connection | None:
        """A connection by id or by name."""
        query = select(Connection).where(Connection.store_id == self.store_id)
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            query = query.where(or_(Connection.id == int(ref), Connection.name == str(ref)))
        else:
            query = query.where(Connection.name == ref)
        if for_update:
            query = query.with_for_update()
        return (await self.session.scalars(query.order_by(Connection.id))).first()

    async def connection_by_source(self, source: str) -> Connection | None:
        """The connection whose records carry `source`."""
        return await self.session.scalar(
            select(Connection).where(
                Connection.store_id == self.store_id, Connection.source == source
            )
        )

    async def connections(self) -> Sequence[Connection]:
        """Every connection of the store."""
        query = select(Connection).where(Connection.store_id == self.store_id)
        return (await self.session.scalars(query.order_by(Connection.id))).all()

    async def delete_connection(self, connection_id: int) -> None:
        """Remove a connection (its ledger, receipts and letters go with it)."""
        await self.session.execute(
            delete(Connection).where(
                Connection.store_id == self.store_id, Connection.id == connection_id
            )
        )

    # ------------------------------------------------------------ ledger

    async def versions(
        self, connection_id: int, kind: str, external_ids: Iterable[str]
    ) -> dict[str, RecordVersion]:
        """The applied versions of these records, by external id."""
        ids = list(set(external_ids))
        found: dict[str, RecordVersion] = {}
        for start in range(0, len(ids), 500):
            rows = await self.session.scalars(
                select(RecordVersion).where(
                    RecordVersion.connection_id == connection_id,
                    RecordVersion.kind == kind,
                    RecordVersion.external_id.in_(ids[start : start + 500]),
                )
            )
            found.update({row.external_id: row for row in rows})
        return found

    async def save_versions(self, connection_id: int, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert or update ledger rows: {kind, external_id, source_updated_at, ref, deleted}."""
        if not rows:
            return
        statement = _insert(self.session, RecordVersion.__table__)
        excluded = statement.excluded
        statement = statement.on_conflict_do_update(
            index_elements=["connection_id", "kind", "external_id"],
            set_={
                "source_updated_at": excluded.source_updated_at,
                "ref": excluded.ref,
                "deleted": excluded.deleted,
                "applied_at": excluded.applied_at,
            },
        )
        now = dt.datetime.now(dt.UTC)
        await self.session.execute(
            statement,
            [
                {
                    "store_id": self.store_id,
                    "connection_id": connection_id,
                    "kind": r["kind"],
                    "external_id": r["external_id"],
                    "source_updated_at": r.get("source_updated_at"),
                    "ref": r.get("ref") or {},
                    "deleted": bool(r.get("deleted", False)),
                    "applied_at": now,
                }
                for r in rows
            ],
        )

    # ------------------------------------------------------------ webhooks in

    async def receipt(self, connection_id: int, webhook_id: str) -> WebhookReceipt | None:
        """The receipt of an earlier delivery with this id."""
        return await self.session.scalar(
            select(WebhookReceipt).where(
                WebhookReceipt.connection_id == connection_id,
                WebhookReceipt.webhook_id == webhook_id,
            )
        )

    async def claim_receipt(self, row: Mapping[str, Any]) -> bool:
        """Record a delivery unless one with its id exists; True if this call recorded it."""
        statement = (
            _insert(self.session, WebhookReceipt.__table__)
            .values(**row)
            .on_conflict_do_nothing(index_elements=["connection_id", "webhook_id"])
            .returning(WebhookReceipt.__table__.c.id)
        )
        return (await self.session.scalar(statement)) is not None

    async def set_receipt_status(
        self, connection_id: int, webhook_id: str, status: str, **values: Any
    ) -> None:
        """Record how a delivery was handled."""
        await self.session.execute(
            update(WebhookReceipt)
            .where(
                WebhookReceipt.connection_id == connection_id,
                WebhookReceipt.webhook_id == webhook_id,
            )
            .values(status=status, **values)
        )

    async def dead_letters(
        self, *, status: str | None = None, after_id: int = 0, limit: int = 50
    ) -> Sequence[DeadLetter]:
        """Dead letters of the store, oldest first."""
        query = select(DeadLetter).where(
            DeadLetter.store_id == self.store_id, DeadLetter.id > after_id
        )
        if status is not None:
            query = query.where(DeadLetter.status == status)
        return (await self.session.scalars(query.order_by(DeadLetter.id).limit(limit))).all()

    async def dead_letter(self, letter_id: int, *, for_update: bool = False) -> DeadLetter | None:
        """One dead letter of the store."""
        query = select(DeadLetter).where(
            DeadLetter.store_id == self.store_id, DeadLetter.id == letter_id
        )
        if for_update:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def privacy_requests(
        self, *, status: str | None = None, after_id: int = 0, limit: int = 50
    ) -> Sequence[PrivacyRequest]:
        """Privacy requests received from platforms, oldest first, optionally in one status."""
        query = select(PrivacyRequest).where(
            PrivacyRequest.store_id == self.store_id, PrivacyRequest.id > after_id
        )
        if status is not None:
            query = query.where(PrivacyRequest.status == status)
        return (await self.session.scalars(query.order_by(PrivacyRequest.id).limit(limit))).all()

    # ------------------------------------------------------------ sync history

    async def runs(
        self, *, connection_id: int | None = None, after_id: int = 0, limit: int = 50
    ) -> Sequence[SyncRun]:
        """Sync and import runs, newest first."""
        query = select(SyncRun).where(SyncRun.store_id == self.store_id)
        if connection_id is not None:
            query = query.where(SyncRun.connection_id == connection_id)
        if after_id:
            query = query.where(SyncRun.id < after_id)
        return (await self.session.scalars(query.order_by(SyncRun.id.desc()).limit(limit))).all()

    async def run(self, run_id: int) -> SyncRun | None:
        """One run of the store."""
        return await self.session.scalar(
            select(SyncRun).where(SyncRun.store_id == self.store_id, SyncRun.id == run_id)
        )

    # ------------------------------------------------------------ webhooks out

    async def endpoints(self, *, active_only: bool = False) -> Sequence[WebhookEndpoint]:
        """The store's outbound webhook endpoints."""
        query = select(WebhookEndpoint).where(WebhookEndpoint.store_id == self.store_id)
        if active_only:
            query = query.where(WebhookEndpoint.active.is_(True))
        return (await self.session.scalars(query.order_by(WebhookEndpoint.id))).all()

    async def endpoint(self, endpoint_id: int) -> WebhookEndpoint | None:
        """One endpoint of the store."""
        return await self.session.scalar(
            select(WebhookEndpoint).where(
                WebhookEndpoint.store_id == self.store_id, WebhookEndpoint.id == endpoint_id
            )
        )

    async def delete_endpoint(self, endpoint_id: int) -> None:
        """Remove an endpoint and its delivery log."""
        await self.session.execute(
            delete(WebhookEndpoint).where(
                WebhookEndpoint.store_id == self.store_id, WebhookEndpoint.id == endpoint_id
            )
        )

    async def enqueue(self, rows: Sequence[Mapping[str, Any]]) -> int:
        """Add deliveries, skipping any already queued for the same event and target."""
        if not rows:
            return 0
        statement = (
            _insert(self.session, Delivery.__table__)
            .on_conflict_do_nothing(index_elements=["store_id", "event_id", "target"])
            .returning(Delivery.__table__.c.id)
        )
        result = await self.session.execute(statement, [dict(r) for r in rows])
        return len(result.all())

    async def deliveries(
        self,
        *,
        status: str | None = None,
        endpoint_id: int | None = None,
        connection_id: int | None = None,
        after_id: int = 0,
        limit: int = 50,
    ) -> Sequence[Delivery]:
        """The delivery log of the store, newest first."""
        query = select(Delivery).where(Delivery.store_id == self.store_id)
        if status is not None:
            query = query.where(Delivery.status == status)
        if endpoint_id is not None:
            query = query.where(Delivery.endpoint_id == endpoint_id)
        if connection_id is not None:
            query = query.where(Delivery.connection_id == connection_id)
        if after_id:
            query = query.where(Delivery.id < after_id)
        return (await self.session.scalars(query.order_by(Delivery.id.desc()).limit(limit))).all()

    async def delivery(self, delivery_id: int, *, for_update: bool = False) -> Delivery | None:
        """One delivery of the store."""
        query = select(Delivery).where(
            Delivery.store_id == self.store_id, Delivery.id == delivery_id
        )
        if for_update:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def count_deliveries(self, status: str) -> int:
        """How many deliveries of the store have `status`."""
        query = (
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.store_id == self.store_id, Delivery.status == status)
        )
        return int(await self.session.scalar(query) or 0)

    # ------------------------------------------------------------ job cursors

    async def cursor(self, job: str) -> int:
        """Where a job stopped for this store (0 if it never ran)."""
        value = await self.session.scalar(
            select(JobCursor.position).where(
                JobCursor.store_id == self.store_id, JobCursor.job == job
            )
        )
        return int(value or 0)

    async def move_cursor(self, job: str, position: int) -> None:
        """Record where a job stopped."""
        statement = _insert(self.session, JobCursor.__table__).values(
            store_id=self.store_id, job=job, position=position, updated_at=dt.datetime.now(dt.UTC)
        )
        statement = statement.on_conflict_do_update(
            index_elements=["store_id", "job"],
            set_={"position": position, "updated_at": dt.datetime.now(dt.UTC)},
        )
        await self.session.execute(statement)

    # ------------------------------------------------------------ privacy (issue 6)

    async def privacy_request(
        self, request_id: int, *, for_update: bool = False
    ) -> PrivacyRequest | None:
        """One privacy request of the store (optionally locked), or None."""
        query = select(PrivacyRequest).where(
            PrivacyRequest.store_id == self.store_id, PrivacyRequest.id == request_id
        )
        if for_update:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def privacy_requests_in(self, status: str, *, limit: int) -> Sequence[PrivacyRequest]:
        """Privacy requests in a status, oldest first."""
        query = select(PrivacyRequest).where(
            PrivacyRequest.store_id == self.store_id, PrivacyRequest.status == status
        )
        return (await self.session.scalars(query.order_by(PrivacyRequest.id).limit(limit))).all()

    async def privacy_requests_about(
        self, customer_id: int | None, external_ids: Sequence[str]
    ) -> Sequence[PrivacyRequest]:
        """Privacy requests that name a customer (by id or platform id), oldest first."""
        conditions = []
        if customer_id is not None:
            conditions.append(PrivacyRequest.customer_id == customer_id)
        if external_ids:
            conditions.append(PrivacyRequest.customer_external_id.in_(list(external_ids)))
        if not conditions:
            return []
        query = select(PrivacyRequest).where(
            PrivacyRequest.store_id == self.store_id, or_(*conditions)
        )
        return (await self.session.scalars(query.order_by(PrivacyRequest.id))).all()

    async def mentioning(
        self, model: type[Delivery] | type[DeadLetter] | type[SyncRun], needles: Sequence[str]
    ) -> Sequence[Any]:
        """Deliveries, dead letters or sync runs of the store whose documents or messages
        mention one of the needles (a person's e-mail, name, phone, address)."""
        columns: dict[Any, Sequence[Any]] = {
            Delivery: (Delivery.payload, Delivery.result, Delivery.last_error),
            DeadLetter: (DeadLetter.payload, DeadLetter.error),
            SyncRun: (SyncRun.errors, SyncRun.detail),
        }
        condition = or_(*(mentions(column, needles) for column in columns[model]))
        query = select(model).where(model.store_id == self.store_id, condition)
        return (await self.session.scalars(query.order_by(model.id))).all()


async def due_deliveries(
    session: AsyncSession, now: dt.datetime, limit: int, store_id: int | None = None
) -> Sequence[Delivery]:
    """Pending deliveries whose next attempt is due (of one store, or all), oldest first."""
    query = select(Delivery).where(Delivery.status == "pending", Delivery.next_attempt_at <= now)
    if store_id is not None:
        query = query.where(Delivery.store_id == store_id)
    query = query.order_by(Delivery.next_attempt_at, Delivery.id).limit(limit)
    return (await session.scalars(query)).all()


async def active_connections(session: AsyncSession) -> Sequence[Connection]:
    """Every active connection of every store (for scheduled syncs)."""
    query = select(Connection).where(Connection.status != "paused").order_by(Connection.id)
    return (await session.scalars(query)).all()


async def connection_by_token(session: AsyncSession, token: str) -> Connection | None:
    """The connection an inbound webhook URL names."""
    return await session.scalar(select(Connection).where(Connection.webhook_token == token))


async def stores_with_work(session: AsyncSession) -> list[int]:
    """Stores that have a connection or an endpoint (write-back has somewhere to go)."""
    with_connections = select(Connection.store_id)
    with_endpoints = select(WebhookEndpoint.store_id).where(WebhookEndpoint.active.is_(True))
    rows = await session.scalars(with_connections.union(with_endpoints))
    return sorted({int(r) for r in rows})


async def claim_deliveries(
    session: AsyncSession,
    now: dt.datetime,
    lease_until: dt.datetime,
    limit: int,
    store_id: int | None = None,
) -> list[int]:
    """Take up to `limit` due deliveries for one attempt each; returns the ids taken.

    The attempt is counted and the next attempt pushed to `lease_until` in one UPDATE that
    re-checks the row is still due, so two workers never send the same delivery at once.
    """
    due = [d.id for d in await due_deliveries(session, now, limit, store_id)]
    if not due:
        return []
    result = await session.execute(
        update(Delivery)
        .where(Delivery.id.in_(due), Delivery.status == "pending", Delivery.next_attempt_at <= now)
        .values(
            attempts=Delivery.attempts + 1,
            next_attempt_at=lease_until,
            last_attempt_at=now,
        )
        .returning(Delivery.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(int(r) for r in result.scalars())


async def delivery_by_id(session: AsyncSession, delivery_id: int) -> Delivery | None:
    """A delivery of any store (jobs work across stores)."""
    return await session.get(Delivery, delivery_id)
