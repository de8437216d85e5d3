"""Sales lines into full weekly and daily periods."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from floorwalker.insights.forecasting.history import (
    Frequency,
    build_history,
    day_number,
    full_periods,
    period_start,
)

MONDAY = dt.date(2024, 1, 1)


def _day(offset: int) -> int:
    return day_number(MONDAY + dt.timedelta(days=offset))


class TestFullPeriods:
    def test_partial_first_and_last_weeks_are_left_out(self) -> None:
        # Wednesday 3 January to Friday 26 January: full weeks start 8 and 15 January
        first, last = full_periods(_day(2), _day(25), Frequency.WEEK)

        assert [period_start(p, Frequency.WEEK) for p in (first, last)] == [
            dt.date(2024, 1, 8),
            dt.date(2024, 1, 15),
        ]

    def test_a_range_from_monday_to_sunday_is_whole(self) -> None:
        first, last = full_periods(_day(0), _day(13), Frequency.WEEK)

        assert last - first + 1 == 2
        assert period_start(first, Frequency.WEEK) == MONDAY

    def test_days_are_all_full(self) -> None:
        assert full_periods(_day(2), _day(4), Frequency.DAY) == (_day(2), _day(4))


class TestBuildHistory:
    def test_units_orders_customers_and_capped_units_per_week(self) -> None:
        # SKU 0: week 1 two lines of one order (3 + 1) by customer 7, and a guest's order (2);
        #        week 2 a bulk line of 40 (median line is 2.5 → capped at 10)
        # SKU 1: week 2 one line of 5
        history = build_history(
            keys=["A", "B"],
            key_index=np.array([0, 0, 0, 0, 1]),
            days=np.array([_day(0), _day(0), _day(3), _day(8), _day(13)]),
            quantity=np.array([3.0, 1.0, 2.0, 40.0, 5.0]),
            order_index=np.array([10, 10, 11, 12, 13]),
            customer_index=np.array([7, 7, -1, 7, 8]),
            frequency=Frequency.WEEK,
        )

        assert history.keys == ["A", "B"]
        assert history.units.tolist() == [[6.0, 40.0], [0.0, 5.0]]
        assert history.orders.tolist() == [[2.0, 1.0], [0.0, 1.0]]
        assert history.customers.tolist() == [[2.0, 1.0], [0.0, 1.0]]
        assert history.capped.tolist() == [[6.0, 10.0], [0.0, 5.0]]
        assert history.start_of(0) == MONDAY
        assert history.start_of(2) == dt.date(2024, 1, 15)

    def test_lines_outside_full_weeks_are_not_counted(self) -> None:
        history = build_history(
            keys=["A"],
            key_index=np.array([0, 0, 0]),
            days=np.array([_day(-1), _day(0), _day(7)]),  # a Sunday, a Monday, the next Monday
            quantity=np.array([9.0, 1.0, 2.0]),
            order_index=None,
            customer_index=None,
            frequency=Frequency.WEEK,
            last_day=_day(6),
        )

        assert history.units.tolist() == [[1.0]]

    def test_no_full_period_is_an_error(self) -> None:
        with pytest.raises(ValueError, match="full period"):
            build_history(
                keys=["A"],
                key_index=np.array([0]),
                days=np.array([_day(2)]),
                quantity=np.array([1.0]),
                order_index=None,
                customer_index=None,
                frequency=Frequency.WEEK,
            )
