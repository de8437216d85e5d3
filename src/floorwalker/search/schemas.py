"""Pydantic schemas of the search context: requests, results, parsed queries, synonyms."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, field_validator

from floorwalker.kit.schemas import InputSchema, Schema
from floorwalker.search.engine.query import Sort

__all__ = [
    "CategoryMatch",
    "Facet",
    "FacetValue",
    "IndexStatus",
    "ParsedQuery",
    "ProductHit",
    "Relaxation",
    "SearchRequest",
    "SearchResponse",
    "Sort",
    "SynonymRule",
    "SynonymRuleCreate",
    "SynonymRuleUpdate",
    "VariantHit",
]

MAX_LIMIT = 100
#: Deepest result a page may reach; deeper paging is a crawl, not a search.
MAX_DEPTH = 10_000


class CategoryMatch(Schema):
    """A category named in a query ("dresses"): every category that phrase names."""

    phrase: str
    ids: list[int]
    paths: list[str]


class ParsedQuery(Schema):
    """What a natural-language query asks for, in the store's own terms.

    `terms` is the free text left for matching after the recognised parts were taken out;
    prices are in minor units of `currency`; options are keyed by facet ("colour", "size",
    "material") with values spelt as the catalog spells them when it knows them.
    """

    text: str
    terms: str = ""
    categories: list[CategoryMatch] = Field(default_factory=list)
    brands: list[str] = Field(default_factory=list)
    product_types: list[str] = Field(default_factory=list)
    options: dict[str, list[str]] = Field(default_factory=dict)
    price_min: int | None = None
    price_max: int | None = None
    currency: str = "USD"
    in_stock: bool = False
    sort: Sort | None = None


class SearchRequest(InputSchema):
    """A search: text and explicit filters (explicit filters are never relaxed)."""

    q: str = Field(default="", max_length=500)
    categories: list[str] = Field(default_factory=list, description="Category ids or slugs.")
    brands: list[str] = Field(default_factory=list, description="Brand names.")
    price_min: int | None = Field(default=None, ge=0, description="Minor units.")
    price_max: int | None = Field(default=None, ge=0, description="Minor units.")
    options: dict[str, list[str]] = Field(
        default_factory=dict, description='Option values by option name, e.g. {"size": ["M"]}.'
    )
    in_stock: bool = False
    sort: Sort | None = None
    page: int = Field(default=1, ge=1, le=MAX_DEPTH)
    limit: int = Field(default=20, ge=1, le=MAX_LIMIT)
    facets: bool = True
    parse: bool = Field(default=True, description="Read filters out of natural-language text.")
    relax: bool = Field(default=True, description="Loosen the query when nothing matches.")


class VariantHit(Schema):
    """A variant on a product card."""

    id: int
    sku: str | None
    title: str
    options: dict[str, str]
    price: int
    compare_at_price: int | None
    in_stock: bool
    #: Whether this variant satisfies the query's price, option and stock filters.
    matches: bool
    image_url: str | None = None


class ProductHit(Schema):
    """A search result: everything a product card needs."""

    product_id: int
    handle: str
    title: str
    brand: str | None
    category: str | None
    category_id: int | None
    product_type: str | None
    #: The lowest price among the matching variants, and the highest among all variants.
    price: int
    price_max: int
    compare_at_price: int | None
    currency: str
    image_url: str | None
    url: str | None
    in_stock: bool
    score: float
    variants: list[VariantHit]


class FacetValue(Schema):
    """One value of a facet and how many results have it (other facets' filters applied)."""

    value: str
    label: str
    count: int
    selected: bool = False
    min: int | None = None
    max: int | None = None


class Facet(Schema):
    """A facet: brand, category, price, in stock, or an option such as size or colour."""

    name: str
    label: str
    kind: str
    values: list[FacetValue]


class Relaxation(Schema):
    """One loosening of a query that matched nothing as asked."""

    step: str
    detail: str


class SearchResponse(Schema):
    """One page of results, facets, the parsed query and what was relaxed."""

    query: str
    total: int
    page: int
    limit: int
    pages: int
    sort: Sort
    hits: list[ProductHit]
    facets: list[Facet]
    parsed: ParsedQuery | None
    relaxed: list[Relaxation]
    note: str | None
    #: Whether semantic (embedding) retrieval took part in the ranking.
    semantic: bool = False


class SynonymRuleCreate(InputSchema):
    """A synonym rule: equivalent terms, or (one_way) a term and what it also means."""

    terms: list[str] = Field(min_length=2, max_length=20)
    one_way: bool = Field(
        default=False,
        description='Only the first term expands to the others ("tee" → "t-shirt").',
    )

    @field_validator("terms")
    @classmethod
    def _terms(cls, value: list[str]) -> list[str]:
        cleaned = [" ".join(t.split()) for t in value]
        if any(not t or len(t) > 100 for t in cleaned):
            raise ValueError("terms must be 1-100 characters")
        if len({t.casefold() for t in cleaned}) != len(cleaned):
            raise ValueError("terms must differ")
        return cleaned


class SynonymRuleUpdate(SynonymRuleCreate):
    """A synonym rule's new terms and direction."""


class SynonymRule(Schema):
    """A synonym rule as stored."""

    id: int
    terms: list[str]
    one_way: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class IndexStatus(Schema):
    """The state of a store's index in this worker."""

    store_id: int
    documents: int
    delta_documents: int
    built_at: dt.datetime | None
    refreshed_at: dt.datetime | None
    semantic: bool
