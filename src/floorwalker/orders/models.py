"""ORM models of the orders context."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Base, BigId, IdMixin, StoreScoped, Timestamps
from floorwalker.kit.fields import EncryptedJSON, EncryptedText


class Order(IdMixin, StoreScoped, Timestamps, Base):
    """An order as placed, with what has happened to it since."""

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("store_id", "number"),
        UniqueConstraint("store_id", "source", "external_id"),
        Index("ix_orders_store_customer", "store_id", "customer_id"),
        Index("ix_orders_store_placed", "store_id", "placed_at"),
        Index("ix_orders_store_status", "store_id", "status"),
        Index("ix_orders_store_updated", "store_id", "updated_at"),
        Index("ix_orders_store_email_index", "store_id", "email_index"),
    )

    source: Mapped[str] = mapped_column(String(32), default="api")
    external_id: Mapped[str | None] = mapped_column(String(255), default=None)
    #: The order number shoppers see, e.g. "#W1001" or "1001".
    number: Mapped[str] = mapped_column(String(64))
    customer_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("customers.id", ondelete="SET NULL"), default=None
    )
    #: The e-mail the order was placed with (guest orders have only this); encrypted at rest.
    email: Mapped[str | None] = mapped_column(
        EncryptedText("orders.email", blind_index="email_index", normalise="email"),
        default=None,
    )
    #: Keyed digest of the normalised e-mail (kit.fields): finds a guest's orders.
    email_index: Mapped[str | None] = mapped_column(String(40), default=None)
    #: See floorwalker.orders.schemas.OrderStatus (docs/orders.md has the transitions).
    status: Mapped[str] = mapped_column(String(32))
    currency: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[int] = mapped_column(Integer, default=0)
    shipping_total: Mapped[int] = mapped_column(Integer, default=0)
    tax_total: Mapped[int] = mapped_column(Integer, default=0)
    discount_total: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    #: The shipping address as it was when the order was placed (or last changed).
    shipping_address: Mapped[dict[str, Any]] = mapped_column(
        EncryptedJSON("orders.shipping_address"), default=dict
    )
    placed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    cancel_reason: Mapped[str | None] = mapped_column(String(200), default=None)
    #: How many times the items were changed after placing (the policy caps it).
    item_modifications: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")

    lines: Mapped[list[OrderLine]] = relationship(
        cascade="all, delete-orphan", order_by="OrderLine.position", lazy="raise"
    )
    fulfilments: Mapped[list[Fulfilment]] = relationship(
        cascade="all, delete-orphan", order_by="Fulfilment.id", lazy="raise"
    )
    transactions: Mapped[list[PaymentTransaction]] = relationship(
        cascade="all, delete-orphan", order_by="PaymentTransaction.id", lazy="raise"
    )
    returns: Mapped[list[OrderReturn]] = relationship(
        cascade="all, delete-orphan", order_by="OrderReturn.id", lazy="raise"
    )
    exchanges: Mapped[list[OrderExchange]] = relationship(
        cascade="all, delete-orphan", order_by="OrderExchange.id", lazy="raise"
    )


class OrderLine(IdMixin, StoreScoped, Base):
    """One line of an order: a variant, a quantity and the price and options as sold."""

    __tablename__ = "order_lines"

    order_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    variant_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("variants.id", ondelete="SET NULL"), default=None, index=True
    )
    product_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("products.id", ondelete="SET NULL"), default=None, index=True
    )
    external_id: Mapped[str | None] = mapped_column(String(255), default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)
    sku: Mapped[str | None] = mapped_column(String(120), default=None)
    title: Mapped[str] = mapped_column(String(500))
    variant_title: Mapped[str] = mapped_column(String(500), default="")
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)
    #: Where Floorwalker reserved stock for this line, if it did (released on cancel).
    reserved_location_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("locations.id", ondelete="SET NULL"), default=None
    )

    @property
    def total(self) -> int:
        """Quantity × unit price, in minor units."""
        return self.quantity * self.unit_price


class Fulfilment(IdMixin, StoreScoped, Timestamps, Base):
    """A shipment: which items went out, with which carrier and tracking numbers."""

    __tablename__ = "fulfilments"

    order_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    external_id: Mapped[str | None] = mapped_column(String(255), default=None)
    #: pending, in_transit, out_for_delivery, delivered, failed.
    status: Mapped[str] = mapped_column(String(32), default="pending")
    carrier: Mapped[str | None] = mapped_column(String(100), default=None)
    tracking_numbers: Mapped[list[str]] = mapped_column(default=list)
    tracking_url: Mapped[str | None] = mapped_column(String(2000), default=None)
    #: [{"line_id": int, "quantity": int}, ...]
    items: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    shipped_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    estimated_delivery_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class PaymentTransaction(IdMixin, StoreScoped, Base):
    """Money moving for an order: a payment or a refund, on one payment method."""

    __tablename__ = "payment_transactions"

    order_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    external_id: Mapped[str | None] = mapped_column(String(255), default=None)
    #: payment or refund.
    kind: Mapped[str] = mapped_column(String(16))
    #: Always positive; `kind` says which way it moved.
    amount: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    payment_method_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("payment_methods.id", ondelete="SET NULL"), default=None
    )
    #: The method's kind and label as they were, so history survives method changes.
    method_kind: Mapped[str] = mapped_column(String(16))
    method_label: Mapped[str] = mapped_column(String(200))
    #: succeeded or pending (card and PayPal refunds take days to arrive).
    status: Mapped[str] = mapped_column(String(16), default="succeeded")
    #: Why the money moved: "order placed", "order cancelled", "payment method changed", ...
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class OrderReturn(IdMixin, StoreScoped, Timestamps, Base):
    """A return of delivered items, with the refund it will bring and where it goes."""

    __tablename__ = "order_returns"

    order_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    #: requested, received (refunded), rejected.
    status: Mapped[str] = mapped_column(String(16), default="requested")
    #: [{"line_id": int, "quantity": int}, ...]
    items: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    refund_amount: Mapped[int] = mapped_column(Integer)
    refund_payment_method_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("payment_methods.id", ondelete="SET NULL"), default=None
    )
    refund_method_label: Mapped[str] = mapped_column(String(200), default="")
    #: How the refund splits over payment methods: [{"payment_method_id", "method_kind",
    #: "method_label", "amount"}, ...] (one entry unless it goes back to several originals).
    refunds: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    reason: Mapped[str] = mapped_column(String(500), default="")
    completed_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class OrderExchange(IdMixin, StoreScoped, Timestamps, Base):
    """An exchange of delivered items for other variants of the same products."""

    __tablename__ = "order_exchanges"

    order_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    #: requested, completed, rejected.
    status: Mapped[str] = mapped_column(String(16), default="requested")
    #: [{"line_id", "quantity", "new_variant_id", "new_sku", "new_variant_title",
    #: "new_options", "new_unit_price", "reserved_location_id"}, ...]
    items: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    #: New minus old value, in minor units: positive is charged, negative refunded.
    price_difference: Mapped[int] = mapped_column(Integer, default=0)
    settlement_payment_method_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("payment_methods.id", ondelete="SET NULL"), default=None
    )
    settlement_method_kind: Mapped[str] = mapped_column(String(16), default="")
    settlement_method_label: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(String(500), default="")
    completed_at: Mapped[dt.datetime | None] = mapped_column(default=None)
