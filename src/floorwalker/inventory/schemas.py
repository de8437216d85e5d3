"""Pydantic schemas of the inventory context: locations and stock levels."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from floorwalker.kit.schemas import InputSchema, Schema
from floorwalker.kit.upsert import RecordId

Source = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_.-]{0,31}$",
        description="Where the record comes from: `api` (default), `file`, `shopify`, …",
    ),
]


class LocationUpsert(InputSchema):
    """A stock location, matched by id, `(source, external_id)`, then code."""

    id: RecordId | None = None
    source: Source = "api"
    external_id: str | None = Field(default=None, min_length=1, max_length=255)
    code: str | None = Field(
        default=None, min_length=1, max_length=64, description="Short unique name, e.g. WH1."
    )
    name: str | None = Field(default=None, min_length=1, max_length=200)
    active: bool | None = None


class Location(Schema):
    """A place stock is kept."""

    id: int
    code: str
    name: str
    active: bool
    source: str
    external_id: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class LevelSet(InputSchema):
    """Units on hand of one variant at one location (reserved units are Floorwalker's own).

    Name the variant by `variant_id`, `sku` or `variant_external_id` (of `source`), and the
    location by `location_id`, `location_code` or `location_external_id`; a store with a
    single location may leave the location out.
    """

    source: Source = "api"
    variant_id: RecordId | None = None
    sku: str | None = Field(default=None, min_length=1, max_length=120)
    variant_external_id: str | None = Field(default=None, min_length=1, max_length=255)
    location_id: RecordId | None = None
    location_code: str | None = Field(default=None, min_length=1, max_length=64)
    location_external_id: str | None = Field(default=None, min_length=1, max_length=255)
    on_hand: int = Field(
        ge=-1_000_000_000,
        le=1_000_000_000,
        description="Units physically there; platforms may report oversold stock as negative.",
    )

    @model_validator(mode="after")
    def _one_of_each(self) -> LevelSet:
        variant_refs = [self.variant_id, self.sku, self.variant_external_id]
        if sum(r is not None for r in variant_refs) != 1:
            raise PydanticCustomError(
                "variant_reference", "give exactly one of variant_id, sku, variant_external_id"
            )
        location_refs = [self.location_id, self.location_code, self.location_external_id]
        if sum(r is not None for r in location_refs) > 1:
            raise PydanticCustomError(
                "location_reference",
                "give at most one of location_id, location_code, location_external_id",
            )
        return self


class Level(Schema):
    """Stock of one variant at one location."""

    id: int
    variant_id: int
    location_id: int
    location_code: str
    on_hand: int
    reserved: int
    available: int = Field(description="on_hand − reserved, never below 0.")
    updated_at: dt.datetime
