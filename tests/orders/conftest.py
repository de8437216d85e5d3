"""Fixtures of the order tests: a fresh shop per test."""

from __future__ import annotations

import pytest

from floorwalker.kit.db import Database
from tests.orders.shop import Shop, build_shop


@pytest.fixture
async def shop(db: Database) -> Shop:
    """A store with a shirt in four variants, a mug, stock and two customers."""
    return await build_shop(db)
