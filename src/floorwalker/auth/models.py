"""ORM models of the auth context."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Base, BigId, IdMixin, StoreScoped


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


class StaffUser(IdMixin, StoreScoped, Base):
    """A person who works in the console: owner, admin, agent or analyst."""

    __tablename__ = "staff_users"
    __table_args__ = (UniqueConstraint("store_id", "email"),)

    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    #: argon2id hash of the password (never the password).
    password_hash: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class StaffSession(IdMixin, StoreScoped, Base):
    """A signed-in console session. The cookie holds a random token; we store its digest."""

    __tablename__ = "staff_sessions"

    user_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    #: Sent back in the `X-CSRF-Token` header on every unsafe request made with the cookie.
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column()
    revoked_at: Mapped[dt.datetime | None] = mapped_column(default=None)
