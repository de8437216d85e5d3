"""Test harness: a real database built by migrations once per run (SQLite or PostgreSQL).

Choose the backend with FLOORWALKER_TEST_DB=sqlite (default) or postgresql; PostgreSQL is
reached at FLOORWALKER_TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres),
where each run creates its own databases and drops them at the end.

Tests isolate by tenant: every test builds its own store (`store` fixture), so tests never see
each other's rows and nothing needs rolling back. Commit before calling the live server: on
SQLite an open writing session holds the write lock.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
import httpx
import psycopg
import pytest
import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.app import create_app
from floorwalker.config import Environment, JobsMode, Settings
from floorwalker.database import upgrade
from floorwalker.kit import fields
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories

# anyio imports some modules on first use. A live server's thread importing one (starlette's
# `anyio.open_file` when it first serves a static file) while pytest rewrites a test module's
# asserts in the main thread trips CPython 3.11's "AST constructor recursion depth mismatch"
# (python/cpython#106905): import them here, before any server thread starts.
_ = (anyio.open_file, anyio.Path, anyio.to_thread.run_sync)

BACKEND = os.environ.get("FLOORWALKER_TEST_DB", "sqlite")
PG_ADMIN_URL = os.environ.get(
    "FLOORWALKER_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)

# Tests must never reach a real model provider or the internet.
os.environ["FLOORWALKER_ALLOW_MODEL_REQUESTS"] = "false"
# Customer contact fields are encrypted (kit.fields) with the key of the settings below. A CLI
# command run in-process configures its own key; keys configured earlier stay readable.
TEST_SECRET_KEY = "test-secret-key-that-is-long-enough-0123456789"
fields.configure(TEST_SECRET_KEY)


def _pg_url(dbname: str) -> str:
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    return f"{base}/{dbname}"


def create_empty_database(name: str, tmp_dir: Path) -> str:
    """A new, empty database of the configured backend; returns its URL."""
    if BACKEND == "postgresql":
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return _pg_url(name)
    return f"sqlite:///{tmp_dir / (name + '.db')}"


def drop_database(name: str) -> None:
    """Drop a database created by create_empty_database (PostgreSQL only)."""
    if BACKEND == "postgresql":
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def run_id(request: pytest.FixtureRequest) -> str:
    """A short id unique to this test run and worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    uid = os.environ.get("PYTEST_XDIST_TESTRUNUID", f"{os.getpid():x}")[:10]
    return f"fw_{uid}_{worker}".lower()


@pytest.fixture(scope="session")
def database_url(run_id: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of this worker's database, migrated to head."""
    url = create_empty_database(run_id, tmp_path_factory.mktemp("db"))
    upgrade(url)
    yield url
    drop_database(run_id)


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings pointing at the test database."""
    return Settings(
        environment=Environment.TEST,
        database_url=database_url,
        data_dir=tmp_path_factory.mktemp("data"),
        secret_key=TEST_SECRET_KEY,  # type: ignore[arg-type]
        # The shared live server serves the whole run from one address: limits are tested
        # on dedicated apps (tests/auth/test_rate_limits.py), not here.
        rate_limit_per_key=1_000_000,
        rate_limit_per_ip=1_000_000,
        # Live servers run no background jobs: tests run the jobs they test themselves.
        jobs=JobsMode.OFF,
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture(scope="session")
async def db(database_url: str) -> AsyncIterator[Database]:
    """The test database (engine and session factories)."""
    database = Database.from_url(database_url)
    yield database
    await database.dispose()


@pytest.fixture
async def session(db: Database) -> AsyncIterator[AsyncSession]:
    """A session; the test commits or rolls back itself."""
    async with db.session() as s:
        yield s
        await s.rollback()


@pytest.fixture
async def store(db: Database) -> Store:
    """A fresh store for this test (tests isolate by tenant)."""
    async with db.transaction() as s:
        return await factories.create_store(s)


@pytest.fixture
async def other_store(db: Database) -> Store:
    """A second store, to prove nothing crosses tenants."""
    async with db.transaction() as s:
        return await factories.create_store(s)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """The app served by uvicorn on a loopback port, in a background thread."""

    def __init__(self, settings: Settings) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(settings)
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.run(self.server.serve())

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(settings: Settings) -> Iterator[LiveServer]:
    """Floorwalker served over real HTTP on loopback for the whole run."""
    server = LiveServer(settings)
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def http(live_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the live server (no credentials)."""
    async with httpx.AsyncClient(base_url=live_server.url, timeout=30) as client:
        yield client


@pytest.fixture
async def admin_key(db: Database, store: Store) -> str:
    """An admin API key of the test's store."""
    async with db.transaction() as s:
        return await factories.create_key(s, store, scopes=["admin"])


@pytest.fixture
async def admin(live_server: LiveServer, admin_key: str) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client authenticated with an admin key of the test's store."""
    async with httpx.AsyncClient(
        base_url=live_server.url, timeout=30, headers={"Authorization": f"Bearer {admin_key}"}
    ) as client:
        yield client


@pytest.fixture(autouse=True)
def _root_logging_restored() -> Iterator[None]:
    """Undo a test's logging set-up (a CLI command calls configure_logging): its handler writes
    to the test's captured stderr, which is closed once the test ends."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A throwaway redis-server on a loopback port (Debian's `redis-server`)."""
    binary = shutil.which("redis-server")
    assert binary is not None, "redis-server is part of the development machine (apt)"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@asynccontextmanager
async def keyed_client(
    live_server: LiveServer, db: Database, store: Store, scopes: list[str]
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client with a new secret key of `store` holding `scopes`."""
    async with db.transaction() as s:
        key = await factories.create_key(s, store, scopes=scopes)
    async with httpx.AsyncClient(
        base_url=live_server.url, timeout=30, headers={"Authorization": f"Bearer {key}"}
    ) as client:
        yield client
