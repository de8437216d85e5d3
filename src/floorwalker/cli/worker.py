"""`floorwalker worker`: run the background jobs in a process of their own."""

from __future__ import annotations

import asyncio
import signal

import typer
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from floorwalker.cli.common import console, fail, load_settings
from floorwalker.config import JobsMode, Settings
from floorwalker.database import current_revision, head_revision
from floorwalker.jobs import build_jobs, logged, run_each_once
from floorwalker.kit.db import Database
from floorwalker.kit.schedule import PeriodicJob, Scheduler
from floorwalker.logging import configure_logging


def _check_database(settings: Settings) -> None:
    """Refuse to start on a database that cannot be reached or is not migrated."""
    url = settings.resolved_database_url
    try:
        current = current_revision(url)
    except (SQLAlchemyError, OSError) as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise fail(f"cannot open the database: {message}") from exc
    head = head_revision()
    if current != head:
        at = f"at revision {current}" if current else "not migrated"
        raise fail(f"the database is {at}, this version needs {head}; run `floorwalker db upgrade`")


def _every(seconds: float) -> str:
    if seconds <= 0:
        return "off"
    if seconds % 60 == 0:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


async def _run_once(jobs: list[PeriodicJob]) -> None:
    reports = await run_each_once([logged(job) for job in jobs])
    table = Table("job", "result", "seconds")
    for report in reports:
        if report.skipped:
            result = "off"
        elif report.failed:
            result = f"[red]failed[/red] ({report.error})"
        else:
            result = "done"
        table.add_row(report.name, result, "" if report.skipped else f"{report.seconds:.2f}")
    console.print(table)
    failed = [r.name for r in reports if r.failed]
    if failed:
        noun = "job" if len(failed) == 1 else "jobs"
        raise fail(f"{len(failed)} {noun} failed: {', '.join(failed)} (details in the log above)")


async def _run_forever(jobs: list[PeriodicJob]) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    scheduler = Scheduler([logged(job) for job in jobs])
    names = ", ".join(f"{job.name} every {_every(job.interval_seconds)}" for job in scheduler.jobs)
    console.print(f"Worker running {names or 'no jobs (every interval is 0)'}.")
    console.print("Ctrl-C or SIGTERM stops it.")
    await scheduler.run_until(stop)


def worker_command(
    once: bool = typer.Option(
        False, "--once", help="Run every job once, one after the other, and exit (for cron)."
    ),
) -> None:
    """Run the background jobs (training, forecasts, lost demand, retention, platform sync and
    write-back) until Ctrl-C or SIGTERM; set FLOORWALKER_JOBS=off on the API servers."""
    settings = load_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    _check_database(settings)
    if settings.jobs is JobsMode.IN_PROCESS and not once:
        console.print(
            "[yellow]FLOORWALKER_JOBS is in-process here: API servers started with this "
            "setting run the same jobs; set FLOORWALKER_JOBS=off on them.[/yellow]"
        )

    async def main() -> None:
        db = Database.from_url(settings.resolved_database_url)
        try:
            jobs = build_jobs(settings, db)
            if once:
                await _run_once(jobs)
            else:
                await _run_forever(jobs)
        finally:
            await db.dispose()

    asyncio.run(main())
    console.print("Done." if once else "Stopped.")
