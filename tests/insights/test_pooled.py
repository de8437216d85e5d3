"""The pooled model: deterministic, its interval covers simulated intermittent demand."""

from __future__ import annotations

import numpy as np
import pytest

from floorwalker.insights.forecasting import pooled
from floorwalker.insights.forecasting.history import Frequency, SalesHistory


def simulated(n_series: int, n_weeks: int, seed: int) -> SalesHistory:
    """Intermittent weekly demand: a sale with probability p, its size 1 + Poisson(λ)."""
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.15, 0.9, size=(n_series, 1))
    size = rng.uniform(1.0, 12.0, size=(n_series, 1))
    units = (rng.random((n_series, n_weeks)) < p) * (1 + rng.poisson(size, (n_series, n_weeks)))
    units = units.astype(np.float64)
    return SalesHistory(
        keys=[f"SKU{i}" for i in range(n_series)],
        frequency=Frequency.WEEK,
        first_period=2800,
        units=units,
        orders=(units > 0).astype(np.float64),
        customers=(units > 0).astype(np.float64),
        capped=units,
    )


class TestPooledForecast:
    def test_the_same_history_gives_the_same_forecast(self) -> None:
        history = simulated(40, 30, seed=1)

        first = pooled.forecast(history, 4)
        second = pooled.forecast(history, 4)

        assert np.array_equal(first.point, second.point)

    def test_a_90_percent_interval_covers_about_90_percent_of_future_weeks(self) -> None:
        history = simulated(120, 68, seed=7)
        train = SalesHistory(
            keys=history.keys,
            frequency=history.frequency,
            first_period=history.first_period,
            units=history.units[:, :60],
            orders=history.orders[:, :60],
            customers=history.customers[:, :60],
            capped=history.capped[:, :60],
        )
        future = history.units[:, 60:]

        result = pooled.forecast(train, 8, interval=(0.05, 0.95), mean=True)

        assert result.lower is not None
        assert result.upper is not None
        assert result.mean is not None
        inside = (future >= result.lower) & (future <= result.upper)
        assert 0.82 <= inside.mean() <= 0.98
        assert (result.lower <= result.point).all()
        assert (result.point <= result.upper).all()
        # the mean of lumpy demand sits above its median overall, and near the true mean
        assert result.mean.sum() > result.point.sum()
        assert result.mean.sum() == pytest.approx(future.sum(), rel=0.15)

    def test_too_short_a_history_is_refused(self) -> None:
        history = simulated(5, pooled.min_periods(pooled.PooledParams()) - 1, seed=3)

        with pytest.raises(ValueError, match="too short"):
            pooled.forecast(history, 2)
