"""`ahead`: a producer's items, in order, from a worker thread or a helper process."""

from __future__ import annotations

import os
from contextlib import aclosing
from pathlib import Path

import pytest

from floorwalker.connectors.files.readers import UnreadableFile
from floorwalker.kit.ahead import WorkerStopped, ahead
from tests.kit import ahead_helpers as helpers

MODES = [pytest.param(False, id="thread"), pytest.param(True, id="process")]


async def collect(produce, argument, *, process: bool) -> tuple[list[int], BaseException | None]:  # type: ignore[no-untyped-def]
    got: list[int] = []
    try:
        async with aclosing(ahead(produce, argument, process=process)) as items:
            async for item in items:
                got.append(item)
    except Exception as exc:
        return got, exc
    return got, None


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.parametrize("process", MODES)
class TestAhead:
    async def test_every_item_arrives_in_order(self, process: bool) -> None:
        assert await collect(helpers.numbers, 1200, process=process) == (list(range(1200)), None)

    async def test_an_empty_producer_ends_at_once(self, process: bool) -> None:
        assert await collect(helpers.numbers, 0, process=process) == ([], None)

    async def test_the_producers_error_is_raised_after_the_items_before_it(
        self, process: bool
    ) -> None:
        got, error = await collect(helpers.failing, 3, process=process)

        assert got == [0, 1, 2]
        assert isinstance(error, UnreadableFile)
        assert (error.code, error.detail) == ("unreadable_file", "broken after 3")

    async def test_a_consumer_that_stops_early_stops_the_producer(
        self, process: bool, tmp_path: Path
    ) -> None:
        pid_file = tmp_path / "pid"
        got: list[int] = []
        async with aclosing(ahead(helpers.endless, pid_file, process=process)) as items:
            async for item in items:
                got.append(item)
                if item == 4:
                    break

        assert got == [0, 1, 2, 3, 4]
        pid = int(pid_file.read_text())
        if process:
            assert pid != os.getpid()
            assert gone(pid)
        else:
            assert pid == os.getpid()


class TestHelperProcess:
    async def test_an_error_that_cannot_travel_arrives_as_its_text(self) -> None:
        got, error = await collect(helpers.failing_oddly, 2, process=True)

        assert got == [0, 1]
        assert isinstance(error, RuntimeError)
        assert str(error) == "_Unpicklable: odd failure"

    async def test_a_helper_that_dies_is_reported_not_waited_for(self) -> None:
        got, error = await collect(helpers.dying, 2, process=True)

        assert got == [0, 1]
        assert isinstance(error, WorkerStopped)
        assert error.code == "worker_stopped"
        assert "exit code 3" in error.detail
