"""Offline ranking metrics, exactly as docs/recommendations.md defines them.

For a customer u with held-out items T_u and a ranked list L_u (its first k items L_u@k):

- recall@k   = |L_u@k ∩ T_u| / min(k, |T_u|)                       (mean over customers)
- NDCG@k     = DCG / IDCG, DCG = Σ_{r=1..k} [L_u[r] ∈ T_u] / log2(r + 1),
               IDCG = Σ_{r=1..min(k,|T_u|)} 1 / log2(r + 1)         (mean over customers)
- hit rate@k = share of customers with |L_u@k ∩ T_u| ≥ 1
- coverage@k = |∪_u L_u@k| / |catalogue|                            (catalogue = training items)
- novelty@k  = mean over customers of the mean over L_u@k of −log2((b_i + 1) / (U + 1)),
               b_i = training customers who bought i, U = training customers
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True, slots=True)
class Metrics:
    """The five figures of one model at one k."""

    recall: float
    ndcg: float
    hit_rate: float
    coverage: float
    novelty: float
    users: int

    def as_dict(self) -> dict[str, float | int]:
        """The figures as a dict (rounded to 4 places)."""
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def _discounts(k: int) -> npt.NDArray[np.float64]:
    return 1.0 / np.log2(np.arange(2, k + 2, dtype=np.float64))


def evaluate(
    lists: Mapping[int, Sequence[int]],
    truth: Mapping[int, set[int]],
    *,
    k: int,
    catalogue_size: int,
    buyers: npt.NDArray[np.float32],
    training_users: int,
) -> Metrics:
    """Score ranked lists (item indices) against held-out sets for the customers in `truth`.

    Customers with an empty held-out set are skipped; a customer without a list counts as a
    list of zero hits.
    """
    discounts = _discounts(k)
    self_info = -np.log2((buyers.astype(np.float64) + 1.0) / (training_users + 1.0))
    recall = ndcg = hits = novelty = 0.0
    shown: set[int] = set()
    users = 0
    for user, held_out in truth.items():
        if not held_out:
            continue
        users += 1
        ranked = list(lists.get(user, ()))[:k]
        rel = np.fromiter(
            (item in held_out for item in ranked), dtype=np.float64, count=len(ranked)
        )
        found = float(rel.sum())
        ideal = float(discounts[: min(k, len(held_out))].sum())
        recall += found / min(k, len(held_out))
        ndcg += float(rel @ discounts[: len(ranked)]) / ideal
        hits += 1.0 if found else 0.0
        if ranked:
            novelty += float(self_info[np.asarray(ranked, dtype=np.intp)].mean())
        shown.update(ranked)
    if users == 0:
        return Metrics(0.0, 0.0, 0.0, 0.0, 0.0, 0)
    return Metrics(
        recall=recall / users,
        ndcg=ndcg / users,
        hit_rate=hits / users,
        coverage=len(shown) / max(catalogue_size, 1),
        novelty=novelty / users,
        users=users,
    )
