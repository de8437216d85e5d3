"""Batch upsert of products with their variants and images.

Per chunk of up to 1,000 records: one query loads the products the records name, one their
variants, one their images; brands and categories resolve in bulk; then new rows go in with
one multi-row INSERT per table and changed rows with one executemany UPDATE per column set.
Nothing is written for a record that fails; failing records never stop the others.

Matching, in order of precedence: `id`; `(source, external_id)`; `handle` (given, or made from
the title when the record has no id and no external id). Variants match within their product
by `id`, `external_id`, `sku`, then option values. A variant absent from a record that lists
variants is archived, not deleted: orders keep pointing at it, and listing it again revives it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.catalog.brands import ensure_brands
from floorwalker.catalog.errors import (
    CategoryNotFound,
    ExternalIdTaken,
    HandleTaken,
    ProductNotFound,
)
from floorwalker.catalog.product_plan import Context, Plan, plan_images, plan_product, plan_variants
from floorwalker.catalog.repository import IMAGES, PRODUCTS, VARIANTS, CatalogRepository
from floorwalker.catalog.schemas import ProductUpsert
from floorwalker.catalog.taxonomy import ensure_path, load_tree, record_upsert
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
from floorwalker.kit.text import slugify
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


async def upsert_products(
    session: AsyncSession,
    actor: Actor,
    records: Sequence[ProductUpsert | Mapping[str, Any]],
) -> UpsertSummary:
    """Create or update products with their variants and images, in chunks of 1,000.

    Records are `ProductUpsert` objects or plain mappings (validated here, so a bad record
    becomes a failed result instead of an exception). One audit entry covers the call.
    """
    store = await store_service.get_or_raise(session, actor.store_id)
    ctx = Context(store_id=actor.store_id, currency=store.currency)
    summary = UpsertSummary()
    changes: dict[int, list[str]] = {}
    batch = BatchKeys()
    for offset, chunk in chunks(records):
        saved = Checkpoint.take(summary, batch, changes)
        work = partial(_upsert_chunk, session, ctx, batch, offset, chunk, summary, changes)
        with gc_paused():
            await retry_once_on_conflict(session, work, partial(_undo, saved, ctx))
    await record_upsert(session, actor, "product", summary, changes)
    if summary.created:
        await keep_statistics_fresh(session, ["products", "variants", "product_images"])
    return summary.sort()


def _undo(saved: Checkpoint, ctx: Context) -> None:
    saved.restore()
    ctx.forget_created()


async def _upsert_chunk(
    session: AsyncSession,
    ctx: Context,
    batch: BatchKeys,
    offset: int,
    records: Sequence[ProductUpsert | Mapping[str, Any]],
    summary: UpsertSummary,
    changes: dict[int, list[str]],
) -> None:
    repo = CatalogRepository(session, ctx.store_id)
    parsed: list[tuple[int, ProductUpsert, str | None]] = []
    for position, raw in enumerate(records):
        index = offset + position
        try:
            record = parse_record(ProductUpsert, raw)
            parsed.append((index, record, _claim(batch, index, record)))
        except AppError as exc:
            summary.fail(index, exc)

    externals: dict[str, set[str]] = {}
    variant_externals: dict[str, set[str]] = {}
    handles: set[str] = set()
    for _, record, claimed in parsed:
        if record.external_id:
            externals.setdefault(record.source, set()).add(record.external_id)
        handles.update(h for h in (claimed, record.handle) if h)
        if record.title and record.handle is None:
            handles.add(slugify(record.title, max_length=240))
        for variant in record.variants or []:
            if variant.external_id:
                variant_externals.setdefault(record.source, set()).add(variant.external_id)
    matcher = Matcher(
        await repo.product_rows(
            ids={r.id for _, r, _ in parsed if r.id is not None},
            externals=externals,
            handles=handles,
        ),
        natural_of=lambda row: row["handle"],
        not_found=ProductNotFound,
        natural_taken=HandleTaken,
        external_taken=ExternalIdTaken,
    )
    matched: list[tuple[int, ProductUpsert, str | None, Row | None]] = []
    for index, record, claimed in parsed:
        try:
            external = (record.source, record.external_id) if record.external_id else None
            row = matcher.match(
                Keys(record.id, external, claimed, natural_given=record.handle is not None)
            )
            if row is not None:
                batch.claim(index, {"product": row["id"]})
            matched.append((index, record, claimed, row))
        except AppError as exc:
            summary.fail(index, exc)

    product_ids = [row["id"] for _, _, _, row in matched if row is not None]
    variants_of: dict[int, list[Row]] = {}
    for variant_row in await repo.variant_rows_of(product_ids):
        variants_of.setdefault(variant_row["product_id"], []).append(variant_row)
    # Variant external ids already on the matched products need no second look; the rest
    # must not belong to another product's variant.
    for variant_row in (v for rows in variants_of.values() for v in rows):
        if variant_row["external_id"] is not None:
            variant_externals.get(variant_row["source"], set()).discard(variant_row["external_id"])
    owners = {
        (v["source"], v["external_id"]): v["product_id"]
        for v in await repo.variant_refs(externals=variant_externals)
    }
    used_handles = {str(h) for h in matcher.by_natural} | {c for _, _, c, _ in matched if c}

    plans: list[Plan] = []
    for index, record, claimed, row in matched:
        try:
            plan = plan_product(ctx, matcher, used_handles, index, record, claimed, row)
            plan_variants(ctx, plan, variants_of.get(row["id"], []) if row else [], owners)
            plans.append(plan)
        except AppError as exc:
            summary.fail(index, exc)
    plans = await _resolve_references(session, ctx, plans, summary)
    plans = await _assign_free_handles(repo, plans, used_handles, summary)
    await _apply(session, ctx, repo, plans, variants_of, summary, changes)


def _claim(batch: BatchKeys, index: int, record: ProductUpsert) -> str | None:
    """Claim the record's keys in the batch; returns the handle it is keyed by, if any."""
    keyed = record.id is not None or record.external_id is not None
    claimed = record.handle
    if claimed is None and not keyed:
        if record.title is None:
            raise RecordInvalid.field(
                "title", "missing", "A product needs an id, an external_id, a handle or a title."
            )
        claimed = slugify(record.title, max_length=240)
    batch.claim(
        index,
        {
            "id": record.id,
            "external_id": (record.source, record.external_id) if record.external_id else None,
            "handle": claimed,
        },
    )
    for variant in record.variants or []:
        if variant.external_id:
            batch.claim(index, {"variant external_id": (record.source, variant.external_id)})
    return claimed


async def _resolve_references(
    session: AsyncSession, ctx: Context, plans: list[Plan], summary: UpsertSummary
) -> list[Plan]:
    """Fill brand and category ids; records naming a missing category fail here."""
    names = {p.record.brand for p in plans if p.record.brand}
    missing = [n for n in names if ctx.brand_slug(n) not in ctx.brands]
    if missing:
        ctx.brands.update(
            await ensure_brands(session, ctx.store_id, missing, source=plans[0].record.source)
        )
    kept: list[Plan] = []
    for plan in plans:
        record, given = plan.record, plan.record.model_fields_set
        try:
            wanted: dict[str, Any] = {}
            if "brand" in given:
                wanted["brand_id"] = (
                    ctx.brands[ctx.brand_slug(record.brand)] if record.brand else None
                )
            if {"category_id", "category_path", "category_external_id"} & given:
                wanted["category_id"] = await _category_id(session, ctx, record)
        except AppError as exc:
            summary.fail(plan.index, exc)
            continue
        if plan.row is None:
            plan.values.update(wanted)
        else:
            for name, value in wanted.items():
                if plan.row[name] != value:
                    plan.values[name] = value
                    plan.changed.append(name)
        kept.append(plan)
    return kept


async def _category_id(session: AsyncSession, ctx: Context, record: ProductUpsert) -> int | None:
    if ctx.tree is None:
        ctx.tree = await load_tree(session, ctx.store_id)
    tree = ctx.tree
    if record.category_path is not None:
        key = record.category_path.casefold()
        if key not in ctx.category_paths:
            ctx.category_paths[key] = await ensure_path(
                session, ctx.store_id, tree, record.category_path, source=record.source
            )
        return ctx.category_paths[key]
    if record.category_external_id is not None:
        found = tree.matcher.by_external.get((record.source, record.category_external_id))
        if found is None:
            raise CategoryNotFound(f"{record.source}:{record.category_external_id}")
        return int(found["id"])
    if record.category_id is not None and record.category_id not in tree.rows:
        raise CategoryNotFound(record.category_id)
    return record.category_id


async def _assign_free_handles(
    repo: CatalogRepository, plans: list[Plan], used: set[str], summary: UpsertSummary
) -> list[Plan]:
    """Give keyed new products without a handle one made from the title, made unique."""
    pending = [p for p in plans if p.row is None and not p.handle]
    if not pending:
        return plans
    bases = {p.index: slugify(p.record.title or "", max_length=240) for p in pending}
    candidates = {f"{base}-{n}" for base in bases.values() if base in used for n in range(2, 10)}
    taken = used | await repo.taken_handles(candidates)
    failed: set[int] = set()
    for plan in pending:
        base = bases[plan.index]
        options = [base, *(f"{base}-{n}" for n in range(2, 10))]
        options.append(f"{base}-{slugify(plan.record.external_id or '')}"[:255].rstrip("-"))
        handle = next((h for h in options if h not in taken), None)
        if handle is None:
            summary.fail(plan.index, HandleTaken(base))
            failed.add(plan.index)
            continue
        taken.add(handle)
        plan.handle = handle
        plan.values["handle"] = handle
    return [p for p in plans if p.index not in failed]


async def _apply(
    session: AsyncSession,
    ctx: Context,
    repo: CatalogRepository,
    plans: list[Plan],
    variants_of: dict[int, list[Row]],
    summary: UpsertSummary,
    changes: dict[int, list[str]],
) -> None:
    now = utcnow()
    new = [p for p in plans if p.row is None]
    if new:
        rows = [{**p.values, "created_at": now, "updated_at": now} for p in new]
        ids = {
            handle: product_id
            for product_id, handle in await bulk_insert_returning(
                session, PRODUCTS, rows, "id", "handle"
            )
        }
        for plan in new:
            plan.product_id = ids[plan.handle]
    for plan in plans:
        if plan.row is not None:
            plan.product_id = plan.row["id"]
    inserts = [
        {**v, "product_id": p.product_id, "created_at": now, "updated_at": now}
        for p in plans
        for v in p.variant_inserts
    ]
    await bulk_insert(session, VARIANTS, inserts)
    await bulk_update(session, VARIANTS, [u for p in plans for u in p.variant_updates])
    await _apply_images(session, ctx, repo, plans, variants_of)
    updates = [
        {"id": p.product_id, **p.values, "updated_at": now}
        for p in plans
        if p.row is not None and p.changed
    ]
    await bulk_update(session, PRODUCTS, updates)
    for plan in plans:
        assert plan.product_id is not None
        if plan.row is None:
            summary.done(plan.index, UpsertStatus.CREATED, plan.product_id)
        elif plan.changed:
            summary.done(plan.index, UpsertStatus.UPDATED, plan.product_id)
            changes[plan.product_id] = sorted(set(plan.changed))
        else:
            summary.done(plan.index, UpsertStatus.UNCHANGED, plan.product_id)


async def _apply_images(
    session: AsyncSession,
    ctx: Context,
    repo: CatalogRepository,
    plans: list[Plan],
    variants_of: dict[int, list[Row]],
) -> None:
    with_images = [p for p in plans if p.record.images is not None]
    if not with_images:
        return
    ids = [p.product_id for p in with_images if p.product_id is not None]
    current: dict[int, list[Row]] = {}
    for image in await repo.image_rows_of(ids):
        current.setdefault(image["product_id"], []).append(image)
    skus: dict[int, dict[str, int]] = {}
    if any(img.variant_sku for p in with_images for img in p.record.images or []):
        for variant in await repo.variant_rows_of(ids):
            if variant["sku"]:
                skus.setdefault(variant["product_id"], {})[variant["sku"]] = variant["id"]
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    deletes: list[int] = []
    for plan in with_images:
        assert plan.product_id is not None
        before = len(inserts) + len(updates) + len(deletes)
        plan_images(
            ctx,
            plan.product_id,
            plan.record.images or [],
            current.get(plan.product_id, []),
            skus.get(plan.product_id, {}),
            inserts,
            updates,
            deletes,
        )
        if plan.row is not None and len(inserts) + len(updates) + len(deletes) > before:
            plan.changed.append("images")
    await repo.delete_images(deletes)
    await bulk_insert(session, IMAGES, inserts)
    await bulk_update(session, IMAGES, updates)
