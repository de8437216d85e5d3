"""Errors of the auth context."""

from __future__ import annotations

from floorwalker.errors import Forbidden, NotFound, Unauthenticated


class MissingCredentials(Unauthenticated):
    """The request carries no API key."""

    code = "missing_credentials"

    def __init__(self) -> None:
        super().__init__("Send an API key: `Authorization: Bearer <key>`.")


class InvalidCredentials(Unauthenticated):
    """The key is unknown or revoked."""

    code = "invalid_credentials"

    def __init__(self) -> None:
        super().__init__("The API key is not valid (unknown or revoked).")


class InsufficientScope(Forbidden):
    """The key lacks the scope the route needs."""

    code = "insufficient_scope"

    def __init__(self, needed: str) -> None:
        super().__init__(f"This request needs the {needed!r} scope.", needed_scope=needed)


class ApiKeyNotFound(NotFound):
    """No key with that id in the store."""

    code = "api_key_not_found"

    def __init__(self, key_id: int) -> None:
        super().__init__(f"API key {key_id} not found.", key_id=key_id)
