"""Errors of the inventory context."""

from __future__ import annotations

from floorwalker.errors import AppError, Conflict, Invalid, NotFound


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


class LocationNotFound(InventoryError, NotFound):
    """No location with that id, code or external id in the store."""

    code = "location_not_found"

    def __init__(self, ref: int | str) -> None:
        super().__init__(f"Location {ref} not found.", location=str(ref))


class LocationCodeTaken(InventoryError, Conflict):
    """Another location of the store already has this code."""

    code = "location_code_taken"

    def __init__(self, code: object) -> None:
        super().__init__(f"Another location already has the code {code!r}.", location_code=code)


class LocationExternalIdTaken(InventoryError, Conflict):
    """Another location is already linked to this `(source, external_id)`."""

    code = "external_id_taken"

    def __init__(self, source: str, external_id: str) -> None:
        super().__init__(
            f"Another location is already linked to {source}:{external_id}.",
            source=source,
            external_id=external_id,
        )


class LocationRequired(InventoryError, Invalid):
    """The store has several locations, so a level must say which one it is for."""

    code = "location_required"

    def __init__(self) -> None:
        super().__init__(
            "The store has several locations: give location_id, location_code or "
            "location_external_id."
        )


class SkuAmbiguous(InventoryError, Invalid):
    """More than one variant of the store has this SKU; name the variant by id instead."""

    code = "sku_ambiguous"

    def __init__(self, sku: str, variant_ids: list[int]) -> None:
        super().__init__(
            f"Several variants have the SKU {sku!r}; use variant_id.",
            sku=sku,
            variant_ids=variant_ids,
        )
