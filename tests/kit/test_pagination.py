"""Cursors are opaque, round-trip, and forged ones are a clear 422."""

from __future__ import annotations

import base64

import pytest

from floorwalker.errors import Invalid
from floorwalker.kit.pagination import decode_cursor, encode_cursor


def test_round_trip() -> None:
    assert decode_cursor(encode_cursor(12345)) == 12345
    assert decode_cursor(None) == 0


@pytest.mark.parametrize(
    "forged",
    [
        "not-base64!!",
        base64.urlsafe_b64encode(b"id:abc").decode(),
        base64.urlsafe_b64encode(b"offset:5").decode(),
        base64.urlsafe_b64encode(b"id:-1").decode(),
        # Larger than any BIGINT: PostgreSQL would fail on it inside the query.
        base64.urlsafe_b64encode(f"id:{10**20}".encode()).decode(),
    ],
)
def test_forged_cursors_are_invalid(forged: str) -> None:
    with pytest.raises(Invalid) as info:
        decode_cursor(forged)

    assert info.value.code == "invalid_cursor"
