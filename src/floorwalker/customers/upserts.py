"""Batch upsert of customers with their addresses and payment-method references.

Per chunk of up to 1,000 records: one query loads the customers the records name, one their
addresses, one their payment methods; then inserts and updates go out in bulk. A record that
fails (a card number, a clash of keys) writes nothing and does not stop the others.

Matching, in order of precedence: `id`; `(source, external_id)`; e-mail within the source.
Addresses match by id, external id, then identical content; payment methods by id, external
id, then what identifies them (card brand + last four + expiry, PayPal e-mail, gift card's
last four, store credit's currency).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.customers.errors import (
    CustomerExternalIdTaken,
    CustomerNotFound,
    EmailTaken,
)
from floorwalker.customers.repository import (
    ADDRESSES,
    CUSTOMERS,
    PAYMENT_METHODS,
    CustomerRepository,
)
from floorwalker.customers.schemas import CustomerUpsert
from floorwalker.customers.upsert_plan import Plan, plan_addresses, plan_methods
from floorwalker.errors import AppError
from floorwalker.kit.actor import Actor
from floorwalker.kit.bulk import (
    bulk_insert,
    bulk_insert_returning,
    bulk_update,
    gc_paused,
    keep_statistics_fresh,
    retry_once_on_conflict,
)
from floorwalker.kit.clock import utcnow
from floorwalker.kit.upsert import (
    BatchKeys,
    Checkpoint,
    Keys,
    Matcher,
    RecordInvalid,
    Row,
    UpsertStatus,
    UpsertSummary,
    chunks,
    parse_record,
)
from floorwalker.stores import service as store_service

_PLAIN = ("first_name", "last_name", "accepts_marketing", "tags")
_NULLABLE = ("email", "phone", "language")


async def upsert_customers(
    session: AsyncSession,
    actor: Actor,
    records: Sequence[CustomerUpsert | Mapping[str, Any]],
) -> UpsertSummary:
    """Create or update customers with addresses and payment methods, in chunks of 1,000."""
    store = await store_service.get_or_raise(session, actor.store_id)
    summary = UpsertSummary()
    changes: dict[int, list[str]] = {}
    batch = BatchKeys()
    for offset, chunk in chunks(records):
        saved = Checkpoint.take(summary, batch, changes)
        work = partial(
            _upsert_chunk, session, actor, store.currency, batch, offset, chunk, summary, changes
        )
        with gc_paused():
            await retry_once_on_conflict(session, work, saved.restore)
    entry = summary.audit_entry(changes)
    if entry is not None:
        await audit_service.record(
            session,
            actor,
            action="customer.upsert",
            subject_type="customer",
            subject_id=entry[0],
            data=entry[1],
        )
    if summary.created:
        await keep_statistics_fresh(session, ["customers", "addresses", "payment_methods"])
    return summary.sort()


def _natural(row: Row) -> Hashable | None:
    return (row["source"], row["email"]) if row.get("email") else None


async def _upsert_chunk(
    session: AsyncSession,
    actor: Actor,
    currency: str,
    batch: BatchKeys,
    offset: int,
    records: Sequence[CustomerUpsert | Mapping[str, Any]],
    summary: UpsertSummary,
    changes: dict[int, list[str]],
) -> None:
    repo = CustomerRepository(session, actor.store_id)
    parsed: list[tuple[int, CustomerUpsert]] = []
    for position, raw in enumerate(records):
        index = offset + position
        try:
            record = parse_record(CustomerUpsert, raw)
            external = (record.source, record.external_id) if record.external_id else None
            email = (record.source, record.email) if record.email else None
            batch.claim(index, {"id": record.id, "external_id": external, "email": email})
            parsed.append((index, record))
        except AppError as exc:
            summary.fail(index, exc)
    externals: dict[str, set[str]] = {}
    for _, record in parsed:
        if record.external_id:
            externals.setdefault(record.source, set()).add(record.external_id)
    matcher = Matcher(
        await repo.customer_rows(
            ids={r.id for _, r in parsed if r.id is not None},
            externals=externals,
            emails={r.email for _, r in parsed if r.email},
        ),
        natural_of=_natural,
        not_found=CustomerNotFound,
        natural_taken=EmailTaken,
        external_taken=CustomerExternalIdTaken,
    )
    matched: list[tuple[int, CustomerUpsert, Row | None]] = []
    for index, record in parsed:
        try:
            external = (record.source, record.external_id) if record.external_id else None
            natural = (record.source, record.email) if record.email else None
            row = matcher.match(Keys(record.id, external, natural))
            if row is not None:
                batch.claim(index, {"customer": row["id"]})
            matched.append((index, record, row))
        except AppError as exc:
            summary.fail(index, exc)
    ids = [row["id"] for _, _, row in matched if row is not None]
    addresses = _group(await repo.rows_of(ADDRESSES, ids))
    methods = _group(await repo.rows_of(PAYMENT_METHODS, ids))
    plans: list[Plan] = []
    for index, record, row in matched:
        try:
            plan = _plan(actor.store_id, matcher, index, record, row)
            current_id = row["id"] if row else None
            plan_addresses(plan, addresses.get(current_id, []) if current_id else [])
            plan_methods(plan, methods.get(current_id, []) if current_id else [], currency)
            plans.append(plan)
        except AppError as exc:
            summary.fail(index, exc)
    await _apply(session, repo, plans, summary, changes)


def _group(rows: list[Row]) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row["customer_id"], []).append(row)
    return grouped


def _plan(
    store_id: int, matcher: Matcher, index: int, record: CustomerUpsert, row: Row | None
) -> Plan:
    given = record.model_fields_set
    wanted: dict[str, Any] = {
        name: getattr(record, name)
        for name in _PLAIN
        if name in given and getattr(record, name) is not None
    }
    wanted.update({name: getattr(record, name) for name in _NULLABLE if name in given})
    now = utcnow()
    if row is None:
        if record.external_id is None and record.email is None:
            raise RecordInvalid.field(
                "email", "missing", "A new customer needs an e-mail or an external_id."
            )
        consent = {}
        if record.accepts_marketing is not None:
            consent["marketing"] = _consent_entry(record.accepts_marketing, record.source, now)
        values = {
            "store_id": store_id,
            "source": record.source,
            "external_id": record.external_id,
            "email": None,
            "first_name": "",
            "last_name": "",
            "phone": None,
            "language": None,
            "accepts_marketing": False,
            "consent": consent,
            "preferences": {},
            "tags": [],
            **wanted,
        }
        return Plan(index, record, None, values=values)
    if record.external_id is not None and (row["source"], row["external_id"]) != (
        record.source,
        record.external_id,
    ):
        matcher.ensure_free(row["id"], external=(record.source, record.external_id))
        wanted.update(source=record.source, external_id=record.external_id)
    if wanted.get("email") and wanted["email"] != row["email"]:
        matcher.ensure_free(
            row["id"], natural=(wanted.get("source", row["source"]), wanted["email"])
        )
    changed = {k: v for k, v in wanted.items() if row[k] != v}
    if "accepts_marketing" in changed:
        consent = dict(row["consent"] or {})
        consent["marketing"] = _consent_entry(changed["accepts_marketing"], record.source, now)
        changed["consent"] = consent
    return Plan(index, record, row, values=changed, changed=sorted(changed))


def _consent_entry(granted: bool, source: str, at: Any) -> dict[str, Any]:
    return {"granted": granted, "at": at.isoformat(), "source": source}


async def _apply(
    session: AsyncSession,
    repo: CustomerRepository,
    plans: list[Plan],
    summary: UpsertSummary,
    changes: dict[int, list[str]],
) -> None:
    now = utcnow()
    new = [p for p in plans if p.row is None]
    if new:
        rows = [{**p.values, "created_at": now, "updated_at": now} for p in new]
        returned = await bulk_insert_returning(
            session, CUSTOMERS, rows, "id", "source", "external_id", "email"
        )
        ids: dict[tuple[str, str, str], int] = {}
        for customer_id, source, external_id, email in returned:
            key = (source, "external_id", external_id) if external_id else (source, "email", email)
            ids[key] = customer_id
        for plan in new:
            plan.customer_id = ids[plan.key]
    for plan in plans:
        if plan.row is not None:
            plan.customer_id = plan.row["id"]
    store_id = repo.store_id

    def _children(kind: str) -> list[dict[str, Any]]:
        return [
            {**item, "store_id": store_id, "customer_id": p.customer_id, "updated_at": now}
            for p in plans
            for item in getattr(p, kind)
        ]

    await repo.delete_rows(ADDRESSES, [i for p in plans for i in p.address_deletes])
    await bulk_update(session, ADDRESSES, [u for p in plans for u in p.address_updates])
    await bulk_insert(session, ADDRESSES, _children("address_inserts"))
    await bulk_update(session, PAYMENT_METHODS, [u for p in plans for u in p.method_updates])
    await bulk_insert(session, PAYMENT_METHODS, _children("method_inserts"))
    updates = [
        {"id": p.customer_id, **p.values, "updated_at": now}
        for p in plans
        if p.row is not None and p.changed
    ]
    await bulk_update(session, CUSTOMERS, updates)
    for plan in plans:
        assert plan.customer_id is not None
        if plan.row is None:
            summary.done(plan.index, UpsertStatus.CREATED, plan.customer_id)
        elif plan.changed:
            summary.done(plan.index, UpsertStatus.UPDATED, plan.customer_id)
            changes[plan.customer_id] = sorted(set(plan.changed))
        else:
            summary.done(plan.index, UpsertStatus.UNCHANGED, plan.customer_id)
