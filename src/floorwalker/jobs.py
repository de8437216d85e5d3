"""The background jobs' composition root: every periodic job, built from the settings.

The server runs these jobs itself when `FLOORWALKER_JOBS=in-process` (the embedded default);
production sets `FLOORWALKER_JOBS=off` on the API workers and runs them in one separate process,
`floorwalker worker`. Each job is idempotent and works on every store, one after the other; a
store whose run fails is logged and skipped, and a failing run never stops the schedule
(`kit.schedule.Scheduler`).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from floorwalker.config import Settings
from floorwalker.connectors import jobs as connectors_jobs
from floorwalker.connectors import service as connectors_service
from floorwalker.insights import jobs as insights_jobs
from floorwalker.kit.db import Database
from floorwalker.kit.schedule import PeriodicJob
from floorwalker.logging import get_logger
from floorwalker.privacy import jobs as privacy_jobs
from floorwalker.recommend import jobs as recommend_jobs

log = get_logger(__name__)

CONNECTORS_JOB = "connectors.run"
STATISTICS_JOB = "db.statistics"
#: The planner statistics are refreshed soon after start, then hourly (SQLite; PostgreSQL's
#: autovacuum keeps its own).
STATISTICS_FIRST_DELAY_SECONDS = 10.0
STATISTICS_INTERVAL_SECONDS = 3600.0


def _minutes(value: int) -> float:
    return float(value) * 60.0


def build_jobs(settings: Settings, db: Database) -> list[PeriodicJob]:
    """Every periodic job with its interval from the settings (an interval of 0 is off)."""
    encryptor = connectors_service.connector_encryptor(settings.secret_key.get_secret_value())

    async def train() -> None:
        await recommend_jobs.train_all(db, settings)

    async def lost_demand() -> None:
        await insights_jobs.lost_demand_all(db)

    async def forecast() -> None:
        await insights_jobs.forecast_all(db)

    async def platform_requests() -> None:
        await privacy_jobs.answer_all_platform_requests(db)

    async def purge() -> None:
        await privacy_jobs.purge_all(db)

    async def connectors() -> None:
        await connectors_jobs.run_once(db, encryptor)

    insights_every = _minutes(settings.insights_interval_minutes)
    privacy_every = _minutes(settings.privacy_interval_minutes)
    return [
        PeriodicJob(
            STATISTICS_JOB,
            STATISTICS_INTERVAL_SECONDS,
            db.refresh_statistics,
            first_delay_seconds=STATISTICS_FIRST_DELAY_SECONDS,
        ),
        PeriodicJob(CONNECTORS_JOB, settings.connectors_interval_seconds, connectors),
        PeriodicJob(privacy_jobs.REQUESTS_JOB, privacy_every, platform_requests),
        PeriodicJob(privacy_jobs.PURGE_JOB, privacy_every, purge),
        PeriodicJob(insights_jobs.LOST_DEMAND_JOB, insights_every, lost_demand),
        PeriodicJob(insights_jobs.FORECAST_JOB, insights_every, forecast),
        PeriodicJob(
            recommend_jobs.JOB_NAME, _minutes(settings.recommend_train_interval_minutes), train
        ),
    ]


def logged(job: PeriodicJob) -> PeriodicJob:
    """The same job, logging when each run starts and how it finished (the worker's log)."""
    run: Callable[[], Awaitable[object]] = job.run

    async def run_logged() -> None:
        started = time.perf_counter()
        log.info("job started", job=job.name)
        await run()  # a failure is logged by whoever runs the job, with its traceback
        log.info("job finished", job=job.name, seconds=round(time.perf_counter() - started, 3))

    return PeriodicJob(job.name, job.interval_seconds, run_logged, job.first_delay_seconds)


@dataclass(frozen=True, slots=True)
class RunReport:
    """How one run of a job went (`floorwalker worker --once`)."""

    name: str
    seconds: float
    error: str | None = None
    skipped: bool = False

    @property
    def failed(self) -> bool:
        """Whether the run raised."""
        return self.error is not None


async def run_each_once(jobs: list[PeriodicJob]) -> list[RunReport]:
    """Run every job once, in order; a job turned off (interval 0) is skipped, a failure is
    reported and the next job still runs."""
    reports = []
    for job in jobs:
        if job.interval_seconds <= 0:
            reports.append(RunReport(job.name, 0.0, skipped=True))
            continue
        started = time.perf_counter()
        try:
            await job.run()
        except Exception as exc:  # reported by the caller; the other jobs still run
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            error = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
            reports.append(RunReport(job.name, round(time.perf_counter() - started, 3), error))
            continue
        reports.append(RunReport(job.name, round(time.perf_counter() - started, 3)))
    return reports
