"""Orders: loading them in batches, and the latency of the support operations.

Loading: `orders.service.upsert_orders` is what the file importer, the platform connectors and
`POST /v1/orders/batch` call. On a fresh, migrated database with 300 products (1,200
variants) and 2,000 customers, N orders (1-4 lines by variant id or SKU, a card, PayPal or
gift-card payment, a shipment for the shipped and delivered ones, a refund for the cancelled
ones) are upserted in batches of 1,000, each batch in its own transaction like an importer
commits. Then a sample is loaded again (all unchanged: the idempotent re-import) and again with
every status moved on (the incremental-sync path). Baseline in the same process: a raw
`executemany` of the same order and line rows through the same engine (what storage alone
costs).

Operations: on fresh pending orders, each call in its own transaction (as the API does):
`get_order` (the baseline), `plan_cancel`, `cancel`, `modify_address`, `modify_items` (a swap
with a reservation and a charge). Medians and p99 in milliseconds, and the ratio to the
`get_order` median.

Run: .venv/bin/python benchmarks/bench_orders.py [--orders 20000] [--ops 200]
     [--backend sqlite|postgresql|both] [--pg-url postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import psycopg

from floorwalker.catalog.models import Product, Variant
from floorwalker.customers.models import Address, Customer, PaymentMethod
from floorwalker.database import upgrade
from floorwalker.inventory.models import InventoryLevel, Location
from floorwalker.kit import fields
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.orders import service as order_service
from floorwalker.orders.models import Order, OrderLine
from floorwalker.orders.schemas import AddressInput, LineSwap
from floorwalker.stores.models import Store

STATUSES = ["pending", "processing", "shipped", "delivered", "delivered", "cancelled"]
NEXT = {"pending": "processing", "processing": "shipped", "shipped": "delivered"}


def machine() -> str:
    """One line about the machine the figures come from."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return (
        f"{platform.platform()}; {os.cpu_count()} CPUs; Python {platform.python_version()}; "
        f"SQLite {sqlite3.sqlite_version}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


class Catalog:
    """What the generated orders refer to."""

    def __init__(self) -> None:
        self.variants: list[tuple[int, str, int]] = []  # id, sku, price
        self.customers: list[tuple[int, int, str, str]] = []  # id, method id, kind, label


async def seed(db: Database) -> tuple[int, Catalog, int]:
    """A store with products, stock at one location and customers with payment methods."""
    catalog = Catalog()
    async with db.transaction() as s:
        store = Store(slug=f"bench-{time.time_ns()}", name="Bench", currency="USD", policy={})
        s.add(store)
        await s.flush()
        location = Location(store_id=store.id, code="WH", name="Warehouse")
        s.add(location)
        products = [
            Product(store_id=store.id, handle=f"p{n}", title=f"Product {n}") for n in range(300)
        ]
        s.add_all(products)
        await s.flush()
        variants = [
            Variant(
                store_id=store.id,
                product_id=p.id,
                sku=f"SKU-{p.id}-{size}",
                title=size,
                options={"Size": size},
                price=1000 + 500 * (i % 7),
                currency="USD",
                position=i,
            )
            for p in products
            for i, size in enumerate(["S", "M", "L", "XL"])
        ]
        s.add_all(variants)
        await s.flush()
        s.add_all(
            InventoryLevel(
                store_id=store.id, variant_id=v.id, location_id=location.id, on_hand=10_000
            )
            for v in variants
        )
        catalog.variants = [(v.id, v.sku or "", v.price) for v in variants]
        customers = [
            Customer(store_id=store.id, email=f"c{n}@example.com", first_name="C", last_name=str(n))
            for n in range(2000)
        ]
        s.add_all(customers)
        await s.flush()
        for n, c in enumerate(customers):
            s.add(
                Address(
                    store_id=store.id,
                    customer_id=c.id,
                    line1=f"{n} High St",
                    city="Leeds",
                    country="GB",
                    is_default=True,
                )
            )
            kind = ["card", "paypal", "gift_card"][n % 3]
            method = PaymentMethod(
                store_id=store.id,
                customer_id=c.id,
                kind=kind,
                brand="visa" if kind == "card" else None,
                last4="4242" if kind != "paypal" else None,
                balance=10**9 if kind == "gift_card" else None,
                currency="USD",
            )
            s.add(method)
            await s.flush()
            catalog.customers.append((c.id, method.id, method.kind, method.label))
        return store.id, catalog, location.id


def make_orders(
    catalog: Catalog, start: int, count: int, *, moved: bool = False
) -> list[dict[str, Any]]:
    """Order records `start`…; the same numbers always give the same records."""
    rng = random.Random(start)
    records = []
    for n in range(start, start + count):
        customer_id, method_id, _kind, _label = catalog.customers[n % len(catalog.customers)]
        lines = []
        for i in range(rng.randint(1, 4)):
            vid, sku, price = catalog.variants[rng.randrange(len(catalog.variants))]
            line: dict[str, Any] = {"external_id": f"{n}-{i}", "quantity": rng.randint(1, 3)}
            line.update({"sku": sku} if i % 2 else {"variant_id": vid})
            line["unit_price"] = price
            lines.append(line)
        total = sum(x["quantity"] * x["unit_price"] for x in lines)
        status = STATUSES[n % len(STATUSES)]
        if moved:
            status = NEXT.get(status, status)
        record: dict[str, Any] = {
            "source": "bench",
            "external_id": f"O{n}",
            "number": f"#{100000 + n}",
            "customer_id": customer_id,
            "status": status,
            "lines": lines,
            "placed_at": "2026-06-01T10:00:00Z",
            "shipping_address": {"line1": "1 High St", "city": "Leeds", "country": "GB"},
            "transactions": [
                {
                    "external_id": f"T{n}",
                    "kind": "payment",
                    "amount": total,
                    "payment_method_id": method_id,
                }
            ]
            + (
                [
                    {
                        "external_id": f"R{n}",
                        "kind": "refund",
                        "amount": total,
                        "payment_method_id": method_id,
                    }
                ]
                if status == "cancelled"
                else []
            ),
            "fulfilments": [
                {
                    "external_id": f"F{n}",
                    "status": "delivered" if status == "delivered" else "in_transit",
                    "carrier": "UPS",
                    "tracking_numbers": [f"1Z{n:010d}"],
                    "items": [
                        {"line_index": i, "quantity": x["quantity"]} for i, x in enumerate(lines)
                    ],
                    "shipped_at": "2026-06-02T10:00:00Z",
                    "delivered_at": "2026-06-04T10:00:00Z" if status == "delivered" else None,
                }
            ]
            if status in {"shipped", "delivered"}
            else [],
        }
        records.append(record)
    return records


async def load(
    db: Database, actor: Actor, catalog: Catalog, count: int, *, moved: bool = False
) -> float:
    """Upsert `count` orders in batches of 1,000, each in its own transaction; seconds spent."""
    spent = 0.0
    for start in range(0, count, 1000):
        records = make_orders(catalog, start, min(1000, count - start), moved=moved)
        began = time.perf_counter()
        async with db.transaction() as s:
            summary = await order_service.upsert_orders(s, actor, records)
        spent += time.perf_counter() - began
        if summary.failed:
            raise SystemExit(f"failed records: {summary.results[:3]}")
    return spent


async def baseline(db: Database, store_id: int, catalog: Catalog, count: int) -> float:
    """Raw inserts of the same order and line rows (no matching, validation or audit)."""
    orders, lines = Order.__table__, OrderLine.__table__
    spent = 0.0
    for start in range(0, count, 1000):
        chunk = make_orders(catalog, start, min(1000, count - start))
        began = time.perf_counter()
        async with db.transaction() as s:
            now = utcnow()
            result = await s.execute(
                orders.insert().returning(orders.c.id, orders.c.number),
                [
                    {
                        "store_id": store_id, "source": "raw", "external_id": r["external_id"],
                        "number": "raw" + r["number"], "customer_id": r["customer_id"],
                        "status": r["status"], "currency": "USD", "subtotal": 0,
                        "shipping_total": 0, "tax_total": 0, "discount_total": 0, "total": 0,
                        "shipping_address": r["shipping_address"], "placed_at": now,
                        "item_modifications": 0, "note": "", "created_at": now, "updated_at": now,
                    }
                    for r in chunk
                ],
            )  # fmt: skip
            ids = {number: oid for oid, number in result.all()}
            await s.execute(
                lines.insert(),
                [
                    {
                        "store_id": store_id, "order_id": ids["raw" + r["number"]], "position": i,
                        "sku": x.get("sku"), "title": "x", "variant_title": "", "options": {},
                        "quantity": x["quantity"], "unit_price": x["unit_price"],
                    }
                    for r in chunk
                    for i, x in enumerate(r["lines"])
                ],
            )  # fmt: skip
        spent += time.perf_counter() - began
    return spent


async def timed(db: Database, calls: list[Callable[[Any], Awaitable[Any]]]) -> list[float]:
    """Milliseconds of each call, each in its own transaction."""
    out = []
    for call in calls:
        began = time.perf_counter()
        async with db.transaction() as s:
            await call(s)
        out.append((time.perf_counter() - began) * 1000)
    return out


async def operations(db: Database, store_id: int, catalog: Catalog, count: int) -> None:
    """Latency of reads, plans and executions on fresh pending orders."""
    actor = Actor.system(store_id, "bench")
    records = make_orders(catalog, 10_000_000, count * 4)
    for r in records:
        r.update(status="pending", fulfilments=[], transactions=r["transactions"][:1])
    async with db.transaction() as s:
        summary = await order_service.upsert_orders(s, actor, records)
    ids = [r.id for r in summary.results if r.id is not None]
    groups = [ids[i * count : (i + 1) * count] for i in range(4)]
    address = AddressInput(line1="2 Park Row", city="Leeds", country="GB")

    def swap_target(variant_id: int) -> int:
        # Variants of a product are consecutive ids: pick the neighbour within the product.
        return variant_id + 1 if (variant_id - catalog.variants[0][0]) % 4 != 3 else variant_id - 1

    reads = await timed(
        db, [lambda s, i=i: order_service.get_order(s, actor, order_id=i) for i in groups[0]]
    )
    plans = await timed(
        db,
        [
            lambda s, i=i: order_service.plan_cancel(
                s, actor, order_id=i, reason="no longer needed"
            )
            for i in groups[0]
        ],
    )
    cancels = await timed(
        db,
        [
            lambda s, i=i: order_service.cancel(s, actor, order_id=i, reason="no longer needed")
            for i in groups[0]
        ],
    )
    addresses = await timed(
        db,
        [
            lambda s, i=i: order_service.modify_address(s, actor, order_id=i, address=address)
            for i in groups[1]
        ],
    )
    swaps = []
    for order_id in groups[2]:
        async with db.reading() as s:
            order = await order_service.get_order(s, actor, order_id=order_id)
        line = order.lines[0]
        items = [LineSwap(line_id=line.id, variant_id=swap_target(line.variant_id or 0))]
        swaps += await timed(
            db,
            [
                lambda s, o=order_id, it=items: order_service.modify_items(
                    s, actor, order_id=o, items=it
                )
            ],
        )
    base = statistics.median(reads)
    for name, values in [
        ("get_order", reads),
        ("plan_cancel", plans),
        ("cancel", cancels),
        ("modify_address", addresses),
        ("modify_items", swaps),
    ]:
        values = sorted(values)
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        median = statistics.median(values)
        print(
            f"  {name:<16} median {median:6.2f} ms  p99 {p99:6.2f} ms  "
            f"({median / base:4.1f}× get_order)"
        )


async def run(url: str, count: int, ops: int) -> None:
    """Both parts on one fresh database."""
    upgrade(url)
    db = Database.from_url(url)
    try:
        store_id, catalog, _location = await seed(db)
        actor = Actor.system(store_id, "bench")
        cpu = time.process_time()
        seconds = await load(db, actor, catalog, count)
        cpu = time.process_time() - cpu
        print(
            f"  create            {count:,} orders in {seconds:.1f} s = {count / seconds:,.0f} "
            f"orders/s (process CPU {cpu:.1f} s)"
        )
        sample = min(count, 5000)
        seconds = await load(db, actor, catalog, sample)
        print(f"  re-load unchanged {sample:,} orders: {sample / seconds:,.0f} orders/s")
        seconds = await load(db, actor, catalog, sample, moved=True)
        print(f"  statuses moved on {sample:,} orders: {sample / seconds:,.0f} orders/s")
        raw = await baseline(db, store_id, catalog, sample)
        print(f"  baseline (raw executemany of orders and lines) {sample / raw:,.0f} orders/s")
        await operations(db, store_id, catalog, ops)
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--ops", type=int, default=200)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    # Customers' contact fields are encrypted at rest, as in the product (any key will do).
    fields.configure("bench-secret-key-that-is-long-enough-0123")
    print(f"machine: {machine()}")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            print("SQLite:")
            asyncio.run(run(f"sqlite:///{tmp}/bench.db", args.orders, args.ops))
    if args.backend in ("postgresql", "both"):
        name = f"fw_bench_orders_{os.getpid()}"
        base = args.pg_url.rpartition("/")[0]
        with psycopg.connect(args.pg_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            with psycopg.connect(f"{base}/{name}", autocommit=True) as conn:
                version = conn.execute("SHOW server_version").fetchone()
            print(f"PostgreSQL {version[0] if version else '?'}:")
            asyncio.run(run(f"{base}/{name}", args.orders, args.ops))
        finally:
            with psycopg.connect(args.pg_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
