"""`floorwalker worker`: every background job in one process of its own, on its own database."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from floorwalker.cli.main import app
from floorwalker.database import head_revision, upgrade
from floorwalker.insights.models import ForecastRun
from floorwalker.kit.db import Database
from floorwalker.recommend.serving import registry_for
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import BACKEND, TEST_SECRET_KEY, create_empty_database, drop_database
from tests.recommend.shop import build_shop


@dataclass
class Machine:
    """A database and data directory of its own: the worker runs every job for every store."""

    url: str
    data_dir: Path
    env: dict[str, str | None]


def _machine(tmp_path: Path, name: str, *, migrate: bool) -> Machine:
    url = create_empty_database(name, tmp_path)
    if migrate:
        upgrade(url)
    data_dir = tmp_path / "data"
    env: dict[str, str | None] = {
        "FLOORWALKER_DATABASE_URL": url,
        "FLOORWALKER_DATA_DIR": str(data_dir),
        "FLOORWALKER_SECRET_KEY": TEST_SECRET_KEY,
        "FLOORWALKER_ENVIRONMENT": "test",
        "FLOORWALKER_JOBS": "off",
        "COLUMNS": "200",
    }
    return Machine(url, data_dir, env)


@pytest.fixture
async def machine(tmp_path: Path, run_id: str) -> AsyncIterator[Machine]:
    name = f"{run_id}_worker_{time.monotonic_ns() % 10**8}"
    yield await asyncio.to_thread(_machine, tmp_path, name, migrate=True)
    await asyncio.to_thread(drop_database, name)


@pytest.fixture
async def machine_db(machine: Machine) -> AsyncIterator[Database]:
    database = Database.from_url(machine.url)
    yield database
    await database.dispose()


async def worker(machine: Machine, *args: str) -> tuple[int, str]:
    result = await asyncio.to_thread(CliRunner().invoke, app, ["worker", *args], env=machine.env)
    return result.exit_code, result.output


async def forecast_runs(db: Database, store: Store) -> int:
    async with db.reading() as s:
        query = select(func.count()).select_from(ForecastRun)
        return int(await s.scalar(query.where(ForecastRun.store_id == store.id)) or 0)


class TestOnce:
    async def test_runs_every_job_once_and_trains_the_store(
        self, machine: Machine, machine_db: Database
    ) -> None:
        # given a store with a catalog and a purchase history, never trained
        async with machine_db.transaction() as s:
            store = await factories.create_store(s)
        await build_shop(machine_db, store)
        files = registry_for(machine.data_dir).files

        # when
        code, output = await worker(machine, "--once")

        # then every job ran and the store has a recommender and a forecast run
        assert code == 0, output
        for name in (
            "db.statistics", "connectors.run", "privacy.platform_requests", "privacy.purge",
            "insights.lost_demand", "insights.forecast", "recommend.train",
        ):  # fmt: skip
            assert f"{name} " in output
        assert output.count("done") == 7
        assert "failed" not in output
        assert output.rstrip().endswith("Done.")
        version = files.current_version(store.id)
        assert version is not None
        assert [v.version for v in files.versions(store.id)] == [version]
        manifest = files.manifest(store.id, version)
        assert manifest is not None
        assert manifest["items"] == 8
        assert await forecast_runs(machine_db, store) == 1

        # and a second run changes nothing: the jobs are idempotent
        code, again = await worker(machine, "--once")

        assert code == 0, again
        assert [v.version for v in files.versions(store.id)] == [version]
        assert await forecast_runs(machine_db, store) == 1

    async def test_a_job_turned_off_is_skipped(
        self, machine: Machine, machine_db: Database
    ) -> None:
        async with machine_db.transaction() as s:
            store = await factories.create_store(s)
        await build_shop(machine_db, store)
        env = {**machine.env, "FLOORWALKER_RECOMMEND_TRAIN_INTERVAL_MINUTES": "0"}

        result = await asyncio.to_thread(CliRunner().invoke, app, ["worker", "--once"], env=env)

        assert result.exit_code == 0, result.output
        assert output_row(result.output, "recommend.train") == ["recommend.train", "off"]
        assert result.output.count("done") == 6
        assert registry_for(machine.data_dir).files.current_version(store.id) is None
        assert await forecast_runs(machine_db, store) == 1

    async def test_a_failing_job_exits_non_zero_after_the_others_ran(
        self, machine: Machine, machine_db: Database
    ) -> None:
        # given a database that lost the table the connectors' job reads first
        async with machine_db.transaction() as s:
            store = await factories.create_store(s)
            cascade = " CASCADE" if BACKEND == "postgresql" else ""
            await s.execute(text(f"DROP TABLE webhook_endpoints{cascade}"))

        code, output = await worker(machine, "--once")

        assert code == 1
        assert "Error: 1 job failed: connectors.run (details in the log above)" in output
        assert output.count("done") == 6
        assert await forecast_runs(machine_db, store) == 1
        assert "Traceback" not in output


def output_row(output: str, name: str) -> list[str]:
    """The cells of a job's row in the printed table."""
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip("│┃ ").split("│")]
        if cells and cells[0] == name:
            return [c for c in cells if c]
    raise AssertionError(f"no row for {name} in:\n{output}")


class TestRefusals:
    async def test_refuses_a_database_that_is_not_migrated(
        self, tmp_path: Path, run_id: str
    ) -> None:
        name = f"{run_id}_worker_bare_{time.monotonic_ns() % 10**8}"
        machine = await asyncio.to_thread(_machine, tmp_path, name, migrate=False)
        try:
            code, output = await worker(machine, "--once")
        finally:
            await asyncio.to_thread(drop_database, name)

        assert code == 1
        assert (
            f"the database is not migrated, this version needs {head_revision()}; "
            "run `floorwalker db upgrade`" in " ".join(output.split())
        )
        assert "Traceback" not in output

    async def test_refuses_a_database_it_cannot_open(self, tmp_path: Path) -> None:
        env = {
            "FLOORWALKER_DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.db'}",
            "FLOORWALKER_SECRET_KEY": TEST_SECRET_KEY,
            "FLOORWALKER_DATA_DIR": str(tmp_path / "data"),
        }

        result = await asyncio.to_thread(CliRunner().invoke, app, ["worker", "--once"], env=env)

        assert result.exit_code == 1
        assert "Error: cannot open the database:" in result.output
        assert "Traceback" not in result.output
        assert not (tmp_path / "missing").exists()

    async def test_refuses_a_bad_setting(self, machine: Machine) -> None:
        env = {**machine.env, "FLOORWALKER_JOBS": "sometimes"}

        result = await asyncio.to_thread(CliRunner().invoke, app, ["worker", "--once"], env=env)

        assert result.exit_code == 2
        assert "Configuration error: jobs: Input should be 'in-process' or 'off'" in (
            " ".join(result.output.split())
        )


class TestForever:
    def test_runs_until_sigterm_and_then_exits_cleanly(self, tmp_path: Path, run_id: str) -> None:
        name = f"{run_id}_worker_run_{time.monotonic_ns() % 10**8}"
        machine = _machine(tmp_path, name, migrate=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("FLOORWALKER_")}
        env.update({k: v for k, v in machine.env.items() if v is not None})
        process = subprocess.Popen(
            [sys.executable, "-m", "floorwalker", "worker"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines: list[str] = []
        try:
            assert process.stdout is not None
            for line in process.stdout:
                lines.append(line)
                if "Ctrl-C or SIGTERM stops it." in line:
                    break
            process.send_signal(signal.SIGTERM)
            rest, _ = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
            drop_database(name)
        output = "".join(lines) + rest
        assert process.returncode == 0, output
        assert "Worker running db.statistics every 60 min, connectors.run every 5 s" in output
        assert "recommend.train every 60 min." in output
        assert output.rstrip().endswith("Stopped.")
        assert "Traceback" not in output
