"""Rules of the catalog context: products, variants, categories and brands.

Other contexts use the catalog only through this module. Batch loaders (the file importer,
the platform connectors) call `upsert_products`, `upsert_categories` and `upsert_brands`;
readers such as the search index call `active_products` / `iter_active_products` and poll
`changed_since`; stock lives in `inventory`, which marks products changed when stock moves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.catalog import reading, schemas
from floorwalker.catalog.brands import delete_brand as delete_brand
from floorwalker.catalog.brands import upsert_brands as upsert_brands
from floorwalker.catalog.errors import (
    BrandNotFound,
    CategoryNotFound,
    ProductNotFound,
    VariantNotFound,
)
from floorwalker.catalog.models import Brand, Category, Product, Variant

# The ORM types other contexts receive from these functions (read them, never write them).
from floorwalker.catalog.products import upsert_products as upsert_products
from floorwalker.catalog.repository import BRANDS, PRODUCTS, CatalogRepository
from floorwalker.catalog.taxonomy import delete_category as delete_category
from floorwalker.catalog.taxonomy import load_tree
from floorwalker.catalog.taxonomy import upsert_categories as upsert_categories
from floorwalker.kit.actor import Actor
from floorwalker.kit.upsert import UpsertStatus

__all__ = [
    "Product",
    "Variant",
    "active_products",
    "changed_since",
    "delete_brand",
    "delete_category",
    "delete_product",
    "get_brand_or_raise",
    "get_category_or_raise",
    "get_product",
    "get_product_or_raise",
    "get_products",
    "get_variant",
    "get_variant_or_raise",
    "get_variants",
    "get_variants_by_sku",
    "is_sellable",
    "iter_active_products",
    "list_brands",
    "list_categories",
    "list_product_documents",
    "list_products",
    "list_variants",
    "mark_changed",
    "product_documents",
    "resolve_variants",
    "upsert_brands",
    "upsert_categories",
    "upsert_product",
    "upsert_products",
    "variants_of_product",
]


# ---------------------------------------------------------------- products and variants


async def get_product(session: AsyncSession, store_id: int, product_id: int) -> Product | None:
    """A product of the store with its variants, images, brand and category, or None."""
    return await CatalogRepository(session, store_id).get_product(product_id)


async def get_product_or_raise(session: AsyncSession, store_id: int, product_id: int) -> Product:
    """A product of the store; raises ProductNotFound."""
    product = await get_product(session, store_id, product_id)
    if product is None:
        raise ProductNotFound(product_id)
    return product


async def get_products(
    session: AsyncSession, store_id: int, product_ids: Sequence[int]
) -> list[Product]:
    """Products of the store by id, loaded, in the given order (unknown ids are skipped)."""
    return await CatalogRepository(session, store_id).get_products(product_ids)


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


async def get_variants_by_sku(
    session: AsyncSession, store_id: int, skus: Collection[str]
) -> dict[str, Variant]:
    """Variants of the store by SKU (product loaded); when SKUs repeat, an active one wins."""
    return await CatalogRepository(session, store_id).get_variants_by_sku(skus)


async def variants_of_product(
    session: AsyncSession, store_id: int, product_id: int
) -> Sequence[Variant]:
    """Every variant of a product, in display order."""
    return await CatalogRepository(session, store_id).variants_of_product(product_id)


def is_sellable(variant: Variant) -> bool:
    """Whether the variant and its product are on sale (stock is inventory's question)."""
    return variant.status == "active" and variant.product.status == "active"


async def upsert_product(
    session: AsyncSession, actor: Actor, record: schemas.ProductUpsert | Mapping[str, Any]
) -> tuple[UpsertStatus, Product]:
    """Create or update one product; raises the record's error if it is refused."""
    result = (await upsert_products(session, actor, [record])).one()
    assert result.id is not None
    return result.status, await get_product_or_raise(session, actor.store_id, result.id)


async def list_products(
    session: AsyncSession, store_id: int, *, after_id: int = 0, limit: int = 50, **filters: Any
) -> list[Product]:
    """A page of products in id order; filters as `list_product_documents`."""
    repo = CatalogRepository(session, store_id)
    conditions = await _listing_filters(session, store_id, **filters)
    return await repo.list_products(after_id=after_id, limit=limit, **conditions)


async def list_product_documents(
    session: AsyncSession,
    store_id: int,
    *,
    after_id: int = 0,
    limit: int = 50,
    status: str | None = None,
    category_id: int | None = None,
    brand_id: int | None = None,
    sku: str | None = None,
    handle: str | None = None,
    source: str | None = None,
    external_id: str | None = None,
    product_type: str | None = None,
    updated_since: dt.datetime | None = None,
) -> list[reading.Document]:
    """A page of products in id order as read documents; `category_id` includes subcategories.

    Documents have the shape of `schemas.Product` without stock: inventory's `with_stock`
    completes and validates them.
    """
    conditions = await _listing_filters(
        session,
        store_id,
        status=status,
        category_id=category_id,
        brand_id=brand_id,
        sku=sku,
        handle=handle,
        source=source,
        external_id=external_id,
        product_type=product_type,
        updated_since=updated_since,
    )
    where = CatalogRepository(session, store_id).product_filters(after_id=after_id, **conditions)
    query = reading.product_select(store_id).where(*where).order_by(PRODUCTS.c.id).limit(limit)
    return await reading.documents_from(session, query)


async def product_documents(
    session: AsyncSession, store_id: int, product_ids: Sequence[int]
) -> list[reading.Document]:
    """Products of the store by id as read documents, in the given order (unknown skipped)."""
    return await reading.product_documents(session, store_id, product_ids)


async def _listing_filters(
    session: AsyncSession,
    store_id: int,
    *,
    category_id: int | None = None,
    handle: str | None = None,
    **filters: Any,
) -> dict[str, Any]:
    category_ids: list[int] | None = None
    if category_id is not None:
        tree = await load_tree(session, store_id)
        category_ids = tree.descendants_or_self(category_id) if category_id in tree.rows else []
    return {
        **filters,
        "category_ids": category_ids,
        "handle": handle.lower() if handle else None,
    }


async def list_variants(
    session: AsyncSession,
    store_id: int,
    *,
    after_id: int = 0,
    limit: int = 50,
    product_id: int | None = None,
    sku: str | None = None,
    barcode: str | None = None,
    source: str | None = None,
    external_id: str | None = None,
) -> list[Variant]:
    """A page of variants in id order, filtered by product, SKU, barcode or external id."""
    return await CatalogRepository(session, store_id).list_variants(
        after_id=after_id,
        limit=limit,
        product_id=product_id,
        sku=sku,
        barcode=barcode,
        source=source,
        external_id=external_id,
    )


async def delete_product(session: AsyncSession, actor: Actor, product_id: int) -> None:
    """Delete a product with its variants, images and stock (orders keep their lines).

    Pollers learn about deletions from the audit log (action `product.delete`).
    """
    product = await CatalogRepository(session, actor.store_id).get_product(
        product_id, with_variants=False
    )
    if product is None:
        raise ProductNotFound(product_id)
    data = {"handle": product.handle, "source": product.source, "external_id": product.external_id}
    await CatalogRepository(session, actor.store_id).delete_row(PRODUCTS, product_id)
    session.expunge(product)
    await audit_service.record(
        session,
        actor,
        action="product.delete",
        subject_type="product",
        subject_id=product_id,
        data=data,
    )


# ---------------------------------------------------------------- readers for other contexts


async def active_products(
    session: AsyncSession, store_id: int, *, after_id: int = 0, limit: int = 500
) -> list[Product]:
    """The next `limit` active products after `after_id`, loaded, in id order."""
    repo = CatalogRepository(session, store_id)
    return await repo.get_products(await repo.active_product_ids(after_id=after_id, limit=limit))


async def iter_active_products(
    session: AsyncSession, store_id: int, *, batch_size: int = 500
) -> AsyncIterator[list[Product]]:
    """Every active product of the store, loaded, in batches by id."""
    after_id = 0
    while True:
        batch = await active_products(session, store_id, after_id=after_id, limit=batch_size)
        if not batch:
            return
        yield batch
        after_id = batch[-1].id


async def changed_since(
    session: AsyncSession,
    store_id: int,
    *,
    since: dt.datetime,
    after: tuple[dt.datetime, int] | None = None,
    limit: int = 1000,
) -> list[schemas.ProductChange]:
    """Products whose product, variants, images, brand, category path or stock changed at or
    after `since`, oldest change first.

    Poll with the last `(updated_at, id)` seen as `after`, and start each new poll a few
    seconds before the previous one's last change: a transaction that began earlier may
    commit later. Deleted products appear in the audit log as `product.delete`.
    """
    rows = await CatalogRepository(session, store_id).changed_since(since, after=after, limit=limit)
    return [schemas.ProductChange(id=i, updated_at=at) for i, at in rows]


async def resolve_variants(
    session: AsyncSession,
    store_id: int,
    *,
    ids: Collection[int] = (),
    skus: Collection[str] = (),
    externals: Mapping[str, Collection[str]] | None = None,
) -> list[dict[str, Any]]:
    """id, product_id, sku, source, external_id and status of the variants named by any key."""
    return await CatalogRepository(session, store_id).variant_refs(
        ids=ids, skus=skus, externals=externals
    )


async def mark_changed(
    session: AsyncSession, store_id: int, *, variant_ids: Collection[int]
) -> None:
    """Mark the products of these variants changed now (their stock moved)."""
    await CatalogRepository(session, store_id).touch_products(variant_ids=variant_ids)


# ---------------------------------------------------------------- categories and brands


async def list_categories(
    session: AsyncSession,
    store_id: int,
    *,
    after_id: int = 0,
    limit: int = 50,
    parent_id: int | None = None,
    roots_only: bool = False,
) -> list[schemas.Category]:
    """A page of the store's categories in id order (each carries its full path)."""
    tree = await load_tree(session, store_id)
    rows = sorted((r for r in tree.rows.values() if r["id"] > after_id), key=lambda r: r["id"])
    if parent_id is not None:
        rows = [r for r in rows if r["parent_id"] == parent_id]
    elif roots_only:
        rows = [r for r in rows if r["parent_id"] is None]
    return [schemas.Category.model_validate(r) for r in rows[:limit]]


async def get_category_or_raise(session: AsyncSession, store_id: int, category_id: int) -> Category:
    """A category of the store; raises CategoryNotFound."""
    category = await CatalogRepository(session, store_id).get_category(category_id)
    if category is None:
        raise CategoryNotFound(category_id)
    return category


async def list_brands(
    session: AsyncSession, store_id: int, *, after_id: int = 0, limit: int = 50
) -> list[schemas.Brand]:
    """A page of the store's brands in id order."""
    rows = await CatalogRepository(session, store_id).all_rows(BRANDS)
    rows = sorted((r for r in rows if r["id"] > after_id), key=lambda r: r["id"])
    return [schemas.Brand.model_validate(r) for r in rows[:limit]]


async def get_brand_or_raise(session: AsyncSession, store_id: int, brand_id: int) -> Brand:
    """A brand of the store; raises BrandNotFound."""
    brand = await CatalogRepository(session, store_id).get_brand(brand_id)
    if brand is None:
        raise BrandNotFound(brand_id)
    return brand
