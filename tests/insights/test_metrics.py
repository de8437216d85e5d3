"""WAPE and MASE on a hand-computed example."""

from __future__ import annotations

import math

import numpy as np
import pytest

from floorwalker.insights.forecasting.metrics import mase, wape

TRAIN = np.array([[1.0, 3.0, 2.0, 4.0], [0.0, 0.0, 2.0, 2.0]])
ACTUAL = np.array([[3.0, 3.0], [2.0, 0.0]])
FORECAST = np.array([[2.0, 2.0], [2.0, 2.0]])


class TestWape:
    def test_absolute_errors_over_absolute_actuals(self) -> None:
        # (1 + 1 + 0 + 2) / (3 + 3 + 2 + 0)
        assert wape(ACTUAL, FORECAST) == 0.5

    def test_no_actual_demand_has_no_wape(self) -> None:
        assert math.isnan(wape(np.zeros((1, 2)), np.ones((1, 2))))


class TestMase:
    def test_scaled_by_the_naive_error_from_the_first_sale(self) -> None:
        # series 1: MAE 1, naive steps |2|, |1|, |2| → scale 5/3 → 0.6
        # series 2: from its first sale (position 2) the only step is 0 → left out
        result = mase(TRAIN, ACTUAL, FORECAST)

        assert result.value == pytest.approx(0.6)
        assert result.excluded == 1

    def test_every_series_without_scale_gives_nan(self) -> None:
        result = mase(np.array([[2.0, 2.0, 2.0]]), np.array([[1.0]]), np.array([[2.0]]))

        assert math.isnan(result.value)
        assert result.excluded == 1
