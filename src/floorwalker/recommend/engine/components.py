"""The building blocks the blend combines, each fitted from an interaction log.

- popularity with exponential time decay (recent purchases count more: trending),
- repurchase propensity per item (how often buyers buy it again), with shrinkage,
- item-to-item co-occurrence: "customers who bought i also bought j" and, from baskets,
  "often bought together",
- implicit-feedback matrix factorisation (ALS from `implicit`), served by folding a shopper's
  history into the item factors at request time (no per-customer vectors are stored),
- content similarity from catalog text (TF-IDF), which also covers items nobody bought yet.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from floorwalker.recommend.engine.data import FloatArray, InteractionLog, Kind, pair_key

DAY = 86_400

#: How much each kind of interaction counts towards "the user engaged with the item".
KIND_WEIGHTS = {Kind.PURCHASE: 1.0, Kind.CART: 0.5, Kind.VIEW: 0.25}


def kind_weights(kinds: npt.NDArray[np.int8]) -> FloatArray:
    """Per-row weight of each interaction kind."""
    table = np.zeros(max(int(k) for k in Kind) + 1, dtype=np.float32)
    for kind, weight in KIND_WEIGHTS.items():
        table[int(kind)] = weight
    return table[kinds.astype(np.intp)]


def distinct_purchases(log: InteractionLog) -> InteractionLog:
    """One row per (user, item, basket): several lines of one item in one order count once."""
    bought = log.purchases()
    if not len(bought):
        return bought
    _, pair = np.unique(pair_key(bought.user, bought.item), return_inverse=True)
    _, first = np.unique(pair_key(pair.reshape(-1), bought.basket), return_index=True)
    keep = np.zeros(len(bought), dtype=bool)
    keep[first] = True
    return bought.select(keep)


def popularity(log: InteractionLog, *, now: int, half_life_days: float) -> FloatArray:
    """Time-decayed engagement per item: each distinct purchase weighs 0.5 ** (age / half-life),
    carts and views less (KIND_WEIGHTS)."""
    scores = np.zeros(log.n_items, dtype=np.float64)
    if not len(log):
        return scores.astype(np.float32)
    bought = distinct_purchases(log)
    others = log.select(log.kind != Kind.PURCHASE)
    for part in (bought, others):
        if not len(part):
            continue
        age_days = np.maximum(0, now - part.time) / DAY
        weight = kind_weights(part.kind) * np.power(0.5, age_days / half_life_days)
        np.add.at(scores, part.item, weight)
    return scores.astype(np.float32)


def buyer_counts(log: InteractionLog) -> FloatArray:
    """Number of distinct users who bought each item."""
    bought = log.purchases()
    counts = np.zeros(log.n_items, dtype=np.float32)
    if len(bought):
        _, first = np.unique(pair_key(bought.user, bought.item), return_index=True)
        np.add.at(counts, bought.item[first], 1.0)
    return counts


def repurchase_propensity(log: InteractionLog, *, prior_strength: float) -> FloatArray:
    """Share of an item's buyers who bought it in two or more orders, shrunk to the store mean.

    propensity_i = (repeaters_i + m · p̄) / (buyers_i + m), m = `prior_strength`, p̄ = the share
    over all (buyer, item) pairs. Items nobody bought get p̄.
    """
    bought = distinct_purchases(log)
    if not len(bought):
        return np.zeros(log.n_items, dtype=np.float32)
    _, first, orders = np.unique(
        pair_key(bought.user, bought.item), return_index=True, return_counts=True
    )
    items = bought.item[first]
    buyers = np.zeros(log.n_items, dtype=np.float64)
    repeaters = np.zeros(log.n_items, dtype=np.float64)
    np.add.at(buyers, items, 1.0)
    np.add.at(repeaters, items, (orders >= 2).astype(np.float64))
    mean = float(repeaters.sum() / max(buyers.sum(), 1.0))
    return ((repeaters + prior_strength * mean) / (buyers + prior_strength)).astype(np.float32)


def user_item_matrix(log: InteractionLog, *, log_scale: bool = True) -> sp.csr_matrix:
    """Users × items engagement: distinct purchases count 1 each, carts and views less;
    with `log_scale`, a cell holds log(1 + total)."""
    bought = distinct_purchases(log)
    others = log.select(log.kind != Kind.PURCHASE)
    users = np.concatenate([bought.user, others.user])
    items = np.concatenate([bought.item, others.item])
    weights = np.concatenate([kind_weights(bought.kind), kind_weights(others.kind)])
    matrix = sp.csr_matrix(
        (weights, (users, items)), shape=(log.n_users, log.n_items), dtype=np.float32
    )
    matrix.sum_duplicates()
    if log_scale:
        matrix.data = np.log1p(matrix.data).astype(np.float32)
    return matrix


def basket_item_matrix(log: InteractionLog) -> sp.csr_matrix:
    """Baskets × items, 1 where the item was in the basket (purchases only)."""
    bought = distinct_purchases(log)
    if not len(bought):
        return sp.csr_matrix((0, log.n_items), dtype=np.float32)
    _, basket = np.unique(bought.basket, return_inverse=True)
    basket = basket.reshape(-1)
    matrix = sp.csr_matrix(
        (np.ones(len(bought), np.float32), (basket, bought.item)),
        shape=(int(basket.max()) + 1, log.n_items),
    )
    matrix.data[:] = 1.0
    return matrix


def top_k_similar(
    left: sp.csr_matrix,
    right: sp.csr_matrix | None = None,
    *,
    k: int,
    norms: tuple[FloatArray, FloatArray] | None = None,
    shrink: float = 0.0,
    block: int = 256,
) -> sp.csr_matrix:
    """Keep, for each item (row of leftᵀ·right), its `k` most similar other items.

    `left` and `right` are entities × items. Similarity is the dot product of item columns,
    divided by norm_i · norm_j + shrink when `norms` are given (cosine with shrinkage).
    Items are processed in blocks so memory stays bounded on large catalogs.
    """
    right = left if right is None else right
    n_items = left.shape[1]
    left_t = left.T.tocsr()
    right = right.tocsc()
    rows: list[npt.NDArray[np.int32]] = []
    cols: list[npt.NDArray[np.int32]] = []
    vals: list[FloatArray] = []
    k = max(0, min(k, n_items - 1))
    for start in range(0, n_items, block):
        stop = min(start + block, n_items)
        dots = (left_t[start:stop] @ right).toarray().astype(np.float32)
        if norms is not None:
            dots /= np.outer(norms[0][start:stop], norms[1]) + shrink + 1e-12
        dots[np.arange(stop - start), np.arange(start, stop)] = 0.0  # not similar to itself
        if k == 0:
            continue
        top = np.argpartition(-dots, k - 1, axis=1)[:, :k] if k < n_items else None
        if top is None:
            continue
        picked = np.take_along_axis(dots, top, axis=1)
        keep = picked > 0
        row_ids = np.repeat(np.arange(start, stop, dtype=np.int32), k).reshape(-1, k)
        rows.append(row_ids[keep])
        cols.append(top[keep].astype(np.int32))
        vals.append(picked[keep])
    if not rows:
        return sp.csr_matrix((n_items, n_items), dtype=np.float32)
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n_items, n_items),
        dtype=np.float32,
    )


def cosine_neighbours(
    matrix: sp.csr_matrix, *, k: int, shrink: float, alpha: float = 0.5
) -> sp.csr_matrix:
    """Top-k item neighbours by (asymmetric) cosine over the rows of `matrix`.

    sim(i, j) = |i ∩ j| / (n_i^alpha · n_j^(1-alpha) + shrink); alpha = 0.5 is the cosine.
    """
    squared = np.asarray(matrix.multiply(matrix).sum(axis=0)).ravel().astype(np.float32)
    norm_i = np.power(squared, alpha).astype(np.float32)
    norm_j = np.power(squared, 1.0 - alpha).astype(np.float32)
    return top_k_similar(matrix, k=k, norms=(norm_i, norm_j), shrink=shrink)


@dataclass(frozen=True, slots=True)
class AlsFactors:
    """Item factors and what fold-in needs: YᵀY + λI, and the confidence scale alpha."""

    item_factors: FloatArray
    gram: npt.NDArray[np.float64]
    alpha: float
    regularization: float


def fit_als(
    matrix: sp.csr_matrix,
    *,
    factors: int,
    regularization: float,
    alpha: float,
    iterations: int,
    seed: int,
) -> tuple[AlsFactors, FloatArray]:
    """Fit implicit-feedback ALS; returns the item side (for serving) and the user factors.

    Runs on the CPU with `implicit`'s own threads capped at two and BLAS single-threaded, so a
    training does not starve the web workers beside it.
    """
    from implicit.cpu.als import AlternatingLeastSquares
    from threadpoolctl import threadpool_limits

    threads = max(1, min(2, os.cpu_count() or 1))
    # BLAS single-threaded while implicit's own threads work (it checks this when built)
    with threadpool_limits(limits=1, user_api="blas"):
        model = AlternatingLeastSquares(
            factors=factors,
            regularization=regularization,
            alpha=alpha,
            iterations=iterations,
            calculate_training_loss=False,
            num_threads=threads,
            random_state=seed,
        )
        model.fit(matrix.astype(np.float32).tocsr(), show_progress=False)
    item_factors = np.ascontiguousarray(model.item_factors, dtype=np.float32)
    user_factors = np.ascontiguousarray(model.user_factors, dtype=np.float32)
    gram = item_factors.T.astype(np.float64) @ item_factors.astype(np.float64)
    gram += regularization * np.eye(factors, dtype=np.float64)
    return AlsFactors(item_factors, gram, alpha, regularization), user_factors


def fold_in(als: AlsFactors, items: npt.NDArray[np.intp], values: FloatArray) -> FloatArray | None:
    """The least-squares user vector for a history, as one more ALS half-step computes it.

    x = (YᵀY + λI + Σ (c_i − 1) y_i y_iᵀ)⁻¹ Σ c_i y_i with c_i = alpha · value_i.
    """
    if items.size == 0:
        return None
    y = als.item_factors[items].astype(np.float64)
    confidence = als.alpha * values.astype(np.float64)
    a = als.gram + (y.T * (confidence - 1.0)) @ y
    b = y.T @ confidence
    return np.linalg.solve(a, b).astype(np.float32)


def content_neighbours(documents: list[str], *, k: int) -> sp.csr_matrix:
    """Top-k items by cosine similarity of TF-IDF vectors of their text (words and bigrams)."""
    n = len(documents)
    if n == 0 or not any(doc.strip() for doc in documents):
        return sp.csr_matrix((n, n), dtype=np.float32)
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(
        lowercase=True,
        strip_accents="unicode",
        ngram_range=(1, 2),
        min_df=1,
        max_df=0.5 if n >= 20 else 1.0,
        sublinear_tf=True,
        dtype=np.float32,
    )
    try:
        vectors = vectoriser.fit_transform(documents)
    except ValueError:  # every word is a stop word or too common: no content signal
        return sp.csr_matrix((n, n), dtype=np.float32)
    # rows are L2-normalised, so item·item is the cosine; left = vectorsᵀ makes items columns
    return top_k_similar(vectors.T.tocsr(), k=k)
