"""Queries of the catalog context."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from floorwalker.catalog.models import Product, Variant


class CatalogRepository:
    """Reads and writes products and variants of one store."""

    def __init__(self, session: AsyncSession, store_id: int) -> None:
        self.session = session
        self.store_id = store_id

    async def get_product(self, product_id: int, *, with_variants: bool = True) -> Product | None:
        """A product of the store (with variants, images, brand and category loaded)."""
        query = select(Product).where(Product.store_id == self.store_id, Product.id == product_id)
        if with_variants:
            query = query.options(
                selectinload(Product.variants),
                selectinload(Product.images),
                selectinload(Product.brand),
                selectinload(Product.category),
            )
        return await self.session.scalar(query)

    async def get_variant(self, variant_id: int) -> Variant | None:
        """A variant of the store, with its product loaded."""
        return await self.session.scalar(
            select(Variant)
            .where(Variant.store_id == self.store_id, Variant.id == variant_id)
            .options(selectinload(Variant.product))
        )

    async def get_variants(self, variant_ids: Sequence[int]) -> dict[int, Variant]:
        """Variants of the store by id (missing ids are simply absent)."""
        if not variant_ids:
            return {}
        rows = await self.session.scalars(
            select(Variant)
            .where(Variant.store_id == self.store_id, Variant.id.in_(set(variant_ids)))
            .options(selectinload(Variant.product))
        )
        return {v.id: v for v in rows}

    async def variants_of_product(self, product_id: int) -> Sequence[Variant]:
        """Every variant of a product of the store, in display order."""
        rows = await self.session.scalars(
            select(Variant)
            .where(Variant.store_id == self.store_id, Variant.product_id == product_id)
            .order_by(Variant.position, Variant.id)
        )
        return rows.all()
