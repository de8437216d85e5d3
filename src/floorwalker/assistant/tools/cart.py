"""Cart tools: a cart kept on the conversation, checked against live price and stock, handed
to the retailer's own cart with a link built from the store's `cart_url_template`.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from floorwalker.assistant.context import TurnContext
from floorwalker.assistant.local.entities import match_options
from floorwalker.assistant.tools.base import Tool, ToolArgs, ToolFailure, ToolOutput
from floorwalker.catalog import service as catalog_service
from floorwalker.inventory import service as inventory_service

MAX_LINES = 50
MAX_QUANTITY = 20


class NoArgs(ToolArgs):
    """No arguments."""


class AddArgs(ToolArgs):
    """What to add: a variant, or a product and the options that pick its variant."""

    variant_id: int | None = Field(default=None, description="The exact variant, if known.")
    product_id: int | None = Field(default=None, description="The product, with `options`.")
    options: str | None = Field(
        default=None, max_length=200, description='The options wanted, e.g. "size M, blue".'
    )
    quantity: int = Field(default=1, ge=1, le=MAX_QUANTITY)


class RemoveArgs(ToolArgs):
    """What to take out of the cart."""

    variant_id: int | None = Field(default=None, description="The variant; omit to empty it.")
    quantity: int | None = Field(default=None, ge=1, description="Default: all units.")


async def _lines(ctx: TurnContext) -> list[dict[str, Any]]:
    """The cart with live titles, options, prices and stock."""
    ids = [int(line["variant_id"]) for line in ctx.cart]
    async with ctx.runtime.db.reading() as session:
        variants = await catalog_service.get_variants(session, ctx.store.id, ids)
        stock = await inventory_service.available(session, ctx.store.id, ids)
    lines = []
    for line in ctx.cart:
        variant = variants.get(int(line["variant_id"]))
        if variant is None:
            continue
        lines.append(
            {
                "variant_id": variant.id,
                "product_id": variant.product_id,
                "title": variant.product.title,
                "options": {str(k): str(v) for k, v in (variant.options or {}).items()},
                "quantity": int(line["quantity"]),
                "unit_price": variant.price,
                "line_total": variant.price * int(line["quantity"]),
                "available": stock.get(variant.id, 0),
                "external_id": variant.external_id,
            }
        )
    return lines


def _cart_output(ctx: TurnContext, lines: list[dict[str, Any]], **extra: Any) -> ToolOutput:
    total = sum(line["line_total"] for line in lines)
    data = {
        "lines": [{k: v for k, v in line.items() if k != "external_id"} for line in lines],
        "total": total,
        "currency": ctx.store.currency,
        "checkout_url": checkout_url(ctx, lines),
        **extra,
    }
    card = {
        "type": "cart",
        "lines": [
            {
                "variant_id": line["variant_id"],
                "title": line["title"],
                "label": " / ".join(line["options"].values()),
                "quantity": line["quantity"],
                "price_display": ctx.store.money(line["line_total"]),
            }
            for line in lines
        ],
        "total_display": ctx.store.money(total),
        "checkout_url": data["checkout_url"],
    }
    return ToolOutput(data=data, cards=[card])


def checkout_url(ctx: TurnContext, lines: list[dict[str, Any]]) -> str | None:
    """A link that fills the retailer's cart, if the store set a template and the cart has items."""
    template = ctx.store.settings.cart_url_template
    if not template or not lines:
        return None
    items = ",".join(
        f"{line['external_id'] or line['variant_id']}:{line['quantity']}" for line in lines
    )
    return template.replace("{items}", items)


async def view_cart(ctx: TurnContext, _args: NoArgs) -> ToolOutput:
    """Show the cart."""
    return _cart_output(ctx, await _lines(ctx))


async def add_to_cart(ctx: TurnContext, args: AddArgs) -> ToolOutput:
    """Add units of a variant (or of the product's variant the options pick) to the cart."""
    async with ctx.runtime.db.reading() as session:
        if args.variant_id is not None:
            variant = await catalog_service.get_variant(session, ctx.store.id, args.variant_id)
            if variant is None or not catalog_service.is_sellable(variant):
                raise ToolFailure("variant_not_found", "That item is not sold here.")
            variant_id = variant.id
        elif args.product_id is not None:
            variants = [
                v
                for v in await catalog_service.variants_of_product(
                    session, ctx.store.id, args.product_id
                )
                if v.status == "active"
            ]
            if not variants:
                raise ToolFailure("product_not_found", "That product is not sold here.")
            stock = await inventory_service.available(
                session, ctx.store.id, [v.id for v in variants]
            )
            variant_id = _pick(variants, stock, args.options)
        else:
            raise ToolFailure(
                "invalid_arguments", "Give a variant_id, or a product_id and options."
            )
        stock = await inventory_service.available(session, ctx.store.id, [variant_id])
    in_cart = sum(int(line["quantity"]) for line in ctx.cart if line["variant_id"] == variant_id)
    if stock.get(variant_id, 0) < in_cart + args.quantity:
        raise ToolFailure(
            "insufficient_stock",
            "There is not enough stock for that quantity.",
            available=stock.get(variant_id, 0),
            in_cart=in_cart,
        )
    for line in ctx.cart:
        if line["variant_id"] == variant_id:
            line["quantity"] = min(MAX_QUANTITY, int(line["quantity"]) + args.quantity)
            break
    else:
        if len(ctx.cart) >= MAX_LINES:
            raise ToolFailure("cart_full", "The cart cannot hold more lines.")
        ctx.cart.append({"variant_id": variant_id, "quantity": args.quantity})
    return _cart_output(ctx, await _lines(ctx), added_variant_id=variant_id, added=args.quantity)


def _pick(variants: list[Any], stock: dict[int, int], wanted: str | None) -> int:
    if len(variants) == 1:
        return int(variants[0].id)
    choices = [{str(k): str(v) for k, v in (v.options or {}).items()} for v in variants]
    found = match_options(wanted or "", choices)
    matching = [
        v
        for v, options in zip(variants, choices, strict=True)
        if all(options.get(k) == val for k, val in found.items())
    ]
    if len(matching) == 1:
        return int(matching[0].id)
    names = sorted({k for options in choices for k in options} - set(found))
    raise ToolFailure(
        "options_needed",
        "Which option should it be?",
        missing=names,
        choices=[
            {"variant_id": v.id, "options": options, "in_stock": stock.get(v.id, 0) > 0}
            for v, options in zip(variants, choices, strict=True)
            if v in matching or not matching
        ],
    )


async def remove_from_cart(ctx: TurnContext, args: RemoveArgs) -> ToolOutput:
    """Take units (or everything) out of the cart."""
    if args.variant_id is None:
        ctx.cart.clear()
    else:
        for line in list(ctx.cart):
            if line["variant_id"] == args.variant_id:
                left = int(line["quantity"]) - (args.quantity or int(line["quantity"]))
                if left > 0:
                    line["quantity"] = left
                else:
                    ctx.cart.remove(line)
                break
        else:
            raise ToolFailure("not_in_cart", "That item is not in the cart.")
    return _cart_output(ctx, await _lines(ctx), removed_variant_id=args.variant_id)


async def checkout(ctx: TurnContext, _args: NoArgs) -> ToolOutput:
    """The link to finish buying on the retailer's site."""
    lines = await _lines(ctx)
    if not lines:
        raise ToolFailure("cart_empty", "The cart is empty.")
    output = _cart_output(ctx, lines)
    if output.data["checkout_url"] is None:
        raise ToolFailure(
            "no_checkout_link",
            "This store has not set up checkout links; the shopper can add these items on the "
            "store's site.",
        )
    return output


TOOLS = [
    Tool("view_cart", "Show the shopper's cart with live prices and stock.", NoArgs, view_cart),
    Tool("add_to_cart", "Add a product variant to the cart (checks stock).", AddArgs, add_to_cart),
    Tool(
        "remove_from_cart",
        "Remove an item (or everything) from the cart.",
        RemoveArgs,
        remove_from_cart,
    ),
    Tool(
        "checkout_link",
        "Get the link that puts the cart into the store's own checkout.",
        NoArgs,
        checkout,
    ),
]
