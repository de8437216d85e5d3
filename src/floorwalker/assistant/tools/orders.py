"""Order tools: the verified shopper's own orders — read at once, changed only by proposal.

Orders are named by the number shoppers see; lines by their id, title, SKU or position. Every
lookup goes through the order services with the conversation's actor, which only ever sees the
shopper's own orders: another customer's order number is simply "not found".
"""

from __future__ import annotations

from pydantic import Field

from floorwalker.assistant.context import TurnContext
from floorwalker.assistant.tools.base import Tool, ToolArgs, ToolOutput
from floorwalker.assistant.tools.resolve import order_card, order_data
from floorwalker.orders import service as order_service


class NoArgs(ToolArgs):
    """No arguments."""


class OrderRef(ToolArgs):
    """Which order."""

    order_number: str = Field(
        min_length=1, max_length=64, description="The order number the shopper gave or saw."
    )


async def list_orders(ctx: TurnContext, _args: NoArgs) -> ToolOutput:
    """The shopper's most recent orders."""
    async with ctx.runtime.db.reading() as session:
        rows = await order_service.list_orders(session, ctx.actor, limit=200)
    recent = sorted(rows, key=lambda o: o.placed_at, reverse=True)[:10]
    orders = [
        {
            "order_number": o.number,
            "status": o.status,
            "total": o.total,
            "currency": o.currency,
            "placed_at": o.placed_at.date().isoformat(),
        }
        for o in recent
    ]
    ctx.state["orders_listed"] = [o["order_number"] for o in orders]
    return ToolOutput(data={"orders": orders, "count": len(rows)})


async def order_details(ctx: TurnContext, args: OrderRef) -> ToolOutput:
    """One of the shopper's orders with its items, shipments and tracking."""
    async with ctx.runtime.db.reading() as session:
        order = await order_service.get_order_by_number(
            session, ctx.actor, number=args.order_number
        )
    remember_order(ctx, order.number)
    return ToolOutput(data=order_data(order), cards=[order_card(order, ctx.store)])


def remember_order(ctx: TurnContext, number: str) -> None:
    """Keep the order in the dialogue state ("that order", "my other order")."""
    seen: list[str] = [n for n in ctx.state.get("orders_seen", []) if n != number]
    ctx.state["orders_seen"] = [*seen, number][-10:]
    ctx.state["last_order"] = number


TOOLS = [
    Tool(
        name="list_orders",
        description="List the verified shopper's recent orders (number, status, total, date).",
        args=NoArgs,
        handler=list_orders,
        access="verified",
    ),
    Tool(
        name="order_details",
        description=(
            "Show one of the verified shopper's orders: items (with line ids), status, "
            "shipments, carriers, tracking numbers and links, payments, returns and exchanges."
        ),
        args=OrderRef,
        handler=order_details,
        access="verified",
    ),
]
