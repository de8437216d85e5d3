"""The connector protocol and the neutral records every platform maps to and from.

A platform module (shopify/, woocommerce/, merchant_feed/) has pure mapping functions from
its payloads to these records, and a client that fetches pages of them. Nothing here knows
Floorwalker's ids: records name each other by the platform's ids (`external_id`), and
`connectors.apply` resolves them and loads them through the core services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field


class Resource(StrEnum):
    """What a sync fetches, in the order a full sync runs them (later ones refer to earlier)."""

    LOCATIONS = "locations"
    PRODUCTS = "products"
    INVENTORY = "inventory"
    CUSTOMERS = "customers"
    ORDERS = "orders"


SYNC_ORDER = [
    Resource.LOCATIONS,
    Resource.PRODUCTS,
    Resource.INVENTORY,
    Resource.CUSTOMERS,
    Resource.ORDERS,
]


class Neutral(BaseModel):
    """Base of the neutral records: the platform's id and its last-change time."""

    model_config = ConfigDict(extra="forbid")

    external_id: str
    #: When the platform last changed the record (None if the platform does not say).
    updated_at: dt.datetime | None = None
    #: The platform's payload, kept for dead letters and replays (not loaded anywhere).
    raw: dict[str, Any] | None = Field(default=None, repr=False)


class NeutralImage(BaseModel):
    """A product picture."""

    url: str
    alt: str = ""


class NeutralVariant(BaseModel):
    """A buyable version of a product. Money in minor units."""

    external_id: str
    sku: str | None = None
    barcode: str | None = None
    title: str | None = None
    options: dict[str, str] = Field(default_factory=dict)
    price: int
    compare_at_price: int | None = None
    currency: str | None = None
    position: int | None = None
    status: Literal["active", "archived"] = "active"
    weight_grams: int | None = None
    image_url: str | None = None
    #: Shopify tracks stock per inventory item; its webhooks name the item, not the variant.
    inventory_item_id: str | None = None


class NeutralProduct(Neutral):
    """A product with its variants."""

    kind: Literal["product"] = "product"
    handle: str | None = None
    title: str
    description: str = ""
    product_type: str | None = None
    brand: str | None = None
    category_path: str | None = None
    status: Literal["active", "draft", "archived"] = "active"
    option_names: list[str] = Field(default_factory=list)
    attributes: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    images: list[NeutralImage] = Field(default_factory=list)
    variants: list[NeutralVariant] = Field(default_factory=list)


class NeutralLocation(Neutral):
    """A stock location."""

    kind: Literal["location"] = "location"
    name: str
    active: bool = True


class NeutralStockLevel(Neutral):
    """Units on hand of one variant (or inventory item) at one location.

    `external_id` is `<item>:<location>`, so out-of-order updates compare per pair.
    """

    kind: Literal["stock_level"] = "stock_level"
    variant_external_id: str | None = None
    inventory_item_id: str | None = None
    location_external_id: str
    on_hand: int


class NeutralAddress(BaseModel):
    """A postal address."""

    external_id: str | None = None
    name: str = ""
    line1: str
    line2: str = ""
    city: str
    region: str = ""
    postal_code: str = ""
    country: str
    phone: str | None = None
    is_default: bool = False


class NeutralCustomer(Neutral):
    """A shopper known to the platform."""

    kind: Literal["customer"] = "customer"
    email: str | None = None
    first_name: str = ""
    last_name: str = ""
    phone: str | None = None
    accepts_marketing: bool | None = None
    tags: list[str] = Field(default_factory=list)
    addresses: list[NeutralAddress] = Field(default_factory=list)


class NeutralOrderLine(BaseModel):
    """A line as sold."""

    external_id: str | None = None
    variant_external_id: str | None = None
    sku: str | None = None
    title: str
    variant_title: str = ""
    quantity: int
    unit_price: int


class NeutralFulfilment(BaseModel):
    """A shipment; items name lines by their external id."""

    external_id: str | None = None
    status: str = "pending"
    carrier: str | None = None
    tracking_numbers: list[str] = Field(default_factory=list)
    tracking_url: str | None = None
    items: list[tuple[str, int]] = Field(default_factory=list)
    shipped_at: dt.datetime | None = None
    delivered_at: dt.datetime | None = None


class NeutralTransaction(BaseModel):
    """A payment or a refund."""

    external_id: str | None = None
    kind: Literal["payment", "refund"]
    amount: int
    method_kind: str = "card"
    method_label: str = ""
    status: Literal["succeeded", "pending", "failed"] = "succeeded"
    created_at: dt.datetime | None = None


class NeutralOrder(Neutral):
    """An order with its lines, shipments and money movements. Status is Floorwalker's."""

    kind: Literal["order"] = "order"
    number: str
    customer_external_id: str | None = None
    email: str | None = None
    status: str
    currency: str
    lines: list[NeutralOrderLine]
    shipping_total: int = 0
    tax_total: int = 0
    discount_total: int = 0
    total: int | None = None
    shipping_address: dict[str, Any] = Field(default_factory=dict)
    placed_at: dt.datetime | None = None
    cancelled_at: dt.datetime | None = None
    cancel_reason: str | None = None
    note: str = ""
    fulfilments: list[NeutralFulfilment] = Field(default_factory=list)
    transactions: list[NeutralTransaction] = Field(default_factory=list)
    #: False when the payload carried no transactions and these stand in for them (Shopify's
    #: order webhooks): they are used for a new order, never to replace known ones.
    transactions_complete: bool = True


class NeutralDeletion(Neutral):
    """The platform deleted a record."""

    kind: Literal["deletion"] = "deletion"
    resource: Literal["product", "customer", "order"]


class NeutralPrivacyRequest(Neutral):
    """A mandatory privacy request; `external_id` is the platform's request (or shop) id."""

    kind: Literal["privacy"] = "privacy"
    request: Literal["customer_data_request", "customer_redact", "shop_redact"]
    customer_external_id: str | None = None
    email: str | None = None
    order_external_ids: list[str] = Field(default_factory=list)


NeutralRecord = (
    NeutralProduct
    | NeutralLocation
    | NeutralStockLevel
    | NeutralCustomer
    | NeutralOrder
    | NeutralDeletion
    | NeutralPrivacyRequest
)


@dataclass
class SourcePage:
    """One page fetched from a platform, and where the next one starts."""

    records: list[NeutralRecord]
    next_cursor: str | None = None


@dataclass(frozen=True)
class WebhookDelivery:
    """An inbound webhook after its signature was checked."""

    webhook_id: str
    topic: str
    payload: Any
    triggered_at: dt.datetime | None = None


@dataclass
class WriteBackChange:
    """One order change made in Floorwalker, to push to the order's source platform.

    `operation` is cancel, modify_address, modify_payment, modify_items, return, exchange,
    complete_return or complete_exchange; `order` is the order as it is now (read schema,
    as JSON), `data` the audit entry's data.
    """

    operation: str
    order_external_id: str
    order: dict[str, Any]
    data: dict[str, Any]
    event_id: str
    #: Floorwalker line id → the platform's line id.
    line_external_ids: dict[int, str] = field(default_factory=dict)
    #: Floorwalker variant id → the platform's variant id, and its product's id.
    variant_external_ids: dict[int, str] = field(default_factory=dict)
    product_external_ids: dict[int, str] = field(default_factory=dict)


@dataclass
class WriteBackResult:
    """What the platform did: `delivered`, or `unsupported` with the reason it cannot."""

    status: Literal["delivered", "unsupported"]
    detail: str = ""
    result: dict[str, Any] = field(default_factory=dict)


class Connector(Protocol):
    """What a platform connector offers the sync, webhook and write-back machinery."""

    platform: str

    def fetch(
        self, resource: Resource, *, since: dt.datetime | None = None
    ) -> AsyncIterator[SourcePage]:
        """Pages of records of `resource` changed since `since` (all when None)."""
        ...

    def verify_webhook(
        self, headers: Mapping[str, str], body: bytes, secret: str
    ) -> WebhookDelivery:
        """Check the signature of a raw webhook body; raises WebhookSignatureInvalid."""
        ...

    async def map_webhook(self, delivery: WebhookDelivery) -> list[NeutralRecord]:
        """The neutral records a verified webhook carries (empty for topics we ignore)."""
        ...

    async def write_back(self, change: WriteBackChange) -> WriteBackResult:
        """Apply one Floorwalker order change on the platform; raises on failure."""
        ...

    async def aclose(self) -> None:
        """Release the HTTP client."""
        ...
