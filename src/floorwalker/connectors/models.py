"""ORM models of the connectors context: connections, sync history, webhooks in and out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from floorwalker.kit.clock import utcnow
from floorwalker.kit.crypto import CONNECTORS, sealed
from floorwalker.kit.db import Base, BigId, IdMixin, StoreScoped, Timestamps


class Connection(IdMixin, StoreScoped, Timestamps, Base):
    """A store's link to a platform it already runs (Shopify, WooCommerce, a product feed)."""

    __tablename__ = "connections"
    __table_args__ = (
        UniqueConstraint("store_id", "name"),
        UniqueConstraint("store_id", "source"),
        UniqueConstraint("webhook_token"),
    )

    #: shopify, woocommerce or merchant_feed.
    platform: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    #: The `source` written on every record this connection imports (with its external id).
    source: Mapped[str] = mapped_column(String(32))
    #: The shop's address: `https://shop.myshopify.com`, `https://example.com`, a feed URL.
    base_url: Mapped[str] = mapped_column(String(500))
    #: The platform credentials as JSON, encrypted with the service's secret key.
    credentials_encrypted: Mapped[str] = mapped_column(Text, info=sealed(CONNECTORS))
    #: The secret inbound webhooks are signed with, encrypted (None: webhooks refused).
    webhook_secret_encrypted: Mapped[str | None] = mapped_column(
        Text, default=None, info=sealed(CONNECTORS)
    )
    #: Random path segment of the inbound webhook URL; identifies the connection.
    webhook_token: Mapped[str] = mapped_column(String(64))
    #: active, paused (no sync, webhooks refused) or error (last sync failed; still retried).
    status: Mapped[str] = mapped_column(String(16), default="active")
    #: Platform options: API version, page size, location mapping, write-back switches.
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: Per resource: the high-water mark of the last successful incremental sync.
    sync_state: Mapped[dict[str, Any]] = mapped_column(default=dict)
    last_sync_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(String(2000), default=None)


class SyncRun(IdMixin, StoreScoped, Base):
    """One import or sync: what ran, when, and what it changed (the history retailers read)."""

    __tablename__ = "sync_runs"
    __table_args__ = (Index("ix_sync_runs_store_started", "store_id", "started_at"),)

    connection_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("connections.id", ondelete="SET NULL"), default=None, index=True
    )
    #: The records' source (`shopify`, `file`, ...).
    source: Mapped[str] = mapped_column(String(32))
    #: full, incremental, import or replay.
    kind: Mapped[str] = mapped_column(String(16))
    #: products, inventory, customers, orders, events, knowledge or merchant_feed.
    resource: Mapped[str] = mapped_column(String(32))
    #: running, succeeded, partial (some records failed), failed or dry_run.
    status: Mapped[str] = mapped_column(String(16), default="running")
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The file name or the platform cursor the run started from.
    origin: Mapped[str] = mapped_column(String(1000), default="")
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    #: The first problems, as {"line"|"external_id", "field", "reason"} (capped).
    errors: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    detail: Mapped[str] = mapped_column(String(2000), default="")


class RecordVersion(IdMixin, StoreScoped, Base):
    """The newest platform version applied for one record, so older payloads never win.

    `kind` is product, customer, order, inventory_level or inventory_item; `ref` carries
    what a later payload needs to find the record (Shopify inventory item → variant id).
    """

    __tablename__ = "record_versions"
    __table_args__ = (UniqueConstraint("connection_id", "kind", "external_id"),)

    connection_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("connections.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(255))
    source_updated_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    ref: Mapped[dict[str, Any]] = mapped_column(default=dict)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    applied_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class WebhookReceipt(IdMixin, StoreScoped, Base):
    """One inbound webhook delivery, kept to ignore the platform's retries and replays."""

    __tablename__ = "webhook_receipts"
    __table_args__ = (
        UniqueConstraint("connection_id", "webhook_id"),
        Index("ix_webhook_receipts_store_received", "store_id", "received_at"),
    )

    connection_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("connections.id", ondelete="CASCADE")
    )
    webhook_id: Mapped[str] = mapped_column(String(255))
    topic: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    #: applied, unchanged, stale (older than what we have), ignored, dead_letter, recorded.
    status: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str | None] = mapped_column(String(255), default=None)
    source_updated_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class DeadLetter(IdMixin, StoreScoped, Base):
    """A payload that could not be applied, kept with the reason until it is replayed."""

    __tablename__ = "dead_letters"
    __table_args__ = (Index("ix_dead_letters_store_status", "store_id", "status"),)

    connection_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("connections.id", ondelete="CASCADE"), default=None
    )
    #: webhook or sync.
    origin: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(100))
    webhook_id: Mapped[str | None] = mapped_column(String(255), default=None)
    external_id: Mapped[str | None] = mapped_column(String(255), default=None)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str] = mapped_column(String(2000))
    #: open, resolved (replayed successfully) or discarded.
    status: Mapped[str] = mapped_column(String(16), default="open")
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class PrivacyRequest(IdMixin, StoreScoped, Base):
    """A platform's mandatory privacy request (Shopify customers/data_request, redact)."""

    __tablename__ = "privacy_requests"

    connection_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("connections.id", ondelete="SET NULL"), default=None
    )
    #: customer_data_request, customer_redact or shop_redact.
    kind: Mapped[str] = mapped_column(String(32))
    customer_external_id: Mapped[str | None] = mapped_column(String(255), default=None)
    customer_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    #: The platform's order ids named by the request.
    order_external_ids: Mapped[list[str]] = mapped_column(default=list)
    #: received, completed or failed.
    status: Mapped[str] = mapped_column(String(16), default="received")
    detail: Mapped[str] = mapped_column(String(2000), default="")
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class WebhookEndpoint(IdMixin, StoreScoped, Timestamps, Base):
    """A URL of the retailer's that receives signed outbound webhooks."""

    __tablename__ = "webhook_endpoints"

    url: Mapped[str] = mapped_column(String(2000))
    #: The HMAC secret (encrypted); shown once, when the endpoint is created.
    secret_encrypted: Mapped[str] = mapped_column(Text, info=sealed(CONNECTORS))
    #: Event types delivered here; ["*"] means all.
    events: Mapped[list[str]] = mapped_column(default=list)
    description: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Delivery(IdMixin, StoreScoped, Base):
    """One change to push out: an outbound webhook or a write-back to a platform.

    Retried with exponential backoff until delivered or out of attempts; every attempt is
    visible here, and a failed delivery can be retried by hand.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("store_id", "event_id", "target"),
        Index("ix_deliveries_status_next", "status", "next_attempt_at"),
        Index("ix_deliveries_store_created", "store_id", "created_at"),
    )

    endpoint_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), default=None
    )
    connection_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("connections.id", ondelete="CASCADE"), default=None
    )
    #: `endpoint:<id>` or `connection:<id>`; with event_id it makes each push unique.
    target: Mapped[str] = mapped_column(String(64))
    #: order.cancelled, order.returned, ... (what the receiver sees).
    event_type: Mapped[str] = mapped_column(String(64))
    #: Stable across retries: receivers deduplicate on it.
    event_id: Mapped[str] = mapped_column(String(100))
    #: The audit entry this change came from, when it came from one.
    audit_entry_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: pending, delivered, failed (out of attempts) or unsupported (the platform cannot).
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(default=utcnow)
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    last_status_code: Mapped[int | None] = mapped_column(Integer, default=None)
    last_error: Mapped[str | None] = mapped_column(String(2000), default=None)
    #: What the platform answered on success (its ids), for the record.
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class JobCursor(IdMixin, StoreScoped, Base):
    """Where a store's incremental job stopped (e.g. the last audit entry written back)."""

    __tablename__ = "job_cursors"
    __table_args__ = (UniqueConstraint("store_id", "job"),)

    job: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
