"""The delivery job: pushes queued webhooks and write-backs, with retries and backoff.

Each round claims the due deliveries (counting the attempt and leasing them, so two workers
never send one twice at the same time), sends each outside any write transaction, then
records the outcome: delivered; pending again after an exponential backoff; failed once the
attempts run out or the receiver refused it for good; unsupported when a platform cannot
do it. Failed and unsupported deliveries stay visible and can be retried by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import ValidationError

from floorwalker.connectors import writeback
from floorwalker.connectors.errors import PlatformError, PlatformUnavailable
from floorwalker.connectors.models import Connection, WebhookEndpoint
from floorwalker.connectors.outbound import backoff, send_to_endpoint
from floorwalker.connectors.repository import claim_deliveries, delivery_by_id
from floorwalker.connectors.service import build_connector
from floorwalker.errors import AppError
from floorwalker.kit.clock import utcnow
from floorwalker.kit.crypto import Encryptor
from floorwalker.kit.db import Database
from floorwalker.logging import get_logger

log = get_logger(__name__)

#: Attempts before a delivery is marked failed (30 s, 1, 2, 4, 8, 16, 32 min between them).
MAX_ATTEMPTS = 8
#: How long a claimed delivery is reserved for the worker that claimed it.
LEASE = dt.timedelta(minutes=5)


@dataclass
class Outcome:
    """What one attempt came to."""

    status: str  # delivered, retry, failed, unsupported
    code: int | None = None
    error: str | None = None
    result: dict[str, Any] = field(default_factory=dict)


@dataclass
class RoundReport:
    """What one round of the job did."""

    attempted: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    unsupported: int = 0


async def deliver_due(
    db: Database,
    encryptor: Encryptor,
    *,
    limit: int = 50,
    now: dt.datetime | None = None,
    store_id: int | None = None,
    timeout: float = 10.0,
    connector_options: dict[str, Any] | None = None,
) -> RoundReport:
    """Send the deliveries that are due (up to `limit`; of one store, or all)."""
    now = now or utcnow()
    async with db.transaction() as session:
        claimed = await claim_deliveries(session, now, now + LEASE, limit, store_id)
    report = RoundReport()
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
        for delivery_id in claimed:
            outcome = await _attempt(db, encryptor, client, delivery_id, connector_options or {})
            status = await _record(db, delivery_id, outcome, now)
            report.attempted += 1
            setattr(report, status, getattr(report, status) + 1)
    return report


async def _attempt(
    db: Database,
    encryptor: Encryptor,
    client: httpx.AsyncClient,
    delivery_id: int,
    connector_options: dict[str, Any],
) -> Outcome:
    async with db.reading() as session:
        delivery = await delivery_by_id(session, delivery_id)
        if delivery is None:
            return Outcome("failed", error="The delivery disappeared.")
        if delivery.endpoint_id is not None:
            endpoint = await session.get(WebhookEndpoint, delivery.endpoint_id)
            if endpoint is None or not endpoint.active:
                return Outcome("failed", error="The endpoint was removed or deactivated.")
            url, secret = endpoint.url, encryptor.decrypt(endpoint.secret_encrypted)
            connector = change = None
        else:
            connection = await session.get(Connection, delivery.connection_id)
            if connection is None:
                return Outcome("failed", error="The connection was removed.")
            if connection.status == "paused":
                return Outcome("retry", error="The connection is paused.")
            try:
                change = await writeback.build_change(
                    session,
                    delivery.store_id,
                    connection.source,
                    delivery.payload,
                    delivery.event_id,
                )
                connector = await build_connector(
                    session, connection, encryptor, **connector_options
                )
            except AppError as exc:
                return Outcome("failed", error=f"{exc.code}: {exc.detail}")
            url = secret = ""
    if connector is None or change is None:
        try:
            code, text = await send_to_endpoint(client, url, secret, delivery)
        except httpx.HTTPError as exc:
            return Outcome("retry", error=f"{type(exc).__name__}: {exc}".rstrip(": "))
        if 200 <= code < 300:
            return Outcome("delivered", code=code)
        return Outcome("retry", code=code, error=f"HTTP {code}: {text[:300]}")
    try:
        result = await connector.write_back(change)
    except PlatformUnavailable as exc:
        return Outcome("retry", error=exc.detail)
    except PlatformError as exc:
        return Outcome("failed", code=exc.status_code, error=exc.detail)
    except (KeyError, ValueError, ValidationError) as exc:
        return Outcome("failed", error=f"The change could not be sent: {exc!r}")
    finally:
        await connector.aclose()
    if result.status == "unsupported":
        return Outcome("unsupported", error=result.detail)
    return Outcome(
        "delivered",
        result={**result.result, "detail": result.detail} if result.detail else result.result,
    )


async def _record(db: Database, delivery_id: int, outcome: Outcome, now: dt.datetime) -> str:
    async with db.transaction() as session:
        delivery = await delivery_by_id(session, delivery_id)
        if delivery is None:
            return "failed"
        delivery.last_status_code = outcome.code
        delivery.last_error = (outcome.error or None) and outcome.error[:2000]
        status = outcome.status
        if status == "delivered":
            delivery.status = "delivered"
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            delivery.result = outcome.result
        elif status == "retry" and delivery.attempts < MAX_ATTEMPTS:
            delivery.status = "pending"
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            status = "retrying"
        else:
            delivery.status = "unsupported" if status == "unsupported" else "failed"
            delivery.next_attempt_at = None
            status = delivery.status
        log.info(
            "delivery attempted",
            delivery_id=delivery.id,
            target=delivery.target,
            event_type=delivery.event_type,
            attempt=delivery.attempts,
            outcome=status,
            error=outcome.error,
        )
        return status
