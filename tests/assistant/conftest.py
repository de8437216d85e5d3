"""Fixtures for the assistant: a scenario store, a runtime, a chat driver, SSE parsing."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from floorwalker.assistant import service as assistant_service
from floorwalker.assistant.engine.loop import run_turn
from floorwalker.assistant.events import Event, EventType
from floorwalker.assistant.identity.tokens import issue_token
from floorwalker.assistant.runtime import Runtime
from floorwalker.assistant.scenarios.fixtures import FixtureStore, build_store
from floorwalker.assistant.schemas import ConversationStart
from floorwalker.auth import service as auth_service
from floorwalker.auth.schemas import ApiKeyCreate, KeyKind
from floorwalker.config import Settings
from floorwalker.kit.actor import Actor, Scope
from floorwalker.kit.db import Database
from tests.conftest import LiveServer


@pytest.fixture
async def runtime(db: Database, settings: Settings) -> AsyncIterator[Runtime]:
    """An assistant runtime on the test database (local model, in-process live channels)."""
    rt = Runtime.build(db, settings)
    yield rt
    await rt.close()


@pytest.fixture
async def shop(db: Database, runtime: Runtime) -> FixtureStore:
    """A fresh copy of the scenario store (catalogue, customers, orders, articles)."""
    return await build_store(db, runtime.identity_crypto)


@pytest.fixture
async def widget_key(db: Database, shop: FixtureStore) -> str:
    """The shop's publishable widget key."""
    async with db.transaction() as session:
        _key, token = await auth_service.create_key(
            session,
            Actor.system(shop.store_id),
            data=ApiKeyCreate(name="widget", kind=KeyKind.PUBLISHABLE, scopes=[]),
        )
    return token


@pytest.fixture
async def staff_key(db: Database, shop: FixtureStore) -> str:
    """A secret key of the shop with the write scope (staff tools, for now)."""
    async with db.transaction() as session:
        _key, token = await auth_service.create_key(
            session,
            Actor.system(shop.store_id),
            data=ApiKeyCreate(name="staff", kind=KeyKind.SECRET, scopes=[Scope.WRITE]),
        )
    return token


def identity_token(shop: FixtureStore, customer: str, **kwargs: Any) -> str:
    """A token the shop's site would sign for one of its customers."""
    return issue_token(
        secret=shop.identity_secret, audience=shop.slug, subject=f"cust-{customer}", **kwargs
    )


@dataclass
class Reply:
    """One turn's events, read the way a client reads them."""

    events: list[Event]

    def of(self, kind: EventType) -> list[dict[str, Any]]:
        """The data of every event of one type."""
        return [e.data for e in self.events if e.type is kind]

    @property
    def text(self) -> str:
        """The reply's final text."""
        done = self.of(EventType.DONE)
        return str(done[-1]["text"]) if done else ""

    @property
    def tools(self) -> list[str]:
        """The tools called, in order."""
        return [d["name"] for d in self.of(EventType.TOOL_CALL)]

    @property
    def proposals(self) -> list[dict[str, Any]]:
        """The proposals shown."""
        return [d["proposal"] for d in self.of(EventType.CONFIRMATION_REQUEST)]


@dataclass
class Chat:
    """Drives one conversation through the engine (no HTTP)."""

    runtime: Runtime
    shop: FixtureStore
    public_id: str = ""
    token: str = ""
    replies: list[Reply] = field(default_factory=list)

    async def start(self, customer: str | None = None) -> Chat:
        """Start the conversation (verified as `customer` through an identity token)."""
        data = ConversationStart(
            channel="api", identity_token=identity_token(self.shop, customer) if customer else None
        )
        async with self.runtime.db.transaction() as session:
            conversation, self.token, _ = await assistant_service.start(
                session, self.runtime, Actor.system(self.shop.store_id), data=data
            )
            self.public_id = conversation.public_id
        return self

    async def say(self, text: str) -> Reply:
        """Send a message and collect the turn's events."""
        events = [
            e
            async for e in run_turn(
                self.runtime, store_id=self.shop.store_id, public_id=self.public_id, text=text
            )
        ]
        reply = Reply(events)
        self.replies.append(reply)
        return reply


@pytest.fixture
def chat(runtime: Runtime, shop: FixtureStore) -> Chat:
    """A conversation driver on the shop."""
    return Chat(runtime, shop)


def parse_sse(body: str) -> list[tuple[str, dict[str, Any]]]:
    """The (event, data) pairs of a text/event-stream body."""
    out = []
    for block in body.strip().split("\n\n"):
        kind, data = "message", ""
        for line in block.splitlines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                data += line[6:]
        if data:
            out.append((kind, json.loads(data)))
    return out


@pytest.fixture
async def widget(live_server: LiveServer, widget_key: str) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client with the shop's publishable key."""
    async with httpx.AsyncClient(
        base_url=live_server.url, timeout=30, headers={"Authorization": f"Bearer {widget_key}"}
    ) as client:
        yield client


@pytest.fixture
async def staff(live_server: LiveServer, staff_key: str) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client with a write key of the shop."""
    async with httpx.AsyncClient(
        base_url=live_server.url, timeout=30, headers={"Authorization": f"Bearer {staff_key}"}
    ) as client:
        yield client
