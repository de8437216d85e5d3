"""Merchant Center items → products with variants (grouped by `item_group_id`) and stock.

Each item is a variant; items sharing an `item_group_id` are one product (an item without one
is a product of its own). `price` with a lower `sale_price` becomes price and compare-at
price. `availability` sets stock at the feed's location: out_of_stock → 0, anything else → the
import's in-stock quantity (a feed says whether, not how many).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from floorwalker.connectors.merchant_feed.parse import FeedItem
from floorwalker.kit.money import MoneyError, parse_money

#: Attributes that vary between the items of a group, in display order.
OPTION_ATTRIBUTES = ("color", "size", "material", "pattern", "size_type")
OPTION_NAMES = {
    "color": "Colour",
    "size": "Size",
    "material": "Material",
    "pattern": "Pattern",
    "size_type": "Fit",
}
AVAILABLE = {"in_stock", "in stock", "preorder", "backorder", "limited_availability"}
LOCATION_CODE = "merchant-feed"


@dataclass
class FeedProduct:
    """A product built from one group of items, with the positions it came from."""

    positions: list[int]
    record: dict[str, Any] | None
    levels: list[dict[str, Any]] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)


def _text(item: FeedItem, name: str) -> str | None:
    value = item.attributes.get(name)
    if isinstance(value, list):
        return value[0] if value else None
    return value or None


def _money(item: FeedItem, name: str, currency: str) -> tuple[int, str] | None:
    value = _text(item, name)
    if value is None:
        return None
    try:
        return parse_money(value, currency)
    except MoneyError as exc:
        raise ValueError(name) from exc


def _title(titles: list[str], values: Iterable[str]) -> str:
    """The group's title: shared by all items, or the first without its variant words."""
    if len(set(titles)) == 1:
        return titles[0]
    words = [t.split() for t in titles]
    shared: list[str] = []
    for column in zip(*words, strict=False):
        if len(set(column)) != 1:
            break
        shared.append(column[0])
    common = " ".join(shared).rstrip(" -–,/|(")
    if len(common) >= 3:
        return common
    title = titles[0]
    for value in values:
        title = title.replace(value, "")
    return title.strip(" -–,/|") or titles[0]


def group(items: Iterable[FeedItem]) -> dict[str, list[FeedItem]]:
    """Items by product: `item_group_id`, or the item's own id."""
    groups: dict[str, list[FeedItem]] = {}
    for item in items:
        key = _text(item, "item_group_id") or _text(item, "id") or f"position-{item.position}"
        groups.setdefault(key, []).append(item)
    return groups


def product(
    key: str, items: list[FeedItem], *, source: str, currency: str, in_stock: int
) -> FeedProduct:
    """One product record (and its stock levels) from a group of items."""
    built = FeedProduct(positions=[i.position for i in items], record=None)
    options_used = [a for a in OPTION_ATTRIBUTES if any(_text(i, a) for i in items)]
    variants: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        offer = _text(item, "id")
        if offer is None:
            built.problems.append((item.position, "id", "every item needs an id"))
            continue
        try:
            price = _money(item, "price", currency)
            sale = _money(item, "sale_price", currency)
        except ValueError as exc:
            built.problems.append((item.position, str(exc), "not a price, e.g. 19.99 USD"))
            continue
        if price is None:
            built.problems.append((item.position, "price", "every item needs a price"))
            continue
        amount, item_currency = price
        compare = None
        if sale is not None and sale[0] < amount:
            amount, compare = sale[0], price[0]
        variants.append(
            {
                "external_id": offer,
                "sku": offer,
                "barcode": _text(item, "gtin"),
                "options": {OPTION_NAMES[a]: v for a in options_used if (v := _text(item, a))},
                "price": amount,
                "compare_at_price": compare,
                "currency": item_currency,
                "position": index,
                "image_url": _text(item, "image_link"),
            }
        )
        availability = (_text(item, "availability") or "in_stock").lower()
        built.levels.append(
            {
                "source": source,
                "variant_external_id": offer,
                "location_code": LOCATION_CODE,
                "on_hand": in_stock if availability in AVAILABLE else 0,
            }
        )
    if built.problems:
        built.levels = []
        return built
    first = items[0]
    titles = [_text(i, "title") or "" for i in items]
    option_values = [v for variant in variants for v in variant["options"].values()]
    images = [u for u in [_text(first, "image_link")] if u]
    extra = first.attributes.get("additional_image_link")
    images += extra if isinstance(extra, list) else ([extra] if extra else [])
    built.record = {
        "source": source,
        "external_id": key,
        "title": _title([t for t in titles if t] or [key], option_values),
        "description": _text(first, "description") or "",
        "brand": _text(first, "brand"),
        "category_path": _text(first, "product_type"),
        "status": "active",
        "option_names": [OPTION_NAMES[a] for a in options_used],
        "attributes": {
            k: v
            for k in ("gender", "age_group", "condition", "google_product_category", "link")
            if (v := _text(first, k))
        },
        "images": [{"url": u} for u in dict.fromkeys(images)],
        "variants": variants,
    }
    return built
