"""Periodic jobs: each named job runs on its own interval until the scheduler stops.

The embedded default runs the scheduler inside the server; production runs it in one separate
process (`floorwalker worker`). Jobs are idempotent, so a missed or repeated run is harmless.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from floorwalker.logging import get_logger

log = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class PeriodicJob:
    """A named job and how often it runs (an interval of 0 or less turns it off)."""

    name: str
    interval_seconds: float
    run: Callable[[], Awaitable[object]]
    #: Wait before the first run; None waits one interval (starting a server must not
    #: start an hour-long training at once).
    first_delay_seconds: float | None = None


class Scheduler:
    """Runs periodic jobs as asyncio tasks; a failing run is logged and never stops the job."""

    def __init__(self, jobs: Sequence[PeriodicJob]) -> None:
        self.jobs = [job for job in jobs if job.interval_seconds > 0]
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def running(self) -> list[str]:
        """Names of the jobs whose loops are running."""
        return [task.get_name() for task in self._tasks if not task.done()]

    def start(self) -> None:
        """Start every job's loop (idempotent)."""
        if self._tasks:
            return
        self._tasks = [asyncio.create_task(self._loop(job), name=job.name) for job in self.jobs]

    async def stop(self) -> None:
        """Cancel every loop, waiting for runs in progress to be cancelled."""
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def run_until(self, stop: asyncio.Event) -> None:
        """Run the jobs until `stop` is set (the separate worker process)."""
        self.start()
        try:
            await stop.wait()
        finally:
            await self.stop()

    @staticmethod
    async def _loop(job: PeriodicJob) -> None:
        delay = job.interval_seconds if job.first_delay_seconds is None else job.first_delay_seconds
        await asyncio.sleep(delay)
        while True:
            try:
                await job.run()
            except Exception:
                log.exception("scheduled job failed", job=job.name)
            await asyncio.sleep(job.interval_seconds)
