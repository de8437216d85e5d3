"""Reads the catalog into index documents, only through the catalog and inventory services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.catalog import service as catalog_service
from floorwalker.inventory import service as inventory_service
from floorwalker.kit.actor import Actor
from floorwalker.search.documents import (
    CategoryEntry,
    ProductDoc,
    VariantDoc,
    clean_attributes,
    facet_name,
)

BATCH_SIZE = 500


async def load_categories(session: AsyncSession, store_id: int) -> dict[int, CategoryEntry]:
    """Every category of the store by id."""
    rows = await catalog_service.list_categories(session, store_id)
    return {
        c.id: CategoryEntry(id=c.id, name=c.name, slug=c.slug, path=c.path, parent_id=c.parent_id)
        for c in rows
    }


def lineage(categories: Mapping[int, CategoryEntry], category_id: int | None) -> tuple[int, ...]:
    """A category and its ancestors, root first (cycles and unknown parents end the walk)."""
    chain: list[int] = []
    current = category_id
    while current is not None and current in categories and current not in chain:
        chain.append(current)
        current = categories[current].parent_id
    return tuple(reversed(chain))


def to_document(
    product: Any,
    stock: Mapping[int, int],
    categories: Mapping[int, CategoryEntry],
    currency: str,
) -> ProductDoc | None:
    """The index document of a loaded catalog product; None if it cannot be sold."""
    if product.status != "active":
        return None
    variants = tuple(
        VariantDoc(
            id=v.id,
            sku=v.sku,
            title=v.title or "",
            options={facet_name(str(k)): str(val) for k, val in (v.options or {}).items() if val},
            price=v.price,
            compare_at_price=v.compare_at_price,
            available=int(stock.get(v.id, 0)),
            image_url=v.image_url,
        )
        for v in product.variants
        if v.status == "active"
    )
    if not variants:
        return None
    category = categories.get(product.category_id) if product.category_id else None
    images = list(product.images or [])
    return ProductDoc(
        id=product.id,
        handle=product.handle,
        title=product.title,
        description=product.description or "",
        currency=product.variants[0].currency if product.variants else currency,
        created_at=product.created_at,
        variants=variants,
        brand=product.brand.name if product.brand is not None else None,
        category_id=product.category_id,
        category_path=(category.path or category.name) if category else None,
        category_ids=lineage(categories, product.category_id),
        product_type=product.product_type,
        tags=tuple(str(t) for t in (product.tags or ())),
        attributes=clean_attributes(product.attributes or {}),
        image_url=images[0].url if images else None,
    )


async def _documents(
    session: AsyncSession,
    store_id: int,
    products: Sequence[Any],
    categories: Mapping[int, CategoryEntry],
    currency: str,
) -> list[ProductDoc | None]:
    variant_ids = [v.id for p in products for v in p.variants]
    stock = await inventory_service.available(session, store_id, variant_ids)
    return [to_document(p, stock, categories, currency) for p in products]


async def load_all(
    session: AsyncSession, store_id: int, *, categories: Mapping[int, CategoryEntry], currency: str
) -> list[ProductDoc]:
    """Every sellable product of the store."""
    docs: list[ProductDoc] = []
    async for batch in catalog_service.iter_active_products(
        session, store_id, batch_size=BATCH_SIZE
    ):
        docs.extend(
            d for d in await _documents(session, store_id, batch, categories, currency) if d
        )
    return docs


async def load_products(
    session: AsyncSession,
    store_id: int,
    product_ids: Iterable[int],
    *,
    categories: Mapping[int, CategoryEntry],
    currency: str,
) -> dict[int, ProductDoc | None]:
    """The current documents of products by id (None: gone, or no longer sellable)."""
    ids = sorted(set(product_ids))
    out: dict[int, ProductDoc | None] = dict.fromkeys(ids)
    for start in range(0, len(ids), BATCH_SIZE):
        products = await catalog_service.get_products(
            session, store_id, ids[start : start + BATCH_SIZE]
        )
        for doc in await _documents(session, store_id, products, categories, currency):
            if doc is not None:
                out[doc.id] = doc
    return out


async def changed_product_ids(
    session: AsyncSession, store_id: int, *, since: dt.datetime
) -> tuple[list[int], dt.datetime | None]:
    """Ids of products changed at or after `since` and the latest change seen."""
    ids: list[int] = []
    after: tuple[dt.datetime, int] | None = None
    while True:
        page = await catalog_service.changed_since(
            session, store_id, since=since, after=after, limit=1000
        )
        ids.extend(change.id for change in page)
        if len(page) < 1000:
            return ids, (page[-1].updated_at if page else after[0] if after else None)
        after = (page[-1].updated_at, page[-1].id)


async def deleted_product_ids(
    session: AsyncSession, store_id: int, *, after_entry: int
) -> tuple[list[int], int]:
    """Ids of products deleted after an audit entry, and the last entry read."""
    actor = Actor.system(store_id, "search")
    ids: list[int] = []
    last = after_entry
    while True:
        entries = await audit_service.list_entries(
            session, actor, action="product.delete", after_id=last, limit=500
        )
        for entry in entries:
            if entry.subject_id and str(entry.subject_id).isdigit():
                ids.append(int(entry.subject_id))
        if entries:
            last = entries[-1].id
        if len(entries) < 500:
            return ids, last
