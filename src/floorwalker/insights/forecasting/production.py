"""The forecasts a store keeps: per SKU and week ahead a median, a mean and an interval.

The pooled model (see pooled.py) is used once the store has `min_periods` full weeks; before
that, TSB with an interval from the SKU's own week-to-week spread. Daily values are the weekly
ones spread over the weekdays by the SKU's weekday shares (shrunk towards the store's).
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
from scipy import stats

from floorwalker.insights.forecasting import classical, pooled
from floorwalker.insights.forecasting.history import FloatMatrix, SalesHistory

#: Units of a SKU's own sales that weigh as much as the store's weekday profile.
WEEKDAY_PRIOR_UNITS = 14.0


@dataclass(frozen=True, slots=True)
class SkuForecast:
    """One SKU's forecast for each week ahead, and its weekday shares (Monday first)."""

    key: str
    point: list[float]
    mean: list[float]
    lower: list[float]
    upper: list[float]
    weekday_shares: list[float]
    recent_4w: float
    recent_13w: float


def weekday_shares(by_weekday: FloatMatrix) -> FloatMatrix:
    """Each SKU's share of demand per weekday, shrunk towards the store's (rows sum to 1).

    share = (units on that weekday + k × store share) / (units + k), k = WEEKDAY_PRIOR_UNITS.
    """
    store = by_weekday.sum(axis=0)
    store_share = store / store.sum() if store.sum() > 0 else np.full(7, 1 / 7)
    totals = by_weekday.sum(axis=1, keepdims=True)
    out: FloatMatrix = (by_weekday + WEEKDAY_PRIOR_UNITS * store_share[None, :]) / (
        totals + WEEKDAY_PRIOR_UNITS
    )
    return out


def _fallback(history: SalesHistory, horizon: int, level: float) -> pooled.PooledForecast:
    """TSB level with a normal interval of the SKU's weekly spread (at least Poisson's)."""
    mean = classical.tsb(history.units, horizon)
    spread = (
        history.units.std(axis=1, ddof=1) if history.n_periods > 1 else np.zeros(history.n_series)
    )
    sigma = np.sqrt(np.maximum(spread**2, mean[:, 0]))[:, None]
    z = NormalDist().inv_cdf(0.5 + level / 2)
    return pooled.PooledForecast(
        point=mean,
        lower=np.maximum(mean - z * sigma, 0.0),
        upper=mean + z * sigma,
        mean=mean,
    )


def method_for(history: SalesHistory, params: pooled.PooledParams | None = None) -> str:
    """`pooled` with enough full weeks, else `tsb`."""
    return (
        "pooled"
        if history.n_periods >= pooled.min_periods(params or pooled.PooledParams())
        else "tsb"
    )


def forecast_store(
    history: SalesHistory,
    by_weekday: FloatMatrix,
    *,
    horizon: int,
    level: float = 0.9,
    params: pooled.PooledParams | None = None,
) -> tuple[str, list[SkuForecast]]:
    """Forecast every SKU of `history`; `by_weekday` holds each SKU's units per weekday."""
    method = method_for(history, params)
    if method == "pooled":
        result = pooled.forecast(
            history, horizon, params=params, interval=(0.5 - level / 2, 0.5 + level / 2), mean=True
        )
    else:
        result = _fallback(history, horizon, level)
    lower, upper, mean = result.lower, result.upper, result.mean
    if lower is None or upper is None or mean is None:  # both paths set them; for the types
        raise ValueError("forecast without interval or mean")
    shares = weekday_shares(by_weekday)
    recent4 = history.units[:, -4:].sum(axis=1)
    recent13 = history.units[:, -13:].sum(axis=1)
    out = [
        SkuForecast(
            key=key,
            point=[round(float(v), 3) for v in result.point[i]],
            mean=[round(float(v), 3) for v in mean[i]],
            lower=[round(float(v), 3) for v in lower[i]],
            upper=[round(float(v), 3) for v in upper[i]],
            weekday_shares=[round(float(v), 5) for v in shares[i]],
            recent_4w=float(recent4[i]),
            recent_13w=float(recent13[i]),
        )
        for i, key in enumerate(history.keys)
    ]
    return method, out


def daily_quantiles(mean: float, variance: float, levels: tuple[float, float]) -> tuple[int, int]:
    """Bounds of a day's demand: negative-binomial quantiles (Poisson when not over-dispersed)."""
    if mean <= 0:
        return 0, 0
    if variance <= mean * 1.0001:
        dist = stats.poisson(mean)
    else:
        dist = stats.nbinom(mean * mean / (variance - mean), mean / variance)
    return int(dist.ppf(levels[0])), int(dist.ppf(levels[1]))
