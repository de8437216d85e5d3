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


@dataclass(frozen=True, slots=True)
class Pool:
    """All validation blocks padded to one width, so an objective evaluation is a handful of
    array operations instead of a Python loop over customers."""

    #: customers × candidates × features (padding rows are 0 and not valid)
    features: FloatArray
    labels: npt.NDArray[np.bool_]
    valid: npt.NDArray[np.bool_]
    held_out: npt.NDArray[np.float64]
    recent_propensity: FloatArray

    @classmethod
    def of(cls, blocks: list[Block]) -> Pool:
        """Pad and stack blocks."""
        width = max((b.labels.size for b in blocks), default=0)
        n_features = blocks[0].features.shape[1] if blocks else 0
        features = np.zeros((len(blocks), width, n_features), dtype=np.float32)
        labels = np.zeros((len(blocks), width), dtype=bool)
        valid = np.zeros((len(blocks), width), dtype=bool)
        recent = np.full((len(blocks), width), np.inf, dtype=np.float32)
        for row, block in enumerate(blocks):
            size = block.labels.size
            features[row, :size] = block.features
            labels[row, :size] = block.labels
            valid[row, :size] = True
            recent[row, :size] = block.recent_propensity
        return cls(
            features=features,
            labels=labels,
            valid=valid,
            held_out=np.asarray([b.held_out for b in blocks], dtype=np.float64),
            recent_propensity=recent,
        )

    def __len__(self) -> int:
        return int(self.held_out.size)

    def rows(self) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
        """Every real candidate's features and label (for the regression)."""
        return self.features[self.valid], self.labels[self.valid]


def objective(pool: Pool, weights: FloatArray, threshold: float = 0.0, k: int = 20) -> float:
    """Mean over customers of (NDCG@k + recall@k) / 2, ranking only each block's candidates;
    recently bought candidates with propensity below `threshold` are left out."""
    if len(pool) == 0:
        return 0.0
    scores = np.where(pool.valid, pool.features @ weights.astype(np.float32), -np.inf)
    if threshold > 0:
        scores = np.where(pool.recent_propensity < threshold, -np.inf, scores)
    width = scores.shape[1]
    top = np.argpartition(-scores, k - 1, axis=1)[:, :k] if width > k else np.argsort(-scores)
    values = np.take_along_axis(scores, top, axis=1)
    order = np.argsort(-values, axis=1, kind="stable")
    ranked = np.take_along_axis(top, order, axis=1)
    hit = np.take_along_axis(pool.labels, ranked, axis=1) & np.isfinite(
        np.take_along_axis(values, order, axis=1)
    )
    discounts = 1.0 / np.log2(np.arange(2, k + 2, dtype=np.float64))
    dcg = hit @ discounts[: hit.shape[1]]
    found = hit.sum(axis=1)
    cap = np.minimum(pool.held_out, k).astype(np.intp)
    ideal = np.cumsum(discounts)[cap - 1]
    return float(np.mean(0.5 * dcg / ideal + 0.5 * found / cap))


def logistic_weights(pool: Pool, learnable: list[int], seed: int) -> FloatArray:
    """Per-feature weights of a logistic regression over all candidates (others get 0)."""
    from sklearn.linear_model import LogisticRegression

    features, y = pool.rows()
    x = features.astype(np.float64)
    sub = x[:, learnable]
    mean, std = sub.mean(axis=0), sub.std(axis=0)
    clf = LogisticRegression(C=1.0, max_iter=1000, random_state=seed)
    clf.fit((sub - mean) / std, y)
    weights = np.zeros(x.shape[1], dtype=np.float32)
    weights[learnable] = clf.coef_.ravel() / std
    return weights


def choose_threshold(
    pool: Pool, weights: FloatArray, *, tolerance: float = 5e-4
) -> tuple[float, dict[str, float]]:
    """The strictest repurchase threshold whose objective is within `tolerance` of the best.

    Leaving a just-bought item out of a list costs nothing when nobody buys it again, so the
    strictest rule the data does not punish is the one shoppers would want.
    """
    scores = {t: objective(pool, weights, t) for t in THRESHOLDS}
    best = max(scores.values())
    chosen = max(t for t, s in scores.items() if s >= best - tolerance)
    return chosen, {str(t): round(s, 4) for t, s in scores.items()}


def coordinate_ascent(
    pool: Pool, start: FloatArray, learnable: list[int], *, rounds: int = 2
) -> tuple[FloatArray, float]:
    """Improve `start` one weight at a time on the objective; returns weights and objective."""
    best = start.astype(np.float32).copy()
    best_score = objective(pool, best)
    for _ in range(rounds):
        improved = False
        scale = float(np.abs(best[learnable]).mean()) or 1.0
        for f in learnable:
            candidates = {float(best[f]) * m for m in _STEPS}
            candidates.update(float(best[f]) + o * scale for o in _OFFSETS)
            for value in sorted(candidates):
                trial = best.copy()
                trial[f] = value
                score = objective(pool, trial)
                if score > best_score + 1e-6:
                    best, best_score, improved = trial, score, True
        if not improved:
            break
    return best, best_score
