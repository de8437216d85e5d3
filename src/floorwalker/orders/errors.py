"""Errors of the orders context: every refusal of an order operation, with a stable code.

    OrderError
    ├── OrderNotFound (404)                 order_not_found
    ├── ReturnNotFound (404)                return_not_found
    ├── ExchangeNotFound (404)              exchange_not_found
    ├── PaymentMethodNotFound (404)         payment_method_not_found
    ├── VariantNotFound (404)               variant_not_found
    ├── OperationNotAllowed (403)           operation_not_allowed
    ├── OrderConflict (409)
    │   ├── order_not_cancellable, order_not_modifiable, order_not_delivered,
    │   ├── order_not_returnable, order_not_exchangeable, order_modification_limit_reached,
    │   ├── order_has_multiple_payments, order_has_no_payment, order_has_no_customer,
    │   ├── payment_method_unchanged, insufficient_gift_card_balance, currency_mismatch,
    │   ├── variant_unavailable, return_window_expired, return_not_open, exchange_not_open
    │   └── order_number_taken
    └── OrderInvalid (422)
        ├── invalid_cancel_reason, variant_not_same_product, line_not_found,
        │   quantity_exceeds_order, duplicate_line, refund_destination_not_allowed,
        │   payment_method_required, nothing_to_change, restock_location_required,
        │   address_not_found, address_required, location_not_found
        └── InvalidOrderRecord: an upserted record's own code (customer_not_found,
            sku_not_found, fulfilment_exceeds_order, line_in_use, ...)

Every operation raises these from its planning step, before anything is written, so a refusal
leaves the database unchanged. docs/orders.md lists every code with its data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from floorwalker.errors import AppError, Conflict, Forbidden, Invalid, NotFound


class OrderError(AppError):
    """Base of the orders family."""


class OrderConflict(OrderError, Conflict):
    """The order's state does not allow the operation (409)."""


class OrderInvalid(OrderError, Invalid):
    """The request breaks a rule of the operation (422)."""


class OrderNotFound(OrderError, NotFound):
    """No such order in the caller's store, or not one the caller may see."""

    code = "order_not_found"

    def __init__(self, ref: int | str) -> None:
        super().__init__(f"Order {ref} not found.", order=str(ref))


class ReturnNotFound(OrderError, NotFound):
    """No such return on the order."""

    code = "return_not_found"

    def __init__(self, return_id: int) -> None:
        super().__init__(f"Return {return_id} not found on this order.", return_id=return_id)


class ExchangeNotFound(OrderError, NotFound):
    """No such exchange on the order."""

    code = "exchange_not_found"

    def __init__(self, exchange_id: int) -> None:
        super().__init__(
            f"Exchange {exchange_id} not found on this order.", exchange_id=exchange_id
        )


class PaymentMethodNotFound(OrderError, NotFound):
    """The payment method does not exist, is inactive, or is not the order's customer's."""

    code = "payment_method_not_found"

    def __init__(self, payment_method_id: int) -> None:
        super().__init__(
            f"Payment method {payment_method_id} is not one of the customer's.",
            payment_method_id=payment_method_id,
        )


class VariantNotFound(OrderError, NotFound):
    """No variant with that id in the store."""

    code = "variant_not_found"

    def __init__(self, variant_id: int) -> None:
        super().__init__(f"Variant {variant_id} not found.", variant_id=variant_id)


class OperationNotAllowed(OrderError, Forbidden):
    """The caller may not perform this operation (e.g. a shopper completing a return)."""

    code = "operation_not_allowed"

    def __init__(self, operation: str) -> None:
        super().__init__(f"You may not {operation.replace('_', ' ')}.", operation=operation)


def _status_detail(verb: str, status: str, allowed: Sequence[str]) -> str:
    readable = " or ".join(s.replace("_", " ") for s in allowed) or "no status"
    return f"The order is {status.replace('_', ' ')}; it can be {verb} only while {readable}."


class OrderNotCancellable(OrderConflict):
    """The order's status is not one the policy allows cancelling in."""

    code = "order_not_cancellable"

    def __init__(self, status: str, allowed: Sequence[str]) -> None:
        super().__init__(
            _status_detail("cancelled", status, allowed), order_status=status, allowed=list(allowed)
        )


class OrderNotModifiable(OrderConflict):
    """The order's status is not one the policy allows modifying in."""

    code = "order_not_modifiable"

    def __init__(self, status: str, allowed: Sequence[str]) -> None:
        super().__init__(
            _status_detail("changed", status, allowed), order_status=status, allowed=list(allowed)
        )


class OrderNotDelivered(OrderConflict):
    """Returns and exchanges need a delivered order; this one has not arrived yet."""

    code = "order_not_delivered"

    def __init__(self, status: str, allowed: Sequence[str]) -> None:
        super().__init__(
            f"The order is {status.replace('_', ' ')} and has not been delivered yet.",
            order_status=status,
            allowed=list(allowed),
        )


class OrderNotReturnable(OrderConflict):
    """The order's status is not one the policy allows returns in."""

    code = "order_not_returnable"

    def __init__(self, status: str, allowed: Sequence[str]) -> None:
        super().__init__(
            _status_detail("returned", status, allowed), order_status=status, allowed=list(allowed)
        )


class OrderNotExchangeable(OrderConflict):
    """The order's status is not one the policy allows exchanges in."""

    code = "order_not_exchangeable"

    def __init__(self, status: str, allowed: Sequence[str]) -> None:
        super().__init__(
            _status_detail("exchanged", status, allowed), order_status=status, allowed=list(allowed)
        )


class ModificationLimitReached(OrderConflict):
    """The order's items were changed as often as the policy allows."""

    code = "order_modification_limit_reached"

    def __init__(self, used: int, limit: int) -> None:
        if limit == 0:
            detail = "This store does not allow changing the items of an order."
        else:
            detail = (
                f"The order's items were already changed {used} time"
                f"{'s' if used != 1 else ''}; it can no longer be changed or cancelled."
            )
        super().__init__(detail, used=used, limit=limit)


class MultiplePayments(OrderConflict):
    """The payment method can be changed only on an order paid with a single method."""

    code = "order_has_multiple_payments"

    def __init__(self, methods: int) -> None:
        super().__init__(
            f"The order was paid with {methods} payment methods; only an order paid with one "
            "can change its payment method.",
            methods=methods,
        )


class NoPayment(OrderConflict):
    """The order has no payment to move to another method."""

    code = "order_has_no_payment"

    def __init__(self) -> None:
        super().__init__("The order has no payment to change.")


class NoCustomer(OrderConflict):
    """A guest order has no customer whose payment methods could be used."""

    code = "order_has_no_customer"

    def __init__(self) -> None:
        super().__init__("The order is not linked to a customer account.")


class PaymentMethodUnchanged(OrderConflict):
    """The new payment method is the one already used."""

    code = "payment_method_unchanged"

    def __init__(self, payment_method_id: int) -> None:
        super().__init__(
            "The order is already paid with this payment method.",
            payment_method_id=payment_method_id,
        )


class InsufficientGiftCardBalance(OrderConflict):
    """A gift card (or store credit) does not cover the amount it must pay."""

    code = "insufficient_gift_card_balance"

    def __init__(self, payment_method_id: int, balance: int, needed: int) -> None:
        super().__init__(
            f"The gift card's balance ({balance}) does not cover {needed}.",
            payment_method_id=payment_method_id,
            balance=balance,
            needed=needed,
        )


class CurrencyMismatch(OrderConflict):
    """A stored-value method holds another currency than the order's."""

    code = "currency_mismatch"

    def __init__(self, payment_method_id: int, method_currency: str, currency: str) -> None:
        super().__init__(
            f"The payment method holds {method_currency}; the order is in {currency}.",
            payment_method_id=payment_method_id,
            method_currency=method_currency,
            currency=currency,
        )


class VariantUnavailable(OrderConflict):
    """The variant is not on sale or not enough units are in stock."""

    code = "variant_unavailable"

    def __init__(self, variant_id: int, requested: int, available: int) -> None:
        super().__init__(
            f"Variant {variant_id} is not available in the quantity asked "
            f"({requested} asked, {available} available).",
            variant_id=variant_id,
            requested=requested,
            available=available,
        )


class ReturnWindowExpired(OrderConflict):
    """The policy's window for returns and exchanges has passed."""

    code = "return_window_expired"

    def __init__(self, delivered_at: str, window_days: int, ended_at: str) -> None:
        super().__init__(
            f"Returns and exchanges are accepted within {window_days} days of delivery; "
            f"that window ended on {ended_at[:10]}.",
            delivered_at=delivered_at,
            window_days=window_days,
            window_ended_at=ended_at,
        )


class ReturnNotOpen(OrderConflict):
    """Only a requested return can be completed."""

    code = "return_not_open"

    def __init__(self, return_id: int, status: str) -> None:
        super().__init__(
            f"Return {return_id} is {status}.", return_id=return_id, return_status=status
        )


class ExchangeNotOpen(OrderConflict):
    """Only a requested exchange can be completed."""

    code = "exchange_not_open"

    def __init__(self, exchange_id: int, status: str) -> None:
        super().__init__(
            f"Exchange {exchange_id} is {status}.",
            exchange_id=exchange_id,
            exchange_status=status,
        )


class OrderNumberTaken(OrderConflict):
    """Another order of the store already has this number."""

    code = "order_number_taken"

    def __init__(self, number: str) -> None:
        super().__init__(f"Another order already has number {number!r}.", number=number)


class InvalidCancelReason(OrderInvalid):
    """The reason is not one of the store's cancel reasons."""

    code = "invalid_cancel_reason"

    def __init__(self, reason: str, allowed: Sequence[str]) -> None:
        super().__init__(
            "The reason must be one of: " + ", ".join(f'"{r}"' for r in allowed) + ".",
            reason=reason,
            allowed=list(allowed),
        )


class VariantNotSameProduct(OrderInvalid):
    """Items can be swapped only for another variant of the same product."""

    code = "variant_not_same_product"

    def __init__(self, line_id: int, variant_id: int) -> None:
        super().__init__(
            f"Variant {variant_id} is not an option of the product on line {line_id}.",
            line_id=line_id,
            variant_id=variant_id,
        )


class LineNotFound(OrderInvalid):
    """The line is not part of the order."""

    code = "line_not_found"

    def __init__(self, line_id: int) -> None:
        super().__init__(f"Line {line_id} is not part of this order.", line_id=line_id)


class QuantityExceedsOrder(OrderInvalid):
    """More units than the line has left (after earlier returns and exchanges)."""

    code = "quantity_exceeds_order"

    def __init__(self, line_id: int, requested: int, remaining: int) -> None:
        super().__init__(
            f"Line {line_id} has {remaining} unit{'s' if remaining != 1 else ''} left; "
            f"{requested} asked.",
            line_id=line_id,
            requested=requested,
            remaining=remaining,
        )


class DuplicateLine(OrderInvalid):
    """The same line appears twice in one request."""

    code = "duplicate_line"

    def __init__(self, line_id: int) -> None:
        super().__init__(f"Line {line_id} is listed more than once.", line_id=line_id)


class RefundDestinationNotAllowed(OrderInvalid):
    """The refund cannot go to that payment method under the store's policy."""

    code = "refund_destination_not_allowed"

    def __init__(self, detail: str, **data: Any) -> None:
        super().__init__(detail, **data)


class PaymentMethodRequired(OrderInvalid):
    """A price difference must be settled and no method was given or can be assumed."""

    code = "payment_method_required"

    def __init__(self, amount: int) -> None:
        super().__init__(
            "Say which payment method settles the price difference.", difference=amount
        )


class NothingToChange(OrderInvalid):
    """The request would leave everything as it is."""

    code = "nothing_to_change"

    def __init__(self, detail: str, **data: Any) -> None:
        super().__init__(detail, **data)


class RestockLocationRequired(OrderInvalid):
    """Returned units must go back to a location and none is known for a line."""

    code = "restock_location_required"

    def __init__(self, line_id: int) -> None:
        super().__init__(
            f"Line {line_id} had no stock reservation; say which location receives it.",
            line_id=line_id,
        )


class LocationNotFound(OrderInvalid):
    """The location that should receive returned units is not one of the store's."""

    code = "location_not_found"

    def __init__(self, location_id: int) -> None:
        super().__init__(f"Location {location_id} not found.", location_id=location_id)


class AddressNotFound(OrderInvalid):
    """The saved address is not one of the customer's."""

    code = "address_not_found"

    def __init__(self, address_id: int) -> None:
        super().__init__(
            f"Address {address_id} is not one of the customer's.", address_id=address_id
        )


class InvalidOrderRecord(OrderInvalid):
    """An upserted order record cannot be stored as given."""

    code = "invalid_order_record"

    def __init__(self, detail: str, *, code: str | None = None, **data: Any) -> None:
        super().__init__(detail, code=code, **data)
