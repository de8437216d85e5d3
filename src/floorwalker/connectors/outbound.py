"""Outbound webhooks: the retailer's endpoints, signed JSON, and the delivery log.

Every delivery is a row in `deliveries` first (queued in the same transaction as the change
it announces), then sent by the delivery job with retries and exponential backoff. The body
is JSON; `Floorwalker-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
lets the receiver check it came from us and is fresh (see docs/integrations.md).
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from collections.abc import Sequence
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.connectors import schemas
from floorwalker.connectors.errors import (
    DeliveryNotFound,
    DeliveryNotRetryable,
    EndpointNotFound,
)
from floorwalker.connectors.models import Delivery, WebhookEndpoint
from floorwalker.connectors.repository import ConnectorRepository
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.crypto import Encryptor
from floorwalker.kit.security import hmac_sha256, new_token

SIGNATURE_HEADER = "Floorwalker-Signature"
USER_AGENT = "Floorwalker-Webhooks/1"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value of a body sent at `timestamp` (unix seconds)."""
    mac = hmac_sha256(secret, f"{timestamp}.".encode() + body).hex()
    return f"t={timestamp},v1={mac}"


def envelope(delivery: Delivery) -> bytes:
    """The JSON body an endpoint receives for a delivery (the same on every attempt)."""
    return json.dumps(
        {
            "id": delivery.event_id,
            "type": delivery.event_type,
            "created_at": delivery.created_at.isoformat(),
            "store_id": delivery.store_id,
            "data": delivery.payload,
        },
        separators=(",", ":"),
        sort_keys=True,
        default=str,
    ).encode()


def subscribes(endpoint: WebhookEndpoint, event_type: str) -> bool:
    """Whether an endpoint wants an event type."""
    return endpoint.active and ("*" in endpoint.events or event_type in endpoint.events)


async def announce(
    session: AsyncSession,
    actor: Actor,
    *,
    event_type: str,
    payload: dict[str, Any],
    event_id: str | None = None,
    audit_entry_id: int | None = None,
) -> int:
    """Queue an event to every subscribed endpoint of the store; returns how many were queued.

    Queued in the caller's transaction: if the change it announces rolls back, so does this.
    The same `event_id` is never queued twice to one endpoint.
    """
    repo = ConnectorRepository(session, actor.store_id)
    endpoints = [e for e in await repo.endpoints(active_only=True) if subscribes(e, event_type)]
    event_id = event_id or f"evt_{uuid.uuid4().hex}"
    now = utcnow()
    return await repo.enqueue(
        [
            {
                "store_id": actor.store_id,
                "endpoint_id": e.id,
                "connection_id": None,
                "target": f"endpoint:{e.id}",
                "event_type": event_type,
                "event_id": event_id,
                "audit_entry_id": audit_entry_id,
                "payload": payload,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
                "result": {},
            }
            for e in endpoints
        ]
    )


async def send_to_endpoint(
    client: httpx.AsyncClient, endpoint_url: str, secret: str, delivery: Delivery
) -> tuple[int, str]:
    """POST one delivery; returns (status code, short body). Raises httpx errors on failure."""
    body = envelope(delivery)
    timestamp = int(time.time())
    response = await client.post(
        endpoint_url,
        content=body,
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Floorwalker-Event": delivery.event_type,
            "Floorwalker-Delivery": delivery.event_id,
            SIGNATURE_HEADER: signature(secret, timestamp, body),
        },
    )
    return response.status_code, response.text[:500]


# ---------------------------------------------------------------- endpoints


async def create_endpoint(
    session: AsyncSession, actor: Actor, *, data: schemas.EndpointCreate, encryptor: Encryptor
) -> tuple[WebhookEndpoint, str]:
    """Create an endpoint; returns it and its signing secret (shown only now)."""
    secret = new_token("whsec_", 32)
    endpoint = await ConnectorRepository(session, actor.store_id).add(
        WebhookEndpoint(
            store_id=actor.store_id,
            url=data.url,
            secret_encrypted=encryptor.encrypt(secret),
            events=data.events,
            description=data.description,
            active=True,
        )
    )
    await audit_service.record(
        session,
        actor,
        action="webhook_endpoint.create",
        subject_type="webhook_endpoint",
        subject_id=endpoint.id,
        data={"url": data.url, "events": data.events},
    )
    return endpoint, secret


async def _endpoint_or_raise(
    session: AsyncSession, actor: Actor, endpoint_id: int
) -> WebhookEndpoint:
    endpoint = await ConnectorRepository(session, actor.store_id).endpoint(endpoint_id)
    if endpoint is None:
        raise EndpointNotFound(endpoint_id)
    return endpoint


async def list_endpoints(session: AsyncSession, actor: Actor) -> Sequence[WebhookEndpoint]:
    """The store's endpoints."""
    return await ConnectorRepository(session, actor.store_id).endpoints()


async def update_endpoint(
    session: AsyncSession, actor: Actor, endpoint_id: int, *, data: schemas.EndpointUpdate
) -> WebhookEndpoint:
    """Change an endpoint's URL, events, description or whether it is active."""
    endpoint = await _endpoint_or_raise(session, actor, endpoint_id)
    changes = data.model_dump(exclude_none=True)
    if "events" in changes:
        changes["events"] = schemas.EndpointCreate(
            url=endpoint.url, events=changes["events"]
        ).events
    for key, value in changes.items():
        setattr(endpoint, key, value)
    if changes:
        await session.flush()
        await audit_service.record(
            session,
            actor,
            action="webhook_endpoint.update",
            subject_type="webhook_endpoint",
            subject_id=endpoint.id,
            data={"changed": sorted(changes)},
        )
    return endpoint


async def delete_endpoint(session: AsyncSession, actor: Actor, endpoint_id: int) -> None:
    """Remove an endpoint and its delivery log."""
    endpoint = await _endpoint_or_raise(session, actor, endpoint_id)
    session.expunge(endpoint)
    await ConnectorRepository(session, actor.store_id).delete_endpoint(endpoint_id)
    await audit_service.record(
        session,
        actor,
        action="webhook_endpoint.delete",
        subject_type="webhook_endpoint",
        subject_id=endpoint_id,
    )


# ---------------------------------------------------------------- the delivery log


async def list_deliveries(
    session: AsyncSession,
    actor: Actor,
    *,
    status: str | None = None,
    endpoint_id: int | None = None,
    connection_id: int | None = None,
    before_id: int = 0,
    limit: int = 50,
) -> Sequence[Delivery]:
    """The delivery log (webhooks and write-backs), newest first."""
    return await ConnectorRepository(session, actor.store_id).deliveries(
        status=status,
        endpoint_id=endpoint_id,
        connection_id=connection_id,
        after_id=before_id,
        limit=limit,
    )


async def get_delivery(session: AsyncSession, actor: Actor, delivery_id: int) -> Delivery:
    """One delivery of the store; raises DeliveryNotFound."""
    delivery = await ConnectorRepository(session, actor.store_id).delivery(delivery_id)
    if delivery is None:
        raise DeliveryNotFound(delivery_id)
    return delivery


async def retry_delivery(session: AsyncSession, actor: Actor, delivery_id: int) -> Delivery:
    """Queue a failed (or unsupported) delivery again, now, with a fresh set of attempts."""
    delivery = await ConnectorRepository(session, actor.store_id).delivery(
        delivery_id, for_update=True
    )
    if delivery is None:
        raise DeliveryNotFound(delivery_id)
    if delivery.status not in {"failed", "unsupported"}:
        raise DeliveryNotRetryable(delivery_id, delivery.status)
    delivery.status = "pending"
    delivery.attempts = 0
    delivery.next_attempt_at = utcnow()
    await session.flush()
    await audit_service.record(
        session,
        actor,
        action="delivery.retry",
        subject_type="delivery",
        subject_id=delivery.id,
        data={"event_type": delivery.event_type, "target": delivery.target},
    )
    return delivery


def backoff(attempts: int, *, base: float = 30.0, cap: float = 6 * 3600.0) -> dt.timedelta:
    """The wait after `attempts` failed attempts: 30 s, 1 min, 2 min, … up to 6 hours."""
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))
