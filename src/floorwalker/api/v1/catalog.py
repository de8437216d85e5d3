"""Products, variants, categories and brands: upsert (one or a batch of 1,000) and read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Annotated, TypeVar

from fastapi import APIRouter, Query, Response

from floorwalker.api.deps import AdminActor, ReadActor, SessionDep, WriteActor
from floorwalker.api.params import IdPath
from floorwalker.catalog import schemas
from floorwalker.catalog import service as catalog_service
from floorwalker.catalog.errors import ProductNotFound
from floorwalker.catalog.schemas import ProductStatus
from floorwalker.inventory import service as inventory_service
from floorwalker.kit.clock import ensure_aware
from floorwalker.kit.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from floorwalker.kit.upsert import MAX_ID, BatchRequest, UpsertStatus, UpsertSummary

#: Ids in paths and filters: larger numbers than a row id can hold are a 422, not a crash.
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]

router = APIRouter(tags=["catalog"])

T = TypeVar("T")
Limit = Query(default=50, ge=1, le=500, description="Page size.")


def _page(items: Sequence[T], size: int, id_of: Callable[[T], int]) -> Page[T]:
    """The first `size` items and, when there were more, the cursor after the last one."""
    kept = list(items[:size])
    cursor = encode_cursor(id_of(kept[-1])) if len(items) > size and kept else None
    return Page[T](items=kept, next_cursor=cursor)


def _status_code(response: Response, status: UpsertStatus) -> None:
    response.status_code = 201 if status is UpsertStatus.CREATED else 200


# ---------------------------------------------------------------- products


@router.get("/products", response_model=Page[schemas.Product])
async def list_products(
    actor: ReadActor,
    session: SessionDep,
    status: ProductStatus | None = None,
    category_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Includes subcategories.")
    ] = None,
    brand_id: IdQuery = None,
    sku: str | None = Query(default=None, description="Products with a variant of this SKU."),
    handle: str | None = None,
    source: str | None = None,
    external_id: str | None = None,
    product_type: str | None = None,
    updated_since: dt.datetime | None = Query(
        default=None, description="Changed at or after this time (stock changes included)."
    ),
    cursor: str | None = None,
    limit: int = Limit,
) -> Page[schemas.Product]:
    """List products with variants, stock, images, brand and category, oldest first."""
    size = clamp_limit(limit)
    products = await catalog_service.list_product_documents(
        session,
        actor.store_id,
        after_id=decode_cursor(cursor),
        limit=size + 1,
        status=status.value if status else None,
        category_id=category_id,
        brand_id=brand_id,
        sku=sku,
        handle=handle,
        source=source,
        external_id=external_id,
        product_type=product_type,
        updated_since=ensure_aware(updated_since) if updated_since else None,
    )
    shown = await inventory_service.with_stock(session, actor.store_id, products[:size])
    more = len(products) > size
    return Page[schemas.Product](
        items=shown, next_cursor=encode_cursor(shown[-1].id) if more else None
    )


@router.get("/products/{product_id}", response_model=schemas.Product)
async def read_product(
    product_id: IdPath, actor: ReadActor, session: SessionDep
) -> schemas.Product:
    """Read a product with everything nested, including stock per variant and location."""
    found = await inventory_service.read_products(session, actor.store_id, [product_id])
    if not found:
        raise ProductNotFound(product_id)
    return found[0]


async def _upserted(
    session: SessionDep, actor: WriteActor, status: UpsertStatus, product_id: int
) -> schemas.ProductUpserted:
    (shown,) = await inventory_service.read_products(session, actor.store_id, [product_id])
    return schemas.ProductUpserted(status=status.value, product=shown)


@router.post("/products", response_model=schemas.ProductUpserted)
async def upsert_product(
    data: schemas.ProductUpsert, actor: WriteActor, session: SessionDep, response: Response
) -> schemas.ProductUpserted:
    """Create or update a product (matched by id, source + external_id, then handle)."""
    status, product = await catalog_service.upsert_product(session, actor, data)
    _status_code(response, status)
    return await _upserted(session, actor, status, product.id)


@router.patch("/products/{product_id}", response_model=schemas.ProductUpserted)
async def update_product(
    product_id: IdPath, data: schemas.ProductUpsert, actor: WriteActor, session: SessionDep
) -> schemas.ProductUpserted:
    """Change the fields of a product that the body carries."""
    record = data.model_copy(update={"id": product_id})
    record.model_fields_set.add("id")
    status, product = await catalog_service.upsert_product(session, actor, record)
    return await _upserted(session, actor, status, product.id)


@router.post("/products/batch", response_model=UpsertSummary)
async def upsert_products(
    data: BatchRequest, actor: WriteActor, session: SessionDep
) -> UpsertSummary:
    """Create or update up to 1,000 products; each record gets its own result."""
    return await catalog_service.upsert_products(session, actor, data.checked())


@router.delete("/products/{product_id}", status_code=204)
async def delete_product(product_id: IdPath, actor: AdminActor, session: SessionDep) -> None:
    """Delete a product with its variants, images and stock (orders keep their lines)."""
    await catalog_service.delete_product(session, actor, product_id)


# ---------------------------------------------------------------- variants


@router.get("/variants", response_model=Page[schemas.Variant])
async def list_variants(
    actor: ReadActor,
    session: SessionDep,
    product_id: IdQuery = None,
    sku: str | None = None,
    barcode: str | None = None,
    source: str | None = None,
    external_id: str | None = None,
    cursor: str | None = None,
    limit: int = Limit,
) -> Page[schemas.Variant]:
    """List variants with their stock, oldest first."""
    size = clamp_limit(limit)
    variants = await catalog_service.list_variants(
        session,
        actor.store_id,
        after_id=decode_cursor(cursor),
        limit=size + 1,
        product_id=product_id,
        sku=sku,
        barcode=barcode,
        source=source,
        external_id=external_id,
    )
    stock = await inventory_service.stock_by_variant(
        session, actor.store_id, [v.id for v in variants]
    )
    shown = [
        schemas.Variant.model_validate(v).model_copy(update={"stock": stock[v.id]})
        for v in variants
    ]
    return _page(shown, size, lambda v: v.id)


@router.get("/variants/{variant_id}", response_model=schemas.Variant)
async def read_variant(
    variant_id: IdPath, actor: ReadActor, session: SessionDep
) -> schemas.Variant:
    """Read a variant with its stock per location."""
    variant = await catalog_service.get_variant_or_raise(session, actor.store_id, variant_id)
    stock = await inventory_service.stock_by_variant(session, actor.store_id, [variant.id])
    return schemas.Variant.model_validate(variant).model_copy(update={"stock": stock[variant.id]})


# ---------------------------------------------------------------- categories


@router.get("/categories", response_model=Page[schemas.Category])
async def list_categories(
    actor: ReadActor,
    session: SessionDep,
    parent_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Only the children of this one.")
    ] = None,
    roots: bool = Query(default=False, description="Only the top-level categories."),
    cursor: str | None = None,
    limit: int = Limit,
) -> Page[schemas.Category]:
    """List categories, oldest first; each carries its full path."""
    size = clamp_limit(limit)
    categories = await catalog_service.list_categories(
        session,
        actor.store_id,
        after_id=decode_cursor(cursor),
        limit=size + 1,
        parent_id=parent_id,
        roots_only=roots,
    )
    return _page(categories, size, lambda c: c.id)


@router.get("/categories/{category_id}", response_model=schemas.Category)
async def read_category(
    category_id: IdPath, actor: ReadActor, session: SessionDep
) -> schemas.Category:
    """Read a category with its path."""
    category = await catalog_service.get_category_or_raise(session, actor.store_id, category_id)
    return schemas.Category.model_validate(category)


@router.post("/categories", response_model=schemas.Category)
async def upsert_category(
    data: schemas.CategoryUpsert, actor: WriteActor, session: SessionDep, response: Response
) -> schemas.Category:
    """Create or update a category; renaming or moving it rewrites the paths below it."""
    result = (await catalog_service.upsert_categories(session, actor, [data])).one()
    _status_code(response, result.status)
    assert result.id is not None
    category = await catalog_service.get_category_or_raise(session, actor.store_id, result.id)
    return schemas.Category.model_validate(category)


@router.post("/categories/batch", response_model=UpsertSummary)
async def upsert_categories(
    data: BatchRequest, actor: WriteActor, session: SessionDep
) -> UpsertSummary:
    """Create or update up to 1,000 categories in order (parents before children)."""
    return await catalog_service.upsert_categories(session, actor, data.checked())


@router.delete("/categories/{category_id}", status_code=204)
async def delete_category(category_id: IdPath, actor: AdminActor, session: SessionDep) -> None:
    """Delete a category; its children move up to its parent, its products lose it."""
    await catalog_service.delete_category(session, actor, category_id)


# ---------------------------------------------------------------- brands


@router.get("/brands", response_model=Page[schemas.Brand])
async def list_brands(
    actor: ReadActor, session: SessionDep, cursor: str | None = None, limit: int = Limit
) -> Page[schemas.Brand]:
    """List brands, oldest first."""
    size = clamp_limit(limit)
    brands = await catalog_service.list_brands(
        session, actor.store_id, after_id=decode_cursor(cursor), limit=size + 1
    )
    return _page(brands, size, lambda b: b.id)


@router.get("/brands/{brand_id}", response_model=schemas.Brand)
async def read_brand(brand_id: IdPath, actor: ReadActor, session: SessionDep) -> schemas.Brand:
    """Read a brand."""
    brand = await catalog_service.get_brand_or_raise(session, actor.store_id, brand_id)
    return schemas.Brand.model_validate(brand)


@router.post("/brands", response_model=schemas.Brand)
async def upsert_brand(
    data: schemas.BrandUpsert, actor: WriteActor, session: SessionDep, response: Response
) -> schemas.Brand:
    """Create or update a brand."""
    result = (await catalog_service.upsert_brands(session, actor, [data])).one()
    _status_code(response, result.status)
    assert result.id is not None
    brand = await catalog_service.get_brand_or_raise(session, actor.store_id, result.id)
    return schemas.Brand.model_validate(brand)


@router.post("/brands/batch", response_model=UpsertSummary)
async def upsert_brands(
    data: BatchRequest, actor: WriteActor, session: SessionDep
) -> UpsertSummary:
    """Create or update up to 1,000 brands."""
    return await catalog_service.upsert_brands(session, actor, data.checked())


@router.delete("/brands/{brand_id}", status_code=204)
async def delete_brand(brand_id: IdPath, actor: AdminActor, session: SessionDep) -> None:
    """Delete a brand; its products keep existing without one."""
    await catalog_service.delete_brand(session, actor, brand_id)
