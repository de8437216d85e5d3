"""Training: fit every component on an interaction log, then learn how to blend them.

The blend weights are learned honestly: the last `validation_days` of the training data are held
out, the components are fitted on what comes before, a logistic regression learns which
features predict the held-out purchases, and the learned weights are kept only if they rank
the held-out purchases better (NDCG@20) than the defaults. Then the components are refitted on
all the data. Nothing after the training data is ever looked at.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from floorwalker.recommend.engine.blend import (
    Block,
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
    if weights is None and params.learn_weights:
        weights, threshold, info["blend"] = learn_weights(
            log, catalog, params=params, until=data_until, content=content
        )
        if params.repurchase_threshold is None and threshold is not None:
            params = replace(params, repurchase_threshold=threshold)
    elif weights is None:
        weights, info["blend"] = dict(DEFAULT_WEIGHTS), {"source": "defaults"}
    else:
        info["blend"] = {"source": "given"}
    model = _fit_components(log, catalog, params=params, now=now, weights=weights, content=content)
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


def learn_weights(
    log: InteractionLog,
    catalog: ItemCatalog,
    *,
    params: Params,
    until: int,
    content: sp.csr_matrix,
) -> tuple[dict[str, float], float | None, dict[str, Any]]:
    """Learn blend weights (and, unless set, the repurchase threshold) on a validation period
    at the end of `log`; see the module doc. Returns weights, threshold and a report."""
    cut = until - int(params.validation_days * DAY)
    train, valid = log.split_at(cut)
    users_hist = histories(train)
    truth = purchased_sets(valid)
    users = sorted(u for u in truth if u in users_hist)
    report: dict[str, Any] = {"validation_from": cut, "validation_users": len(users)}
    if len(users) < MIN_VALIDATION_USERS or not len(train):
        report["source"] = "defaults"
        report["why"] = "too few customers with purchases before and during the validation period"
        return dict(DEFAULT_WEIGHTS), None, report
    if len(users) > MAX_VALIDATION_USERS:
        rng = np.random.default_rng(params.seed)
        users = sorted(rng.choice(users, MAX_VALIDATION_USERS, replace=False).tolist())
    model = _fit_components(
        train, catalog, params=replace(params, learn_weights=False, repurchase_threshold=0.0),
        now=cut, weights=DEFAULT_WEIGHTS, content=content,
    )  # fmt: skip
    blocks: list[Block] = []
    for user in users:
        scored = score_personal(model, history=users_hist[user], now=cut)
        feats = scored.features
        finite = np.isfinite(scored.scores)
        cands: set[int] = set()
        for f in range(len(FEATURES)):
            row = np.where(finite, feats[f], -np.inf)
            if not np.any(row > 0):
                continue
            top = np.argpartition(-row, min(CANDIDATES_PER_FEATURE, row.size - 1))
            cands.update(i for i in top[:CANDIDATES_PER_FEATURE].tolist() if row[i] > 0)
        if not cands:
            continue
        idx = np.fromiter(sorted(cands), dtype=np.intp)
        labels = np.fromiter((i in truth[user] for i in idx.tolist()), dtype=bool)
        history = users_hist[user].distinct_purchases()
        recent = set(
            history.items[(cut - history.times) < params.recent_purchase_days * DAY].tolist()
        )
        recent_propensity = np.where(
            np.isin(idx, list(recent)), model.repurchase[idx], np.inf
        ).astype(np.float32)
        blocks.append(Block(feats[:, idx].T.copy(), labels, len(truth[user]), recent_propensity))
    positives = int(sum(int(b.labels.sum()) for b in blocks))
    stacked = np.concatenate([b.features for b in blocks]) if blocks else np.zeros((0, 1))
    learnable = [i for i in range(len(FEATURES)) if blocks and float(stacked[:, i].std()) > 1e-9]
    report.update(candidates=int(stacked.shape[0]), positives=positives)
    if positives < 10 or len(learnable) < 2:
        report["source"] = "defaults"
        report["why"] = "too few held-out purchases among the candidates"
        return dict(DEFAULT_WEIGHTS), None, report
    defaults = np.asarray([DEFAULT_WEIGHTS[f] for f in FEATURES], dtype=np.float32)
    start = logistic_weights(blocks, learnable, params.seed)
    # learned weights take the scale of the defaults they replace, so features that cannot be
    # learned from this data (session, preferences) keep their share of the blend
    scale = float(np.abs(defaults[learnable]).sum()) / max(float(np.abs(start).sum()), 1e-12)
    start = start * scale
    for i in range(len(FEATURES)):
        if i not in learnable:
            start[i] = defaults[i]
    tuned, tuned_score = coordinate_ascent(blocks, start, learnable)
    default_score = objective(blocks, defaults)
    report.update(
        objective_logistic=round(objective(blocks, start), 4),
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
        threshold, report["threshold_objectives"] = choose_threshold(blocks, chosen)
        report["repurchase_threshold"] = threshold
    weights = {f: round(float(w), 6) for f, w in zip(FEATURES, chosen.tolist(), strict=True)}
    return weights, threshold, report


__all__ = ["Kind", "fit", "histories", "learn_weights", "purchased_sets"]
