"""The closed sets of the orders context: statuses, transaction kinds, operations."""

from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    """Where an order is in its life.

    pending → processing → shipped → delivered, with cancelled (from a cancellable status),
    return_requested → returned / back to delivered, and exchange_requested → exchanged / back to
    delivered. See docs/orders.md for the transitions.
    """

    PENDING = "pending"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    RETURN_REQUESTED = "return_requested"
    RETURNED = "returned"
    EXCHANGE_REQUESTED = "exchange_requested"
    EXCHANGED = "exchanged"


#: Statuses of an order that has not reached the shopper yet.
BEFORE_DELIVERY = frozenset({OrderStatus.PENDING, OrderStatus.PROCESSING, OrderStatus.SHIPPED})


class TransactionKind(StrEnum):
    """Which way money moved."""

    PAYMENT = "payment"
    REFUND = "refund"


class TransactionStatus(StrEnum):
    """Whether the money has moved.

    Stored value (gift cards, store credit) moves at once and is `succeeded`; money a payment
    platform still has to move (card and PayPal refunds or charges Floorwalker records) is
    `pending`; `failed` transactions count for nothing.
    """

    SUCCEEDED = "succeeded"
    PENDING = "pending"
    FAILED = "failed"


class FulfilmentStatus(StrEnum):
    """Where a shipment is."""

    PENDING = "pending"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    FAILED = "failed"


class ReturnStatus(StrEnum):
    """Where a return is: requested by the shopper, received (and refunded), or rejected."""

    REQUESTED = "requested"
    RECEIVED = "received"
    REJECTED = "rejected"


class ExchangeStatus(StrEnum):
    """Where an exchange is: requested, completed, or rejected."""

    REQUESTED = "requested"
    COMPLETED = "completed"
    REJECTED = "rejected"


class Operation(StrEnum):
    """The support operations; also the audit log's action suffix (`order.<operation>`)."""

    CANCEL = "cancel"
    MODIFY_ADDRESS = "modify_address"
    MODIFY_PAYMENT = "modify_payment"
    MODIFY_ITEMS = "modify_items"
    RETURN = "return"
    EXCHANGE = "exchange"
    COMPLETE_RETURN = "complete_return"
    COMPLETE_EXCHANGE = "complete_exchange"
    UPDATE_DEFAULT_ADDRESS = "update_default_address"
