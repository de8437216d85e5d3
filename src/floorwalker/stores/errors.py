"""Errors of the stores context."""

from __future__ import annotations

from floorwalker.errors import AppError, Conflict, Forbidden, NotFound


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


class IdentityKeysFileNotAllowed(StoreError, Forbidden):
    """A JWKS file path names a file on the server: only the operator (CLI) may set one."""

    code = "identity_keys_file_not_allowed"

    def __init__(self) -> None:
        super().__init__(
            "A key-set file on the server can only be set by the operator "
            "(`floorwalker chat identity-keys --jwks-file`); give jwks or jwks_url instead."
        )
