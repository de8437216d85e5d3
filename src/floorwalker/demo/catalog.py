"""Plan the demo catalog: category tree, brands, products, variants, pictures, locations, stock.

Stock is planned here but written last (`emit_inventory`), after the orders have reserved units
for pending and processing orders.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

from floorwalker.demo.plan import Plan, Ref
from floorwalker.demo.products import option_codes, plan_product, plan_stock
from floorwalker.demo.records import Catalog, ProductInfo, normalise_words, slugify
from floorwalker.demo.vocab.catalog import BRANDS, CATEGORIES, MODEL_NAMES, PRODUCT_TYPES

#: (code, name, region it ships to) — two distribution centres and the flagship shop.
LOCATIONS: tuple[tuple[str, str, str], ...] = (
    ("DC-WEST", "West Coast Distribution Center (Reno, NV)", "west"),
    ("DC-EAST", "East Coast Distribution Center (Columbus, OH)", "east"),
    ("PDX", "Portland Flagship Store", "store"),
)

PRODUCTS_AT_FULL_SCALE = 2200


def _type_counts(total: int) -> list[int]:
    shares = sum(t.share for t in PRODUCT_TYPES)
    counts = [max(1, round(t.share * total / shares)) for t in PRODUCT_TYPES]
    index = 0
    while sum(counts) < total:  # rounding can fall a few short of the promise
        counts[index % len(counts)] += 1
        index += 1
    return counts


def plan_catalog(plan: Plan, rng: random.Random, *, now: dt.datetime, scale: float) -> Catalog:
    """Add categories, brands, products, variants, pictures and locations to the plan."""
    categories: dict[str, Ref] = {}
    for position, (slug, name, parent) in enumerate(CATEGORIES):
        path = name if parent is None else f"{plan.row(categories[parent])['path']} > {name}"
        categories[slug] = plan.add(
            "categories",
            {
                "parent_id": categories[parent] if parent else None,
                "name": name,
                "slug": slug,
                "path": path,
                "position": position,
                "source": "demo",
                "created_at": now - dt.timedelta(days=1200),
                "updated_at": now - dt.timedelta(days=1200),
            },
        )
    category_names = {slug: name for slug, name, _ in CATEGORIES}
    brands: dict[str, Ref] = {}
    for name, _code, _families in BRANDS:
        brands[name] = plan.add(
            "brands",
            {
                "name": name,
                "slug": slugify(name),
                "created_at": now - dt.timedelta(days=1200),
                "updated_at": now - dt.timedelta(days=1200),
            },
        )
    locations = {
        code: plan.add(
            "locations",
            {
                "code": code,
                "name": name,
                "active": True,
                "source": "demo",
                "created_at": now - dt.timedelta(days=1200),
                "updated_at": now - dt.timedelta(days=1200),
            },
        )
        for code, name, _region in LOCATIONS
    }

    products: list[ProductInfo] = []
    by_type: dict[str, list[ProductInfo]] = {}
    titles: set[str] = set()
    serial = itertools.count(1)
    target = max(len(PRODUCT_TYPES), round(PRODUCTS_AT_FULL_SCALE * scale))
    for ptype, count in zip(PRODUCT_TYPES, _type_counts(target), strict=True):
        makers = [(n, c) for n, c, fams in BRANDS if ptype.family in fams]
        codes = {spec.name: option_codes(spec) for spec in ptype.options}
        by_type[ptype.key] = []
        for position in range(count):
            brand, brand_code = rng.choice(makers + makers[:1])  # the first maker leads
            for attempt in range(60):
                model = rng.choice(MODEL_NAMES)
                descriptor = rng.choice(ptype.descriptors) if rng.random() < 0.8 else ""
                words = [ptype.audience or "", model, descriptor, ptype.name]
                title = " ".join(w for w in words if w)
                if attempt >= 50:
                    title += f" {attempt - 48}"
                if title not in titles:
                    break
            titles.add(title)
            products.append(
                product := plan_product(
                    plan,
                    rng,
                    ptype=ptype,
                    index=len(products),
                    title=title,
                    model=model,
                    descriptor=descriptor,
                    brand=brand,
                    brand_code=brand_code,
                    brand_ref=brands[brand],
                    category_ref=categories[ptype.category],
                    codes=codes,
                    serial=serial,
                    now=now,
                    evergreen=position == 0,
                )
            )
            by_type[ptype.key].append(product)

    tokens: dict[str, set[int]] = {}
    for product in products:
        text = " ".join(
            [product.title, product.brand, category_names[product.ptype.category]]
            + [v for variant in product.variants for v in variant.options.values()]
            + [str(plan.row(product.ref)["attributes"].get("material", ""))]
        )
        text = text.replace("Women's", "women womens").replace("Men's", "men mens")
        for word in normalise_words(text.replace("Kids'", "kids kid")):
            tokens.setdefault(word, set()).add(product.index)
    plan_stock(rng, products)
    in_stock = {p.index for p in products if any(v.total_available() for v in p.variants)}
    cumulative = {
        key: list(itertools.accumulate(1.0 / (rank + 1) ** 0.85 for rank in range(len(items))))
        for key, items in by_type.items()
    }
    for items in by_type.values():  # popularity is by rank; shuffle who ranks first
        rng.shuffle(items)
    return Catalog(products, by_type, cumulative, locations, tokens, in_stock)


def emit_inventory(plan: Plan, catalog: Catalog, *, now: dt.datetime) -> None:
    """Add an inventory level per variant and stocking location (after reservations)."""
    for product in catalog.products:
        for variant in product.variants:
            for code, on_hand in variant.on_hand.items():
                plan.add(
                    "inventory_levels",
                    {
                        "variant_id": variant.ref,
                        "location_id": catalog.locations[code],
                        "on_hand": on_hand,
                        "reserved": variant.reserved.get(code, 0),
                        "created_at": product.created_at,
                        "updated_at": now - dt.timedelta(hours=1),
                    },
                )
