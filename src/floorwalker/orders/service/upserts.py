"""Loading orders from another system in batches: created, updated, unchanged or failed.

The file importer, the platform connectors and `POST /v1/orders/batch` call `upsert_orders`.
Per batch of up to 1,000 records it loads the matching orders, variants and customers with a
handful of queries, resolves every record without writing, then writes the created and
updated ones together. The record is the source system's truth: Floorwalker's stock holds on
lines the record changes, removes or moves past `processing` are released.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.catalog import service as catalog_service
from floorwalker.customers import service as customer_service
from floorwalker.errors import AppError
from floorwalker.kit.actor import Actor
from floorwalker.kit.upsert import BatchKeys, UpsertStatus, UpsertSummary, chunks, parse_record
from floorwalker.orders import schemas
from floorwalker.orders.errors import InvalidOrderRecord, OrderNotFound, OrderNumberTaken
from floorwalker.orders.models import Order
from floorwalker.orders.repository import OrderRepository
from floorwalker.orders.schemas import OrderRecord
from floorwalker.orders.service.access import ensure_staff_side
from floorwalker.orders.service.reading import to_schema
from floorwalker.orders.service.upsert_records import (
    Lookups,
    MethodInfo,
    VariantRef,
    Wanted,
    current,
    differences,
    match_children,
    resolve,
)
from floorwalker.orders.service.upsert_writes import insert_new, sync_fulfilments, update
from floorwalker.stores import service as store_service


@dataclass
class _Planned:
    index: int
    record: OrderRecord
    existing: Order | None
    wanted: Wanted
    changes: list[str]


async def _lookups(session: AsyncSession, actor: Actor, records: Sequence[OrderRecord]) -> Lookups:
    lookups = Lookups()
    variant_ids = {line.variant_id for r in records for line in r.lines if line.variant_id}
    skus = {line.sku for r in records for line in r.lines if line.sku and not line.variant_id}
    found = await catalog_service.get_variants(session, actor.store_id, list(variant_ids))
    for variant in found.values():
        lookups.variants_by_id[variant.id] = VariantRef(
            variant.id,
            variant.product_id,
            variant.sku,
            variant.title,
            dict(variant.options or {}),
            variant.product.title,
        )
    if skus:
        by_sku = await catalog_service.get_variants_by_sku(session, actor.store_id, list(skus))
        for sku, variant in by_sku.items():
            lookups.variants_by_sku[sku] = VariantRef(
                variant.id,
                variant.product_id,
                variant.sku,
                variant.title,
                dict(variant.options or {}),
                variant.product.title,
            )
    wanted = {r.customer_id for r in records if r.customer_id is not None}
    for low, high in _windows(sorted(wanted)):
        # A page of at most high - low + 1 customers after low - 1 holds every customer of
        # the store with an id in [low, high]: one page per run of nearby ids, not per id.
        page = await customer_service.list_customers(
            session, actor.store_id, after_id=low - 1, limit=high - low + 1
        )
        for customer in page:
            if customer.id not in wanted:
                continue
            lookups.customers.add(customer.id)
            for method in customer.payment_methods:
                lookups.methods[method.id] = MethodInfo(
                    method.id, method.customer_id, method.kind, method.label
                )
    return lookups


def _windows(ids: Sequence[int], *, max_gap: int = 8) -> list[tuple[int, int]]:
    """Runs of sorted ids no more than `max_gap` apart, as (first, last) pairs."""
    runs: list[tuple[int, int]] = []
    for value in ids:
        if runs and value - runs[-1][1] <= max_gap:
            runs[-1] = (runs[-1][0], value)
        else:
            runs.append((value, value))
    return runs


def _match(
    rec: OrderRecord,
    by_id: Mapping[int, Order],
    by_key: Mapping[tuple[str, str], Order],
    by_number: Mapping[str, Order],
) -> Order | None:
    """The stored order a record means: by id, then (source, external_id), then number."""
    if rec.id is not None:
        found = by_id.get(rec.id)
        if found is None:
            raise OrderNotFound(rec.id)
    elif rec.external_id is not None:
        found = by_key.get((rec.source, rec.external_id))
        if found is None:
            holder = by_number.get(rec.number)
            # A number already used by an order with its own external id of this source
            # belongs to another order; one without an external id is adopted.
            if holder is not None and not (
                holder.external_id is not None and holder.source == rec.source
            ):
                found = holder
    else:
        found = by_number.get(rec.number)
    holder = by_number.get(rec.number)
    if holder is not None and (found is None or holder.id != found.id):
        raise OrderNumberTaken(rec.number)
    return found


def _ensure_lines_kept(existing: Order, wanted: Wanted) -> None:
    """Lines that returns or exchanges refer to cannot disappear."""
    matched = match_children([line.external_id for line in existing.lines], wanted.lines)
    kept = {existing.lines[i].id for i in matched if i is not None}
    referred = {int(item["line_id"]) for r in existing.returns for item in r.items}
    referred |= {int(item["line_id"]) for e in existing.exchanges for item in e.items}
    gone = sorted(referred - kept)
    if gone:
        raise InvalidOrderRecord(
            f"Line {gone[0]} has a return or exchange and cannot be removed.",
            code="line_in_use",
            line_id=gone[0],
        )


async def _plan_chunk(
    session: AsyncSession,
    actor: Actor,
    store_currency: str,
    offset: int,
    raw: Sequence[OrderRecord | Mapping[str, Any]],
    summary: UpsertSummary,
    errors: dict[int, AppError],
) -> list[_Planned]:
    parsed: list[tuple[int, OrderRecord]] = []
    claims = BatchKeys()
    for i, item in enumerate(raw):
        index = offset + i
        try:
            rec = parse_record(OrderRecord, item)
            claims.claim(
                index,
                {
                    "id": rec.id,
                    "(source, external_id)": (
                        (rec.source, rec.external_id) if rec.external_id else None
                    ),
                    "number": rec.number,
                },
            )
        except AppError as exc:
            errors[index] = exc
            summary.fail(index, exc)
            continue
        parsed.append((index, rec))
    records = [rec for _, rec in parsed]
    stored = await OrderRepository(session, actor.store_id).find_for_upsert(
        ids=[r.id for r in records if r.id is not None],
        keys=[(r.source, r.external_id) for r in records if r.external_id is not None],
        numbers=[r.number for r in records],
    )
    by_id = {o.id: o for o in stored}
    by_key = {(o.source, o.external_id): o for o in stored if o.external_id is not None}
    by_number = {o.number: o for o in stored}
    lookups = await _lookups(session, actor, records)
    planned = []
    for index, rec in parsed:
        try:
            existing = _match(rec, by_id, by_key, by_number)
            wanted = resolve(rec, lookups, store_currency=store_currency, existing=existing)
            if existing is None:
                planned.append(_Planned(index, rec, None, wanted, []))
                continue
            changes = differences(wanted, current(existing))
            if changes:
                _ensure_lines_kept(existing, wanted)
            planned.append(_Planned(index, rec, existing, wanted, changes))
        except AppError as exc:
            errors[index] = exc
            summary.fail(index, exc)
    return planned


async def _write(
    session: AsyncSession, actor: Actor, planned: Sequence[_Planned], summary: UpsertSummary
) -> dict[int, list[str]]:
    changes: dict[int, list[str]] = {}
    created = await insert_new(
        session, actor, [(p.index, p.wanted) for p in planned if p.existing is None]
    )
    updated = [p for p in planned if p.existing is not None and p.changes]
    for item in updated:
        assert item.existing is not None
        await update(session, actor, item.existing, item.wanted)
    # Lines first: shipments name them by id.
    await session.flush()
    for item in updated:
        assert item.existing is not None
        sync_fulfilments(actor, item.existing, item.wanted)
    await session.flush()
    for item in planned:
        if item.existing is None:
            summary.done(item.index, UpsertStatus.CREATED, created[item.index])
        elif item.changes:
            summary.done(item.index, UpsertStatus.UPDATED, item.existing.id)
            changes[item.existing.id] = item.changes
        else:
            summary.done(item.index, UpsertStatus.UNCHANGED, item.existing.id)
    return changes


async def _upsert(
    session: AsyncSession, actor: Actor, records: Sequence[OrderRecord | Mapping[str, Any]]
) -> tuple[UpsertSummary, dict[int, AppError]]:
    ensure_staff_side(actor, "upsert_orders")
    store = await store_service.get_or_raise(session, actor.store_id)
    summary = UpsertSummary()
    errors: dict[int, AppError] = {}
    changes: dict[int, list[str]] = {}
    for offset, chunk in chunks(records):
        planned = await _plan_chunk(session, actor, store.currency, offset, chunk, summary, errors)
        changes.update(await _write(session, actor, planned, summary))
    entry = summary.audit_entry(changes)
    if entry is not None:
        subject_id, data = entry
        await audit_service.record(
            session,
            actor,
            action="order.upsert",
            subject_type="order",
            subject_id=subject_id,
            data=data,
        )
    return summary.sort(), errors


async def upsert_orders(
    session: AsyncSession, actor: Actor, records: Sequence[OrderRecord | Mapping[str, Any]]
) -> UpsertSummary:
    """Create or update orders in batches; one result per record, bad records fail alone."""
    summary, _errors = await _upsert(session, actor, records)
    return summary


async def upsert_order(
    session: AsyncSession, actor: Actor, record: OrderRecord
) -> tuple[UpsertStatus, schemas.Order]:
    """Create or update one order; raises the record's error when it cannot be stored."""
    summary, errors = await _upsert(session, actor, [record])
    result = summary.results[0]
    if result.status is UpsertStatus.FAILED:
        raise errors[0]
    assert result.id is not None
    order = await OrderRepository(session, actor.store_id).get(result.id, for_update=False)
    assert order is not None
    return result.status, to_schema(order)
