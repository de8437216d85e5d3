"""ORM models of the inventory context."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from floorwalker.kit.db import Base, BigId, IdMixin, StoreScoped, Timestamps


class Location(IdMixin, StoreScoped, Timestamps, Base):
    """A place stock is kept: a warehouse, a shop, a supplier's drop-ship stock."""

    __tablename__ = "locations"
    __table_args__ = (
        UniqueConstraint("store_id", "code"),
        UniqueConstraint("store_id", "source", "external_id"),
    )

    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(32), default="api")
    external_id: Mapped[str | None] = mapped_column(String(255), default=None)


class InventoryLevel(IdMixin, StoreScoped, Timestamps, Base):
    """Stock of one variant at one location. Available = on hand − reserved."""

    __tablename__ = "inventory_levels"
    __table_args__ = (
        # Also the index for lookups and cascades by variant alone.
        UniqueConstraint("variant_id", "location_id"),
        # Stock reads filter `store_id = ? AND variant_id IN (…)`. With only single-column
        # indexes and no statistics, SQLite and PostgreSQL both chose the store's index and
        # scanned every level of the store (63,000 on the demo store) for each product read.
        Index("ix_inventory_levels_store_variant", "store_id", "variant_id"),
    )

    variant_id: Mapped[int] = mapped_column(BigId, ForeignKey("variants.id", ondelete="CASCADE"))
    location_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("locations.id", ondelete="CASCADE"), index=True
    )
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    #: Units promised to open orders and not yet shipped.
    reserved: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def available(self) -> int:
        """Units that can still be sold (never negative)."""
        return max(0, self.on_hand - self.reserved)
