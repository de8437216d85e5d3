"""Periodic jobs run on their interval, survive failures, and stop when asked."""

from __future__ import annotations

import asyncio

from floorwalker.kit.schedule import PeriodicJob, Scheduler


async def _wait_for(condition: object, seconds: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


class TestScheduler:
    async def test_runs_each_job_repeatedly_and_stops(self) -> None:
        runs: list[str] = []

        async def a() -> None:
            runs.append("a")

        async def b() -> None:
            runs.append("b")

        scheduler = Scheduler(
            [PeriodicJob("a", 0.01, a, first_delay_seconds=0), PeriodicJob("b", 0.01, b)]
        )
        scheduler.start()
        await _wait_for(lambda: runs.count("a") >= 3 and runs.count("b") >= 3)
        await scheduler.stop()
        after_stop = len(runs)
        await asyncio.sleep(0.05)

        assert len(runs) == after_stop
        assert scheduler.running == []

    async def test_a_failing_run_does_not_stop_the_job(self) -> None:
        attempts = 0

        async def flaky() -> None:
            nonlocal attempts
            attempts += 1
            if attempts == 1:
                raise RuntimeError("first run fails")

        scheduler = Scheduler([PeriodicJob("flaky", 0.01, flaky, first_delay_seconds=0)])
        scheduler.start()
        await _wait_for(lambda: attempts >= 3)
        await scheduler.stop()

        assert attempts >= 3

    async def test_an_interval_of_zero_turns_a_job_off(self) -> None:
        async def never() -> None:
            raise AssertionError("must not run")

        scheduler = Scheduler(
            [
                PeriodicJob("off", 0, never),
                PeriodicJob("also-off", -1, never, first_delay_seconds=0),
            ]
        )
        scheduler.start()
        await asyncio.sleep(0.05)

        assert scheduler.jobs == []
        assert scheduler.running == []
        await scheduler.stop()

    async def test_the_first_run_waits_one_interval_unless_told_otherwise(self) -> None:
        runs = 0

        async def job() -> None:
            nonlocal runs
            runs += 1

        scheduler = Scheduler([PeriodicJob("slow", 3600, job)])
        scheduler.start()
        await asyncio.sleep(0.05)

        assert runs == 0
        assert scheduler.running == ["slow"]
        await scheduler.stop()

    async def test_run_until_stops_on_the_event(self) -> None:
        runs = 0

        async def job() -> None:
            nonlocal runs
            runs += 1

        stop = asyncio.Event()
        scheduler = Scheduler([PeriodicJob("j", 0.01, job, first_delay_seconds=0)])
        worker = asyncio.create_task(scheduler.run_until(stop))
        await _wait_for(lambda: runs >= 2)
        stop.set()
        await asyncio.wait_for(worker, timeout=5)

        assert scheduler.running == []
