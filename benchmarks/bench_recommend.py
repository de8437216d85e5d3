"""Recommender training time and serving latency on the UCI Online Retail data.

Targets (issue 5): training ≤ 60 s on 2 cores; serving p99 ≤ 10 ms.

Training: `engine.train.fit` on every purchase by a known customer (all of the file's year),
including learning the blend weights on a validation period — what `floorwalker train
recommend` runs after reading the database. Wall and CPU time, median of --train-runs.

Serving: building a ranked, explained list in process, as `recommend.lists` does once the
model is in memory — score every item (history fold-in, neighbours, popularity), apply the
exclusions, take the top candidates, diversify, write the reasons — for random customers
(their real history), for product pages and for carts. The baseline, measured in the same
process on the same requests, is the cheapest useful list: the precomputed popularity order
minus what the shopper bought. The live-stock check is one indexed query per list and is not
part of these figures (it depends on the database, not the model).

Each request is timed twice: wall clock, and the CPU time of the serving thread
(`time.thread_time`), which leaves out the time the thread waited for a core — on a shared,
busy machine the wall-clock tail measures the neighbours, the CPU time measures this code.

Run: .venv/bin/python benchmarks/bench_recommend.py [--requests 2000] [--train-runs 3]
     [--data ../shared/data/uci_online_retail/online_retail.parquet]
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from floorwalker.recommend.engine.catalog import ItemCatalog
from floorwalker.recommend.engine.explain import explain
from floorwalker.recommend.engine.files import read_interactions
from floorwalker.recommend.engine.model import Params, RecommenderModel
from floorwalker.recommend.engine.scoring import History, score_anchored, score_personal
from floorwalker.recommend.engine.select import choose
from floorwalker.recommend.engine.train import fit, histories
from floorwalker.recommend.evaluation.baselines import popularity_order

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "uci_online_retail" / "online_retail.parquet"
COLUMNS = {"customer_id": "CustomerID", "item_id": "StockCode", "timestamp": "InvoiceDate",
           "quantity": "Quantity", "order_id": "InvoiceNo", "title": "Description"}  # fmt: skip
LIMIT = 10


def machine() -> str:
    """One line about the machine and its load while measuring."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    return (
        f"{platform.platform()}; {os.cpu_count()} CPUs; Python {platform.python_version()}; "
        f"numpy {np.__version__}; load average {load[0]:.2f}"
        if isinstance(load[0], float)
        else f"{platform.platform()}; {os.cpu_count()} CPUs"
    )


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) of values."""
    return float(np.percentile(np.asarray(values), q))


def build_list(model: RecommenderModel, scored_top: np.ndarray, scored: object) -> list[str]:
    """Diversify the top candidates and explain the chosen ones, as the service does."""
    categories = model.catalog.category
    chosen = choose(
        scored_top.tolist(),
        limit=LIMIT,
        category_of=lambda i: int(categories[i]) if categories[i] >= 0 else None,
        max_share=model.params.max_category_share,
    )
    return [explain(scored, i).text for i in chosen]  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--train-runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    print(f"machine: {machine()}")
    started = time.perf_counter()
    log, summary = read_interactions(args.data, columns=COLUMNS)
    print(
        f"read {summary.kept:,} of {summary.rows:,} rows in {time.perf_counter() - started:.1f} s"
    )
    catalog = ItemCatalog.from_log(log)
    now = int(log.time.max()) + 1

    walls, cpus = [], []
    model = None
    for run in range(args.train_runs):
        wall, cpu = time.perf_counter(), time.process_time()
        model = fit(log, catalog, params=Params(), now=now)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        print(f"  training run {run + 1}: {walls[-1]:.1f} s wall, {cpus[-1]:.1f} s CPU")
    assert model is not None
    print(
        f"training ({catalog.keys.size:,} items, {len(log):,} interactions, "
        f"{int(np.unique(log.user).size):,} customers): median {statistics.median(walls):.1f} s "
        f"wall, {statistics.median(cpus):.1f} s CPU; blend {model.info['blend'].get('source')}"
    )

    rng = random.Random(args.seed)
    by_user = histories(log)
    users = rng.sample(sorted(by_user), min(args.requests, len(by_user)))
    order = popularity_order(log)
    names = ["popularity baseline", "for_you", "similar", "bought_together", "cart"]
    wall: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}

    def timed(name: str, work: Callable[[], object]) -> None:
        w, c = time.perf_counter(), time.thread_time()
        work()
        cpu[name].append(time.thread_time() - c)
        wall[name].append(time.perf_counter() - w)

    for user in users:
        history: History = by_user[user]
        bought = set(history.items.tolist())
        item = int(history.items[-1])
        cart = list(dict.fromkeys(history.items[-3:].tolist()))

        def baseline(bought: set[int] = bought) -> list[int]:
            return [int(i) for i in order[: LIMIT + len(bought)] if int(i) not in bought][:LIMIT]

        def for_you(history: History = history) -> list[str]:
            scored = score_personal(model, history=history, now=now)
            return build_list(model, scored.top(LIMIT * 4), scored)

        def page(anchors: list[int], surface: str) -> list[str]:
            scored = score_anchored(model, anchors, surface=surface)
            return build_list(model, scored.top(LIMIT * 4), scored)

        timed("popularity baseline", baseline)
        timed("for_you", for_you)
        timed("similar", lambda item=item: page([item], "similar"))
        timed("bought_together", lambda item=item: page([item], "bought_together"))
        timed("cart", lambda cart=cart: page(cart, "cart"))

    base = statistics.median(cpu["popularity baseline"])
    print(f"serving {len(users):,} requests per surface, lists of {LIMIT} (milliseconds):")
    print(
        f"  {'surface':20s} {'wall p50':>9s} {'wall p99':>9s} {'CPU p50':>9s} {'CPU p99':>9s}"
        f" {'CPU max':>9s} {'CPU p50 ÷ baseline':>19s}"
    )
    for name in names:
        w = [v * 1000 for v in wall[name]]
        c = [v * 1000 for v in cpu[name]]
        print(
            f"  {name:20s} {percentile(w, 50):9.3f} {percentile(w, 99):9.3f} "
            f"{percentile(c, 50):9.3f} {percentile(c, 99):9.3f} {max(c):9.3f} "
            f"{statistics.median(cpu[name]) / base:19.1f}"
        )
    print(f"machine after: {machine()}")
    print(f"reproduce: {sys.executable} benchmarks/bench_recommend.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
