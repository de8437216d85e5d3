"""Product data and cards, built from the catalog and inventory services.

Product text (titles, descriptions, attributes) comes from the retailer's catalog and is handed
to models strictly as data; nothing in it changes which tools may run or for whom.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.assistant.context import StoreInfo
from floorwalker.assistant.tools.base import ToolFailure
from floorwalker.catalog import service as catalog_service
from floorwalker.inventory import service as inventory_service

DESCRIPTION_LIMIT = 700


def product_url(store: StoreInfo, handle: str) -> str | None:
    """The product page on the retailer's site, if the store set a template."""
    template = store.settings.product_url_template
    return template.replace("{handle}", handle) if template else None


async def load_products(
    session: AsyncSession, store: StoreInfo, product_ids: Sequence[int]
) -> list[dict[str, Any]]:
    """Active products of the store by id (unknown, hidden or foreign ids are skipped)."""
    products = [
        p
        for p in await catalog_service.get_products(session, store.id, list(product_ids))
        if p.status == "active"
    ]
    variant_ids = [v.id for p in products for v in p.variants if v.status == "active"]
    stock = await inventory_service.available(session, store.id, variant_ids)
    return [product_data(p, stock, store) for p in products]


async def load_product(session: AsyncSession, store: StoreInfo, product_id: int) -> dict[str, Any]:
    """One active product of the store; raises ToolFailure(product_not_found)."""
    found = await load_products(session, store, [product_id])
    if not found:
        raise ToolFailure("product_not_found", f"There is no product {product_id} in this store.")
    return found[0]


def product_data(product: Any, stock: Mapping[int, int], store: StoreInfo) -> dict[str, Any]:
    """What a model (and the local templates) see of a product."""
    variants = [
        {
            "variant_id": v.id,
            "sku": v.sku,
            "options": {str(k): str(val) for k, val in (v.options or {}).items()},
            "price": v.price,
            "compare_at_price": v.compare_at_price,
            "available": stock.get(v.id, 0),
        }
        for v in product.variants
        if v.status == "active"
    ]
    prices = [v["price"] for v in variants] or [0]
    options: dict[str, list[str]] = {}
    for variant in variants:
        for name, value in variant["options"].items():
            if value not in options.setdefault(name, []):
                options[name].append(value)
    description = product.description or ""
    if len(description) > DESCRIPTION_LIMIT:
        description = description[:DESCRIPTION_LIMIT].rsplit(" ", 1)[0] + "…"
    image = product.images[0].url if product.images else None
    return {
        "product_id": product.id,
        "handle": product.handle,
        "title": product.title,
        "brand": product.brand.name if product.brand is not None else None,
        "category": product.category.path or product.category.name
        if product.category is not None
        else None,
        "product_type": product.product_type,
        "description": description,
        "attributes": product.attributes or {},
        "tags": product.tags or [],
        "currency": store.currency,
        "price_min": min(prices),
        "price_max": max(prices),
        "options": options,
        "variants": variants,
        "available": sum(v["available"] for v in variants),
        "image_url": image,
        "url": product_url(store, product.handle),
    }


def product_card(data: Mapping[str, Any], store: StoreInfo) -> dict[str, Any]:
    """The product card the widget shows (with add-to-cart per variant)."""
    low, high = data["price_min"], data["price_max"]
    price = store.money(low) if low == high else f"{store.money(low)}–{store.money(high)}"
    return {
        "type": "product",
        "product_id": data["product_id"],
        "title": data["title"],
        "brand": data.get("brand"),
        "price_display": price,
        "price_min": low,
        "price_max": high,
        "currency": store.currency,
        "image_url": data.get("image_url"),
        "url": data.get("url"),
        "in_stock": data.get("available", 0) > 0,
        "variants": [
            {
                "variant_id": v["variant_id"],
                "label": " / ".join(v["options"].values()) or "Default",
                "price_display": store.money(v["price"]),
                "in_stock": v["available"] > 0,
            }
            for v in data.get("variants", [])
        ],
    }
