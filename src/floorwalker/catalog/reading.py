"""The read model of products: plain rows in, nested documents out, validated once.

A page of 50 products is the API's heaviest read: about 600 variants, 150 images and, once
inventory adds it, 1,800 stock lines. Loading that as ORM objects and converting each object to
pydantic one by one cost ~60 ms of CPU per page; here each table is one Core query returning
tuples, the document is assembled in dicts, and the caller validates it once.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.catalog.repository import BRANDS, CATEGORIES, IMAGES, PRODUCTS, VARIANTS

Document = dict[str, Any]

_PRODUCT_FIELDS = (
    "id",
    "handle",
    "title",
    "description",
    "product_type",
    "status",
    "source",
    "external_id",
    "option_names",
    "attributes",
    "tags",
    "created_at",
    "updated_at",
)
_VARIANT_FIELDS = (
    "id",
    "product_id",
    "sku",
    "barcode",
    "title",
    "options",
    "price",
    "compare_at_price",
    "currency",
    "position",
    "status",
    "weight_grams",
    "image_url",
    "source",
    "external_id",
    "updated_at",
)
_IMAGE_FIELDS = ("id", "product_id", "url", "alt", "position", "variant_id")


def product_select(store_id: int) -> Select[Any]:
    """Products of a store with their brand and category reference, one row each."""
    return (
        # Table columns, not ORM attributes: plain rows skip the ORM's per-row loading.
        select(
            *(PRODUCTS.c[name] for name in _PRODUCT_FIELDS),
            BRANDS.c.id,
            BRANDS.c.name,
            BRANDS.c.slug,
            CATEGORIES.c.id,
            CATEGORIES.c.name,
            CATEGORIES.c.slug,
            CATEGORIES.c.path,
        )
        .select_from(PRODUCTS)
        .outerjoin(BRANDS, BRANDS.c.id == PRODUCTS.c.brand_id)
        .outerjoin(CATEGORIES, CATEGORIES.c.id == PRODUCTS.c.category_id)
        .where(PRODUCTS.c.store_id == store_id)
    )


async def documents_from(session: AsyncSession, query: Select[Any]) -> list[Document]:
    """Run a `product_select` query and nest each product's variants and images, in its order."""
    documents: list[Document] = []
    width = len(_PRODUCT_FIELDS)
    for row in await session.execute(query):
        document = dict(zip(_PRODUCT_FIELDS, row[:width], strict=True))
        brand_id, brand_name, brand_slug, category_id, name, slug, path = row[width:]
        document["brand"] = (
            {"id": brand_id, "name": brand_name, "slug": brand_slug} if brand_id else None
        )
        document["category"] = (
            {"id": category_id, "name": name, "slug": slug, "path": path} if category_id else None
        )
        document["variants"] = []
        document["images"] = []
        documents.append(document)
    if not documents:
        return documents
    by_id = {d["id"]: d for d in documents}
    ids = list(by_id)
    variants = await session.execute(
        select(*(VARIANTS.c[name] for name in _VARIANT_FIELDS))
        .where(VARIANTS.c.product_id.in_(ids))
        .order_by(VARIANTS.c.product_id, VARIANTS.c.position, VARIANTS.c.id)
    )
    for row in variants:
        by_id[row[1]]["variants"].append(dict(zip(_VARIANT_FIELDS, row, strict=True)))
    images = await session.execute(
        select(*(IMAGES.c[name] for name in _IMAGE_FIELDS))
        .where(IMAGES.c.product_id.in_(ids))
        .order_by(IMAGES.c.product_id, IMAGES.c.position, IMAGES.c.id)
    )
    for row in images:
        image = dict(zip(_IMAGE_FIELDS, row, strict=True))
        by_id[image.pop("product_id")]["images"].append(image)
    return documents


async def product_documents(
    session: AsyncSession, store_id: int, product_ids: Sequence[int]
) -> list[Document]:
    """Products of the store by id as documents, in the order of `product_ids` (unknown skipped)."""
    if not product_ids:
        return []
    wanted: Collection[int] = set(product_ids)
    found = await documents_from(session, product_select(store_id).where(PRODUCTS.c.id.in_(wanted)))
    by_id = {d["id"]: d for d in found}
    return [by_id[i] for i in product_ids if i in by_id]
