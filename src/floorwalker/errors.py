"""One error base for the whole service, a family per context, stable codes.

    AppError                      every expected failure; rendered as {"error": code, "detail": ...}
    ├── NotFound (404)            a record does not exist in the caller's store
    ├── Invalid (422)             input that is well-formed JSON but breaks a rule
    ├── Conflict (409)            the request clashes with the current state
    ├── Unauthenticated (401)     no or bad credentials
    ├── Forbidden (403)           credentials without the needed scope or ownership
    ├── RateLimited (429)         too many requests; carries retry_after seconds
    └── <context>Error            each context's family (orders.errors.OrderError, ...)

Domain code raises these and never imports FastAPI; one handler in `floorwalker.api.handlers`
turns them into HTTP responses, and the CLI turns them into a message and exit code 1.
"""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """An expected failure with a stable machine-readable code."""

    code: str = "error"
    status: int = 400

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        status: int | None = None,
        **data: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.data: dict[str, Any] = data

    def to_dict(self) -> dict[str, Any]:
        """Render the error as the JSON body the API returns."""
        body: dict[str, Any] = {"error": self.code, "detail": self.detail}
        body.update(self.data)
        return body


class NotFound(AppError):
    """A record does not exist, or not in the caller's store."""

    code = "not_found"
    status = 404


class Invalid(AppError):
    """Input that parses but breaks a rule."""

    code = "invalid"
    status = 422


class Conflict(AppError):
    """The request clashes with the current state of a record."""

    code = "conflict"
    status = 409


class Unauthenticated(AppError):
    """No credentials, or credentials that do not verify."""

    code = "unauthenticated"
    status = 401


class Forbidden(AppError):
    """Valid credentials that may not do this."""

    code = "forbidden"
    status = 403


class RateLimited(AppError):
    """Too many requests; the caller should wait `retry_after` seconds."""

    code = "rate_limited"
    status = 429

    def __init__(self, detail: str, *, retry_after: int, **data: Any) -> None:
        super().__init__(detail, retry_after=retry_after, **data)
        self.retry_after = retry_after
