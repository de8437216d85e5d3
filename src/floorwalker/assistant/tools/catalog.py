"""Catalog tools: search, product details, availability and comparison — open to anyone.

Search goes through the search service (its natural-language parser reads colours, sizes,
brands and price ranges out of the shopper's words). A verified shopper's stated preferences
(kept with consent) shape the search: disliked brands are left out, and when nothing else is
asked for, results in their size come first.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from floorwalker.assistant.context import TurnContext
from floorwalker.assistant.tools import memory
from floorwalker.assistant.tools.base import Tool, ToolArgs, ToolFailure, ToolOutput
from floorwalker.assistant.tools.products import load_product, load_products, product_card
from floorwalker.kit.money import to_minor
from floorwalker.logging import get_logger
from floorwalker.search import service as search_service
from floorwalker.search.schemas import ProductHit, SearchRequest, SearchResponse, Sort

log = get_logger(__name__)

RESULTS = 5


class SearchArgs(ToolArgs):
    """A product search."""

    query: str = Field(
        max_length=300,
        description="What the shopper wants, in their words (colours, sizes, materials, brands "
        "and price limits in the text are understood).",
    )
    max_price: float | None = Field(default=None, ge=0, description="Highest price (major units).")
    min_price: float | None = Field(default=None, ge=0, description="Lowest price (major units).")
    in_stock_only: bool = False
    sort: Literal["relevance", "price_asc", "price_desc", "newest"] | None = None
    page: int = Field(default=1, ge=1, le=20)


class ProductArgs(ToolArgs):
    """One product."""

    product_id: int = Field(description="The product id from a search result or card.")


class CompareArgs(ToolArgs):
    """Products to compare."""

    product_ids: list[int] = Field(min_length=2, max_length=4)


def hit_data(hit: ProductHit) -> dict[str, Any]:
    """What a model sees of a search hit."""
    options: dict[str, list[str]] = {}
    for variant in hit.variants:
        for name, value in variant.options.items():
            if value not in options.setdefault(name, []):
                options[name].append(value)
    return {
        "product_id": hit.product_id,
        "title": hit.title,
        "brand": hit.brand,
        "category": hit.category,
        "price_min": hit.price,
        "price_max": hit.price_max,
        "compare_at_price": hit.compare_at_price,
        "currency": hit.currency,
        "in_stock": hit.in_stock,
        "options": options,
        "url": hit.url,
    }


def hit_card(hit: ProductHit, ctx: TurnContext) -> dict[str, Any]:
    """The product card of a search hit."""
    store = ctx.store
    low, high = hit.price, hit.price_max
    price = store.money(low, hit.currency)
    if high != low:
        price = f"{price}–{store.money(high, hit.currency)}"
    return {
        "type": "product",
        "product_id": hit.product_id,
        "title": hit.title,
        "brand": hit.brand,
        "price_display": price,
        "price_min": low,
        "price_max": high,
        "currency": hit.currency,
        "image_url": hit.image_url,
        "url": hit.url,
        "in_stock": hit.in_stock,
        "variants": [
            {
                "variant_id": v.id,
                "label": " / ".join(v.options.values()) or "Default",
                "price_display": store.money(v.price, hit.currency),
                "in_stock": v.in_stock,
            }
            for v in hit.variants
        ],
    }


def _minor(ctx: TurnContext, value: float | None) -> int | None:
    return None if value is None else to_minor(str(value), ctx.store.currency)


async def _run_search(ctx: TurnContext, request: SearchRequest) -> SearchResponse:
    registry = ctx.runtime.search_registry()
    return await search_service.search(registry, ctx.actor, request=request)


async def search_products(ctx: TurnContext, args: SearchArgs) -> ToolOutput:
    """Search the catalogue; preferences the shopper stated shape the results."""
    await memory.ensure_loaded(ctx)
    request = SearchRequest(
        q=args.query,
        price_min=_minor(ctx, args.min_price),
        price_max=_minor(ctx, args.max_price),
        in_stock=args.in_stock_only,
        sort=Sort(args.sort) if args.sort else None,
        page=args.page,
        limit=RESULTS * 2,
        facets=False,
    )
    response = await _run_search(ctx, request)
    preferences = ctx.state.get("preferences") or {}
    hits = [h for h in response.hits if not _disliked(h, preferences)]
    applied: list[str] = []
    if len(hits) < len(response.hits):
        applied.append("left out brands you said you don't like")
    sized = _in_preferred_size(hits, response, preferences)
    if sized is not None:
        hits, size = sized
        applied.append(f"showing your size ({size}) first")
    hits = hits[:RESULTS]
    ctx.pending_searches.append(response)
    data: dict[str, Any] = {
        "query": args.query,
        "total": response.total,
        "products": [hit_data(h) for h in hits],
        "relaxed": [r.model_dump() for r in response.relaxed],
        "note": response.note,
        "preferences_applied": applied,
    }
    return ToolOutput(data=data, cards=[hit_card(h, ctx) for h in hits])


def _disliked(hit: ProductHit, preferences: dict[str, Any]) -> bool:
    avoided = {str(b).lower() for b in preferences.get("brands_disliked", [])}
    return bool(hit.brand and hit.brand.lower() in avoided)


def _in_preferred_size(
    hits: list[ProductHit], response: SearchResponse, preferences: dict[str, Any]
) -> tuple[list[ProductHit], str] | None:
    sizes = preferences.get("sizes") or {}
    if not sizes or (response.parsed is not None and response.parsed.options.get("size")):
        return None
    wanted = {str(s).lower() for s in (sizes.values() if isinstance(sizes, dict) else sizes)}
    first = [
        h
        for h in hits
        if any(v.in_stock and str(v.options.get("size", "")).lower() in wanted for v in h.variants)
    ]
    if not first:
        return None
    label = ", ".join(sorted(wanted)).upper()
    return first + [h for h in hits if h not in first], label


async def product_details(ctx: TurnContext, args: ProductArgs) -> ToolOutput:
    """A product's description, attributes, options, prices and stock per option."""
    async with ctx.runtime.db.reading() as session:
        data = await load_product(session, ctx.store, args.product_id)
    ctx.state["focus_product"] = data["product_id"]
    return ToolOutput(data=data, cards=[product_card(data, ctx.store)])


async def check_availability(ctx: TurnContext, args: ProductArgs) -> ToolOutput:
    """Stock of each option of a product."""
    async with ctx.runtime.db.reading() as session:
        data = await load_product(session, ctx.store, args.product_id)
    variants = [
        {
            "variant_id": v["variant_id"],
            "options": v["options"],
            "price": v["price"],
            "available": v["available"],
        }
        for v in data["variants"]
    ]
    return ToolOutput(
        data={"product_id": data["product_id"], "title": data["title"], "variants": variants}
    )


async def compare_products(ctx: TurnContext, args: CompareArgs) -> ToolOutput:
    """Several products side by side."""
    async with ctx.runtime.db.reading() as session:
        products = await load_products(session, ctx.store, args.product_ids)
    if len(products) < 2:
        raise ToolFailure("product_not_found", "At least two of those products are needed.")
    return ToolOutput(
        data={"products": products}, cards=[product_card(p, ctx.store) for p in products]
    )


TOOLS = [
    Tool("search_products", "Search the store's catalogue.", SearchArgs, search_products),
    Tool(
        "product_details",
        "A product's description, attributes, options, prices and stock.",
        ProductArgs,
        product_details,
    ),
    Tool(
        "check_availability",
        "Stock and price of each option (size, colour…) of a product.",
        ProductArgs,
        check_availability,
    ),
    Tool("compare_products", "Compare two to four products.", CompareArgs, compare_products),
]
