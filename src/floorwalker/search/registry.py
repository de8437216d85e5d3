"""The indexes of one worker: built on first use, kept fresh by polling, rebuilt when asked.

Each worker process holds its own indexes in memory (ARCHITECTURE.md: "built offline and
served from memory"); there is nothing to deploy beside the database. A background task polls,
every `search_refresh_seconds`, each loaded store's changed products (product, variants,
images, brand, category or stock), deletions (from the audit log), synonym rules and reindex
requests, and applies them as a small delta. Large deltas, and reindex requests, rebuild the
whole index in a worker thread while searches go on against the previous snapshot.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

from floorwalker.config import Settings
from floorwalker.kit import heap
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.logging import get_logger
from floorwalker.search import loader
from floorwalker.search.dense import Embedder, EmbeddingsUnavailable
from floorwalker.search.documents import ProductDoc
from floorwalker.search.engine.query import SynonymTable
from floorwalker.search.engine.store_index import StoreIndex, StoreMeta, VectorLookup
from floorwalker.search.repository import SearchRepository, fingerprints
from floorwalker.stores import service as store_service

log = get_logger(__name__)

#: Each poll looks this far behind the last change seen: a transaction that stamped its rows
#: earlier may commit later.
OVERLAP = dt.timedelta(seconds=10)
#: Stores nobody searched for this long are dropped from memory (and no longer polled).
IDLE_SECONDS = 3600.0

Fingerprint = tuple[int, dt.datetime | None, dt.datetime | None]


@dataclass(slots=True)
class _Entry:
    index: StoreIndex
    watermark: dt.datetime
    audit_after: int
    fingerprint: Fingerprint
    last_used: float
    rebuilding: bool = False


class SearchRegistry:
    """Per-store indexes of this worker (see the module docstring)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.embedder = Embedder.from_settings(settings)
        self._entries: dict[int, _Entry] = {}
        self._loading: dict[int, asyncio.Task[_Entry]] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._task: asyncio.Task[None] | None = None
        self._background: set[asyncio.Task[None]] = set()

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Start polling for changes."""
        if self._task is None:
            self._task = asyncio.create_task(self._poll_forever(), name="search-refresh")

    async def stop(self) -> None:
        """Stop polling and close the embeddings client."""
        tasks = [t for t in (self._task, *self._background, *self._loading.values()) if t]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._task = None
        if self.embedder is not None:
            await self.embedder.close()

    # ------------------------------------------------------------ reading

    async def index_for(self, store_id: int) -> StoreIndex:
        """The store's index, loading it on first use (concurrent callers share the load)."""
        entry = self._entries.get(store_id)
        if entry is None:
            task = self._loading.get(store_id)
            if task is None:
                task = asyncio.create_task(self._load(store_id), name=f"search-load-{store_id}")
                self._loading[store_id] = task
                task.add_done_callback(lambda _t: self._loading.pop(store_id, None))
            entry = await asyncio.shield(task)
            self._entries[store_id] = entry
        entry.last_used = time.monotonic()
        return entry.index

    def loaded(self, store_id: int) -> StoreIndex | None:
        """The store's index if this worker has it in memory."""
        entry = self._entries.get(store_id)
        return entry.index if entry else None

    # ------------------------------------------------------------ building

    async def _meta(self, store_id: int) -> tuple[StoreMeta, Fingerprint]:
        async with self.db.reading() as session:
            store = await store_service.get_or_raise(session, store_id)
            settings = store_service.settings_of(store)
            categories = await loader.load_categories(session, store_id)
            rules = await SearchRepository(session, store_id).list_rules()
            print_ = (await fingerprints(session, [store_id]))[store_id]
        meta = StoreMeta(
            store_id=store_id,
            currency=store.currency,
            product_url_template=settings.product_url_template,
            categories=categories,
            synonyms=SynonymTable((r.terms, r.one_way) for r in rules),
        )
        return meta, print_

    async def _load(self, store_id: int) -> _Entry:
        started = utcnow()
        meta, print_ = await self._meta(store_id)
        async with self.db.reading() as session:
            _, audit_after = await loader.deleted_product_ids(session, store_id, after_entry=0)
            docs = await loader.load_all(
                session, store_id, categories=meta.categories, currency=meta.currency
            )
        index = await self._build(meta, docs)
        log.info("search index built", store_id=store_id, documents=index.size)
        return _Entry(index, started - OVERLAP, audit_after, print_, time.monotonic())

    async def _build(self, meta: StoreMeta, docs: list[ProductDoc]) -> StoreIndex:
        lookup = await self._embed(docs)
        index = await asyncio.to_thread(StoreIndex.build, meta, docs, vectors=lookup)
        # An index lives until the next rebuild: keep it out of full collection passes.
        heap.freeze_long_lived()
        return index

    async def _embed(self, docs: list[ProductDoc]) -> VectorLookup | None:
        """The vector lookup for documents, after embedding those not cached (None if off)."""
        if self.embedder is None:
            return None
        try:
            await self.embedder.embed_documents(docs)
        except EmbeddingsUnavailable as exc:
            log.warning("embeddings unavailable; indexing without them", error=str(exc))
        return self.embedder.cached

    # ------------------------------------------------------------ refreshing

    async def _poll_forever(self) -> None:
        while True:
            await asyncio.sleep(self.settings.search_refresh_seconds)
            try:
                await self.refresh()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("search refresh failed")

    async def refresh(self) -> None:
        """Apply every loaded store's changes once (the poller calls this on a timer)."""
        now = time.monotonic()
        for store_id in list(self._entries):
            entry = self._entries[store_id]
            if now - entry.last_used > IDLE_SECONDS:
                del self._entries[store_id]
                continue
            lock = self._locks.setdefault(store_id, asyncio.Lock())
            async with lock:
                try:
                    await self._refresh_store(store_id, entry)
                except Exception:
                    log.exception("search refresh of a store failed", store_id=store_id)

    async def refresh_now(self, store_id: int) -> None:
        """Apply a store's changes at once, if this worker holds its index."""
        entry = self._entries.get(store_id)
        if entry is None:
            return
        async with self._locks.setdefault(store_id, asyncio.Lock()):
            await self._refresh_store(store_id, entry)

    async def _refresh_store(self, store_id: int, entry: _Entry) -> None:
        started = utcnow()
        async with self.db.reading() as session:
            print_ = (await fingerprints(session, [store_id]))[store_id]
            if await store_service.get(session, store_id) is None:
                self._entries.pop(store_id, None)
                return
        if print_[2] != entry.fingerprint[2] and not entry.rebuilding:
            entry.fingerprint = print_
            self._spawn(self._rebuild(store_id, reload=True))
            return
        if print_[:2] != entry.fingerprint[:2]:
            meta, print_ = await self._meta(store_id)
            entry.index = entry.index.with_meta(meta)
            entry.fingerprint = print_
        index = entry.index
        async with self.db.reading() as session:
            changed, _ = await loader.changed_product_ids(session, store_id, since=entry.watermark)
            deleted, audit_after = await loader.deleted_product_ids(
                session, store_id, after_entry=entry.audit_after
            )
            current = await loader.load_products(
                session, store_id, changed, categories=index.meta.categories,
                currency=index.meta.currency,
            )  # fmt: skip
        updates = [doc for doc in current.values() if doc is not None and index.get(doc.id) != doc]
        removed = [
            pid
            for pid in {*deleted, *(pid for pid, doc in current.items() if doc is None)}
            if index.get(pid) is not None
        ]
        if updates or removed:
            lookup = await self._embed(updates)
            entry.index = index.apply(updates, removed, vectors=lookup)
        entry.watermark = started - OVERLAP
        entry.audit_after = audit_after
        if entry.index.needs_merge and not entry.rebuilding:
            self._spawn(self._rebuild(store_id, reload=False))

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def rebuild(self, store_id: int) -> StoreIndex:
        """Rebuild a store's index from the database now (and load it if it was not)."""
        if store_id not in self._entries:
            return await self.index_for(store_id)
        await self._rebuild(store_id, reload=True)
        return self._entries[store_id].index

    async def _rebuild(self, store_id: int, *, reload: bool) -> None:
        entry = self._entries.get(store_id)
        if entry is None:
            return
        entry.rebuilding = True
        started = utcnow()
        try:
            if reload:
                fresh = await self._load(store_id)
                index, watermark = fresh.index, fresh.watermark
            else:
                old = entry.index
                index = await self._build(old.meta, old.documents())
                watermark = started - OVERLAP
            lock = self._locks.setdefault(store_id, asyncio.Lock())
            async with lock:
                current = self._entries.get(store_id)
                if current is None:
                    return
                if not reload:
                    # Built from memory: drop what was removed meanwhile, keep newer metadata.
                    gone = [d.id for d in index.documents() if current.index.get(d.id) is None]
                    index = index.with_meta(current.index.meta).apply([], gone)
                current.index = index
                # Changes applied to the old snapshot while this one was built are read
                # again from `watermark` on.
                current.watermark = min(current.watermark, watermark)
        finally:
            entry.rebuilding = False

    def entries(self) -> dict[int, StoreIndex]:
        """The indexes in memory, by store."""
        return {sid: e.index for sid, e in self._entries.items()}
