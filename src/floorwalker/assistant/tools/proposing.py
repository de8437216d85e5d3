"""Proposals from write tools: plan through the service, store, show the shopper a card."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from floorwalker.assistant import proposals
from floorwalker.assistant.context import TurnContext
from floorwalker.assistant.tools.base import ToolOutput, conversation_transaction
from floorwalker.orders.schemas import format_address


async def propose(ctx: TurnContext, tool: str, kwargs: dict[str, Any]) -> ToolOutput:
    """Plan through the service (refusals surface as errors), then store the proposal."""
    async with ctx.runtime.db.reading() as session:
        plan = await proposals.plan(session, ctx.actor, tool, kwargs)
    async with conversation_transaction(ctx) as (session, conversation):
        proposal = await proposals.create(
            session,
            conversation,
            ctx.actor,
            tool=tool,
            kwargs=kwargs,
            plan_shown=plan,
            ttl=ctx.runtime.proposal_ttl,
        )
        card = proposals_card(
            proposal.public_id, tool, proposal.plan, ctx, proposal.expires_at.isoformat()
        )
    ctx.proposals.append(card["proposal_id"])
    ctx.facts.proposed.add(tool)
    data = compact_plan(plan)
    data.update({"proposal_id": card["proposal_id"], "requires_confirmation": True})
    return ToolOutput(data=data, proposal=card)


def compact_plan(plan: BaseModel) -> dict[str, Any]:
    """What the model sees of a plan: the facts a reply may state."""
    data = plan.model_dump(mode="json")
    keep = (
        "operation",
        "summary",
        "order_number",
        "status_before",
        "status_after",
        "currency",
        "refund_total",
        "charge_total",
        "amount",
        "price_difference",
        "refund_amount",
        "refund_destination",
        "modifications_left",
        "window_ends_at",
        "reason",
    )
    out = {k: data[k] for k in keep if k in data}
    out["movements"] = [
        {
            "kind": m["kind"],
            "amount": m["amount"],
            "method": m["method_label"],
            "status": m["status"],
        }
        for m in data.get("movements", []) + data.get("refunds", [])
    ]
    if "lines" in data:
        out["lines"] = [
            {
                "title": ln["title"],
                "variant": ln["variant_title"],
                "quantity": ln["quantity"],
                "amount": ln["amount"],
            }
            for ln in data["lines"]
        ]
    if "swaps" in data:
        out["swaps"] = [
            {
                "title": s["title"],
                "from": s["from_variant_title"],
                "to": s["to_variant_title"],
                "quantity": s["quantity"],
                "difference": s["difference"],
            }
            for s in data["swaps"]
        ]
    if "address_after" in data:
        out["address_after"] = format_address(data["address_after"])
    return out


def proposals_card(
    public_id: str, tool: str, plan: dict[str, Any], ctx: TurnContext, expires_at: str
) -> dict[str, Any]:
    """The confirmation card: what will happen, with buttons' endpoints."""
    currency = plan.get("currency") or ctx.store.currency
    base = f"/v1/conversations/{ctx.conversation_public_id}/proposals/{public_id}"
    return {
        "type": "proposal",
        "proposal_id": public_id,
        "tool": tool,
        "status": "proposed",
        "summary": plan.get("summary", ""),
        "order_number": plan.get("order_number"),
        "status_after": plan.get("status_after"),
        "movements": [
            {
                "kind": m["kind"],
                "amount_display": ctx.store.money(m["amount"], m["currency"]),
                "method": m["method_label"],
                "when": "now" if m["status"] == "succeeded" else "5-7 business days",
            }
            for m in plan.get("movements", []) + plan.get("refunds", [])
        ],
        "lines": [
            {
                "title": ln["title"],
                "variant": ln["variant_title"],
                "quantity": ln["quantity"],
                "amount_display": ctx.store.money(ln["amount"], currency),
            }
            for ln in plan.get("lines", [])
        ],
        "swaps": [
            {
                "title": s["title"],
                "from": s["from_variant_title"],
                "to": s["to_variant_title"],
                "quantity": s["quantity"],
            }
            for s in plan.get("swaps", [])
        ],
        "address_after": format_address(plan["address_after"])
        if plan.get("address_after")
        else None,
        "expires_at": expires_at,
        "confirm_url": f"{base}/confirm",
        "decline_url": f"{base}/decline",
    }
