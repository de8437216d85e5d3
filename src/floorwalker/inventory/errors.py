"""Errors of the inventory context."""

from __future__ import annotations

from floorwalker.errors import AppError, Conflict


class InventoryError(AppError):
    """Base of the inventory family."""


class InsufficientStock(InventoryError, Conflict):
    """Not enough available units of a variant at any one location."""

    code = "insufficient_stock"

    def __init__(self, variant_id: int, requested: int, available: int) -> None:
        super().__init__(
            f"Only {available} of variant {variant_id} available; {requested} requested.",
            variant_id=variant_id,
            requested=requested,
            available=available,
        )
