"""Forecast accuracy: WAPE and MASE, defined exactly as in docs/insights.md."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from floorwalker.insights.forecasting.history import FloatMatrix


def wape(actual: FloatMatrix, forecast: FloatMatrix) -> float:
    """Σ|actual − forecast| / Σ|actual| over every series and period (nan when Σ|actual| = 0)."""
    total = float(np.abs(actual).sum())
    if total == 0:
        return float("nan")
    return float(np.abs(actual - forecast).sum()) / total


@dataclass(frozen=True, slots=True)
class Mase:
    """Mean absolute scaled error over the series that have a scale."""

    value: float
    #: Series left out because their training part never changed (naive error 0).
    excluded: int


def mase(train: FloatMatrix, actual: FloatMatrix, forecast: FloatMatrix) -> Mase:
    """Mean over series of MAE(holdout) / MAE of the one-step naive forecast in training.

    The scale of series i is mean(|yₜ − yₜ₋₁|) over its training part from its first sale on
    (periods before a product's first sale are not demand history). Series with scale 0 or
    fewer than two periods from their first sale are excluded and counted.
    """
    n, t_max = train.shape
    sold = train > 0
    first = np.where(sold.any(axis=1), np.argmax(sold, axis=1), t_max)
    steps = np.abs(np.diff(train, axis=1))
    counted = np.arange(1, t_max)[None, :] > first[:, None]
    count = counted.sum(axis=1)
    scale = np.where(count > 0, (steps * counted).sum(axis=1) / np.maximum(count, 1), 0.0)
    ok = scale > 0
    if not ok.any():
        return Mase(float("nan"), n)
    mae = np.abs(actual - forecast).mean(axis=1)
    return Mase(float((mae[ok] / scale[ok]).mean()), int((~ok).sum()))
