"""Write tools: each validates fully through the order service's planning function and returns
a proposal the shopper must confirm. Nothing here writes to an order, a payment or a profile.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from floorwalker.assistant.context import TurnContext
from floorwalker.assistant.local.entities import cancel_reason
from floorwalker.assistant.tools.base import Tool, ToolArgs, ToolFailure, ToolOutput
from floorwalker.assistant.tools.orders import remember_order
from floorwalker.assistant.tools.proposing import propose
from floorwalker.assistant.tools.resolve import (
    parse_address,
    pick_payment_method,
    pick_variant,
    resolve_line,
)
from floorwalker.catalog import service as catalog_service
from floorwalker.customers import service as customer_service
from floorwalker.inventory import service as inventory_service
from floorwalker.orders import service as order_service
from floorwalker.orders.schemas import Order

_ORDER = Field(min_length=1, max_length=64, description="The order number.")


class CancelArgs(ToolArgs):
    """Cancel an order."""

    order_number: str = _ORDER
    reason: str = Field(max_length=200, description="Why, in the shopper's words.")


class AddressArgs(ToolArgs):
    """Ship an order to another address."""

    order_number: str = _ORDER
    address: str = Field(
        min_length=1,
        max_length=500,
        description="The new address as the shopper gave it (a placeholder such as "
        "[ADDRESS_1] is fine), or 'default' for their saved default address.",
    )


class PaymentArgs(ToolArgs):
    """Pay an order with another of the shopper's methods."""

    order_number: str = _ORDER
    payment_method: str = Field(
        max_length=100, description='Which method: "gift card", "PayPal", "Visa ending 4242".'
    )


class ItemChange(ToolArgs):
    """Units of one item and the options they should become."""

    item: str = Field(max_length=200, description="The line id, title or position of the item.")
    new_options: str = Field(max_length=200, description='What it becomes, e.g. "size L".')
    quantity: int | None = Field(default=None, ge=1, le=100, description="Default: all units.")


class ItemsArgs(ToolArgs):
    """Swap items of an order for other options of the same products."""

    order_number: str = _ORDER
    changes: list[ItemChange] = Field(min_length=1, max_length=20)
    payment_method: str | None = Field(
        default=None, max_length=100, description="Method for a price difference, if any."
    )
    reason: str = Field(default="", max_length=200)


class ReturnRef(ToolArgs):
    """Units of one item."""

    item: str = Field(max_length=200, description="The line id, title or position of the item.")
    quantity: int | None = Field(default=None, ge=1, le=100, description="Default: all units.")


class ReturnArgs(ToolArgs):
    """Return delivered items."""

    order_number: str = _ORDER
    items: list[ReturnRef] | None = Field(
        default=None, max_length=20, description="Which items; omit to return everything."
    )
    refund_to: Literal["original", "gift_card"] = Field(
        default="original", description="The original payment method or a gift card."
    )
    reason: str = Field(default="", max_length=200)


class DefaultAddressArgs(ToolArgs):
    """Change the shopper's default address."""

    address: str = Field(min_length=1, max_length=500, description="The address as given.")


async def _order(ctx: TurnContext, number: str) -> Order:
    async with ctx.runtime.db.reading() as session:
        order = await order_service.get_order_by_number(session, ctx.actor, number=number)
    remember_order(ctx, order.number)
    return order


async def _payment_methods(ctx: TurnContext) -> list[dict[str, Any]]:
    async with ctx.runtime.db.reading() as session:
        customer = await customer_service.get_or_raise(session, ctx.store.id, _customer_id(ctx))
        return [
            {
                "payment_method_id": m.id,
                "kind": m.kind,
                "brand": m.brand,
                "last4": m.last4,
                "label": m.label,
                "balance": m.balance,
            }
            for m in customer.payment_methods
            if m.active
        ]


def _customer_id(ctx: TurnContext) -> int:
    if ctx.actor.customer_id is None:  # guarded by access="verified"; kept for type safety
        raise ToolFailure("verification_required", "The shopper must be verified first.")
    return ctx.actor.customer_id


async def cancel_order(ctx: TurnContext, args: CancelArgs) -> ToolOutput:
    """Propose cancelling an order."""
    reason = cancel_reason(args.reason, ctx.store.policy.cancel_reasons)
    if reason is None:
        raise ToolFailure(
            "cancel_reason_needed",
            "Ask the shopper which of the store's cancellation reasons applies.",
            allowed_reasons=ctx.store.policy.cancel_reasons,
        )
    order = await _order(ctx, args.order_number)
    return await propose(ctx, "cancel_order", {"order_id": order.id, "reason": reason})


async def _address_kwargs(ctx: TurnContext, text: str) -> dict[str, Any]:
    async with ctx.runtime.db.reading() as session:
        customer = await customer_service.get_or_raise(session, ctx.store.id, _customer_id(ctx))
        default = customer_service.default_address(customer)
        country = default.country if default is not None else "US"
        name = customer.name
        default_id = default.id if default is not None else None
    if text.strip().lower() in {"default", "my default address", "saved", "my saved address"}:
        if default_id is None:
            raise ToolFailure("address_not_found", "There is no saved default address.")
        return {"address_id": default_id}
    return {"address": parse_address(text, default_country=country, name=name)}


async def change_order_address(ctx: TurnContext, args: AddressArgs) -> ToolOutput:
    """Propose shipping an order to another address."""
    order = await _order(ctx, args.order_number)
    kwargs = {"order_id": order.id, **await _address_kwargs(ctx, args.address)}
    return await propose(ctx, "change_order_address", kwargs)


async def change_order_payment(ctx: TurnContext, args: PaymentArgs) -> ToolOutput:
    """Propose paying an order with another method."""
    order = await _order(ctx, args.order_number)
    method = pick_payment_method(await _payment_methods(ctx), args.payment_method)
    kwargs = {"order_id": order.id, "payment_method_id": method["payment_method_id"]}
    return await propose(ctx, "change_order_payment", kwargs)


async def _swaps(ctx: TurnContext, order: Order, changes: list[ItemChange]) -> list[dict[str, Any]]:
    swaps: list[dict[str, Any]] = []
    async with ctx.runtime.db.reading() as session:
        for change in changes:
            line = resolve_line(order, change.item)
            if line.product_id is None:
                raise ToolFailure("line_not_changeable", f"{line.title} is no longer sold.")
            variants = await catalog_service.variants_of_product(
                session, ctx.store.id, line.product_id
            )
            stock = await inventory_service.available(
                session, ctx.store.id, [v.id for v in variants]
            )
            choices = [
                {"id": v.id, "options": v.options, "available": stock.get(v.id, 0)}
                for v in variants
                if v.status == "active"
            ]
            variant = pick_variant(choices, line.options, change.new_options)
            swaps.append(
                {"line_id": line.id, "variant_id": variant["id"], "quantity": change.quantity}
            )
    return swaps


async def _settlement(ctx: TurnContext, wanted: str | None) -> int | None:
    if not wanted:
        return None
    return int(pick_payment_method(await _payment_methods(ctx), wanted)["payment_method_id"])


async def change_order_items(ctx: TurnContext, args: ItemsArgs) -> ToolOutput:
    """Propose swapping items of a pending order for other options of the same products."""
    order = await _order(ctx, args.order_number)
    kwargs = {
        "order_id": order.id,
        "items": await _swaps(ctx, order, args.changes),
        "payment_method_id": await _settlement(ctx, args.payment_method),
    }
    return await propose(ctx, "change_order_items", kwargs)


async def exchange_items(ctx: TurnContext, args: ItemsArgs) -> ToolOutput:
    """Propose exchanging delivered items for other options of the same products."""
    order = await _order(ctx, args.order_number)
    kwargs = {
        "order_id": order.id,
        "items": await _swaps(ctx, order, args.changes),
        "payment_method_id": await _settlement(ctx, args.payment_method),
        "reason": args.reason,
    }
    return await propose(ctx, "exchange_items", kwargs)


async def return_items(ctx: TurnContext, args: ReturnArgs) -> ToolOutput:
    """Propose returning delivered items, refunded where the shopper chose."""
    order = await _order(ctx, args.order_number)
    if args.items:
        items = [
            {"line_id": resolve_line(order, ref.item).id, "quantity": ref.quantity}
            for ref in args.items
        ]
    else:
        items = [{"line_id": line.id, "quantity": None} for line in order.lines]
    refund_method: int | None = None
    if args.refund_to == "gift_card":
        cards = [m for m in await _payment_methods(ctx) if m["kind"] == "gift_card"]
        if not cards:
            raise ToolFailure("no_gift_card", "The shopper has no gift card to refund to.")
        refund_method = int(cards[0]["payment_method_id"])
    kwargs = {
        "order_id": order.id,
        "items": items,
        "refund_payment_method_id": refund_method,
        "reason": args.reason,
    }
    return await propose(ctx, "return_items", kwargs)


async def update_default_address(ctx: TurnContext, args: DefaultAddressArgs) -> ToolOutput:
    """Propose a new default address for the shopper's profile."""
    kwargs = await _address_kwargs(ctx, args.address)
    if "address" not in kwargs:
        raise ToolFailure("nothing_to_change", "That is already the default address.")
    # The customer is the conversation's verified shopper, never a model's argument.
    kwargs["customer_id"] = _customer_id(ctx)
    return await propose(ctx, "update_default_address", kwargs)


class NoArgs(ToolArgs):
    """No arguments."""


async def list_payment_methods(ctx: TurnContext, _args: NoArgs) -> ToolOutput:
    """The shopper's payment methods (labels and gift-card balances; never card numbers)."""
    methods = await _payment_methods(ctx)
    return ToolOutput(
        data={
            "payment_methods": [
                {"label": m["label"], "kind": m["kind"], "balance": m["balance"]} for m in methods
            ]
        }
    )


TOOLS = [
    Tool(
        "list_payment_methods",
        "The verified shopper's payment methods (labels, gift-card balances).",
        NoArgs,
        list_payment_methods,
        access="verified",
    ),
    Tool(
        "cancel_order",
        "Propose cancelling one of the shopper's orders (needs their yes).",
        CancelArgs,
        cancel_order,
        access="verified",
        writes=True,
    ),
    Tool(
        "change_order_address",
        "Propose shipping a pending order to another address.",
        AddressArgs,
        change_order_address,
        access="verified",
        writes=True,
    ),
    Tool(
        "change_order_payment",
        "Propose paying a pending order with another of the shopper's payment methods.",
        PaymentArgs,
        change_order_payment,
        access="verified",
        writes=True,
    ),
    Tool(
        "change_order_items",
        "Propose swapping items of a pending order for other options "
        "(size, colour, …) of the same products.",
        ItemsArgs,
        change_order_items,
        access="verified",
        writes=True,
    ),
    Tool(
        "return_items",
        "Propose returning items of a delivered order, with the refund destination.",
        ReturnArgs,
        return_items,
        access="verified",
        writes=True,
    ),
    Tool(
        "exchange_items",
        "Propose exchanging items of a delivered order for other options of the same products.",
        ItemsArgs,
        exchange_items,
        access="verified",
        writes=True,
    ),
    Tool(
        "update_default_address",
        "Propose changing the shopper's saved default address (existing orders keep theirs).",
        DefaultAddressArgs,
        update_default_address,
        access="verified",
        writes=True,
    ),
]
