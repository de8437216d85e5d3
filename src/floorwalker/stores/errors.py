"""Errors of the stores context."""

from __future__ import annotations

from floorwalker.errors import AppError, Conflict, NotFound


class StoreError(AppError):
    """Base of the stores family."""


class StoreNotFound(StoreError, NotFound):
    """No store with that id or slug."""

    code = "store_not_found"

    def __init__(self, ref: int | str) -> None:
        super().__init__(f"Store {ref!r} not found.", store=str(ref))


class StoreSlugTaken(StoreError, Conflict):
    """Another store already uses the slug."""

    code = "store_slug_taken"

    def __init__(self, slug: str) -> None:
        super().__init__(f"A store with slug {slug!r} already exists.", slug=slug)
