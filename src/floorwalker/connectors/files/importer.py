"""Importing a file: stream, convert, load in batches, report every bad row, record the run.

The file is read, converted and validated a batch ahead of the loading (`staging`, run by
`kit.ahead` in a helper process for large files). Good rows are loaded even when others fail
(each failure is reported with its line, field and reason), in transactions of about
ROWS_PER_COMMIT records. `strict` makes the file all-or-nothing: everything runs in one
transaction that is rolled back if any row failed. `dry_run` runs the same way and always
rolls back, so the summary says what would happen. Re-importing a file changes nothing:
records are matched on `(source, external_id)` (or their natural keys) and reported unchanged.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, aclosing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.catalog import service as catalog_service
from floorwalker.connectors.files import convert, staging
from floorwalker.connectors.files.readers import Progress, UnreadableFile, detect_format
from floorwalker.connectors.models import SyncRun
from floorwalker.customers import service as customers_service
from floorwalker.errors import Invalid
from floorwalker.events import service as events_service
from floorwalker.inventory import service as inventory_service
from floorwalker.kit.actor import Actor
from floorwalker.kit.ahead import ahead
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.kit.upsert import UpsertStatus, UpsertSummary
from floorwalker.orders import service as orders_service
from floorwalker.stores import service as store_service

RESOURCES = ("products", "inventory", "customers", "orders", "events")
#: Row errors kept in the report (all are counted).
MAX_ERRORS = 1000
#: Row errors kept on the sync run row.
MAX_RUN_ERRORS = 50
#: Files at least this big are read and validated in a helper process, on another core (its
#: start costs about a second; a file this size takes several to load).
PARALLEL_MIN_BYTES = 8 << 20
#: Records loaded per transaction (in whole batches) when the import is not all-or-nothing.
ROWS_PER_COMMIT = 50_000


class UnknownResource(Invalid):
    """A resource the importer does not know."""

    code = "unknown_resource"


@dataclass
class RowError:
    """A row that was not loaded: where, which field, why."""

    line: int
    field: str | None
    reason: str


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    resource: str
    path: str
    format: str
    source: str
    dry_run: bool
    strict: bool
    records: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    #: Events dropped because the customer refused analytics consent.
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False
    run_id: int | None = None

    def error(self, line: int, column: str | None, reason: str) -> None:
        """Count a failed row and keep its error (up to MAX_ERRORS)."""
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(line, column, reason))

    @property
    def status(self) -> str:
        """succeeded, partial, failed (strict import rolled back) or dry_run."""
        if self.dry_run:
            return "dry_run"
        if not self.committed:
            return "failed"
        return "partial" if self.failed else "succeeded"


class _Rollback(Exception):
    """Raised to roll the import's single transaction back."""


class _Loader:
    """Loads batches of one resource into the store, keeping lookups across batches."""

    def __init__(self, actor: Actor, resource: str, source: str, report: ImportReport) -> None:
        self.actor = actor
        self.resource = resource
        self.source = source
        self.report = report
        self.context = events_service.IngestContext()
        self.customers: dict[tuple[str, str], int | None] = {}

    async def load(self, session: AsyncSession, staged: staging.Staged) -> None:
        self.report.records += staged.count
        for item in staged.failed:
            self.report.failed += 1
            for problem in item.problems:
                self.report.error(problem.line, problem.field, problem.reason)
        if staged.prepared is not None:
            if staged.prepared.received:
                await self._events(session, staged.lines, staged.prepared)
            return
        if not staged.items:
            return
        records = [item.record for item in staged.items if item.record is not None]
        if self.resource == "orders":
            records = [await self._order(session, r) for r in records]
        summary = await self._upsert(session, records)
        self._count(staged.items, summary)

    async def _upsert(self, session: AsyncSession, records: list[dict[str, Any]]) -> UpsertSummary:
        if self.resource == "products":
            return await catalog_service.upsert_products(session, self.actor, records)
        if self.resource == "inventory":
            return await inventory_service.set_levels(session, self.actor, records)
        if self.resource == "customers":
            return await customers_service.upsert_customers(session, self.actor, records)
        return await orders_service.upsert_orders(session, self.actor, records)

    def _count(self, items: Sequence[convert.Item], summary: UpsertSummary) -> None:
        for result in summary.results:
            item = items[result.index]
            if result.status is not UpsertStatus.FAILED:
                setattr(
                    self.report, result.status.value, getattr(self.report, result.status.value) + 1
                )
                continue
            self.report.failed += 1
            if not result.errors:
                self.report.error(item.line, None, f"{result.error}: {result.detail}")
                continue
            for problem in result.errors:
                line, column = item.line, ".".join(problem.loc) or None
                if len(problem.loc) >= 2 and problem.loc[1].isdigit():
                    nested = item.lines.get((problem.loc[0], int(problem.loc[1])))
                    if nested is not None:
                        line, column = nested, ".".join(problem.loc[2:]) or problem.loc[0]
                self.report.error(line, column, problem.msg)

    async def _events(
        self, session: AsyncSession, lines: Sequence[int], prepared: events_service.Prepared
    ) -> None:
        result = await events_service.store(session, self.actor, prepared, context=self.context)
        self.report.created += result.accepted
        self.report.unchanged += result.duplicates
        self.report.skipped += result.skipped_no_consent
        self.report.failed += len(result.rejected)
        for rejection in result.rejected:
            self.report.error(lines[rejection.index], rejection.field, rejection.reason)

    async def _customer_id(self, session: AsyncSession, kind: str, value: str) -> int | None:
        key = (kind, value)
        if key not in self.customers:
            found: int | None = None
            if kind == "external_id":
                rows = await customers_service.list_customers(
                    session, self.actor.store_id, source=self.source, external_id=value, limit=1
                )
                found = rows[0].id if rows else None
            else:
                customer = await customers_service.find_by_email(
                    session, self.actor.store_id, value
                )
                found = customer.id if customer is not None else None
            self.customers[key] = found
        return self.customers[key]

    async def _order(self, session: AsyncSession, record: dict[str, Any]) -> dict[str, Any]:
        record = dict(record)
        external = record.pop("_customer_external_id", None)
        email = record.pop("_customer_email", None)
        payment = record.pop("_payment", None)
        if external:
            record["customer_id"] = await self._customer_id(session, "external_id", external)
        elif email:
            record["customer_id"] = await self._customer_id(session, "email", email)
            record.setdefault("email", email)
        if payment and "transactions" not in record:
            amount = payment.get("amount") or record.get("total") or _order_total(record)
            if amount:
                record["transactions"] = [
                    {
                        "kind": "payment",
                        "amount": amount,
                        "method_kind": payment.get("method_kind") or "card",
                        "method_label": payment.get("method_label") or "",
                    }
                ]
        return record


def _order_total(record: dict[str, Any]) -> int:
    lines = sum(
        int(x.get("quantity") or 0) * int(x.get("unit_price") or 0)
        for x in record.get("lines") or []
    )
    return (
        lines
        + int(record.get("shipping_total") or 0)
        + int(record.get("tax_total") or 0)
        - int(record.get("discount_total") or 0)
    )


async def import_file(
    db: Database,
    actor: Actor,
    *,
    resource: str,
    path: Path,
    fmt: str | None = None,
    source: str = "file",
    strict: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    batch_size: int | None = None,
    parallel: bool | None = None,
) -> ImportReport:
    """Import one file of `resource` into the actor's store; returns the report.

    The file is read, converted and validated a batch ahead of the loading: in a helper
    process when `parallel` (by default, for files of PARALLEL_MIN_BYTES or more), else in
    a worker thread.
    """
    if resource not in RESOURCES:
        raise UnknownResource(f"Unknown resource {resource!r}; use one of {', '.join(RESOURCES)}.")
    fmt = detect_format(path, fmt)
    if not path.is_file():
        raise UnreadableFile(f"No such file: {path}")
    report = ImportReport(resource, str(path), fmt, source, dry_run, strict)
    async with db.reading() as session:
        store = await store_service.get_or_raise(session, actor.store_id)
    # Events are small and go in with one prepared statement: bigger batches pay off.
    batch_size = batch_size or (5000 if resource == "events" else 1000)
    plan = staging.Plan(resource, fmt, path, source, store.currency, actor, batch_size)
    if parallel is None:
        parallel = path.stat().st_size >= PARALLEL_MIN_BYTES
    loader = _Loader(actor, resource, source, report)
    started = utcnow()
    # Closed on the way out, even on an error: the helper process stops with it.
    async with (
        aclosing(ahead(staging.staged_batches, plan, process=parallel)) as batches,
        db.bulk() as transaction,
    ):
        if strict or dry_run:

            async def load_all(session: AsyncSession) -> None:
                async for staged in batches:
                    await loader.load(session, staged)
                    _advance(progress, staged)

            await all_or_nothing(transaction, report, load_all)
        else:
            # Several batches per transaction: a commit writes every page the transaction
            # changed to the log, and batches in a row change many of the same index pages.
            pending = aiter(batches)
            while (current := await _next(pending)) is not None:
                async with transaction() as session:
                    loaded = 0
                    while current is not None:
                        await loader.load(session, current)
                        _advance(progress, current)
                        loaded += current.count
                        current = None if loaded >= ROWS_PER_COMMIT else await _next(pending)
            report.committed = True
    report.errors.sort(key=lambda e: e.line)
    report.run_id = await record_run(db, actor, report, started)
    return report


async def all_or_nothing(
    transaction: Callable[[], AbstractAsyncContextManager[AsyncSession]],
    report: ImportReport,
    load: Callable[[AsyncSession], Awaitable[None]],
) -> None:
    """Run `load` in one transaction, rolled back for a dry run or when any row failed."""
    try:
        async with transaction() as session:
            await load(session)
            if report.dry_run or report.failed:
                raise _Rollback
        report.committed = True
    except _Rollback:
        report.committed = False


async def _next(batches: AsyncIterator[staging.Staged]) -> staging.Staged | None:
    return await anext(batches, None)


def _advance(progress: Progress | None, staged: staging.Staged) -> None:
    if progress is not None and staged.read:
        progress(staged.read)


async def record_run(db: Database, actor: Actor, report: ImportReport, started: Any) -> int:
    async with db.transaction() as session:
        run = SyncRun(
            store_id=actor.store_id,
            source=report.source,
            kind="import",
            resource=report.resource,
            status=report.status,
            dry_run=report.dry_run,
            origin=Path(report.path).name,
            started_at=started,
            finished_at=utcnow(),
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged + report.skipped,
            failed=report.failed,
            errors=[
                {"line": e.line, "field": e.field, "reason": e.reason}
                for e in report.errors[:MAX_RUN_ERRORS]
            ],
            detail=(
                "rolled back: the import is strict and some rows failed"
                if report.strict and not report.committed and not report.dry_run
                else ""
            ),
        )
        session.add(run)
        await session.flush()
        return run.id
