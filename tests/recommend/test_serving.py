"""Versioned models on disk and the in-memory swap: the old one serves until the new one loads."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from floorwalker.recommend.engine.model import RecommenderModel
from floorwalker.recommend.engine.scoring import History, score_personal
from floorwalker.recommend.errors import ModelNotAvailable
from floorwalker.recommend.serving import ModelFiles, ModelRegistry
from tests.recommend.engine_shop import NOW, model

STORE = 7


class SlowFiles(ModelFiles):
    """Model files whose loading of one version waits until the test lets it finish."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.hold: str | None = None
        self.release = threading.Event()
        self.started = threading.Event()

    def load(self, store_id: int, version: str) -> RecommenderModel:
        if version == self.hold:
            self.started.set()
            self.release.wait(timeout=30)
        return super().load(store_id, version)


async def wait_for(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


class TestModelFiles:
    def test_a_saved_version_loads_back_and_ranks_the_same(self, tmp_path: Path) -> None:
        # given
        files = ModelFiles(tmp_path)
        original = model({"popularity": 1.0, "bought_with": 1.0})

        # when
        version = files.save(STORE, original)
        loaded = files.load(STORE, version)

        # then
        assert files.current_version(STORE) == version
        before = score_personal(original, history=History.empty(), now=NOW).scores
        after = score_personal(loaded, history=History.empty(), now=NOW).scores
        assert np.array_equal(before, after)
        assert loaded.weights == original.weights
        assert loaded.keys.tolist() == ["A", "B", "C", "D", "E"]

    def test_discovery_weights_survive_the_round_trip_and_rank_discovery_lists(
        self, tmp_path: Path
    ) -> None:
        files = ModelFiles(tmp_path)
        original = model({"popularity": 1.0})
        original.discovery_weights = {"content": 1.0}

        loaded = files.load(STORE, files.save(STORE, original))
        mine = History.of([(loaded.index["A"], NOW, 0, 1)])
        usual = score_personal(loaded, history=mine, now=NOW)
        discovering = score_personal(loaded, history=mine, now=NOW, discovery=True)

        assert loaded.discovery_weights == {"content": 1.0}
        # popularity puts D first; discovery ranks by likeness to the linen shirt, without it
        assert [str(loaded.keys[i]) for i in usual.top(2)] == ["D", "C"]
        assert str(loaded.keys[discovering.top(1)[0]]) == "E"
        assert "A" not in [str(loaded.keys[i]) for i in discovering.top(5)]

    def test_versions_are_listed_newest_first_and_pruning_keeps_the_current(
        self, tmp_path: Path
    ) -> None:
        files = ModelFiles(tmp_path)
        first = files.save(STORE, model())
        second = files.save(STORE, model())
        third = files.save(STORE, model())
        files.set_current(STORE, second)

        deleted = files.prune(STORE, keep=1)

        assert [v.version for v in files.versions(STORE)] == [third, second]
        assert deleted == [first]
        assert [v.current for v in files.versions(STORE)] == [False, True]

    def test_pointing_at_a_missing_version_is_refused(self, tmp_path: Path) -> None:
        files = ModelFiles(tmp_path)
        version = files.save(STORE, model())

        with pytest.raises(ModelNotAvailable):
            files.set_current(STORE, "20990101T000000000000Z-abcdef")

        assert files.current_version(STORE) == version

    def test_only_one_training_holds_the_lock(self, tmp_path: Path) -> None:
        files = ModelFiles(tmp_path)

        with files.training_lock(STORE) as first, files.training_lock(STORE) as second:
            assert (first, second) == (True, False)
        with files.training_lock(STORE) as again:
            assert again is True


class TestModelSwap:
    async def test_the_old_version_serves_until_the_new_one_has_loaded(
        self, tmp_path: Path
    ) -> None:
        # given version 1 served
        files = SlowFiles(tmp_path)
        registry = ModelRegistry(files, check_seconds=0.0)
        v1 = files.save(STORE, model({"popularity": 1.0}))
        assert (await registry.get(STORE)).version == v1  # type: ignore[union-attr]

        # when version 2 is published but loads slowly
        files.hold = v2 = files.save(STORE, model({"bought_with": 1.0}))
        during = await registry.get(STORE)
        await asyncio.to_thread(files.started.wait, 10)
        still = await registry.get(STORE)

        # then requests keep getting version 1 while version 2 loads
        assert during is not None
        assert during.version == v1
        assert still is not None
        assert still.version == v1

        # and once loaded, version 2 is served
        files.release.set()
        await wait_for(lambda: registry.loaded(STORE) is not None
                       and registry.loaded(STORE).version == v2)  # type: ignore[union-attr]  # fmt: skip
        served = await registry.get(STORE)
        assert served is not None
        assert served.version == v2
        assert served.model.weights["bought_with"] == 1.0

    async def test_a_version_that_fails_to_load_leaves_the_old_one_serving(
        self, tmp_path: Path
    ) -> None:
        # given version 1 served
        files = ModelFiles(tmp_path)
        registry = ModelRegistry(files, check_seconds=0.0)
        v1 = files.save(STORE, model())
        await registry.get(STORE)

        # when a broken version 2 is published
        v2 = files.save(STORE, model())
        (tmp_path / f"store-{STORE}" / "versions" / v2 / "arrays.npz").write_bytes(b"broken")
        await registry.get(STORE)
        await wait_for(lambda: registry.failed_version(STORE) == v2)
        served = await registry.get(STORE)

        # then version 1 is still served, and asking to activate version 2 says why not
        assert served is not None
        assert served.version == v1
        with pytest.raises(ModelNotAvailable):
            await registry.activate(STORE, v2)
        assert registry.loaded(STORE).version == v1  # type: ignore[union-attr]

    async def test_a_store_without_a_trained_version_has_no_model(self, tmp_path: Path) -> None:
        registry = ModelRegistry(ModelFiles(tmp_path), check_seconds=0.0)

        assert await registry.get(STORE) is None
