"""Small helpers every analytics report uses."""

from __future__ import annotations

from floorwalker.insights.periods import Period
from floorwalker.insights.schemas import PeriodRead


def rate(part: int, whole: int) -> float | None:
    """part / whole to four places; None when there is nothing to divide by."""
    return round(part / whole, 4) if whole else None


def period_read(period: Period) -> PeriodRead:
    """The period as reports show it."""
    return PeriodRead(start=period.start, end=period.end, timezone=period.timezone)
