"""Queries of the knowledge context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, delete, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.knowledge.models import Article

Row = dict[str, Any]

ARTICLES = cast(Table, Article.__table__)


class KnowledgeRepository:
    """Reads and writes articles of one store."""

    def __init__(self, session: AsyncSession, store_id: int) -> None:
        self.session = session
        self.store_id = store_id

    async def get(self, article_id: int) -> Article | None:
        """An article of the store, or None."""
        return await self.session.scalar(
            select(Article)
            .where(Article.store_id == self.store_id, Article.id == article_id)
            .execution_options(populate_existing=True)
        )

    async def list_page(
        self,
        *,
        after_id: int,
        limit: int,
        kind: str | None = None,
        published: bool | None = None,
        slug: str | None = None,
        source: str | None = None,
        external_id: str | None = None,
        updated_since: dt.datetime | None = None,
    ) -> list[Article]:
        """A page of articles in id order, filtered."""
        query = select(Article).where(Article.store_id == self.store_id, Article.id > after_id)
        if kind is not None:
            query = query.where(Article.kind == kind)
        if published is not None:
            query = query.where(Article.published.is_(published))
        if slug is not None:
            query = query.where(Article.slug == slug)
        if source is not None:
            query = query.where(Article.source == source)
        if external_id is not None:
            query = query.where(Article.external_id == external_id)
        if updated_since is not None:
            query = query.where(Article.updated_at >= updated_since)
        rows = await self.session.scalars(query.order_by(Article.id).limit(limit))
        return list(rows.all())

    async def rows(
        self,
        *,
        ids: Collection[int],
        externals: Mapping[str, Collection[str]],
        slugs: Collection[str],
    ) -> list[Row]:
        """Articles named by id, `(source, external_id)` or slug, as dicts."""
        conditions: list[ColumnElement[bool]] = []
        if ids:
            conditions.append(ARTICLES.c.id.in_(list(ids)))
        for source, values in externals.items():
            conditions.append(
                and_(ARTICLES.c.source == source, ARTICLES.c.external_id.in_(list(values)))
            )
        if slugs:
            conditions.append(ARTICLES.c.slug.in_(list(slugs)))
        rows = await self.session.execute(
            select(ARTICLES).where(
                ARTICLES.c.store_id == self.store_id,
                or_(*conditions) if conditions else false(),
            )
        )
        return [dict(r._mapping) for r in rows]

    async def delete(self, article_id: int) -> int:
        """Delete an article of the store; returns rows deleted (0 or 1)."""
        result = await self.session.execute(
            delete(ARTICLES).where(
                ARTICLES.c.store_id == self.store_id, ARTICLES.c.id == article_id
            )
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
