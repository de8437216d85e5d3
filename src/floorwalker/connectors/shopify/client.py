"""The Shopify connector: Admin GraphQL with cursor pagination and cost-based throttling.

Shopify meters GraphQL by query cost: a bucket of points (`maximumAvailable`) refills at
`restoreRate` points per second; every answer reports the bucket in `extensions.cost`.
Before each query we wait until the bucket holds what the same query cost last time, so we
are rarely THROTTLED; when we are, we wait for the bucket to refill and ask again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from floorwalker.connectors.base import (
    NeutralRecord,
    Resource,
    SourcePage,
    WebhookDelivery,
    WriteBackChange,
    WriteBackResult,
)
from floorwalker.connectors.errors import PlatformError, PlatformUnavailable
from floorwalker.connectors.http import PlatformClient, RetryPolicy, Sleep
from floorwalker.connectors.shopify import mapping, queries, webhooks, writeback
from floorwalker.logging import get_logger

log = get_logger(__name__)

API_VERSION = "2025-01"
#: How many times a THROTTLED answer is waited out before giving up.
MAX_THROTTLED = 10


@dataclass
class Bucket:
    """What Shopify last said about our query-cost bucket."""

    maximum: float = 1000.0
    available: float = 1000.0
    restore_rate: float = 50.0
    seen_at: float = 0.0

    def now_available(self, now: float) -> float:
        """Points in the bucket now, counting the refill since the last answer."""
        return min(self.maximum, self.available + (now - self.seen_at) * self.restore_rate)


class ShopifyConnector:
    """Sync, webhooks and write-back for one Shopify store."""

    platform = "shopify"

    def __init__(
        self,
        base_url: str,
        *,
        access_token: str,
        api_version: str = API_VERSION,
        currency: str | None = None,
        page_size: int = 50,
        policy: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        timeout: float = 30.0,
    ) -> None:
        self.http = PlatformClient(
            base_url.rstrip("/"),
            headers={"X-Shopify-Access-Token": access_token, "Accept": "application/json"},
            policy=policy,
            sleep=sleep,
            timeout=timeout,
        )
        self.path = f"/admin/api/{api_version}/graphql.json"
        self.page_size = max(1, min(page_size, 250))
        self.sleep = sleep
        self.clock = clock
        self.bucket = Bucket(seen_at=clock())
        self.costs: dict[str, float] = {}
        self._currency = currency

    # ------------------------------------------------------------------ GraphQL

    async def _wait_for_points(self, operation: str) -> None:
        needed = self.costs.get(operation)
        if needed is None:
            return
        available = self.bucket.now_available(self.clock())
        if needed > available and self.bucket.restore_rate > 0:
            wait = (needed - available) / self.bucket.restore_rate
            log.info("shopify throttle: waiting for query points", wait=round(wait, 2))
            await self.sleep(wait)

    def _note_cost(self, operation: str, extensions: Any) -> None:
        cost = (extensions or {}).get("cost") or {}
        status = cost.get("throttleStatus") or {}
        if status:
            self.bucket = Bucket(
                maximum=float(status.get("maximumAvailable", self.bucket.maximum)),
                available=float(status.get("currentlyAvailable", self.bucket.available)),
                restore_rate=float(status.get("restoreRate", self.bucket.restore_rate)),
                seen_at=self.clock(),
            )
        if cost.get("requestedQueryCost") is not None:
            self.costs[operation] = float(cost["requestedQueryCost"])

    async def graphql(self, operation: str, query: str, variables: dict[str, Any]) -> Any:
        """Run one query or mutation and return its `data`."""
        for _ in range(MAX_THROTTLED):
            await self._wait_for_points(operation)
            response = await self.http.request(
                "POST",
                self.path,
                json={"query": query, "variables": variables, "operationName": operation},
            )
            try:
                body = response.json()
            except ValueError as exc:
                raise PlatformError("Shopify answered with something that is not JSON.") from exc
            self._note_cost(operation, body.get("extensions"))
            errors = body.get("errors") or []
            if any((e.get("extensions") or {}).get("code") == "THROTTLED" for e in errors):
                needed = self.costs.get(operation, 100.0)
                available = self.bucket.now_available(self.clock())
                rate = self.bucket.restore_rate or 50.0
                await self.sleep(max(needed - available, rate) / rate)
                continue
            if errors:
                messages = "; ".join(str(e.get("message")) for e in errors)
                raise PlatformError(f"Shopify refused {operation}: {messages}")
            return body.get("data") or {}
        raise PlatformUnavailable(f"Shopify kept throttling {operation}.")

    async def currency(self) -> str:
        """The shop's currency (prices in the Admin API are in it)."""
        if self._currency is None:
            data = await self.graphql("Shop", queries.SHOP, {})
            self._currency = str(data["shop"]["currencyCode"])
        return self._currency

    async def _pages(
        self, operation: str, query: str, root: str, since: dt.datetime | None, first: int
    ) -> AsyncIterator[tuple[list[dict[str, Any]], str | None]]:
        after: str | None = None
        search = f"updated_at:>'{since.astimezone(dt.UTC).isoformat()}'" if since else None
        while True:
            variables: dict[str, Any] = {"first": first, "after": after}
            if operation != "Locations":
                variables["query"] = search
            data = await self.graphql(operation, query, variables)
            connection = data.get(root) or {}
            info = connection.get("pageInfo") or {}
            cursor = info.get("endCursor") if info.get("hasNextPage") else None
            yield list(connection.get("nodes") or []), cursor
            if cursor is None:
                return
            after = cursor

    async def _more_variants(self, product: dict[str, Any]) -> list[dict[str, Any]]:
        extra: list[dict[str, Any]] = []
        info = (product.get("variants") or {}).get("pageInfo") or {}
        after = info.get("endCursor") if info.get("hasNextPage") else None
        while after:
            data = await self.graphql(
                "ProductVariants", queries.PRODUCT_VARIANTS, {"id": product["id"], "after": after}
            )
            variants = ((data.get("product") or {}).get("variants")) or {}
            extra.extend(variants.get("nodes") or [])
            page = variants.get("pageInfo") or {}
            after = page.get("endCursor") if page.get("hasNextPage") else None
        return extra

    async def fetch(
        self, resource: Resource, *, since: dt.datetime | None = None
    ) -> AsyncIterator[SourcePage]:
        """Pages of neutral records of a resource changed since `since` (all when None)."""
        size = self.page_size
        if resource is Resource.PRODUCTS:
            currency = await self.currency()
            async for nodes, cursor in self._pages(
                "Products", queries.PRODUCTS, "products", since, min(size, 10)
            ):
                records: list[NeutralRecord] = []
                for node in nodes:
                    extra = await self._more_variants(node)
                    records.append(mapping.product_from_node(node, currency, extra))
                yield SourcePage(records, cursor)
        elif resource is Resource.LOCATIONS:
            async for nodes, cursor in self._pages(
                "Locations", queries.LOCATIONS, "locations", None, size
            ):
                yield SourcePage([mapping.location_from_node(n) for n in nodes], cursor)
        elif resource is Resource.INVENTORY:
            async for nodes, cursor in self._pages(
                "Inventory", queries.INVENTORY, "inventoryItems", since, size
            ):
                levels: list[NeutralRecord] = []
                for node in nodes:
                    levels.extend(mapping.stock_from_item_node(node))
                yield SourcePage(levels, cursor)
        elif resource is Resource.CUSTOMERS:
            async for nodes, cursor in self._pages(
                "Customers", queries.CUSTOMERS, "customers", since, size
            ):
                yield SourcePage([mapping.customer_from_node(n) for n in nodes], cursor)
        elif resource is Resource.ORDERS:
            async for nodes, cursor in self._pages(
                "Orders", queries.ORDERS, "orders", since, min(size, 25)
            ):
                yield SourcePage([mapping.order_from_node(n) for n in nodes], cursor)

    # ------------------------------------------------------------------ webhooks

    def verify_webhook(
        self, headers: Mapping[str, str], body: bytes, secret: str
    ) -> WebhookDelivery:
        """Check `X-Shopify-Hmac-Sha256` over the raw body."""
        return webhooks.verify(headers, body, secret)

    async def map_webhook(self, delivery: WebhookDelivery) -> list[NeutralRecord]:
        """Neutral records of a verified webhook (prices in the shop's currency)."""
        return webhooks.map_delivery(delivery, self._currency or _payload_currency(delivery))

    # ------------------------------------------------------------------ write-back

    async def write_back(self, change: WriteBackChange) -> WriteBackResult:
        """Apply a Floorwalker order change to the Shopify order."""
        return await writeback.apply(self, change)

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.http.aclose()


def _payload_currency(delivery: WebhookDelivery) -> str:
    payload = delivery.payload if isinstance(delivery.payload, dict) else {}
    return str(payload.get("currency") or payload.get("presentment_currency") or "USD")
