"""Why an item was recommended: the feature that contributed most, and the item behind it.

Each reason has a stable `kind` (for widgets to translate) and an English `text`:

    bought_before    "You have bought this before" / "You have bought this 3 times"
    because_bought   "Because you bought <title>"
    because_viewed   "Because you viewed <title>"
    bought_with      "Often bought with <title>"
    also_bought      "Customers who bought <title> also bought this"
    similar          "Similar to <title>"
    popular_in       "Popular in <category>"
    trending         "Popular right now"
    more_in          "More in <category>" / "More from the shop" (nobody has bought it yet)
    preference       "Matches your stated preference for <what was said>"
    pinned           "Featured by the store"
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from floorwalker.recommend.engine.data import Kind
from floorwalker.recommend.engine.scoring import F, Scored

_REPEAT = ("repeat", "last_bought", "repeat_share", "repeat_propensity")
_PERSONAL_SURFACES = frozenset({"for_you", "chat"})


@dataclass(frozen=True, slots=True)
class Reason:
    """Why one item is on the list."""

    kind: str
    text: str
    #: Index of the item the reason names ("because you bought X"), if any.
    source: int | None = None
    #: The category or stated preference the reason names, if any.
    label: str | None = None


PINNED = Reason(kind="pinned", text="Featured by the store")


def _title(scored: Scored, item: int) -> str:
    title = scored.model.catalog.titles[item]
    return title or f"item {scored.model.keys[item]}"


def _anchor_rows(scored: Scored, feature: str) -> sp.csc_matrix:
    """The anchors' rows of a neighbour matrix, by column, computed once per list."""
    cached = scored.cache.get(feature)
    if cached is None:
        model = scored.model
        anchors = scored.session if feature == "session" else scored.anchors
        if feature == "session":
            rows = model.also_bought[anchors] + model.content[anchors]
        else:
            rows = {
                "also_bought": model.also_bought,
                "bought_with": model.bought_with,
                "content": model.content,
            }[feature][anchors]
        cached = scored.cache[feature] = rows.tocsc()
    matrix: sp.csc_matrix = cached
    return matrix


def _strongest_anchor(scored: Scored, feature: str, item: int) -> tuple[int, int] | None:
    """The anchor (and its kind) contributing most to `feature` for `item`."""
    model = scored.model
    anchors = scored.session if feature == "session" else scored.anchors
    if anchors.size == 0:
        return None
    if feature == "als":
        if model.factors_unit is None:
            return None
        sims = model.factors_unit[anchors] @ model.factors_unit[item]
    else:
        by_column = _anchor_rows(scored, feature)
        start, stop = by_column.indptr[item], by_column.indptr[item + 1]
        sims = np.zeros(anchors.size, dtype=np.float32)
        sims[by_column.indices[start:stop]] = by_column.data[start:stop]
    if feature == "session":
        weights = np.power(0.7, np.arange(anchors.size))
        kinds = np.full(anchors.size, int(Kind.VIEW))
    else:
        weights = scored.anchor_weights
        kinds = scored.anchor_kinds
    contributions = weights * sims
    best = int(np.argmax(contributions))
    if contributions[best] <= 0:
        return None
    return int(anchors[best]), int(kinds[best])


def popular_reason(category: str | None, *, sold: bool) -> Reason:
    """ "Popular in <category>" for an item people buy; "More in <category>" for one nobody
    has bought yet (calling it popular would not be true)."""
    name = category.split(">")[-1].strip() if category else None
    if not sold:
        if name:
            return Reason(kind="more_in", text=f"More in {name}", label=name)
        return Reason(kind="more_in", text="More from the shop")
    if name:
        return Reason(kind="popular_in", text=f"Popular in {name}", label=name)
    return Reason(kind="trending", text="Popular right now")


def _popular(scored: Scored, item: int) -> Reason:
    cat = int(scored.model.catalog.category[item])
    category = scored.model.catalog.category_names[cat] if cat >= 0 else None
    return popular_reason(category, sold=bool(scored.model.popularity[item] > 0))


#: Features about the shopper (or the page's product) rather than the shop as a whole.
_SPECIFIC = frozenset(range(len(F))) - {F["popularity"]}
#: A specific reason is given when it brings at least this share of the item's score.
SPECIFIC_SHARE = 0.3


def explain(scored: Scored, item: int) -> Reason:
    """The reason `item` is on the list `scored` produced.

    The feature that contributed most names the reason — except that a reason about the
    shopper (their purchases, views, preferences) wins over "popular" whenever it brought at
    least SPECIFIC_SHARE of the score: it is both true and more useful to read.
    """
    contributions = scored.weights * scored.features[:, item]
    order = np.argsort(-contributions, kind="stable").tolist()
    total = float(contributions[contributions > 0].sum())
    specific = [f for f in order if f in _SPECIFIC and contributions[f] > 0]
    if specific and contributions[specific[0]] >= SPECIFIC_SHARE * total:
        order = [specific[0]] + [f for f in order if f != specific[0]]
    for f in order:
        if contributions[f] <= 0:
            break
        reason = _reason_for(scored, f, item)
        if reason is not None:
            return reason
    return _popular(scored, item)


def _reason_for(scored: Scored, f: int, item: int) -> Reason | None:
    name = next(n for n, i in F.items() if i == f)
    personal = scored.surface in _PERSONAL_SURFACES
    if name in _REPEAT:
        times = scored.purchase_counts.get(item, 0)
        text = "You have bought this before" if times < 2 else f"You have bought this {times} times"
        return Reason(kind="bought_before", text=text)
    if name == "popularity":
        return _popular(scored, item)
    if name == "preference":
        facets = scored.model.catalog.facet_names
        row = scored.model.catalog.facets[item]
        mine = {facets[i] for i in row.indices.tolist()}
        said = [words for facet, words in scored.preferences.liked.items() if facet in mine]
        if not said:
            return None
        return Reason(
            kind="preference",
            text=f"Matches your stated preference for {said[0]}",
            label=said[0],
        )
    anchor = _strongest_anchor(scored, name, item)
    if anchor is None:
        return None
    source, kind = anchor
    title = _title(scored, source)
    if name == "bought_with":
        return Reason(kind="bought_with", text=f"Often bought with {title}", source=source)
    if not personal:
        if name == "also_bought":
            return Reason(
                kind="also_bought",
                text=f"Customers who bought {title} also bought this",
                source=source,
            )
        return Reason(kind="similar", text=f"Similar to {title}", source=source)
    if name == "session" and scored.surface == "chat":
        # in chat the "session" anchors are the products being talked about
        return Reason(kind="similar", text=f"Similar to {title}", source=source)
    if name == "session" or kind != Kind.PURCHASE:
        return Reason(kind="because_viewed", text=f"Because you viewed {title}", source=source)
    return Reason(kind="because_bought", text=f"Because you bought {title}", source=source)
