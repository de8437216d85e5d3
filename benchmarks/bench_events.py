"""Events through the API: how many events per second `POST /v1/events` stores on SQLite.

Target (issue 3): ≥ 5,000 events/s through the API on SQLite on a 2-core machine.

Serves a fresh, migrated SQLite database with uvicorn on loopback (one worker, like
`floorwalker serve`), posts batches of realistic events (views, searches, cart changes,
purchases; a fifth of them from identified customers, the rest anonymous sessions) from
concurrent clients, and reports the median of several rounds. The baseline is the same
batches stored by `events.service.ingest` directly, in the same process, without HTTP.

Run: .venv/bin/python benchmarks/bench_events.py [--events 100000] [--batch 500]
     [--clients 4] [--rounds 3] [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import random
import socket
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from floorwalker.app import create_app
from floorwalker.auth import service as auth_service
from floorwalker.auth.schemas import ApiKeyCreate
from floorwalker.config import Environment, Settings
from floorwalker.customers.models import Customer
from floorwalker.database import upgrade
from floorwalker.events import service as events_service
from floorwalker.kit import fields
from floorwalker.kit.actor import Actor, Scope
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store

BENCH_SECRET = "bench-secret-key-that-is-long-enough-0123456789"


def machine() -> str:
    """One line about the machine the figures come from."""
    return (
        f"{platform.platform()}; {os.cpu_count()} CPUs; Python {platform.python_version()}; "
        f"SQLite {sqlite3.sqlite_version}"
    )


def make_events(
    count: int, customers: list[int], seed: int, prefix: str, identified: float = 0.2
) -> list[dict[str, Any]]:
    """Realistic events: mostly anonymous browsing, some identified shoppers."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    events: list[dict[str, Any]] = []
    kinds = ["view"] * 60 + ["search"] * 15 + ["add_to_cart"] * 15 + ["purchase"] * 5
    kinds += ["recommendation_view"] * 5
    for i in range(count):
        kind = rng.choice(kinds)
        event: dict[str, Any] = {
            "id": f"{prefix}-{i}",
            "type": kind,
            "timestamp": (now - dt.timedelta(seconds=rng.randint(60, 86400 * 30))).isoformat(),
            "session_id": f"sess-{rng.randint(1, count // 20 + 1)}",
        }
        if customers and rng.random() < identified:
            event["customer_id"] = rng.choice(customers)
        if kind == "search":
            event["query"] = rng.choice(["rain jacket", "linen shirt", "trail shoes", "tent"])
            event["properties"] = {"results": rng.randint(0, 40)}
        elif kind == "purchase":
            event["order_id"] = rng.randint(1, 10_000)
            event["value"] = rng.randint(1000, 30000)
            event["currency"] = "USD"
        else:
            event["product_id"] = rng.randint(1, 5000)
        events.append(event)
    return events


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _setup(db: Database, customers: int) -> tuple[int, str, list[int]]:
    async with db.transaction() as s:
        store = Store(slug=f"bench-{os.getpid()}", name="Bench", currency="USD", policy={})
        s.add(store)
        await s.flush()
        rows = [Customer(store_id=store.id, email=f"c{i}@example.com") for i in range(customers)]
        s.add_all(rows)
        await s.flush()
        _key, token = await auth_service.create_key(
            s, Actor.system(store.id), data=ApiKeyCreate(name="bench", scopes=[Scope.WRITE])
        )
        return store.id, token, [c.id for c in rows]


async def _post_all(
    url: str, token: str, batches: list[list[dict[str, Any]]], clients: int
) -> float:
    queue: asyncio.Queue[list[dict[str, Any]]] = asyncio.Queue()
    for batch in batches:
        queue.put_nowait(batch)

    async def worker() -> None:
        async with httpx.AsyncClient(
            base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as client:
            while not queue.empty():
                batch = queue.get_nowait()
                response = await client.post("/v1/events", json={"events": batch})
                if response.status_code != 200 or response.json()["accepted"] != len(batch):
                    raise RuntimeError(
                        f"unexpected answer: {response.status_code} {response.text[:300]}"
                    )

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return time.perf_counter() - started


async def _direct(db: Database, store_id: int, batches: list[list[dict[str, Any]]]) -> float:
    actor = Actor.system(store_id)
    context = events_service.IngestContext()
    started = time.perf_counter()
    for batch in batches:
        async with db.transaction() as s:
            await events_service.ingest(s, actor, events=batch, context=context)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument(
        "--identified", type=float, default=0.2, help="Share of events naming a customer."
    )
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="fw-bench-events-")
    url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
    upgrade(url)
    settings = Settings(
        environment=Environment.TEST,
        database_url=url,
        data_dir=Path(tmp),
        secret_key=BENCH_SECRET,  # type: ignore[arg-type]
        rate_limit_per_key=10_000_000,
        rate_limit_per_ip=10_000_000,
        log_level="WARNING",
        _env_file=None,  # type: ignore[call-arg]
    )
    # Customer e-mails and names are encrypted columns: give them their keys, as the app does.
    fields.configure(BENCH_SECRET)
    db = Database.from_url(url)
    store_id, token, customers = asyncio.run(_setup(db, args.customers))

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)

    def chunks(events: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
        return [events[i : i + args.batch] for i in range(0, len(events), args.batch)]

    api_rates, direct_rates, api_cpu = [], [], []
    for round_no in range(args.rounds):
        api_events = make_events(
            args.events, customers, round_no, f"api{round_no}", args.identified
        )
        cpu = time.process_time()
        seconds = asyncio.run(
            _post_all(f"http://127.0.0.1:{port}", token, chunks(api_events), args.clients)
        )
        api_cpu.append(args.events / (time.process_time() - cpu))
        api_rates.append(args.events / seconds)
        direct_events = make_events(
            args.events, customers, round_no, f"dir{round_no}", args.identified
        )
        direct_db = Database.from_url(url)
        seconds = asyncio.run(_direct(direct_db, store_id, chunks(direct_events)))
        asyncio.run(direct_db.dispose())
        direct_rates.append(args.events / seconds)
        print(
            f"round {round_no + 1}: API {api_rates[-1]:,.0f} events/s, "
            f"direct {direct_rates[-1]:,.0f} events/s",
            flush=True,
        )
    server.should_exit = True
    thread.join(timeout=10)
    asyncio.run(db.dispose())

    api, direct = statistics.median(api_rates), statistics.median(direct_rates)
    backend = url.split(":", 1)[0]
    print()
    print(f"machine: {machine()}")
    print(
        f"database: {backend}; {args.events:,} events per round, batches of {args.batch}, "
        f"{args.clients} concurrent clients, {args.rounds} rounds (median)"
    )
    print(f"POST /v1/events: {api:,.0f} events/s  (target >= 5,000 on SQLite)")
    print(
        f"  per CPU second of this process (server and client together): "
        f"{statistics.median(api_cpu):,.0f} events"
    )
    print(f"events.service.ingest without HTTP (baseline): {direct:,.0f} events/s")
    print(f"API / baseline: {api / direct:.2f}")
    print(f"reproduce: .venv/bin/python {' '.join(sys.argv)}")


if __name__ == "__main__":
    main()
