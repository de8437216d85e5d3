"""The pooled model: one gradient-boosted tree model learnt across every SKU of a store.

Each training example is (an SKU, a forecast origin t, a step h ahead). Its features describe the
SKU's recent history *divided by its own scale* (mean demand of the last `window` periods), so
a slow and a fast seller that move alike look alike; the target is demand at t + h divided by
the same scale, and the example is weighted by the scale. Under absolute loss that weighting
makes the model minimise Σ|demand − forecast| in units — exactly what WAPE measures — and the
median it learns is the right point forecast for lumpy demand. Quantile losses give the
interval bounds, a Poisson loss gives the mean (what stock planning needs).

Features (all from periods ≤ t): the last `window` periods of units, of orders and, when known,
of distinct customers and of capped units (bulk lines limited, see history.CAP_MULTIPLE), each
scaled; means over 4, 8, 26 and 52 periods; the median of the last 8; the share of periods with
demand; log scales; the store-wide trend (last 4 vs last 13 periods, last 8 vs last 26); the
step h; for daily series, the weekday of the target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor
from threadpoolctl import threadpool_limits

from floorwalker.insights.forecasting.history import FloatMatrix, Frequency, SalesHistory

#: Units of jitter, at most, added to the targets of the median and interval fits (see forecast).
TIE_JITTER = 1e-6


@dataclass(frozen=True, slots=True)
class PooledParams:
    """Hyper-parameters, chosen on validation windows before the held-out weeks (docs)."""

    window: int = 13
    max_iter: int = 100
    learning_rate: float = 0.1
    max_leaf_nodes: int = 15
    min_samples_leaf: int = 100
    #: Training examples kept at most (bounds time and memory; see _training_set).
    max_rows: int = 250_000
    random_state: int = 0
    #: OpenMP threads for fitting. One by default: on a busy machine more threads spin-wait
    #: for each other (a fit measured 16 s on one thread and 117 s on two under load).
    threads: int = 1


@dataclass(frozen=True, slots=True)
class PooledForecast:
    """Forecasts per SKU (rows) and step (columns); optional parts are None when not asked."""

    point: FloatMatrix
    lower: FloatMatrix | None = None
    upper: FloatMatrix | None = None
    mean: FloatMatrix | None = None


def min_periods(params: PooledParams) -> int:
    """Shortest history the pooled model can learn from (one window plus one target)."""
    return params.window + 1


def _mean_last(a: FloatMatrix, t: int, k: int) -> FloatMatrix:
    out: FloatMatrix = a[:, max(0, t - k + 1) : t + 1].mean(axis=1)
    return out


def _safe(scale: FloatMatrix) -> FloatMatrix:
    return np.where(scale > 0, scale, 1.0)


def _features(
    h: SalesHistory, t: int, totals: FloatMatrix, window: int
) -> tuple[FloatMatrix, FloatMatrix]:
    """Features of every SKU at origin t (without the step) and each SKU's scale."""
    lo = t - window + 1
    units = h.units[:, lo : t + 1]
    scale = _safe(units.mean(axis=1))
    oscale = _safe(h.orders[:, lo : t + 1].mean(axis=1))
    s, o = scale[:, None], oscale[:, None]
    parts = [
        units / s,
        h.orders[:, lo : t + 1] / o,
        h.capped[:, lo : t + 1] / s,
        h.customers[:, lo : t + 1] / o,
    ]
    for k in (4, 8, 26, 52):
        parts.append(_mean_last(h.units, t, k)[:, None] / s)
        parts.append(_mean_last(h.orders, t, k)[:, None] / o)
    for k in (4, 8, 26):
        parts.append(_mean_last(h.capped, t, k)[:, None] / s)
        parts.append(_mean_last(h.customers, t, k)[:, None] / o)
    parts.append(np.median(h.units[:, max(0, t - 7) : t + 1], axis=1)[:, None] / s)
    parts.append((units > 0).mean(axis=1)[:, None])
    parts.append(np.log1p(units.mean(axis=1))[:, None])
    parts.append(np.log1p(h.orders[:, lo : t + 1].mean(axis=1))[:, None])
    n = h.n_series
    recent4, recent13 = _mean_last(totals[None, :], t, 4), _mean_last(totals[None, :], t, 13)
    recent8, recent26 = _mean_last(totals[None, :], t, 8), _mean_last(totals[None, :], t, 26)
    parts.append(np.full((n, 1), float(recent4[0] / recent13[0]) if recent13[0] > 0 else 1.0))
    parts.append(np.full((n, 1), float(recent8[0] / recent26[0]) if recent26[0] > 0 else 1.0))
    return np.hstack(parts), scale


def _step_columns(n: int, step: int, target_period: int, frequency: Frequency) -> FloatMatrix:
    cols = [np.full((n, 1), float(step))]
    if frequency is Frequency.DAY:
        cols.append(np.full((n, 1), float((target_period - 4) % 7)))  # 0 = Monday
    return np.hstack(cols)


def _training_set(
    h: SalesHistory, horizon: int, params: PooledParams
) -> tuple[FloatMatrix, FloatMatrix, FloatMatrix]:
    """Every (SKU, origin, step) example; past `max_rows`, the same random share of SKUs is
    kept at every origin (so all of the year's origins stay represented)."""
    totals = h.units.sum(axis=0)
    # newest origins first: the row order is part of what was validated (early stopping
    # holds out a seeded random share of rows)
    origins = list(range(h.n_periods - 2, params.window - 2, -1))
    steps = sum(min(horizon, h.n_periods - 1 - t) for t in origins)
    keep_share = min(1.0, params.max_rows / max(1, steps * h.n_series))
    rng = np.random.default_rng(params.random_state)
    xs: list[FloatMatrix] = []
    ys: list[FloatMatrix] = []
    ws: list[FloatMatrix] = []
    for t in origins:
        base, scale = _features(h, t, totals, params.window)
        rows = np.arange(h.n_series)
        if keep_share < 1.0:
            rows = np.flatnonzero(rng.random(h.n_series) < keep_share)
            if rows.size == 0:
                continue
        for step in range(1, horizon + 1):
            if t + step >= h.n_periods:
                break
            extra = _step_columns(rows.size, step, h.first_period + t + step, h.frequency)
            xs.append(np.hstack([base[rows], extra]))
            ys.append(h.units[rows, t + step] / scale[rows])
            ws.append(scale[rows])
    if not xs:
        raise ValueError("the history is too short for the pooled model")
    return np.vstack(xs), np.concatenate(ys), np.concatenate(ws)


class _Quantiser:
    """Maps each feature to its weighted-quantile bin (at most 255 distinct values).

    scikit-learn bins features itself, but with sample weights it computes each of 255
    percentiles with a separate sort (minutes on 100k rows); one sort per feature here gives the
    same kind of bins, and a feature with ≤ 255 distinct values takes its fast path.
    """

    def __init__(self, x: FloatMatrix, weights: FloatMatrix, bins: int = 255) -> None:
        levels = np.linspace(0, 1, bins + 1)[1:-1]
        total = weights.sum()
        self.edges: list[FloatMatrix] = []
        for col in range(x.shape[1]):
            order = np.argsort(x[:, col], kind="stable")
            values = x[order, col]
            cdf = np.cumsum(weights[order]) / total
            picks = np.minimum(np.searchsorted(cdf, levels), values.size - 1)
            self.edges.append(np.unique(values[picks]))

    def __call__(self, x: FloatMatrix) -> FloatMatrix:
        out = np.empty_like(x)
        for col, edges in enumerate(self.edges):
            out[:, col] = np.searchsorted(edges, x[:, col], side="left")
        return out


def _model(
    params: PooledParams, loss: str, quantile: float | None = None
) -> HistGradientBoostingRegressor:
    kwargs: dict[str, object] = {}
    if quantile is not None:
        kwargs["quantile"] = quantile
    return HistGradientBoostingRegressor(
        loss=loss,
        max_iter=params.max_iter,
        learning_rate=params.learning_rate,
        max_leaf_nodes=params.max_leaf_nodes,
        min_samples_leaf=params.min_samples_leaf,
        random_state=params.random_state,
        **kwargs,
    )


def forecast(
    history: SalesHistory,
    horizon: int,
    *,
    params: PooledParams | None = None,
    interval: tuple[float, float] | None = None,
    mean: bool = False,
) -> PooledForecast:
    """Fit the pooled model on the whole history and forecast `horizon` periods after it.

    `interval` = (lower, upper) quantile levels, e.g. (0.05, 0.95) for a 90 % interval.
    Raises ValueError when the history is shorter than `min_periods`.
    """
    params = params or PooledParams()
    if history.n_periods < min_periods(params):
        raise ValueError("the history is too short for the pooled model")
    x, y, w = _training_set(history, horizon, params)
    totals = history.units.sum(axis=0)
    origin = history.n_periods - 1
    base, scale = _features(history, origin, totals, params.window)
    grid = [
        np.hstack(
            [
                base,
                _step_columns(
                    history.n_series, step, history.first_period + origin + step, history.frequency
                ),
            ]
        )
        for step in range(1, horizon + 1)
    ]

    quantise = _Quantiser(x, w)
    x = quantise(x)
    grid = [quantise(g) for g in grid]

    # scikit-learn's absolute and quantile losses give a row whose target equals the prediction
    # the gradient of one below it. When most weight sits on zero weeks (a store of slow
    # sellers), the first prediction (the weighted median, 0) ties with all of them: their
    # gradients match the steady sellers' and no split tells them apart (a SKU selling 30 a
    # week got a median of 3). Less than TIE_JITTER units added to every target breaks the
    # ties; rounding the forecasts to 1e-4 units removes it again (a 5 % bound of 0 stays 0).
    jitter = np.random.default_rng(params.random_state).uniform(0.0, TIE_JITTER, y.size) / w

    def fitted(loss: str, quantile: float | None = None) -> FloatMatrix:
        target = y if loss == "poisson" else y + jitter
        with threadpool_limits(limits=params.threads, user_api="openmp"):
            model = _model(params, loss, quantile).fit(x, target, sample_weight=w)
            out = np.column_stack([model.predict(g) for g in grid]) * scale[:, None]
        if loss != "poisson":
            out = np.round(out, 4)
        return np.maximum(out, 0.0)

    point = fitted("absolute_error")
    lower = upper = average = None
    if interval is not None:
        lower = np.minimum(fitted("quantile", interval[0]), point)
        upper = np.maximum(fitted("quantile", interval[1]), point)
    if mean:
        average = fitted("poisson")
    return PooledForecast(point=point, lower=lower, upper=upper, mean=average)
