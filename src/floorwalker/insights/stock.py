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

import math
from dataclasses import dataclass
from enum import StrEnum
from statistics import NormalDist

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


def z_score(probability: float) -> float:
    """The standard normal quantile, e.g. 0.95 → 1.645."""
    return NormalDist().inv_cdf(probability)


def daily_series(forecast: WeeklyForecast, days: int) -> tuple[list[float], list[float]]:
    """Mean and variance of demand for each of the next `days` days from today."""
    if not forecast.mean:
        return [0.0] * days, [0.0] * days
    shares = forecast.weekday_shares if len(forecast.weekday_shares) == 7 else list(_UNIFORM)
    z = z_score(0.5 + forecast.interval_level / 2)
    means: list[float] = []
    variances: list[float] = []
    weeks = len(forecast.mean)
    for day in range(forecast.days_elapsed, forecast.days_elapsed + days):
        week = min(day // 7, weeks - 1)
        share = shares[(forecast.first_weekday + day) % 7]
        sigma = max(0.0, forecast.upper[week] - forecast.lower[week]) / (2 * z)
        means.append(max(0.0, forecast.mean[week]) * share)
        variances.append(sigma * sigma * share)
    return means, variances


def days_of_cover(available: int, means: list[float]) -> float | None:
    """Days until cumulative mean demand reaches `available` (None: not within the days given)."""
    if available <= 0:
        return 0.0
    total = 0.0
    for day, mean in enumerate(means):
        if mean > 0 and total + mean >= available:
            return round(day + (available - total) / mean, 2)
        total += mean
    return None


def plan(available: int, forecast: WeeklyForecast | None, rule: RuleValues) -> StockPlan:
    """Days of cover and reorder point, order-up-to level and suggested quantity."""
    if forecast is None:
        return StockPlan(0.0, None, 0.0, 0.0, 0.0, 0.0, 0)
    span = rule.lead_time_days + rule.review_period_days
    means, variances = daily_series(forecast, max(span, MAX_COVER_DAYS))
    z = z_score(rule.service_level)
    lead_mean = sum(means[: rule.lead_time_days])
    safety = z * math.sqrt(sum(variances[: rule.lead_time_days]))
    up_to = sum(means[:span]) + z * math.sqrt(sum(variances[:span]))
    reorder_point = lead_mean + safety
    quantity = math.ceil(up_to - available - 1e-9) if available <= reorder_point else 0
    horizon = max(7, min(28, len(forecast.mean) * 7))
    return StockPlan(
        daily_demand=round(sum(means[:horizon]) / horizon, 4),
        days_of_cover=days_of_cover(available, means[:MAX_COVER_DAYS]),
        lead_time_demand=round(lead_mean, 2),
        safety_stock=round(safety, 2),
        reorder_point=round(reorder_point, 2),
        order_up_to=round(up_to, 2),
        suggested_quantity=max(0, quantity),
    )


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
