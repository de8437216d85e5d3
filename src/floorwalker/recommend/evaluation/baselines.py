"""The baselines every evaluation computes in the same run as the blend.

- popularity: items by number of distinct training customers who bought them,
- own most bought: the customer's items by number of orders (then most recent, then
  popularity), backfilled with popularity,
- plain ALS: `implicit`'s ALS with the blend's ALS settings, its own user factors, nothing else,
- plain item-kNN: `implicit`'s CosineRecommender (K = 100) over the same matrix, backfilled
  with popularity when fewer than k items have a neighbour score.

In the new-items mode each list skips what the customer bought in training.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterable

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from floorwalker.recommend.engine.components import (
    buyer_counts,
    distinct_purchases,
    fit_als,
    user_item_matrix,
)
from floorwalker.recommend.engine.data import InteractionLog
from floorwalker.recommend.engine.model import Params

Recommend = Callable[[int, set[int], int], list[int]]


def _fill(
    first: Iterable[int], backfill: npt.NDArray[np.intp], skip: set[int], k: int
) -> list[int]:
    out: list[int] = []
    seen: set[int] = set()
    for item in first:
        if item not in skip and item not in seen:
            out.append(item)
            seen.add(item)
            if len(out) == k:
                return out
    for item in backfill.tolist():
        if item not in skip and item not in seen:
            out.append(item)
            seen.add(item)
            if len(out) == k:
                break
    return out


def popularity_order(log: InteractionLog) -> npt.NDArray[np.intp]:
    """Items by distinct buyers, most first; ties by index."""
    buyers = buyer_counts(log)
    return np.lexsort((np.arange(buyers.size), -buyers)).astype(np.intp)


def popularity(log: InteractionLog) -> Recommend:
    """The most popular items, whoever asks."""
    order = popularity_order(log)

    def recommend(_user: int, skip: set[int], k: int) -> list[int]:
        return _fill((), order, skip, k)

    return recommend


def own_most_bought(log: InteractionLog) -> Recommend:
    """The customer's own most-bought items, then popularity."""
    order = popularity_order(log)
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    bought = distinct_purchases(log)
    per_user: dict[int, dict[int, tuple[int, int]]] = {}
    for user, item, when in zip(
        bought.user.tolist(), bought.item.tolist(), bought.time.tolist(), strict=True
    ):
        counts = per_user.setdefault(user, {})
        n, last = counts.get(item, (0, 0))
        counts[item] = (n + 1, max(last, when))
    lists = {
        user: [
            item
            for item, _ in sorted(
                counts.items(), key=lambda kv: (-kv[1][0], -kv[1][1], int(rank[kv[0]]))
            )
        ]
        for user, counts in per_user.items()
    }

    def recommend(user: int, skip: set[int], k: int) -> list[int]:
        return _fill(lists.get(user, ()), order, skip, k)

    return recommend


def _top(scores: npt.NDArray[np.float32], skip: set[int], k: int) -> list[int]:
    scores = scores.copy()
    if skip:
        scores[np.fromiter(skip, dtype=np.intp)] = -np.inf
    n = min(k, int(np.isfinite(scores).sum()))
    if n <= 0:
        return []
    part = np.argpartition(-scores, n - 1)[:n]
    return [int(i) for i in part[np.lexsort((part, -scores[part]))]]


def plain_als(log: InteractionLog, params: Params) -> Recommend:
    """ALS alone: the customer's trained factors against the item factors."""
    matrix = user_item_matrix(log)
    factors, users = fit_als(
        matrix,
        factors=params.als_factors,
        regularization=params.als_regularization,
        alpha=params.als_alpha,
        iterations=params.als_iterations,
        seed=params.seed,
    )
    fallback = popularity(log)

    def recommend(user: int, skip: set[int], k: int) -> list[int]:
        if user >= users.shape[0] or matrix.indptr[user] == matrix.indptr[user + 1]:
            return fallback(user, skip, k)
        return _top(factors.item_factors @ users[user], skip, k)

    return recommend


def plain_item_knn(log: InteractionLog, neighbours: int = 100) -> Recommend:
    """Item-kNN alone: Σ cosine(j, i) over the customer's items j (implicit's CosineRecommender)."""
    from implicit.nearest_neighbours import CosineRecommender

    matrix = user_item_matrix(log)
    model = CosineRecommender(K=neighbours, num_threads=max(1, min(2, os.cpu_count() or 1)))
    with warnings.catch_warnings():
        # implicit normalises into a COO matrix itself and then warns that it is not CSR
        warnings.filterwarnings("ignore", message="Method expects CSR input")
        model.fit(matrix, show_progress=False)
    similarity: sp.csr_matrix = model.similarity.tocsr()
    order = popularity_order(log)

    def recommend(user: int, skip: set[int], k: int) -> list[int]:
        if user >= matrix.shape[0] or matrix.indptr[user] == matrix.indptr[user + 1]:
            return _fill((), order, skip, k)
        scores = np.asarray((matrix[user] @ similarity).todense(), dtype=np.float32).ravel()
        scores[scores <= 0] = -np.inf
        # fewer than k positive neighbours: backfill with popularity, as the other lists do
        return _fill(_top(scores, skip, k), order, skip, k)

    return recommend
