"""Pydantic schemas of the connectors context: connections, runs, webhooks in and out."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, field_validator

from floorwalker.kit.schemas import InputSchema, Schema

PLATFORMS = ("shopify", "woocommerce")

#: Outbound webhook event types (what a retailer's endpoint can subscribe to).
EVENT_TYPES = (
    "order.cancelled",
    "order.address_changed",
    "order.payment_changed",
    "order.items_changed",
    "order.return_requested",
    "order.exchange_requested",
    "order.return_completed",
    "order.exchange_completed",
    "handoff.requested",
    "privacy.request_received",
)


def _http_url(value: str) -> str:
    value = value.strip()
    if not value.lower().startswith(("http://", "https://")) or " " in value:
        raise ValueError("must be an http:// or https:// URL")
    return value.rstrip("/")


class ConnectionCreate(InputSchema):
    """A new link to a platform. Credentials are stored encrypted and never shown again."""

    platform: Literal["shopify", "woocommerce"]
    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    base_url: str = Field(
        max_length=500,
        description="https://<shop>.myshopify.com, or the WordPress site's address.",
    )
    source: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9][a-z0-9_.-]{0,31}$",
        description="The source written on imported records; default: the platform name.",
    )
    credentials: dict[str, str] = Field(
        description="Shopify: access_token. WooCommerce: consumer_key and consumer_secret."
    )
    webhook_secret: str | None = Field(
        default=None,
        min_length=8,
        description="The secret the platform signs webhooks with (Shopify: the app's secret).",
    )
    settings: dict[str, Any] = Field(default_factory=dict)

    _check_url = field_validator("base_url")(_http_url)


class ConnectionUpdate(InputSchema):
    """Changes to a connection: pause or resume it, new credentials or settings."""

    status: Literal["active", "paused"] | None = None
    credentials: dict[str, str] | None = None
    webhook_secret: str | None = Field(default=None, min_length=8)
    settings: dict[str, Any] | None = None


class Connection(Schema):
    """A connection as shown (credentials never are)."""

    id: int
    platform: str
    name: str
    source: str
    base_url: str
    status: str
    settings: dict[str, Any]
    sync_state: dict[str, Any]
    webhooks_enabled: bool = False
    webhook_path: str = Field(default="", description="Where the platform sends webhooks.")
    last_sync_at: dt.datetime | None
    last_error: str | None
    created_at: dt.datetime


class SyncRun(Schema):
    """One import or sync, with what it changed."""

    id: int
    connection_id: int | None
    source: str
    kind: str
    resource: str
    status: str
    dry_run: bool
    origin: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    created: int
    updated: int
    unchanged: int
    failed: int
    errors: list[dict[str, Any]]
    detail: str


class SyncRequest(InputSchema):
    """What to sync: every resource by default, from the stored cursor unless `full`."""

    resources: list[Literal["locations", "products", "inventory", "customers", "orders"]] | None = (
        None
    )
    full: bool = False


class DeadLetter(Schema):
    """A payload that could not be applied."""

    id: int
    connection_id: int | None
    origin: str
    topic: str
    webhook_id: str | None
    external_id: str | None
    error: str
    status: str
    attempts: int
    created_at: dt.datetime
    last_attempt_at: dt.datetime
    resolved_at: dt.datetime | None
    payload: dict[str, Any]


class EndpointCreate(InputSchema):
    """A URL of yours that receives signed webhooks."""

    url: str = Field(max_length=2000)
    events: list[str] = Field(default_factory=lambda: ["*"], min_length=1)
    description: str = Field(default="", max_length=500)

    _check_url = field_validator("url")(_http_url)

    @field_validator("events")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = [e for e in value if e != "*" and e not in EVENT_TYPES]
        if unknown:
            raise ValueError(f"unknown event types: {', '.join(unknown)}")
        return sorted(set(value))


class EndpointUpdate(InputSchema):
    """Changes to an endpoint."""

    url: str | None = Field(default=None, max_length=2000)
    events: list[str] | None = None
    description: str | None = Field(default=None, max_length=500)
    active: bool | None = None

    _check_url = field_validator("url")(lambda v: None if v is None else _http_url(v))


class Endpoint(Schema):
    """An endpoint as listed (the secret is shown only when it is created)."""

    id: int
    url: str
    events: list[str]
    description: str
    active: bool
    created_at: dt.datetime


class EndpointCreated(Endpoint):
    """A new endpoint and its signing secret (shown only now)."""

    secret: str


class Delivery(Schema):
    """One outbound push and how it went."""

    id: int
    endpoint_id: int | None
    connection_id: int | None
    target: str
    event_type: str
    event_id: str
    audit_entry_id: int | None
    status: str
    attempts: int
    next_attempt_at: dt.datetime | None
    last_attempt_at: dt.datetime | None
    last_status_code: int | None
    last_error: str | None
    result: dict[str, Any]
    created_at: dt.datetime
    delivered_at: dt.datetime | None
    payload: dict[str, Any]


class ResourceSummary(Schema):
    """What a sync did to one resource."""

    resource: str
    run_id: int
    status: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    stale: int = 0


class SyncResult(Schema):
    """What a sync did, resource by resource."""

    connection: str
    resources: list[ResourceSummary]


class WebhookAck(Schema):
    """The answer to a platform's webhook."""

    status: str
    detail: str = ""
