"""The per-series methods on hand-built series, with values worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from floorwalker.insights.forecasting import classical

INTERMITTENT = np.array([[0.0, 0.0, 4.0, 0.0, 2.0, 0.0]])
MIXED = np.array([[0.0, 2.0, 0.0, 0.0, 3.0, 1.0]])


class TestBaselines:
    def test_naive_repeats_the_last_period(self) -> None:
        assert classical.naive(MIXED, 3).tolist() == [[1.0, 1.0, 1.0]]

    def test_moving_average_over_the_window(self) -> None:
        # (0 + 3 + 1) / 3
        assert classical.moving_average(MIXED, 2, window=3)[0] == pytest.approx([4 / 3, 4 / 3])

    def test_moving_average_over_a_shorter_history_uses_all_of_it(self) -> None:
        assert classical.moving_average(MIXED, 1, window=13).tolist() == [[1.0]]

    def test_ses_with_a_given_alpha(self) -> None:
        # levels: 0 → 1 → 0.5 → 0.25 → 1.625 → 1.3125
        assert classical.ses(MIXED, 2, alpha=0.5)[0] == pytest.approx([1.3125, 1.3125])

    def test_ses_fits_alpha_per_series_by_one_step_squared_error(self) -> None:
        # a constant series is fitted perfectly by every alpha; the level stays put
        y = np.array([[5.0, 5.0, 5.0], [0.0, 10.0, 10.0]])

        forecast = classical.ses(y, 1)

        assert forecast[0, 0] == pytest.approx(5.0)
        # the step series is followed best by the largest alpha (0.95): 0 → 9.5 → 9.975
        assert forecast[1, 0] == pytest.approx(9.975)


class TestTunedSesAlpha:
    @pytest.mark.parametrize(
        ("series", "alpha"),
        [
            ([0.0, 8.0, 8.0], 0.95),  # level after [0, 8] is 8α; 8 is best met by α = 0.95
            ([0.0, 8.0, 4.0], 0.5),  # 8α = 4
            ([4.0, 4.0, 4.0, 9.0], 0.05),  # every α ties; the smallest wins
        ],
    )
    def test_alpha_is_chosen_on_the_last_horizon_periods(
        self, series: list[float], alpha: float
    ) -> None:
        assert classical.tuned_ses_alpha(np.array([series]), 1) == alpha

    def test_too_short_a_history_has_no_tuned_alpha(self) -> None:
        assert classical.tuned_ses_alpha(np.array([[1.0, 2.0]]), 1) is None


class TestIntermittent:
    def test_croston_divides_smoothed_size_by_smoothed_interval(self) -> None:
        # first demand 4 at position 2: z = 4, p = 3; demand 2 two periods later:
        # z = 4 + 0.1 (2 − 4) = 3.8, p = 3 + 0.1 (2 − 3) = 2.9
        assert classical.croston(INTERMITTENT, 2)[0] == pytest.approx([3.8 / 2.9] * 2)

    def test_sba_removes_crostons_bias(self) -> None:
        assert classical.sba(INTERMITTENT, 1)[0, 0] == pytest.approx(3.8 / 2.9 * 0.95)

    def test_tsb_multiplies_smoothed_probability_by_smoothed_size(self) -> None:
        # π₀ = 2/6, z₀ = 3; π: .3, .27, .343, .3087, .37783, .340047; z: 3.1, then 2.99
        assert classical.tsb(INTERMITTENT, 1)[0, 0] == pytest.approx(0.340047 * 2.99)

    def test_a_series_without_demand_forecasts_zero(self) -> None:
        empty = np.zeros((1, 5))

        assert classical.croston(empty, 1).tolist() == [[0.0]]
        assert classical.sba(empty, 1).tolist() == [[0.0]]
        assert classical.tsb(empty, 1).tolist() == [[0.0]]

    def test_tsb_decays_while_crostons_stays_after_demand_stops(self) -> None:
        stopped = np.array([[5.0, 5.0, 5.0, 5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]])

        assert classical.croston(stopped, 1)[0, 0] == pytest.approx(5.0)
        assert classical.tsb(stopped, 1)[0, 0] < 0.6 * 5.0
