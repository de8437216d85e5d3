"""The `recommend.train` job (scheduled by `floorwalker.jobs`).

`train(db, settings, store_id=…)` is idempotent: it reads a fingerprint of everything training
uses (orders, product events, imported history, catalog) and does nothing when the current
version was trained from the same fingerprint, unless forced. Only one training per store runs
at a time (a file lock, so also across processes); a second one reports `busy`.
"""

from __future__ import annotations

import asyncio
import time

from floorwalker.config import Settings
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.logging import get_logger
from floorwalker.recommend import queries
from floorwalker.recommend.engine.catalog import ItemCatalog
from floorwalker.recommend.engine.model import Params
from floorwalker.recommend.engine.train import fit
from floorwalker.recommend.schemas import TrainOutcome, TrainStatus
from floorwalker.recommend.serving import ModelRegistry, registry_for
from floorwalker.stores import service as stores_service

JOB_NAME = "recommend.train"

log = get_logger(__name__)


async def train(
    db: Database,
    settings: Settings,
    *,
    store_id: int,
    force: bool = False,
    params: Params | None = None,
    models: ModelRegistry | None = None,
) -> TrainOutcome:
    """Train and publish a new version of a store's recommender (see the module doc)."""
    models = models or registry_for(settings.data_dir)
    files = models.files
    started = time.perf_counter()
    with files.training_lock(store_id) as acquired:
        if not acquired:
            return TrainOutcome(store_id=store_id, status=TrainStatus.BUSY)
        async with db.reading() as session:
            digest = await queries.fingerprint(session, store_id)
            current = files.current_version(store_id)
            manifest = files.manifest(store_id, current) if current else None
            if (
                not force
                and manifest is not None
                and manifest.get("info", {}).get("fingerprint") == digest
            ):
                return TrainOutcome(
                    store_id=store_id,
                    status=TrainStatus.UNCHANGED,
                    version=current,
                    items=int(manifest.get("items", 0)),
                )
            now = utcnow()
            items = await queries.load_catalog(session, store_id)
            log_rows = await queries.load_interactions(session, store_id, now=now)
        if not items:
            return TrainOutcome(store_id=store_id, status=TrainStatus.NO_CATALOG)
        catalog = ItemCatalog.build(items)
        params = params or Params()
        # the fitting is CPU-bound numpy/implicit work: keep the event loop free meanwhile
        model = await asyncio.to_thread(
            fit, log_rows, catalog, params=params, now=int(now.timestamp())
        )
        model.info["fingerprint"] = digest
        version = await asyncio.to_thread(files.save, store_id, model)
        await asyncio.to_thread(files.prune, store_id, keep=settings.recommend_keep_versions)
    await models.activate(store_id, version)
    outcome = TrainOutcome(
        store_id=store_id,
        status=TrainStatus.TRAINED,
        version=version,
        items=len(catalog),
        interactions=int(model.info.get("interactions", 0)),
        customers=int(model.info.get("users", 0)),
        seconds=round(time.perf_counter() - started, 3),
        blend=dict(model.info.get("blend", {})),
    )
    log.info(
        "recommender trained",
        job=JOB_NAME,
        store_id=store_id,
        version=version,
        seconds=outcome.seconds,
    )
    return outcome


async def train_all(db: Database, settings: Settings) -> list[TrainOutcome]:
    """Run `recommend.train` for every store, one after the other; failures are logged."""
    return await stores_service.each_store(
        db,
        lambda store_id: train(db, settings, store_id=store_id),
        job=JOB_NAME,
        failure="recommender training failed",
    )
