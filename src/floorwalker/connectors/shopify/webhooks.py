"""Shopify webhooks: signature check and pure mappings of their (REST-shaped) payloads.

Shopify signs the raw body: `X-Shopify-Hmac-Sha256` is the base64 HMAC-SHA256 of it with
the app's secret. `X-Shopify-Webhook-Id` is the same on every retry of one delivery, so it
is what we deduplicate on.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from typing import Any

from floorwalker.connectors.base import (
    NeutralAddress,
    NeutralCustomer,
    NeutralDeletion,
    NeutralFulfilment,
    NeutralImage,
    NeutralOrder,
    NeutralOrderLine,
    NeutralPrivacyRequest,
    NeutralProduct,
    NeutralRecord,
    NeutralStockLevel,
    NeutralVariant,
    WebhookDelivery,
)
from floorwalker.connectors.common import minor, newest, optional_minor, parse_time, split_tags
from floorwalker.connectors.errors import WebhookNotAccepted, WebhookSignatureInvalid
from floorwalker.connectors.shopify.mapping import (
    DEFAULT_OPTION,
    order_status,
    product_status,
    shipping_address,
    transaction,
)
from floorwalker.kit.security import constant_time_equals, hmac_sha256

PRIVACY_TOPICS = {
    "customers/data_request": "customer_data_request",
    "customers/redact": "customer_redact",
    "shop/redact": "shop_redact",
}


def sign(body: bytes, secret: str) -> str:
    """The `X-Shopify-Hmac-Sha256` value of a body."""
    return base64.b64encode(hmac_sha256(secret, body)).decode()


def verify(headers: Mapping[str, str], body: bytes, secret: str) -> WebhookDelivery:
    """Check the HMAC of the raw body; read the topic, the webhook id and the payload."""
    given = headers.get("x-shopify-hmac-sha256")
    if not given or not constant_time_equals(given.strip(), sign(body, secret)):
        raise WebhookSignatureInvalid
    webhook_id = headers.get("x-shopify-webhook-id") or headers.get("x-shopify-event-id")
    topic = headers.get("x-shopify-topic")
    if not webhook_id or not topic:
        raise WebhookNotAccepted("X-Shopify-Webhook-Id and X-Shopify-Topic are required.")
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise WebhookNotAccepted("The webhook body is not JSON.") from exc
    return WebhookDelivery(
        webhook_id=webhook_id,
        topic=topic,
        payload=payload,
        triggered_at=parse_time(headers.get("x-shopify-triggered-at")),
    )


def _variant(v: dict[str, Any], option_names: list[str], currency: str) -> NeutralVariant:
    values = [v.get("option1"), v.get("option2"), v.get("option3")]
    options = {
        name: str(value)
        for name, value in zip(option_names, values, strict=False)
        if value is not None and (name, value) != DEFAULT_OPTION
    }
    grams = v.get("grams")
    return NeutralVariant(
        external_id=str(v["id"]),
        sku=v.get("sku") or None,
        barcode=v.get("barcode") or None,
        title=None if v.get("title") == DEFAULT_OPTION[1] else v.get("title"),
        options=options,
        price=minor(v.get("price"), currency),
        compare_at_price=optional_minor(v.get("compare_at_price"), currency),
        currency=currency,
        position=max(0, int(v.get("position") or 1) - 1),
        weight_grams=int(grams) if grams else None,
        inventory_item_id=str(v["inventory_item_id"]) if v.get("inventory_item_id") else None,
    )


def product(payload: dict[str, Any], currency: str) -> NeutralProduct:
    """products/create and products/update."""
    options = sorted(payload.get("options") or [], key=lambda o: o.get("position") or 0)
    names = [str(o["name"]) for o in options]
    variants = [_variant(v, names, currency) for v in payload.get("variants") or []]
    updated = newest(
        parse_time(payload.get("updated_at")),
        *(parse_time(v.get("updated_at")) for v in payload.get("variants") or []),
    )
    return NeutralProduct(
        external_id=str(payload["id"]),
        updated_at=updated,
        raw=payload,
        handle=payload.get("handle") or None,
        title=str(payload.get("title") or "").strip() or "Untitled",
        description=_strip_html(payload.get("body_html") or ""),
        product_type=payload.get("product_type") or None,
        brand=payload.get("vendor") or None,
        status=product_status(payload.get("status")),
        option_names=[n for n in names if n != DEFAULT_OPTION[0]]
        if any(v.options for v in variants)
        else [],
        tags=split_tags(payload.get("tags")),
        images=[
            NeutralImage(url=i["src"], alt=i.get("alt") or "")
            for i in payload.get("images") or []
            if i.get("src")
        ],
        variants=variants,
    )


def _strip_html(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()


def _address(a: dict[str, Any]) -> NeutralAddress | None:
    if not a.get("address1") or not a.get("city") or not a.get("country_code"):
        return None
    name = a.get("name") or f"{a.get('first_name') or ''} {a.get('last_name') or ''}".strip()
    return NeutralAddress(
        external_id=str(a["id"]) if a.get("id") else None,
        name=name,
        line1=a["address1"],
        line2=a.get("address2") or "",
        city=a["city"],
        region=a.get("province") or "",
        postal_code=a.get("zip") or "",
        country=str(a["country_code"]).upper(),
        phone=a.get("phone") or None,
        is_default=bool(a.get("default")),
    )


def customer(payload: dict[str, Any]) -> NeutralCustomer:
    """customers/create and customers/update."""
    consent = (payload.get("email_marketing_consent") or {}).get("state")
    addresses = [_address(a) for a in payload.get("addresses") or []]
    return NeutralCustomer(
        external_id=str(payload["id"]),
        updated_at=parse_time(payload.get("updated_at")),
        raw=payload,
        email=payload.get("email") or None,
        first_name=payload.get("first_name") or "",
        last_name=payload.get("last_name") or "",
        phone=payload.get("phone") or None,
        accepts_marketing=None if consent is None else consent == "subscribed",
        tags=split_tags(payload.get("tags")),
        addresses=[a for a in addresses if a is not None],
    )


def order(payload: dict[str, Any]) -> NeutralOrder:
    """orders/create, orders/updated, orders/cancelled, orders/fulfilled, orders/paid."""
    currency = str(payload.get("currency") or "USD")
    lines = [
        NeutralOrderLine(
            external_id=str(li["id"]),
            variant_external_id=str(li["variant_id"]) if li.get("variant_id") else None,
            sku=li.get("sku") or None,
            title=li.get("title") or li.get("name") or "Item",
            variant_title=li.get("variant_title") or "",
            quantity=int(li.get("quantity") or 1),
            unit_price=minor(li.get("price"), currency),
        )
        for li in payload.get("line_items") or []
    ]
    fulfilments = [
        NeutralFulfilment(
            external_id=str(f["id"]),
            status={"delivered": "delivered", "out_for_delivery": "out_for_delivery"}.get(
                str(f.get("shipment_status") or ""), "in_transit"
            ),
            carrier=f.get("tracking_company") or None,
            tracking_numbers=[str(n) for n in f.get("tracking_numbers") or []],
            tracking_url=(f.get("tracking_urls") or [None])[0] or f.get("tracking_url"),
            items=[(str(i["id"]), int(i.get("quantity") or 1)) for i in f.get("line_items") or []],
            shipped_at=parse_time(f.get("created_at")),
            delivered_at=parse_time(f.get("updated_at"))
            if f.get("shipment_status") == "delivered"
            else None,
        )
        for f in payload.get("fulfillments") or []
        if f.get("status") != "cancelled"
    ]
    transactions = []
    for tx in payload.get("transactions") or []:
        neutral = transaction(
            str(tx["id"]) if tx.get("id") else None,
            str(tx.get("kind") or ""),
            str(tx.get("status") or ""),
            tx.get("gateway"),
            minor(tx.get("amount"), currency),
            tx.get("created_at"),
        )
        if neutral is not None:
            transactions.append(neutral)
    # Order webhooks carry no transactions: for a new order the paid total stands for the
    # payment; an order already known keeps the transactions the sync read.
    complete = "transactions" in payload
    if not complete and payload.get("financial_status") in {"paid", "partially_refunded"}:
        gateways = payload.get("payment_gateway_names") or []
        paid = transaction(
            None,
            "SALE",
            "SUCCESS",
            str(gateways[0]) if gateways else None,
            minor(payload.get("total_price"), currency),
            payload.get("processed_at"),
        )
        if paid is not None:
            transactions.append(paid)
    delivered = bool(fulfilments) and all(f.status == "delivered" for f in fulfilments)
    shipping = (payload.get("total_shipping_price_set") or {}).get("shop_money") or {}
    return NeutralOrder(
        external_id=str(payload["id"]),
        updated_at=parse_time(payload.get("updated_at")),
        raw=payload,
        number=str(payload.get("name") or payload.get("order_number") or payload["id"]),
        customer_external_id=str(payload["customer"]["id"])
        if (payload.get("customer") or {}).get("id")
        else None,
        email=payload.get("email") or None,
        status=order_status(
            cancelled=bool(payload.get("cancelled_at")),
            return_status=payload.get("return_status"),
            fulfillment_status=payload.get("fulfillment_status"),
            delivered=delivered,
        ),
        currency=currency,
        lines=lines,
        shipping_total=minor(shipping.get("amount"), currency),
        tax_total=minor(payload.get("total_tax"), currency),
        discount_total=minor(payload.get("total_discounts"), currency),
        total=minor(payload.get("total_price"), currency),
        shipping_address=shipping_address(payload.get("shipping_address")),
        placed_at=parse_time(payload.get("created_at")),
        cancelled_at=parse_time(payload.get("cancelled_at")),
        cancel_reason=payload.get("cancel_reason") or None,
        note=payload.get("note") or "",
        fulfilments=fulfilments,
        transactions=transactions,
        transactions_complete=complete,
    )


def map_delivery(delivery: WebhookDelivery, currency: str) -> list[NeutralRecord]:
    """The neutral records of a verified webhook; topics we do not use map to nothing."""
    topic, payload = delivery.topic, delivery.payload
    if not isinstance(payload, dict):
        raise WebhookNotAccepted("The webhook body is not a JSON object.")
    if topic in PRIVACY_TOPICS:
        person = payload.get("customer") or {}
        request_id = (payload.get("data_request") or {}).get("id") or delivery.webhook_id
        return [
            NeutralPrivacyRequest(
                external_id=str(request_id),
                raw=payload,
                request=PRIVACY_TOPICS[topic],
                customer_external_id=str(person["id"]) if person.get("id") else None,
                email=person.get("email") or None,
                order_external_ids=[
                    str(o)
                    for o in payload.get("orders_to_redact")
                    or payload.get("orders_requested")
                    or []
                ],
            )
        ]
    resource, _, action = topic.partition("/")
    if action == "delete" and resource in {"products", "customers", "orders"}:
        return [
            NeutralDeletion(
                external_id=str(payload["id"]),
                updated_at=delivery.triggered_at,
                raw=payload,
                resource=resource.removesuffix("s"),
            )
        ]
    if resource == "products":
        return [product(payload, currency)]
    if resource == "customers":
        return [customer(payload)]
    if resource == "orders":
        return [order(payload)]
    if topic == "inventory_levels/update":
        item, location = str(payload["inventory_item_id"]), str(payload["location_id"])
        available = payload.get("available")
        return [
            NeutralStockLevel(
                external_id=f"{item}:{location}",
                updated_at=parse_time(payload.get("updated_at")),
                raw=payload,
                inventory_item_id=item,
                location_external_id=location,
                on_hand=int(available or 0),
            )
        ]
    return []
