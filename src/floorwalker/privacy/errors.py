"""Errors of the privacy context."""

from __future__ import annotations

from floorwalker.errors import AppError, Conflict, Forbidden, Invalid, NotFound


class PrivacyError(AppError):
    """Base of the privacy context's errors."""


class ConfirmationMismatch(Invalid, PrivacyError):
    """An erasure must be confirmed by typing the customer's e-mail (or id) exactly."""

    code = "confirmation_mismatch"

    def __init__(self) -> None:
        super().__init__(
            "Type the customer's e-mail address (or, without one, their id) to confirm erasure."
        )


class ErasureBlocked(Conflict, PrivacyError):
    """The customer has orders still in progress; erasing would lose their shipping address."""

    code = "erasure_blocked_open_orders"

    def __init__(self, order_ids: list[int]) -> None:
        super().__init__(
            "The customer has orders still in progress; fulfil or cancel them first, or erase "
            "anyway with force (their shipping addresses will be gone).",
            order_ids=order_ids,
        )


class ShopperNotVerified(Forbidden, PrivacyError):
    """Only a verified shopper has consent of their own to read or change."""

    code = "shopper_not_verified"

    def __init__(self) -> None:
        super().__init__("Verify who you are in the conversation before changing your consent.")


class ReceiptNotFound(NotFound, PrivacyError):
    """No privacy receipt with that id in the store."""

    code = "privacy_receipt_not_found"

    def __init__(self, ref: str) -> None:
        super().__init__(f"Privacy receipt {ref} not found.", receipt=ref)


class CustomerRefNotFound(NotFound, PrivacyError):
    """No customer matches the id or e-mail given (a CLI or console lookup)."""

    code = "customer_not_found"

    def __init__(self) -> None:
        super().__init__("No customer of this store has that id or e-mail.")


class PlatformRequestNotFound(NotFound, PrivacyError):
    """No platform privacy request with that id in the store."""

    code = "privacy_request_not_found"

    def __init__(self, request_id: int) -> None:
        super().__init__(f"Privacy request {request_id} not found.", privacy_request_id=request_id)
