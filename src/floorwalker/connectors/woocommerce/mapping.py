"""Pure mappings from WooCommerce REST v3 payloads to neutral records.

A simple product is one variant whose external id is the product's; a variable product's
variants are its variations. WooCommerce keeps one stock figure per product or variation,
at one location (`default`).
"""

from __future__ import annotations

import re
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
from floorwalker.connectors.common import minor, newest, parse_time

DEFAULT_LOCATION = NeutralLocation(external_id="default", name="WooCommerce stock")

#: WooCommerce order status → Floorwalker's. "processing" is paid and not yet shipped:
#: still cancellable, which Floorwalker calls pending.
ORDER_STATUS = {
    "pending": "pending",
    "on-hold": "pending",
    "processing": "pending",
    "checkout-draft": "pending",
    "completed": "delivered",
    "cancelled": "cancelled",
    "failed": "cancelled",
    "trash": "cancelled",
    "refunded": "returned",
}


def _gmt(payload: dict[str, Any], field: str) -> Any:
    """WooCommerce sends `<field>_gmt` without an offset; it is UTC."""
    return payload.get(f"{field}_gmt") or payload.get(field)


def product_status(value: Any) -> Literal["active", "draft", "archived"]:
    """publish → active, trash → archived, anything else (draft, pending, private) → draft."""
    status = str(value or "publish")
    if status == "publish":
        return "active"
    if status == "trash":
        return "archived"
    return "draft"


def _prices(item: dict[str, Any], currency: str) -> tuple[int, int | None]:
    regular = minor(item.get("regular_price") or item.get("price"), currency)
    sale = item.get("sale_price")
    if sale not in (None, "") and item.get("on_sale", True):
        return minor(sale, currency), regular
    return minor(item.get("price") or item.get("regular_price"), currency), None


def _grams(item: dict[str, Any], weight_unit: str) -> int | None:
    value = item.get("weight")
    if value in (None, ""):
        return None
    factor = {"kg": 1000.0, "g": 1.0, "lbs": 453.592, "oz": 28.3495}.get(weight_unit, 1000.0)
    try:
        return round(float(str(value)) * factor)
    except ValueError:
        return None


def variant_of_simple(product: dict[str, Any], currency: str, weight_unit: str) -> NeutralVariant:
    """The one variant of a simple product."""
    price, compare = _prices(product, currency)
    return NeutralVariant(
        external_id=str(product["id"]),
        sku=product.get("sku") or None,
        title=None,
        price=price,
        compare_at_price=compare,
        currency=currency,
        position=0,
        weight_grams=_grams(product, weight_unit),
    )


def variant_of_variation(
    variation: dict[str, Any], position: int, currency: str, weight_unit: str
) -> NeutralVariant:
    """A variation of a variable product."""
    price, compare = _prices(variation, currency)
    options = {str(a["name"]): str(a["option"]) for a in variation.get("attributes") or []}
    return NeutralVariant(
        external_id=str(variation["id"]),
        sku=variation.get("sku") or None,
        title=" / ".join(options.values()) or None,
        options=options,
        price=price,
        compare_at_price=compare,
        currency=currency,
        position=position,
        status="active" if variation.get("status", "publish") == "publish" else "archived",
        weight_grams=_grams(variation, weight_unit),
        image_url=(variation.get("image") or {}).get("src"),
    )


def stock_level(item: dict[str, Any]) -> NeutralStockLevel | None:
    """A product's or variation's stock, when WooCommerce manages it."""
    if not item.get("manage_stock") or item.get("stock_quantity") is None:
        return None
    return NeutralStockLevel(
        external_id=f"{item['id']}:default",
        updated_at=parse_time(_gmt(item, "date_modified")),
        raw=item,
        variant_external_id=str(item["id"]),
        location_external_id="default",
        on_hand=int(item["stock_quantity"]),
    )


def product(
    payload: dict[str, Any],
    variations: list[dict[str, Any]],
    currency: str,
    weight_unit: str = "kg",
) -> NeutralProduct:
    """A product with its variations (fetched separately for variable products)."""
    if payload.get("type") == "variable":
        variants = [
            variant_of_variation(v, i, currency, weight_unit) for i, v in enumerate(variations)
        ]
    else:
        variants = [variant_of_simple(payload, currency, weight_unit)]
    option_names = [
        str(a["name"])
        for a in sorted(payload.get("attributes") or [], key=lambda a: a.get("position") or 0)
        if a.get("variation")
    ]
    attributes = {
        str(a["name"]): list(a.get("options") or [])
        for a in payload.get("attributes") or []
        if not a.get("variation")
    }
    categories = payload.get("categories") or []
    return NeutralProduct(
        external_id=str(payload["id"]),
        updated_at=newest(
            parse_time(_gmt(payload, "date_modified")),
            *(parse_time(_gmt(v, "date_modified")) for v in variations),
        ),
        raw=payload,
        handle=payload.get("slug") or None,
        title=str(payload.get("name") or "").strip() or "Untitled",
        description=_text(payload.get("description") or payload.get("short_description") or ""),
        brand=None,
        category_path=str(categories[0]["name"]) if categories else None,
        status=product_status(payload.get("status")),
        option_names=option_names if payload.get("type") == "variable" else [],
        attributes=attributes,
        tags=[str(t["name"]) for t in payload.get("tags") or [] if t.get("name")],
        images=[
            NeutralImage(url=i["src"], alt=i.get("alt") or "")
            for i in payload.get("images") or []
            if i.get("src")
        ],
        variants=variants,
    )


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _address(block: dict[str, Any] | None, *, default: bool) -> NeutralAddress | None:
    if not block or not block.get("address_1") or not block.get("city") or not block.get("country"):
        return None
    return NeutralAddress(
        name=f"{block.get('first_name') or ''} {block.get('last_name') or ''}".strip(),
        line1=block["address_1"],
        line2=block.get("address_2") or "",
        city=block["city"],
        region=block.get("state") or "",
        postal_code=block.get("postcode") or "",
        country=str(block["country"]).upper(),
        phone=block.get("phone") or None,
        is_default=default,
    )


def _place(address: NeutralAddress) -> tuple[str, ...]:
    return (
        address.name,
        address.line1,
        address.line2,
        address.city,
        address.region,
        address.postal_code,
        address.country,
    )


def customer(payload: dict[str, Any]) -> NeutralCustomer:
    """A customer; the shipping address is the default, billing is kept when different."""
    shipping = _address(payload.get("shipping"), default=True)
    billing = _address(payload.get("billing"), default=shipping is None)
    addresses = [a for a in (shipping, billing) if a is not None]
    if shipping is not None and billing is not None and _place(shipping) == _place(billing):
        # The same place twice: keep one, with the phone billing usually carries.
        addresses = [shipping.model_copy(update={"phone": shipping.phone or billing.phone})]
    return NeutralCustomer(
        external_id=str(payload["id"]),
        updated_at=parse_time(_gmt(payload, "date_modified")),
        raw=payload,
        email=payload.get("email") or None,
        first_name=payload.get("first_name") or "",
        last_name=payload.get("last_name") or "",
        phone=(payload.get("billing") or {}).get("phone") or None,
        addresses=addresses,
    )


def _method(payload: dict[str, Any]) -> tuple[str, str]:
    method = str(payload.get("payment_method") or "").lower()
    title = str(payload.get("payment_method_title") or method or "Card")
    if "paypal" in method:
        return "paypal", "PayPal"
    if "gift" in method:
        return "gift_card", title
    return "card", title


def order(payload: dict[str, Any]) -> NeutralOrder:
    """An order; its payment and refunds become transactions."""
    currency = str(payload.get("currency") or "USD")
    lines = [
        NeutralOrderLine(
            external_id=str(li["id"]),
            variant_external_id=str(li.get("variation_id") or li.get("product_id") or "") or None,
            sku=li.get("sku") or None,
            title=li.get("name") or "Item",
            quantity=int(li.get("quantity") or 1),
            unit_price=minor(li.get("price") if li.get("price") is not None else 0, currency),
        )
        for li in payload.get("line_items") or []
    ]
    kind, label = _method(payload)
    total = minor(payload.get("total"), currency)
    transactions: list[NeutralTransaction] = []
    if payload.get("date_paid_gmt") or payload.get("date_paid"):
        transactions.append(
            NeutralTransaction(
                external_id=str(payload.get("transaction_id") or f"{payload['id']}-payment"),
                kind="payment",
                amount=total,
                method_kind=kind,
                method_label=label,
                created_at=parse_time(_gmt(payload, "date_paid")),
            )
        )
    for refund in payload.get("refunds") or []:
        amount = abs(minor(refund.get("total"), currency))
        if amount > 0:
            transactions.append(
                NeutralTransaction(
                    external_id=f"refund-{refund['id']}",
                    kind="refund",
                    amount=amount,
                    method_kind=kind,
                    method_label=label,
                )
            )
    status = ORDER_STATUS.get(str(payload.get("status") or "pending"), "pending")
    fulfilments = []
    if status == "delivered":
        fulfilments.append(
            NeutralFulfilment(
                external_id=f"{payload['id']}-completed",
                status="delivered",
                items=[(line.external_id or "", line.quantity) for line in lines],
                shipped_at=parse_time(_gmt(payload, "date_completed")),
                delivered_at=parse_time(_gmt(payload, "date_completed")),
            )
        )
    shipping = payload.get("shipping") or {}
    return NeutralOrder(
        external_id=str(payload["id"]),
        updated_at=parse_time(_gmt(payload, "date_modified")),
        raw=payload,
        number=str(payload.get("number") or payload["id"]),
        customer_external_id=str(payload["customer_id"]) if payload.get("customer_id") else None,
        email=(payload.get("billing") or {}).get("email") or None,
        status=status,
        currency=currency,
        lines=lines,
        shipping_total=minor(payload.get("shipping_total"), currency),
        tax_total=minor(payload.get("total_tax"), currency),
        discount_total=minor(payload.get("discount_total"), currency),
        total=total,
        shipping_address={
            "name": f"{shipping.get('first_name') or ''} {shipping.get('last_name') or ''}".strip(),
            "line1": shipping.get("address_1") or "",
            "line2": shipping.get("address_2") or "",
            "city": shipping.get("city") or "",
            "region": shipping.get("state") or "",
            "postal_code": shipping.get("postcode") or "",
            "country": str(shipping.get("country") or "").upper(),
            "phone": shipping.get("phone") or None,
        }
        if shipping.get("address_1")
        else {},
        placed_at=parse_time(_gmt(payload, "date_created")),
        cancelled_at=parse_time(_gmt(payload, "date_modified")) if status == "cancelled" else None,
        note=payload.get("customer_note") or "",
        fulfilments=fulfilments,
        transactions=transactions,
    )
