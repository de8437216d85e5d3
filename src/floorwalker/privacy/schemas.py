"""Pydantic schemas of the privacy context."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Protocol

from pydantic import Field

from floorwalker.kit.schemas import InputSchema, Schema

#: What `format` says in every export document (bumped when the shape changes).
EXPORT_FORMAT = "floorwalker.customer-export/1"


class CustomerRecord(Protocol):
    """What privacy reads of a customer record the customers service returns."""

    id: int
    email: str | None
    external_id: str | None
    consent: dict[str, Any]


class Origin(StrEnum):
    """Through what a privacy request came."""

    API = "api"
    CONSOLE = "console"
    CLI = "cli"
    SHOPIFY = "shopify"
    SCHEDULE = "schedule"


class PurposeConsent(Schema):
    """One purpose: what was recorded, and whether it currently allows the use."""

    granted: bool | None = Field(description="What the shopper said; null: never asked.")
    at: str | None = Field(default=None, description="When it was recorded (ISO 8601).")
    source: str | None = Field(default=None, description="Who recorded it.")
    allowed: bool = Field(
        description="Whether the purpose is allowed now. Personalisation and marketing need a "
        "grant; analytics is allowed unless refused."
    )


class Consent(Schema):
    """A customer's consent per purpose."""

    customer_id: int
    personalisation: PurposeConsent
    analytics: PurposeConsent
    marketing: PurposeConsent


class ConsentChange(InputSchema):
    """Grant (true) or withdraw (false) consent; purposes left out stay as they are."""

    personalisation: bool | None = None
    analytics: bool | None = None
    marketing: bool | None = None


class ErasureRequest(InputSchema):
    """Erase a customer: confirm by typing their e-mail (or their id if they have none)."""

    confirm: str = Field(min_length=1, max_length=320)
    force: bool = Field(
        default=False,
        description="Erase even with orders in progress (their addresses will be gone).",
    )


class ErasurePreview(Schema):
    """What an erasure of the customer would touch."""

    customer_id: int
    confirm_with: str = Field(description="What to type to confirm: the e-mail, or the id.")
    orders: int
    open_order_ids: list[int]
    conversations: int
    events: int
    imported_interactions: int
    keep_order_financials: bool


class Receipt(Schema):
    """What a privacy request did: counts per context, who, when. No personal data."""

    id: str = Field(description="The receipt's id (`prv_…`).")
    kind: str
    status: str
    origin: str
    requested_by: str
    customer_id: int | None
    platform_request_id: int | None
    requested_at: dt.datetime
    completed_at: dt.datetime | None
    counts: dict[str, Any]
    detail: str


class PurgeResult(Schema):
    """What one run of `privacy.purge` deleted in a store."""

    store_id: int
    conversations: int
    events: int
    conversation_cutoff: dt.datetime | None
    event_cutoff: dt.datetime | None


class PrivacySettingsUpdate(InputSchema):
    """Changes to the store's privacy settings; fields left out stay as they are."""

    keep_order_financials: bool | None = None
    conversation_retention_days: int | None = Field(default=None, ge=0, le=36_500)
    event_retention_days: int | None = Field(default=None, ge=0, le=36_500)


class PlatformRequest(Schema):
    """A privacy request a platform sent (Shopify's mandatory webhooks), and its answer."""

    id: int
    kind: str = Field(description="customer_data_request, customer_redact or shop_redact.")
    customer_id: int | None = Field(description="The customer here, when the request named one.")
    customer_external_id: str | None = Field(description="The platform's id of the customer.")
    order_external_ids: list[str] = Field(description="The platform's ids of orders it names.")
    status: str = Field(description="received (pending), completed or failed.")
    detail: str = Field(description="What answering it did, or what it waits for.")
    received_at: dt.datetime
    completed_at: dt.datetime | None = Field(description="When it was answered.")
    receipt_id: str | None = Field(
        description="The receipt (`prv_…`) of the erasure that answered it, if any (the first "
        "batch's, for a shop's redaction)."
    )


class PlatformRequestOutcome(Schema):
    """How a platform's privacy request was answered."""

    platform_request_id: int
    kind: str
    status: str
    detail: str
    receipt: Receipt | None = None
