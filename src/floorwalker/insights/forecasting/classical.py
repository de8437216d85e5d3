"""Per-series methods with flat forecasts: baselines and the classic intermittent-demand family.

Every function takes the history as a matrix (one row per SKU, one column per period, oldest
first) and returns the forecast for each of the next `horizon` periods (all equal: these
methods forecast a level). Exact definitions are in docs/insights.md.
"""

from __future__ import annotations

import numpy as np

from floorwalker.insights.forecasting.history import FloatMatrix

#: Smoothing constants SES chooses from (per series, least squares of one-step errors).
SES_ALPHAS = np.round(np.arange(0.05, 1.0, 0.05), 2)
#: Croston/SBA/TSB smoothing constants: 0.1 is the usual choice for slow movers.
INTERMITTENT_ALPHA = 0.1
TSB_BETA = 0.1


def _flat(level: FloatMatrix, horizon: int) -> FloatMatrix:
    return np.repeat(np.asarray(level, dtype=np.float64)[:, None], horizon, axis=1)


def naive(y: FloatMatrix, horizon: int) -> FloatMatrix:
    """The last period's demand, repeated."""
    return _flat(y[:, -1], horizon)


def moving_average(y: FloatMatrix, horizon: int, *, window: int) -> FloatMatrix:
    """The mean of the last `window` periods (all of them when the history is shorter)."""
    return _flat(y[:, -window:].mean(axis=1), horizon)


def _ses_levels(y: FloatMatrix, alphas: FloatMatrix) -> tuple[FloatMatrix, FloatMatrix]:
    """Final levels and one-step squared-error sums for each series × alpha (level₀ = y₀)."""
    level = np.repeat(y[:, :1], alphas.size, axis=1)
    sse = np.zeros_like(level)
    for t in range(1, y.shape[1]):
        obs = y[:, t : t + 1]
        sse += (obs - level) ** 2
        level = level + alphas[None, :] * (obs - level)
    return level, sse


def ses(y: FloatMatrix, horizon: int, *, alpha: float | None = None) -> FloatMatrix:
    """Simple exponential smoothing; `alpha` per series from SES_ALPHAS unless given.

    level₀ = y₀, levelₜ = levelₜ₋₁ + α (yₜ − levelₜ₋₁); the forecast is the final level. The
    fitted α minimises the sum of squared one-step errors (ties go to the smaller α).
    """
    alphas = np.array([alpha]) if alpha is not None else SES_ALPHAS
    level, sse = _ses_levels(y, alphas)
    best = np.argmin(sse, axis=1)
    return _flat(level[np.arange(y.shape[0]), best], horizon)


def tuned_ses_alpha(y: FloatMatrix, horizon: int) -> float | None:
    """One α for every series: the SES_ALPHAS value with the lowest WAPE on the last `horizon`
    periods of `y` when forecasting them from the periods before (None if `y` is too short).

    This is how the SES baseline is tuned without seeing the periods it is scored on.
    """
    cut = y.shape[1] - horizon
    if cut < 2:
        return None
    actual = y[:, cut:]
    total = np.abs(actual).sum()
    if total == 0:
        return None
    level, _ = _ses_levels(y[:, :cut], SES_ALPHAS)
    errors = np.abs(actual[:, :, None] - level[:, None, :]).sum(axis=(0, 1))
    return float(SES_ALPHAS[int(np.argmin(errors))])


def ses_tuned(y: FloatMatrix, horizon: int) -> tuple[FloatMatrix, float | None]:
    """SES with the α of `tuned_ses_alpha` (per-series fitted α when too short); and that α."""
    alpha = tuned_ses_alpha(y, horizon)
    return ses(y, horizon, alpha=alpha), alpha


def _croston_rates(y: FloatMatrix, alpha: float) -> FloatMatrix:
    """Croston's size / interval after the whole history (0 for series without demand).

    Initialised at the first demand: size z = that demand, interval p = its position + 1.
    At every later demand: z += α (demand − z), p += α (periods since the last demand − p).
    """
    n, t_max = y.shape
    size = np.zeros(n)
    interval = np.ones(n)
    since = np.zeros(n)
    seen = np.zeros(n, dtype=bool)
    for t in range(t_max):
        since += 1
        demand = y[:, t] > 0
        first = demand & ~seen
        later = demand & seen
        size[first] = y[first, t]
        interval[first] = t + 1
        size[later] += alpha * (y[later, t] - size[later])
        interval[later] += alpha * (since[later] - interval[later])
        since[demand] = 0
        seen |= demand
    return np.where(seen, size / interval, 0.0)


def croston(y: FloatMatrix, horizon: int, *, alpha: float = INTERMITTENT_ALPHA) -> FloatMatrix:
    """Croston's method: smoothed demand size over smoothed interval between demands."""
    return _flat(_croston_rates(y, alpha), horizon)


def sba(y: FloatMatrix, horizon: int, *, alpha: float = INTERMITTENT_ALPHA) -> FloatMatrix:
    """Syntetos–Boylan approximation: Croston × (1 − α/2), which removes Croston's bias."""
    return _flat(_croston_rates(y, alpha) * (1 - alpha / 2), horizon)


def tsb(
    y: FloatMatrix,
    horizon: int,
    *,
    alpha: float = INTERMITTENT_ALPHA,
    beta: float = TSB_BETA,
) -> FloatMatrix:
    """Teunter–Syntetos–Babai: demand probability × demand size, both smoothed every period.

    Initialised with π = share of periods with demand and z = mean non-zero demand; then each
    period π += β (1[demand] − π) and, on demand, z += α (demand − z). Unlike Croston, the
    forecast decays while a product stops selling.
    """
    occurs = y > 0
    counts = occurs.sum(axis=1)
    prob = counts / max(y.shape[1], 1)
    size = np.where(counts > 0, y.sum(axis=1) / np.maximum(counts, 1), 0.0)
    for t in range(y.shape[1]):
        demand = occurs[:, t]
        prob += beta * (demand.astype(np.float64) - prob)
        size[demand] += alpha * (y[demand, t] - size[demand])
    return _flat(prob * size, horizon)
