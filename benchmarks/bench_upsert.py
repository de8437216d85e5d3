"""Catalog loading: how many products per second `catalog.service.upsert_products` stores.

Target (issue 2, item 6 / issue 3): 100,000 products with 3-5 variants each in ≤ 60 s on
SQLite on a 2-core machine, through the same batch function the file importer and the
platform connectors call.

For each backend: a fresh, migrated database; products (realistic titles, a brand, a
two-level category path, attributes, tags, an image and 3-5 variants with SKUs, barcodes
and prices) are upserted in batches of 1,000, each batch in its own transaction, the way an
importer commits. Then a sample of the same batches is loaded again (everything reported
unchanged: the idempotent re-import path) and a sample with one price changed per product
(the incremental-sync path). Stock levels for the first products are set through
`inventory.service.set_levels` as well. Figures are the throughput of each phase; the first
phase is the one the target is about. Baseline in the same process: a raw `executemany`
insert of the same product and variant rows through the same engine, without matching,
validation or audit (what the storage alone costs).

Run: .venv/bin/python benchmarks/bench_upsert.py [--products 100000] [--batch 1000]
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
from pathlib import Path
from typing import Any

import psycopg

from floorwalker.catalog import service as catalog_service
from floorwalker.catalog.models import Product, Variant
from floorwalker.database import upgrade
from floorwalker.inventory import service as inventory_service
from floorwalker.kit import fields
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store

ADJECTIVES = [
    "classic",
    "relaxed",
    "slim",
    "organic",
    "merino",
    "linen",
    "cotton",
    "waxed",
    "quilted",
    "tailored",
]
COLOURS = ["black", "white", "navy", "olive", "rust", "sand", "grey", "teal", "burgundy", "cream"]
NOUNS = [
    "shirt",
    "jacket",
    "dress",
    "trousers",
    "jumper",
    "coat",
    "skirt",
    "hoodie",
    "blazer",
    "parka",
]
BRANDS = [
    f"Brand {n}"
    for n in ["Alder", "Birch", "Cedar", "Dune", "Elm", "Fjord", "Glen", "Heath", "Isle", "Juniper"]
]
DEPARTMENTS = ["Women", "Men", "Kids", "Home"]
SIZES = ["XS", "S", "M", "L", "XL"]


def machine() -> str:
    """One line about the machine the figures come from."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return (
        f"{platform.platform()}; {os.cpu_count()} CPUs; Python {platform.python_version()}; "
        f"SQLite {sqlite3.sqlite_version}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


def make_products(start: int, count: int) -> list[dict[str, Any]]:
    """Product records `start`… as an importer would build them (dicts, validated by the
    service); the same numbers always give the same records."""
    rng = random.Random(start)
    records = []
    for n in range(start, start + count):
        noun = rng.choice(NOUNS)
        colour = rng.choice(COLOURS)
        title = f"{rng.choice(ADJECTIVES).title()} {colour.title()} {noun.title()} {n}"
        sizes = SIZES[: rng.randint(3, 5)]
        records.append(
            {
                "source": "bench",
                "external_id": f"P{n}",
                "handle": f"{noun}-{colour}-{n}",
                "title": title,
                "description": f"A {colour} {noun} cut for everyday wear. " * 4,
                "product_type": noun,
                "brand": rng.choice(BRANDS),
                "category_path": f"{rng.choice(DEPARTMENTS)} > {noun.title()}s",
                "attributes": {
                    "material": rng.choice(["cotton", "wool", "linen"]),
                    "fit": "regular",
                },
                "tags": [colour, noun],
                "images": [{"url": f"https://img.example/{n}.jpg", "alt": title}],
                "variants": [
                    {
                        "external_id": f"V{n}-{size}",
                        "sku": f"SKU-{n}-{size}",
                        "barcode": f"{400000000000 + n * 10 + i}",
                        "options": {"Size": size, "Colour": colour.title()},
                        "price": rng.randrange(1500, 25000, 100),
                        "compare_at_price": None,
                    }
                    for i, size in enumerate(sizes)
                ],
            }
        )
    return records


async def _store(db: Database) -> int:
    async with db.transaction() as session:
        store = Store(slug=f"bench-{time.time_ns()}", name="Bench", currency="USD", policy={})
        session.add(store)
        await session.flush()
        return store.id


async def _load(
    db: Database, actor: Actor, count: int, batch: int, *, price_bump: int = 0
) -> float:
    """Upsert `count` products batch by batch, streaming like an importer (records are made
    before each batch's clock starts); returns the seconds spent in upserts and commits."""
    spent = 0.0
    for start in range(0, count, batch):
        records = make_products(start, min(batch, count - start))
        for record in records:
            record["variants"][0]["price"] += price_bump
        started = time.perf_counter()
        async with db.transaction() as session:
            summary = await catalog_service.upsert_products(session, actor, records)
        spent += time.perf_counter() - started
        if summary.failed:
            raise SystemExit(f"failed records: {summary.results[:3]}")
    return spent


async def _baseline(db: Database, store_id: int, count: int, batch: int) -> float:
    """Raw inserts of the same rows (no matching, validation, brands, categories or audit)."""
    products, variants = Product.__table__, Variant.__table__
    spent = 0.0
    for start in range(0, count, batch):
        chunk = make_products(start, min(batch, count - start))
        started = time.perf_counter()
        async with db.transaction() as session:
            now = utcnow()
            rows = [
                {
                    "store_id": store_id, "source": "raw", "external_id": r["external_id"],
                    "handle": r["handle"], "title": r["title"], "description": r["description"],
                    "status": "active", "option_names": ["Size", "Colour"], "attributes": {},
                    "tags": r["tags"], "created_at": now, "updated_at": now,
                }
                for r in chunk
            ]  # fmt: skip
            result = await session.execute(
                products.insert().returning(products.c.id, products.c.handle), rows
            )
            ids = {handle: pid for pid, handle in result.all()}
            await session.execute(
                variants.insert(),
                [
                    {
                        "store_id": store_id, "product_id": ids[r["handle"]], "source": "raw",
                        "sku": v["sku"], "title": "x", "options": v["options"],
                        "price": v["price"], "currency": "USD", "position": i,
                        "status": "active", "created_at": now, "updated_at": now,
                    }
                    for r in chunk
                    for i, v in enumerate(r["variants"])
                ],
            )  # fmt: skip
        spent += time.perf_counter() - started
    return spent


async def run(url: str, count: int, batch: int) -> dict[str, float]:
    """Every phase on one database; returns products (or levels) per second per phase."""
    upgrade(url)
    db = Database.from_url(url)
    try:
        store_id = await _store(db)
        actor = Actor.system(store_id, "bench")
        figures: dict[str, float] = {}
        cpu = time.process_time()
        seconds = await _load(db, actor, count, batch)
        cpu = time.process_time() - cpu
        figures["create"] = count / seconds
        print(
            f"  create              {count:,} products (3-5 variants each) in {seconds:.1f} s "
            f"= {count / seconds:,.0f} products/s (process CPU {cpu:.1f} s)"
        )
        sample = min(count, 20 * batch)
        seconds = await _load(db, actor, sample, batch)
        figures["unchanged"] = sample / seconds
        print(f"  re-load unchanged   {sample:,} products: {sample / seconds:,.0f} products/s")
        seconds = await _load(db, actor, sample, batch, price_bump=100)
        figures["price change"] = sample / seconds
        print(f"  one price changed   {sample:,} products: {sample / seconds:,.0f} products/s")

        levels = [
            {"source": "bench", "variant_external_id": v["external_id"], "on_hand": n % 7}
            for n, r in enumerate(make_products(0, sample))
            for v in r["variants"]
        ]
        started = time.perf_counter()
        for start in range(0, len(levels), batch):
            async with db.transaction() as session:
                await inventory_service.set_levels(session, actor, levels[start : start + batch])
        seconds = time.perf_counter() - started
        figures["levels"] = len(levels) / seconds
        print(
            f"  set stock levels    {len(levels):,} levels: {len(levels) / seconds:,.0f} levels/s"
        )

        base_store = await _store(db)
        seconds = await _baseline(db, base_store, sample, batch)
        figures["baseline"] = sample / seconds
        print(
            f"  baseline raw insert {sample:,} products: {figures['baseline']:,.0f} products/s "
            f"(upsert create runs at {figures['create'] / figures['baseline']:.2f}× raw)"
        )
        return figures
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    # Customers' contact fields are encrypted at rest, as in the product (any key will do).
    fields.configure("bench-secret-key-that-is-long-enough-0123")
    print(f"machine: {machine()}")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    results: dict[str, dict[str, float]] = {}
    if args.backend in {"sqlite", "both"}:
        with tempfile.TemporaryDirectory() as tmp:
            print("SQLite:")
            results["sqlite"] = asyncio.run(
                run(f"sqlite:///{Path(tmp) / 'bench.db'}", args.products, args.batch)
            )
    if args.backend in {"postgresql", "both"}:
        name = f"fw_bench_upsert_{os.getpid()}"
        base = args.pg_url.rpartition("/")[0]
        with psycopg.connect(args.pg_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            print("PostgreSQL:")
            results["postgresql"] = asyncio.run(run(f"{base}/{name}", args.products, args.batch))
        finally:
            with psycopg.connect(args.pg_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    for backend, figures in results.items():
        seconds = args.products / figures["create"]
        verdict = "meets" if seconds <= 60 else "misses"
        print(
            f"{backend}: {figures['create']:,.0f} products/s → {args.products:,} products in "
            f"{seconds:.1f} s ({verdict} the 60 s target); median of phases "
            f"{statistics.median(figures.values()):,.0f}/s"
        )


if __name__ == "__main__":
    main()
