"""Store knowledge articles (policies, FAQ, pages): upsert and read."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Response

from floorwalker.api.deps import AdminActor, ReadActor, SessionDep, WriteActor
from floorwalker.api.params import IdPath
from floorwalker.kit.clock import ensure_aware
from floorwalker.kit.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from floorwalker.kit.upsert import MAX_ID, BatchRequest, UpsertStatus, UpsertSummary
from floorwalker.knowledge import schemas
from floorwalker.knowledge import service as knowledge_service

#: Ids in paths and filters: larger numbers than a row id can hold are a 422, not a crash.
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]

router = APIRouter(tags=["knowledge"])


@router.get("/articles", response_model=Page[schemas.Article])
async def list_articles(
    actor: ReadActor,
    session: SessionDep,
    kind: schemas.ArticleKind | None = None,
    published: bool | None = None,
    slug: str | None = None,
    source: str | None = None,
    external_id: str | None = None,
    updated_since: dt.datetime | None = None,
    cursor: str | None = None,
    limit: int = Query(default=50, ge=1, le=500),
) -> Page[schemas.Article]:
    """List knowledge articles, oldest first."""
    size = clamp_limit(limit)
    articles = await knowledge_service.list_articles(
        session,
        actor.store_id,
        after_id=decode_cursor(cursor),
        limit=size + 1,
        kind=kind.value if kind else None,
        published=published,
        slug=slug,
        source=source,
        external_id=external_id,
        updated_since=ensure_aware(updated_since) if updated_since else None,
    )
    items = [schemas.Article.model_validate(a) for a in articles[:size]]
    more = len(articles) > size
    return Page[schemas.Article](
        items=items, next_cursor=encode_cursor(items[-1].id) if more else None
    )


@router.get("/articles/{article_id}", response_model=schemas.Article)
async def read_article(
    article_id: IdPath, actor: ReadActor, session: SessionDep
) -> schemas.Article:
    """Read a knowledge article."""
    article = await knowledge_service.get_or_raise(session, actor.store_id, article_id)
    return schemas.Article.model_validate(article)


@router.post("/articles", response_model=schemas.ArticleUpserted)
async def upsert_article(
    data: schemas.ArticleUpsert, actor: WriteActor, session: SessionDep, response: Response
) -> schemas.ArticleUpserted:
    """Create or update an article (matched by id, source + external_id, then slug)."""
    status, article = await knowledge_service.upsert_article(session, actor, data)
    response.status_code = 201 if status is UpsertStatus.CREATED else 200
    return schemas.ArticleUpserted(
        status=status.value, article=schemas.Article.model_validate(article)
    )


@router.patch("/articles/{article_id}", response_model=schemas.ArticleUpserted)
async def update_article(
    article_id: IdPath, data: schemas.ArticleUpsert, actor: WriteActor, session: SessionDep
) -> schemas.ArticleUpserted:
    """Change the fields of an article that the body carries."""
    record = data.model_copy(update={"id": article_id})
    status, article = await knowledge_service.upsert_article(session, actor, record)
    return schemas.ArticleUpserted(
        status=status.value, article=schemas.Article.model_validate(article)
    )


@router.post("/articles/batch", response_model=UpsertSummary)
async def upsert_articles(
    data: BatchRequest, actor: WriteActor, session: SessionDep
) -> UpsertSummary:
    """Create or update up to 1,000 articles."""
    return await knowledge_service.upsert_articles(session, actor, data.checked())


@router.delete("/articles/{article_id}", status_code=204)
async def delete_article(article_id: IdPath, actor: AdminActor, session: SessionDep) -> None:
    """Delete an article."""
    await knowledge_service.delete_article(session, actor, article_id)
