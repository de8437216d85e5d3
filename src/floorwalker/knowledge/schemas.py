"""Pydantic schemas of the knowledge context: articles the assistant answers from."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field, field_validator

from floorwalker.kit.schemas import InputSchema, Schema
from floorwalker.kit.text import unique_strings
from floorwalker.kit.upsert import RecordId


class ArticleKind(StrEnum):
    """policy: rules the store applies; faq: a question and its answer; page: anything else."""

    POLICY = "policy"
    FAQ = "faq"
    PAGE = "page"


class ArticleUpsert(InputSchema):
    """An article, matched by id, `(source, external_id)`, then slug (made from the title)."""

    id: RecordId | None = None
    source: str = Field(default="api", pattern=r"^[a-z0-9][a-z0-9_.-]{0,31}$")
    external_id: str | None = Field(default=None, min_length=1, max_length=255)
    kind: ArticleKind | None = Field(default=None, description="Required for a new article.")
    slug: str | None = Field(default=None, min_length=1, max_length=200, pattern=r"^[a-z0-9-]+$")
    title: str | None = Field(default=None, min_length=1, max_length=500)
    body: str | None = Field(default=None, max_length=200_000)
    tags: list[str] | None = None
    published: bool | None = None

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else unique_strings(value)


class Article(Schema):
    """A store knowledge article."""

    id: int
    kind: str
    slug: str
    title: str
    body: str
    tags: list[str]
    published: bool
    source: str
    external_id: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class ArticleUpserted(Schema):
    """The result of upserting one article."""

    status: str
    article: Article
