"""ORM models of the customers context."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from floorwalker.kit.db import Base, BigId, IdMixin, StoreScoped, Timestamps
from floorwalker.kit.fields import EncryptedText


class Customer(IdMixin, StoreScoped, Timestamps, Base):
    """A shopper known to the store."""

    __tablename__ = "customers"
    __table_args__ = (
        UniqueConstraint("store_id", "source", "external_id"),
        Index("ix_customers_store_email_index", "store_id", "email_index"),
    )

    source: Mapped[str] = mapped_column(String(32), default="api")
    external_id: Mapped[str | None] = mapped_column(String(255), default=None)
    # Contact fields are encrypted at rest (kit.fields); the e-mail is found by its blind index.
    email: Mapped[str | None] = mapped_column(
        EncryptedText("customers.email", blind_index="email_index", normalise="email"),
        default=None,
    )
    #: Keyed digest of the normalised e-mail (set with it): how lookups by e-mail find a row.
    email_index: Mapped[str | None] = mapped_column(String(40), default=None)
    first_name: Mapped[str] = mapped_column(EncryptedText("customers.first_name"), default="")
    last_name: Mapped[str] = mapped_column(EncryptedText("customers.last_name"), default="")
    phone: Mapped[str | None] = mapped_column(EncryptedText("customers.phone"), default=None)
    language: Mapped[str | None] = mapped_column(String(16), default=None)
    accepts_marketing: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Consent by purpose ("personalisation", "analytics", "marketing") → {"granted", "at"}.
    consent: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: Preferences the shopper stated (sizes, brands, budget, dislikes), kept with consent.
    preferences: Mapped[dict[str, Any]] = mapped_column(default=dict)
    tags: Mapped[list[str]] = mapped_column(default=list)

    addresses: Mapped[list[Address]] = relationship(
        cascade="all, delete-orphan", order_by="Address.id", lazy="raise"
    )
    payment_methods: Mapped[list[PaymentMethod]] = relationship(
        cascade="all, delete-orphan", order_by="PaymentMethod.id", lazy="raise"
    )

    @property
    def name(self) -> str:
        """First and last name, as one string."""
        return f"{self.first_name} {self.last_name}".strip()


class Address(IdMixin, StoreScoped, Timestamps, Base):
    """A postal address of a customer; at most one is the default."""

    __tablename__ = "addresses"
    __table_args__ = (UniqueConstraint("store_id", "source", "external_id"),)

    customer_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(32), default="api")
    external_id: Mapped[str | None] = mapped_column(String(255), default=None)
    # Encrypted at rest; region and country stay readable (coarse, used to group).
    name: Mapped[str] = mapped_column(EncryptedText("addresses.name"), default="")
    line1: Mapped[str] = mapped_column(EncryptedText("addresses.line1"))
    line2: Mapped[str] = mapped_column(EncryptedText("addresses.line2"), default="")
    city: Mapped[str] = mapped_column(EncryptedText("addresses.city"))
    region: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(EncryptedText("addresses.postal_code"), default="")
    #: ISO 3166-1 alpha-2 country code.
    country: Mapped[str] = mapped_column(String(2))
    phone: Mapped[str | None] = mapped_column(EncryptedText("addresses.phone"), default=None)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)


class PaymentMethod(IdMixin, StoreScoped, Timestamps, Base):
    """A reference to a way the customer pays. Never a card number: brand and last four only."""

    __tablename__ = "payment_methods"
    __table_args__ = (UniqueConstraint("store_id", "source", "external_id"),)

    customer_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(32), default="api")
    external_id: Mapped[str | None] = mapped_column(String(255), default=None)
    #: card, paypal, gift_card or store_credit.
    kind: Mapped[str] = mapped_column(String(16))
    #: Card brand (visa, mastercard, amex, ...), for cards.
    brand: Mapped[str | None] = mapped_column(String(32), default=None)
    #: Last four digits of a card or a gift card's code.
    last4: Mapped[str | None] = mapped_column(String(4), default=None)
    exp_month: Mapped[int | None] = mapped_column(Integer, default=None)
    exp_year: Mapped[int | None] = mapped_column(Integer, default=None)
    #: The PayPal account's e-mail, for PayPal.
    paypal_email: Mapped[str | None] = mapped_column(
        EncryptedText("payment_methods.paypal_email"), default=None
    )
    #: Remaining balance in minor units, for gift cards and store credit.
    balance: Mapped[int | None] = mapped_column(Integer, default=None)
    currency: Mapped[str | None] = mapped_column(String(3), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def label(self) -> str:
        """How people see it: "Visa ending 4242", "PayPal", "Gift card ending 1234"."""
        if self.kind == "card":
            return f"{(self.brand or 'card').title()} ending {self.last4 or '????'}"
        if self.kind == "paypal":
            return "PayPal"
        if self.kind == "gift_card":
            return "Gift card" + (f" ending {self.last4}" if self.last4 else "")
        return "Store credit"
