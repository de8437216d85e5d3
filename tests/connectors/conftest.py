"""Fixtures of the connector tests: fake platforms on loopback, started per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.connectors.fakes.shopify import FakeShopify


@pytest.fixture
def shopify() -> Iterator[FakeShopify]:
    """A fake Shopify Admin API, empty until the test fills it."""
    fake = FakeShopify().start()
    yield fake
    fake.stop()
