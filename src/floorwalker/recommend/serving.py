"""Trained versions on disk, and the in-memory models every worker serves from.

Layout under `<data_dir>/recommend/store-<id>/`:

    versions/<version>/manifest.json, arrays.npz    one directory per training
    CURRENT                                         the version to serve (replaced atomically)
    train.lock                                      held while a training runs

A version is written into a temporary directory and renamed into place, then CURRENT is
replaced with `os.replace`, so a reader sees the old version or the new one, never half of one.
Workers notice a new CURRENT within `CHECK_SECONDS`, load it in a background thread while they
keep serving the old model, and swap the reference once it has loaded; if the load fails they
keep serving the old one (and do not retry that version).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import secrets
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from floorwalker.kit.clock import utcnow
from floorwalker.logging import get_logger
from floorwalker.recommend.engine.model import RecommenderModel
from floorwalker.recommend.errors import ModelNotAvailable

log = get_logger(__name__)

#: How often a worker looks for a new CURRENT version of a store it serves.
CHECK_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """A trained version on disk."""

    version: str
    current: bool
    trained_at: dt.datetime
    items: int
    info: dict[str, Any]


class ModelFiles:
    """Versioned model directories of every store under one root."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def store_dir(self, store_id: int) -> Path:
        """The directory of one store's models."""
        return self.root / f"store-{store_id}"

    def _versions_dir(self, store_id: int) -> Path:
        return self.store_dir(store_id) / "versions"

    def current_version(self, store_id: int) -> str | None:
        """The version CURRENT points at, or None before the first training."""
        try:
            text = (self.store_dir(store_id) / "CURRENT").read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return text or None

    def save(self, store_id: int, model: RecommenderModel) -> str:
        """Write a new version and make it current; returns its name."""
        versions = self._versions_dir(store_id)
        versions.mkdir(parents=True, exist_ok=True)
        version = f"{utcnow():%Y%m%dT%H%M%S%fZ}-{secrets.token_hex(3)}"
        staging = versions / f".{version}.tmp"
        model.save(staging)
        staging.rename(versions / version)
        self.set_current(store_id, version)
        return version

    def set_current(self, store_id: int, version: str) -> None:
        """Point CURRENT at an existing version (atomically)."""
        if not (self._versions_dir(store_id) / version / "manifest.json").is_file():
            raise ModelNotAvailable(f"No recommender version {version!r} for this store.")
        target = self.store_dir(store_id) / "CURRENT"
        staging = target.with_name(f".CURRENT.{secrets.token_hex(4)}")
        with staging.open("w", encoding="utf-8") as fh:
            fh.write(version + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(staging, target)

    def load(self, store_id: int, version: str) -> RecommenderModel:
        """Read one version into memory (raises ValueError/OSError when it cannot)."""
        return RecommenderModel.load(self._versions_dir(store_id) / version)

    def manifest(self, store_id: int, version: str) -> dict[str, Any] | None:
        """A version's manifest, or None if it is missing or unreadable."""
        path = self._versions_dir(store_id) / version / "manifest.json"
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data

    def versions(self, store_id: int) -> list[VersionInfo]:
        """Every complete version, newest first."""
        current = self.current_version(store_id)
        found = []
        directory = self._versions_dir(store_id)
        if not directory.is_dir():
            return []
        for path in sorted(directory.iterdir(), reverse=True):
            if path.name.startswith("."):
                continue
            manifest = self.manifest(store_id, path.name)
            if manifest is None:
                continue
            found.append(
                VersionInfo(
                    version=path.name,
                    current=path.name == current,
                    trained_at=dt.datetime.fromtimestamp(int(manifest["trained_at"]), tz=dt.UTC),
                    items=int(manifest.get("items", 0)),
                    info=dict(manifest.get("info", {})),
                )
            )
        return found

    def prune(self, store_id: int, *, keep: int) -> list[str]:
        """Delete all but the `keep` newest versions (never the current one); returns deleted."""
        current = self.current_version(store_id)
        deleted = []
        for position, version in enumerate(self.versions(store_id)):
            if position < keep or version.version == current:
                continue
            shutil.rmtree(self._versions_dir(store_id) / version.version, ignore_errors=True)
            deleted.append(version.version)
        return deleted

    @contextlib.contextmanager
    def training_lock(self, store_id: int) -> Iterator[bool]:
        """Hold the store's training lock if it is free; yields whether it was acquired.

        The lock is an `flock` on a file, so it also keeps two worker processes (or a CLI
        run beside the server) from training the same store at once.
        """
        directory = self.store_dir(store_id)
        directory.mkdir(parents=True, exist_ok=True)
        with (directory / "train.lock").open("a+") as fh:
            try:
                import fcntl
            except ImportError:  # not POSIX: fall back to no cross-process lock
                yield True
                return
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


@dataclass(frozen=True, slots=True)
class LoadedModel:
    """A model in memory and the version it came from."""

    version: str
    model: RecommenderModel
    loaded_at: float


class ModelRegistry:
    """The models one process serves, by store; safe to use from several event loops."""

    def __init__(self, files: ModelFiles, *, check_seconds: float = CHECK_SECONDS) -> None:
        self.files = files
        self.check_seconds = check_seconds
        self._loaded: dict[int, LoadedModel] = {}
        self._checked: dict[int, float] = {}
        self._failed: dict[int, str] = {}
        self._loading: set[int] = set()
        self._locks: dict[int, threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock(self, store_id: int) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(store_id, threading.Lock())

    def loaded(self, store_id: int) -> LoadedModel | None:
        """The model being served for a store right now (no disk access)."""
        return self._loaded.get(store_id)

    def failed_version(self, store_id: int) -> str | None:
        """The last version that failed to load (and is therefore not served), if any."""
        return self._failed.get(store_id)

    async def get(self, store_id: int) -> LoadedModel | None:
        """The model to serve: loads the first version (waiting for it), and starts loading a
        newer CURRENT in the background while the old one keeps serving."""
        loaded = self._loaded.get(store_id)
        now = time.monotonic()
        if loaded is not None and now - self._checked.get(store_id, 0.0) < self.check_seconds:
            return loaded
        self._checked[store_id] = now
        wanted = await asyncio.to_thread(self.files.current_version, store_id)
        if wanted is None or self._failed.get(store_id) == wanted:
            return loaded
        if loaded is not None and loaded.version == wanted:
            return loaded
        if loaded is None:
            return await asyncio.to_thread(self._load, store_id, wanted)
        self._load_in_background(store_id, wanted)
        return loaded

    async def activate(self, store_id: int, version: str) -> LoadedModel:
        """Load `version` now and serve it; raises ModelNotAvailable (keeping the old model)."""
        loaded = await asyncio.to_thread(self._load, store_id, version)
        if loaded is None or loaded.version != version:
            raise ModelNotAvailable(
                f"Recommender version {version!r} could not be loaded; the previous one is "
                "still served.",
                version=version,
            )
        return loaded

    def _load_in_background(self, store_id: int, version: str) -> None:
        with self._guard:
            if store_id in self._loading:
                return
            self._loading.add(store_id)

        def run() -> None:
            try:
                self._load(store_id, version)
            finally:
                with self._guard:
                    self._loading.discard(store_id)

        threading.Thread(target=run, name=f"recommend-load-{store_id}", daemon=True).start()

    def _load(self, store_id: int, version: str) -> LoadedModel | None:
        """Load and swap in `version`; on failure keep (and return) what was served."""
        with self._lock(store_id):
            current = self._loaded.get(store_id)
            if current is not None and current.version == version:
                return current
            try:
                model = self.files.load(store_id, version)
            except Exception as exc:  # a broken or foreign file must not take serving down
                log.warning(
                    "recommender version failed to load; keeping the previous one",
                    store_id=store_id,
                    version=version,
                    error=str(exc),
                )
                self._failed[store_id] = version
                return current
            loaded = LoadedModel(version=version, model=model, loaded_at=time.time())
            # the swap: one reference assignment; requests already holding the old model
            # finish with it, new requests get the new one
            self._loaded[store_id] = loaded
            self._failed.pop(store_id, None)
            log.info("recommender version loaded", store_id=store_id, version=version)
            return loaded


_registries: dict[Path, ModelRegistry] = {}
_registries_guard = threading.Lock()


def registry_for(data_dir: Path) -> ModelRegistry:
    """The process-wide registry of a data directory (API, jobs and assistant share it)."""
    root = (data_dir / "recommend").resolve()
    with _registries_guard:
        registry = _registries.get(root)
        if registry is None:
            registry = _registries[root] = ModelRegistry(ModelFiles(root))
        return registry
