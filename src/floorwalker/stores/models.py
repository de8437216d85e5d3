"""ORM models of the stores context."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from floorwalker.kit.crypto import IDENTITY_SECRET, sealed
from floorwalker.kit.db import Base, IdMixin, Timestamps


class Store(IdMixin, Timestamps, Base):
    """A tenant: one retailer's shop. Every other row belongs to exactly one store."""

    __tablename__ = "stores"

    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    language: Mapped[str] = mapped_column(String(16), default="en")
    #: The store's policy object (floorwalker.stores.policy.StorePolicy) as JSON.
    policy: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: Storefront settings (floorwalker.stores.schemas.StoreSettings) as JSON.
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: The HS256 secret the retailer's site signs shopper identity tokens with (encrypted).
    identity_secret_encrypted: Mapped[str | None] = mapped_column(
        String(512), default=None, info=sealed(IDENTITY_SECRET)
    )
