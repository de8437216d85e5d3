"""Pydantic bases: read models load from ORM objects; input models reject unknown fields."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Schema(BaseModel):
    """A read model, built from ORM attributes."""

    model_config = ConfigDict(from_attributes=True)


class InputSchema(BaseModel):
    """A request body: unknown fields are an error, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
