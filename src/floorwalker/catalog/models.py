"""ORM models of the catalog context."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from floorwalker.kit.db import Base, BigId, IdMixin, StoreScoped, Timestamps


class Category(IdMixin, StoreScoped, Timestamps, Base):
    """A node of the store's category tree ("Women > Dresses")."""

    __tablename__ = "categories"
    __table_args__ = (
        UniqueConstraint("store_id", "slug"),
        UniqueConstraint("store_id", "source", "external_id"),
    )

    parent_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("categories.id", ondelete="SET NULL"), default=None, index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200))
    #: The names from the root down, joined with " > ", kept in step by the service.
    path: Mapped[str] = mapped_column(String(1000), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(32), default="api")
    external_id: Mapped[str | None] = mapped_column(String(255), default=None)


class Brand(IdMixin, StoreScoped, Timestamps, Base):
    """A brand the store sells."""

    __tablename__ = "brands"
    __table_args__ = (
        UniqueConstraint("store_id", "slug"),
        UniqueConstraint("store_id", "source", "external_id"),
    )

    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(32), default="api")
    external_id: Mapped[str | None] = mapped_column(String(255), default=None)


class Product(IdMixin, StoreScoped, Timestamps, Base):
    """A product as shoppers see it; what is bought is one of its variants."""

    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("store_id", "handle"),
        UniqueConstraint("store_id", "source", "external_id"),
        Index("ix_products_store_category", "store_id", "category_id"),
        Index("ix_products_store_brand", "store_id", "brand_id"),
        #: Polling for changes (search indexing) reads by last change.
        Index("ix_products_store_updated", "store_id", "updated_at"),
    )

    source: Mapped[str] = mapped_column(String(32), default="api")
    external_id: Mapped[str | None] = mapped_column(String(255), default=None)
    handle: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    brand_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("brands.id", ondelete="SET NULL"), default=None
    )
    category_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("categories.id", ondelete="SET NULL"), default=None
    )
    product_type: Mapped[str | None] = mapped_column(String(200), default=None)
    #: active (sold and shown), draft (hidden), archived (no longer sold).
    status: Mapped[str] = mapped_column(String(16), default="active")
    #: Names of the options its variants vary by, in display order, e.g. ["size", "colour"].
    option_names: Mapped[list[str]] = mapped_column(default=list)
    #: Free-form attributes: material, fit, care, waterproof, ...
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    tags: Mapped[list[str]] = mapped_column(default=list)

    variants: Mapped[list[Variant]] = relationship(
        back_populates="product",
        cascade="all, delete-orphan",
        order_by="Variant.position",
        lazy="raise",
    )
    images: Mapped[list[ProductImage]] = relationship(
        cascade="all, delete-orphan", order_by="ProductImage.position", lazy="raise"
    )
    brand: Mapped[Brand | None] = relationship(lazy="raise")
    category: Mapped[Category | None] = relationship(lazy="raise")


class Variant(IdMixin, StoreScoped, Timestamps, Base):
    """A buyable version of a product: one combination of option values, with its own price."""

    __tablename__ = "variants"
    __table_args__ = (
        UniqueConstraint("store_id", "source", "external_id"),
        Index("ix_variants_store_sku", "store_id", "sku"),
        Index("ix_variants_store_barcode", "store_id", "barcode"),
    )

    product_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(32), default="api")
    external_id: Mapped[str | None] = mapped_column(String(255), default=None)
    sku: Mapped[str | None] = mapped_column(String(120), default=None)
    barcode: Mapped[str | None] = mapped_column(String(64), default=None)
    title: Mapped[str] = mapped_column(String(500), default="")
    #: Option values by option name, e.g. {"size": "M", "colour": "Blue"}.
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: Price in integer minor units of `currency`.
    price: Mapped[int] = mapped_column(Integer)
    compare_at_price: Mapped[int | None] = mapped_column(Integer, default=None)
    currency: Mapped[str] = mapped_column(String(3))
    position: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="active")
    weight_grams: Mapped[int | None] = mapped_column(Integer, default=None)
    image_url: Mapped[str | None] = mapped_column(String(2000), default=None)

    product: Mapped[Product] = relationship(back_populates="variants", lazy="raise")


class ProductImage(IdMixin, StoreScoped, Base):
    """A picture of a product (optionally of one variant)."""

    __tablename__ = "product_images"

    product_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    variant_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("variants.id", ondelete="SET NULL"), default=None
    )
    url: Mapped[str] = mapped_column(String(2000))
    alt: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
