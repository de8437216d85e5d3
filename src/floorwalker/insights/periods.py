"""Report periods: dates in the store's timezone, turned into a UTC range for queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from floorwalker.insights.errors import DateRangeInvalid
from floorwalker.kit.clock import utcnow

DEFAULT_DAYS = 30
MAX_DAYS = 731


@dataclass(frozen=True, slots=True)
class Period:
    """From `start` to `end` (both included, store dates) and the same as [since, until) UTC."""

    start: dt.date
    end: dt.date
    timezone: str
    since: dt.datetime
    until: dt.datetime

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days + 1

    def local_date(self, moment: dt.datetime) -> dt.date:
        """The store date of a UTC moment."""
        return moment.astimezone(ZoneInfo(self.timezone)).date()


def period_of(
    timezone: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    today: dt.date | None = None,
    default_days: int = DEFAULT_DAYS,
) -> Period:
    """The period asked for; by default the `default_days` days up to today (store time)."""
    tz = ZoneInfo(timezone)
    today = today or utcnow().astimezone(tz).date()
    end = end or (today if start is None else max(start, today))
    start = start or end - dt.timedelta(days=default_days - 1)
    if start > end:
        raise DateRangeInvalid(
            f"from ({start}) is after to ({end}).", start=start.isoformat(), end=end.isoformat()
        )
    if (end - start).days + 1 > MAX_DAYS:
        raise DateRangeInvalid(f"A report covers at most {MAX_DAYS} days.", max_days=MAX_DAYS)
    since = dt.datetime.combine(start, dt.time(), tzinfo=tz).astimezone(dt.UTC)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz).astimezone(dt.UTC)
    return Period(start=start, end=end, timezone=timezone, since=since, until=until)
