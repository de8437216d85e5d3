"""Reorder maths and alert rules, with the numbers worked out by hand."""

from __future__ import annotations

import math
from statistics import NormalDist

import pytest

from floorwalker.insights.stock import (
    RuleMode,
    RuleValues,
    StockStatus,
    WeeklyForecast,
    daily_series,
    days_of_cover,
    plan,
    status,
)

Z90 = NormalDist().inv_cdf(0.95)  # a 90 % interval is ± 1.645 σ
Z95 = NormalDist().inv_cdf(0.95)
#: Two weeks: 7 then 14 units expected, each with σ = 7 (so the interval is 2 × 1.645 × 7 wide).
FORECAST = WeeklyForecast(
    mean=[7.0, 14.0],
    lower=[0.0, 0.0],
    upper=[2 * Z90 * 7, 2 * Z90 * 7],
    weekday_shares=[1 / 7] * 7,
)
RULE = RuleValues(lead_time_days=7, review_period_days=7, service_level=0.95)


class TestDailySeries:
    def test_weekly_mean_and_variance_spread_over_weekdays(self) -> None:
        means, variances = daily_series(FORECAST, 9)

        assert means == pytest.approx([1.0] * 7 + [2.0] * 2)
        # σ² = 49 per week, a seventh per day
        assert variances == pytest.approx([7.0] * 9)

    def test_days_already_gone_are_skipped(self) -> None:
        shifted = WeeklyForecast(
            mean=FORECAST.mean,
            lower=FORECAST.lower,
            upper=FORECAST.upper,
            weekday_shares=FORECAST.weekday_shares,
            days_elapsed=7,
        )

        means, _ = daily_series(shifted, 10)

        # week 2 and, beyond the horizon, week 2 again
        assert means == pytest.approx([2.0] * 10)

    def test_weekday_shares_follow_the_first_weekday(self) -> None:
        busy_saturday = WeeklyForecast(
            mean=[7.0],
            lower=[0.0],
            upper=[0.0],
            weekday_shares=[0, 0, 0, 0, 0, 1.0, 0],
            first_weekday=3,  # the forecast starts on a Thursday
        )

        means, _ = daily_series(busy_saturday, 4)

        assert means == [0.0, 0.0, 7.0, 0.0]


class TestDaysOfCover:
    def test_the_day_cumulative_demand_reaches_the_stock(self) -> None:
        # 7 × 1 = 7 units in week one, then 2 a day: 9 after day 8, 10 reached half-way
        assert days_of_cover(10, [1.0] * 7 + [2.0] * 7) == 8.5

    def test_nothing_available_is_no_cover(self) -> None:
        assert days_of_cover(0, [1.0]) == 0.0

    def test_stock_outlasting_the_days_given_has_no_cover_figure(self) -> None:
        assert days_of_cover(100, [1.0] * 10) is None


class TestPlan:
    def test_reorder_point_order_up_to_and_quantity(self) -> None:
        result = plan(10, FORECAST, RULE)

        safety = Z95 * math.sqrt(7 * 7.0)
        up_to = (7 * 1.0 + 7 * 2.0) + Z95 * math.sqrt(14 * 7.0)
        assert result.lead_time_demand == 7.0
        assert result.safety_stock == round(safety, 2)
        assert result.reorder_point == round(7.0 + safety, 2)
        assert result.order_up_to == round(up_to, 2)
        assert result.suggested_quantity == math.ceil(up_to - 10) == 28
        assert result.days_of_cover == 8.5
        assert result.daily_demand == 1.5  # (7 + 14) / 14 days of horizon

    def test_no_order_above_the_reorder_point(self) -> None:
        result = plan(19, FORECAST, RULE)

        assert result.reorder_point == 18.51
        assert result.suggested_quantity == 0

    def test_higher_service_level_means_more_safety_stock(self) -> None:
        strict = plan(10, FORECAST, RuleValues(lead_time_days=7, service_level=0.99))

        assert strict.safety_stock == round(NormalDist().inv_cdf(0.99) * 7, 2)
        assert strict.safety_stock > plan(10, FORECAST, RULE).safety_stock

    def test_without_a_forecast_nothing_is_suggested(self) -> None:
        result = plan(3, None, RULE)

        assert (result.suggested_quantity, result.days_of_cover, result.daily_demand) == (
            0,
            None,
            0.0,
        )


class TestStatus:
    @pytest.mark.parametrize(
        ("available", "expected"),
        [(0, StockStatus.OUT_OF_STOCK), (5, StockStatus.LOW_STOCK), (6, StockStatus.OK)],
    )
    def test_fixed_threshold(self, available: int, expected: StockStatus) -> None:
        rule = RuleValues(mode=RuleMode.FIXED, low_stock_threshold=5)

        assert status(available, rule, plan(available, FORECAST, rule)) is expected

    def test_cover_below_lead_time_is_low(self) -> None:
        rule = RuleValues(mode=RuleMode.COVER, lead_time_days=14, low_stock_threshold=0)

        # 10 units last 8.5 days; the supplier needs 14
        assert status(10, rule, plan(10, FORECAST, rule)) is StockStatus.LOW_STOCK

    def test_cover_beyond_lead_time_is_ok_whatever_the_threshold(self) -> None:
        rule = RuleValues(mode=RuleMode.COVER, lead_time_days=7, low_stock_threshold=50)

        assert status(10, rule, plan(10, FORECAST, rule)) is StockStatus.OK

    def test_cover_rule_without_forecast_uses_the_threshold(self) -> None:
        rule = RuleValues(mode=RuleMode.COVER, lead_time_days=7, low_stock_threshold=50)

        assert status(10, rule, None) is StockStatus.LOW_STOCK

    def test_out_of_stock_whatever_the_rule(self) -> None:
        rule = RuleValues(mode=RuleMode.COVER, lead_time_days=0, low_stock_threshold=0)

        assert status(0, rule, plan(0, FORECAST, rule)) is StockStatus.OUT_OF_STOCK
