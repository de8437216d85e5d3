"""Categories (a tree whose paths are kept in step) and brands.

A category's `path` is the names from the root down joined with " > ". Renaming or moving a
category rewrites the paths of its whole subtree and marks the products filed there as
changed, so pollers (the search index) pick up the new paths.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.catalog.errors import (
    CategoryCycle,
    CategoryNotFound,
    ExternalIdTaken,
    SlugTaken,
)
from floorwalker.catalog.repository import CATEGORIES, CatalogRepository
from floorwalker.catalog.schemas import CategoryUpsert
from floorwalker.errors import AppError, Conflict
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

PATH_SEPARATOR = " > "
#: The longest path the column holds.
MAX_PATH = 1000


class CategoryNameTaken(Conflict):
    """Two categories under one parent cannot share a name (paths would be ambiguous)."""

    code = "category_name_taken"

    def __init__(self, path: str) -> None:
        super().__init__(f"A category {path!r} already exists.", path=path)


def split_path(path: str) -> list[str]:
    """Category names of a path: "Women > Dresses" → ["Women", "Dresses"]."""
    return [part.strip() for part in path.split(">") if part.strip()]


class CategoryTree:
    """Every category of a store in memory, with paths computed from the parent links."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows: dict[int, Row] = {r["id"]: r for r in rows}
        self.matcher = _category_matcher(rows)

    def children(self, parent_id: int | None) -> list[Row]:
        """Direct children of a category (or the roots)."""
        return [r for r in self.rows.values() if r["parent_id"] == parent_id]

    def child_named(self, parent_id: int | None, name: str) -> Row | None:
        """The child of `parent_id` with this name (case-insensitive), or None."""
        folded = name.casefold()
        return next((r for r in self.children(parent_id) if r["name"].casefold() == folded), None)

    def path_of(self, parent_id: int | None, name: str) -> str:
        """The path a category named `name` has under `parent_id`; raises if too long."""
        path = (
            name if parent_id is None else f"{self.rows[parent_id]['path']}{PATH_SEPARATOR}{name}"
        )
        if len(path) > MAX_PATH:
            raise RecordInvalid.field(
                "name", "path_too_long", f"A category path holds at most {MAX_PATH} characters."
            )
        return path

    def subtree(self, category_id: int) -> list[int]:
        """The category and all its descendants, parents before children."""
        order = [category_id]
        for current in order:
            order.extend(r["id"] for r in self.children(current))
        return order

    def descendants_or_self(self, category_id: int) -> list[int]:
        """Ids of the category and everything under it."""
        return self.subtree(category_id)

    def find(self, *, path: str) -> Row | None:
        """The category at `path` (names compared case-insensitively), or None."""
        parent: Row | None = None
        for name in split_path(path):
            parent = self.child_named(parent["id"] if parent else None, name)
            if parent is None:
                return None
        return parent

    def repath(self, category_id: int) -> list[Row]:
        """Recompute paths of a subtree; returns the rows whose path changed."""
        changed = []
        for node_id in self.subtree(category_id):
            row = self.rows[node_id]
            path = self.path_of(row["parent_id"], row["name"])
            if row["path"] != path:
                row["path"] = path
                changed.append(row)
        return changed


def _category_matcher(rows: Sequence[Row]) -> Matcher:
    return Matcher(
        rows,
        natural_of=lambda r: r["slug"],
        not_found=CategoryNotFound,
        natural_taken=SlugTaken,
        external_taken=ExternalIdTaken,
    )


async def load_tree(session: AsyncSession, store_id: int) -> CategoryTree:
    """The store's category tree."""
    return CategoryTree(await CatalogRepository(session, store_id).category_rows())


async def _insert_category(
    session: AsyncSession, store_id: int, tree: CategoryTree, values: dict[str, Any]
) -> Row:
    now = utcnow()
    row = {"store_id": store_id, "created_at": now, "updated_at": now, **values}
    ((new_id,),) = await bulk_insert_returning(session, CATEGORIES, [row], "id")
    row["id"] = new_id
    tree.rows[new_id] = row
    tree.matcher.remember(row)
    return row


def _free_slug(tree: CategoryTree, wanted: str) -> str:
    wanted = wanted[:190].rstrip("-")  # room for a "-n" suffix within the column
    slug, n = wanted, 2
    while slug in tree.matcher.by_natural:
        slug, n = f"{wanted}-{n}", n + 1
    return slug


async def ensure_path(
    session: AsyncSession, store_id: int, tree: CategoryTree, path: str, *, source: str
) -> int | None:
    """The id of the category at `path`, creating the missing part of the chain."""
    parent: Row | None = None
    for name in split_path(path):
        if len(name) > 200:
            raise RecordInvalid.field(
                "category_path", "category_name_too_long", "A category name holds 200 characters."
            )
        parent_id = parent["id"] if parent else None
        found = tree.child_named(parent_id, name)
        if found is None:
            full = tree.path_of(parent_id, name)
            found = await _insert_category(
                session,
                store_id,
                tree,
                {
                    "parent_id": parent_id,
                    "name": name,
                    "slug": _free_slug(tree, slugify(full)),
                    "path": full,
                    "position": 0,
                    "source": source,
                    "external_id": None,
                },
            )
        parent = found
    return parent["id"] if parent else None


async def upsert_categories(
    session: AsyncSession,
    actor: Actor,
    records: Sequence[CategoryUpsert | Mapping[str, Any]],
) -> UpsertSummary:
    """Create or update categories in order (a record may name a parent made earlier)."""
    summary = UpsertSummary()
    tree = await load_tree(session, actor.store_id)
    batch = BatchKeys()
    repathed: set[int] = set()
    for index, raw in enumerate(records):
        try:
            record = parse_record(CategoryUpsert, raw)
            external = (record.source, record.external_id) if record.external_id else None
            batch.claim(index, {"id": record.id, "external_id": external, "slug": record.slug})
            status, row, moved = await _upsert_category(session, actor.store_id, tree, record)
        except AppError as exc:
            summary.fail(index, exc)
            continue
        repathed.update(moved)
        summary.done(index, status, row["id"])
    if repathed:
        await CatalogRepository(session, actor.store_id).touch_products(category_ids=repathed)
    await record_upsert(session, actor, "category", summary)
    return summary.sort()


async def _upsert_category(
    session: AsyncSession, store_id: int, tree: CategoryTree, record: CategoryUpsert
) -> tuple[UpsertStatus, Row, list[int]]:
    fields = record.model_fields_set
    external = (record.source, record.external_id) if record.external_id else None
    natural = record.slug
    row = tree.matcher.match(Keys(record.id, external, natural, natural_given=True))
    parent_given = bool({"parent_id", "parent_external_id", "parent_slug"} & fields)
    parent_id = _parent_of(tree, record) if parent_given else (row or {}).get("parent_id")
    if row is None and record.name is not None:
        row = _adoptable(tree, parent_id, record)
    if row is None:
        if record.name is None:
            raise RecordInvalid.field("name", "missing", "A new category needs a name.")
        path = tree.path_of(parent_id, record.name)
        slug = record.slug or _free_slug(tree, slugify(path))
        created = await _insert_category(
            session,
            store_id,
            tree,
            {
                "parent_id": parent_id,
                "name": record.name,
                "slug": slug,
                "path": path,
                "position": record.position or 0,
                "source": record.source,
                "external_id": record.external_id,
            },
        )
        return UpsertStatus.CREATED, created, []
    wanted: dict[str, Any] = {"parent_id": parent_id}
    if record.name is not None:
        wanted["name"] = record.name
    if record.slug is not None:
        wanted["slug"] = record.slug
    if record.position is not None:
        wanted["position"] = record.position
    if external is not None:
        wanted.update(source=record.source, external_id=record.external_id)
    changes = changed_fields(row, wanted)
    if not changes:
        return UpsertStatus.UNCHANGED, row, []
    tree.matcher.ensure_free(row["id"], natural=changes.get("slug"), external=external)
    if parent_id is not None and parent_id in tree.subtree(row["id"]):
        raise CategoryCycle(row["id"])
    name = str(changes.get("name", row["name"]))
    # Check the longest path below before changing anything in memory.
    new_path = tree.path_of(parent_id, name)
    deepest = max(len(tree.rows[i]["path"]) for i in tree.subtree(row["id"]))
    if deepest - len(row["path"]) + len(new_path) > MAX_PATH:
        raise RecordInvalid.field(
            "name", "path_too_long", f"A category path holds at most {MAX_PATH} characters."
        )
    sibling = tree.child_named(parent_id, name)
    if sibling is not None and sibling["id"] != row["id"]:
        raise CategoryNameTaken(tree.path_of(parent_id, name))
    tree.matcher.forget(row)
    row.update(changes)
    tree.matcher.remember(row)
    now = utcnow()
    moved = tree.repath(row["id"])
    updates = [{"id": r["id"], "path": r["path"], "updated_at": now} for r in moved]
    updates = [u for u in updates if u["id"] != row["id"]]
    await bulk_update(session, CATEGORIES, updates)
    await bulk_update(
        session,
        CATEGORIES,
        [{"id": row["id"], **changes, "path": row["path"], "updated_at": now}],
    )
    row["updated_at"] = now
    return UpsertStatus.UPDATED, row, [r["id"] for r in moved]


def _adoptable(tree: CategoryTree, parent_id: int | None, record: CategoryUpsert) -> Row | None:
    """A same-named sibling made implicitly (from a product's category path) or by another
    source is the category this record means; one linked to another record of the same
    source is a clash."""
    assert record.name is not None
    sibling = tree.child_named(parent_id, record.name)
    if sibling is None:
        return None
    if sibling["external_id"] is not None and sibling["source"] == record.source:
        raise CategoryNameTaken(tree.path_of(parent_id, record.name))
    return sibling


def _parent_of(tree: CategoryTree, record: CategoryUpsert) -> int | None:
    if record.parent_id is not None:
        if record.parent_id not in tree.rows:
            raise CategoryNotFound(record.parent_id)
        return record.parent_id
    if record.parent_external_id is not None:
        found = tree.matcher.by_external.get((record.source, record.parent_external_id))
        if found is None:
            raise CategoryNotFound(f"{record.source}:{record.parent_external_id}")
        return int(found["id"])
    if record.parent_slug is not None:
        found = tree.matcher.by_natural.get(record.parent_slug)
        if found is None:
            raise CategoryNotFound(record.parent_slug)
        return int(found["id"])
    return None


async def delete_category(session: AsyncSession, actor: Actor, category_id: int) -> None:
    """Delete a category: its children move up to its parent, its products lose it."""
    tree = await load_tree(session, actor.store_id)
    row = tree.rows.get(category_id)
    if row is None:
        raise CategoryNotFound(category_id)
    repo = CatalogRepository(session, actor.store_id)
    affected = tree.subtree(category_id)
    await repo.touch_products(category_ids=affected)
    now = utcnow()
    updates = []
    for child in tree.children(category_id):
        child["parent_id"] = row["parent_id"]
        updates.append({"id": child["id"], "parent_id": row["parent_id"], "updated_at": now})
    await bulk_update(session, CATEGORIES, updates)
    del tree.rows[category_id]
    moved = [r for child in tree.children(row["parent_id"]) for r in tree.repath(child["id"])]
    await bulk_update(
        session, CATEGORIES, [{"id": r["id"], "path": r["path"], "updated_at": now} for r in moved]
    )
    await repo.delete_row(CATEGORIES, category_id)
    await audit_service.record(
        session,
        actor,
        action="category.delete",
        subject_type="category",
        subject_id=category_id,
        data={"path": row["path"]},
    )


async def record_upsert(
    session: AsyncSession,
    actor: Actor,
    subject: str,
    summary: UpsertSummary,
    changes: Mapping[int, list[str]] | None = None,
) -> None:
    """Audit an upsert call with one entry (none when it changed nothing)."""
    entry = summary.audit_entry(changes)
    if entry is not None:
        await audit_service.record(
            session,
            actor,
            action=f"{subject}.upsert",
            subject_type=subject,
            subject_id=entry[0],
            data=entry[1],
        )
