"""`floorwalker demo` on a fresh machine: creates, reuses or resets the demo store; serves it."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from floorwalker.auth.models import StaffUser
from floorwalker.catalog.models import Product
from floorwalker.cli.main import app
from floorwalker.config import Environment, JobsMode, Settings
from floorwalker.demo.generator import find, sync_engine
from floorwalker.orders.models import Order
from floorwalker.recommend.serving import registry_for
from tests.conftest import BACKEND, LiveServer, create_empty_database, drop_database

SECRET = "test-secret-key-that-is-long-enough-0123456789"


@dataclass
class Machine:
    """A fresh machine: an empty data directory and the environment pointing at it."""

    data_dir: Path
    url: str
    env: dict[str, str | None]


@pytest.fixture
def machine(tmp_path: Path, run_id: str) -> Iterator[Machine]:
    data_dir = tmp_path / "fresh" / ".floorwalker"
    env: dict[str, str | None] = {
        "FLOORWALKER_DATA_DIR": str(data_dir),
        "FLOORWALKER_SECRET_KEY": SECRET,
        "FLOORWALKER_ENVIRONMENT": "development",
        "COLUMNS": "200",
    }
    name = f"{run_id}_cli_{os.getpid()}_{time.monotonic_ns() % 10**6}"
    if BACKEND == "postgresql":
        url = create_empty_database(name, tmp_path)
        env["FLOORWALKER_DATABASE_URL"] = url
    else:  # the default: a SQLite file the command creates under the data directory
        url = f"sqlite:///{data_dir.resolve() / 'floorwalker.db'}"
        env["FLOORWALKER_DATABASE_URL"] = None
    yield Machine(data_dir, url, env)
    if BACKEND == "postgresql":
        drop_database(name)


def run(machine: Machine, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["demo", *args], env=machine.env)
    return result.exit_code, result.output


def count(url: str, model: type[Product | Order | StaffUser], store_id: int) -> int:
    with sync_engine(url) as engine, engine.connect() as conn:
        query = select(func.count()).select_from(model).where(model.store_id == store_id)
        return int(conn.execute(query).scalar_one())


def sign_in_of(output: str) -> tuple[str, str]:
    """The console e-mail and password a run printed."""
    email = re.search(r"e-mail:\s+(\S+)", output)
    password = re.search(r"password:\s+(\S+)", output)
    assert email is not None, output
    assert password is not None, output
    return email.group(1), password.group(1)


def serve(machine: Machine) -> LiveServer:
    """The machine's database served on loopback, without background jobs."""
    settings = Settings(
        environment=Environment.TEST,
        database_url=machine.url,
        data_dir=machine.data_dir,
        secret_key=SECRET,  # type: ignore[arg-type]
        jobs=JobsMode.OFF,
        _env_file=None,  # type: ignore[call-arg]
    )
    server = LiveServer(settings)
    server.start()
    return server


def sign_in(http: httpx.Client, email: str, password: str) -> httpx.Response:
    return http.post(
        "/v1/staff/sign-in", json={"store": "demo", "email": email, "password": password}
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class TestDemoCommand:
    def test_creates_the_store_and_prints_keys_that_work_over_http(self, machine: Machine) -> None:
        assert not machine.data_dir.exists()

        code, output = run(machine, "--no-serve", "--scale", "0.05")

        assert code == 0, output
        assert machine.data_dir.is_dir()
        if BACKEND == "sqlite":
            assert (machine.data_dir / "floorwalker.db").is_file()
        info = find(machine.url)
        assert info is not None
        assert (info.seed, info.scale) == (42, 0.05)
        assert "Alder & Pine Outfitters is ready" in output
        assert "http://127.0.0.1:8000/docs" in output
        assert "maya.chen@example.com" in output
        admin = re.search(r"Admin key:\s+(fw_sk_\S+)", output)
        widget = re.search(r"Widget key:\s+(fw_pk_\S+)", output)
        assert admin is not None
        assert widget is not None
        assert "Console:      http://127.0.0.1:8000/console" in output
        assert "Storefront:   http://127.0.0.1:8000/demo" in output
        email, password = sign_in_of(output)
        assert email == "owner@alderandpine.example"
        assert len(password) == 16
        # the recommender was trained once, before serving
        assert "Recommender trained: version " in output
        version = registry_for(machine.data_dir).files.current_version(info.store_id)
        assert version is not None
        assert f"Recommender trained: version {version}," in output
        server = serve(machine)
        try:
            # A plain test (no event loop of its own): the command runs asyncio itself.
            with httpx.Client(base_url=server.url, timeout=30) as http:
                listed = http.get(
                    "/v1/products",
                    params={"limit": 3},
                    headers={"Authorization": f"Bearer {admin.group(1)}"},
                )
                anonymous = http.get("/v1/products", params={"limit": 3})
                signed_in = sign_in(http, email, password)
                models = http.get(
                    "/v1/recommendations/models",
                    headers={"Authorization": f"Bearer {admin.group(1)}"},
                )
        finally:
            server.stop()
        assert listed.status_code == 200, listed.text
        assert len(listed.json()["items"]) == 3
        assert anonymous.status_code == 401
        assert anonymous.json()["error"] == "missing_credentials"
        assert signed_in.status_code == 200, signed_in.text
        assert (signed_in.json()["user"]["email"], signed_in.json()["user"]["role"]) == (
            "owner@alderandpine.example",
            "owner",
        )
        assert models.status_code == 200, models.text
        assert models.json()["current"] == version

    def test_reuses_the_store_on_the_next_run_and_resets_it_when_asked(
        self, machine: Machine
    ) -> None:
        code, first = run(machine, "--no-serve", "--scale", "0.03")
        assert code == 0, first
        before = find(machine.url)
        assert before is not None
        orders = count(machine.url, Order, before.store_id)

        code, again = run(machine, "--no-serve", "--seed", "9")

        assert code == 0, again
        assert "Reusing the demo store (seed 42, scale 0.03" in again
        assert "--seed/--scale apply to a new store: add --reset." in again
        assert find(machine.url) == before
        assert count(machine.url, Order, before.store_id) == orders
        assert re.findall(r"fw_sk_\S+", again) != re.findall(r"fw_sk_\S+", first)
        # one owner still, with a new password; the recommender was already up to date
        assert count(machine.url, StaffUser, before.store_id) == 1
        (email, old_password), (_, new_password) = sign_in_of(first), sign_in_of(again)
        assert new_password != old_password
        version = registry_for(machine.data_dir).files.current_version(before.store_id)
        assert f"Recommender up to date (version {version})." in again
        server = serve(machine)
        try:
            with httpx.Client(base_url=server.url, timeout=30) as http:
                old = sign_in(http, email, old_password)
                new = sign_in(http, email, new_password)
        finally:
            server.stop()
        assert (old.status_code, old.json()["error"]) == (401, "login_failed")
        assert new.status_code == 200, new.text

        code, reset = run(machine, "--no-serve", "--reset", "--seed", "9", "--scale", "0.02")

        assert code == 0, reset
        assert "Deleting the demo store (--reset)" in reset
        after = find(machine.url)
        assert after is not None
        assert (after.seed, after.scale) == (9, 0.02)
        assert after.anchor == before.anchor
        assert 0 < count(machine.url, Order, after.store_id) < orders  # a smaller store

    def test_refuses_a_bad_scale_before_touching_anything(self, machine: Machine) -> None:
        code, output = run(machine, "--no-serve", "--scale", "0")

        assert code == 2
        assert "Invalid value for '--scale'" in output
        assert not machine.data_dir.exists()

    def test_leaves_a_store_called_demo_that_it_did_not_make_alone(self, machine: Machine) -> None:
        for command in (["db", "upgrade"], ["stores", "create", "demo", "--name", "My Shop"]):
            made = CliRunner().invoke(app, command, env=machine.env)
            assert made.exit_code == 0, made.output

        code, output = run(machine, "--no-serve", "--reset", "--scale", "0.02")

        assert code == 1
        assert "there is already a store 'demo' that `floorwalker demo` did not make" in output
        info = find(machine.url)
        assert info is not None
        assert info.seed is None
        assert count(machine.url, Product, info.store_id) == 0

    def test_says_so_when_the_port_is_taken(self, machine: Machine) -> None:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]

            code, output = run(machine, "--port", str(port), "--scale", "0.02")

        assert code == 1
        assert f"port {port} on 127.0.0.1 is in use; pass --port" in output
        assert not machine.data_dir.exists()

    def test_serves_until_ctrl_c_and_then_exits_cleanly(self, machine: Machine) -> None:
        port = free_port()
        env = {k: v for k, v in os.environ.items() if k != "FLOORWALKER_DATABASE_URL"}
        env.update({k: v for k, v in machine.env.items() if v is not None})
        command = [sys.executable, "-m", "floorwalker", "demo", "--port", str(port),
                   "--scale", "0.02"]  # fmt: skip
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        try:
            deadline = time.monotonic() + 120
            health = None
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    health = httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=2)
                    break
                except httpx.TransportError:
                    time.sleep(0.3)
            assert health is not None
            assert health.status_code == 200
            process.send_signal(signal.SIGINT)
            output, _ = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
        assert process.returncode == 0, output
        assert f"Serving at http://127.0.0.1:{port}" in output
        assert output.rstrip().endswith("Stopped.")
        assert "Traceback" not in output
