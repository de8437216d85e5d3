"""Rules of the catalog context."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.catalog.errors import ProductNotFound, VariantNotFound
from floorwalker.catalog.models import Product, Variant
from floorwalker.catalog.repository import CatalogRepository


async def get_product(session: AsyncSession, store_id: int, product_id: int) -> Product | None:
    """A product of the store with its variants, images, brand and category, or None."""
    return await CatalogRepository(session, store_id).get_product(product_id)


async def get_product_or_raise(session: AsyncSession, store_id: int, product_id: int) -> Product:
    """A product of the store; raises ProductNotFound."""
    product = await get_product(session, store_id, product_id)
    if product is None:
        raise ProductNotFound(product_id)
    return product


async def get_variant(session: AsyncSession, store_id: int, variant_id: int) -> Variant | None:
    """A variant of the store (its product loaded), or None."""
    return await CatalogRepository(session, store_id).get_variant(variant_id)


async def get_variant_or_raise(session: AsyncSession, store_id: int, variant_id: int) -> Variant:
    """A variant of the store; raises VariantNotFound."""
    variant = await get_variant(session, store_id, variant_id)
    if variant is None:
        raise VariantNotFound(variant_id)
    return variant


async def get_variants(
    session: AsyncSession, store_id: int, variant_ids: Sequence[int]
) -> dict[int, Variant]:
    """Variants of the store by id; ids of other stores or unknown ids are absent."""
    return await CatalogRepository(session, store_id).get_variants(variant_ids)


async def variants_of_product(
    session: AsyncSession, store_id: int, product_id: int
) -> Sequence[Variant]:
    """Every variant of a product, in display order."""
    return await CatalogRepository(session, store_id).variants_of_product(product_id)


def is_sellable(variant: Variant) -> bool:
    """Whether the variant and its product are on sale (stock is inventory's question)."""
    return variant.status == "active" and variant.product.status == "active"
