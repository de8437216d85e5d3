"""Errors of the catalog context."""

from __future__ import annotations

from floorwalker.errors import AppError, NotFound


class CatalogError(AppError):
    """Base of the catalog family."""


class ProductNotFound(CatalogError, NotFound):
    """No product with that id in the store."""

    code = "product_not_found"

    def __init__(self, product_id: int | str) -> None:
        super().__init__(f"Product {product_id} not found.", product_id=product_id)


class VariantNotFound(CatalogError, NotFound):
    """No variant with that id in the store."""

    code = "variant_not_found"

    def __init__(self, variant_id: int | str) -> None:
        super().__init__(f"Variant {variant_id} not found.", variant_id=variant_id)
