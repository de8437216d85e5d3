"""Request bodies of the order operations over HTTP (the same arguments the services take)."""

from __future__ import annotations

from pydantic import Field

from floorwalker.kit.schemas import InputSchema
from floorwalker.orders.schemas.inputs import AddressInput, Id, LineSwap, ReturnItem


class CancelRequest(InputSchema):
    """Why the order is cancelled: one of the store's cancel reasons."""

    reason: str = Field(min_length=1, max_length=200)


class AddressChangeRequest(InputSchema):
    """A new address, or the id of one of the customer's saved addresses."""

    address: AddressInput | None = None
    address_id: Id | None = None


class PaymentChangeRequest(InputSchema):
    """The customer's payment method that pays the order instead."""

    payment_method_id: Id


class ItemsChangeRequest(InputSchema):
    """Lines to swap, and the method that settles a price difference (default: the order's)."""

    items: list[LineSwap] = Field(min_length=1, max_length=100)
    payment_method_id: Id | None = None


class ReturnRequest(InputSchema):
    """Lines to return, where the refund goes (default: the original methods) and why."""

    items: list[ReturnItem] = Field(min_length=1, max_length=100)
    refund_payment_method_id: Id | None = None
    reason: str = Field(default="", max_length=500)


class ExchangeRequest(InputSchema):
    """Lines to exchange, the method that settles a price difference, and why."""

    items: list[LineSwap] = Field(min_length=1, max_length=100)
    payment_method_id: Id | None = None
    reason: str = Field(default="", max_length=500)


class CompletionRequest(InputSchema):
    """Where received units go back on hand (default: where their stock was held)."""

    location_id: Id | None = None
    restock: bool = Field(default=True, description="False for units that cannot be resold.")
