"""HTTP clients for the order API tests, each holding a key of one scope.

Import the fixtures into a test module (`from tests.orders.http import ...  # noqa: F401`);
they are registered under the names `shop`, `writer`, `reader` and `outsider`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer
from tests.orders.shop import Shop, build_shop


async def _client(
    live_server: LiveServer, db: Database, store: Store, scope: str
) -> httpx.AsyncClient:
    async with db.transaction() as s:
        key = await factories.create_key(s, store, scopes=[scope])
    return httpx.AsyncClient(
        base_url=live_server.url, timeout=30, headers={"Authorization": f"Bearer {key}"}
    )


@pytest.fixture(name="shop")
async def shop_fixture(db: Database) -> Shop:
    """A store with products, stock and two customers."""
    return await build_shop(db)


@pytest.fixture(name="writer")
async def writer_fixture(
    live_server: LiveServer, db: Database, shop: Shop
) -> AsyncIterator[httpx.AsyncClient]:
    """A client with a write key of the shop's store."""
    async with await _client(live_server, db, shop.store, "write") as client:
        yield client


@pytest.fixture(name="reader")
async def reader_fixture(
    live_server: LiveServer, db: Database, shop: Shop
) -> AsyncIterator[httpx.AsyncClient]:
    """A client with a read-only key of the shop's store."""
    async with await _client(live_server, db, shop.store, "read") as client:
        yield client


@pytest.fixture(name="outsider")
async def outsider_fixture(
    live_server: LiveServer, db: Database, other_store: Store
) -> AsyncIterator[httpx.AsyncClient]:
    """A client with an admin key of another store."""
    async with await _client(live_server, db, other_store, "admin") as client:
        yield client
