"""ORM models of the events context."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Base, BigId, IdMixin, StoreScoped


class Event(IdMixin, StoreScoped, Base):
    """One browsing or commerce event (view, search, cart change, purchase, ...).

    Product, variant, customer and order ids are plain integers, not foreign keys: events
    outlive the rows they mention, and ingestion must not pay for lookups.
    """

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("store_id", "event_id"),
        Index("ix_events_store_occurred", "store_id", "occurred_at"),
        Index("ix_events_store_customer", "store_id", "customer_id"),
        Index("ix_events_store_session", "store_id", "session_id"),
        Index("ix_events_store_type_occurred", "store_id", "type", "occurred_at"),
    )

    # Every index here starts with store_id, so the mixin's own store_id index would only slow
    # down ingestion (a sixth B-tree to update per event).
    store_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("stores.id", ondelete="CASCADE"), sort_order=-9
    )
    #: The sender's id for the event; a second event with the same id is ignored.
    event_id: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[dt.datetime] = mapped_column()
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    customer_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    session_id: Mapped[str | None] = mapped_column(String(100), default=None)
    product_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    variant_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    order_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    query: Mapped[str | None] = mapped_column(String(500), default=None)
    quantity: Mapped[int | None] = mapped_column(Integer, default=None)
    #: Money value of the event in minor units (a purchase's total, a cart line's price).
    value: Mapped[int | None] = mapped_column(Integer, default=None)
    currency: Mapped[str | None] = mapped_column(String(3), default=None)
    properties: Mapped[dict[str, Any]] = mapped_column(default=dict)


class SessionLink(IdMixin, StoreScoped, Base):
    """An anonymous session stitched to the customer it turned out to be.

    A session is stitched to the first customer it is identified as; its earlier anonymous
    events then carry that customer too, and so do its later ones.
    """

    __tablename__ = "session_links"
    __table_args__ = (
        UniqueConstraint("store_id", "session_id"),
        Index("ix_session_links_store_customer", "store_id", "customer_id"),
    )

    store_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("stores.id", ondelete="CASCADE"), sort_order=-9
    )
    session_id: Mapped[str] = mapped_column(String(100))
    customer_id: Mapped[int] = mapped_column(BigInteger)
    identified_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
