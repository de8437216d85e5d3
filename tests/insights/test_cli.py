"""`floorwalker insights …` against the test database."""

from __future__ import annotations

import asyncio

import pytest
from click.testing import Result
from sqlalchemy import select
from typer.testing import CliRunner

from floorwalker.catalog.models import Variant
from floorwalker.cli.main import app
from floorwalker.config import Settings
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories
from tests.insights.builders import days_back, sell, this_monday


@pytest.fixture
async def selling_store(db: Database, store: Store) -> Store:
    """A store whose first variant sold one a day for four weeks; its L/Blue has no stock."""
    async with db.transaction() as s:
        location = await factories.create_location(s, store)
        product = await factories.create_product(s, store, location=location)
        variant = (
            await s.scalars(
                select(Variant).where(Variant.product_id == product.id).order_by(Variant.id)
            )
        ).first()
        assert variant is not None
        await sell(s, store, None, variant, days=days_back(this_monday(store), 4))
    return store


async def invoke(settings: Settings, *args: str) -> Result:
    env = {
        "FLOORWALKER_DATABASE_URL": settings.resolved_database_url,
        "FLOORWALKER_DATA_DIR": str(settings.data_dir),
    }
    return await asyncio.to_thread(CliRunner().invoke, app, ["insights", *args], env=env)


class TestInsightsCommands:
    async def test_forecast_then_nothing_to_do(
        self, settings: Settings, selling_store: Store
    ) -> None:
        first = await invoke(settings, "forecast", "--store", selling_store.slug)
        second = await invoke(settings, "forecast", "--store", selling_store.slug)

        assert first.exit_code == 0, first.output
        assert "forecast 1 variants with tsb" in first.stdout
        assert second.exit_code == 0
        assert "nothing to do" in second.stdout

    async def test_alerts_and_lost_demand(self, settings: Settings, selling_store: Store) -> None:
        alerts = await invoke(settings, "alerts", "--store", selling_store.slug)
        lost = await invoke(settings, "lost-demand", "--store", selling_store.slug)

        assert alerts.exit_code == 0, alerts.output
        assert "out_of_stock" in alerts.stdout
        assert lost.exit_code == 0, lost.output
        assert "Read 0 searches and 0 assistant answers; 0 new signals." in " ".join(
            lost.stdout.split()
        )

    async def test_an_unknown_store_is_a_message(self, settings: Settings) -> None:
        result = await invoke(settings, "forecast", "--store", "no-such-store")

        assert result.exit_code == 1
        assert "no store 'no-such-store'" in result.stderr
        assert "Traceback" not in result.output

    async def test_store_or_all_is_required(self, settings: Settings) -> None:
        result = await invoke(settings, "forecast")

        assert result.exit_code == 2
        assert "give --store SLUG or --all" in result.stderr
