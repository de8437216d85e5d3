"""Fixtures of the search tests: the fixture shop and a registry of indexes without polling."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from floorwalker.config import Settings
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.search import service as search_service
from floorwalker.search.schemas import SearchRequest, SearchResponse
from floorwalker.stores.models import Store
from tests.search.catalog import build_catalog


@pytest.fixture
async def shop(db: Database, store: Store) -> dict[str, int]:
    """The fixture shop in the test's store: product ids by handle."""
    return await build_catalog(db, store)


@pytest.fixture
async def registry(
    db: Database, settings: Settings
) -> AsyncIterator[search_service.SearchRegistry]:
    """A registry of indexes that is refreshed only when a test says so."""
    registry = search_service.SearchRegistry(db, settings)
    yield registry
    await registry.stop()


class Searcher:
    """Runs searches in one store the way the API does, and names hits by handle."""

    def __init__(self, registry: search_service.SearchRegistry, store: Store) -> None:
        self.registry = registry
        self.actor = Actor.system(store.id)

    async def __call__(self, q: str = "", **params: Any) -> SearchResponse:
        request = SearchRequest(q=q, **params)
        return await search_service.search(self.registry, self.actor, request=request)

    async def handles(self, q: str = "", **params: Any) -> list[str]:
        return [hit.handle for hit in (await self(q, **params)).hits]


@pytest.fixture
def find(registry: search_service.SearchRegistry, store: Store, shop: dict[str, int]) -> Searcher:
    """Search the fixture shop."""
    return Searcher(registry, store)
