"""Stock maths: days of cover, reorder point, order-up-to level, alert status (pure functions).

Demand per day comes from the stored weekly forecast: day d of week k has mean
μ_k × share(weekday) and variance σ_k² × share(weekday), where σ_k is read off the forecast's
interval (upper − lower = 2 z σ). Over a span of days means and variances add up, so

    lead-time demand  D_L = Σ_{d<L} μ_d       safety stock  SS = z(service level) · √Σ_{d<L} v_d
    reorder point     ROP = D_L + SS          order-up-to   S  = Σ_{d<L+R} μ_d + z · √Σ_{d<L+R} v_d

and when available ≤ ROP the suggestion is to order ⌈S − available⌉ units. Days of cover is
the day on which cumulative mean demand reaches the available stock. Beyond the forecast's
horizon the last week repeats. Stock already on order is not known to Floorwalker.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
#: Days of cover is not looked for past this many days (shown as "more than a year").
MAX_COVER_DAYS = 365
_UNIFORM = (1 / 7,) * 7


class StockStatus(StrEnum):
    """What an alert says about a variant."""

    OUT_OF_STOCK = "out_of_stock"
    LOW_STOCK = "low_stock"
    OK = "ok"


class RuleMode(StrEnum):
    """How a stock rule decides "low": a fixed number of units or days of cover."""

    FIXED = "fixed"
    COVER = "cover"


@dataclass(frozen=True, slots=True)
class RuleValues:
    """The parts of a stock rule the maths needs."""

    mode: RuleMode = RuleMode.FIXED
    low_stock_threshold: int = 5
    lead_time_days: int = 14
    review_period_days: int = 7
    service_level: float = 0.95


@dataclass(frozen=True, slots=True)
class WeeklyForecast:
    """A variant's weekly forecast as stored, and how far into it today is."""

    mean: list[float]
    lower: list[float]
    upper: list[float]
    weekday_shares: list[float]
    #: Weekday (0 = Monday) of the forecast's first day; and days from it to today.
    first_weekday: int = 0
    days_elapsed: int = 0
    interval_level: float = 0.9


@dataclass(frozen=True, slots=True)
class StockPlan:
    """Days of cover and the reorder suggestion for one variant."""

    daily_demand: float
    days_of_cover: float | None
    lead_time_demand: float
    safety_stock: float
    reorder_point: float
    order_up_to: float
    suggested_quantity: int


@functools.lru_cache(maxsize=256)
def z_score(probability: float) -> float:
    """The standard normal quantile, e.g. 0.95 → 1.645."""
    return NormalDist().inv_cdf(probability)


def _daily_arrays(forecast: WeeklyForecast, days: int) -> tuple[FloatArray, FloatArray]:
    """Mean and variance of each of the next `days` days, as arrays (vectorised: the stock
    report does this for every variant of a store)."""
    if not forecast.mean or days <= 0:
        return np.zeros(max(days, 0)), np.zeros(max(days, 0))
    shares = np.asarray(
        forecast.weekday_shares if len(forecast.weekday_shares) == 7 else _UNIFORM, dtype=float
    )
    z = z_score(0.5 + forecast.interval_level / 2)
    mean = np.maximum(np.asarray(forecast.mean, dtype=float), 0.0)
    sigma = np.maximum(np.asarray(forecast.upper, float) - np.asarray(forecast.lower, float), 0.0)
    sigma = sigma / (2 * z)
    day = np.arange(forecast.days_elapsed, forecast.days_elapsed + days)
    week = np.minimum(day // 7, len(mean) - 1)
    share = shares[(forecast.first_weekday + day) % 7]
    return mean[week] * share, sigma[week] ** 2 * share


def daily_series(forecast: WeeklyForecast, days: int) -> tuple[list[float], list[float]]:
    """Mean and variance of demand for each of the next `days` days from today."""
    means, variances = _daily_arrays(forecast, days)
    return means.tolist(), variances.tolist()


def days_of_cover(available: int, means: Sequence[float] | FloatArray) -> float | None:
    """Days until cumulative mean demand reaches `available` (None: not within the days given)."""
    if available <= 0:
        return 0.0
    daily = np.asarray(means, dtype=float)
    cumulative = np.cumsum(daily)
    day = int(np.searchsorted(cumulative, available - 1e-12, side="left"))
    if day >= daily.size or daily[day] <= 0:
        return None
    before = float(cumulative[day - 1]) if day > 0 else 0.0
    return round(day + (available - before) / float(daily[day]), 2)


def plan(available: int, forecast: WeeklyForecast | None, rule: RuleValues) -> StockPlan:
    """Days of cover and reorder point, order-up-to level and suggested quantity."""
    if forecast is None:
        return StockPlan(0.0, None, 0.0, 0.0, 0.0, 0.0, 0)
    return plan_many([available], [forecast], rule)[0]


def plan_many(
    available: Sequence[int], forecasts: Sequence[WeeklyForecast], rule: RuleValues
) -> list[StockPlan]:
    """`plan` for many variants under one rule at once (numpy over variants × days).

    Forecasts of one run share their length, first weekday, days elapsed and interval level;
    mixed ones are planned one group at a time.
    """
    if not forecasts:
        return []
    groups: dict[tuple[int, int, int, float], list[int]] = {}
    for i, f in enumerate(forecasts):
        key = (len(f.mean), f.first_weekday, f.days_elapsed, f.interval_level)
        groups.setdefault(key, []).append(i)
    out: list[StockPlan | None] = [None] * len(forecasts)
    for indices in groups.values():
        for i, result in zip(
            indices,
            _plan_group([available[i] for i in indices], [forecasts[i] for i in indices], rule),
            strict=True,
        ):
            out[i] = result
    return [p for p in out if p is not None]


def _plan_group(
    available: list[int], forecasts: list[WeeklyForecast], rule: RuleValues
) -> list[StockPlan]:
    first = forecasts[0]
    weeks = len(first.mean)
    if weeks == 0:
        return [StockPlan(0.0, None, 0.0, 0.0, 0.0, 0.0, 0) for _ in forecasts]
    span = rule.lead_time_days + rule.review_period_days
    days = max(span, MAX_COVER_DAYS)
    mean = np.maximum(np.array([f.mean for f in forecasts], dtype=float), 0.0)
    width = np.array([f.upper for f in forecasts], float) - np.array(
        [f.lower for f in forecasts], float
    )
    sigma = np.maximum(width, 0.0) / (2 * z_score(0.5 + first.interval_level / 2))
    shares = np.array(
        [f.weekday_shares if len(f.weekday_shares) == 7 else _UNIFORM for f in forecasts], float
    )
    day = np.arange(first.days_elapsed, first.days_elapsed + days)
    week = np.minimum(day // 7, weeks - 1)
    weekday = (first.first_weekday + day) % 7
    means = mean[:, week] * shares[:, weekday]
    variances = sigma[:, week] ** 2 * shares[:, weekday]
    z = z_score(rule.service_level)
    lead = rule.lead_time_days
    lead_mean = means[:, :lead].sum(axis=1)
    safety = z * np.sqrt(variances[:, :lead].sum(axis=1))
    up_to = means[:, :span].sum(axis=1) + z * np.sqrt(variances[:, :span].sum(axis=1))
    reorder_point = lead_mean + safety
    horizon = max(7, min(28, weeks * 7))
    daily = means[:, :horizon].sum(axis=1) / horizon
    stock = np.asarray(available, dtype=float)
    cumulative = np.cumsum(means[:, :MAX_COVER_DAYS], axis=1)
    reached = cumulative >= stock[:, None] - 1e-12
    first_day = reached.argmax(axis=1)
    plans = []
    for v in range(len(forecasts)):
        cover: float | None
        if available[v] <= 0:
            cover = 0.0
        elif not reached[v].any():
            cover = None
        else:
            d = int(first_day[v])
            before = float(cumulative[v, d - 1]) if d > 0 else 0.0
            cover = round(d + (available[v] - before) / float(means[v, d]), 2)
        order = (
            math.ceil(float(up_to[v]) - available[v] - 1e-9)
            if available[v] <= reorder_point[v]
            else 0
        )
        plans.append(
            StockPlan(
                daily_demand=round(float(daily[v]), 4),
                days_of_cover=cover,
                lead_time_demand=round(float(lead_mean[v]), 2),
                safety_stock=round(float(safety[v]), 2),
                reorder_point=round(float(reorder_point[v]), 2),
                order_up_to=round(float(up_to[v]), 2),
                suggested_quantity=max(0, order),
            )
        )
    return plans


def status(available: int, rule: RuleValues, stock_plan: StockPlan | None) -> StockStatus:
    """Out of stock at 0 available; low by the rule's threshold or days of cover; else ok.

    A `cover` rule without a forecast (a new product, the job not run yet) uses the threshold.
    """
    if available <= 0:
        return StockStatus.OUT_OF_STOCK
    if rule.mode is RuleMode.COVER and stock_plan is not None and stock_plan.daily_demand > 0:
        cover = stock_plan.days_of_cover
        if cover is not None and cover < rule.lead_time_days:
            return StockStatus.LOW_STOCK
        return StockStatus.OK
    if available <= rule.low_stock_threshold:
        return StockStatus.LOW_STOCK
    return StockStatus.OK
