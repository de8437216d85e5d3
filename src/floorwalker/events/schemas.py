"""Pydantic schemas of the events context: what a sender may post, what it gets back."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from typing import Any, Self

from pydantic import AwareDatetime, Field, field_validator, model_validator

from floorwalker.kit.ids import MAX_ID
from floorwalker.kit.money import is_currency
from floorwalker.kit.schemas import InputSchema, Schema

#: Largest batch one request (or one call of `ingest`) may carry.
MAX_BATCH = 1000
#: Largest `properties` object, as compact JSON.
MAX_PROPERTIES_BYTES = 4096
#: How far in the future a timestamp may be (clock skew of the sender).
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class EventType(StrEnum):
    """What happened. The recommender, search and insights read these."""

    #: A product page (or quick view) was seen: product_id and/or variant_id.
    VIEW = "view"
    #: Any other page: properties.url, properties.title.
    PAGE_VIEW = "page_view"
    #: A search: query; properties.results (hit count) makes zero-result searches visible.
    SEARCH = "search"
    #: A search result was opened: query and product_id; properties.position.
    SEARCH_CLICK = "search_click"
    ADD_TO_CART = "add_to_cart"
    REMOVE_FROM_CART = "remove_from_cart"
    ADD_TO_WISHLIST = "add_to_wishlist"
    #: Checkout started: value and currency of the cart, when known.
    BEGIN_CHECKOUT = "begin_checkout"
    #: An order was placed: order_id and/or value with currency.
    PURCHASE = "purchase"
    #: A recommended product was shown: product_id; properties.surface, properties.position.
    RECOMMENDATION_VIEW = "recommendation_view"
    #: A recommended product was clicked: product_id; properties.surface.
    RECOMMENDATION_CLICK = "recommendation_click"
    #: The session was identified as a customer: both session_id and customer_id.
    IDENTIFY = "identify"


_NEEDS_PRODUCT = {
    EventType.VIEW,
    EventType.ADD_TO_CART,
    EventType.REMOVE_FROM_CART,
    EventType.ADD_TO_WISHLIST,
    EventType.RECOMMENDATION_VIEW,
    EventType.RECOMMENDATION_CLICK,
    EventType.SEARCH_CLICK,
}
_NEEDS_QUERY = {EventType.SEARCH, EventType.SEARCH_CLICK}
_CART = {EventType.ADD_TO_CART, EventType.REMOVE_FROM_CART}


class EventIn(InputSchema):
    """One event as a storefront, a server or a file sends it."""

    id: str = Field(
        min_length=1,
        max_length=100,
        pattern=r"^[\x21-\x7e]+$",
        description="The sender's unique id for the event; a second event with it is ignored.",
    )
    type: EventType
    timestamp: AwareDatetime = Field(description="When it happened, with a timezone offset.")
    customer_id: int | None = Field(default=None, gt=0, le=MAX_ID)
    session_id: str | None = Field(default=None, min_length=1, max_length=100)
    product_id: int | None = Field(default=None, gt=0, le=MAX_ID)
    variant_id: int | None = Field(default=None, gt=0, le=MAX_ID)
    order_id: int | None = Field(default=None, gt=0, le=MAX_ID)
    query: str | None = Field(default=None, max_length=500)
    quantity: int | None = Field(default=None, ge=1, le=100_000)
    value: int | None = Field(default=None, ge=0, description="Money in minor units.")
    currency: str | None = None
    properties: dict[str, Any] = Field(default_factory=dict)

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not is_currency(value.upper()):
            raise ValueError("must be an ISO 4217 code such as USD")
        return value.upper()

    @field_validator("properties")
    @classmethod
    def _properties_small(cls, value: dict[str, Any]) -> dict[str, Any]:
        if (
            value
            and len(json.dumps(value, separators=(",", ":"), default=str)) > MAX_PROPERTIES_BYTES
        ):
            raise ValueError(f"must be at most {MAX_PROPERTIES_BYTES} bytes as JSON")
        return value

    @field_validator("timestamp")
    @classmethod
    def _plausible_time(cls, value: dt.datetime) -> dt.datetime:
        value = value.astimezone(dt.UTC)
        if value < EARLIEST:
            raise ValueError("is before 2000-01-01")
        if value > dt.datetime.now(dt.UTC) + FUTURE_TOLERANCE:
            raise ValueError("is in the future")
        return value

    @model_validator(mode="after")
    def _fields_fit_type(self) -> Self:
        if self.customer_id is None and self.session_id is None:
            raise ValueError("customer_id or session_id is required")
        if self.type in _NEEDS_PRODUCT and self.product_id is None and self.variant_id is None:
            raise ValueError(f"a {self.type.value} event needs product_id or variant_id")
        if self.type in _NEEDS_QUERY and not (self.query or "").strip():
            raise ValueError(f"a {self.type.value} event needs a query")
        if self.type is EventType.PURCHASE and self.order_id is None and self.value is None:
            raise ValueError("a purchase event needs order_id or value")
        if self.type is EventType.IDENTIFY and (
            self.customer_id is None or self.session_id is None
        ):
            raise ValueError("an identify event needs both session_id and customer_id")
        if self.value is not None and self.currency is None:
            raise ValueError("value needs a currency")
        if self.type in _CART and self.quantity is None:
            self.quantity = 1
        return self


class EventBatchIn(InputSchema):
    """A batch of events. Each is validated on its own: a bad one does not stop the others."""

    events: list[dict[str, Any]] = Field(min_length=1, max_length=MAX_BATCH)


class Rejection(Schema):
    """Why one event of a batch was not stored."""

    index: int
    id: str | None = None
    field: str | None = None
    reason: str


class IngestResult(Schema):
    """What happened to a batch. Everything counted as accepted is stored (committed)."""

    received: int
    accepted: int
    duplicates: int
    #: Events of customers who refused analytics consent: dropped, never stored.
    skipped_no_consent: int = 0
    #: Sessions stitched to a customer by this batch.
    stitched_sessions: int = 0
    rejected: list[Rejection] = Field(default_factory=list)


class Event(Schema):
    """A stored event."""

    id: int
    event_id: str
    type: str
    occurred_at: dt.datetime
    received_at: dt.datetime
    customer_id: int | None
    session_id: str | None
    product_id: int | None
    variant_id: int | None
    order_id: int | None
    query: str | None
    quantity: int | None
    value: int | None
    currency: str | None
    properties: dict[str, Any]
