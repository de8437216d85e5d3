"""Keyset pagination by id: stable under concurrent inserts, cheap on large tables."""

from __future__ import annotations

import base64
import binascii
from typing import Generic, TypeVar

from pydantic import BaseModel

from floorwalker.errors import Invalid
from floorwalker.kit.ids import MAX_ID

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of results and the cursor of the next page (None at the end)."""

    items: list[T]
    next_cursor: str | None = None


def encode_cursor(last_id: int) -> str:
    """Opaque cursor for the page after the record `last_id`."""
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The id after which the next page starts (0 for the first page)."""
    if not cursor:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        kind, _, value = text.partition(":")
        last_id = int(value)
        if kind != "id" or not 0 <= last_id <= MAX_ID:
            raise ValueError(kind)
        return last_id
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise Invalid("The cursor is not one this API issued.", code="invalid_cursor") from exc


def clamp_limit(limit: int | None) -> int:
    """A page size between 1 and MAX_LIMIT."""
    if limit is None:
        return DEFAULT_LIMIT
    return max(1, min(MAX_LIMIT, limit))
