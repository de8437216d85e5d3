"""Brands: upserted on their own or made implicitly by name from product records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.catalog.errors import BrandNotFound, ExternalIdTaken, SlugTaken
from floorwalker.catalog.repository import BRANDS, CatalogRepository
from floorwalker.catalog.schemas import BrandUpsert
from floorwalker.catalog.taxonomy import record_upsert
from floorwalker.errors import AppError
from floorwalker.kit.actor import Actor
from floorwalker.kit.bulk import bulk_insert_returning, bulk_update
from floorwalker.kit.clock import utcnow
from floorwalker.kit.text import slugify
from floorwalker.kit.upsert import (
    BatchKeys,
    Keys,
    Matcher,
    RecordInvalid,
    Row,
    UpsertStatus,
    UpsertSummary,
    changed_fields,
    parse_record,
)


def _brand_matcher(rows: Sequence[Row]) -> Matcher:
    return Matcher(
        rows,
        natural_of=lambda r: r["slug"],
        not_found=BrandNotFound,
        natural_taken=SlugTaken,
        external_taken=ExternalIdTaken,
    )


async def ensure_brands(
    session: AsyncSession, store_id: int, names: Sequence[str], *, source: str
) -> dict[str, int]:
    """Brand ids by slug for the given names, creating the brands that do not exist."""
    wanted = {slugify(name): name for name in names}
    repo = CatalogRepository(session, store_id)
    found = {r["slug"]: r["id"] for r in await repo.brand_rows(slugs=list(wanted))}
    missing = [slug for slug in wanted if slug not in found]
    if missing:
        now = utcnow()
        rows = [
            {
                "store_id": store_id,
                "name": wanted[slug],
                "slug": slug,
                "source": source,
                "external_id": None,
                "created_at": now,
                "updated_at": now,
            }
            for slug in missing
        ]
        for brand_id, slug in await bulk_insert_returning(session, BRANDS, rows, "id", "slug"):
            found[slug] = brand_id
    return found


async def upsert_brands(
    session: AsyncSession, actor: Actor, records: Sequence[BrandUpsert | Mapping[str, Any]]
) -> UpsertSummary:
    """Create or update brands; renaming a brand marks its products changed."""
    summary = UpsertSummary()
    parsed: list[tuple[int, BrandUpsert]] = []
    for index, raw in enumerate(records):
        try:
            parsed.append((index, parse_record(BrandUpsert, raw)))
        except AppError as exc:
            summary.fail(index, exc)
    repo = CatalogRepository(session, actor.store_id)
    externals: dict[str, list[str]] = {}
    for _, r in parsed:
        if r.external_id:
            externals.setdefault(r.source, []).append(r.external_id)
    slugs = [r.slug or slugify(r.name or "") for _, r in parsed if r.slug or r.name]
    matcher = _brand_matcher(
        await repo.brand_rows(
            ids=[r.id for _, r in parsed if r.id], externals=externals, slugs=slugs
        )
    )
    batch = BatchKeys()
    renamed: list[int] = []
    now = utcnow()
    for index, record in parsed:
        try:
            status, brand_id = await _upsert_brand(session, actor, matcher, batch, index, record)
        except AppError as exc:
            summary.fail(index, exc)
            continue
        if status is UpsertStatus.UPDATED:
            renamed.append(brand_id)
        summary.done(index, status, brand_id)
    if renamed:
        await repo.touch_products(brand_ids=renamed, at=now)
    await record_upsert(session, actor, "brand", summary)
    return summary.sort()


async def _upsert_brand(
    session: AsyncSession,
    actor: Actor,
    matcher: Matcher,
    batch: BatchKeys,
    index: int,
    record: BrandUpsert,
) -> tuple[UpsertStatus, int]:
    external = (record.source, record.external_id) if record.external_id else None
    slug = record.slug or (slugify(record.name) if record.name else None)
    batch.claim(index, {"id": record.id, "external_id": external, "slug": slug})
    # A brand made implicitly by a product record (no external id) is adopted by name.
    row = matcher.match(Keys(record.id, external, slug))
    now = utcnow()
    if row is None:
        if record.name is None or slug is None:
            raise RecordInvalid.field("name", "missing", "A new brand needs a name.")
        matcher.ensure_free(None, natural=slug)
        values = {
            "store_id": actor.store_id,
            "name": record.name,
            "slug": slug,
            "source": record.source,
            "external_id": record.external_id,
            "created_at": now,
            "updated_at": now,
        }
        ((brand_id,),) = await bulk_insert_returning(session, BRANDS, [values], "id")
        matcher.remember({**values, "id": brand_id})
        return UpsertStatus.CREATED, brand_id
    wanted: dict[str, Any] = {}
    if record.name is not None:
        wanted["name"] = record.name
    if record.slug is not None:
        wanted["slug"] = record.slug
    if external is not None:
        wanted.update(source=record.source, external_id=record.external_id)
    changes = changed_fields(row, wanted)
    if not changes:
        return UpsertStatus.UNCHANGED, int(row["id"])
    matcher.ensure_free(row["id"], natural=changes.get("slug"), external=external)
    matcher.forget(row)
    row.update(changes)
    matcher.remember(row)
    await bulk_update(session, BRANDS, [{"id": row["id"], **changes, "updated_at": now}])
    return UpsertStatus.UPDATED, int(row["id"])


async def delete_brand(session: AsyncSession, actor: Actor, brand_id: int) -> None:
    """Delete a brand; its products keep existing without a brand."""
    repo = CatalogRepository(session, actor.store_id)
    await repo.touch_products(brand_ids=[brand_id])
    if not await repo.delete_row(BRANDS, brand_id):
        raise BrandNotFound(brand_id)
    await audit_service.record(
        session, actor, action="brand.delete", subject_type="brand", subject_id=brand_id
    )
