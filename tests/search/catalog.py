"""A small shop written through the catalog and inventory services, for search tests.

Fourteen products in seven categories and five brands. Stock is set per variant at one
location; the comments say what each product is there to prove.
"""

from __future__ import annotations

from typing import Any

from floorwalker.catalog import service as catalog_service
from floorwalker.inventory import service as inventory_service
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories


def _variant(sku: str, price: int, stock: int, **options: str) -> dict[str, Any]:
    return {"sku": sku, "price": price, "options": options, "_stock": stock}


PRODUCTS: list[dict[str, Any]] = [
    {
        "handle": "red-linen-dress",
        "title": "Red Linen Dress",
        "brand": "Acme",
        "category_path": "Women > Dresses",
        "product_type": "Dress",
        "description": "A breezy summer dress in pure linen.",
        "attributes": {"material": "Linen"},
        "variants": [
            _variant("RLD-S", 4500, 2, Colour="Red", Size="S"),
            _variant("RLD-M", 4500, 3, Colour="Red", Size="M"),
            _variant("RLD-L", 4500, 0, Colour="Red", Size="L"),
        ],
    },
    {
        "handle": "blue-linen-dress",
        "title": "Blue Linen Dress",
        "brand": "Bolt",
        "category_path": "Women > Dresses",
        "product_type": "Dress",
        "description": "A relaxed fit dress for warm days.",
        "attributes": {"material": "Linen"},
        "variants": [
            _variant("BLD-M", 5500, 5, Colour="Blue", Size="M"),
            _variant("BLD-L", 5500, 1, Colour="Blue", Size="L"),
        ],
    },
    {
        # Out of stock everywhere: found, but after what can be bought.
        "handle": "red-cotton-dress",
        "title": "Red Cotton Dress",
        "brand": "Bolt",
        "category_path": "Women > Dresses",
        "product_type": "Dress",
        "description": "A simple everyday dress.",
        "attributes": {"material": "Cotton"},
        "variants": [
            _variant("RCD-S", 3900, 0, Colour="Red", Size="S"),
            _variant("RCD-M", 3900, 0, Colour="Red", Size="M"),
        ],
    },
    {
        # "red" only in the description: ranks below dresses that are red by name.
        "handle": "floral-wrap-dress",
        "title": "Floral Wrap Dress",
        "brand": "Acme",
        "category_path": "Women > Dresses",
        "product_type": "Dress",
        "description": "A wrap dress printed with small red flowers.",
        "attributes": {"material": "Viscose"},
        "variants": [_variant("FWD-M", 6500, 4, Colour="Pink", Size="M")],
    },
    {
        "handle": "linen-shirt",
        "title": "Linen Shirt",
        "brand": "Northwind",
        "category_path": "Men > Shirts",
        "product_type": "Shirt",
        "description": "A crisp shirt, cool in summer.",
        "attributes": {"material": "Linen"},
        "variants": [
            _variant("LS-M", 4000, 3, Colour="White", Size="M"),
            _variant("LS-L", 4000, 3, Colour="White", Size="L"),
        ],
    },
    {
        "handle": "waterproof-hiking-boots",
        "title": "Waterproof Hiking Boots",
        "brand": "Trailhead",
        "category_path": "Footwear > Hiking Boots",
        "product_type": "Boots",
        "description": "Leather boots with a waterproof membrane for long hikes.",
        "attributes": {"material": "Leather", "waterproof": True},
        "variants": [
            _variant("WHB-9", 11000, 1, Colour="Brown", Size="9"),
            _variant("WHB-10", 11000, 2, Colour="Brown", Size="10"),
            _variant("WHB-11", 11000, 0, Colour="Brown", Size="11"),
        ],
    },
    {
        "handle": "alpine-leather-boots",
        "title": "Alpine Leather Boots",
        "brand": "Northwind",
        "category_path": "Footwear > Hiking Boots",
        "product_type": "Boots",
        "description": "A classic mountain boot, resoled for decades.",
        "attributes": {"material": "Leather"},
        "variants": [_variant("ALB-10", 15000, 2, Colour="Black", Size="10")],
    },
    {
        "handle": "trail-runner-shoes",
        "title": "Trail Runner Shoes",
        "brand": "Trailhead",
        "category_path": "Footwear > Sneakers",
        "product_type": "Shoes",
        "description": "Light shoes for running trails, with a waterproof lining.",
        "attributes": {"material": "Mesh"},
        "variants": [_variant("TRS-10", 9000, 4, Colour="Grey", Size="10")],
    },
    {
        "handle": "canvas-sneakers",
        "title": "Canvas Sneakers",
        "brand": "Bolt",
        "category_path": "Footwear > Sneakers",
        "product_type": "Sneakers",
        "description": "Everyday canvas shoes.",
        "attributes": {"material": "Canvas"},
        "variants": [
            _variant("CS-9", 6000, 5, Colour="White", Size="9"),
            _variant("CS-10", 6000, 5, Colour="Black", Size="10"),
        ],
    },
    {
        "handle": "black-daypack",
        "title": "Black Daypack 20L",
        "brand": "The North Face",
        "category_path": "Bags > Backpacks",
        "product_type": "Backpack",
        "description": "A light pack for day hikes.",
        "attributes": {"material": "Nylon"},
        "variants": [_variant("BDP", 8000, 3, Colour="Black")],
    },
    {
        "handle": "travel-backpack",
        "title": "Travel Backpack 40L",
        "brand": "Northwind",
        "category_path": "Bags > Backpacks",
        "product_type": "Backpack",
        "description": "Carry-on size pack with a laptop sleeve.",
        "attributes": {"material": "Nylon"},
        "variants": [
            _variant("TBP-BLK", 12000, 2, Colour="Black"),
            _variant("TBP-GRN", 12000, 2, Colour="Green"),
        ],
    },
    {
        # The cheapest black backpack; its blue variant is cheaper still.
        "handle": "kids-backpack",
        "title": "Kids Backpack",
        "brand": "Acme",
        "category_path": "Bags > Backpacks",
        "product_type": "Backpack",
        "description": "A small pack for school.",
        "attributes": {"material": "Polyester"},
        "variants": [
            _variant("KBP-BLK", 3500, 1, Colour="Black"),
            _variant("KBP-BLU", 3000, 1, Colour="Blue"),
        ],
    },
    {
        "handle": "merino-hiking-socks",
        "title": "Merino Hiking Socks",
        "brand": "Trailhead",
        "category_path": "Accessories > Socks",
        "product_type": "Socks",
        "description": "Cushioned socks to wear with hiking boots.",
        "attributes": {"material": "Merino"},
        "variants": [_variant("MHS-M", 1800, 10, Colour="Grey", Size="M")],
    },
    {
        "handle": "striped-tee",
        "title": "Striped Tee",
        "brand": "Acme",
        "category_path": "Women > Tops",
        "product_type": "T-Shirt",
        "description": "A soft cotton top with navy stripes.",
        "attributes": {"material": "Cotton"},
        "variants": [_variant("ST-M", 2000, 3, Colour="White", Size="M")],
    },
]


async def build_catalog(db: Database, store: Store) -> dict[str, int]:
    """Write the shop into the store; returns product ids by handle."""
    actor = Actor.system(store.id)
    records = []
    stock: dict[str, int] = {}
    for spec in PRODUCTS:
        variants = []
        for variant in spec["variants"]:
            stock[variant["sku"]] = variant["_stock"]
            variants.append({k: v for k, v in variant.items() if not k.startswith("_")})
        records.append({**spec, "variants": variants})
    async with db.transaction() as session:
        summary = await catalog_service.upsert_products(session, actor, records)
        assert summary.failed == 0, summary.results
        await factories.create_location(session, store, code="WH1")
        levels = await inventory_service.set_levels(
            session,
            actor,
            [{"sku": sku, "location_code": "WH1", "on_hand": qty} for sku, qty in stock.items()],
        )
        assert levels.failed == 0, levels.results
        products = await catalog_service.list_products(session, store.id, limit=100)
    return {p.handle: p.id for p in _items(products)}


def _items(page: Any) -> list[Any]:
    return list(getattr(page, "items", page))
