"""Syncing a connection: pages fetched from the platform, applied one transaction per page.

An incremental sync asks for records changed since the stored high-water mark (minus a
minute, since platforms stamp changes before they commit them; the ledger makes the overlap
harmless); a full sync asks for everything and re-applies even unchanged versions. Every
resource run is recorded in `sync_runs` with its counts; records that fail are kept as dead
letters. The write transaction is never held while waiting for the platform.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from floorwalker.connectors.apply import Applier
from floorwalker.connectors.base import SYNC_ORDER, Resource
from floorwalker.connectors.errors import ConnectionPaused, PlatformError
from floorwalker.connectors.models import Connection, DeadLetter, SyncRun
from floorwalker.connectors.repository import ConnectorRepository
from floorwalker.connectors.schemas import ResourceSummary, SyncResult
from floorwalker.connectors.service import build_connector, get_connection
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.crypto import Encryptor
from floorwalker.kit.db import Database
from floorwalker.logging import get_logger

log = get_logger(__name__)

OVERLAP = dt.timedelta(minutes=1)
#: Problems kept on a run (all of them are in the dead letters).
MAX_RUN_ERRORS = 50


def _since(connection: Connection, resource: Resource, full: bool) -> dt.datetime | None:
    if full:
        return None
    mark = (connection.sync_state.get(resource.value) or {}).get("since")
    return dt.datetime.fromisoformat(mark) - OVERLAP if mark else None


async def sync_connection(
    db: Database,
    encryptor: Encryptor,
    actor: Actor,
    ref: int | str,
    *,
    resources: Sequence[str] | None = None,
    full: bool = False,
    connector_options: dict[str, Any] | None = None,
) -> SyncResult:
    """Sync some or all resources of a connection; returns a summary per resource."""
    wanted = [r for r in SYNC_ORDER if resources is None or r.value in resources]
    async with db.reading() as session:
        connection = await get_connection(session, actor, ref)
        if connection.status == "paused":
            raise ConnectionPaused(connection.name)
        connector = await build_connector(
            session, connection, encryptor, **(connector_options or {})
        )
    summaries: list[ResourceSummary] = []
    try:
        for resource in wanted:
            summary = await _sync_resource(db, actor, connection, connector, resource, full)
            summaries.append(summary)
            if summary.status == "failed":
                break
    finally:
        await connector.aclose()
    return SyncResult(connection=connection.name, resources=summaries)


async def _sync_resource(
    db: Database,
    actor: Actor,
    connection: Connection,
    connector: Any,
    resource: Resource,
    full: bool,
) -> ResourceSummary:
    since = _since(connection, resource, full)
    async with db.transaction() as session:
        run = SyncRun(
            store_id=actor.store_id,
            connection_id=connection.id,
            source=connection.source,
            kind="full" if full else "incremental",
            resource=resource.value,
            origin=since.isoformat() if since else "",
            errors=[],
        )
        session.add(run)
        await session.flush()
        run_id = run.id
    counts = {"created": 0, "updated": 0, "unchanged": 0, "failed": 0, "stale": 0}
    errors: list[dict[str, Any]] = []
    high_water = since + OVERLAP if since else None
    started = utcnow()
    status, detail = "succeeded", ""
    try:
        async for page in connector.fetch(resource, since=since):
            if not page.records:
                continue
            async with db.transaction() as session:
                live = await session.get(Connection, connection.id)
                applier = Applier(session, actor, live or connection)
                report = await applier.apply(page.records, force=full)
                for record, outcome in zip(page.records, report.outcomes, strict=True):
                    if outcome.status in counts:
                        counts[outcome.status] += 1
                    if outcome.status == "failed":
                        session.add(
                            DeadLetter(
                                store_id=actor.store_id,
                                connection_id=connection.id,
                                origin="sync",
                                topic=f"record:{record.kind}",
                                external_id=record.external_id,
                                payload=record.model_dump(mode="json", exclude={"raw"}),
                                error=f"{outcome.error}: {outcome.detail}"[:2000],
                            )
                        )
                        if len(errors) < MAX_RUN_ERRORS:
                            errors.append(
                                {
                                    "external_id": record.external_id,
                                    "field": None,
                                    "reason": f"{outcome.error}: {outcome.detail}",
                                }
                            )
                    if record.updated_at and (high_water is None or record.updated_at > high_water):
                        high_water = record.updated_at
            log.info(
                "sync page applied", connection=connection.name, resource=resource.value, **counts
            )
    except PlatformError as exc:
        status, detail = "failed", f"{exc.code}: {exc.detail}"
    if status == "succeeded" and counts["failed"]:
        status = "partial"
    async with db.transaction() as session:
        run_row = await session.get(SyncRun, run_id)
        live = await session.get(Connection, connection.id)
        assert run_row is not None
        assert live is not None
        run_row.status = status
        run_row.finished_at = utcnow()
        run_row.created, run_row.updated = counts["created"], counts["updated"]
        run_row.unchanged, run_row.failed = counts["unchanged"] + counts["stale"], counts["failed"]
        run_row.errors = errors
        run_row.detail = detail
        live.last_sync_at = utcnow()
        live.last_error = detail or None
        if status != "failed":
            # The mark moves only when the whole resource went through.
            state = dict(live.sync_state)
            state[resource.value] = {
                "since": (high_water or started).isoformat(),
                "synced_at": utcnow().isoformat(),
            }
            live.sync_state = state
            live.status = "active" if live.status == "error" else live.status
        else:
            live.status = "error"
        await ConnectorRepository(session, actor.store_id).session.flush()
    return ResourceSummary(resource=resource.value, run_id=run_id, status=status, **counts)
