"""Pydantic schemas of the auth context."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field, model_validator

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
