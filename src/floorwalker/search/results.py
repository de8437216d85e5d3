"""Engine results turned into what the API returns: product cards and labelled facets."""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

from floorwalker.kit.money import exponent, format_money
from floorwalker.search.documents import value_key
from floorwalker.search.engine.executor import Hit
from floorwalker.search.engine.filtering import NO_PRICE, FacetCounts
from floorwalker.search.engine.query import Filters
from floorwalker.search.engine.store_index import StoreIndex
from floorwalker.search.schemas import Facet, FacetValue, ProductHit, VariantHit

#: Values shown per facet (the most frequent).
MAX_FACET_VALUES = 50
#: Price buckets aimed for.
PRICE_BUCKETS = 6
_FACET_ORDER = {"size": 0, "colour": 1, "material": 2}
_SIZE_ORDER = {s: i for i, s in enumerate(["xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl"])}
_FACET_LABELS = {"size": "Size", "colour": "Colour", "material": "Material"}


def product_url(template: str | None, doc_handle: str, doc_id: int) -> str | None:
    """A product page link from the store's template ("…/products/{handle}")."""
    if not template:
        return None
    return template.replace("{handle}", doc_handle).replace("{id}", str(doc_id))


def to_hit(hit: Hit, index: StoreIndex) -> ProductHit:
    """The product card of an engine hit."""
    doc = hit.doc
    matched = set(hit.matched_variant_ids)
    cheapest = min(
        (v for v in doc.variants if v.id in matched),
        key=lambda v: (v.price, v.id),
        default=doc.variants[0],
    )
    compare_at = cheapest.compare_at_price
    return ProductHit(
        product_id=doc.id,
        handle=doc.handle,
        title=doc.title,
        brand=doc.brand,
        category=doc.category_path,
        category_id=doc.category_id,
        product_type=doc.product_type,
        price=hit.price if hit.price != NO_PRICE else cheapest.price,
        price_max=max(v.price for v in doc.variants),
        compare_at_price=compare_at if compare_at and compare_at > cheapest.price else None,
        currency=doc.currency,
        image_url=cheapest.image_url or doc.image_url,
        url=product_url(index.meta.product_url_template, doc.handle, doc.id),
        in_stock=hit.in_stock,
        score=round(hit.score, 6),
        variants=[
            VariantHit(
                id=v.id,
                sku=v.sku,
                title=v.title,
                options=v.options,
                price=v.price,
                compare_at_price=v.compare_at_price,
                in_stock=v.in_stock,
                matches=v.id in matched,
                image_url=v.image_url,
            )
            for v in doc.variants
        ],
    )


def facets(counts: FacetCounts, index: StoreIndex, filters: Filters) -> list[Facet]:
    """Labelled facets in display order: category, brand, price, options, stock."""
    d = index.dictionary
    out: list[Facet] = []
    selected_categories = {c for group in filters.category_groups for c in group}
    categories = index.meta.categories
    cat_values = []
    for dense in np.flatnonzero(counts.categories):
        catalog_id = d.category_catalog_ids[int(dense)]
        entry = categories.get(catalog_id)
        label = (entry.path or entry.name) if entry else str(catalog_id)
        cat_values.append(
            FacetValue(
                value=str(catalog_id),
                label=label,
                count=int(counts.categories[dense]),
                selected=catalog_id in selected_categories,
            )
        )
    if cat_values:
        out.append(
            Facet(name="category", label="Category", kind="category", values=_top(cat_values))
        )
    brand_values = [
        FacetValue(
            value=d.brand_labels[int(b)],
            label=d.brand_labels[int(b)],
            count=int(counts.brands[b]),
            selected=value_key(d.brand_labels[int(b)]) in filters.brands,
        )
        for b in np.flatnonzero(counts.brands)
    ]
    if brand_values:
        out.append(Facet(name="brand", label="Brand", kind="brand", values=_top(brand_values)))
    prices = np.concatenate(counts.prices) if counts.prices else np.array([], np.int64)
    price_values = price_buckets(prices, index.meta.currency, filters)
    if price_values:
        out.append(Facet(name="price", label="Price", kind="price", values=price_values))
    out.extend(_option_facets(counts, index, filters))
    if counts.any_stock:
        out.append(
            Facet(
                name="in_stock",
                label="Availability",
                kind="stock",
                values=[
                    FacetValue(
                        value="true",
                        label="In stock",
                        count=counts.in_stock,
                        selected=filters.in_stock,
                    ),
                    FacetValue(
                        value="false",
                        label="Out of stock",
                        count=counts.any_stock - counts.in_stock,
                    ),
                ],
            )
        )
    return out


def _top(values: list[FacetValue]) -> list[FacetValue]:
    values.sort(key=lambda v: (-v.count, v.label.casefold()))
    return values[:MAX_FACET_VALUES]


def _size_key(label: str) -> tuple[int, float, str]:
    key = value_key(label)
    if key in _SIZE_ORDER:
        return (0, _SIZE_ORDER[key], key)
    number = re.search(r"\d+(?:\.\d+)?", key)
    if number:
        return (1, float(number.group(0)), key)
    return (2, 0.0, key)


def _option_facets(counts: FacetCounts, index: StoreIndex, filters: Filters) -> list[Facet]:
    d = index.dictionary
    wanted = {name: {value_key(v) for v in values} for name, values in filters.options}
    by_facet: dict[int, list[FacetValue]] = {}
    facet_of = d.value_facets
    for vid in np.flatnonzero(counts.values):
        fid = int(facet_of[vid])
        name = d.facet_names[fid]
        key = d.value_keys[int(vid)]
        by_facet.setdefault(fid, []).append(
            FacetValue(
                value=d.value_labels[int(vid)],
                label=d.value_labels[int(vid)],
                count=int(counts.values[vid]),
                selected=key in wanted.get(name, set()),
            )
        )
    out = []
    for fid, values in by_facet.items():
        name = d.facet_names[fid]
        if name == "size":
            values.sort(key=lambda v: _size_key(v.label))
            values = values[:MAX_FACET_VALUES]
        else:
            values = _top(values)
        label = _FACET_LABELS.get(name, name.replace("_", " ").capitalize())
        out.append(Facet(name=name, label=label, kind="option", values=values))
    out.sort(key=lambda f: (_FACET_ORDER.get(f.name, 9), f.name))
    return out


def price_buckets(
    prices: npt.NDArray[np.int64], currency: str, filters: Filters
) -> list[FacetValue]:
    """Round-numbered price ranges over the results' prices, empty ranges left out."""
    prices = prices[prices != NO_PRICE]
    if len(prices) == 0:
        return []
    low, high = int(prices.min()), int(prices.max())
    unit = 10 ** exponent(currency)
    step = unit
    for multiplier in _nice_steps():
        step = multiplier * unit
        if high // step - low // step + 1 <= PRICE_BUCKETS:
            break
    first = low // step
    counts = np.bincount((prices // step - first).astype(np.int64))
    values = []
    for i, count in enumerate(counts):
        if count == 0:
            continue
        lo = int((first + i) * step)
        hi = int((first + i + 1) * step - 1)
        values.append(
            FacetValue(
                value=f"{lo}-{hi}",
                label=f"{format_money(lo, currency)} – {format_money(hi, currency)}",
                count=int(count),
                selected=filters.price_min == lo and filters.price_max == hi,
                min=lo,
                max=hi,
            )
        )
    return values


def _nice_steps() -> list[int]:
    return [m * 10**e for e in range(0, 10) for m in (1, 2, 5)]
