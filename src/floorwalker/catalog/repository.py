"""Queries of the catalog context.

Batch loaders return plain dicts (Core rows): the upsert engine compares thousands of rows at
a time and does not need ORM objects for that. Reads for the API return ORM objects with
their relations loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, delete, false, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from floorwalker.catalog.models import Brand, Category, Product, ProductImage, Variant
from floorwalker.kit.clock import utcnow

Row = dict[str, Any]

PRODUCTS = cast(Table, Product.__table__)
VARIANTS = cast(Table, Variant.__table__)
IMAGES = cast(Table, ProductImage.__table__)
BRANDS = cast(Table, Brand.__table__)
CATEGORIES = cast(Table, Category.__table__)


def _compared(table: Table) -> list[Any]:
    """The columns an upsert compares: all but the timestamps (parsing them costs)."""
    return [c for c in table.columns if c.name not in {"created_at", "updated_at"}]


def _keyed(
    table: Table,
    *,
    ids: Collection[int] = (),
    externals: Mapping[str, Collection[str]] | None = None,
    natural: tuple[str, Collection[Any]] | None = None,
) -> ColumnElement[bool]:
    """`id IN … OR (source = s AND external_id IN …) OR natural IN …` (false when empty)."""
    conditions: list[ColumnElement[bool]] = []
    if ids:
        conditions.append(table.c.id.in_(list(ids)))
    for source, values in (externals or {}).items():
        if values:
            conditions.append(and_(table.c.source == source, table.c.external_id.in_(list(values))))
    if natural is not None and natural[1]:
        conditions.append(table.c[natural[0]].in_(list(natural[1])))
    return or_(*conditions) if conditions else false()


class CatalogRepository:
    """Reads and writes products, variants, images, brands and categories of one store."""

    def __init__(self, session: AsyncSession, store_id: int) -> None:
        self.session = session
        self.store_id = store_id

    # ------------------------------------------------------------ ORM reads

    async def get_product(self, product_id: int, *, with_variants: bool = True) -> Product | None:
        """A product of the store (with variants, images, brand and category loaded)."""
        query = select(Product).where(Product.store_id == self.store_id, Product.id == product_id)
        if with_variants:
            query = query.options(*self._product_loads()).execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def get_products(self, product_ids: Sequence[int]) -> list[Product]:
        """Products of the store by id, loaded, in the order of `product_ids`."""
        if not product_ids:
            return []
        rows = await self.session.scalars(
            select(Product)
            .where(Product.store_id == self.store_id, Product.id.in_(set(product_ids)))
            .options(*self._product_loads())
            .execution_options(populate_existing=True)
        )
        by_id = {p.id: p for p in rows}
        return [by_id[i] for i in product_ids if i in by_id]

    @staticmethod
    def _product_loads() -> tuple[Any, ...]:
        return (
            selectinload(Product.variants),
            selectinload(Product.images),
            selectinload(Product.brand),
            selectinload(Product.category),
        )

    async def list_products(self, *, after_id: int, limit: int, **filters: Any) -> list[Product]:
        """A page of products in id order, filtered, loaded with everything nested."""
        query = select(Product.id).where(*self.product_filters(after_id=after_id, **filters))
        ids = list((await self.session.scalars(query.order_by(Product.id).limit(limit))).all())
        return await self.get_products(ids)

    def product_filters(
        self,
        *,
        after_id: int = 0,
        status: str | None = None,
        category_ids: Collection[int] | None = None,
        brand_id: int | None = None,
        sku: str | None = None,
        handle: str | None = None,
        source: str | None = None,
        external_id: str | None = None,
        product_type: str | None = None,
        updated_since: dt.datetime | None = None,
    ) -> list[ColumnElement[bool]]:
        """The conditions of a product listing: the store, after a cursor, the filters given."""
        conditions = [Product.store_id == self.store_id, Product.id > after_id]
        if status is not None:
            conditions.append(Product.status == status)
        if category_ids is not None:
            conditions.append(Product.category_id.in_(list(category_ids)))
        if brand_id is not None:
            conditions.append(Product.brand_id == brand_id)
        if handle is not None:
            conditions.append(Product.handle == handle)
        if source is not None:
            conditions.append(Product.source == source)
        if external_id is not None:
            conditions.append(Product.external_id == external_id)
        if product_type is not None:
            conditions.append(Product.product_type == product_type)
        if updated_since is not None:
            conditions.append(Product.updated_at >= updated_since)
        if sku is not None:
            conditions.append(
                Product.id.in_(
                    select(Variant.product_id).where(
                        Variant.store_id == self.store_id, Variant.sku == sku
                    )
                )
            )
        return conditions

    async def changed_since(
        self, since: dt.datetime, *, after: tuple[dt.datetime, int] | None, limit: int
    ) -> list[tuple[int, dt.datetime]]:
        """(id, updated_at) of products changed at or after `since`, oldest change first."""
        query = select(Product.id, Product.updated_at).where(
            Product.store_id == self.store_id, Product.updated_at >= since
        )
        if after is not None:
            at, last_id = after
            query = query.where(
                or_(Product.updated_at > at, and_(Product.updated_at == at, Product.id > last_id))
            )
        rows = await self.session.execute(
            query.order_by(Product.updated_at, Product.id).limit(limit)
        )
        return [(int(i), at) for i, at in rows.all()]

    async def active_product_ids(self, *, after_id: int, limit: int) -> list[int]:
        """Ids of active products after `after_id`, in id order."""
        rows = await self.session.scalars(
            select(Product.id)
            .where(
                Product.store_id == self.store_id,
                Product.status == "active",
                Product.id > after_id,
            )
            .order_by(Product.id)
            .limit(limit)
        )
        return list(rows.all())

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

    async def get_variants_by_sku(self, skus: Collection[str]) -> dict[str, Variant]:
        """Variants of the store by SKU, product loaded; an active one wins a shared SKU."""
        if not skus:
            return {}
        rows = await self.session.scalars(
            select(Variant)
            .where(Variant.store_id == self.store_id, Variant.sku.in_(set(skus)))
            .options(selectinload(Variant.product))
            .order_by(Variant.id)
        )
        found: dict[str, Variant] = {}
        for variant in rows:
            assert variant.sku is not None
            current = found.get(variant.sku)
            if current is None or (current.status != "active" and variant.status == "active"):
                found[variant.sku] = variant
        return found

    async def list_variants(
        self,
        *,
        after_id: int,
        limit: int,
        product_id: int | None = None,
        sku: str | None = None,
        barcode: str | None = None,
        source: str | None = None,
        external_id: str | None = None,
    ) -> list[Variant]:
        """A page of variants in id order, filtered."""
        query = select(Variant).where(Variant.store_id == self.store_id, Variant.id > after_id)
        if product_id is not None:
            query = query.where(Variant.product_id == product_id)
        if sku is not None:
            query = query.where(Variant.sku == sku)
        if barcode is not None:
            query = query.where(Variant.barcode == barcode)
        if source is not None:
            query = query.where(Variant.source == source)
        if external_id is not None:
            query = query.where(Variant.external_id == external_id)
        rows = await self.session.scalars(query.order_by(Variant.id).limit(limit))
        return list(rows.all())

    async def variants_of_product(self, product_id: int) -> Sequence[Variant]:
        """Every variant of a product of the store, in display order."""
        rows = await self.session.scalars(
            select(Variant)
            .where(Variant.store_id == self.store_id, Variant.product_id == product_id)
            .order_by(Variant.position, Variant.id)
        )
        return rows.all()

    async def get_category(self, category_id: int) -> Category | None:
        """A category of the store, or None."""
        return await self.session.scalar(
            select(Category).where(Category.store_id == self.store_id, Category.id == category_id)
        )

    async def get_brand(self, brand_id: int) -> Brand | None:
        """A brand of the store, or None."""
        return await self.session.scalar(
            select(Brand).where(Brand.store_id == self.store_id, Brand.id == brand_id)
        )

    # ------------------------------------------------------------ batch loaders (dicts)

    async def all_rows(self, table: Table) -> list[Row]:
        """Every row of the store in a small table (brands, categories), as dicts."""
        rows = await self.session.execute(select(table).where(table.c.store_id == self.store_id))
        return [dict(r._mapping) for r in rows]

    async def product_rows(
        self,
        *,
        ids: Collection[int],
        externals: Mapping[str, Collection[str]],
        handles: Collection[str],
    ) -> list[Row]:
        """Products named by any of the keys, as dicts of their columns."""
        where = _keyed(PRODUCTS, ids=ids, externals=externals, natural=("handle", handles))
        rows = await self.session.execute(
            select(*_compared(PRODUCTS)).where(PRODUCTS.c.store_id == self.store_id, where)
        )
        return [dict(r._mapping) for r in rows]

    async def taken_handles(self, candidates: Collection[str]) -> set[str]:
        """Which of the candidate handles products of the store already use."""
        if not candidates:
            return set()
        rows = await self.session.scalars(
            select(Product.handle).where(
                Product.store_id == self.store_id, Product.handle.in_(list(candidates))
            )
        )
        return set(rows.all())

    async def variant_rows_of(self, product_ids: Collection[int]) -> list[Row]:
        """Variants of the given products, as dicts, in display order."""
        if not product_ids:
            return []
        rows = await self.session.execute(
            select(*_compared(VARIANTS))
            .where(
                VARIANTS.c.store_id == self.store_id,
                VARIANTS.c.product_id.in_(list(product_ids)),
            )
            .order_by(VARIANTS.c.product_id, VARIANTS.c.position, VARIANTS.c.id)
        )
        return [dict(r._mapping) for r in rows]

    async def image_rows_of(self, product_ids: Collection[int]) -> list[Row]:
        """Images of the given products, as dicts."""
        if not product_ids:
            return []
        rows = await self.session.execute(
            select(IMAGES)
            .where(IMAGES.c.store_id == self.store_id, IMAGES.c.product_id.in_(list(product_ids)))
            .order_by(IMAGES.c.product_id, IMAGES.c.position, IMAGES.c.id)
        )
        return [dict(r._mapping) for r in rows]

    async def variant_refs(
        self,
        *,
        ids: Collection[int] = (),
        skus: Collection[str] = (),
        externals: Mapping[str, Collection[str]] | None = None,
    ) -> list[Row]:
        """id, product_id, sku, source, external_id and status of variants named by any key."""
        where = _keyed(VARIANTS, ids=ids, externals=externals, natural=("sku", skus))
        rows = await self.session.execute(
            select(
                VARIANTS.c.id,
                VARIANTS.c.product_id,
                VARIANTS.c.sku,
                VARIANTS.c.source,
                VARIANTS.c.external_id,
                VARIANTS.c.status,
            ).where(VARIANTS.c.store_id == self.store_id, where)
        )
        return [dict(r._mapping) for r in rows]

    async def brand_rows(
        self,
        *,
        ids: Collection[int] = (),
        externals: Mapping[str, Collection[str]] | None = None,
        slugs: Collection[str] = (),
    ) -> list[Row]:
        """Brands named by any key, as dicts."""
        where = _keyed(BRANDS, ids=ids, externals=externals, natural=("slug", slugs))
        rows = await self.session.execute(
            select(BRANDS).where(BRANDS.c.store_id == self.store_id, where)
        )
        return [dict(r._mapping) for r in rows]

    async def category_rows(self) -> list[Row]:
        """Every category of the store, as dicts (a store has hundreds, not millions)."""
        return await self.all_rows(CATEGORIES)

    # ------------------------------------------------------------ writes

    async def touch_products(
        self,
        *,
        product_ids: Collection[int] = (),
        variant_ids: Collection[int] = (),
        category_ids: Collection[int] = (),
        brand_ids: Collection[int] = (),
        at: dt.datetime | None = None,
    ) -> None:
        """Mark products changed now: by id, or those of variants, categories or brands."""
        conditions: list[ColumnElement[bool]] = []
        if product_ids:
            conditions.append(Product.id.in_(list(product_ids)))
        if variant_ids:
            conditions.append(
                Product.id.in_(
                    select(Variant.product_id).where(
                        Variant.store_id == self.store_id, Variant.id.in_(list(variant_ids))
                    )
                )
            )
        if category_ids:
            conditions.append(Product.category_id.in_(list(category_ids)))
        if brand_ids:
            conditions.append(Product.brand_id.in_(list(brand_ids)))
        if not conditions:
            return
        await self.session.execute(
            update(PRODUCTS)
            .where(PRODUCTS.c.store_id == self.store_id, or_(*conditions))
            .values(updated_at=at or utcnow())
        )

    async def delete_images(self, image_ids: Collection[int]) -> None:
        """Delete images by id."""
        if image_ids:
            await self.session.execute(
                delete(IMAGES).where(
                    IMAGES.c.store_id == self.store_id, IMAGES.c.id.in_(list(image_ids))
                )
            )

    async def delete_row(self, table: Table, row_id: int) -> int:
        """Delete one row of the store by id; returns how many were deleted (0 or 1)."""
        result = await self.session.execute(
            delete(table).where(table.c.store_id == self.store_id, table.c.id == row_id)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def count_products(self, **filters: Any) -> int:
        """How many products of the store match column equality filters."""
        query = (
            select(func.count()).select_from(PRODUCTS).where(PRODUCTS.c.store_id == self.store_id)
        )
        for name, value in filters.items():
            query = query.where(PRODUCTS.c[name] == value)
        return int(await self.session.scalar(query) or 0)
