"""What reading an order shows: lines, fulfilments, payment history, returns, exchanges."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from floorwalker.kit.schemas import Schema


class OrderLine(Schema):
    """A line as sold, with how many units were returned or exchanged since."""

    id: int
    position: int
    variant_id: int | None
    product_id: int | None
    external_id: str | None
    sku: str | None
    title: str
    variant_title: str
    options: dict[str, Any]
    quantity: int
    unit_price: int
    total: int
    reserved_location_id: int | None
    returned_quantity: int = 0
    exchanged_quantity: int = 0


class Fulfilment(Schema):
    """A shipment with its carrier, tracking numbers and items."""

    id: int
    external_id: str | None
    status: str
    carrier: str | None
    tracking_numbers: list[str]
    tracking_url: str | None
    items: list[dict[str, Any]]
    shipped_at: dt.datetime | None
    estimated_delivery_at: dt.datetime | None
    delivered_at: dt.datetime | None


class PaymentTransaction(Schema):
    """A payment or refund on one payment method."""

    id: int
    external_id: str | None
    kind: str
    amount: int
    currency: str
    payment_method_id: int | None
    method_kind: str
    method_label: str
    status: str
    reason: str
    created_at: dt.datetime


class OrderReturn(Schema):
    """A return: its items, its refund and where the refund goes."""

    id: int
    status: str
    items: list[dict[str, Any]]
    refund_amount: int
    refund_payment_method_id: int | None
    refund_method_label: str
    refunds: list[dict[str, Any]]
    reason: str
    created_at: dt.datetime
    completed_at: dt.datetime | None


class OrderExchange(Schema):
    """An exchange: which units become which variants, and the price difference."""

    id: int
    status: str
    items: list[dict[str, Any]]
    price_difference: int
    settlement_payment_method_id: int | None
    settlement_method_kind: str
    settlement_method_label: str
    reason: str
    created_at: dt.datetime
    completed_at: dt.datetime | None


class OrderSummary(Schema):
    """An order without its lines and history, as lists show it."""

    id: int
    number: str
    source: str
    external_id: str | None
    customer_id: int | None
    email: str | None
    status: str
    currency: str
    total: int
    placed_at: dt.datetime
    updated_at: dt.datetime


class Order(Schema):
    """An order with its lines, shipments, payment history, returns and exchanges."""

    id: int
    number: str
    source: str
    external_id: str | None
    customer_id: int | None
    email: str | None
    status: str
    currency: str
    subtotal: int
    shipping_total: int
    tax_total: int
    discount_total: int
    total: int
    amount_paid: int = Field(description="Payments minus refunds, pending ones included.")
    shipping_address: dict[str, Any]
    placed_at: dt.datetime
    delivered_at: dt.datetime | None = Field(description="When the last shipment arrived.")
    cancelled_at: dt.datetime | None
    cancel_reason: str | None
    item_modifications: int
    note: str
    created_at: dt.datetime
    updated_at: dt.datetime
    lines: list[OrderLine]
    fulfilments: list[Fulfilment]
    transactions: list[PaymentTransaction]
    returns: list[OrderReturn]
    exchanges: list[OrderExchange]
