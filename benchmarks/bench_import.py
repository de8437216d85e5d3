"""File imports: products with variants and events from CSV into SQLite (or PostgreSQL).

Targets (issue 3), on this 2-core machine with SQLite:
  * 100,000 products with variants (3–5 each) in ≤ 60 s;
  * 1,000,000 events in ≤ 60 s.

Writes realistic CSV files (one row per variant; events with views, searches, cart changes and
purchases, a fifth from identified customers), then times `floorwalker import` end to end
(reading, validating, loading, recording the run) through `connectors.files.importer`, the
same code the CLI runs. Also times a re-import of the products (everything unchanged) and
reports wall time, CPU time of this process and peak memory. The baseline for the events is
the raw SQLite insert of the same rows with the stdlib `sqlite3` module in this process.

The events import reads and validates in a helper process (the file is large); with
`--thread-baseline` it is also run the old way, in a worker thread, for comparison; `--runs N`
repeats each and reports the median (each run loads into an empty events table).

Run: .venv/bin/python benchmarks/bench_import.py [--products 100000] [--events 1000000]
     [--runs 3] [--thread-baseline] [--database-url postgresql://...] [--skip-events]
     [--skip-products]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import os
import platform
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from floorwalker.connectors.files.importer import import_file
from floorwalker.customers.models import Customer
from floorwalker.database import upgrade
from floorwalker.kit import fields
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store

COLOURS = ["Black", "White", "Navy", "Olive", "Rust", "Sand", "Grey", "Blue"]
SIZES = ["XS", "S", "M", "L", "XL"]
NOUNS = ["Shirt", "Jacket", "Trousers", "Jumper", "Dress", "Boots", "Hat", "Scarf", "Tent", "Mug"]
ADJECTIVES = ["Linen", "Merino", "Waxed", "Organic", "Recycled", "Ripstop", "Alpine", "Coastal"]


BENCH_SECRET = "bench-secret-key-that-is-long-enough-0123456789"


def machine() -> str:
    """One line about where the figures come from."""
    return (
        f"{platform.platform()}; {os.cpu_count()} CPUs; Python {platform.python_version()}; "
        f"SQLite {sqlite3.sqlite_version}; load average {os.getloadavg()[0]:.1f}"
    )


def write_products(path: Path, count: int, seed: int = 7) -> int:
    """A products CSV with 3–5 variants per product; returns the number of rows."""
    rng = random.Random(seed)
    rows = 0
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "external_id",
                "title",
                "description",
                "brand",
                "category",
                "tags",
                "option.Size",
                "option.Colour",
                "variant_external_id",
                "sku",
                "price",
                "compare_at_price",
            ]
        )
        for n in range(count):
            title = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {n}"
            colour = rng.choice(COLOURS)
            price = rng.randint(900, 25000)
            for size in rng.sample(SIZES, rng.randint(3, 5)):
                sale = rng.random() < 0.1
                writer.writerow(
                    [
                        f"P{n}",
                        title,
                        f"A well made {title.lower()}.",
                        "Northwind",
                        f"Clothing > {title.split()[1]}",
                        "new,outdoor",
                        size,
                        colour,
                        f"P{n}-{size}",
                        f"SKU-{n}-{size}",
                        f"{price / 100:.2f}",
                        f"{price * 1.2 / 100:.2f}" if sale else "",
                    ]
                )
                rows += 1
    return rows


def write_events(path: Path, count: int, customers: list[int], seed: int = 11) -> None:
    """An events CSV: mostly anonymous browsing, a fifth from identified customers."""
    rng = random.Random(seed)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    kinds = ["view"] * 60 + ["search"] * 15 + ["add_to_cart"] * 15 + ["purchase"] * 5
    kinds += ["recommendation_view"] * 5
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "id",
                "type",
                "timestamp",
                "session_id",
                "customer_id",
                "product_id",
                "query",
                "order_id",
                "value",
                "currency",
            ]
        )
        for i in range(count):
            kind = rng.choice(kinds)
            at = (start + dt.timedelta(seconds=i * 7)).isoformat()
            customer = rng.choice(customers) if customers and rng.random() < 0.2 else ""
            row = [f"e{i}", kind, at, f"s{rng.randint(1, count // 15 + 1)}", customer]
            if kind == "search":
                row += ["", rng.choice(["rain jacket", "linen shirt", "tent"]), "", "", ""]
            elif kind == "purchase":
                row += ["", "", rng.randint(1, 50_000), rng.randint(1000, 20000), "USD"]
            else:
                row += [rng.randint(1, 100_000), "", "", "", ""]
            writer.writerow(row)


async def _store(db: Database, customers: int) -> tuple[int, list[int]]:
    async with db.transaction() as s:
        store = Store(slug=f"bench-{os.getpid()}", name="Bench", currency="USD", policy={})
        s.add(store)
        await s.flush()
        rows = [Customer(store_id=store.id, email=f"c{i}@example.com") for i in range(customers)]
        s.add_all(rows)
        await s.flush()
        return store.id, [c.id for c in rows]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def _timed(
    db: Database,
    store_id: int,
    resource_name: str,
    path: Path,
    parallel: bool | None = None,
) -> tuple[float, float, object]:
    """Wall and CPU seconds (this process and its helper) of one import, and its report."""
    wall, cpu, helper = time.perf_counter(), time.process_time(), _children_cpu()
    report = await import_file(
        db, Actor.system(store_id, "bench"), resource=resource_name, path=path, parallel=parallel
    )
    cpu = time.process_time() - cpu + _children_cpu() - helper
    return time.perf_counter() - wall, cpu, report


RAW_INSERT = (
    "INSERT INTO events (store_id, event_id, type, occurred_at, received_at, customer_id, "
    "session_id, product_id, variant_id, order_id, query, quantity, value, currency, properties) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def _raw_events_baseline(path: Path, csv_path: Path, store_id: int) -> float:
    """Seconds for stdlib sqlite3 to insert the same events (no validation) into a copy."""
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    started = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    with csv_path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        batch = []
        for r in reader:
            batch.append(
                (
                    store_id + 1000,
                    r["id"],
                    r["type"],
                    r["timestamp"][:19].replace("T", " "),
                    now,
                    r["customer_id"] or None,
                    r["session_id"],
                    r["product_id"] or None,
                    None,
                    r["order_id"] or None,
                    r["query"] or None,
                    None,
                    r["value"] or None,
                    r["currency"] or None,
                    "{}",
                )
            )
            if len(batch) == 5000:
                con.executemany(
                    RAW_INSERT,
                    batch,
                )
                batch = []
        if batch:
            con.executemany(
                RAW_INSERT,
                batch,
            )
    con.execute("ROLLBACK")
    con.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=5_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--skip-products", action="store_true")
    parser.add_argument("--skip-events", action="store_true")
    parser.add_argument("--runs", type=int, default=1, help="events imports to take the median of")
    parser.add_argument(
        "--thread-baseline",
        action="store_true",
        help="also import the events with reading and validating in a thread (no helper process)",
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="fw-bench-import-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    upgrade(url)
    # Customer e-mails and names are encrypted columns: give them their keys, as the app does.
    fields.configure(BENCH_SECRET)
    db = Database.from_url(url)
    store_id, customers = asyncio.run(_store(db, args.customers))
    print(f"machine: {machine()}")
    print(f"database: {url.split(':', 1)[0]}")

    if not args.skip_products:
        products_csv = tmp / "products.csv"
        rows = write_products(products_csv, args.products)
        wall, cpu, report = asyncio.run(_timed(db, store_id, "products", products_csv))
        print(
            f"products: {args.products:,} products / {rows:,} variant rows "
            f"({products_csv.stat().st_size / 1e6:.1f} MB) in {wall:.1f} s wall, {cpu:.1f} s CPU "
            f"→ {args.products / wall:,.0f} products/s  (target ≤ 60 s)"
        )
        print(f"  report: created {report.created}, failed {report.failed}")  # type: ignore[attr-defined]
        wall, cpu, report = asyncio.run(_timed(db, store_id, "products", products_csv))
        print(
            f"  re-import of the same file: {wall:.1f} s wall, {cpu:.1f} s CPU; "
            f"unchanged {report.unchanged}, updated {report.updated}"  # type: ignore[attr-defined]
        )

    if not args.skip_events:
        events_csv = tmp / "events.csv"
        write_events(events_csv, args.events, customers)
        size = events_csv.stat().st_size / 1e6
        modes = [("helper process", True)] + ([("thread", False)] if args.thread_baseline else [])
        medians: dict[str, float] = {}
        for label, parallel in modes:
            walls = []
            for run in range(args.runs):
                # Each run loads into an empty events table (a fresh store, and on SQLite a
                # fresh file), so runs are alike.
                run_url = (
                    url
                    if not url.startswith("sqlite")
                    else f"sqlite:///{tmp / f'e{label[0]}{run}.db'}"
                )
                if run_url != url:
                    upgrade(run_url)
                run_db = Database.from_url(run_url) if run_url != url else db
                run_store, run_customers = asyncio.run(_store(run_db, args.customers))
                if run_customers != customers:
                    write_events(events_csv, args.events, run_customers)
                wall, cpu, report = asyncio.run(
                    _timed(run_db, run_store, "events", events_csv, parallel)
                )
                walls.append(wall)
                print(
                    f"events, {label}, run {run + 1}: {args.events:,} ({size:.1f} MB) in "
                    f"{wall:.1f} s wall, {cpu:.1f} s CPU (with the helper) → "
                    f"{args.events / wall:,.0f} events/s; created {report.created}, "  # type: ignore[attr-defined]
                    f"failed {report.failed}"  # type: ignore[attr-defined]
                )
                if run_db is not db:
                    asyncio.run(run_db.dispose())
            medians[label] = statistics.median(walls)
            print(f"events, {label}: median {medians[label]:.1f} s of {args.runs}  (target ≤ 60 s)")
        if url.startswith("sqlite"):
            raw = _raw_events_baseline(tmp / "bench.db", events_csv, store_id)
            print(
                f"  baseline, raw sqlite3 executemany of the same rows: {raw:.1f} s; "
                f"import / raw = {medians['helper process'] / raw:.2f}"
            )
        if "thread" in medians:
            print(
                f"  helper process / thread = {medians['helper process'] / medians['thread']:.2f}"
            )

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS): {peak:,.0f} MB")
    print(f"reproduce: .venv/bin/python {' '.join(sys.argv)}")
    asyncio.run(db.dispose())


if __name__ == "__main__":
    main()
