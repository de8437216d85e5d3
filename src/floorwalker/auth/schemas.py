"""Pydantic schemas of the auth context."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field, model_validator

from floorwalker.auth.passwords import MIN_PASSWORD_LENGTH
from floorwalker.auth.roles import Role
from floorwalker.kit.actor import Scope
from floorwalker.kit.schemas import InputSchema, Schema


class KeyKind(StrEnum):
    """Secret keys stay on servers; publishable keys are embedded in the storefront widget."""

    SECRET = "secret"
    PUBLISHABLE = "publishable"


class ApiKeyCreate(InputSchema):
    """A new API key."""

    name: str = Field(min_length=1, max_length=200)
    kind: KeyKind = KeyKind.SECRET
    scopes: list[Scope] = Field(default_factory=lambda: [Scope.READ])
    allowed_origins: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _scopes_fit_kind(self) -> ApiKeyCreate:
        if self.kind is KeyKind.PUBLISHABLE:
            self.scopes = [Scope.PUBLISHABLE]
        elif Scope.PUBLISHABLE in self.scopes or not self.scopes:
            raise ValueError("secret keys take admin, write and/or read scopes")
        return self


class ApiKey(Schema):
    """An API key as listed (never the key itself)."""

    id: int
    name: str
    kind: KeyKind
    scopes: list[Scope]
    prefix: str
    allowed_origins: list[str]
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class ApiKeyCreated(ApiKey):
    """A key just created: the only time the full key is shown."""

    key: str


class StaffUserCreate(InputSchema):
    """A new staff user."""

    email: str = Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    name: str = Field(default="", max_length=200)
    role: Role = Role.AGENT
    password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=1024)


class StaffUser(Schema):
    """A staff user as listed."""

    id: int
    email: str
    name: str
    role: Role
    created_at: dt.datetime
    last_login_at: dt.datetime | None
    disabled_at: dt.datetime | None


class SignIn(InputSchema):
    """Console sign-in."""

    store: str = Field(min_length=1, max_length=64, description="The store's slug.")
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=1024)


class SignedIn(Schema):
    """A new console session: the cookie is set; send `csrf_token` as X-CSRF-Token."""

    user: StaffUser
    csrf_token: str
    expires_at: dt.datetime
