"""Plans: what an operation will do, computed in full before anything is written.

A planning function (`plan_cancel`, ...) returns one of these without writing; the shopping
assistant shows it as a proposal. The executing function (`cancel`, ...) re-plans inside its
transaction with the rows locked, applies exactly that, and returns the same plan with
`executed` set and the ids of what it created.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from floorwalker.orders.schemas.status import Operation


class Plan(BaseModel):
    """Fields every plan has."""

    operation: Operation
    summary: str = Field(description="One line for people, e.g. what is refunded where.")
    executed: bool = Field(default=False, description="False for a preview.")
    executed_at: dt.datetime | None = None
    audit_entry_id: int | None = None


class MethodRef(BaseModel):
    """A payment method as a shopper recognises it."""

    payment_method_id: int | None
    kind: str
    label: str


class MoneyMovement(BaseModel):
    """Money that moves: a payment taken or a refund given, on one method."""

    kind: Literal["payment", "refund"]
    amount: int = Field(description="Minor units, always positive.")
    currency: str
    payment_method_id: int | None
    method_kind: str
    method_label: str
    status: Literal["succeeded", "pending"] = Field(
        description="succeeded: a gift card or store credit balance moves at once; pending: "
        "the payment platform moves it (card and PayPal refunds take days)."
    )
    reason: str
    transaction_id: int | None = Field(default=None, description="Set once executed.")


class PlanLine(BaseModel):
    """Units of one order line concerned by the operation."""

    line_id: int
    sku: str | None
    title: str
    variant_title: str
    quantity: int
    unit_price: int
    amount: int = Field(description="quantity × unit price.")


class PlanSwap(BaseModel):
    """Units of a line that become another variant of the same product."""

    line_id: int
    quantity: int
    title: str
    from_variant_id: int | None
    from_sku: str | None
    from_variant_title: str
    from_unit_price: int
    to_variant_id: int
    to_sku: str | None
    to_variant_title: str
    to_options: dict[str, Any]
    to_unit_price: int
    difference: int = Field(description="quantity × (new − old unit price).")


class StockMove(BaseModel):
    """Units of a variant reserved, released or put back on hand at a location."""

    action: Literal["reserve", "release", "restock"]
    variant_id: int
    quantity: int
    location_id: int | None = Field(description="Chosen when a reservation is made.")


class OrderPlan(Plan):
    """Fields every order operation's plan has."""

    order_id: int
    order_number: str
    customer_id: int | None
    currency: str
    status_before: str
    status_after: str
    movements: list[MoneyMovement] = Field(default_factory=list)
    refund_total: int = 0
    charge_total: int = 0
    stock: list[StockMove] = Field(default_factory=list)


class CancelPlan(OrderPlan):
    """Cancelling an order: every payment refunded to its own method."""

    reason: str
    lines: list[PlanLine]


class AddressChangePlan(OrderPlan):
    """Shipping a pending order to another address."""

    address_before: dict[str, Any]
    address_after: dict[str, Any]


class PaymentChangePlan(OrderPlan):
    """Paying a pending order with another method: old refunded, new charged."""

    amount: int
    method_before: MethodRef
    method_after: MethodRef


class ItemsChangePlan(OrderPlan):
    """Swapping items of a pending order for other variants of the same products."""

    swaps: list[PlanSwap]
    price_difference: int = Field(description="Positive is charged, negative refunded.")
    subtotal_before: int
    subtotal_after: int
    total_before: int
    total_after: int
    modifications_used: int = Field(description="Item changes after this one.")
    modifications_left: int


class ReturnPlan(OrderPlan):
    """Asking to return delivered items; the refund is paid when the return is received."""

    lines: list[PlanLine]
    refund_amount: int
    refund_destination: Literal["original", "gift_card"]
    refunds: list[MoneyMovement] = Field(
        description="The refunds paid when the return is received (nothing moves before)."
    )
    reason: str
    window_ends_at: dt.datetime | None
    return_id: int | None = None


class ExchangePlan(OrderPlan):
    """Asking to exchange delivered items; a positive difference is charged now."""

    swaps: list[PlanSwap]
    price_difference: int
    settlement_method: MethodRef | None
    refund_on_receipt: MoneyMovement | None = Field(
        default=None, description="A negative difference, refunded when the exchange completes."
    )
    reason: str
    window_ends_at: dt.datetime | None
    exchange_id: int | None = None


class ReturnCompletionPlan(OrderPlan):
    """Receiving a return: units back on hand, refund paid."""

    return_id: int
    lines: list[PlanLine]
    refund_amount: int


class ExchangeCompletionPlan(OrderPlan):
    """Receiving the units of an exchange: back on hand, a negative difference refunded."""

    exchange_id: int
    swaps: list[PlanSwap]
    price_difference: int


class DefaultAddressPlan(Plan):
    """Making an address the customer's default (existing orders keep theirs)."""

    customer_id: int
    address_before: dict[str, Any] | None
    address_after: dict[str, Any]
    address_id: int | None = Field(
        default=None, description="The saved address that becomes the default (once executed)."
    )
    reuses_saved_address: bool = Field(
        description="True when the address is one the customer already saved."
    )
