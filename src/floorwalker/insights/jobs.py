"""The `insights.forecast` and `insights.lost_demand` jobs (scheduled by `floorwalker.jobs`).

`forecast(db, store_id=…)` is idempotent: it forecasts from the full weeks before the current
one (store time), and does nothing when a run from the same sales and parameters exists. New
orders in the running week therefore do not refit the model; the next Monday does.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import time
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import insert

from floorwalker.insights import queries
from floorwalker.insights.forecasting.history import Frequency, build_history, day_number
from floorwalker.insights.forecasting.production import SkuForecast, forecast_store
from floorwalker.insights.lost_demand import derive
from floorwalker.insights.models import DemandForecast, ForecastRun
from floorwalker.insights.repository import InsightsRepository
from floorwalker.insights.schemas import ForecastOutcome, JobStatus, LostDemandOutcome
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.logging import get_logger
from floorwalker.stores import service as stores_service

FORECAST_JOB = "insights.forecast"
LOST_DEMAND_JOB = "insights.lost_demand"
#: Weeks of sales the forecast learns from, weeks it forecasts, interval it gives.
HISTORY_WEEKS = 104
HORIZON_WEEKS = 8
INTERVAL_LEVEL = 0.9
#: Runs kept per store (older runs and their forecasts are deleted).
KEEP_RUNS = 3
#: Bump when the method changes, so stores are refitted although their sales did not change.
METHOD_VERSION = "pooled-2"

log = get_logger(__name__)
_locks: dict[int, asyncio.Lock] = {}


def _local_midnight(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=tz).astimezone(dt.UTC)


def fit_lines(
    lines: list[queries.SaleLine], tz: ZoneInfo, last_day: dt.date
) -> tuple[str, list[SkuForecast], int, dict[str, int]]:
    """Bucket the lines into weeks and forecast each variant (CPU-bound; run in a thread)."""
    keys = sorted({line.variant_id for line in lines})
    index = {k: i for i, k in enumerate(keys)}
    local_days = np.array(
        [day_number(line.placed_at.astimezone(tz).date()) for line in lines], dtype=np.int64
    )
    key_index = np.array([index[line.variant_id] for line in lines], dtype=np.int64)
    history = build_history(
        keys=[str(k) for k in keys],
        key_index=key_index,
        days=local_days,
        quantity=np.array([line.quantity for line in lines], dtype=np.float64),
        order_index=np.array([line.order_id for line in lines], dtype=np.int64),
        customer_index=np.array(
            [-1 if line.customer_id is None else line.customer_id for line in lines],
            dtype=np.int64,
        ),
        frequency=Frequency.WEEK,
        last_day=day_number(last_day),
    )
    by_weekday = np.zeros((len(keys), 7))
    weekday = (local_days - 4) % 7  # day 4 (1970-01-05) was a Monday
    np.add.at(by_weekday, (key_index, weekday), [float(line.quantity) for line in lines])
    method, forecasts = forecast_store(
        history, by_weekday, horizon=HORIZON_WEEKS, level=INTERVAL_LEVEL
    )
    products = {str(line.variant_id): line.product_id for line in lines}
    return method, forecasts, history.n_periods, products


async def forecast(
    db: Database, *, store_id: int, force: bool = False, today: dt.date | None = None
) -> ForecastOutcome:
    """Forecast every variant of a store and store the run (see the module doc)."""
    lock = _locks.setdefault(store_id, asyncio.Lock())
    if lock.locked():
        return ForecastOutcome(store_id=store_id, status=JobStatus.BUSY)
    async with lock:
        started = time.perf_counter()
        async with db.reading() as session:
            store = await stores_service.get_or_raise(session, store_id)
            tz = ZoneInfo(store.timezone)
            today = today or utcnow().astimezone(tz).date()
            starts_on = today - dt.timedelta(days=today.weekday())  # this week's Monday
            since = _local_midnight(starts_on - dt.timedelta(weeks=HISTORY_WEEKS), tz)
            until = _local_midnight(starts_on, tz)
            stamp = await queries.sales_fingerprint(session, store_id, since=since, until=until)
            digest = hashlib.sha256(
                f"{METHOD_VERSION}|{starts_on}|{HORIZON_WEEKS}|{INTERVAL_LEVEL}|{stamp}".encode()
            ).hexdigest()
            latest = await InsightsRepository(session, store_id).latest_run()
            if not force and latest is not None and latest.fingerprint == digest:
                return ForecastOutcome(
                    store_id=store_id,
                    status=JobStatus.UNCHANGED,
                    run_id=latest.id,
                    method=latest.method,
                    series=latest.series,
                    starts_on=latest.starts_on,
                )
            lines = await queries.sales_lines(session, store_id, since=since, until=until)
        method, weeks = "none", 0
        forecasts: list[SkuForecast] = []
        products: dict[str, int] = {}
        if lines:
            try:
                method, forecasts, weeks, products = await asyncio.to_thread(
                    fit_lines, lines, tz, starts_on - dt.timedelta(days=1)
                )
            except ValueError:  # no full week of sales yet
                method, forecasts, weeks = "none", [], 0
        seconds = round(time.perf_counter() - started, 3)
        async with db.transaction() as session:
            run = ForecastRun(
                store_id=store_id,
                status="succeeded",
                method=method,
                starts_on=starts_on,
                horizon_weeks=HORIZON_WEEKS,
                history_weeks=weeks,
                series=len(forecasts),
                fingerprint=digest,
                interval_level=INTERVAL_LEVEL,
                seconds=seconds,
                finished_at=utcnow(),
            )
            session.add(run)
            await session.flush()
            if forecasts:
                await session.execute(
                    insert(DemandForecast),
                    [
                        {
                            "store_id": store_id,
                            "run_id": run.id,
                            "variant_id": int(f.key),
                            "product_id": products[f.key],
                            "method": method,
                            "point": f.point,
                            "mean": f.mean,
                            "lower": f.lower,
                            "upper": f.upper,
                            "weekday_shares": f.weekday_shares,
                            "recent_4w": f.recent_4w,
                            "recent_13w": f.recent_13w,
                        }
                        for f in forecasts
                    ],
                )
            await InsightsRepository(session, store_id).prune_runs(KEEP_RUNS)
        log.info(
            "forecast stored",
            job=FORECAST_JOB,
            store_id=store_id,
            run_id=run.id,
            method=method,
            series=len(forecasts),
            seconds=seconds,
        )
        return ForecastOutcome(
            store_id=store_id,
            status=JobStatus.DONE if forecasts else JobStatus.NO_SALES,
            run_id=run.id,
            method=method,
            series=len(forecasts),
            starts_on=starts_on,
            seconds=seconds,
        )


async def forecast_all(db: Database) -> list[ForecastOutcome]:
    """Run `insights.forecast` for every store, one after the other; failures are logged."""
    return await stores_service.each_store(
        db,
        lambda store_id: forecast(db, store_id=store_id),
        job=FORECAST_JOB,
        failure="forecast failed",
    )


async def lost_demand(db: Database, *, store_id: int) -> LostDemandOutcome:
    """Turn a store's new searches and assistant answers into lost-demand signals."""
    return await derive.derive(db, store_id=store_id)


async def lost_demand_all(db: Database) -> list[LostDemandOutcome]:
    """Run `insights.lost_demand` for every store, one after the other; failures are logged."""
    return await stores_service.each_store(
        db,
        lambda store_id: lost_demand(db, store_id=store_id),
        job=LOST_DEMAND_JOB,
        failure="lost demand failed",
    )
