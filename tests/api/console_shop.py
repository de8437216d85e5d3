"""A scenario store with shoppers who talk to the assistant over HTTP, for the console's API
tests: conversations are made by real turns of the local model, as the widget makes them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from floorwalker.assistant.identity.tokens import issue_token
from floorwalker.assistant.runtime import Runtime
from floorwalker.assistant.scenarios.fixtures import FixtureStore, build_store
from floorwalker.auth.schemas import KeyKind
from floorwalker.config import Settings
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer


@dataclass
class Talk:
    """One conversation a shopper had: its id, token and the assistant's replies."""

    id: str
    token: str
    replies: list[dict[str, Any]] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        """The conversation token header."""
        return {"X-Conversation-Token": self.token}


@dataclass
class ConsoleShop:
    """The scenario store and HTTP clients: the widget (publishable key), a reader and a writer."""

    fixture: FixtureStore
    widget: httpx.AsyncClient
    reader: httpx.AsyncClient
    writer: httpx.AsyncClient

    @property
    def store_id(self) -> int:
        """The store's id."""
        return self.fixture.store_id

    async def talk(self, *messages: str, customer: str | None = None) -> Talk:
        """Start a conversation (verified as a fixture customer if named) and say each message."""
        body: dict[str, Any] = {}
        if customer is not None:
            body["identity_token"] = issue_token(
                secret=self.fixture.identity_secret,
                audience=self.fixture.slug,
                subject=f"cust-{customer}",
            )
        started = await self.widget.post("/v1/conversations", json=body)
        assert started.status_code == 201, started.text
        data = started.json()
        talk = Talk(id=data["conversation"]["id"], token=data["token"])
        for text in messages:
            await self.say(talk, text)
        return talk

    async def say(self, talk: Talk, text: str) -> dict[str, Any]:
        """One shopper message, answered as a whole (not streamed)."""
        response = await self.widget.post(
            f"/v1/conversations/{talk.id}/messages",
            params={"stream": "false"},
            json={"text": text},
            headers=talk.headers,
        )
        assert response.status_code == 200, response.text
        reply: dict[str, Any] = response.json()
        talk.replies.append(reply)
        return reply

    async def rate(self, talk: Talk, rating: str, reply: int = -1) -> None:
        """Rate one of the assistant's replies (the last by default)."""
        response = await self.widget.post(
            f"/v1/conversations/{talk.id}/feedback",
            json={"message_id": talk.replies[reply]["message_id"], "rating": rating},
            headers=talk.headers,
        )
        assert response.status_code == 200, response.text


async def _client(live_server: LiveServer, key: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=live_server.url, timeout=60, headers={"Authorization": f"Bearer {key}"}
    )


@asynccontextmanager
async def open_console_shop(
    db: Database, settings: Settings, live_server: LiveServer
) -> AsyncIterator[ConsoleShop]:
    """A fresh scenario store with a widget key, a read key and a write key."""
    runtime = Runtime.build(db, settings)
    try:
        fixture = await build_store(db, runtime.identity_crypto)
    finally:
        await runtime.close()
    async with db.transaction() as s:
        store = await s.get(Store, fixture.store_id)
        assert store is not None
        publishable = await factories.create_key(s, store, kind=KeyKind.PUBLISHABLE)
        read = await factories.create_key(s, store, scopes=["read"])
        write = await factories.create_key(s, store, scopes=["write"])
    widget = await _client(live_server, publishable)
    reader = await _client(live_server, read)
    writer = await _client(live_server, write)
    async with widget, reader, writer:
        yield ConsoleShop(fixture, widget, reader, writer)
