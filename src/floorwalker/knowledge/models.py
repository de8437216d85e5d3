"""ORM models of the knowledge context."""

from __future__ import annotations

from sqlalchemy import Boolean, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from floorwalker.kit.db import Base, IdMixin, StoreScoped, Timestamps


class Article(IdMixin, StoreScoped, Timestamps, Base):
    """A policy page or an FAQ entry the assistant may quote."""

    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("store_id", "slug"),
        UniqueConstraint("store_id", "source", "external_id"),
    )

    #: policy, faq or page.
    kind: Mapped[str] = mapped_column(String(16))
    slug: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(default=list)
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(32), default="api")
    external_id: Mapped[str | None] = mapped_column(String(255), default=None)
