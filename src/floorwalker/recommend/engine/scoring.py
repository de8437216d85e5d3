"""Scoring: every item gets a feature vector for this request, and the blend weighs them.

Features (rows of `Scored.features`, names in `model.FEATURES`):

- repeat: log(1 + Σ 0.5^(age/h_repeat)) over the shopper's own distinct purchases of the item,
- last_bought: 0.5^(days since the shopper last bought it / recent_purchase_days),
- repeat_share: the share of the shopper's orders that contained the item,
- repeat_propensity: the item's learned repurchase propensity, for items the shopper bought,
- als: the ALS score of the shopper's history folded into the item factors,
- also_bought, bought_with, content: Σ_j w_j · sim(j, item) over the history items j, with
  w_j ∝ kind weight × 0.5^(age/h_history) normalised to sum 1 (customer co-occurrence,
  basket co-occurrence, text similarity),
- session: the same over the current session's items (most recent weighs most),
- popularity: log(1 + decayed popularity) / log(1 + the top item's),
- preference: the share of the shopper's stated likes the item matches.

Product-page and cart surfaces use the same rows with the product or cart as the anchors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from floorwalker.recommend.engine.catalog import normalise
from floorwalker.recommend.engine.components import DAY, fold_in, kind_weights
from floorwalker.recommend.engine.data import FloatArray, IntArray, Kind, pair_key
from floorwalker.recommend.engine.model import FEATURES, RecommenderModel
from floorwalker.recommend.engine.preferences import Preferences

F = {name: i for i, name in enumerate(FEATURES)}
IndexArray = npt.NDArray[np.intp]

#: Fixed weights of the product-page and cart surfaces (no shopper history involved).
SIMILAR_WEIGHTS = {"content": 1.0, "als": 0.6, "also_bought": 1.0, "popularity": 0.05}
TOGETHER_WEIGHTS = {"bought_with": 1.0, "also_bought": 0.25, "popularity": 0.02}
#: Decay of session items by recency rank: the latest counts 1, the one before 0.7, ...
SESSION_DECAY = 0.7


@dataclass(frozen=True, slots=True)
class History:
    """A shopper's interactions as model item indices (personal: only with consent)."""

    items: IndexArray
    times: IntArray
    kinds: npt.NDArray[np.int8]
    baskets: IntArray

    @classmethod
    def empty(cls) -> History:
        """No history."""
        return cls(
            np.zeros(0, np.intp), np.zeros(0, np.int64), np.zeros(0, np.int8), np.zeros(0, np.int64)
        )

    @classmethod
    def of(cls, rows: Sequence[tuple[int, int, int, int]]) -> History:
        """From (item index, epoch seconds, kind, basket) rows; basket -1 when not a purchase."""
        if not rows:
            return cls.empty()
        arr = np.asarray(rows, dtype=np.int64)
        return cls(arr[:, 0].astype(np.intp), arr[:, 1], arr[:, 2].astype(np.int8), arr[:, 3])

    def __len__(self) -> int:
        return int(self.items.shape[0])

    def distinct_purchases(self) -> History:
        """Purchase rows, one per (item, basket)."""
        mask = self.kinds == Kind.PURCHASE
        if not mask.any():
            return History.empty()
        _, first = np.unique(pair_key(self.items[mask], self.baskets[mask]), return_index=True)
        idx = np.flatnonzero(mask)[np.sort(first)]
        return History(self.items[idx], self.times[idx], self.kinds[idx], self.baskets[idx])

    def engagement(self) -> tuple[IndexArray, FloatArray]:
        """Per distinct item, log(1 + Σ kind weights), as the ALS training matrix counts it."""
        bought = self.distinct_purchases()
        others = self.kinds != Kind.PURCHASE
        items = np.concatenate([bought.items, self.items[others]])
        weights = np.concatenate([kind_weights(bought.kinds), kind_weights(self.kinds[others])])
        if items.size == 0:
            return np.zeros(0, np.intp), np.zeros(0, np.float32)
        unique, inverse = np.unique(items, return_inverse=True)
        totals = np.zeros(unique.shape[0], np.float64)
        np.add.at(totals, inverse.reshape(-1), weights)
        return unique.astype(np.intp), np.log1p(totals).astype(np.float32)


@dataclass(slots=True)
class Scored:
    """Features and blend weights for one request; `scores` is −inf where an item is excluded."""

    model: RecommenderModel
    features: FloatArray
    weights: FloatArray
    scores: FloatArray
    #: The items the neighbour features were summed over, with their weights and kinds.
    anchors: IndexArray
    anchor_weights: FloatArray
    anchor_kinds: npt.NDArray[np.int8]
    session: IndexArray
    surface: str
    preferences: Preferences = field(default_factory=Preferences)
    #: Distinct purchases per item in the shopper's history (for "you bought this before").
    purchase_counts: dict[int, int] = field(default_factory=dict)
    #: Work shared by the reasons of one list (see engine.explain).
    cache: dict[str, Any] = field(default_factory=dict)

    def exclude(self, items: IndexArray | Sequence[int]) -> None:
        """Never return these items."""
        idx = np.asarray(items, dtype=np.intp)
        if idx.size:
            self.scores[idx] = -np.inf

    def top(self, n: int) -> IndexArray:
        """Up to `n` items with the highest finite scores, best first (ties: lower index)."""
        finite = np.flatnonzero(np.isfinite(self.scores))
        if finite.size == 0 or n <= 0:
            return np.zeros(0, np.intp)
        values = self.scores[finite]
        if finite.size > n:
            part = np.argpartition(-values, n - 1)[:n]
            finite, values = finite[part], values[part]
        order = np.lexsort((finite, -values))
        return finite[order].astype(np.intp)


def _anchor_weights(
    history: History, now: int, half_life_days: float
) -> tuple[IndexArray, FloatArray, npt.NDArray[np.int8]]:
    """Distinct history items with recency- and kind-weighted shares summing to 1."""
    if not len(history):
        return np.zeros(0, np.intp), np.zeros(0, np.float32), np.zeros(0, np.int8)
    age = np.maximum(0, now - history.times) / DAY
    weight = kind_weights(history.kinds) * np.power(0.5, age / half_life_days)
    items, inverse = np.unique(history.items, return_inverse=True)
    inverse = inverse.reshape(-1)
    totals = np.zeros(items.shape[0], np.float64)
    np.add.at(totals, inverse, weight)
    # the strongest kind per item decides the reason wording (bought beats viewed)
    kinds = np.full(items.shape[0], max(int(k) for k in Kind), np.int8)
    np.minimum.at(kinds, inverse, history.kinds)
    total = totals.sum()
    shares = (totals / total) if total > 0 else np.full(items.shape[0], 1.0 / items.shape[0])
    return items.astype(np.intp), shares.astype(np.float32), kinds


def _spread(matrix: sp.csr_matrix, anchors: IndexArray, weights: FloatArray) -> FloatArray:
    """Σ_j weights_j · matrix[anchors_j, :] as a dense row.

    Reads the CSR arrays directly: for one request this is several times faster than
    slicing and multiplying scipy matrices, whose per-call overhead dominates small work.
    """
    n = matrix.shape[1]
    if anchors.size == 0:
        return np.zeros(n, np.float32)
    starts = matrix.indptr[anchors]
    lengths = matrix.indptr[anchors + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(n, np.float32)
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    positions = offsets + np.arange(total)
    values = matrix.data[positions] * np.repeat(weights.astype(np.float32), lengths)
    return np.bincount(matrix.indices[positions], weights=values, minlength=n).astype(np.float32)


def _preference_scores(model: RecommenderModel, prefs: Preferences) -> FloatArray:
    n = model.n_items
    if not prefs.liked:
        return np.zeros(n, np.float32)
    names = {name: i for i, name in enumerate(model.catalog.facet_names)}
    cols = [names[f] for f in prefs.liked if f in names]
    if not cols:
        return np.zeros(n, np.float32)
    hits = np.asarray(model.catalog.facets[:, cols].sum(axis=1)).ravel()
    return (hits / len(prefs.liked)).astype(np.float32)


def preference_exclusions(model: RecommenderModel, prefs: Preferences) -> IndexArray:
    """Items the shopper ruled out: over budget, disliked brand/colour/word, not in their size."""
    if not prefs:
        return np.zeros(0, np.intp)
    catalog = model.catalog
    out = np.zeros(model.n_items, dtype=bool)
    known = catalog.price >= 0
    if prefs.budget_max is not None:
        out |= known & (catalog.price > prefs.budget_max)
    if prefs.budget_min is not None:
        out |= known & (catalog.price < prefs.budget_min)
    names = {name: i for i, name in enumerate(catalog.facet_names)}
    facets = catalog.facets.tocsc()
    bad = [names[f] for f in prefs.disliked_facets if f in names]
    if bad:
        out |= np.asarray(facets[:, bad].sum(axis=1)).ravel() > 0
    if prefs.sizes:
        out |= _outside_sizes(model, prefs, names, facets)
    if prefs.disliked_words:
        words = [w for w in prefs.disliked_words if w]
        for i, title in enumerate(catalog.titles):
            text = f" {normalise(title)} "
            if any(f" {w} " in text for w in words):
                out[i] = True
    return np.flatnonzero(out).astype(np.intp)


def _singular(word: str) -> str:
    if word.endswith("sses") or word.endswith("shes") or word.endswith("ches"):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _category_matches(path: str, key: str) -> bool:
    """Whether a category path names the category a size was stated for ("shoes" ~ "Shoe")."""
    words = [_singular(w) for w in normalise(path).replace(">", " ").split()]
    wanted = [_singular(w) for w in key.split()]
    n = len(wanted)
    return n > 0 and any(words[i : i + n] == wanted for i in range(len(words) - n + 1))


def _outside_sizes(
    model: RecommenderModel, prefs: Preferences, names: dict[str, int], facets: sp.csc_matrix
) -> npt.NDArray[np.bool_]:
    """Items of a category with a stated size that are not sold in that size."""
    catalog = model.catalog
    size_cols = [i for name, i in names.items() if name.startswith("size:")]
    out = np.zeros(model.n_items, dtype=bool)
    if not size_cols:
        return out
    sized = np.asarray(facets[:, size_cols].sum(axis=1)).ravel() > 0
    for key, sizes in prefs.sizes.items():
        if key:
            cats = [
                i for i, path in enumerate(catalog.category_names) if _category_matches(path, key)
            ]
            applies = np.isin(catalog.category, cats)
        else:
            applies = np.ones(model.n_items, dtype=bool)
        wanted = [names[f"size:{s}"] for s in sizes if f"size:{s}" in names]
        fits = (
            np.asarray(facets[:, wanted].sum(axis=1)).ravel() > 0
            if wanted
            else np.zeros(model.n_items, dtype=bool)
        )
        out |= applies & sized & ~fits
    return out


def score_personal(
    model: RecommenderModel,
    *,
    history: History,
    session: Sequence[int] = (),
    preferences: Preferences | None = None,
    now: int,
    surface: str = "for_you",
    weights: dict[str, float] | None = None,
    discovery: bool = False,
) -> Scored:
    """Score every item for a shopper (for-you and chat): history, session, preferences.

    With an empty history and session this is the non-personal list: popularity, plus the
    stated preferences when there are any (cold start). `discovery` leaves out everything
    the shopper bought and uses the weights learned for such lists.
    """
    p = model.params
    n = model.n_items
    prefs = preferences or Preferences()
    feats = np.zeros((len(FEATURES), n), dtype=np.float32)
    counts: dict[int, int] = {}
    bought = history.distinct_purchases()
    if len(bought):
        age = np.maximum(0, now - bought.times) / DAY
        repeat = np.zeros(n, np.float64)
        np.add.at(repeat, bought.items, np.power(0.5, age / p.repeat_half_life_days))
        feats[F["repeat"]] = np.log1p(repeat)
        items, orders = np.unique(bought.items, return_counts=True)
        last = np.zeros(n, np.int64)
        np.maximum.at(last, bought.items, bought.times)
        feats[F["last_bought"], items] = np.power(
            0.5, np.maximum(0, now - last[items]) / DAY / p.recent_purchase_days
        )
        baskets = max(int(np.unique(bought.baskets).size), 1)
        feats[F["repeat_share"], items] = orders / baskets
        feats[F["repeat_propensity"], items] = model.repurchase[items]
        counts = dict(zip(items.tolist(), orders.tolist(), strict=True))
    anchors, shares, kinds = _anchor_weights(history, now, p.history_half_life_days)
    if anchors.size:
        if model.als is not None:
            eng_items, eng_values = history.engagement()
            user = fold_in(model.als, eng_items, eng_values)
            if user is not None:
                feats[F["als"]] = model.als.item_factors @ user
        feats[F["also_bought"]] = _spread(model.also_bought, anchors, shares)
        feats[F["bought_with"]] = _spread(model.bought_with, anchors, shares)
        feats[F["content"]] = _spread(model.content, anchors, shares)
    session_idx = np.asarray(list(dict.fromkeys(session)), dtype=np.intp)
    if session_idx.size:
        decay = np.power(SESSION_DECAY, np.arange(session_idx.size)).astype(np.float32)
        decay /= decay.sum()
        feats[F["session"]] = 0.5 * (
            _spread(model.also_bought, session_idx, decay)
            + _spread(model.content, session_idx, decay)
        )
    feats[F["popularity"]] = model.popularity_unit
    feats[F["preference"]] = _preference_scores(model, prefs)
    w = model.weight_vector(discovery=discovery) if weights is None else _vector(weights)
    scored = Scored(
        model=model,
        features=feats,
        weights=w,
        scores=(w @ feats).astype(np.float32),
        anchors=anchors,
        anchor_weights=shares,
        anchor_kinds=kinds,
        session=session_idx,
        surface=surface,
        preferences=prefs,
        purchase_counts=counts,
    )
    scored.exclude(preference_exclusions(model, prefs))
    scored.exclude(recently_bought_excluded(model, bought, now))
    if discovery:
        scored.exclude(bought.items)
    return scored


def recently_bought_excluded(model: RecommenderModel, bought: History, now: int) -> IndexArray:
    """Items bought within the recent window whose repurchase propensity is below threshold."""
    p = model.params
    if not len(bought):
        return np.zeros(0, np.intp)
    recent = bought.items[(now - bought.times) < p.recent_purchase_days * DAY]
    if recent.size == 0:
        return np.zeros(0, np.intp)
    recent = np.unique(recent)
    return recent[model.repurchase[recent] < p.threshold].astype(np.intp)


def _vector(weights: dict[str, float]) -> FloatArray:
    return np.asarray([weights.get(f, 0.0) for f in FEATURES], dtype=np.float32)


def score_anchored(model: RecommenderModel, anchors: Sequence[int], *, surface: str) -> Scored:
    """Score items for a product page (`similar`, `bought_together`) or a cart (`cart`).

    `bought_together` and `cart` leave out products of the page's (or the cart's) categories
    that were never in an order with it: those are alternatives, not what completes it.
    """
    n = model.n_items
    idx = np.asarray(list(dict.fromkeys(anchors)), dtype=np.intp)
    shares = np.full(idx.size, 1.0 / max(idx.size, 1), np.float32)
    feats = np.zeros((len(FEATURES), n), dtype=np.float32)
    if surface == "similar":
        weights = SIMILAR_WEIGHTS
        feats[F["content"]] = _spread(model.content, idx, shares)
        if model.factors_unit is not None and idx.size:
            cos = model.factors_unit @ (model.factors_unit[idx].T @ shares)
            feats[F["als"]] = np.maximum(cos, 0.0)
    else:
        weights = TOGETHER_WEIGHTS
        feats[F["bought_with"]] = _spread(model.bought_with, idx, shares)
    feats[F["also_bought"]] = _spread(model.also_bought, idx, shares)
    feats[F["popularity"]] = model.popularity_unit
    w = _vector(weights)
    scored = Scored(
        model=model,
        features=feats,
        weights=w,
        scores=(w @ feats).astype(np.float32),
        anchors=idx,
        anchor_weights=shares,
        anchor_kinds=np.zeros(idx.size, np.int8),
        session=np.zeros(0, np.intp),
        surface=surface,
    )
    scored.exclude(idx)
    if surface != "similar" and idx.size:
        # complements, not substitutes: a product of the same category as the page's product
        # (or a cart item) is left out unless shoppers actually put both in one order
        categories = model.catalog.category[idx]
        same = np.isin(model.catalog.category, categories[categories >= 0])
        scored.exclude(np.flatnonzero(same & (feats[F["bought_with"]] <= 0)))
    return scored
