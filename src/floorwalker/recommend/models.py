"""ORM models of the recommend context: merchandising rules and imported interaction history."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Base, BigId, IdMixin, StoreScoped, Timestamps


class RecommendationRule(IdMixin, StoreScoped, Timestamps, Base):
    """A retailer's pin (always show, first) or block (never show) of a product on a surface.

    `surface` is one surface name or `all`. A product has at most one rule per surface.
    """

    __tablename__ = "recommendation_rules"
    __table_args__ = (UniqueConstraint("store_id", "product_id", "surface"),)

    product_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    #: pin or block.
    kind: Mapped[str] = mapped_column(String(8))
    surface: Mapped[str] = mapped_column(String(32), default="all")
    #: Order of pins on a list (lower first; ties by id).
    position: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[str] = mapped_column(String(120), default="")


class ImportedInteraction(IdMixin, StoreScoped, Base):
    """One interaction from an imported history file (another platform's orders or clicks).

    Items are resolved to the store's products at import; customers when the file's id matches
    one (by external id, e-mail or id), otherwise only `customer_ref` is kept. A row is unique
    per store by `fingerprint`, so importing a file twice adds nothing.
    """

    __tablename__ = "recommendation_interactions"
    __table_args__ = (
        UniqueConstraint("store_id", "fingerprint"),
        Index("ix_recommendation_interactions_store_customer", "store_id", "customer_id"),
        Index("ix_recommendation_interactions_store_occurred", "store_id", "occurred_at"),
    )

    customer_ref: Mapped[str] = mapped_column(String(255))
    customer_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("customers.id", ondelete="CASCADE"), default=None
    )
    item_ref: Mapped[str] = mapped_column(String(255))
    product_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    occurred_at: Mapped[dt.datetime] = mapped_column()
    #: purchase, add_to_cart or view.
    kind: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    order_ref: Mapped[str | None] = mapped_column(String(255), default=None)
    fingerprint: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
