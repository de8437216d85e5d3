"""Pydantic schemas of the recommend context."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field

from floorwalker.kit.schemas import InputSchema, Schema

#: Largest id either database stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class Surface(StrEnum):
    """Where a list is shown."""

    #: The home page: personal with consent, popular and trending otherwise.
    FOR_YOU = "for_you"
    #: A product page: alternatives to the product.
    SIMILAR = "similar"
    #: A product page: what goes with the product.
    BOUGHT_TOGETHER = "bought_together"
    #: The cart: what completes it.
    CART = "cart"
    #: A conversation: for-you, steered by the products being discussed and what was said.
    CHAT = "chat"


class RuleKind(StrEnum):
    """A pin puts a product first on a surface; a block keeps it off."""

    PIN = "pin"
    BLOCK = "block"


class ReasonKind(StrEnum):
    """Why a product is on a list (stable codes; `text` is the English wording)."""

    BOUGHT_BEFORE = "bought_before"
    BECAUSE_BOUGHT = "because_bought"
    BECAUSE_VIEWED = "because_viewed"
    BOUGHT_WITH = "bought_with"
    ALSO_BOUGHT = "also_bought"
    SIMILAR = "similar"
    POPULAR_IN = "popular_in"
    TRENDING = "trending"
    MORE_IN = "more_in"
    PREFERENCE = "preference"
    PINNED = "pinned"


class Reason(Schema):
    """Why one product was recommended."""

    kind: ReasonKind
    text: str = Field(description='e.g. "Because you bought Linen Shirt".')
    product_id: int | None = Field(default=None, description="The product the reason names.")
    label: str | None = Field(default=None, description="The category or preference it names.")


class RecommendedProduct(Schema):
    """One recommended product with what a widget needs to show it."""

    product_id: int
    title: str
    handle: str
    price: int | None = Field(description="Lowest price of an available variant, minor units.")
    currency: str | None
    image_url: str | None
    score: float = Field(description="The blend's score (pins: 0); higher is better.")
    reason: Reason


class RecommendationList(Schema):
    """A list for one surface."""

    surface: Surface
    items: list[RecommendedProduct]
    personalised: bool = Field(
        description="Whether the shopper's own history or stored preferences shaped the list."
    )
    model_version: str | None = Field(
        description="The trained version that ranked it; null before the first training."
    )


class RuleCreate(InputSchema):
    """A new pin or block."""

    product_id: int = Field(gt=0, le=MAX_ID)
    kind: RuleKind
    surface: Surface | Literal["all"] = "all"
    position: int = Field(default=0, ge=0, le=1000, description="Pins: lower comes first.")
    note: str = Field(default="", max_length=500)


class Rule(Schema):
    """A pin or block as stored."""

    id: int
    product_id: int
    kind: RuleKind
    surface: str
    position: int
    note: str
    created_by: str
    created_at: dt.datetime


class ModelVersion(Schema):
    """A trained version on disk."""

    version: str
    current: bool
    trained_at: dt.datetime
    items: int
    info: dict[str, Any]


class ModelStatus(Schema):
    """The store's trained versions and what this worker serves."""

    serving: str | None = Field(description="The version this worker has in memory.")
    current: str | None = Field(description="The version training last published.")
    versions: list[ModelVersion]


class TrainStatus(StrEnum):
    """What a training run did."""

    TRAINED = "trained"
    UNCHANGED = "unchanged"
    BUSY = "busy"
    NO_CATALOG = "no_catalog"


class TrainOutcome(Schema):
    """The result of one `recommend.train` run for a store."""

    store_id: int
    status: TrainStatus
    version: str | None = None
    items: int = 0
    interactions: int = 0
    customers: int = 0
    seconds: float = 0.0
    blend: dict[str, Any] = Field(default_factory=dict)


class ImportSummary(Schema):
    """What an interactions import kept, skipped and why."""

    rows: int
    imported: int
    already_imported: int
    unknown_products: int
    unmatched_customers: int
    dropped: dict[str, int]
