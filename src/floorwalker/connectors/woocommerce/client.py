"""The WooCommerce connector: REST API v3 with page pagination, signed webhooks, write-back."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
from collections.abc import AsyncIterator, Mapping
from typing import Any

from floorwalker.connectors.base import (
    NeutralDeletion,
    NeutralRecord,
    Resource,
    SourcePage,
    WebhookDelivery,
    WriteBackChange,
    WriteBackResult,
)
from floorwalker.connectors.common import parse_time
from floorwalker.connectors.errors import (
    PlatformError,
    WebhookNotAccepted,
    WebhookSignatureInvalid,
)
from floorwalker.connectors.http import PlatformClient, RetryPolicy, Sleep
from floorwalker.connectors.woocommerce import mapping
from floorwalker.kit.money import to_major
from floorwalker.kit.security import constant_time_equals, hmac_sha256

API_PATH = "/wp-json/wc/v3"


def sign(body: bytes, secret: str) -> str:
    """The `X-WC-Webhook-Signature` value of a body: base64 HMAC-SHA256."""
    return base64.b64encode(hmac_sha256(secret, body)).decode()


class WooCommerceConnector:
    """Sync, webhooks and write-back for one WooCommerce site."""

    platform = "woocommerce"

    def __init__(
        self,
        base_url: str,
        *,
        consumer_key: str,
        consumer_secret: str,
        currency: str = "USD",
        weight_unit: str = "kg",
        page_size: int = 100,
        policy: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        timeout: float = 30.0,
    ) -> None:
        self.http = PlatformClient(
            base_url.rstrip("/") + API_PATH,
            auth=(consumer_key, consumer_secret),
            headers={"Accept": "application/json"},
            policy=policy,
            sleep=sleep,
            timeout=timeout,
        )
        self.currency = currency
        self.weight_unit = weight_unit
        self.page_size = max(1, min(page_size, 100))

    async def _get(self, path: str, params: dict[str, Any]) -> tuple[Any, int]:
        response = await self.http.request("GET", path, params=params)
        try:
            body = response.json()
        except ValueError as exc:
            raise PlatformError(f"WooCommerce answered {path} with something not JSON.") from exc
        pages = response.headers.get("x-wp-totalpages")
        return body, int(pages) if pages and pages.isdigit() else 0

    async def _pages(
        self, path: str, params: dict[str, Any]
    ) -> AsyncIterator[tuple[list[dict[str, Any]], int]]:
        page = 1
        while True:
            body, total_pages = await self._get(
                path, {**params, "page": page, "per_page": self.page_size}
            )
            items = [i for i in body if isinstance(i, dict)] if isinstance(body, list) else []
            yield items, page
            if not items or (total_pages and page >= total_pages) or len(items) < self.page_size:
                return
            page += 1

    async def variations(self, product_id: Any) -> list[dict[str, Any]]:
        """Every variation of a variable product."""
        found: list[dict[str, Any]] = []
        async for items, _ in self._pages(
            f"/products/{product_id}/variations", {"orderby": "id", "order": "asc"}
        ):
            found.extend(items)
        return found

    async def _product_records(self, payload: dict[str, Any]) -> list[NeutralRecord]:
        variations = (
            await self.variations(payload["id"]) if payload.get("type") == "variable" else []
        )
        records: list[NeutralRecord] = [
            mapping.product(payload, variations, self.currency, self.weight_unit)
        ]
        for item in variations or [payload]:
            level = mapping.stock_level(item)
            if level is not None:
                records.append(level)
        return records

    async def fetch(
        self, resource: Resource, *, since: dt.datetime | None = None
    ) -> AsyncIterator[SourcePage]:
        """Pages of neutral records (stock comes with the products it belongs to)."""
        params: dict[str, Any] = {"orderby": "id", "order": "asc"}
        if since is not None and resource is not Resource.CUSTOMERS:
            params["modified_after"] = since.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
            params["dates_are_gmt"] = "true"
        if resource is Resource.LOCATIONS:
            yield SourcePage([mapping.DEFAULT_LOCATION])
        elif resource is Resource.PRODUCTS:
            async for items, page in self._pages("/products", {**params, "status": "any"}):
                records: list[NeutralRecord] = []
                for item in items:
                    records.extend(await self._product_records(item))
                yield SourcePage(records, str(page))
        elif resource is Resource.CUSTOMERS:
            async for items, page in self._pages("/customers", {**params, "role": "all"}):
                yield SourcePage([mapping.customer(i) for i in items], str(page))
        elif resource is Resource.ORDERS:
            async for items, page in self._pages("/orders", params):
                yield SourcePage([mapping.order(i) for i in items], str(page))
        # Inventory arrives with products: WooCommerce keeps stock on the product itself.

    # ------------------------------------------------------------------ webhooks

    def verify_webhook(
        self, headers: Mapping[str, str], body: bytes, secret: str
    ) -> WebhookDelivery:
        """Check `X-WC-Webhook-Signature`; the delivery id is what retries share."""
        given = headers.get("x-wc-webhook-signature")
        if not given or not constant_time_equals(given.strip(), sign(body, secret)):
            raise WebhookSignatureInvalid
        delivery_id = headers.get("x-wc-webhook-delivery-id")
        topic = headers.get("x-wc-webhook-topic")
        if not delivery_id or not topic:
            raise WebhookNotAccepted(
                "X-WC-Webhook-Delivery-ID and X-WC-Webhook-Topic are required."
            )
        try:
            payload = json.loads(body)
        except ValueError as exc:
            raise WebhookNotAccepted("The webhook body is not JSON.") from exc
        return WebhookDelivery(webhook_id=delivery_id, topic=topic, payload=payload)

    async def map_webhook(self, delivery: WebhookDelivery) -> list[NeutralRecord]:
        """Neutral records of a webhook; a variable product's variations are fetched."""
        payload = delivery.payload
        if not isinstance(payload, dict):
            raise WebhookNotAccepted("The webhook body is not a JSON object.")
        resource, _, action = delivery.topic.partition(".")
        if action == "deleted" and resource in {"product", "customer", "order"}:
            return [
                NeutralDeletion(
                    external_id=str(payload["id"]),
                    updated_at=parse_time(payload.get("date_modified_gmt")),
                    raw=payload,
                    resource=resource,
                )
            ]
        if resource == "product":
            return await self._product_records(payload)
        if resource == "customer":
            return [mapping.customer(payload)]
        if resource == "order":
            return [mapping.order(payload)]
        return []

    # ------------------------------------------------------------------ write-back

    async def _note(self, order_id: str, text: str) -> dict[str, Any]:
        response = await self.http.request(
            "POST", f"/orders/{order_id}/notes", json={"note": text, "customer_note": False}
        )
        body = response.json()
        return {"note_id": body.get("id")} if isinstance(body, dict) else {}

    async def write_back(self, change: WriteBackChange) -> WriteBackResult:
        """Apply a Floorwalker order change to the WooCommerce order."""
        order_id = change.order_external_id
        plan = change.data.get("plan") if isinstance(change.data.get("plan"), dict) else {}
        plan = plan or {}
        currency = str(plan.get("currency") or change.order.get("currency") or self.currency)
        summary = str(plan.get("summary") or change.operation)
        if change.operation == "cancel":
            await self.http.request("PUT", f"/orders/{order_id}", json={"status": "cancelled"})
            refund = _platform_refund(plan)
            result: dict[str, Any] = {"status": "cancelled"}
            if refund > 0:
                response = await self.http.request(
                    "POST",
                    f"/orders/{order_id}/refunds",
                    json={
                        "amount": str(to_major(refund, currency)),
                        "reason": f"Cancelled through Floorwalker: {plan.get('reason', '')}",
                        "api_refund": True,
                    },
                )
                result["refund_id"] = response.json().get("id")
            return WriteBackResult("delivered", result=result)
        if change.operation == "modify_address":
            after = plan.get("address_after") or {}
            first, _, last = str(after.get("name") or "").partition(" ")
            shipping = {
                "first_name": first,
                "last_name": last,
                "address_1": after.get("line1") or "",
                "address_2": after.get("line2") or "",
                "city": after.get("city") or "",
                "state": after.get("region") or "",
                "postcode": after.get("postal_code") or "",
                "country": after.get("country") or "",
            }
            await self.http.request("PUT", f"/orders/{order_id}", json={"shipping": shipping})
            return WriteBackResult("delivered", result={"shipping": shipping})
        if change.operation == "modify_items":
            return await self._swap_items(change, plan)
        if change.operation == "complete_return":
            return await self._refund_return(change, plan, currency)
        # No native returns, exchanges or payment changes: the staff see an order note.
        note = await self._note(order_id, f"Floorwalker: {summary}")
        return WriteBackResult(
            "delivered", "Recorded as an order note (WooCommerce has no API for this).", note
        )

    async def _swap_items(self, change: WriteBackChange, plan: dict[str, Any]) -> WriteBackResult:
        lines = {int(line["id"]): line for line in change.order.get("lines") or []}
        items: list[dict[str, Any]] = []
        for swap in plan.get("swaps") or []:
            line = lines.get(int(swap["line_id"])) or {}
            external = change.line_external_ids.get(int(swap["line_id"]))
            new = change.variant_external_ids.get(int(swap["to_variant_id"]))
            product = change.product_external_ids.get(int(swap["to_variant_id"]))
            if external is None or new is None:
                raise PlatformError("The swapped line or variant has no WooCommerce id.", swap=swap)
            remaining = max(
                0, int(line.get("quantity") or swap["quantity"]) - int(swap["quantity"])
            )
            items.append({"id": int(external), "quantity": remaining})
            entry: dict[str, Any] = {"variation_id": int(new), "quantity": int(swap["quantity"])}
            if product is not None:
                entry["product_id"] = int(product)
            items.append(entry)
        await self.http.request(
            "PUT", f"/orders/{change.order_external_id}", json={"line_items": items}
        )
        return WriteBackResult("delivered", result={"line_items": items})

    async def _refund_return(
        self, change: WriteBackChange, plan: dict[str, Any], currency: str
    ) -> WriteBackResult:
        line_items = []
        for line in plan.get("lines") or []:
            external = change.line_external_ids.get(int(line["line_id"]))
            if external is None:
                raise PlatformError("A refunded line has no WooCommerce id.", line=line)
            line_items.append(
                {
                    "id": int(external),
                    "quantity": int(line["quantity"]),
                    "refund_total": str(to_major(int(line["amount"]), currency)),
                }
            )
        amount = _platform_refund(plan)
        response = await self.http.request(
            "POST",
            f"/orders/{change.order_external_id}/refunds",
            json={
                "amount": str(to_major(amount, currency)),
                "reason": f"Return received through Floorwalker ({change.event_id})",
                "line_items": line_items,
                "api_refund": amount > 0,
                "api_restock": True,
            },
        )
        return WriteBackResult("delivered", result={"refund_id": response.json().get("id")})

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.http.aclose()


def _platform_refund(plan: dict[str, Any]) -> int:
    """Refunds the payment platform moves (gift cards and store credit stay in Floorwalker)."""
    return sum(
        int(m["amount"])
        for m in plan.get("movements") or []
        if m.get("kind") == "refund" and m.get("method_kind") not in {"gift_card", "store_credit"}
    )
