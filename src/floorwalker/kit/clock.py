"""Time is timezone-aware UTC in storage; stores render it in their display timezone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def utcnow() -> dt.datetime:
    """Return the current time as an aware UTC datetime."""
    return dt.datetime.now(dt.UTC)


def utc_text(value: dt.datetime) -> str:
    """A datetime as UTC text, "YYYY-MM-DD HH:MM:SS.ffffff" (how `UTCDateTime` stores it on
    SQLite; fixed width, so it sorts as time does)."""
    if value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    # Cutting "+00:00" off costs less than a naive copy of the datetime (once per event).
    return value.isoformat(sep=" ", timespec="microseconds")[:26]


def ensure_aware(value: dt.datetime) -> dt.datetime:
    """Treat a naive datetime as UTC; convert an aware one to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def is_valid_timezone(name: str) -> bool:
    """Whether `name` is an IANA timezone this machine knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def to_local(value: dt.datetime, timezone: str) -> dt.datetime:
    """Render a UTC datetime in a store's display timezone."""
    return ensure_aware(value).astimezone(ZoneInfo(timezone))
