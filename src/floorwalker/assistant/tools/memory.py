"""Memory: preferences the shopper states (sizes, brands, colours, budget, dislikes).

Kept for the conversation always; kept on the customer's profile — and so used by search and
recommendations in later conversations — only for a verified shopper who consented to
personalisation.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field

from floorwalker.assistant.context import TurnContext
from floorwalker.assistant.tools.base import Tool, ToolArgs, ToolOutput
from floorwalker.customers import service as customer_service
from floorwalker.kit.money import to_minor

PERSONALISATION = "personalisation"
_COLOURS = frozenset(
    [
        "red",
        "blue",
        "black",
        "white",
        "green",
        "navy",
        "grey",
        "gray",
        "pink",
        "beige",
        "brown",
        "yellow",
        "orange",
        "purple",
        "cream",
        "tan",
        "olive",
        "khaki",
        "burgundy",
        "teal",
        "silver",
        "gold",
    ]
)


class PreferenceArgs(ToolArgs):
    """What the shopper said they like, wear, avoid or can spend."""

    sizes: dict[str, str] = Field(
        default_factory=dict,
        description='Size per kind of product, e.g. {"shoes": "42", "tops": "M"}; use "any" '
        "when the shopper did not say what for.",
    )
    brands_liked: list[str] = Field(default_factory=list, max_length=20)
    brands_disliked: list[str] = Field(default_factory=list, max_length=20)
    colours: list[str] = Field(default_factory=list, max_length=20)
    dislikes: list[str] = Field(
        default_factory=list, max_length=20, description="Materials, colours or styles to avoid."
    )
    likes: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Anything else they like (sorted out here).",
    )
    budget_max: float | None = Field(default=None, ge=0, description="Most they want to spend.")


def _merge(current: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    merged = dict(current)
    for key, value in update.items():
        if isinstance(value, dict):
            merged[key] = {**(merged.get(key) or {}), **value}
        elif isinstance(value, list):
            merged[key] = list(dict.fromkeys([*(merged.get(key) or []), *value]))
        else:
            merged[key] = value
    return merged


def _sorted_out(args: PreferenceArgs) -> dict[str, Any]:
    colours = list(args.colours)
    brands = list(args.brands_liked)
    for item in args.likes:
        word = item.strip()
        if word.lower() in _COLOURS:
            colours.append(word.lower())
        elif re.match(r"^[A-Z]", word):
            brands.append(word)
    update: dict[str, Any] = {}
    if args.sizes:
        update["sizes"] = {k.lower(): v for k, v in args.sizes.items()}
    if brands:
        update["brands_liked"] = brands
    if args.brands_disliked:
        update["brands_disliked"] = args.brands_disliked
    if colours:
        update["colours"] = colours
    if args.dislikes:
        update["dislikes"] = [d.lower() for d in args.dislikes]
    return update


async def ensure_loaded(ctx: TurnContext) -> None:
    """Bring a consenting verified shopper's saved preferences into the conversation, once."""
    if not ctx.verified or ctx.state.get("preferences_loaded") == ctx.actor.customer_id:
        return
    assert ctx.actor.customer_id is not None
    async with ctx.runtime.db.reading() as session:
        customer = await customer_service.get(session, ctx.store.id, ctx.actor.customer_id)
        saved = dict(customer.preferences or {}) if customer is not None else {}
        allowed = customer is not None and customer_service.has_consent(customer, PERSONALISATION)
    if allowed and saved:
        ctx.state["preferences"] = _merge(saved, ctx.state.get("preferences") or {})
    ctx.state["preferences_loaded"] = ctx.actor.customer_id


async def remember_preferences(ctx: TurnContext, args: PreferenceArgs) -> ToolOutput:
    """Keep stated preferences (on the profile too, with consent)."""
    update = _sorted_out(args)
    budget: dict[str, Any] | None = None
    if args.budget_max is not None:
        budget = {
            "max": to_minor(str(args.budget_max), ctx.store.currency),
            "currency": ctx.store.currency,
        }
        update["budget"] = budget
    ctx.state["preferences"] = _merge(ctx.state.get("preferences") or {}, update)
    saved = False
    if ctx.verified and update:
        assert ctx.actor.customer_id is not None
        async with ctx.runtime.db.transaction() as session:
            customer = await customer_service.get_or_raise(
                session, ctx.store.id, ctx.actor.customer_id
            )
            if customer_service.has_consent(customer, PERSONALISATION):
                await customer_service.update_preferences(
                    session, ctx.actor, ctx.actor.customer_id, update
                )
                saved = True
    return ToolOutput(
        data={"remembered": update, "saved_to_profile": saved, "verified": ctx.verified}
    )


TOOLS = [
    Tool(
        "remember_preferences",
        "Remember what the shopper likes, wears, avoids or can spend "
        "(saved to their profile if they consented to personalisation).",
        PreferenceArgs,
        remember_preferences,
    ),
]
