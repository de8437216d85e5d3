"""Pure mappings from Admin GraphQL nodes to neutral records (no I/O, no Floorwalker ids)."""

from __future__ import annotations

from typing import Any, Literal

from floorwalker.connectors.base import (
    NeutralAddress,
    NeutralCustomer,
    NeutralFulfilment,
    NeutralImage,
    NeutralLocation,
    NeutralOrder,
    NeutralOrderLine,
    NeutralProduct,
    NeutralStockLevel,
    NeutralTransaction,
    NeutralVariant,
)
from floorwalker.connectors.common import (
    minor,
    newest,
    numeric_id,
    optional_minor,
    parse_time,
    split_tags,
)

#: Shopify's placeholder option of a product without options.
DEFAULT_OPTION = ("Title", "Default Title")

_WEIGHT_GRAMS = {"GRAMS": 1.0, "KILOGRAMS": 1000.0, "OUNCES": 28.3495, "POUNDS": 453.592}


def _nodes(connection: Any) -> list[dict[str, Any]]:
    if isinstance(connection, dict):
        return [n for n in connection.get("nodes") or [] if isinstance(n, dict)]
    if isinstance(connection, list):
        return [n for n in connection if isinstance(n, dict)]
    return []


def _money(field: Any) -> Any:
    if isinstance(field, dict):
        return (field.get("shopMoney") or {}).get("amount")
    return None


def _grams(measurement: Any) -> int | None:
    weight = (measurement or {}).get("weight") or {}
    factor = _WEIGHT_GRAMS.get(str(weight.get("unit", "")).upper())
    value = weight.get("value")
    if factor is None or value is None:
        return None
    return round(float(value) * factor)


def product_status(value: Any) -> Literal["active", "draft", "archived"]:
    """Floorwalker's product status for Shopify's (unlisted products stay out of sight)."""
    status = str(value or "active").lower()
    if status == "active":
        return "active"
    if status == "archived":
        return "archived"
    return "draft"


def variant_from_node(node: dict[str, Any], currency: str) -> NeutralVariant:
    """A ProductVariant node."""
    options = {
        str(o["name"]): str(o["value"])
        for o in node.get("selectedOptions") or []
        if (o.get("name"), o.get("value")) != DEFAULT_OPTION
    }
    item = node.get("inventoryItem") or {}
    return NeutralVariant(
        external_id=numeric_id(node["id"]),
        sku=node.get("sku") or None,
        barcode=node.get("barcode") or None,
        title=None if node.get("title") == DEFAULT_OPTION[1] else node.get("title"),
        options=options,
        price=minor(node.get("price"), currency),
        compare_at_price=optional_minor(node.get("compareAtPrice"), currency),
        currency=currency,
        position=max(0, int(node.get("position") or 1) - 1),
        weight_grams=_grams(item.get("measurement")),
        image_url=(node.get("image") or {}).get("url"),
        inventory_item_id=numeric_id(item["id"]) if item.get("id") else None,
    )


def product_from_node(
    node: dict[str, Any], currency: str, extra_variants: list[dict[str, Any]] | None = None
) -> NeutralProduct:
    """A Product node (with the variants fetched on further pages, if any)."""
    variants_nodes = _nodes(node.get("variants")) + list(extra_variants or [])
    variants = [variant_from_node(v, currency) for v in variants_nodes]
    options = sorted(node.get("options") or [], key=lambda o: o.get("position") or 0)
    option_names = [str(o["name"]) for o in options if o.get("name") != DEFAULT_OPTION[0]]
    images = [
        NeutralImage(url=m["image"]["url"], alt=m["image"].get("altText") or "")
        for m in _nodes(node.get("media"))
        if (m.get("image") or {}).get("url")
    ]
    updated = newest(
        parse_time(node.get("updatedAt")), *(parse_time(v.get("updatedAt")) for v in variants_nodes)
    )
    return NeutralProduct(
        external_id=numeric_id(node["id"]),
        updated_at=updated,
        raw=node,
        handle=node.get("handle") or None,
        title=str(node.get("title") or "").strip() or "Untitled",
        description=node.get("description") or "",
        product_type=node.get("productType") or None,
        brand=node.get("vendor") or None,
        category_path=(node.get("category") or {}).get("fullName") or None,
        status=product_status(node.get("status")),
        option_names=option_names if any(v.options for v in variants) else [],
        tags=split_tags(node.get("tags")),
        images=images,
        variants=variants,
    )


def location_from_node(node: dict[str, Any]) -> NeutralLocation:
    """A Location node."""
    return NeutralLocation(
        external_id=numeric_id(node["id"]),
        raw=node,
        name=str(node.get("name") or f"Location {numeric_id(node['id'])}"),
        active=bool(node.get("isActive", True)),
    )


def stock_from_item_node(node: dict[str, Any]) -> list[NeutralStockLevel]:
    """An InventoryItem node with its levels: one record per location.

    Shopify's `available` (on hand minus what its own open orders committed) becomes
    Floorwalker's on hand, the same figure `inventory_levels/update` webhooks carry.
    """
    item_id = numeric_id(node["id"])
    variant_id = numeric_id(node["variant"]["id"]) if node.get("variant") else None
    levels: list[NeutralStockLevel] = []
    for level in _nodes(node.get("inventoryLevels")):
        location_id = numeric_id((level.get("location") or {}).get("id", ""))
        quantities = {q.get("name"): q.get("quantity") for q in level.get("quantities") or []}
        levels.append(
            NeutralStockLevel(
                external_id=f"{item_id}:{location_id}",
                updated_at=parse_time(level.get("updatedAt")) or parse_time(node.get("updatedAt")),
                raw=node,
                variant_external_id=variant_id,
                inventory_item_id=item_id,
                location_external_id=location_id,
                on_hand=int(quantities.get("available") or 0),
            )
        )
    return levels


def address_from_node(node: dict[str, Any], default_id: str | None) -> NeutralAddress | None:
    """A MailingAddress node (None when it lacks a street, city or country)."""
    country = node.get("countryCodeV2") or node.get("country_code")
    if not node.get("address1") or not node.get("city") or not country:
        return None
    node_id = numeric_id(node["id"]) if node.get("id") else None
    return NeutralAddress(
        external_id=node_id,
        name=node.get("name") or "",
        line1=node["address1"],
        line2=node.get("address2") or "",
        city=node["city"],
        region=node.get("province") or "",
        postal_code=node.get("zip") or "",
        country=str(country).upper(),
        phone=node.get("phone") or None,
        is_default=node_id is not None and node_id == default_id,
    )


def customer_from_node(node: dict[str, Any]) -> NeutralCustomer:
    """A Customer node."""
    default = node.get("defaultAddress") or {}
    default_id = numeric_id(default["id"]) if default.get("id") else None
    addresses = [address_from_node(a, default_id) for a in _nodes(node.get("addresses"))]
    consent = (node.get("emailMarketingConsent") or {}).get("marketingState")
    return NeutralCustomer(
        external_id=numeric_id(node["id"]),
        updated_at=parse_time(node.get("updatedAt")),
        raw=node,
        email=node.get("email") or None,
        first_name=node.get("firstName") or "",
        last_name=node.get("lastName") or "",
        phone=node.get("phone") or None,
        accepts_marketing=None if consent is None else consent == "SUBSCRIBED",
        tags=split_tags(node.get("tags")),
        addresses=[a for a in addresses if a is not None],
    )


def order_status(
    *,
    cancelled: bool,
    return_status: str | None,
    fulfillment_status: str | None,
    delivered: bool,
) -> str:
    """Floorwalker's status for a Shopify order's state.

    Unfulfilled orders are `pending`: not yet in the warehouse's hands, so Floorwalker may
    offer to cancel or change them (and writes the change back).
    """
    returns = (return_status or "").upper()
    if cancelled:
        return "cancelled"
    if returns in {"RETURN_REQUESTED", "IN_PROGRESS", "INSPECTION_COMPLETE"}:
        return "return_requested"
    if returns == "RETURNED":
        return "returned"
    fulfilled = (fulfillment_status or "").upper()
    if delivered:
        return "delivered"
    if fulfilled in {"FULFILLED", "PARTIALLY_FULFILLED", "PARTIAL"}:
        return "shipped"
    if fulfilled in {"IN_PROGRESS", "SCHEDULED", "ON_HOLD"}:
        return "processing"
    return "pending"


def method_of(gateway: str | None) -> tuple[str, str]:
    """(method kind, label) of a payment gateway name."""
    name = (gateway or "").strip()
    lowered = name.lower()
    if "gift_card" in lowered or "gift card" in lowered:
        return "gift_card", "Gift card"
    if "paypal" in lowered:
        return "paypal", "PayPal"
    return "card", name.replace("_", " ").title() or "Card"


def transaction(
    external_id: str | None,
    kind: str,
    status: str,
    gateway: str | None,
    amount: int,
    created_at: Any,
) -> NeutralTransaction | None:
    """A payment or refund from Shopify's kind/status words (None for holds and voids)."""
    kind, status = kind.upper(), status.upper()
    if kind in {"SALE", "CAPTURE"}:
        neutral_kind = "payment"
    elif kind == "REFUND":
        neutral_kind = "refund"
    else:
        return None
    if amount <= 0:
        return None
    method_kind, label = method_of(gateway)
    state = {"SUCCESS": "succeeded", "PENDING": "pending"}.get(status, "failed")
    return NeutralTransaction(
        external_id=external_id,
        kind=neutral_kind,
        amount=amount,
        method_kind=method_kind,
        method_label=label,
        status=state,
        created_at=parse_time(created_at),
    )


def shipping_address(node: dict[str, Any] | None) -> dict[str, Any]:
    """An order's shipping address snapshot in Floorwalker's shape."""
    if not node:
        return {}
    return {
        "name": node.get("name") or "",
        "line1": node.get("address1") or "",
        "line2": node.get("address2") or "",
        "city": node.get("city") or "",
        "region": node.get("province") or "",
        "postal_code": node.get("zip") or "",
        "country": (node.get("countryCodeV2") or node.get("country_code") or "").upper(),
        "phone": node.get("phone") or None,
    }


def order_from_node(node: dict[str, Any]) -> NeutralOrder:
    """An Order node."""
    currency = str(node.get("currencyCode") or "USD")
    lines = [
        NeutralOrderLine(
            external_id=numeric_id(li["id"]),
            variant_external_id=numeric_id(li["variant"]["id"]) if li.get("variant") else None,
            sku=li.get("sku") or None,
            title=li.get("title") or "Item",
            variant_title=li.get("variantTitle") or "",
            quantity=int(li.get("quantity") or 1),
            unit_price=minor(_money(li.get("originalUnitPriceSet")), currency),
        )
        for li in _nodes(node.get("lineItems"))
    ]
    fulfilments = []
    for f in _nodes(node.get("fulfillments")):
        tracking = f.get("trackingInfo") or []
        display = str(f.get("displayStatus") or "").upper()
        fulfilments.append(
            NeutralFulfilment(
                external_id=numeric_id(f["id"]),
                status={"DELIVERED": "delivered", "OUT_FOR_DELIVERY": "out_for_delivery"}.get(
                    display, "failed" if display == "FAILURE" else "in_transit"
                ),
                carrier=next((t.get("company") for t in tracking if t.get("company")), None),
                tracking_numbers=[t["number"] for t in tracking if t.get("number")],
                tracking_url=next((t.get("url") for t in tracking if t.get("url")), None),
                items=[
                    (numeric_id(i["lineItem"]["id"]), int(i.get("quantity") or 1))
                    for i in _nodes(f.get("fulfillmentLineItems"))
                    if i.get("lineItem")
                ],
                shipped_at=parse_time(f.get("createdAt")),
                delivered_at=parse_time(f.get("deliveredAt")),
            )
        )
    transactions = [
        t
        for t in (
            transaction(
                numeric_id(tx["id"]),
                str(tx.get("kind") or ""),
                str(tx.get("status") or ""),
                tx.get("gateway"),
                minor(_money(tx.get("amountSet")), currency),
                tx.get("createdAt"),
            )
            for tx in _nodes(node.get("transactions"))
        )
        if t is not None
    ]
    delivered = bool(fulfilments) and all(f.status == "delivered" for f in fulfilments)
    return NeutralOrder(
        external_id=numeric_id(node["id"]),
        updated_at=parse_time(node.get("updatedAt")),
        raw=node,
        number=str(node.get("name") or numeric_id(node["id"])),
        customer_external_id=numeric_id(node["customer"]["id"]) if node.get("customer") else None,
        email=node.get("email") or None,
        status=order_status(
            cancelled=bool(node.get("cancelledAt")),
            return_status=node.get("returnStatus"),
            fulfillment_status=node.get("displayFulfillmentStatus"),
            delivered=delivered,
        ),
        currency=currency,
        lines=lines,
        shipping_total=minor(_money(node.get("totalShippingPriceSet")), currency),
        tax_total=minor(_money(node.get("totalTaxSet")), currency),
        discount_total=minor(_money(node.get("totalDiscountsSet")), currency),
        total=minor(_money(node.get("totalPriceSet")), currency),
        shipping_address=shipping_address(node.get("shippingAddress")),
        placed_at=parse_time(node.get("createdAt")),
        cancelled_at=parse_time(node.get("cancelledAt")),
        cancel_reason=(str(node["cancelReason"]).lower() if node.get("cancelReason") else None),
        note=node.get("note") or "",
        fulfilments=fulfilments,
        transactions=transactions,
    )
