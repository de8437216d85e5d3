"""Pydantic schemas of the catalog context: upsert records and read models.

An upsert record changes only the fields it carries; a list it carries (variants, images,
tags) replaces the current one. Money is integer minor units of the store's currency.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, StringConstraints, field_validator, model_validator
from pydantic_core import PydanticCustomError

from floorwalker.kit.money import is_currency
from floorwalker.kit.schemas import InputSchema, Schema
from floorwalker.kit.text import unique_strings
from floorwalker.kit.upsert import Amount, RecordId

_HANDLE_RE = re.compile(r"^[^\s/?#]+$")
_SOURCE_RE = r"^[a-z0-9][a-z0-9_.-]{0,31}$"
_URL_RE = re.compile(r"^https?://\S+$", re.IGNORECASE)

Source = Annotated[
    str,
    Field(
        pattern=_SOURCE_RE,
        description="Where the record comes from: `api` (default), `file`, `shopify`, …",
    ),
]
ExternalId = Annotated[
    str, Field(min_length=1, max_length=255, description="The record's id in its source.")
]
#: Option names and values: stripped (InputSchema) and never empty.
NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Scalar = str | int | float | bool | None
AttributeValue = Scalar | list[Scalar]


class ProductStatus(StrEnum):
    """active: sold and shown; draft: hidden; archived: no longer sold."""

    ACTIVE = "active"
    DRAFT = "draft"
    ARCHIVED = "archived"


class VariantStatus(StrEnum):
    """active: buyable; archived: kept for history (absent from the latest product record)."""

    ACTIVE = "active"
    ARCHIVED = "archived"


def _currency(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.upper()
    if not is_currency(value):
        raise PydanticCustomError("invalid_currency", "not an ISO 4217 currency code")
    return value


def _url(value: str | None) -> str | None:
    if value is not None and not _URL_RE.match(value):
        raise PydanticCustomError("invalid_url", "use an absolute http(s) URL")
    return value


def _tags(value: list[str] | None) -> list[str] | None:
    return None if value is None else unique_strings(value)


class ImageInput(InputSchema):
    """A picture of the product, matched to the current ones by URL."""

    url: str = Field(max_length=2000)
    alt: str = Field(default="", max_length=500)
    variant_sku: str | None = Field(
        default=None, max_length=120, description="Show this image for the variant with this SKU."
    )

    _check_url = field_validator("url")(_url)


class VariantUpsert(InputSchema):
    """A variant of a product record; matched by id, external id, SKU, then option values."""

    id: RecordId | None = None
    external_id: ExternalId | None = None
    sku: str | None = Field(default=None, min_length=1, max_length=120)
    barcode: str | None = Field(default=None, min_length=1, max_length=64)
    title: str | None = Field(default=None, max_length=500)
    options: dict[NonEmpty, NonEmpty] = Field(
        default_factory=dict, description='Option values by option name: {"Size": "M"}.'
    )
    price: Amount | None = Field(
        default=None, description="Minor units (1999 = 19.99). Required for a new variant."
    )
    compare_at_price: Amount | None = None
    currency: str | None = Field(default=None, description="Defaults to the store's currency.")
    position: Amount | None = None
    status: VariantStatus | None = None
    weight_grams: Amount | None = None
    image_url: str | None = Field(default=None, max_length=2000)

    _check_currency = field_validator("currency")(_currency)
    _check_image = field_validator("image_url")(_url)


class ProductUpsert(InputSchema):
    """A product with its variants, matched by id, `(source, external_id)`, then handle.

    A new product needs a title and at least one variant with a price. Without an id or an
    external id, the handle (given, or made from the title) is the product's key.
    """

    id: RecordId | None = None
    source: Source = "api"
    external_id: ExternalId | None = None
    handle: str | None = Field(default=None, min_length=1, max_length=255)
    title: str | None = Field(default=None, min_length=1, max_length=500)
    description: str | None = None
    product_type: str | None = Field(default=None, max_length=200)
    status: ProductStatus | None = None
    brand: str | None = Field(
        default=None, max_length=200, description="Brand name; created when new. null clears it."
    )
    category_id: RecordId | None = None
    category_path: str | None = Field(
        default=None,
        max_length=1000,
        description='Category names from the root, e.g. "Women > Dresses"; created when new.',
    )
    category_external_id: str | None = Field(
        default=None, max_length=255, description="A category of the same source, by its id."
    )
    option_names: list[str] | None = Field(
        default=None, description="Option names in display order; defaults to the variants'."
    )
    attributes: dict[str, AttributeValue] | None = None
    tags: list[str] | None = None
    images: list[ImageInput] | None = None
    variants: list[VariantUpsert] | None = None

    _check_tags = field_validator("tags")(_tags)

    @field_validator("handle")
    @classmethod
    def _handle(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not _HANDLE_RE.match(value):
            raise PydanticCustomError("invalid_handle", "no spaces, slashes, ? or #")
        return value.lower()

    @field_validator("option_names")
    @classmethod
    def _option_names(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        names = [v.strip() for v in value]
        if any(not n for n in names) or len(set(names)) != len(names):
            raise PydanticCustomError("invalid_option_names", "option names must be distinct")
        return names

    @model_validator(mode="after")
    def _consistent(self) -> ProductUpsert:
        refs = (self.category_id, self.category_path, self.category_external_id)
        if len([r for r in refs if r is not None]) > 1:
            raise PydanticCustomError(
                "category_ambiguous",
                "give one of category_id, category_path, category_external_id",
            )
        for index, variant in enumerate(self.variants or []):
            if self.option_names is not None and not set(variant.options) <= set(self.option_names):
                raise PydanticCustomError(
                    "unknown_option",
                    "variant {index} has options not in option_names",
                    {"index": index},
                )
        _check_variants_distinct(self.variants or [])
        return self


def _check_variants_distinct(variants: list[VariantUpsert]) -> None:
    seen: set[tuple[str, Any]] = set()
    for index, variant in enumerate(variants):
        keys: list[tuple[str, Any]] = (
            [("options", tuple(sorted(variant.options.items())))] if variant.options else []
        )
        if variant.sku is not None:
            keys.append(("sku", variant.sku))
        if variant.external_id is not None:
            keys.append(("external_id", variant.external_id))
        if variant.id is not None:
            keys.append(("id", variant.id))
        for key in keys:
            if key in seen:
                raise PydanticCustomError(
                    "duplicate_variant",
                    "variant {index} repeats the {key} of an earlier variant",
                    {"index": index, "key": key[0]},
                )
            seen.add(key)


class CategoryUpsert(InputSchema):
    """A category, matched by id, `(source, external_id)`, then slug; give at most one parent."""

    id: RecordId | None = None
    source: Source = "api"
    external_id: ExternalId | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)
    slug: str | None = Field(default=None, min_length=1, max_length=200, pattern=r"^[a-z0-9-]+$")
    parent_id: RecordId | None = None
    parent_external_id: str | None = Field(default=None, max_length=255)
    parent_slug: str | None = Field(default=None, max_length=200)
    position: Amount | None = None

    @model_validator(mode="after")
    def _one_parent(self) -> CategoryUpsert:
        given = [
            name
            for name in ("parent_id", "parent_external_id", "parent_slug")
            if name in self.model_fields_set
        ]
        if len(given) > 1:
            raise PydanticCustomError("parent_ambiguous", "give at most one parent reference")
        return self


class BrandUpsert(InputSchema):
    """A brand, matched by id, `(source, external_id)`, then slug (made from the name)."""

    id: RecordId | None = None
    source: Source = "api"
    external_id: ExternalId | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)
    slug: str | None = Field(default=None, min_length=1, max_length=200, pattern=r"^[a-z0-9-]+$")


# ---------------------------------------------------------------- read models


class Brand(Schema):
    """A brand."""

    id: int
    name: str
    slug: str
    source: str
    external_id: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class BrandRef(Schema):
    """A brand as a product shows it."""

    id: int
    name: str
    slug: str


class Category(Schema):
    """A category with its place in the tree."""

    id: int
    parent_id: int | None
    name: str
    slug: str
    path: str = Field(description='Names from the root, e.g. "Women > Dresses".')
    position: int
    source: str
    external_id: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class CategoryRef(Schema):
    """A category as a product shows it."""

    id: int
    name: str
    slug: str
    path: str


class ProductImage(Schema):
    """A picture of a product."""

    id: int
    url: str
    alt: str
    position: int
    variant_id: int | None


class LocationStock(Schema):
    """Stock of a variant at one location."""

    location_id: int
    location_code: str
    location_name: str
    on_hand: int
    reserved: int
    available: int


class VariantStock(Schema):
    """Stock of a variant over every location. Available = on hand − reserved (not below 0)."""

    on_hand: int = 0
    reserved: int = 0
    available: int = 0
    locations: list[LocationStock] = Field(default_factory=list)


class Variant(Schema):
    """A buyable variant with its price and (when read with stock) its availability."""

    id: int
    product_id: int
    sku: str | None
    barcode: str | None
    title: str
    options: dict[str, Any]
    price: int
    compare_at_price: int | None
    currency: str
    position: int
    status: str
    weight_grams: int | None
    image_url: str | None
    source: str
    external_id: str | None
    stock: VariantStock | None = None
    updated_at: dt.datetime


class Product(Schema):
    """A product with everything nested: variants (with stock), images, brand, category."""

    id: int
    handle: str
    title: str
    description: str
    product_type: str | None
    status: str
    source: str
    external_id: str | None
    brand: BrandRef | None
    category: CategoryRef | None
    option_names: list[str]
    attributes: dict[str, Any]
    tags: list[str]
    images: list[ProductImage]
    variants: list[Variant]
    available: int | None = Field(
        default=None, description="Units available over all variants (when read with stock)."
    )
    created_at: dt.datetime
    updated_at: dt.datetime = Field(
        description="Last change of the product, its variants, images or stock."
    )


class ProductUpserted(Schema):
    """The result of upserting one product."""

    status: str
    product: Product


class ProductChange(Schema):
    """A product changed since a time (for pollers such as the search index)."""

    id: int
    updated_at: dt.datetime
