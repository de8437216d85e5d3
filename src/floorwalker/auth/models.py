"""ORM models of the auth context."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Base, IdMixin, StoreScoped


class ApiKey(IdMixin, StoreScoped, Base):
    """A store-scoped API key. Only the SHA-256 digest of the key is stored."""

    __tablename__ = "api_keys"

    name: Mapped[str] = mapped_column(String(200))
    #: `secret` keys go in servers; `publishable` keys go in the widget on the storefront.
    kind: Mapped[str] = mapped_column(String(16))
    scopes: Mapped[list[str]] = mapped_column(default=list)
    #: The first characters of the key, shown in listings so people can tell keys apart.
    prefix: Mapped[str] = mapped_column(String(24))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    #: Origins a publishable key may be used from (CORS); empty means the store's settings.
    allowed_origins: Mapped[list[str]] = mapped_column(default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(default=None)
