"""Batch writes of stock: locations and on-hand levels.

`set_levels` resolves every variant and location reference of a chunk with one query each,
loads the current levels of those variants with one more, then inserts and updates in bulk.
Products whose stock changed are marked changed so pollers (the search index) follow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.catalog import service as catalog_service
from floorwalker.catalog.errors import VariantNotFound
from floorwalker.errors import AppError
from floorwalker.inventory.errors import (
    LocationCodeTaken,
    LocationExternalIdTaken,
    LocationNotFound,
    LocationRequired,
    SkuAmbiguous,
)
from floorwalker.inventory.repository import LEVELS, LOCATIONS, InventoryRepository
from floorwalker.inventory.schemas import LevelSet, LocationUpsert
from floorwalker.kit.actor import Actor
from floorwalker.kit.bulk import bulk_insert_returning, bulk_update, keep_statistics_fresh
from floorwalker.kit.clock import utcnow
from floorwalker.kit.upsert import (
    BatchKeys,
    Keys,
    Matcher,
    RecordInvalid,
    Row,
    UpsertStatus,
    UpsertSummary,
    changed_fields,
    chunks,
    parse_record,
)

DEFAULT_LOCATION_CODE = "default"


def _location_matcher(rows: Sequence[Row]) -> Matcher:
    return Matcher(
        rows,
        natural_of=lambda r: r["code"],
        not_found=LocationNotFound,
        natural_taken=LocationCodeTaken,
        external_taken=LocationExternalIdTaken,
    )


async def upsert_locations(
    session: AsyncSession, actor: Actor, records: Sequence[LocationUpsert | Mapping[str, Any]]
) -> UpsertSummary:
    """Create or update stock locations (matched by id, `(source, external_id)`, then code)."""
    summary = UpsertSummary()
    matcher = _location_matcher(await InventoryRepository(session, actor.store_id).location_rows())
    batch = BatchKeys()
    for index, raw in enumerate(records):
        try:
            status, location_id = await _upsert_location(session, actor, matcher, batch, index, raw)
        except AppError as exc:
            summary.fail(index, exc)
            continue
        summary.done(index, status, location_id)
    await _audit(session, actor, "location", summary)
    return summary.sort()


async def _upsert_location(
    session: AsyncSession,
    actor: Actor,
    matcher: Matcher,
    batch: BatchKeys,
    index: int,
    raw: LocationUpsert | Mapping[str, Any],
) -> tuple[UpsertStatus, int]:
    record = parse_record(LocationUpsert, raw)
    external = (record.source, record.external_id) if record.external_id else None
    batch.claim(index, {"id": record.id, "external_id": external, "code": record.code})
    row = matcher.match(Keys(record.id, external, record.code))
    now = utcnow()
    if row is None:
        if record.code is None:
            raise RecordInvalid.field("code", "missing", "A new location needs a code.")
        values = {
            "store_id": actor.store_id,
            "code": record.code,
            "name": record.name or record.code,
            "active": True if record.active is None else record.active,
            "source": record.source,
            "external_id": record.external_id,
            "created_at": now,
            "updated_at": now,
        }
        ((location_id,),) = await bulk_insert_returning(session, LOCATIONS, [values], "id")
        matcher.remember({**values, "id": location_id})
        return UpsertStatus.CREATED, location_id
    wanted: dict[str, Any] = {
        k: getattr(record, k) for k in ("code", "name", "active") if getattr(record, k) is not None
    }
    if external is not None:
        wanted.update(source=record.source, external_id=record.external_id)
    changes = changed_fields(row, wanted)
    if not changes:
        return UpsertStatus.UNCHANGED, int(row["id"])
    matcher.ensure_free(row["id"], natural=changes.get("code"), external=external)
    matcher.forget(row)
    row.update(changes)
    matcher.remember(row)
    await bulk_update(session, LOCATIONS, [{"id": row["id"], **changes, "updated_at": now}])
    if "active" in changes:
        variant_ids = await InventoryRepository(session, actor.store_id).variant_ids_at(row["id"])
        await catalog_service.mark_changed(session, actor.store_id, variant_ids=variant_ids)
    return UpsertStatus.UPDATED, int(row["id"])


async def set_levels(
    session: AsyncSession, actor: Actor, records: Sequence[LevelSet | Mapping[str, Any]]
) -> UpsertSummary:
    """Set units on hand per variant and location, in chunks of 1,000; one audit entry."""
    summary = UpsertSummary()
    repo = InventoryRepository(session, actor.store_id)
    matcher = _location_matcher(await repo.location_rows())
    batch = BatchKeys()
    for offset, chunk in chunks(records):
        await _set_chunk(session, actor, repo, matcher, batch, offset, chunk, summary)
    await _audit(session, actor, "inventory_level", summary)
    if summary.created:
        await keep_statistics_fresh(session, ["inventory_levels"])
    return summary.sort()


async def _set_chunk(
    session: AsyncSession,
    actor: Actor,
    repo: InventoryRepository,
    locations: Matcher,
    batch: BatchKeys,
    offset: int,
    records: Sequence[LevelSet | Mapping[str, Any]],
    summary: UpsertSummary,
) -> None:
    parsed: list[tuple[int, LevelSet]] = []
    for position, raw in enumerate(records):
        try:
            parsed.append((offset + position, parse_record(LevelSet, raw)))
        except AppError as exc:
            summary.fail(offset + position, exc)
    variants = await _VariantRefs.load(session, actor.store_id, [r for _, r in parsed])
    resolved: list[tuple[int, LevelSet, int, int]] = []
    for index, record in parsed:
        try:
            variant_id = variants.resolve(record)
            location_id = await _location_of(session, actor.store_id, locations, record)
            batch.claim(index, {"variant and location": (variant_id, location_id)})
        except AppError as exc:
            summary.fail(index, exc)
            continue
        resolved.append((index, record, variant_id, location_id))
    current = {
        (row["variant_id"], row["location_id"]): row
        for row in await repo.level_rows({v for _, _, v, _ in resolved})
    }
    now = utcnow()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    touched: set[int] = set()
    for index, record, variant_id, location_id in resolved:
        row = current.get((variant_id, location_id))
        if row is None:
            inserts.append(
                {
                    "store_id": actor.store_id,
                    "variant_id": variant_id,
                    "location_id": location_id,
                    "on_hand": record.on_hand,
                    "reserved": 0,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            touched.add(variant_id)
        elif row["on_hand"] != record.on_hand:
            updates.append({"id": row["id"], "on_hand": record.on_hand, "updated_at": now})
            summary.done(index, UpsertStatus.UPDATED, row["id"])
            touched.add(variant_id)
        else:
            summary.done(index, UpsertStatus.UNCHANGED, row["id"])
    if inserts:
        created = {
            (variant_id, location_id): level_id
            for level_id, variant_id, location_id in await bulk_insert_returning(
                session, LEVELS, inserts, "id", "variant_id", "location_id"
            )
        }
        for index, _, variant_id, location_id in resolved:
            if (variant_id, location_id) not in current:
                summary.done(index, UpsertStatus.CREATED, created[(variant_id, location_id)])
    await bulk_update(session, LEVELS, updates)
    if touched:
        await catalog_service.mark_changed(session, actor.store_id, variant_ids=touched)


class _VariantRefs:
    """Variant references of a chunk, resolved with one query."""

    def __init__(self, rows: list[Row]) -> None:
        self.ids = {r["id"] for r in rows}
        self.by_sku: dict[str, list[int]] = {}
        self.by_external: dict[tuple[str, str], int] = {}
        for r in rows:
            if r["sku"] is not None:
                self.by_sku.setdefault(r["sku"], []).append(r["id"])
            if r["external_id"] is not None:
                self.by_external[(r["source"], r["external_id"])] = r["id"]

    @classmethod
    async def load(
        cls, session: AsyncSession, store_id: int, records: Sequence[LevelSet]
    ) -> _VariantRefs:
        """Resolve every variant reference of the records with one query."""
        externals: dict[str, set[str]] = {}
        for r in records:
            if r.variant_external_id is not None:
                externals.setdefault(r.source, set()).add(r.variant_external_id)
        rows = await catalog_service.resolve_variants(
            session,
            store_id,
            ids={r.variant_id for r in records if r.variant_id is not None},
            skus={r.sku for r in records if r.sku is not None},
            externals=externals,
        )
        return cls(rows)

    def resolve(self, record: LevelSet) -> int:
        """The variant id a record names; raises VariantNotFound or SkuAmbiguous."""
        if record.variant_id is not None:
            if record.variant_id not in self.ids:
                raise VariantNotFound(record.variant_id)
            return record.variant_id
        if record.sku is not None:
            ids = self.by_sku.get(record.sku, [])
            if not ids:
                raise VariantNotFound(f"sku:{record.sku}")
            if len(ids) > 1:
                raise SkuAmbiguous(record.sku, sorted(ids))
            return ids[0]
        assert record.variant_external_id is not None
        found = self.by_external.get((record.source, record.variant_external_id))
        if found is None:
            raise VariantNotFound(f"{record.source}:{record.variant_external_id}")
        return found


async def _location_of(
    session: AsyncSession, store_id: int, locations: Matcher, record: LevelSet
) -> int:
    if record.location_id is not None:
        if record.location_id not in locations.by_id:
            raise LocationNotFound(record.location_id)
        return record.location_id
    if record.location_code is not None:
        found = locations.by_natural.get(record.location_code)
        if found is None:
            raise LocationNotFound(record.location_code)
        return int(found["id"])
    if record.location_external_id is not None:
        found = locations.by_external.get((record.source, record.location_external_id))
        if found is None:
            raise LocationNotFound(f"{record.source}:{record.location_external_id}")
        return int(found["id"])
    if len(locations.by_id) > 1:
        raise LocationRequired
    if not locations.by_id:
        # A store that never named a location keeps its stock in one made on first use.
        now = utcnow()
        values = {
            "store_id": store_id,
            "code": DEFAULT_LOCATION_CODE,
            "name": "Default",
            "active": True,
            "source": "api",
            "external_id": None,
            "created_at": now,
            "updated_at": now,
        }
        ((location_id,),) = await bulk_insert_returning(session, LOCATIONS, [values], "id")
        locations.remember({**values, "id": location_id})
    return int(next(iter(locations.by_id)))


async def _audit(session: AsyncSession, actor: Actor, subject: str, summary: UpsertSummary) -> None:
    entry = summary.audit_entry()
    if entry is not None:
        await audit_service.record(
            session,
            actor,
            action=f"{subject}.upsert" if subject == "location" else f"{subject}.set",
            subject_type=subject,
            subject_id=entry[0],
            data=entry[1],
        )
