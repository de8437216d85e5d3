"""Errors of the customers context."""

from __future__ import annotations

from floorwalker.errors import AppError, Conflict, NotFound


class CustomerError(AppError):
    """Base of the customers family."""


class CustomerNotFound(CustomerError, NotFound):
    """No customer with that id in the store."""

    code = "customer_not_found"

    def __init__(self, customer_id: int | str) -> None:
        super().__init__(f"Customer {customer_id} not found.", customer_id=customer_id)


class PaymentMethodNotFound(CustomerError, NotFound):
    """The payment method does not exist or is not the customer's."""

    code = "payment_method_not_found"

    def __init__(self, payment_method_id: int) -> None:
        super().__init__(
            f"Payment method {payment_method_id} is not one of the customer's.",
            payment_method_id=payment_method_id,
        )


class InsufficientGiftCardBalance(CustomerError, Conflict):
    """A gift card (or store credit) does not hold enough to cover an amount."""

    code = "insufficient_gift_card_balance"

    def __init__(self, payment_method_id: int, balance: int, needed: int) -> None:
        super().__init__(
            f"The gift card's balance ({balance}) does not cover {needed}.",
            payment_method_id=payment_method_id,
            balance=balance,
            needed=needed,
        )


class EmailTaken(CustomerError, Conflict):
    """Another customer of the same source already has this e-mail."""

    code = "email_taken"

    def __init__(self, key: object) -> None:
        email = key[1] if isinstance(key, tuple) else key
        super().__init__(f"Another customer already has the e-mail {email!r}.", email=email)


class CustomerExternalIdTaken(CustomerError, Conflict):
    """Another customer is already linked to this `(source, external_id)`."""

    code = "external_id_taken"

    def __init__(self, source: str, external_id: str) -> None:
        super().__init__(
            f"Another customer is already linked to {source}:{external_id}.",
            source=source,
            external_id=external_id,
        )


class AddressNotFound(CustomerError, NotFound):
    """The address does not exist or is not the customer's."""

    code = "address_not_found"

    def __init__(self, address_id: int) -> None:
        super().__init__(
            f"Address {address_id} is not one of the customer's.", address_id=address_id
        )


class ConsentRequired(CustomerError, Conflict):
    """The shopper has not consented to the purpose this change needs."""

    code = "consent_required"

    def __init__(self, purpose: str) -> None:
        super().__init__(
            f"The shopper has not consented to {purpose}; ask before remembering this.",
            purpose=purpose,
        )
