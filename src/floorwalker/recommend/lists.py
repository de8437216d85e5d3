"""Building one list: score with the served model, apply the store's rules, explain.

Order of work: the model scores every item (personal surfaces from the shopper's history and
session, product surfaces from the product or cart); exclusions (blocks, the product or cart
itself, preferences, just-bought items) remove items; the live catalog drops what is not
active or not in stock; pins go first; diversity caps any one category; reasons are written
for what is left.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.recommend import queries
from floorwalker.recommend.engine import explain as explaining
from floorwalker.recommend.engine.model import RecommenderModel
from floorwalker.recommend.engine.preferences import Preferences
from floorwalker.recommend.engine.scoring import (
    History,
    Scored,
    preference_exclusions,
    recently_bought_excluded,
    score_anchored,
    score_personal,
)
from floorwalker.recommend.engine.select import choose
from floorwalker.recommend.schemas import (
    Reason,
    ReasonKind,
    RecommendationList,
    RecommendedProduct,
    Surface,
)
from floorwalker.recommend.serving import LoadedModel

PERSONAL = frozenset({Surface.FOR_YOU, Surface.CHAT})
#: Surfaces whose lists are spread across categories (similar items share one on purpose).
DIVERSE = frozenset({Surface.FOR_YOU, Surface.CHAT, Surface.CART, Surface.BOUGHT_TOGETHER})
#: Share of a list one category may take when no model says otherwise.
DEFAULT_MAX_SHARE = 0.4
#: How many times more candidates than asked for are checked against live stock.
OVERFETCH = 4


@dataclass(slots=True)
class Request:
    """Everything one list depends on, already authorised and consent-filtered."""

    surface: Surface
    limit: int
    now: dt.datetime
    #: The shopper's own history (empty without consent).
    history: Sequence[queries.HistoryRow] = ()
    #: Products the current session looked at, newest first (empty without consent).
    session_products: Sequence[int] = ()
    #: The product of a product page, the cart, or the products discussed in chat.
    anchors: Sequence[int] = ()
    preferences: Preferences = field(default_factory=Preferences)
    #: Only items the shopper has not bought (discovery).
    discovery: bool = False
    pins: Sequence[int] = ()
    blocks: frozenset[int] = frozenset()
    #: The category of the page's product, for lists about a product the model does not know.
    anchor_category: str | None = None

    @property
    def personalised(self) -> bool:
        """Whether anything about this shopper shapes the list."""
        return bool(self.history or self.session_products or self.preferences)


def _history(model: RecommenderModel, rows: Sequence[queries.HistoryRow]) -> History:
    baskets: dict[str, int] = {}
    found = []
    for row in rows:
        index = model.index.get(str(row.product_id))
        if index is None:
            continue
        basket = baskets.setdefault(row.basket, len(baskets)) if row.kind == 0 else -1
        found.append((index, row.at, int(row.kind), basket))
    return History.of(found)


def _indices(model: RecommenderModel, product_ids: Sequence[int]) -> list[int]:
    return [i for i in (model.index.get(str(p)) for p in product_ids) if i is not None]


def _popular_in(model: RecommenderModel, category: str | None, surface: str) -> Scored:
    """Popularity, the page's category first: for a product the model has not seen yet."""
    scored = score_anchored(model, [], surface=surface)
    if category is not None and category in model.catalog.category_names:
        same = model.catalog.category == model.catalog.category_names.index(category)
        scored.scores = scored.scores + same.astype(np.float32)
    return scored


def score(model: RecommenderModel, request: Request) -> Scored:
    """The model's scores for a request, with its exclusions applied."""
    now = int(request.now.timestamp())
    history = _history(model, request.history)
    anchors = _indices(model, request.anchors)
    if request.surface in PERSONAL:
        session = _indices(model, request.session_products)
        if request.surface is Surface.CHAT:
            session = list(dict.fromkeys([*anchors, *session]))
        scored = score_personal(
            model,
            history=history,
            session=session,
            preferences=request.preferences,
            now=now,
            surface=request.surface.value,
            discovery=request.discovery,
        )
    else:
        if anchors:
            scored = score_anchored(model, anchors, surface=request.surface.value)
        else:
            scored = _popular_in(model, request.anchor_category, request.surface.value)
        if request.preferences:
            scored.exclude(preference_exclusions(model, request.preferences))
        scored.exclude(recently_bought_excluded(model, history.distinct_purchases(), now))
    if request.discovery:
        scored.exclude(history.distinct_purchases().items)
    scored.exclude(anchors)
    scored.exclude(_indices(model, sorted(request.blocks)))
    return scored


def _reason(
    scored: Scored | None,
    index: int | None,
    *,
    pinned: bool,
    sold: bool,
    card: queries.ProductCard,
) -> Reason:
    if pinned:
        return Reason(kind=ReasonKind.PINNED, text=explaining.PINNED.text)
    if scored is None or index is None:
        fallback = explaining.popular_reason(card.category, sold=sold)
        return Reason(kind=ReasonKind(fallback.kind), text=fallback.text, label=fallback.label)
    why = explaining.explain(scored, index)
    source = None if why.source is None else int(scored.model.keys[why.source])
    return Reason(kind=ReasonKind(why.kind), text=why.text, product_id=source, label=why.label)


async def build(
    session: AsyncSession, store_id: int, loaded: LoadedModel | None, request: Request
) -> RecommendationList:
    """Rank, filter by the live catalog, pin, diversify and explain one list."""
    model = loaded.model if loaded is not None else None
    scored = score(model, request) if model is not None else None
    excluded = set(request.anchors) | set(request.blocks)
    wanted = request.limit * OVERFETCH + len(request.pins)
    cards: dict[int, queries.ProductCard] = {}
    ranked: list[int] = []
    sold: set[int] = set()
    while True:
        if scored is not None and model is not None:
            top = scored.top(wanted)
            ranked = [int(model.keys[i]) for i in top.tolist()]
            exhausted = top.size < wanted
        else:
            sellers = await queries.bestsellers(
                session, store_id, since=request.now - dt.timedelta(days=30), limit=wanted
            )
            ranked = [p for p, _ in sellers if p not in excluded]
            sold = {p for p, units in sellers if units > 0}
            exhausted = True
        missing = [p for p in [*ranked, *request.pins] if p not in cards]
        cards.update(await queries.product_cards(session, store_id, missing))
        usable = [p for p in ranked if p in cards and cards[p].in_stock]
        if len(usable) >= request.limit * 2 or exhausted or wanted > 20_000:
            break
        wanted *= OVERFETCH
    pins = [p for p in request.pins if p in cards and cards[p].in_stock and p not in excluded]
    max_share = (
        (model.params.max_category_share if model is not None else DEFAULT_MAX_SHARE)
        if request.surface in DIVERSE
        else None
    )
    chosen = choose(
        usable,
        limit=request.limit,
        category_of=lambda pid: cards[pid].category,
        max_share=max_share,
        pinned=pins,
    )
    items = []
    pinned = set(pins)
    for pid in chosen:
        card = cards[pid]
        index = model.index.get(str(pid)) if model is not None else None
        value = float(scored.scores[index]) if scored is not None and index is not None else 0.0
        items.append(
            RecommendedProduct(
                product_id=pid,
                title=card.title,
                handle=card.handle,
                price=card.price,
                currency=card.currency,
                image_url=card.image_url,
                score=0.0 if pid in pinned or not np.isfinite(value) else round(value, 6),
                reason=_reason(scored, index, pinned=pid in pinned, sold=pid in sold, card=card),
            )
        )
    return RecommendationList(
        surface=request.surface,
        items=items,
        personalised=request.personalised,
        model_version=loaded.version if loaded is not None else None,
    )
