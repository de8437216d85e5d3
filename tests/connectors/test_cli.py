"""`floorwalker connectors …` and `floorwalker webhooks …` through typer's CliRunner."""

from __future__ import annotations

import asyncio

import pytest
from click.testing import Result
from sqlalchemy import select
from typer.testing import CliRunner

from floorwalker.cli.main import app
from floorwalker.connectors.models import Connection, DeadLetter
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests.connectors.fakes.shopify import FakeShopify, fill
from tests.connectors.helpers import catalog_snapshot


async def invoke(args: list[str], input: str | None = None) -> Result:
    """Run the CLI in a worker thread (it calls asyncio.run itself)."""
    return await asyncio.to_thread(CliRunner().invoke, app, args, input=input)


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("FLOORWALKER_DATABASE_URL", database_url)
    monkeypatch.setenv("FLOORWALKER_SECRET_KEY", "test-secret-key-that-is-long-enough-0123456789")


class TestConnectorsCommands:
    async def test_add_list_sync_and_remove(
        self, db: Database, store: Store, shopify: FakeShopify
    ) -> None:
        fill(shopify)
        # The CLI waits in real time: give the fake an endless cost bucket.
        shopify.maximum = shopify.available = 1e9

        added = await invoke(
            [
                "connectors",
                "add",
                "--store",
                store.slug,
                "--platform",
                "shopify",
                "--name",
                "main",
                "--url",
                shopify.url,
                "--webhook-secret",
                "shpss_0123456789",
                "--setting",
                "retry_jitter=0",
            ],
            input=f"{shopify.token}\n",
        )
        listed = await invoke(["connectors", "list", "--store", store.slug])
        synced = await invoke(["connectors", "sync", "main", "--store", store.slug, "--full"])
        runs = await invoke(["connectors", "runs", "--store", store.slug])

        assert added.exit_code == 0, added.output
        assert "Connected shopify as 'main'" in added.output
        assert "Webhook address: http://127.0.0.1:8000/v1/webhooks/shopify/wh_" in added.output
        assert "main" in listed.output
        assert synced.exit_code == 0, synced.output
        assert "products" in synced.output
        assert "succeeded" in runs.output
        assert len(await catalog_snapshot(db, store)) == 3
        async with db.reading() as s:
            connection = await s.scalar(select(Connection).where(Connection.store_id == store.id))
        assert connection is not None
        assert shopify.token not in connection.credentials_encrypted

        removed = await invoke(["connectors", "remove", "main", "--store", store.slug, "--yes"])

        assert removed.exit_code == 0, removed.output
        async with db.reading() as s:
            gone = await s.scalar(select(Connection).where(Connection.store_id == store.id))
        assert gone is None
        assert len(await catalog_snapshot(db, store)) == 3

    async def test_an_unknown_platform_is_a_message_not_a_traceback(self, store: Store) -> None:
        result = await invoke(
            [
                "connectors",
                "add",
                "--store",
                store.slug,
                "--platform",
                "magento",
                "--name",
                "m",
                "--url",
                "https://shop.example",
            ],
        )

        assert result.exit_code == 1
        assert "unknown platform 'magento'" in result.output
        assert "Traceback" not in result.output


class TestWebhooksCommands:
    async def test_replay_resolves_a_dead_letter_that_now_applies(
        self, db: Database, store: Store, shopify: FakeShopify
    ) -> None:
        await invoke(
            [
                "connectors",
                "add",
                "--store",
                store.slug,
                "--platform",
                "shopify",
                "--name",
                "main",
                "--url",
                shopify.url,
                "--credential",
                f"access_token={shopify.token}",
            ],
        )
        async with db.transaction() as s:
            connection = await s.scalar(select(Connection).where(Connection.store_id == store.id))
            assert connection is not None
            letter = DeadLetter(
                store_id=store.id,
                connection_id=connection.id,
                origin="sync",
                topic="record:product",
                external_id="5",
                payload={
                    "kind": "product",
                    "external_id": "5",
                    "title": "Rain Hat",
                    "variants": [{"external_id": "55", "price": 2500, "sku": "HAT"}],
                },
                error="timeout",
            )
            s.add(letter)

        listed = await invoke(["webhooks", "dead-letters", "--store", store.slug])
        replayed = await invoke(["webhooks", "replay", "--store", store.slug])

        assert f"{letter.id}" in listed.output
        assert "sync" in listed.output
        assert replayed.exit_code == 0, replayed.output
        assert f"{letter.id}: resolved" in replayed.output
        assert await catalog_snapshot(db, store) == [
            ("5", "Rain Hat", "active", "55", "HAT", 2500, None)
        ]

    async def test_endpoints_are_added_and_listed(self, store: Store) -> None:
        added = await invoke(
            [
                "webhooks",
                "endpoints",
                "add",
                "https://erp.example/hook",
                "--store",
                store.slug,
                "--event",
                "order.cancelled",
            ],
        )
        listed = await invoke(["webhooks", "endpoints", "list", "--store", store.slug])

        assert added.exit_code == 0, added.output
        assert "whsec_" in added.output
        assert "https://erp.example/hook" in listed.output
        assert "whsec_" not in listed.output
