"""Holdout backtests: hide the last `horizon` periods, forecast them with every method, score.

Baselines and candidates run in the same call on the same series, so their scores compare.
`validation=True` scores the `horizon` periods *before* the held-out ones instead, which is the
window hyper-parameters are chosen on — the held-out periods are then never looked at.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from floorwalker.insights.errors import BacktestInvalid
from floorwalker.insights.forecasting import classical, pooled
from floorwalker.insights.forecasting.history import FloatMatrix, SalesHistory
from floorwalker.insights.forecasting.metrics import mase, wape

Method = Callable[[SalesHistory, int], FloatMatrix]

BASELINES: dict[str, Method] = {
    "naive": lambda h, n: classical.naive(h.units, n),
    "ma4": lambda h, n: classical.moving_average(h.units, n, window=4),
    "ma8": lambda h, n: classical.moving_average(h.units, n, window=8),
    "ma13": lambda h, n: classical.moving_average(h.units, n, window=13),
    "ses": lambda h, n: classical.ses_tuned(h.units, n)[0],
}
CANDIDATES: dict[str, Method] = {
    "croston": lambda h, n: classical.croston(h.units, n),
    "sba": lambda h, n: classical.sba(h.units, n),
    "tsb": lambda h, n: classical.tsb(h.units, n),
    "pooled": lambda h, n: pooled.forecast(h, n).point,
}
#: What the product forecasts with; `FALLBACK` when the history is too short for it.
CHOSEN = "pooled"
FALLBACK = "tsb"


def chosen_method(history: SalesHistory) -> str:
    """The method the product uses for this much history."""
    return CHOSEN if history.n_periods >= pooled.min_periods(pooled.PooledParams()) else FALLBACK


@dataclass(frozen=True, slots=True)
class MethodScore:
    """One method's accuracy on the held-out periods."""

    method: str
    kind: str
    wape: float
    mase: float
    mase_excluded: int
    seconds: float


@dataclass(slots=True)
class Backtest:
    """Everything one backtest produced."""

    keys: list[str]
    horizon: int
    train_periods: int
    test_start: str
    test_end: str
    validation: bool
    actual: FloatMatrix
    scores: list[MethodScore] = field(default_factory=list)
    forecasts: dict[str, FloatMatrix] = field(default_factory=dict)
    chosen: str = CHOSEN

    @property
    def best_baseline(self) -> MethodScore:
        """The baseline with the lowest WAPE."""
        return min((s for s in self.scores if s.kind == "baseline"), key=lambda s: s.wape)

    def score(self, method: str) -> MethodScore:
        """The score of one method."""
        return next(s for s in self.scores if s.method == method)

    @property
    def ratio(self) -> float:
        """Chosen method's WAPE / best baseline's WAPE (the target is ≤ 0.9)."""
        return self.score(self.chosen).wape / self.best_baseline.wape


def top_series(history: SalesHistory, top: int | None) -> SalesHistory:
    """The `top` SKUs with most units over the whole history (ties: SKU order), or all."""
    if top is None or top >= history.n_series:
        return history
    totals = history.units.sum(axis=1)
    order = np.lexsort((np.arange(history.n_series), -totals))[:top]
    return history.select(np.sort(order).astype(np.int64))


def run_backtest(
    history: SalesHistory,
    *,
    horizon: int,
    top: int | None = None,
    validation: bool = False,
    methods: list[str] | None = None,
) -> Backtest:
    """Hold out the last `horizon` periods (or the ones before, with `validation`) and score."""
    if horizon < 1:
        raise BacktestInvalid("The horizon must be at least one period.")
    series = top_series(history, top)
    end = series.n_periods - (horizon if validation else 0)
    train_periods = end - horizon
    if train_periods < 2:
        raise BacktestInvalid(
            f"{series.n_periods} full periods cannot hold out {horizon}"
            f"{' twice (validation)' if validation else ''} and keep two to learn from.",
            periods=series.n_periods,
        )
    train = series.head(train_periods)
    actual = series.units[:, train_periods:end]
    result = Backtest(
        keys=series.keys,
        horizon=horizon,
        train_periods=train_periods,
        test_start=series.start_of(train_periods).isoformat(),
        test_end=series.start_of(end).isoformat(),
        validation=validation,
        actual=actual,
        chosen=chosen_method(train),
    )
    wanted = methods or [*BASELINES, *CANDIDATES]
    unknown = [m for m in wanted if m not in BASELINES and m not in CANDIDATES]
    if unknown:
        raise BacktestInvalid(
            f"Unknown method(s) {', '.join(unknown)}; known: "
            f"{', '.join([*BASELINES, *CANDIDATES])}."
        )
    for name in [*BASELINES, *wanted]:
        if name in result.forecasts:
            continue
        if name == CHOSEN and train_periods < pooled.min_periods(pooled.PooledParams()):
            continue
        fn = BASELINES.get(name) or CANDIDATES[name]
        started = time.perf_counter()
        forecast = np.asarray(fn(train, horizon), dtype=np.float64)
        seconds = time.perf_counter() - started
        scaled = mase(train.units, actual, forecast)
        result.forecasts[name] = forecast
        result.scores.append(
            MethodScore(
                method=name,
                kind="baseline" if name in BASELINES else "candidate",
                wape=wape(actual, forecast),
                mase=scaled.value,
                mase_excluded=scaled.excluded,
                seconds=seconds,
            )
        )
    if result.chosen not in result.forecasts:
        fn = CANDIDATES[result.chosen]
        result.forecasts[result.chosen] = np.asarray(fn(train, horizon))
        scaled = mase(train.units, actual, result.forecasts[result.chosen])
        result.scores.append(
            MethodScore(
                result.chosen,
                "candidate",
                wape(actual, result.forecasts[result.chosen]),
                scaled.value,
                scaled.excluded,
                0.0,
            )
        )
    return result


def write_predictions(backtest: Backtest, history: SalesHistory, path: Path) -> int:
    """Write every method's forecasts with the actuals as CSV (long format); returns rows."""
    starts = [
        history.start_of(backtest.train_periods + step).isoformat()
        for step in range(backtest.horizon)
    ]
    rows = 0
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["method", "sku", "period_start", "step", "forecast", "actual"])
        for method, forecast in backtest.forecasts.items():
            for i, key in enumerate(backtest.keys):
                for step in range(backtest.horizon):
                    writer.writerow(
                        [
                            method,
                            key,
                            starts[step],
                            step + 1,
                            f"{forecast[i, step]:.4f}",
                            f"{backtest.actual[i, step]:g}",
                        ]
                    )
                    rows += 1
    return rows
