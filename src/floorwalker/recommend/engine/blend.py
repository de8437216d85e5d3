"""Learning the blend weights on a validation period (see engine.train for the protocol).

Each validation customer contributes a block of candidates — the top items of every feature —
with their features and whether they bought them in the validation period. A logistic
regression over all blocks gives a first set of weights; coordinate ascent then adjusts one
weight at a time to maximise the validation objective (mean of NDCG@20 and recall@20, the
figures the evaluation reports), which the regression's log-loss only approximates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from floorwalker.recommend.engine.data import FloatArray

#: Weight multipliers and offsets tried by one coordinate-ascent step.
_STEPS = (0.0, 0.5, 0.8, 1.25, 2.0)
_OFFSETS = (-0.1, 0.1)


@dataclass(frozen=True, slots=True)
class Block:
    """One validation customer's candidates: features (c × F), labels, and |held-out|."""

    features: FloatArray
    labels: npt.NDArray[np.bool_]
    held_out: int
    #: Repurchase propensity of candidates the customer bought recently; +inf for the others.
    recent_propensity: FloatArray


#: Repurchase thresholds tried when learning the "just bought" rule.
THRESHOLDS = (0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5)


def objective(
    blocks: list[Block], weights: FloatArray, threshold: float = 0.0, k: int = 20
) -> float:
    """Mean over customers of (NDCG@k + recall@k) / 2, ranking only each block's candidates;
    recently bought candidates with propensity below `threshold` are left out."""
    discounts = 1.0 / np.log2(np.arange(2, k + 2, dtype=np.float64))
    ideal_cum = np.cumsum(discounts)
    total = 0.0
    for block in blocks:
        scores = block.features @ weights
        if threshold > 0:
            scores = np.where(block.recent_propensity < threshold, -np.inf, scores)
        n = scores.shape[0]
        if n > k:
            top = np.argpartition(-scores, k - 1)[:k]
            top = top[np.argsort(-scores[top], kind="stable")]
        else:
            top = np.argsort(-scores, kind="stable")
        rel = block.labels[top].astype(np.float64)
        found = rel.sum()
        cap = min(k, block.held_out)
        total += 0.5 * float(rel @ discounts[: rel.size]) / float(ideal_cum[cap - 1])
        total += 0.5 * float(found) / cap
    return total / max(len(blocks), 1)


def logistic_weights(blocks: list[Block], learnable: list[int], seed: int) -> FloatArray:
    """Per-feature weights of a logistic regression over all candidates (others get 0)."""
    from sklearn.linear_model import LogisticRegression

    x = np.concatenate([b.features for b in blocks]).astype(np.float64)
    y = np.concatenate([b.labels for b in blocks])
    sub = x[:, learnable]
    mean, std = sub.mean(axis=0), sub.std(axis=0)
    clf = LogisticRegression(C=1.0, max_iter=1000, random_state=seed)
    clf.fit((sub - mean) / std, y)
    weights = np.zeros(x.shape[1], dtype=np.float32)
    weights[learnable] = clf.coef_.ravel() / std
    return weights


def choose_threshold(
    blocks: list[Block], weights: FloatArray, *, tolerance: float = 5e-4
) -> tuple[float, dict[str, float]]:
    """The strictest repurchase threshold whose objective is within `tolerance` of the best.

    Leaving a just-bought item out of a list costs nothing when nobody buys it again, so the
    strictest rule the data does not punish is the one shoppers would want.
    """
    scores = {t: objective(blocks, weights, t) for t in THRESHOLDS}
    best = max(scores.values())
    chosen = max(t for t, s in scores.items() if s >= best - tolerance)
    return chosen, {str(t): round(s, 4) for t, s in scores.items()}


def coordinate_ascent(
    blocks: list[Block], start: FloatArray, learnable: list[int], *, rounds: int = 2
) -> tuple[FloatArray, float]:
    """Improve `start` one weight at a time on the objective; returns weights and objective."""
    best = start.astype(np.float32).copy()
    best_score = objective(blocks, best)
    for _ in range(rounds):
        improved = False
        scale = float(np.abs(best[learnable]).mean()) or 1.0
        for f in learnable:
            candidates = {float(best[f]) * m for m in _STEPS}
            candidates.update(float(best[f]) + o * scale for o in _OFFSETS)
            for value in sorted(candidates):
                trial = best.copy()
                trial[f] = value
                score = objective(blocks, trial)
                if score > best_score + 1e-6:
                    best, best_score, improved = trial, score, True
        if not improved:
            break
    return best, best_score
