"""API latency and throughput on the demo store, over real HTTP.

Builds the full-size demo store once (or reuses it), starts `floorwalker serve` as a
subprocess on loopback, and drives it with an httpx client at a fixed concurrency, each
scenario for a fixed time:

- reads: `GET /v1/health` (the baseline: routing, auth-free, one `SELECT 1`), a product with
  variants and stock, an order with lines, shipments and payments, a customer's orders, a page
  of 50 products;
- plans (`?preview=true`, nothing written): cancel and modify-address on pending orders;
- operations (written, audited, one transaction each): cancel and modify-address, each on a
  fresh pending order created beforehand through `POST /v1/orders/batch` (not timed; they
  stay in the store, numbered `B…`, so use a database kept for benchmarking).

For each: requests, errors, p50 and p99 in milliseconds, requests per second, and the p50 as a
multiple of the baseline's. The client shares the machine with the server, so on a 2-core
machine figures are lower than with a separate load generator.

Run: .venv/bin/python benchmarks/bench_api.py [--duration 10] [--concurrency 8]
     [--database-url postgresql://postgres@127.0.0.1:5432/floorwalker_bench] [--scale 1.0]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import shlex
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select, text

from floorwalker.auth import service as auth_service
from floorwalker.auth.schemas import ApiKeyCreate
from floorwalker.catalog.models import Product, Variant
from floorwalker.customers.models import Customer, PaymentMethod
from floorwalker.database import upgrade
from floorwalker.demo import generator
from floorwalker.demo.build import anchor_for
from floorwalker.kit import fields
from floorwalker.kit.actor import Actor, Scope
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.orders.models import Order

Request = Callable[[], tuple[str, str, dict[str, Any] | None]]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def database_version(url: str) -> str:
    with generator.sync_engine(url) as engine, engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return str(conn.execute(text("SHOW server_version")).scalar_one()).join(
                ("PostgreSQL ", "")
            )
    return f"SQLite {sqlite3.sqlite_version}"


def machine(url: str) -> str:
    load = os.getloadavg()
    return (
        f"{cpu_model()}; {os.cpu_count()} cores; Python {platform.python_version()}; "
        f"{database_version(url)}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


@dataclass
class Demo:
    """What the scenarios pick from: ids in the demo store."""

    store_id: int
    products: list[int] = field(default_factory=list)
    orders: list[int] = field(default_factory=list)
    pending: list[int] = field(default_factory=list)
    customers: list[int] = field(default_factory=list)
    buyers: list[tuple[int, int, str, dict[str, Any]]] = field(default_factory=list)
    variants: list[tuple[int, int]] = field(default_factory=list)


def prepare(url: str, scale: float) -> Demo:
    """Build the demo store unless it is there; read the ids the scenarios use."""
    upgrade(url)
    info = generator.find(url)
    if info is None:
        print(f"building the demo store (scale {scale}) …", flush=True)
        started = time.perf_counter()
        generator.generate(url, scale=scale, now=anchor_for(utcnow()))
        print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
        info = generator.find(url)
    assert info is not None
    demo = Demo(info.store_id)
    sid = info.store_id
    with generator.sync_engine(url) as engine, engine.connect() as conn:
        demo.products = list(
            conn.scalars(
                select(Product.id).where(Product.store_id == sid, Product.status == "active")
            )
        )
        demo.orders = list(conn.scalars(select(Order.id).where(Order.store_id == sid)))
        demo.pending = list(
            conn.scalars(
                select(Order.id).where(
                    Order.store_id == sid,
                    Order.status == "pending",
                    Order.item_modifications == 0,  # changed orders refuse further changes
                )
            )
        )
        demo.customers = list(
            conn.scalars(
                select(Order.customer_id)
                .where(Order.store_id == sid, Order.customer_id.is_not(None))
                .distinct()
            )
        )
        rows = conn.execute(
            select(
                Customer.id,
                PaymentMethod.id,
                PaymentMethod.brand,
                PaymentMethod.last4,
                Customer.email,
            )
            .join(PaymentMethod, PaymentMethod.customer_id == Customer.id)
            .where(Customer.store_id == sid, PaymentMethod.kind == "card", PaymentMethod.active)
        ).all()
        demo.buyers = [
            (cid, mid, f"{brand.title()} ending {last4}",
             {"name": email, "line1": "1 Bench St", "city": "Portland", "region": "OR",
              "postal_code": "97201", "country": "US"})
            for cid, mid, brand, last4, email in rows
        ]  # fmt: skip
        demo.variants = [
            (int(vid), int(price))
            for vid, price in conn.execute(
                select(Variant.id, Variant.price)
                .join(Product, Product.id == Variant.product_id)
                .where(Variant.store_id == sid, Product.status == "active")
            )
        ]
    return demo


async def admin_key(url: str, store_id: int) -> str:
    db = Database.from_url(url)
    try:
        async with db.transaction() as session:
            _key, token = await auth_service.create_key(
                session,
                Actor.system(store_id, "bench"),
                data=ApiKeyCreate(name=f"bench {time.time_ns()}", scopes=[Scope.ADMIN]),
            )
        return token
    finally:
        await db.dispose()


BENCH_SECRET = "bench-secret-key-that-is-long-enough-0123"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    # Rate limits protect a shop from one noisy client; here that client is the measurement.
    env = {**os.environ, "FLOORWALKER_DATABASE_URL": url, "FLOORWALKER_DATA_DIR": str(data_dir),
           "FLOORWALKER_SECRET_KEY": BENCH_SECRET, "FLOORWALKER_JOBS": "off",
           "FLOORWALKER_LOG_LEVEL": "WARNING", "FLOORWALKER_RATE_LIMIT_PER_KEY": "100000000",
           "FLOORWALKER_RATE_LIMIT_PER_IP": "100000000"}  # fmt: skip
    command = [sys.executable, "-m", "floorwalker", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--no-migrate"]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start within 120 s")


@dataclass
class Result:
    name: str
    latencies: list[float]
    errors: Counter[str]
    elapsed: float

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p99(self) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


async def drive(
    client: httpx.AsyncClient, name: str, request: Request, *, concurrency: int, duration: float
) -> Result:
    """Send requests from `concurrency` workers for `duration` seconds (or until out of work)."""
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    stop = time.perf_counter() + duration

    async def worker() -> None:
        while time.perf_counter() < stop:
            try:
                method, path, body = request()
            except IndexError:  # no fresh orders left
                return
            started = time.perf_counter()
            response = await client.request(method, path, json=body)
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                try:
                    code = str(response.json().get("error", ""))
                except ValueError:
                    code = response.text[:60]
                errors[f"{response.status_code} {code}"] += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Result(name, latencies, errors, time.perf_counter() - started)


async def create_pending(
    client: httpx.AsyncClient, demo: Demo, count: int, rng: random.Random
) -> list[int]:
    """Fresh pending orders through the batch API, paid by card (not timed)."""
    created: list[int] = []
    prefix = f"B{time.time_ns() % 10**9}"
    for start in range(0, count, 500):
        records = []
        for n in range(start, min(count, start + 500)):
            customer, method, label, address = rng.choice(demo.buyers)
            variant, price = rng.choice(demo.variants)
            records.append({
                "number": f"{prefix}-{n}", "customer_id": customer, "status": "pending",
                "lines": [{"variant_id": variant, "quantity": 1, "unit_price": price}],
                "shipping_address": address,
                "transactions": [{"kind": "payment", "amount": price, "payment_method_id": method,
                                  "method_kind": "card", "method_label": label,
                                  "reason": "order placed"}],
            })  # fmt: skip
        response = await client.post("/v1/orders/batch", json={"records": records})
        response.raise_for_status()
        summary = response.json()
        if summary["failed"]:
            failure = next(r for r in summary["results"] if r["status"] == "failed")
            raise SystemExit(f"creating pending orders failed: {failure}")
        created += [r["id"] for r in summary["results"]]
    return created


def scenarios(demo: Demo, rng: random.Random) -> dict[str, Request]:
    address = {"line1": "500 NW Benchmark Ave", "city": "Portland", "region": "OR",
               "postal_code": "97209", "country": "US"}  # fmt: skip
    return {
        "GET /v1/health (baseline)": lambda: ("GET", "/v1/health", None),
        "GET /v1/products/{id}": lambda: ("GET", f"/v1/products/{rng.choice(demo.products)}", None),
        "GET /v1/orders/{id}": lambda: ("GET", f"/v1/orders/{rng.choice(demo.orders)}", None),
        "GET /v1/orders?customer_id=": lambda: (
            "GET", f"/v1/orders?customer_id={rng.choice(demo.customers)}&limit=20", None),
        "GET /v1/products?limit=50": lambda: ("GET", "/v1/products?limit=50", None),
        "POST cancel?preview=true": lambda: (
            "POST", f"/v1/orders/{rng.choice(demo.pending)}/cancel?preview=true",
            {"reason": "no longer needed"}),
        "POST modify-address?preview=true": lambda: (
            "POST", f"/v1/orders/{rng.choice(demo.pending)}/modify-address?preview=true",
            {"address": address}),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="Default: a SQLite file in the temp directory.")
    parser.add_argument("--scale", type=float, default=1.0, help="Demo store size (1 = full).")
    parser.add_argument("--duration", type=float, default=10.0, help="Seconds per scenario.")
    parser.add_argument("--concurrency", type=int, default=8, help="Requests in flight.")
    parser.add_argument("--seed", type=int, default=1, help="Seed of the request mix.")
    args = parser.parse_args()
    data_dir = Path(tempfile.gettempdir()) / "floorwalker-bench"
    data_dir.mkdir(exist_ok=True)
    url = args.database_url or f"sqlite:///{data_dir / 'demo.db'}"
    # Customers' contact fields are encrypted with this key, here and in the server started.
    fields.configure(BENCH_SECRET)
    demo = prepare(url, args.scale)
    token = asyncio.run(admin_key(url, demo.store_id))
    port = free_port()
    server = start_server(url, data_dir, port)
    try:
        results = asyncio.run(run(port, token, demo, args))
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(url, demo, args, results)


async def run(port: int, token: str, demo: Demo, args: argparse.Namespace) -> list[Result]:
    rng = random.Random(args.seed)
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", timeout=60, limits=limits,
        headers={"Authorization": f"Bearer {token}"},
    ) as client:  # fmt: skip
        results = []
        for name, request in scenarios(demo, rng).items():
            await drive(client, name, request, concurrency=args.concurrency, duration=1.0)  # warm
            print(f"running {name} …", flush=True)
            results.append(await drive(client, name, request, concurrency=args.concurrency,
                                       duration=args.duration))  # fmt: skip
        # Enough fresh pending orders for each operation to run the whole duration.
        wanted = max(200, int(args.duration * 150))
        for name, path, body in (
            ("POST cancel", "cancel", {"reason": "no longer needed"}),
            ("POST modify-address", "modify-address",
             {"address": {"line1": "77 Fresh St", "city": "Boston", "region": "MA",
                          "postal_code": "02108", "country": "US"}}),
        ):  # fmt: skip
            fresh = await create_pending(client, demo, wanted, rng)
            print(f"running {name} on {len(fresh)} fresh pending orders …", flush=True)
            results.append(await drive(
                client, name,
                lambda p=path, b=body, f=fresh: ("POST", f"/v1/orders/{f.pop()}/{p}", b),
                concurrency=args.concurrency, duration=args.duration,
            ))  # fmt: skip
    return results


def report(url: str, demo: Demo, args: argparse.Namespace, results: list[Result]) -> None:
    base = results[0].p50
    print()
    print(f"machine: {machine(url)}")
    print(f"demo store {demo.store_id}: {len(demo.products):,} active products, "
          f"{len(demo.orders):,} orders; concurrency {args.concurrency}, "
          f"{args.duration:g} s per scenario")  # fmt: skip
    print(f"{'scenario':<36}{'requests':>9}{'errors':>7}{'p50 ms':>9}{'p99 ms':>9}{'req/s':>9}"
          f"{'p50 ×':>8}")  # fmt: skip
    for r in results:
        print(f"{r.name:<36}{len(r.latencies):>9}{r.errors.total():>7}{r.p50:>9.1f}{r.p99:>9.1f}"
              f"{len(r.latencies) / r.elapsed:>9.1f}{r.p50 / base:>8.1f}")  # fmt: skip
    for r in results:
        for error, n in r.errors.most_common():
            print(f"  errors in {r.name}: {n} × {error}")
    print(f"reproduce: {shlex.join([sys.executable, *sys.argv])}")


if __name__ == "__main__":
    main()
