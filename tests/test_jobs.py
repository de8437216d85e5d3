"""The background jobs' composition root: which jobs, how often, and who runs them."""

from __future__ import annotations

from floorwalker.app import create_app
from floorwalker.config import JobsMode, Settings
from floorwalker.jobs import RunReport, build_jobs, run_each_once
from floorwalker.kit.db import Database
from floorwalker.kit.schedule import PeriodicJob, Scheduler

ALL_JOBS = [
    "db.statistics",
    "connectors.run",
    "privacy.platform_requests",
    "privacy.purge",
    "insights.lost_demand",
    "insights.forecast",
    "recommend.train",
]


class TestBuildJobs:
    def test_every_job_is_there_with_its_interval_from_the_settings(
        self, db: Database, settings: Settings
    ) -> None:
        tuned = settings.model_copy(
            update={
                "connectors_interval_seconds": 7.5,
                "privacy_interval_minutes": 30,
                "insights_interval_minutes": 20,
                "recommend_train_interval_minutes": 90,
            }
        )

        jobs = build_jobs(tuned, db)

        assert [(j.name, j.interval_seconds, j.first_delay_seconds) for j in jobs] == [
            ("db.statistics", 3600.0, 10.0),
            ("connectors.run", 7.5, None),
            ("privacy.platform_requests", 1800.0, None),
            ("privacy.purge", 1800.0, None),
            ("insights.lost_demand", 1200.0, None),
            ("insights.forecast", 1200.0, None),
            ("recommend.train", 5400.0, None),
        ]

    def test_the_defaults(self, db: Database, settings: Settings) -> None:
        jobs = build_jobs(settings, db)

        assert {j.name: j.interval_seconds for j in jobs} == {
            "db.statistics": 3600.0,
            "connectors.run": 5.0,
            "privacy.platform_requests": 3600.0,
            "privacy.purge": 3600.0,
            "insights.lost_demand": 900.0,
            "insights.forecast": 900.0,
            "recommend.train": 3600.0,
        }

    def test_an_interval_of_zero_keeps_a_job_out_of_the_schedule(
        self, db: Database, settings: Settings
    ) -> None:
        off = settings.model_copy(
            update={"recommend_train_interval_minutes": 0, "connectors_interval_seconds": 0}
        )

        scheduler = Scheduler(build_jobs(off, db))

        assert [j.name for j in scheduler.jobs] == [
            "db.statistics",
            "privacy.platform_requests",
            "privacy.purge",
            "insights.lost_demand",
            "insights.forecast",
        ]


class TestRunEachOnce:
    async def test_a_failure_is_reported_and_the_next_job_still_runs(self) -> None:
        ran: list[str] = []

        async def broken() -> None:
            ran.append("broken")
            raise RuntimeError("the disk is full\nsecond line")

        async def fine() -> None:
            ran.append("fine")

        async def never() -> None:
            ran.append("never")

        reports = await run_each_once(
            [
                PeriodicJob("a.broken", 60, broken),
                PeriodicJob("b.off", 0, never),
                PeriodicJob("c.fine", 60, fine),
            ]
        )

        assert ran == ["broken", "fine"]
        assert [(r.name, r.error, r.skipped, r.failed) for r in reports] == [
            ("a.broken", "RuntimeError: the disk is full", False, True),
            ("b.off", None, True, False),
            ("c.fine", None, False, False),
        ]
        assert reports[1] == RunReport("b.off", 0.0, skipped=True)


class TestAppLifespan:
    async def test_in_process_starts_every_job_and_stops_them_with_the_app(
        self, settings: Settings
    ) -> None:
        app = create_app(settings.model_copy(update={"jobs": JobsMode.IN_PROCESS}))

        async with app.router.lifespan_context(app):
            scheduler = app.state.jobs
            assert isinstance(scheduler, Scheduler)
            running = sorted(scheduler.running)

        assert running == sorted(ALL_JOBS)
        assert scheduler.running == []

    async def test_off_starts_none(self, settings: Settings) -> None:
        assert settings.jobs is JobsMode.OFF
        app = create_app(settings)

        async with app.router.lifespan_context(app):
            scheduler = app.state.jobs

        assert scheduler is None
