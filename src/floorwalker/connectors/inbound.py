"""Inbound platform webhooks: verify, deduplicate, apply, or keep as a dead letter.

A webhook is authenticated only by its signature over the raw body; a bad signature is 401
and nothing is recorded. A delivery id seen before is acknowledged as a duplicate and not
applied again. Payloads that cannot be applied become dead letters (and the platform still
gets a 2xx, so it does not retry something only a person can fix); `replay` tries them again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.connectors import base
from floorwalker.connectors.apply import Applier
from floorwalker.connectors.base import Connector, NeutralRecord, WebhookDelivery
from floorwalker.connectors.errors import (
    ConnectionNotFound,
    ConnectionPaused,
    DeadLetterNotFound,
    PlatformError,
    WebhookNotAccepted,
    WebhookSignatureInvalid,
)
from floorwalker.connectors.ledger import ApplyReport
from floorwalker.connectors.models import Connection, DeadLetter
from floorwalker.connectors.repository import ConnectorRepository, connection_by_token
from floorwalker.connectors.schemas import WebhookAck
from floorwalker.connectors.service import build_connector, webhook_secret_of
from floorwalker.errors import AppError
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.crypto import Encryptor
from floorwalker.kit.db import Database
from floorwalker.logging import get_logger

log = get_logger(__name__)

_RECORD_TYPES: dict[str, type[base.Neutral]] = {
    "product": base.NeutralProduct,
    "location": base.NeutralLocation,
    "stock_level": base.NeutralStockLevel,
    "customer": base.NeutralCustomer,
    "order": base.NeutralOrder,
    "deletion": base.NeutralDeletion,
    "privacy": base.NeutralPrivacyRequest,
}


def verdict(report: ApplyReport) -> str:
    """One word for a webhook's records: applied, unchanged, stale, ignored or dead_letter."""
    statuses = {o.status for o in report.outcomes}
    if "failed" in statuses:
        return "dead_letter"
    if statuses & {"created", "updated"}:
        return "applied"
    for word in ("stale", "unchanged", "ignored"):
        if word in statuses:
            return word
    return "ignored"


async def receive(
    db: Database,
    encryptor: Encryptor,
    *,
    platform: str,
    token: str,
    headers: Mapping[str, str],
    body: bytes,
    connector_options: dict[str, Any] | None = None,
) -> WebhookAck:
    """Handle one inbound webhook from its raw body and headers."""
    async with db.reading() as session:
        connection = await connection_by_token(session, token)
        if connection is None or connection.platform != platform:
            raise ConnectionNotFound(token[:8] + "…")
        if connection.status == "paused":
            raise ConnectionPaused(connection.name)
        secret = webhook_secret_of(connection, encryptor)
        if secret is None:
            raise WebhookSignatureInvalid("Webhooks are not set up for this connection.")
        if (
            platform == "woocommerce"
            and body.startswith(b"webhook_id=")
            and not headers.get("x-wc-webhook-signature")
        ):
            # WooCommerce pings a new webhook's URL once, unsigned, with a form body.
            return WebhookAck(status="ping")
        connector = await build_connector(
            session, connection, encryptor, **(connector_options or {})
        )
    try:
        delivery = connector.verify_webhook(headers, body, secret)
        async with db.reading() as session:
            seen = await ConnectorRepository(session, connection.store_id).receipt(
                connection.id, delivery.webhook_id
            )
        if seen is not None:
            return WebhookAck(status="duplicate", detail=f"first handled as {seen.status}")
        try:
            records: Sequence[NeutralRecord] | None = await connector.map_webhook(delivery)
            problem = None
        except (
            KeyError,
            TypeError,
            ValueError,
            ValidationError,
            WebhookNotAccepted,
            PlatformError,
        ) as exc:
            records, problem = None, _describe(exc)
    finally:
        await connector.aclose()
    async with db.transaction() as session:
        repo = ConnectorRepository(session, connection.store_id)
        claimed = await repo.claim_receipt(
            {
                "store_id": connection.store_id,
                "connection_id": connection.id,
                "webhook_id": delivery.webhook_id,
                "topic": delivery.topic,
                "received_at": utcnow(),
                "status": "received",
            }
        )
        if not claimed:
            return WebhookAck(status="duplicate")
        status, detail, external_id, updated_at = await _apply_delivery(
            session, connection, delivery, records, problem
        )
        await repo.set_receipt_status(
            connection.id,
            delivery.webhook_id,
            status,
            external_id=external_id,
            source_updated_at=updated_at,
        )
    log.info("webhook handled", connection=connection.name, topic=delivery.topic, status=status)
    return WebhookAck(status=status, detail=detail)


def _describe(exc: Exception) -> str:
    if isinstance(exc, AppError):
        return f"{exc.code}: {exc.detail}"
    return f"{type(exc).__name__}: {exc}"[:2000]


async def _apply_delivery(
    session: AsyncSession,
    connection: Connection,
    delivery: WebhookDelivery,
    records: Sequence[NeutralRecord] | None,
    problem: str | None,
) -> tuple[str, str, str | None, dt.datetime | None]:
    actor = Actor.system(connection.store_id, f"webhook:{connection.name}")
    first = records[0] if records else None
    external_id = first.external_id if first else _payload_id(delivery.payload)
    updated_at = first.updated_at if first else None
    if records is not None and not records:
        return "ignored", f"topic {delivery.topic} is not used", external_id, updated_at
    if records is not None:
        try:
            async with session.begin_nested():
                report = await Applier(session, actor, connection).apply(records)
        except (AppError, ValidationError) as exc:
            problem = _describe(exc)
        else:
            status = verdict(report)
            if status != "dead_letter":
                return status, "", external_id, updated_at
            problem = "; ".join(
                f"{o.error}: {o.detail}" for o in report.outcomes if o.status == "failed"
            )
    session.add(
        DeadLetter(
            store_id=connection.store_id,
            connection_id=connection.id,
            origin="webhook",
            topic=delivery.topic,
            webhook_id=delivery.webhook_id,
            external_id=external_id,
            payload=delivery.payload
            if isinstance(delivery.payload, dict)
            else {"body": delivery.payload},
            error=(problem or "unknown")[:2000],
        )
    )
    await session.flush()
    return "dead_letter", problem or "", external_id, updated_at


def _payload_id(payload: Any) -> str | None:
    if isinstance(payload, dict) and payload.get("id") is not None:
        return str(payload["id"])
    return None


def record_from_json(topic: str, payload: dict[str, Any]) -> NeutralRecord:
    """A neutral record kept by a sync's dead letter (`record:<kind>` topics)."""
    model = _RECORD_TYPES[topic.removeprefix("record:")]
    return model.model_validate(payload)  # type: ignore[return-value]


async def replay(
    db: Database,
    encryptor: Encryptor,
    actor: Actor,
    letter_id: int,
    *,
    connector_options: dict[str, Any] | None = None,
) -> DeadLetter:
    """Try a dead letter again; it is resolved if it applies now, else kept with the new error."""
    async with db.reading() as session:
        letter = await ConnectorRepository(session, actor.store_id).dead_letter(letter_id)
        if letter is None:
            raise DeadLetterNotFound(letter_id)
        connection = (
            await session.get(Connection, letter.connection_id) if letter.connection_id else None
        )
        if connection is None:
            raise ConnectionNotFound(str(letter.connection_id))
        connector: Connector | None = None
        if not letter.topic.startswith("record:"):
            connector = await build_connector(
                session, connection, encryptor, **(connector_options or {})
            )
    problem: str | None = None
    records: Sequence[NeutralRecord] | None = None
    try:
        if connector is None:
            records = [record_from_json(letter.topic, letter.payload)]
        else:
            delivery = WebhookDelivery(
                letter.webhook_id or f"replay-{letter.id}", letter.topic, letter.payload
            )
            records = await connector.map_webhook(delivery)
    except (
        KeyError,
        TypeError,
        ValueError,
        ValidationError,
        WebhookNotAccepted,
        PlatformError,
    ) as exc:
        problem = _describe(exc)
    finally:
        if connector is not None:
            await connector.aclose()
    async with db.transaction() as session:
        repo = ConnectorRepository(session, actor.store_id)
        letter = await repo.dead_letter(letter_id, for_update=True)
        assert letter is not None
        if records is not None:
            try:
                async with session.begin_nested():
                    report = await Applier(session, actor, connection).apply(records)
            except (AppError, ValidationError) as exc:
                problem = _describe(exc)
            else:
                failures = [o for o in report.outcomes if o.status == "failed"]
                problem = "; ".join(f"{o.error}: {o.detail}" for o in failures) or None
        letter.attempts += 1
        letter.last_attempt_at = utcnow()
        if problem is None:
            letter.status = "resolved"
            letter.resolved_at = utcnow()
        else:
            letter.error = problem[:2000]
        await session.flush()
        await audit_service.record(
            session,
            actor,
            action="dead_letter.replay",
            subject_type="dead_letter",
            subject_id=letter.id,
            data={"status": letter.status},
        )
    return letter
