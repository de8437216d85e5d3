"""Loading orders from another system: records matched by id, (source, external_id) or number."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from floorwalker.kit.money import is_currency
from floorwalker.kit.schemas import InputSchema
from floorwalker.orders.schemas.inputs import Amount, Count, Id
from floorwalker.orders.schemas.read import Order
from floorwalker.orders.schemas.status import (
    FulfilmentStatus,
    OrderStatus,
    TransactionKind,
    TransactionStatus,
)


class OrderLineRecord(InputSchema):
    """A line as sold: a variant (by id or SKU), quantity, unit price and options."""

    external_id: str | None = Field(default=None, max_length=255)
    variant_id: Id | None = None
    sku: str | None = Field(default=None, max_length=120)
    title: str | None = Field(default=None, max_length=500, description="Default: the product's.")
    variant_title: str | None = Field(default=None, max_length=500)
    options: dict[str, Any] | None = Field(default=None, description="Default: the variant's.")
    quantity: Count
    unit_price: Amount = Field(description="Minor units, as sold.")

    @model_validator(mode="after")
    def _identified(self) -> OrderLineRecord:
        if self.variant_id is None and not self.sku and not self.title:
            raise ValueError("a line needs a variant_id, a sku or at least a title")
        return self


class FulfilmentItemRecord(InputSchema):
    """Units of a line in a shipment; the line by its external id, position or SKU."""

    line_external_id: str | None = None
    line_index: int | None = Field(
        default=None, ge=0, le=10_000, description="Position in `lines`."
    )
    sku: str | None = None
    quantity: Count

    @model_validator(mode="after")
    def _one_reference(self) -> FulfilmentItemRecord:
        given = [self.line_external_id is not None, self.line_index is not None, bool(self.sku)]
        if sum(given) != 1:
            raise ValueError("give exactly one of line_external_id, line_index, sku")
        return self


class FulfilmentRecord(InputSchema):
    """A shipment."""

    external_id: str | None = Field(default=None, max_length=255)
    status: FulfilmentStatus = FulfilmentStatus.PENDING
    carrier: str | None = Field(default=None, max_length=100)
    tracking_numbers: list[str] = Field(default_factory=list)
    tracking_url: str | None = Field(default=None, max_length=2000)
    items: list[FulfilmentItemRecord] = Field(default_factory=list)
    shipped_at: dt.datetime | None = None
    estimated_delivery_at: dt.datetime | None = None
    delivered_at: dt.datetime | None = None


class TransactionRecord(InputSchema):
    """A payment or refund; the method by Floorwalker id, or only described by kind and label."""

    external_id: str | None = Field(default=None, max_length=255)
    kind: TransactionKind
    amount: Count
    payment_method_id: Id | None = None
    method_kind: str | None = Field(
        default=None, max_length=16, description="card, paypal, gift_card, store_credit, ..."
    )
    method_label: str | None = Field(default=None, max_length=200)
    status: TransactionStatus = TransactionStatus.SUCCEEDED
    reason: str = Field(default="", max_length=200)
    created_at: dt.datetime | None = None


class OrderRecord(InputSchema):
    """An order to create or update.

    Matched, in this order, by `id`, by `(source, external_id)`, then by `number`. The record
    is the full truth of the order: lines replace the order's lines (matched by external id or
    position); `fulfilments` and `transactions` replace the existing ones when given and are left
    alone when omitted.
    """

    id: Id | None = None
    source: str = Field(default="api", min_length=1, max_length=32)
    external_id: str | None = Field(default=None, max_length=255)
    number: str = Field(min_length=1, max_length=64)
    customer_id: Id | None = None
    email: str | None = Field(default=None, max_length=320)
    status: OrderStatus = OrderStatus.PENDING
    currency: str | None = Field(default=None, description="Default: the store's currency.")
    lines: list[OrderLineRecord] = Field(min_length=1, max_length=1000)
    shipping_total: Amount = 0
    tax_total: Amount = 0
    discount_total: Amount = 0
    total: Amount | None = Field(
        default=None, description="Default: lines + shipping + tax − discount."
    )
    shipping_address: dict[str, Any] = Field(default_factory=dict)
    placed_at: dt.datetime | None = None
    cancelled_at: dt.datetime | None = None
    cancel_reason: str | None = Field(default=None, max_length=200)
    item_modifications: Amount = 0
    note: str = ""
    fulfilments: list[FulfilmentRecord] | None = None
    transactions: list[TransactionRecord] | None = None

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.upper()
        if not is_currency(value):
            raise ValueError("must be an ISO 4217 code such as USD")
        return value


class OrderUpserted(BaseModel):
    """What storing one order did, and the order as stored."""

    status: Literal["created", "updated", "unchanged"]
    order: Order
