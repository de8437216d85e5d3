"""Importing a Merchant Center feed: products and variants, then stock from availability."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.catalog import service as catalog_service
from floorwalker.connectors.files.importer import ImportReport, all_or_nothing, record_run
from floorwalker.connectors.merchant_feed import mapping
from floorwalker.connectors.merchant_feed.parse import feed_format, read_feed
from floorwalker.inventory import service as inventory_service
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.kit.upsert import UpsertStatus
from floorwalker.stores import service as store_service

BATCH = 1000


async def import_feed(
    db: Database,
    actor: Actor,
    *,
    path: Path,
    source: str = "merchant_feed",
    in_stock: int = 100,
    strict: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Import a feed file (XML or TSV) into the actor's store; returns the report."""
    report = ImportReport(
        "merchant_feed",
        str(path),
        feed_format(path) if path.is_file() else "xml",
        source,
        dry_run,
        strict,
    )
    async with db.reading() as session:
        store = await store_service.get_or_raise(session, actor.store_id)
    groups = mapping.group(read_feed(path))
    products = [
        mapping.product(key, items, source=source, currency=store.currency, in_stock=in_stock)
        for key, items in groups.items()
    ]
    started = utcnow()

    async def load(session: AsyncSession, chunk: list[mapping.FeedProduct]) -> None:
        good = [p for p in chunk if p.record is not None]
        for p in chunk:
            report.records += 1
            if p.record is None:
                report.failed += 1
                for position, column, reason in p.problems:
                    report.error(position, column, reason)
        summary = await catalog_service.upsert_products(
            session, actor, [p.record for p in good if p.record]
        )
        levels = []
        for result in summary.results:
            built = good[result.index]
            if result.status is UpsertStatus.FAILED:
                report.failed += 1
                report.error(built.positions[0], None, f"{result.error}: {result.detail}")
                continue
            setattr(report, result.status.value, getattr(report, result.status.value) + 1)
            levels.extend(built.levels)
        if levels:
            await inventory_service.set_levels(session, actor, levels)

    location = {
        "source": source,
        "external_id": "feed",
        "code": mapping.LOCATION_CODE,
        "name": "Merchant feed",
    }
    chunks = [products[i : i + BATCH] for i in range(0, len(products), BATCH)]
    if strict or dry_run:

        async def load_all(session: AsyncSession) -> None:
            await inventory_service.upsert_locations(session, actor, [location])
            for chunk in chunks:
                await load(session, chunk)

        await all_or_nothing(db.transaction, report, load_all)
    else:
        async with db.transaction() as session:
            await inventory_service.upsert_locations(session, actor, [location])
        for chunk in chunks:
            async with db.transaction() as session:
                await load(session, chunk)
        report.committed = True
    report.errors.sort(key=lambda e: e.line)
    report.run_id = await record_run(db, actor, report, started)
    return report
