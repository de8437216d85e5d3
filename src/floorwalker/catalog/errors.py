"""Errors of the catalog context."""

from __future__ import annotations

from floorwalker.errors import AppError, Conflict, Invalid, NotFound


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


class CategoryNotFound(CatalogError, NotFound):
    """No category with that id, slug or external id in the store."""

    code = "category_not_found"

    def __init__(self, ref: int | str) -> None:
        super().__init__(f"Category {ref} not found.", category=str(ref))


class BrandNotFound(CatalogError, NotFound):
    """No brand with that id in the store."""

    code = "brand_not_found"

    def __init__(self, ref: int | str) -> None:
        super().__init__(f"Brand {ref} not found.", brand=str(ref))


class HandleTaken(CatalogError, Conflict):
    """Another product of the store already has this handle."""

    code = "handle_taken"

    def __init__(self, handle: object) -> None:
        super().__init__(f"Another product already has the handle {handle!r}.", handle=handle)


class SlugTaken(CatalogError, Conflict):
    """Another category or brand of the store already has this slug."""

    code = "slug_taken"

    def __init__(self, slug: object) -> None:
        super().__init__(f"Another record already has the slug {slug!r}.", slug=slug)


class ExternalIdTaken(CatalogError, Conflict):
    """Another record of the store is already linked to this `(source, external_id)`."""

    code = "external_id_taken"

    def __init__(self, source: str, external_id: str) -> None:
        super().__init__(
            f"Another record is already linked to {source}:{external_id}.",
            source=source,
            external_id=external_id,
        )


class CategoryCycle(CatalogError, Invalid):
    """A category cannot be moved under itself or one of its descendants."""

    code = "category_cycle"

    def __init__(self, category_id: int) -> None:
        super().__init__(
            f"Category {category_id} cannot be placed under itself or its descendants.",
            category_id=category_id,
        )


class CurrencyMismatch(CatalogError, Invalid):
    """Prices are in the store's currency."""

    code = "currency_mismatch"

    def __init__(self, given: str, expected: str) -> None:
        super().__init__(
            f"Prices must be in the store's currency {expected}, not {given}.",
            currency=given,
            expected=expected,
        )


class VariantNotOfProduct(CatalogError, NotFound):
    """A variant id in a product record belongs to no variant of that product."""

    code = "variant_not_found"

    def __init__(self, variant_id: int, product_id: int) -> None:
        super().__init__(
            f"Variant {variant_id} is not a variant of product {product_id}.",
            variant_id=variant_id,
            product_id=product_id,
        )
