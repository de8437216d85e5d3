"""Forecast fitting time: every SKU of a demo-sized store, and the UCI top 500.

Demo store: generates the demo store (`floorwalker demo`'s generator, scale 1 by default) into
a fresh SQLite database (or --database-url), then times

  * the whole `insights.forecast` job (read the sales, fit, write the forecasts), forced to
    refit, median of --runs;
  * the fit alone on the same sales (the pooled model's four fits: median, two interval
    quantiles, mean), against TSB on the same series as the in-process baseline.

UCI Online Retail (weekly, the 500 SKUs with most units): the pooled model as the product runs
it (median, interval and mean) and as the backtest scores it (median only), against the
moving-average and TSB baselines, in the same process.

The machine is shared; on a busy one the wall clock measures the neighbours too, so the CPU
time of this process (`time.process_time`) is printed beside it.

Run: .venv/bin/python benchmarks/bench_forecast.py [--runs 3] [--scale 1.0]
     [--database-url postgresql://…] [--skip-demo] [--skip-uci]
     [--data ../shared/data/uci_online_retail/online_retail.parquet]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import sklearn
from sqlalchemy import text

from floorwalker.database import upgrade
from floorwalker.demo import generator
from floorwalker.insights import jobs, queries
from floorwalker.insights.forecasting import classical, pooled
from floorwalker.insights.forecasting.backtest import top_series
from floorwalker.insights.forecasting.history import Frequency, build_history, day_number
from floorwalker.insights.forecasting.sales_file import read_sales
from floorwalker.kit import fields
from floorwalker.kit.db import Database

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "uci_online_retail" / "online_retail.parquet"
#: The demo store's customers have encrypted fields; a throwaway database needs some key.
BENCH_SECRET = "bench-forecast-secret-key-not-for-production-0123456789"


def machine() -> str:
    """One line about the machine and its load while measuring."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{cpu}; {os.cpu_count()} CPUs; {platform.platform()}; Python "
        f"{platform.python_version()}; numpy {np.__version__}; scikit-learn {sklearn.__version__}; "
        f"load average {load:.2f}"
    )


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """Median wall and CPU seconds of `runs` calls, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def row(
    label: str, wall: float, cpu: float, baseline: float | None = None, skus: int | None = None
) -> None:
    per_sku = f"  {1000 * cpu / skus:6.2f} ms CPU per SKU" if skus else ""
    ratio = f"  ×{wall / baseline:,.0f} the baseline" if baseline else ""
    print(f"  {label:<52} {wall:8.2f} s wall  {cpu:8.2f} s CPU{per_sku}{ratio}")


def bench_demo(url: str, scale: float, runs: int) -> None:
    anchor = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    fields.configure(os.environ.get("FLOORWALKER_SECRET_KEY", BENCH_SECRET))
    started = time.perf_counter()
    upgrade(url)
    store_id = generator.find(url)
    store_id = store_id.store_id if store_id else generator.generate(url, scale=scale, now=anchor)
    print(f"demo store (scale {scale}) ready in {time.perf_counter() - started:.1f} s")
    db = Database.from_url(url)
    loop = asyncio.new_event_loop()
    try:
        wall, cpu, outcome = timed(
            lambda: loop.run_until_complete(jobs.forecast(db, store_id=store_id, force=True)),
            runs,
        )
        print(
            f"insights.forecast: {outcome.series} variants, {outcome.method}, forecasts from "
            f"{outcome.starts_on}"
        )
        row("whole job (read, fit, write)", wall, cpu, skus=outcome.series)

        async def read() -> tuple[list[queries.SaleLine], str]:
            # the job's window: the 104 full weeks before this week's Monday, store time
            async with db.reading() as session:
                timezone = (
                    await session.execute(
                        text("select timezone from stores where id = :i"), {"i": store_id}
                    )
                ).scalar_one()
                tz = ZoneInfo(timezone)
                monday = outcome.starts_on
                since = dt.datetime.combine(
                    monday - dt.timedelta(weeks=jobs.HISTORY_WEEKS), dt.time(), tzinfo=tz
                )
                until = dt.datetime.combine(monday, dt.time(), tzinfo=tz)
                lines = await queries.sales_lines(session, store_id, since=since, until=until)
            return lines, timezone

        lines, timezone = loop.run_until_complete(read())
    finally:
        loop.run_until_complete(db.dispose())
        loop.close()
    tz = ZoneInfo(timezone)
    last_day = outcome.starts_on - dt.timedelta(days=1)
    wall, cpu, (method, forecasts, weeks, _) = timed(
        lambda: jobs.fit_lines(lines, tz, last_day), runs
    )
    print(f"{len(lines)} sale lines, {len(forecasts)} variants × {weeks} weeks, method {method}")
    # the baseline: bucketing plus TSB on the same series, no model
    keys = sorted({line.variant_id for line in lines})
    index = {k: i for i, k in enumerate(keys)}

    def tsb_only() -> Any:
        history = build_history(
            keys=[str(k) for k in keys],
            key_index=np.array([index[line.variant_id] for line in lines]),
            days=np.array([day_number(line.placed_at.astimezone(tz).date()) for line in lines]),
            quantity=np.array([float(line.quantity) for line in lines]),
            order_index=None,
            customer_index=None,
            frequency=Frequency.WEEK,
            last_day=day_number(last_day),
        )
        return classical.tsb(history.units, jobs.HORIZON_WEEKS)

    base_wall, base_cpu, _ = timed(tsb_only, runs)
    row("baseline: bucket + TSB", base_wall, base_cpu, skus=len(forecasts))
    row("fit: pooled median + 90 % interval + mean", wall, cpu, base_wall, skus=len(forecasts))


def bench_uci(data: Path, runs: int) -> None:
    started = time.perf_counter()
    history = top_series(read_sales(data, frequency=Frequency.WEEK).history, 500)
    print(
        f"UCI: read in {time.perf_counter() - started:.1f} s; {history.n_series} SKUs × "
        f"{history.n_periods} weeks"
    )
    n = history.n_series
    ma_wall, ma_cpu, _ = timed(lambda: classical.moving_average(history.units, 8, window=8), runs)
    row("moving average over 8 weeks", ma_wall, ma_cpu, skus=n)
    base_wall, base_cpu, _ = timed(lambda: classical.tsb(history.units, 8), runs)
    row("baseline: TSB", base_wall, base_cpu, skus=n)
    wall, cpu, _ = timed(lambda: pooled.forecast(history, 8), runs)
    row("pooled, median only (as the backtest scores it)", wall, cpu, base_wall, skus=n)
    wall, cpu, _ = timed(
        lambda: pooled.forecast(history, 8, interval=(0.05, 0.95), mean=True), runs
    )
    row("pooled, median + interval + mean (as the job runs)", wall, cpu, base_wall, skus=n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database-url", default=None, help="Default: a fresh SQLite file.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--skip-uci", action="store_true")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    print(machine())
    print("command: " + " ".join([Path(sys.executable).name, *sys.argv]))
    if not args.skip_demo:
        with tempfile.TemporaryDirectory() as tmp:
            url = args.database_url or f"sqlite:///{tmp}/bench.db"
            bench_demo(url, args.scale, args.runs)
    if not args.skip_uci:
        bench_uci(args.data, args.runs)
    print(machine())


if __name__ == "__main__":
    main()
