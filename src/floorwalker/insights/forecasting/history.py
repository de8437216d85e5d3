"""Sales records → one dense series per SKU over full calendar periods (days or ISO weeks).

Only *full* periods are kept: a week the data covers in part (the data starts on a Wednesday or
ends on a Friday) would look like a drop in demand. Weeks start on Monday.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

FloatMatrix = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Day number (days since 1970-01-01) of a Monday: weeks are counted from it.
_MONDAY = 4
#: A sale line counts at most this many times its SKU's median line quantity in `capped`.
CAP_MULTIPLE = 4.0
_EPOCH = dt.date(1970, 1, 1)


class Frequency(StrEnum):
    """How sales are bucketed: by day or by ISO week (Monday to Sunday)."""

    DAY = "day"
    WEEK = "week"

    @property
    def days(self) -> int:
        """Length of one period in days."""
        return 7 if self is Frequency.WEEK else 1


def day_number(value: dt.date) -> int:
    """Days since 1970-01-01."""
    return (value - _EPOCH).days


def date_of(day: int) -> dt.date:
    """The date of a day number."""
    return _EPOCH + dt.timedelta(days=int(day))


def period_of(days: IntArray, frequency: Frequency) -> IntArray:
    """The period number of each day number (weeks are counted from a Monday)."""
    if frequency is Frequency.DAY:
        return days.astype(np.int64)
    return ((days - _MONDAY) // 7).astype(np.int64)


def period_start(period: int, frequency: Frequency) -> dt.date:
    """The first day of a period."""
    if frequency is Frequency.DAY:
        return date_of(period)
    return date_of(period * 7 + _MONDAY)


def full_periods(first_day: int, last_day: int, frequency: Frequency) -> tuple[int, int]:
    """The first and last period wholly inside [first_day, last_day] (last < first if none)."""
    if frequency is Frequency.DAY:
        return first_day, last_day
    first = -((-(first_day - _MONDAY)) // 7)  # ceil: the first Monday on or after first_day
    last = (last_day - _MONDAY + 1) // 7 - 1  # the last week whose Sunday is ≤ last_day
    return first, last


@dataclass(frozen=True, slots=True)
class SalesHistory:
    """Per-SKU series over consecutive full periods.

    `units` is what was sold; `orders` counts the distinct orders (or lines) that bought the SKU;
    `customers` counts distinct buyers (a guest counts once per order); `capped` is `units` with
    every line limited to CAP_MULTIPLE × the SKU's median line, which tames one-off bulk buys.
    """

    keys: list[str]
    frequency: Frequency
    first_period: int
    units: FloatMatrix
    orders: FloatMatrix
    customers: FloatMatrix
    capped: FloatMatrix

    @property
    def n_series(self) -> int:
        """Number of SKUs."""
        return int(self.units.shape[0])

    @property
    def n_periods(self) -> int:
        """Number of periods."""
        return int(self.units.shape[1])

    def start_of(self, index: int) -> dt.date:
        """The first day of the period at `index` (may lie beyond the history)."""
        return period_start(self.first_period + index, self.frequency)

    def head(self, n_periods: int) -> SalesHistory:
        """The first `n_periods` periods only (a backtest's training part)."""
        return SalesHistory(
            keys=self.keys,
            frequency=self.frequency,
            first_period=self.first_period,
            units=self.units[:, :n_periods],
            orders=self.orders[:, :n_periods],
            customers=self.customers[:, :n_periods],
            capped=self.capped[:, :n_periods],
        )

    def select(self, rows: IntArray) -> SalesHistory:
        """Only the SKUs at `rows`, in that order."""
        return SalesHistory(
            keys=[self.keys[i] for i in rows.tolist()],
            frequency=self.frequency,
            first_period=self.first_period,
            units=self.units[rows],
            orders=self.orders[rows],
            customers=self.customers[rows],
            capped=self.capped[rows],
        )


def _count_distinct(
    rows: IntArray, cols: IntArray, keys: IntArray, shape: tuple[int, int]
) -> FloatMatrix:
    """How many distinct `keys` fall in each (row, col) cell."""
    out = np.zeros(shape, dtype=np.float64)
    if rows.size == 0:
        return out
    triples = np.unique(np.stack([rows, cols, keys]), axis=1)
    np.add.at(out, (triples[0], triples[1]), 1.0)
    return out


def build_history(
    *,
    keys: list[str],
    key_index: IntArray,
    days: IntArray,
    quantity: npt.NDArray[np.float64],
    order_index: IntArray | None,
    customer_index: IntArray | None,
    frequency: Frequency,
    first_day: int | None = None,
    last_day: int | None = None,
) -> SalesHistory:
    """Bucket sale lines into full periods.

    Each line is (key_index → keys, day number, quantity > 0, optional order and customer codes;
    a negative customer code is a guest). The covered range defaults to the first and last day
    of the lines; pass `last_day` when the data is known to run further (a quiet last day).
    """
    if days.size == 0:
        raise ValueError("no sales")
    lo = int(days.min()) if first_day is None else first_day
    hi = int(days.max()) if last_day is None else last_day
    first, last = full_periods(lo, hi, frequency)
    n_periods = last - first + 1
    if n_periods <= 0:
        raise ValueError("the sales do not cover one full period")
    period = period_of(days, frequency) - first
    inside = (period >= 0) & (period < n_periods)
    rows, cols, qty = key_index[inside], period[inside], quantity[inside]
    shape = (len(keys), n_periods)
    units = np.zeros(shape)
    np.add.at(units, (rows, cols), qty)

    medians = np.ones(len(keys))
    if rows.size:
        order = np.argsort(rows, kind="stable")
        sorted_rows, sorted_qty = rows[order], qty[order]
        bounds = np.searchsorted(sorted_rows, np.arange(len(keys) + 1))
        for k in np.flatnonzero(np.diff(bounds)):
            medians[k] = float(np.median(sorted_qty[bounds[k] : bounds[k + 1]]))
    capped = np.zeros(shape)
    np.add.at(capped, (rows, cols), np.minimum(qty, CAP_MULTIPLE * medians[rows]))

    line_ids = np.flatnonzero(inside).astype(np.int64)
    orders_key = order_index[inside] if order_index is not None else line_ids
    orders = _count_distinct(rows, cols, orders_key, shape)
    if customer_index is not None:
        cust = customer_index[inside]
        # a guest is told apart by its order: shift guests past every known customer code
        guest_key = int(cust.max(initial=0)) + 1 + orders_key
        customers = _count_distinct(rows, cols, np.where(cust >= 0, cust, guest_key), shape)
    else:
        customers = orders.copy()
    return SalesHistory(
        keys=list(keys),
        frequency=frequency,
        first_period=first,
        units=units,
        orders=orders,
        customers=customers,
        capped=capped,
    )
