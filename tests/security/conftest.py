"""Fixtures of the security tests: an assistant runtime, a fake Shopify, the one-of-everything
world and a second scenario store for the isolation tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from floorwalker.assistant.runtime import Runtime
from floorwalker.config import Settings
from floorwalker.kit.db import Database
from tests.conftest import LiveServer
from tests.connectors.fakes.shopify import FakeShopify
from tests.security.world import World, build_world


@pytest.fixture
async def runtime(db: Database, settings: Settings) -> AsyncIterator[Runtime]:
    """An assistant runtime on the test database (local model)."""
    rt = Runtime.build(db, settings)
    yield rt
    await rt.close()


@pytest.fixture
def shopify() -> Iterator[FakeShopify]:
    """An empty fake Shopify Admin API on loopback."""
    fake = FakeShopify().start()
    yield fake
    fake.stop()


@pytest.fixture
async def world(
    db: Database,
    settings: Settings,
    live_server: LiveServer,
    runtime: Runtime,
    shopify: FakeShopify,
) -> AsyncIterator[World]:
    """Store A with one of everything, a caller of every kind, and another store."""
    async with build_world(db, settings, live_server, runtime, shopify.url) as built:
        yield built


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the attack suite's tally when it ran."""
    from tests.security.attacks import TALLY

    if TALLY.runs:
        terminalreporter.write_line(TALLY.summary())
