"""Errors of the auth context."""

from __future__ import annotations

from floorwalker.errors import Conflict, Forbidden, NotFound, Unauthenticated


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


class LoginFailed(Unauthenticated):
    """Wrong store, e-mail or password (deliberately not saying which)."""

    code = "login_failed"

    def __init__(self) -> None:
        super().__init__("The e-mail or password is not correct.")


class SessionExpired(Unauthenticated):
    """The console session is unknown, expired or signed out."""

    code = "session_expired"

    def __init__(self) -> None:
        super().__init__("Your session has ended; sign in again.")


class CsrfFailed(Forbidden):
    """An unsafe request made with the session cookie lacks the matching CSRF token."""

    code = "csrf_failed"

    def __init__(self) -> None:
        super().__init__("Missing or wrong X-CSRF-Token header.")


class StaffUserNotFound(NotFound):
    """No staff user with that id in the store."""

    code = "staff_user_not_found"

    def __init__(self, user_id: int) -> None:
        super().__init__(f"Staff user {user_id} not found.", user_id=user_id)


class StaffEmailTaken(Conflict):
    """Another staff user of the store has that e-mail."""

    code = "staff_email_taken"

    def __init__(self, email: str) -> None:
        super().__init__("A staff user with that e-mail already exists.", email=email)


class CannotDisableSelf(Conflict):
    """A staff member tried to disable their own account (an owner could lock the store out)."""

    code = "cannot_disable_self"

    def __init__(self) -> None:
        super().__init__("You cannot disable your own account; ask another admin or the owner.")


class RoleNotAllowed(Forbidden):
    """The staff member's role may not do this."""

    code = "role_not_allowed"

    def __init__(self, needed: str) -> None:
        super().__init__(f"This needs the {needed} role or higher.", needed_role=needed)


class OriginNotAllowed(Forbidden):
    """A publishable key was used from an origin the store has not allowed."""

    code = "origin_not_allowed"

    def __init__(self, origin: str) -> None:
        super().__init__(f"Origin {origin!r} may not use this key.", origin=origin)
