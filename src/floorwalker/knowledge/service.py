"""Rules of the knowledge context: the store's policy pages, FAQ and other pages.

The assistant reads published articles (`published_articles`); retailers and connectors load
them with `upsert_articles`, matched by id, `(source, external_id)`, then slug.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.errors import AppError
from floorwalker.kit.actor import Actor
from floorwalker.kit.bulk import bulk_insert_returning, bulk_update, retry_once_on_conflict
from floorwalker.kit.clock import utcnow
from floorwalker.kit.text import slugify
from floorwalker.kit.upsert import (
    BatchKeys,
    Checkpoint,
    Keys,
    Matcher,
    RecordInvalid,
    UpsertStatus,
    UpsertSummary,
    changed_fields,
    chunks,
    parse_record,
)
from floorwalker.knowledge.errors import ArticleExternalIdTaken, ArticleNotFound, ArticleSlugTaken
from floorwalker.knowledge.models import Article
from floorwalker.knowledge.repository import ARTICLES, KnowledgeRepository
from floorwalker.knowledge.schemas import ArticleUpsert

_FIELDS = ("kind", "title", "body", "tags", "published")


async def upsert_articles(
    session: AsyncSession, actor: Actor, records: Sequence[ArticleUpsert | Mapping[str, Any]]
) -> UpsertSummary:
    """Create or update articles in chunks of 1,000; one audit entry for the call."""
    summary = UpsertSummary()
    batch = BatchKeys()
    changes: dict[int, list[str]] = {}
    for offset, chunk in chunks(records):
        saved = Checkpoint.take(summary, batch, changes)
        work = partial(_upsert_chunk, session, actor, batch, offset, chunk, summary, changes)
        await retry_once_on_conflict(session, work, saved.restore)
    entry = summary.audit_entry(changes)
    if entry is not None:
        await audit_service.record(
            session,
            actor,
            action="article.upsert",
            subject_type="article",
            subject_id=entry[0],
            data=entry[1],
        )
    return summary.sort()


async def _upsert_chunk(
    session: AsyncSession,
    actor: Actor,
    batch: BatchKeys,
    offset: int,
    records: Sequence[ArticleUpsert | Mapping[str, Any]],
    summary: UpsertSummary,
    changes: dict[int, list[str]],
) -> None:
    parsed: list[tuple[int, ArticleUpsert, str | None]] = []
    for position, raw in enumerate(records):
        index = offset + position
        try:
            record = parse_record(ArticleUpsert, raw)
            slug = record.slug or (slugify(record.title) if record.title else None)
            external = (record.source, record.external_id) if record.external_id else None
            batch.claim(index, {"id": record.id, "external_id": external, "slug": slug})
            parsed.append((index, record, slug))
        except AppError as exc:
            summary.fail(index, exc)
    externals: dict[str, set[str]] = {}
    for _, record, _ in parsed:
        if record.external_id:
            externals.setdefault(record.source, set()).add(record.external_id)
    repo = KnowledgeRepository(session, actor.store_id)
    matcher = Matcher(
        await repo.rows(
            ids={r.id for _, r, _ in parsed if r.id is not None},
            externals=externals,
            slugs={s for _, _, s in parsed if s},
        ),
        natural_of=lambda row: row["slug"],
        not_found=ArticleNotFound,
        natural_taken=ArticleSlugTaken,
        external_taken=ArticleExternalIdTaken,
    )
    now = utcnow()
    inserts: list[tuple[int, dict[str, Any]]] = []
    updates: list[dict[str, Any]] = []
    for index, record, slug in parsed:
        try:
            external = (record.source, record.external_id) if record.external_id else None
            row = matcher.match(Keys(record.id, external, slug, natural_given=True))
            if row is None:
                values = _new_article(actor.store_id, record, slug, now)
                matcher.ensure_free(None, natural=values["slug"])
                matcher.remember({**values, "id": -index - 1})
                inserts.append((index, values))
                continue
            batch.claim(index, {"article": row["id"]})
            changed = _changes(matcher, record, row)
        except AppError as exc:
            summary.fail(index, exc)
            continue
        if changed:
            updates.append({"id": row["id"], **changed, "updated_at": now})
            changes[row["id"]] = sorted(changed)
            summary.done(index, UpsertStatus.UPDATED, row["id"])
        else:
            summary.done(index, UpsertStatus.UNCHANGED, row["id"])
    await bulk_update(session, ARTICLES, updates)
    if inserts:
        returned = await bulk_insert_returning(
            session, ARTICLES, [v for _, v in inserts], "id", "slug"
        )
        ids = {slug: article_id for article_id, slug in returned}
        for index, values in inserts:
            summary.done(index, UpsertStatus.CREATED, ids[values["slug"]])


def _new_article(
    store_id: int, record: ArticleUpsert, slug: str | None, now: dt.datetime
) -> dict[str, Any]:
    missing = [name for name in ("kind", "title", "body") if getattr(record, name) is None]
    if missing:
        raise RecordInvalid(
            [
                {"loc": [name], "msg": "Field required for a new article", "type": "missing"}
                for name in missing
            ]
        )
    assert record.kind is not None
    assert slug is not None
    return {
        "store_id": store_id,
        "kind": record.kind.value,
        "slug": slug,
        "title": record.title,
        "body": record.body,
        "tags": record.tags or [],
        "published": True if record.published is None else record.published,
        "source": record.source,
        "external_id": record.external_id,
        "created_at": now,
        "updated_at": now,
    }


def _changes(matcher: Matcher, record: ArticleUpsert, row: dict[str, Any]) -> dict[str, Any]:
    wanted: dict[str, Any] = {
        name: getattr(record, name) for name in _FIELDS if getattr(record, name) is not None
    }
    if "kind" in wanted:
        wanted["kind"] = wanted["kind"].value
    if record.slug is not None:
        wanted["slug"] = record.slug
    if record.external_id is not None:
        wanted.update(source=record.source, external_id=record.external_id)
    changed = changed_fields(row, wanted)
    if changed:
        external = (
            (record.source, record.external_id)
            if record.external_id is not None and "external_id" in changed
            else None
        )
        matcher.ensure_free(row["id"], natural=changed.get("slug"), external=external)
        matcher.forget(row)
        row.update(changed)
        matcher.remember(row)
    return changed


async def upsert_article(
    session: AsyncSession, actor: Actor, record: ArticleUpsert | Mapping[str, Any]
) -> tuple[UpsertStatus, Article]:
    """Create or update one article; raises the record's error if it is refused."""
    result = (await upsert_articles(session, actor, [record])).one()
    assert result.id is not None
    return result.status, await get_or_raise(session, actor.store_id, result.id)


async def get_or_raise(session: AsyncSession, store_id: int, article_id: int) -> Article:
    """An article of the store; raises ArticleNotFound."""
    article = await KnowledgeRepository(session, store_id).get(article_id)
    if article is None:
        raise ArticleNotFound(article_id)
    return article


async def list_articles(
    session: AsyncSession,
    store_id: int,
    *,
    after_id: int = 0,
    limit: int = 50,
    kind: str | None = None,
    published: bool | None = None,
    slug: str | None = None,
    source: str | None = None,
    external_id: str | None = None,
    updated_since: dt.datetime | None = None,
) -> list[Article]:
    """A page of articles in id order, filtered."""
    return await KnowledgeRepository(session, store_id).list_page(
        after_id=after_id,
        limit=limit,
        kind=kind,
        published=published,
        slug=slug,
        source=source,
        external_id=external_id,
        updated_since=updated_since,
    )


async def published_articles(
    session: AsyncSession, store_id: int, *, kind: str | None = None
) -> list[Article]:
    """Every published article of the store (optionally of one kind), in id order."""
    found: list[Article] = []
    after_id = 0
    while True:
        page = await list_articles(
            session, store_id, after_id=after_id, limit=500, kind=kind, published=True
        )
        found.extend(page)
        if len(page) < 500:
            return found
        after_id = page[-1].id


async def delete_article(session: AsyncSession, actor: Actor, article_id: int) -> None:
    """Delete an article."""
    article = await get_or_raise(session, actor.store_id, article_id)
    slug = article.slug
    session.expunge(article)
    await KnowledgeRepository(session, actor.store_id).delete(article_id)
    await audit_service.record(
        session,
        actor,
        action="article.delete",
        subject_type="article",
        subject_id=article_id,
        data={"slug": slug},
    )
