"""The connectors' jobs: write-back queueing, deliveries, scheduled syncs, and their loop.

Each job is named, idempotent and safe to run from several processes at once. `run_forever`
runs them in a loop (`floorwalker connectors worker`); a round never holds a write
transaction while it talks to a platform or an endpoint.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from dataclasses import dataclass

from floorwalker.connectors import writeback
from floorwalker.connectors.delivery import RoundReport, deliver_due
from floorwalker.connectors.errors import ConnectorError
from floorwalker.connectors.repository import active_connections, stores_with_work
from floorwalker.connectors.sync import sync_connection
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.crypto import Encryptor
from floorwalker.kit.db import Database
from floorwalker.logging import get_logger

log = get_logger(__name__)

#: Minutes between incremental syncs of a connection unless its settings say otherwise.
DEFAULT_SYNC_MINUTES = 15


async def queue_writebacks(db: Database, store_id: int | None = None) -> int:
    """Job `connectors.writeback`: queue new order changes (of one store, or all)."""
    async with db.reading() as session:
        stores = [store_id] if store_id is not None else await stores_with_work(session)
    queued = 0
    for store_id in stores:
        async with db.transaction() as session:
            queued += await writeback.enqueue_new(session, store_id)
    return queued


async def sync_due(db: Database, encryptor: Encryptor, now: dt.datetime | None = None) -> int:
    """Job `connectors.sync`: incremental sync of every connection whose interval passed."""
    now = now or utcnow()
    async with db.reading() as session:
        connections = list(await active_connections(session))
    synced = 0
    for connection in connections:
        minutes = int(connection.settings.get("sync_every_minutes", DEFAULT_SYNC_MINUTES))
        if minutes <= 0:
            continue
        last = connection.last_sync_at
        if last is not None and now - last < dt.timedelta(minutes=minutes):
            continue
        actor = Actor.system(connection.store_id, "scheduler")
        try:
            await sync_connection(db, encryptor, actor, connection.id)
            synced += 1
        except ConnectorError as exc:
            log.warning("scheduled sync failed", connection=connection.name, error=exc.detail)
    return synced


@dataclass
class Round:
    """What one round of the worker did."""

    queued: int
    deliveries: RoundReport
    synced: int


async def run_once(db: Database, encryptor: Encryptor, *, with_sync: bool = True) -> Round:
    """One round of every job."""
    queued = await queue_writebacks(db)
    deliveries = await deliver_due(db, encryptor)
    synced = await sync_due(db, encryptor) if with_sync else 0
    return Round(queued, deliveries, synced)


async def run_forever(
    db: Database,
    encryptor: Encryptor,
    *,
    interval: float = 5.0,
    stop: asyncio.Event | None = None,
) -> None:
    """Run rounds until `stop` is set; a failing round is logged, never fatal."""
    stop = stop or asyncio.Event()
    while not stop.is_set():
        try:
            result = await run_once(db, encryptor)
            if result.queued or result.deliveries.attempted or result.synced:
                log.info(
                    "connectors round",
                    queued=result.queued,
                    attempted=result.deliveries.attempted,
                    delivered=result.deliveries.delivered,
                    synced=result.synced,
                )
        except Exception:
            log.exception("connectors round failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)
