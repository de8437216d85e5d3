"""Errors of the knowledge context."""

from __future__ import annotations

from floorwalker.errors import AppError, Conflict, NotFound


class KnowledgeError(AppError):
    """Base of the knowledge family."""


class ArticleNotFound(KnowledgeError, NotFound):
    """No article with that id or slug in the store."""

    code = "article_not_found"

    def __init__(self, ref: int | str) -> None:
        super().__init__(f"Article {ref} not found.", article=str(ref))


class ArticleSlugTaken(KnowledgeError, Conflict):
    """Another article of the store already has this slug."""

    code = "slug_taken"

    def __init__(self, slug: object) -> None:
        super().__init__(f"Another article already has the slug {slug!r}.", slug=slug)


class ArticleExternalIdTaken(KnowledgeError, Conflict):
    """Another article is already linked to this `(source, external_id)`."""

    code = "external_id_taken"

    def __init__(self, source: str, external_id: str) -> None:
        super().__init__(
            f"Another article is already linked to {source}:{external_id}.",
            source=source,
            external_id=external_id,
        )
