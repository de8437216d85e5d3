"""Small pure helpers the platform mappings share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from floorwalker.kit.money import MoneyError, to_minor


def parse_time(value: Any) -> dt.datetime | None:
    """An aware UTC datetime from an ISO 8601 string (naive strings are taken as UTC)."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def minor(amount: Any, currency: str) -> int:
    """Minor units of a decimal amount ("19.99", 19.99, None → 0)."""
    if amount is None or amount == "":
        return 0
    try:
        return to_minor(str(amount), currency)
    except MoneyError:
        return 0


def optional_minor(amount: Any, currency: str) -> int | None:
    """Minor units, or None when the amount is missing or zero-like empty."""
    if amount is None or amount == "":
        return None
    return minor(amount, currency)


def numeric_id(gid: Any) -> str:
    """The numeric tail of a Shopify global id (`gid://shopify/Product/1` → `1`)."""
    text = str(gid)
    return text.rsplit("/", 1)[-1].split("?", 1)[0]


def split_tags(value: Any) -> list[str]:
    """Tags from a list or a comma-separated string."""
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    return []


def newest(*values: dt.datetime | None) -> dt.datetime | None:
    """The latest of the given times (None when there is none)."""
    present = [v for v in values if v is not None]
    return max(present) if present else None
