"""Advice tools: recommendations (with their reasons) and the store's help articles."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field

from floorwalker.assistant.context import TurnContext
from floorwalker.assistant.tools.base import Tool, ToolArgs, ToolFailure, ToolOutput
from floorwalker.knowledge import service as knowledge_service
from floorwalker.recommend import service as recommend_service
from floorwalker.recommend.schemas import Surface

ARTICLE_CHARS = 800
_WORD = re.compile(r"[a-z0-9]{3,}")
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "you",
        "your",
        "what",
        "how",
        "can",
        "does",
        "are",
        "with",
        "this",
        "that",
        "have",
        "about",
        "from",
        "when",
        "where",
        "will",
        "there",
        "any",
        "our",
    ]
)


class RecommendArgs(ToolArgs):
    """What kind of suggestions."""

    kind: Literal["for_you", "similar", "goes_with"] = Field(
        default="for_you",
        description="for_you (the conversation so far), similar (alternatives to a product) "
        "or goes_with (what is bought with a product).",
    )
    product_id: int | None = Field(default=None, description="The product, for similar/goes_with.")
    limit: int = Field(default=5, ge=1, le=10)


class HelpArgs(ToolArgs):
    """A question for the store's help articles."""

    query: str = Field(min_length=1, max_length=300)


async def recommend_products(ctx: TurnContext, args: RecommendArgs) -> ToolOutput:
    """Products the shopper may like, each with the reason it is suggested."""
    surface = {
        "similar": Surface.SIMILAR,
        "goes_with": Surface.BOUGHT_TOGETHER,
    }.get(args.kind, Surface.CHAT)
    if surface is not Surface.CHAT and args.product_id is None:
        raise ToolFailure("product_needed", "Say which product the suggestions are about.")
    context = [int(p["product_id"]) for p in ctx.state.get("last_products") or []][:5]
    focus = ctx.state.get("focus_product")
    if focus is not None:
        context.insert(0, int(focus))
    async with ctx.runtime.db.reading() as session:
        result = await recommend_service.recommend(
            session,
            ctx.actor,
            models=recommend_service.models_for(ctx.runtime.settings),
            surface=surface,
            session_id=ctx.conversation_public_id,
            product_id=args.product_id,
            context_products=list(dict.fromkeys(context)),
            preferences=ctx.state.get("preferences") or None,
            limit=args.limit,
        )
    products = [
        {
            "product_id": item.product_id,
            "title": item.title,
            "price": item.price,
            "price_min": item.price,
            "price_max": item.price,
            "currency": item.currency,
            "reason": item.reason.text,
            "in_stock": True,
        }
        for item in result.items
    ]
    cards: list[dict[str, Any]] = [
        {
            "type": "product",
            "product_id": item.product_id,
            "title": item.title,
            "price_display": ctx.store.money(item.price or 0, item.currency),
            "price_min": item.price,
            "price_max": item.price,
            "currency": item.currency,
            "image_url": item.image_url,
            "url": None,
            "in_stock": True,
            "reason": item.reason.text,
            "variants": [],
        }
        for item in result.items
    ]
    return ToolOutput(data={"products": products, "personalised": result.personalised}, cards=cards)


def _terms(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


async def search_help(ctx: TurnContext, args: HelpArgs) -> ToolOutput:
    """The store's help articles (FAQ, pages) that best answer a question."""
    async with ctx.runtime.db.reading() as session:
        articles = await knowledge_service.published_articles(session, ctx.store.id)
    wanted = _terms(args.query)
    scored: list[tuple[int, Any]] = []
    for article in articles:
        title = _terms(article.title) | {t.lower() for t in article.tags or []}
        body = _terms(article.body)
        score = 3 * len(wanted & title) + len(wanted & body)
        # Light stemming: "ships" finds "shipping", "returns" finds "return".
        score += sum(1 for w in wanted for t in title if w[:4] == t[:4] and w != t)
        if score:
            scored.append((score, article))
    scored.sort(key=lambda pair: (-pair[0], pair[1].id))
    found = [
        {"title": a.title, "kind": a.kind, "body": a.body[:ARTICLE_CHARS]} for _s, a in scored[:2]
    ]
    return ToolOutput(data={"articles": found})


TOOLS = [
    Tool(
        "recommend_products",
        "Suggest products (for the shopper, similar to a product, or "
        "that go with it), each with its reason.",
        RecommendArgs,
        recommend_products,
    ),
    Tool(
        "search_help",
        "Search the store's help articles (shipping, sizes, contact, FAQ).",
        HelpArgs,
        search_help,
    ),
]
