"""Search: index build time and query latency on 100,000 generated products, in process.

Targets (issue 5): index build ≤ 30 s; query latency p50 ≤ 10 ms and p99 ≤ 40 ms over a
realistic query mix. The catalog is generated from a seed (apparel, footwear, bags, home;
brands, colours, sizes, materials, multi-sentence descriptions, 1-6 variants, some out of
stock). The query mix: plain keywords, natural-language queries with prices, sizes and
colours, typos, explicit facet filters, "cheapest …" sorts, deep pages and queries that match
nothing (so relaxation runs). Every query asks for facets, as the storefront does.

Baseline, same process and same documents: SQLite FTS5 (stdlib; porter tokenizer, BM25 with
the same field weights), top 20 by rank for the free-text part of each query, no facets, no
filters, no typo tolerance — the obvious thing one would build instead.

Run: .venv/bin/python benchmarks/bench_search.py [--products 100000] [--queries 2000] [--seed 7]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import os
import platform
import random
import re
import resource
import sqlite3
import statistics
import time
from typing import Any

import numpy as np

from floorwalker.search.documents import CategoryEntry, ProductDoc, VariantDoc
from floorwalker.search.engine.executor import execute
from floorwalker.search.engine.query import SynonymTable
from floorwalker.search.engine.store_index import StoreIndex, StoreMeta
from floorwalker.search.parser import parse_query
from floorwalker.search.planner import compile_plan, make_plan, relaxations
from floorwalker.search.schemas import SearchRequest

TREE = {
    "Women": ["Dresses", "Tops", "Jeans", "Skirts", "Jackets", "Knitwear"],
    "Men": ["Shirts", "T-Shirts", "Trousers", "Jackets", "Knitwear", "Shorts"],
    "Footwear": ["Hiking Boots", "Sneakers", "Sandals", "Running Shoes", "Boots"],
    "Bags": ["Backpacks", "Duffel Bags", "Tote Bags", "Wallets"],
    "Outdoor": ["Tents", "Sleeping Bags", "Camping Stoves", "Headlamps", "Water Bottles"],
    "Home": ["Towels", "Bedding", "Cushions", "Mugs", "Candles", "Throws"],
    "Accessories": ["Socks", "Hats", "Scarves", "Gloves", "Belts", "Sunglasses"],
}
NOUN = {
    "Dresses": "dress", "Tops": "top", "Jeans": "jeans", "Skirts": "skirt",
    "Jackets": "jacket", "Knitwear": "sweater", "Shirts": "shirt", "T-Shirts": "t-shirt",
    "Trousers": "trousers", "Shorts": "shorts", "Hiking Boots": "hiking boots",
    "Sneakers": "sneakers", "Sandals": "sandals", "Running Shoes": "running shoes",
    "Boots": "boots", "Backpacks": "backpack", "Duffel Bags": "duffel bag",
    "Tote Bags": "tote bag", "Wallets": "wallet", "Tents": "tent",
    "Sleeping Bags": "sleeping bag", "Camping Stoves": "camping stove", "Headlamps": "headlamp",
    "Water Bottles": "water bottle", "Towels": "towel", "Bedding": "duvet cover",
    "Cushions": "cushion", "Mugs": "mug", "Candles": "candle", "Throws": "throw",
    "Socks": "socks", "Hats": "hat", "Scarves": "scarf", "Gloves": "gloves", "Belts": "belt",
    "Sunglasses": "sunglasses",
}  # fmt: skip
COLOURS = ["Black", "White", "Navy", "Red", "Green", "Olive", "Grey", "Blue", "Brown", "Pink",
           "Yellow", "Beige", "Burgundy", "Teal", "Orange", "Purple"]  # fmt: skip
MATERIALS = ["Cotton", "Linen", "Wool", "Merino", "Leather", "Nylon", "Polyester", "Denim",
             "Canvas", "Cashmere", "Silk", "Bamboo", "Recycled Polyester", "Suede"]  # fmt: skip
ADJECTIVES = ["Classic", "Relaxed", "Slim", "Lightweight", "Waterproof", "Insulated", "Organic",
              "Vintage", "Everyday", "Trail", "Alpine", "Coastal", "Urban", "Heritage",
              "Packable", "Stretch", "Oversized", "Cropped", "Quilted", "Ribbed"]  # fmt: skip
APPAREL_SIZES = ["XS", "S", "M", "L", "XL", "XXL"]
SHOE_SIZES = ["6", "7", "8", "9", "10", "11", "12"]
FEATURES = ["breathable", "durable", "soft", "warm", "quick-drying", "windproof", "recycled",
            "machine washable", "reinforced seams", "adjustable straps", "padded", "zip pockets",
            "moisture-wicking", "lined", "hand finished", "stain resistant", "UV protection",
            "lifetime warranty", "easy care", "non-slip sole"]  # fmt: skip
FILLER = str.split(
    "a great choice for everyday wear made to last with care and attention to detail "
    "designed in our studio and tested on the trail comfortable from morning to night "
    "pairs well with everything in your wardrobe our customers love it"
)


def machine() -> str:
    """One line about the machine the figures come from."""
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            found = re.search(r"model name\s*:\s*(.+)", f.read())
            cpu = found.group(1) if found else cpu
    except OSError:
        pass
    return (
        f"{cpu}; {os.cpu_count()} CPUs; Python {platform.python_version()}; "
        f"numpy {np.__version__}; SQLite {sqlite3.sqlite_version}; load average "
        f"{os.getloadavg()[0]:.2f}"
    )


def generate(count: int, seed: int) -> tuple[list[ProductDoc], dict[int, CategoryEntry]]:
    """A deterministic catalog of `count` products."""
    rng = random.Random(seed)
    categories: dict[int, CategoryEntry] = {}
    leaves: list[int] = []
    next_id = 1
    for root, children in TREE.items():
        root_id = next_id
        categories[root_id] = CategoryEntry(root_id, root, root.lower(), root, None)
        next_id += 1
        for child in children:
            slug = f"{root}-{child}".lower().replace(" ", "-")
            categories[next_id] = CategoryEntry(next_id, child, slug, f"{root} > {child}", root_id)
            leaves.append(next_id)
            next_id += 1
    brands = [f"{rng.choice(['North', 'Stone', 'River', 'Oak', 'Fern', 'Peak', 'Harbor'])}"
              f"{rng.choice(['wind', 'field', 'line', 'craft', 'works', 'wood', 'side'])}"
              for _ in range(80)]  # fmt: skip
    brands = sorted(set(brands))
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    docs = []
    variant_id = 1
    for pid in range(1, count + 1):
        leaf = rng.choice(leaves)
        cat = categories[leaf]
        noun = NOUN[cat.name]
        adjective = rng.choice(ADJECTIVES)
        material = rng.choice(MATERIALS)
        brand = rng.choice(brands)
        title = f"{adjective} {material} {noun.title()}"
        if rng.random() < 0.3:
            title = f"{brand} {title}"
        sentences = []
        for _ in range(rng.randint(3, 6)):
            words = rng.sample(FILLER, rng.randint(6, 10)) + rng.sample(FEATURES, 2)
            sentences.append(" ".join(words).capitalize() + ".")
        description = f"A {adjective.lower()} {noun} in {material.lower()}. " + " ".join(sentences)
        sizes = SHOE_SIZES if cat.parent_id == 3 else APPAREL_SIZES
        sized = cat.parent_id in (1, 2, 3) or cat.name in ("Socks", "Gloves", "Hats")
        colours = rng.sample(COLOURS, rng.randint(1, 3))
        price = rng.choice([9, 15, 19, 25, 29, 35, 45, 49, 59, 75, 89, 99, 120, 149, 199, 249])
        variants = []
        for colour in colours:
            for size in rng.sample(sizes, rng.randint(1, 3)) if sized else [None]:
                options = {"colour": colour, **({"size": size} if size else {})}
                stock = 0 if rng.random() < 0.15 else rng.randint(1, 40)
                variants.append(
                    VariantDoc(
                        id=variant_id,
                        sku=f"SKU-{variant_id}",
                        title="",
                        options=options,
                        price=price * 100 - 1,
                        compare_at_price=None,
                        available=stock,
                    )
                )
                variant_id += 1
        docs.append(
            ProductDoc(
                id=pid,
                handle=f"p-{pid}",
                title=title,
                description=description,
                currency="USD",
                created_at=now - dt.timedelta(minutes=pid),
                variants=tuple(variants[:6]),
                brand=brand,
                category_id=leaf,
                category_path=cat.path,
                category_ids=(cat.parent_id or leaf, leaf),
                product_type=noun.title(),
                attributes={"material": material},
            )
        )
    return docs, categories


def typo(word: str, rng: random.Random) -> str:
    """One edit in a word (swap, drop or double a letter)."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def query_mix(count: int, seed: int, brands: list[str]) -> list[dict[str, Any]]:
    """Requests like shoppers send: keywords, sentences with filters, typos, facets, sorts."""
    rng = random.Random(seed)
    nouns = list(NOUN.values())
    out: list[dict[str, Any]] = []
    for _ in range(count):
        noun = rng.choice(nouns)
        colour = rng.choice(COLOURS).lower()
        material = rng.choice(MATERIALS).lower()
        adjective = rng.choice(ADJECTIVES).lower()
        roll = rng.random()
        if roll < 0.30:
            q = rng.choice([noun, f"{adjective} {noun}", f"{material} {noun}", f"{colour} {noun}"])
            out.append({"q": q})
        elif roll < 0.50:
            size = rng.choice(["s", "m", "l", "10", "9"])
            price = rng.choice([30, 50, 80, 120, 200])
            q = rng.choice(
                [
                    f"{colour} {material} {noun} under {price} in size {size}",
                    f"{adjective} {noun} under ${price}",
                    f"looking for a {colour} {noun} size {size}",
                    f"{material} {noun} between 20 and {price} dollars in stock",
                ]
            )
            out.append({"q": q})
        elif roll < 0.65:
            words = f"{adjective} {material} {noun}".split()
            out.append({"q": " ".join(typo(w, rng) for w in words)})
        elif roll < 0.75:
            out.append(
                {
                    "q": noun,
                    "brands": [rng.choice(brands)],
                    "options": {"colour": [colour.title()]},
                    "in_stock": True,
                }
            )
        elif roll < 0.85:
            out.append({"q": f"cheapest {colour} {noun}"})
        elif roll < 0.90:
            out.append({"q": rng.choice([noun, material]), "page": rng.randint(2, 10)})
        elif roll < 0.95:
            out.append({"q": ""})
        else:
            out.append({"q": f"{colour} {noun} zzqx unicorn"})
    return out


def run_query(index: StoreIndex, params: dict[str, Any]) -> int:
    """One search as the service runs it (parse, plan, execute, relax when empty)."""
    request = SearchRequest(**params)
    parsed = parse_query(index, request.q) if request.q.strip() else None
    plan = make_plan(request, parsed, index)
    offset = (request.page - 1) * request.limit
    result = execute(
        index, compile_plan(plan, index, limit=request.limit, offset=offset, facets=True)
    )
    if result.total == 0:
        for looser, _ in relaxations(plan):
            attempt = compile_plan(looser, index, limit=0, offset=offset, facets=False)
            if execute(index, attempt).total:
                final = compile_plan(looser, index, limit=request.limit, offset=offset, facets=True)
                result = execute(index, final)
                break
    return result.total


def fts5_baseline(docs: list[ProductDoc]) -> tuple[sqlite3.Connection, float]:
    """An FTS5 table of the same documents; returns it and the build time."""
    started = time.perf_counter()
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, brand, category, attributes, description, "
        "tokenize='porter unicode61')"
    )
    conn.executemany(
        "INSERT INTO docs(rowid, title, brand, category, attributes, description) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            (
                d.id,
                d.title,
                d.brand or "",
                d.category_path or "",
                " ".join(v for var in d.variants for v in var.options.values()),
                d.description,
            )
            for d in docs
        ),
    )
    conn.commit()
    return conn, time.perf_counter() - started


def fts5_query(conn: sqlite3.Connection, text: str) -> int:
    words = re.findall(r"[a-z0-9]+", text.lower())
    if not words:
        return len(conn.execute("SELECT rowid FROM docs LIMIT 20").fetchall())
    match = " ".join(f'"{w}"' for w in words)
    rows = conn.execute(
        "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 3.0, 2.0, 2.0, 1.5, 1.0) "
        "LIMIT 20",
        (match,),
    ).fetchall()
    return len(rows)


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return statistics.median(ordered), p(0.95), p(0.99)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    print(f"machine: {machine()}")
    print(
        f"command: .venv/bin/python benchmarks/bench_search.py --products {args.products} "
        f"--queries {args.queries} --seed {args.seed}"
    )
    started = time.perf_counter()
    docs, categories = generate(args.products, args.seed)
    variants = sum(len(d.variants) for d in docs)
    print(f"catalog: {len(docs):,} products, {variants:,} variants "
          f"(generated in {time.perf_counter() - started:.1f} s)")  # fmt: skip

    meta = StoreMeta(
        store_id=1,
        currency="USD",
        categories=categories,
        synonyms=SynonymTable([(["sneakers", "trainers"], False), (["tee", "t-shirt"], True)]),
    )
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    index = StoreIndex.build(meta, docs)
    build_s = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"index build: {build_s:.2f} s (target ≤ 30 s); peak RSS grew by "
          f"{(rss_after - rss_before) / 1024:.0f} MB to {rss_after / 1024:.0f} MB")  # fmt: skip

    brands = sorted({d.brand for d in docs if d.brand})
    queries = query_mix(args.queries, args.seed + 1, brands)
    for params in queries[:50]:  # warm caches (stems, gazetteer) like a serving worker
        run_query(index, params)
    ours: list[float] = []
    zero = 0
    for params in queries:
        t0 = time.perf_counter()
        total = run_query(index, params)
        ours.append((time.perf_counter() - t0) * 1000)
        zero += total == 0
    p50, p95, p99 = percentiles(ours)
    print(f"floorwalker: {len(queries)} queries, p50 {p50:.2f} ms, p95 {p95:.2f} ms, "
          f"p99 {p99:.2f} ms (targets p50 ≤ 10, p99 ≤ 40); {zero} with no result")  # fmt: skip

    conn, fts_build = fts5_baseline(docs)
    base: list[float] = []
    for params in queries:
        t0 = time.perf_counter()
        fts5_query(conn, params["q"])
        base.append((time.perf_counter() - t0) * 1000)
    b50, b95, b99 = percentiles(base)
    print(f"baseline FTS5: build {fts_build:.2f} s; p50 {b50:.2f} ms, p95 {b95:.2f} ms, "
          f"p99 {b99:.2f} ms (keywords only: no facets, filters, typos or relaxation)")  # fmt: skip
    print(f"ratios (floorwalker / FTS5): build {build_s / fts_build:.1f}x, "
          f"p50 {p50 / b50:.1f}x, p99 {p99 / b99:.1f}x")  # fmt: skip

    started = time.perf_counter()
    # 500 changed and one removed (fewer on a small run: the removed one is not among them).
    changed = [
        dataclasses.replace(d, title=d.title + " Sale") for d in docs[: len(docs) // 2][:500]
    ]
    updated = index.apply(changed, [docs[min(600, len(docs) - 1)].id])
    elapsed = (time.perf_counter() - started) * 1000
    print(f"incremental update of 500 changed + 1 removed product: {elapsed:.0f} ms; "
          f"delta {updated.delta_size} documents")  # fmt: skip


if __name__ == "__main__":
    main()
