"""Semantic retrieval through an OpenAI-compatible embeddings endpoint (a fake one, over HTTP).

The fake server embeds text by counting words of a few concepts (footwear, bags, dresses,
warmth) plus a hashed bag of words, so "rucksack" lands near the backpacks without sharing a
word with them, and texts sharing words land near each other.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import zlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import SecretStr

from floorwalker.config import Settings
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.search import service as search_service
from floorwalker.search.schemas import SearchRequest
from floorwalker.stores.models import Store
from tests.search.catalog import build_catalog

CONCEPTS = [
    {"boot", "boots", "shoe", "shoes", "sneaker", "sneakers", "trainers", "footwear"},
    {"backpack", "backpacks", "daypack", "pack", "rucksack", "bag", "bags"},
    {"dress", "dresses", "frock", "gown"},
    {"merino", "wool", "warm", "winter", "socks"},
]


def embed(text: str) -> list[float]:
    """Concept counts (weighted) plus a hashed bag of words: similar words, similar vectors."""
    words = [w.strip(".,>") for w in text.lower().split()]
    concepts = [3.0 * sum(w in concept for w in words) for concept in CONCEPTS]
    buckets = [0.0] * 32
    for word in words:
        buckets[zlib.crc32(word.encode()) % 32] += 1.0
    return concepts + buckets


class FakeEmbeddings:
    """An OpenAI-compatible `/v1/embeddings` server on loopback that records requests."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.failing = False
        app = FastAPI()

        @app.post("/v1/embeddings")
        async def embeddings(request: Request) -> JSONResponse:
            body = await request.json()
            self.requests.append({"auth": request.headers.get("authorization"), **body})
            if self.failing:
                return JSONResponse({"error": {"message": "overloaded"}}, status_code=503)
            data = [
                {"object": "embedding", "index": i, "embedding": embed(text)}
                for i, text in enumerate(body["input"])
            ]
            return JSONResponse({"object": "list", "data": data, "model": body["model"]})

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=lambda: asyncio.run(self.server.serve()), daemon=True)

    def __enter__(self) -> FakeEmbeddings:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def fake_embeddings() -> Iterator[FakeEmbeddings]:
    with FakeEmbeddings() as server:
        yield server


@pytest.fixture
async def semantic(
    db: Database, settings: Settings, fake_embeddings: FakeEmbeddings
) -> AsyncIterator[search_service.SearchRegistry]:
    fake_embeddings.failing = False
    fake_embeddings.requests.clear()
    configured = settings.model_copy(
        update={
            "search_embeddings_url": fake_embeddings.url,
            "search_embeddings_model": "fake-embed",
            "search_embeddings_api_key": SecretStr("sk-test"),
            "model_max_retries": 0,
        }
    )
    registry = search_service.SearchRegistry(db, configured)
    yield registry
    await registry.stop()


async def _search(registry: search_service.SearchRegistry, store: Store, q: str) -> Any:
    return await search_service.search(
        registry, Actor.system(store.id), request=SearchRequest(q=q, facets=False)
    )


class TestSemanticSearch:
    async def test_meaning_finds_what_no_word_matches(
        self,
        semantic: search_service.SearchRegistry,
        db: Database,
        store: Store,
        fake_embeddings: FakeEmbeddings,
    ) -> None:
        await build_catalog(db, store)

        result = await _search(semantic, store, "rucksack")

        assert result.semantic is True
        assert {h.handle for h in result.hits[:3]} == {
            "kids-backpack", "travel-backpack", "black-daypack",
        }  # fmt: skip
        assert {r["model"] for r in fake_embeddings.requests} == {"fake-embed"}
        assert {r["auth"] for r in fake_embeddings.requests} == {"Bearer sk-test"}
        # Every product was embedded once, then the query.
        assert [len(r["input"]) for r in fake_embeddings.requests] == [14, 1]

    async def test_keyword_matches_keep_their_place_in_the_fused_ranking(
        self, semantic: search_service.SearchRegistry, db: Database, store: Store
    ) -> None:
        await build_catalog(db, store)

        result = await _search(semantic, store, "waterproof")

        assert result.semantic is True
        assert [h.handle for h in result.hits[:2]] == [
            "waterproof-hiking-boots", "trail-runner-shoes",
        ]  # fmt: skip

    async def test_a_failing_endpoint_leaves_keyword_search_working(
        self,
        semantic: search_service.SearchRegistry,
        db: Database,
        store: Store,
        fake_embeddings: FakeEmbeddings,
    ) -> None:
        await build_catalog(db, store)
        fake_embeddings.failing = True

        result = await _search(semantic, store, "waterproof")

        assert result.semantic is False
        assert [h.handle for h in result.hits] == ["waterproof-hiking-boots", "trail-runner-shoes"]

    async def test_changed_products_are_embedded_again_only_when_their_text_changes(
        self,
        semantic: search_service.SearchRegistry,
        db: Database,
        store: Store,
        fake_embeddings: FakeEmbeddings,
    ) -> None:
        from floorwalker.inventory import service as inventory_service

        await build_catalog(db, store)
        await _search(semantic, store, "socks")
        before = len(fake_embeddings.requests)
        async with db.transaction() as session:
            await inventory_service.set_levels(
                session,
                Actor.system(store.id),
                [{"sku": "MHS-M", "location_code": "WH1", "on_hand": 0}],
            )
        await semantic.refresh_now(store.id)

        assert len(fake_embeddings.requests) == before
