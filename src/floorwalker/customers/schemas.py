"""Pydantic schemas of the customers context: upsert records, profile changes, read models.

Card numbers are refused anywhere in a customer record (`card_number_rejected`): a payment
method is a reference (card brand + last four, PayPal, gift card or store credit), never a
way to charge a card.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from floorwalker.customers.cards import find_card_data
from floorwalker.kit.money import is_currency
from floorwalker.kit.schemas import InputSchema, Schema
from floorwalker.kit.text import unique_strings
from floorwalker.kit.upsert import Amount, RecordId

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LAST4_RE = re.compile(r"^[0-9]{4}$")

Source = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_.-]{0,31}$",
        description="Where the record comes from: `api` (default), `file`, `shopify`, …",
    ),
]


class ConsentPurpose(StrEnum):
    """What a shopper may consent to."""

    PERSONALISATION = "personalisation"
    ANALYTICS = "analytics"
    MARKETING = "marketing"


class PaymentKind(StrEnum):
    """Kinds of payment-method reference."""

    CARD = "card"
    PAYPAL = "paypal"
    GIFT_CARD = "gift_card"
    STORE_CREDIT = "store_credit"


def _refuse_card_data(value: Any) -> Any:
    path = find_card_data(value)
    if path is not None:
        raise PydanticCustomError(
            "card_number_rejected",
            "card numbers are never stored; send the card brand and last four digits "
            "(found in {field})",
            {"field": ".".join(path) or "the record"},
        )
    return value


def _email(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().lower()
    if not _EMAIL_RE.match(value):
        raise PydanticCustomError("invalid_email", "not an e-mail address")
    return value


class AddressInput(InputSchema):
    """A postal address; matched by id, external id, then identical content."""

    id: RecordId | None = None
    external_id: str | None = Field(default=None, min_length=1, max_length=255)
    name: str = Field(default="", max_length=200)
    line1: str = Field(min_length=1, max_length=300)
    line2: str = Field(default="", max_length=300)
    city: str = Field(min_length=1, max_length=200)
    region: str = Field(default="", max_length=200)
    postal_code: str = Field(default="", max_length=32)
    country: str = Field(description="ISO 3166-1 alpha-2 code, e.g. GB.")
    phone: str | None = Field(default=None, max_length=64)
    is_default: bool | None = None

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        value = value.upper()
        if not re.match(r"^[A-Z]{2}$", value):
            raise PydanticCustomError("invalid_country", "use an ISO 3166-1 alpha-2 code")
        return value


class PaymentMethodInput(InputSchema):
    """A payment-method reference; matched by id, external id, then what identifies it."""

    id: RecordId | None = None
    external_id: str | None = Field(default=None, min_length=1, max_length=255)
    kind: PaymentKind
    brand: str | None = Field(default=None, max_length=32, description="Card brand: visa, …")
    last4: str | None = Field(default=None, description="Exactly four digits.")
    exp_month: int | None = Field(default=None, ge=1, le=12)
    exp_year: int | None = Field(default=None, ge=2000, le=2100)
    paypal_email: str | None = Field(default=None, max_length=320)
    balance: Amount | None = Field(
        default=None, description="Gift card or store credit, minor units."
    )
    currency: str | None = Field(default=None, description="Defaults to the store's currency.")
    active: bool | None = None

    _check_email = field_validator("paypal_email")(_email)

    @model_validator(mode="before")
    @classmethod
    def _no_card_numbers(cls, data: Any) -> Any:
        return _refuse_card_data(data)

    @field_validator("last4")
    @classmethod
    def _last4(cls, value: str | None) -> str | None:
        if value is not None and not _LAST4_RE.match(value):
            raise PydanticCustomError("invalid_last4", "last4 is exactly four digits")
        return value

    @field_validator("brand")
    @classmethod
    def _brand(cls, value: str | None) -> str | None:
        return value.strip().lower() or None if value is not None else None

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        if value is not None and not is_currency(value.upper()):
            raise PydanticCustomError("invalid_currency", "not an ISO 4217 currency code")
        return value.upper() if value else None

    @model_validator(mode="after")
    def _complete(self) -> PaymentMethodInput:
        if self.kind is PaymentKind.CARD and (self.brand is None or self.last4 is None):
            raise PydanticCustomError("card_incomplete", "a card needs its brand and last4")
        if self.kind in {PaymentKind.GIFT_CARD, PaymentKind.STORE_CREDIT} and self.balance is None:
            raise PydanticCustomError(
                "balance_required", "a gift card or store credit needs a balance"
            )
        return self


class CustomerUpsert(InputSchema):
    """A customer, matched by id, `(source, external_id)`, then e-mail within the source.

    A new customer needs an external id or an e-mail (so the record can be matched again).
    `addresses` and `payment_methods`, when given, are the customer's complete lists:
    addresses left out are removed, payment methods left out are deactivated.
    """

    id: RecordId | None = None
    source: Source = "api"
    external_id: str | None = Field(default=None, min_length=1, max_length=255)
    email: str | None = Field(default=None, max_length=320)
    first_name: str | None = Field(default=None, max_length=200)
    last_name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=64)
    language: str | None = Field(default=None, max_length=16)
    accepts_marketing: bool | None = None
    tags: list[str] | None = None
    addresses: list[AddressInput] | None = None
    payment_methods: list[PaymentMethodInput] | None = None

    _check_email = field_validator("email")(_email)

    @model_validator(mode="before")
    @classmethod
    def _no_card_numbers(cls, data: Any) -> Any:
        return _refuse_card_data(data)

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else unique_strings(value)

    @model_validator(mode="after")
    def _one_default(self) -> CustomerUpsert:
        if sum(bool(a.is_default) for a in self.addresses or []) > 1:
            raise PydanticCustomError(
                "multiple_default_addresses", "at most one address can be the default"
            )
        return self


class ConsentUpdate(InputSchema):
    """Grant or withdraw consent for one purpose."""

    granted: bool


class Budget(InputSchema):
    """What the shopper wants to spend, in minor units of `currency`."""

    min: Amount | None = None
    max: Amount | None = None
    currency: str

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if not is_currency(value.upper()):
            raise PydanticCustomError("invalid_currency", "not an ISO 4217 currency code")
        return value.upper()


PreferenceField = Literal[
    "sizes", "brands_liked", "brands_disliked", "budget", "colours", "dislikes"
]


class PreferencesUpdate(InputSchema):
    """Stated preferences, merged into what is known: lists grow, sizes merge per category.

    Liking a brand removes it from the disliked list and the other way round. `clear` empties
    fields first; a size of null forgets that category's size.
    """

    sizes: dict[str, str | None] | None = Field(
        default=None, description='Size per category: {"shoes": "42", "shirts": "M"}.'
    )
    brands_liked: list[str] | None = None
    brands_disliked: list[str] | None = None
    budget: Budget | None = None
    colours: list[str] | None = None
    dislikes: list[str] | None = Field(
        default=None, description='Things to avoid: materials, styles ("wool", "skinny fit").'
    )
    clear: list[PreferenceField] = Field(default_factory=list)


# ---------------------------------------------------------------- read models


class Address(Schema):
    """A customer's address."""

    id: int
    name: str
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    country: str
    phone: str | None
    is_default: bool
    source: str
    external_id: str | None


class PaymentMethod(Schema):
    """A payment-method reference (never a card number)."""

    id: int
    kind: str
    label: str
    brand: str | None
    last4: str | None
    exp_month: int | None
    exp_year: int | None
    paypal_email: str | None
    balance: int | None
    currency: str | None
    active: bool
    source: str
    external_id: str | None


class GiftCardBalance(Schema):
    """The balance left on an active gift card or store credit."""

    payment_method_id: int
    kind: str
    label: str
    balance: int
    currency: str | None


class Customer(Schema):
    """A customer with addresses, payment methods and gift-card balances."""

    id: int
    source: str
    external_id: str | None
    email: str | None
    first_name: str
    last_name: str
    name: str
    phone: str | None
    language: str | None
    accepts_marketing: bool
    tags: list[str]
    consent: dict[str, Any]
    preferences: dict[str, Any]
    addresses: list[Address]
    payment_methods: list[PaymentMethod]
    gift_card_balances: list[GiftCardBalance]
    order_count: int | None = Field(
        default=None, description="Orders placed by the customer (single reads only)."
    )
    created_at: dt.datetime
    updated_at: dt.datetime


class CustomerUpserted(Schema):
    """The result of upserting one customer."""

    status: str
    customer: Customer
