"""Pydantic schemas of the stores context."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

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


#: Members of a JWK that only a private (or symmetric) key has: never stored.
_PRIVATE_JWK_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
_LOOPBACK_HOSTS = frozenset({"localhost"})


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class IdentityKeys(Schema):
    """The public keys (a JWKS) the store's site signs RS256 shopper identity tokens with.

    Exactly one source: `jwks` (the key set itself), `jwks_url` (https, or http on loopback),
    or `jwks_file` (a path on the server: set by the operator through the CLI only).
    """

    jwks: dict[str, Any] | None = Field(
        default=None, description='The key set inline: {"keys": [RSA public keys]}.'
    )
    jwks_url: str | None = Field(
        default=None, max_length=2000, description="Where to fetch the key set (https)."
    )
    jwks_file: str | None = Field(
        default=None, max_length=1000, description="An absolute path to the key set on the server."
    )
    issuer: str | None = Field(
        default=None, max_length=500, description="When set, tokens must carry this `iss`."
    )

    @model_validator(mode="after")
    def _one_source(self) -> IdentityKeys:
        sources = [s for s in (self.jwks, self.jwks_url, self.jwks_file) if s is not None]
        if len(sources) != 1:
            raise ValueError("give exactly one of jwks, jwks_url and jwks_file")
        if self.jwks is not None:
            check_jwks(self.jwks)
        if self.jwks_url is not None:
            parts = urlsplit(self.jwks_url)
            host = parts.hostname or ""
            if not host or not (
                parts.scheme == "https" or (parts.scheme == "http" and _is_loopback(host))
            ):
                raise ValueError("jwks_url must be https (plain http only on loopback)")
        if self.jwks_file is not None and not self.jwks_file.startswith("/"):
            raise ValueError("jwks_file must be an absolute path")
        return self


def check_jwks(jwks: Any) -> None:
    """Refuse anything but a set of RSA public keys (a private key pasted by mistake above all)."""
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(keys, list) or not keys or len(keys) > 20:
        raise ValueError('a JWKS is {"keys": [...]} with 1 to 20 keys')
    for key in keys:
        if not isinstance(key, dict) or key.get("kty") != "RSA" or not key.get("n"):
            raise ValueError("every key must be an RSA public key (kty RSA, n, e)")
        if _PRIVATE_JWK_MEMBERS & key.keys():
            raise ValueError("the key set holds private key material: publish public keys only")


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
    identity_keys: IdentityKeys | None = Field(
        default=None,
        description="Public keys for RS256 shopper identity tokens (the HS256 secret is set "
        "apart, with POST /v1/store/identity-secret).",
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
