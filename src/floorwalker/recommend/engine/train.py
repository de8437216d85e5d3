"""Training: fit every component on an interaction log, then learn how to blend them.

The blend weights are learned honestly: the last `validation_days` of the training data are held
out, the components are fitted on what comes before, a logistic regression learns which
features predict the held-out purchases, and the learned weights are kept only if they rank
the held-out purchases better (NDCG@20) than the defaults. Then the components are refitted on
all the data. Nothing after the training data is ever looked at.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from floorwalker.recommend.engine.blend import (
    Block,
    Pool,
    choose_threshold,
    coordinate_ascent,
    logistic_weights,
    objective,
)
from floorwalker.recommend.engine.catalog import ItemCatalog
from floorwalker.recommend.engine.components import (
    DAY,
    basket_item_matrix,
    buyer_counts,
    content_neighbours,
    cosine_neighbours,
    fit_als,
    popularity,
    repurchase_propensity,
    user_item_matrix,
)
from floorwalker.recommend.engine.data import InteractionLog, Kind
from floorwalker.recommend.engine.model import DEFAULT_WEIGHTS, FEATURES, Params, RecommenderModel
from floorwalker.recommend.engine.scoring import History, score_personal

#: Fewer validation customers than this and the defaults are kept (too little to learn from).
MIN_VALIDATION_USERS = 30
#: At most this many validation customers are used to learn the weights (keeps training fast).
MAX_VALIDATION_USERS = 3000
#: Candidates per validation customer: the top of each feature.
CANDIDATES_PER_FEATURE = 100


def fit(
    log: InteractionLog,
    catalog: ItemCatalog,
    *,
    params: Params | None = None,
    now: int | None = None,
    weights: dict[str, float] | None = None,
) -> RecommenderModel:
    """Fit a model over `catalog`'s items from `log` (rows of unknown items are dropped).

    `now` is the reference time of the popularity decay (default: just after the last row).
    `weights` fixes the blend; otherwise it is learned (params.learn_weights) or defaulted.
    """
    params = params or Params()
    started = time.perf_counter()
    log = log.reindex_items(catalog.keys)
    data_until = int(log.time.max()) + 1 if len(log) else int(now or 0)
    now = data_until if now is None else now
    info: dict[str, Any] = {"interactions": len(log), "users": int(np.unique(log.user).size)}
    content = content_neighbours(catalog.documents, k=params.content_k)
    discovery = None
    if weights is None and params.learn_weights:
        learned = learn_weights(log, catalog, params=params, until=data_until, content=content)
        weights, discovery, info["blend"] = (
            learned.weights,
            learned.discovery_weights,
            learned.report,
        )
        if params.repurchase_threshold is None and learned.threshold is not None:
            params = replace(params, repurchase_threshold=learned.threshold)
    elif weights is None:
        weights, info["blend"] = dict(DEFAULT_WEIGHTS), {"source": "defaults"}
    else:
        info["blend"] = {"source": "given"}
    model = _fit_components(log, catalog, params=params, now=now, weights=weights, content=content)
    model.discovery_weights = discovery
    model.data_until = data_until
    info["seconds"] = round(time.perf_counter() - started, 3)
    model.info = info
    return model


def _fit_components(
    log: InteractionLog,
    catalog: ItemCatalog,
    *,
    params: Params,
    now: int,
    weights: dict[str, float],
    content: sp.csr_matrix,
) -> RecommenderModel:
    matrix = user_item_matrix(log)
    baskets = basket_item_matrix(log)
    binary = matrix.copy()
    binary.data[:] = 1.0
    als = None
    if matrix.nnz and len(catalog) > params.als_factors:
        als, _users = fit_als(
            matrix,
            factors=params.als_factors,
            regularization=params.als_regularization,
            alpha=params.als_alpha,
            iterations=params.als_iterations,
            seed=params.seed,
        )
    return RecommenderModel(
        catalog=catalog,
        popularity=popularity(log, now=now, half_life_days=params.popularity_half_life_days),
        buyers=buyer_counts(log),
        repurchase=repurchase_propensity(log, prior_strength=params.repurchase_prior),
        also_bought=cosine_neighbours(
            binary, k=params.also_bought_k, shrink=params.cooccurrence_shrink
        ),
        bought_with=cosine_neighbours(
            baskets, k=params.bought_with_k, shrink=params.cooccurrence_shrink
        ),
        content=content,
        als=als,
        weights=dict(weights),
        params=params,
        trained_at=int(time.time()),
        data_until=now,
    )


def histories(log: InteractionLog) -> dict[int, History]:
    """Each user's rows of a log as a History (users with no rows are absent)."""
    if not len(log):
        return {}
    order = np.argsort(log.user, kind="stable")
    users = log.user[order]
    bounds = np.flatnonzero(np.diff(users)) + 1
    starts = np.concatenate([[0], bounds])
    stops = np.concatenate([bounds, [users.size]])
    found: dict[int, History] = {}
    for start, stop in zip(starts.tolist(), stops.tolist(), strict=True):
        rows = order[start:stop]
        found[int(users[start])] = History(
            items=log.item[rows].astype(np.intp),
            times=log.time[rows],
            kinds=log.kind[rows],
            baskets=log.basket[rows],
        )
    return found


def purchased_sets(log: InteractionLog) -> dict[int, set[int]]:
    """Distinct items each user bought in a log."""
    bought = log.purchases()
    found: dict[int, set[int]] = {}
    for user, item in zip(bought.user.tolist(), bought.item.tolist(), strict=True):
        found.setdefault(user, set()).add(item)
    return found


@dataclass(frozen=True, slots=True)
class Learned:
    """What learning on the validation period produced."""

    weights: dict[str, float]
    discovery_weights: dict[str, float] | None
    threshold: float | None
    report: dict[str, Any]


def _candidates(features: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """The items among the top CANDIDATES_PER_FEATURE of any feature (positive scores only)."""
    masked = np.where(allowed[None, :], features, -np.inf)
    k = min(CANDIDATES_PER_FEATURE, masked.shape[1] - 1)
    top = np.argpartition(-masked, k, axis=1)[:, :k]
    picked = np.take_along_axis(masked, top, axis=1)
    return np.unique(top[picked > 0]).astype(np.intp)


def _blocks(
    model: RecommenderModel,
    users: list[int],
    users_hist: dict[int, History],
    truth: dict[int, set[int]],
    *,
    cut: int,
    params: Params,
) -> tuple[list[Block], list[Block]]:
    """Each validation customer's candidates (the top of every feature), features and labels:
    for the blend, and for discovery lists (what the customer bought before is then neither a
    candidate nor a label). One scoring per customer serves both."""
    blocks: list[Block] = []
    discovery: list[Block] = []
    for user in users:
        history = users_hist[user]
        bought = history.distinct_purchases()
        scored = score_personal(model, history=history, now=cut)
        feats = scored.features
        allowed = np.isfinite(scored.scores)
        recent = bought.items[(cut - bought.times) < params.recent_purchase_days * DAY]
        new_allowed = allowed.copy()
        new_allowed[bought.items] = False
        new_truth = truth[user] - set(bought.items.tolist())
        for target, held_out, mask in (
            (blocks, truth[user], allowed),
            (discovery, new_truth, new_allowed),
        ):
            idx = _candidates(feats, mask) if held_out else np.zeros(0, np.intp)
            if idx.size == 0:
                continue
            labels = np.fromiter((i in held_out for i in idx.tolist()), dtype=bool)
            recent_propensity = np.where(
                np.isin(idx, recent), model.repurchase[idx], np.inf
            ).astype(np.float32)
            target.append(Block(feats[:, idx].T.copy(), labels, len(held_out), recent_propensity))
    return blocks, discovery


def learn_weights(
    log: InteractionLog,
    catalog: ItemCatalog,
    *,
    params: Params,
    until: int,
    content: sp.csr_matrix,
) -> Learned:
    """Learn blend weights, discovery weights and (unless set) the repurchase threshold on a
    validation period at the end of `log`; see the module doc."""
    cut = until - int(params.validation_days * DAY)
    train, valid = log.split_at(cut)
    users_hist = histories(train)
    truth = purchased_sets(valid)
    users = sorted(u for u in truth if u in users_hist)
    report: dict[str, Any] = {"validation_from": cut, "validation_users": len(users)}
    if len(users) < MIN_VALIDATION_USERS or not len(train):
        report["source"] = "defaults"
        report["why"] = "too few customers with purchases before and during the validation period"
        return Learned(dict(DEFAULT_WEIGHTS), None, None, report)
    if len(users) > MAX_VALIDATION_USERS:
        rng = np.random.default_rng(params.seed)
        users = sorted(rng.choice(users, MAX_VALIDATION_USERS, replace=False).tolist())
    model = _fit_components(
        train, catalog, params=replace(params, learn_weights=False, repurchase_threshold=0.0),
        now=cut, weights=DEFAULT_WEIGHTS, content=content,
    )  # fmt: skip
    blocks, new_blocks = _blocks(model, users, users_hist, truth, cut=cut, params=params)
    positives = int(sum(int(b.labels.sum()) for b in blocks))
    if not blocks:
        report.update(source="defaults", why="no candidates in the validation period")
        return Learned(dict(DEFAULT_WEIGHTS), None, None, report)
    pool = Pool.of(blocks)
    rows, _labels = pool.rows()
    learnable = [i for i in range(len(FEATURES)) if float(rows[:, i].std()) > 1e-9]
    report.update(candidates=int(rows.shape[0]), positives=positives)
    if positives < 10 or len(learnable) < 2:
        report["source"] = "defaults"
        report["why"] = "too few held-out purchases among the candidates"
        return Learned(dict(DEFAULT_WEIGHTS), None, None, report)
    defaults = np.asarray([DEFAULT_WEIGHTS[f] for f in FEATURES], dtype=np.float32)
    start = logistic_weights(pool, learnable, params.seed)
    # learned weights take the scale of the defaults they replace, so features that cannot be
    # learned from this data (session, preferences) keep their share of the blend
    scale = float(np.abs(defaults[learnable]).sum()) / max(float(np.abs(start).sum()), 1e-12)
    start = start * scale
    for i in range(len(FEATURES)):
        if i not in learnable:
            start[i] = defaults[i]
    tuned, tuned_score = coordinate_ascent(pool, start, learnable)
    default_score = objective(pool, defaults)
    report.update(
        objective_logistic=round(objective(pool, start), 4),
        objective_tuned=round(tuned_score, 4),
        objective_defaults=round(default_score, 4),
    )
    chosen = tuned
    if tuned_score < default_score:
        report["source"] = "defaults"
        report["why"] = "learned weights ranked the validation period worse than the defaults"
        chosen = defaults
    else:
        report["source"] = "learned"
    threshold = None
    if params.repurchase_threshold is None:
        threshold, report["threshold_objectives"] = choose_threshold(pool, chosen)
        report["repurchase_threshold"] = threshold

    # discovery lists rank only what the shopper never bought: tune from the blend's weights
    discovery = None
    if sum(int(b.labels.sum()) for b in new_blocks) >= 10:
        new_pool = Pool.of(new_blocks)
        new_tuned, new_score = coordinate_ascent(new_pool, chosen, learnable)
        base_score = objective(new_pool, chosen)
        report.update(
            discovery_objective_blend=round(base_score, 4),
            discovery_objective_tuned=round(new_score, 4),
        )
        if new_score > base_score:
            discovery = _as_dict(new_tuned)
    return Learned(_as_dict(chosen), discovery, threshold, report)


def _as_dict(vector: np.ndarray) -> dict[str, float]:
    return {f: round(float(w), 6) for f, w in zip(FEATURES, vector.tolist(), strict=True)}


__all__ = ["Kind", "Learned", "fit", "histories", "learn_weights", "purchased_sets"]
