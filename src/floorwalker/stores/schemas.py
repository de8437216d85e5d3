"""Pydantic schemas of the stores context."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import Field, field_validator

from floorwalker.kit.clock import is_valid_timezone
from floorwalker.kit.money import is_currency
from floorwalker.kit.schemas import InputSchema, Schema
from floorwalker.stores.policy import StorePolicy

_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class PrivacySettings(Schema):
    """What the store keeps about its customers, and for how long (docs/privacy.md)."""

    keep_order_financials: bool = Field(
        default=True,
        description="On erasure, keep orders' amounts, dates and SKUs (anonymised) for the "
        "accounts; false deletes the customer's orders entirely.",
    )
    conversation_retention_days: int = Field(
        default=365,
        ge=0,
        le=36_500,
        description="Conversations idle for longer are deleted by `privacy.purge` (0: kept).",
    )
    event_retention_days: int = Field(
        default=730,
        ge=0,
        le=36_500,
        description="Browsing and commerce events older than this are deleted (0: kept).",
    )


class StoreSettings(Schema):
    """Storefront settings: where the shop lives and how the widget may reach us."""

    storefront_url: str | None = Field(default=None, description="The shop's home page.")
    product_url_template: str | None = Field(
        default=None,
        description="Link to a product page, e.g. https://shop.example/products/{handle}.",
    )
    cart_url_template: str | None = Field(
        default=None,
        description="Link that fills the retailer's cart, e.g. https://shop.example/cart/{items} "
        "where {items} becomes variant:quantity pairs joined by commas.",
    )
    allowed_origins: list[str] = Field(
        default_factory=list, description="Origins the publishable widget key may be used from."
    )
    support_email: str | None = Field(default=None, description="Where shoppers reach people.")
    assistant_name: str = Field(default="Floorwalker", description="The assistant's name.")
    privacy: PrivacySettings = Field(
        default_factory=PrivacySettings, description="Erasure and retention rules."
    )


class StoreCreate(InputSchema):
    """A new store."""

    slug: str = Field(description="Short unique name: lowercase letters, digits and dashes.")
    name: str = Field(min_length=1, max_length=200)
    currency: str = Field(default="USD", description="ISO 4217 code of the store's currency.")
    timezone: str = Field(default="UTC", description="IANA display timezone.")
    language: str = Field(default="en", max_length=16)
    policy: StorePolicy = Field(default_factory=StorePolicy)
    settings: StoreSettings = Field(default_factory=StoreSettings)

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SLUG_RE.match(value):
            raise ValueError("use 1-63 lowercase letters, digits and dashes")
        return value

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        value = value.upper()
        if not is_currency(value):
            raise ValueError("not an ISO 4217 currency code")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        if not is_valid_timezone(value):
            raise ValueError("not an IANA timezone")
        return value


class StoreUpdate(InputSchema):
    """Changes to a store; omitted fields stay as they are."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    timezone: str | None = None
    language: str | None = Field(default=None, max_length=16)
    policy: StorePolicy | None = None
    settings: StoreSettings | None = None

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        if value is not None and not is_valid_timezone(value):
            raise ValueError("not an IANA timezone")
        return value


class Store(Schema):
    """A store as the API shows it."""

    id: int
    slug: str
    name: str
    currency: str
    timezone: str
    language: str
    policy: StorePolicy
    settings: StoreSettings
    created_at: dt.datetime
