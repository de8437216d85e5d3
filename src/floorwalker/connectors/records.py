"""Neutral records as the core services' upsert records (pure; ids already resolved)."""

from __future__ import annotations

from typing import Any

from floorwalker.connectors.base import NeutralCustomer, NeutralOrder, NeutralProduct


def product_record(source: str, p: NeutralProduct) -> dict[str, Any]:
    """The catalog's upsert record for a neutral product."""
    return {
        "source": source,
        "external_id": p.external_id,
        "handle": p.handle,
        "title": p.title,
        "description": p.description,
        "product_type": p.product_type,
        "status": p.status,
        "brand": p.brand,
        "category_path": p.category_path,
        "option_names": p.option_names,
        "attributes": p.attributes,
        "tags": p.tags,
        "images": [{"url": i.url, "alt": i.alt} for i in p.images],
        "variants": [
            {
                "external_id": v.external_id,
                "sku": v.sku,
                "barcode": v.barcode,
                "title": v.title,
                "options": v.options,
                "price": v.price,
                "compare_at_price": v.compare_at_price,
                "currency": v.currency,
                "position": v.position,
                "status": v.status,
                "weight_grams": v.weight_grams,
                "image_url": v.image_url,
            }
            for v in p.variants
        ],
    }


def customer_record(source: str, c: NeutralCustomer) -> dict[str, Any]:
    """The customers' upsert record for a neutral customer (its addresses are the full list)."""
    return {
        "source": source,
        "external_id": c.external_id,
        "email": c.email,
        "first_name": c.first_name,
        "last_name": c.last_name,
        "phone": c.phone,
        "accepts_marketing": c.accepts_marketing,
        "tags": c.tags,
        "addresses": [a.model_dump() for a in c.addresses],
    }


def order_record(
    source: str,
    o: NeutralOrder,
    customers: dict[str, int],
    variants: dict[str, int],
    *,
    known: bool = False,
) -> dict[str, Any]:
    """The orders' upsert record for a neutral order, platform ids resolved to Floorwalker's."""
    lines = []
    for line in o.lines:
        variant_id = variants.get(line.variant_external_id or "")
        lines.append(
            {
                "external_id": line.external_id,
                "variant_id": variant_id,
                "sku": None if variant_id else line.sku,
                "title": line.title,
                "variant_title": line.variant_title or None,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
            }
        )
    return {
        "source": source,
        "external_id": o.external_id,
        "number": o.number,
        "customer_id": customers.get(o.customer_external_id or ""),
        "email": o.email,
        "status": o.status,
        "currency": o.currency,
        "lines": lines,
        "shipping_total": o.shipping_total,
        "tax_total": o.tax_total,
        "discount_total": o.discount_total,
        "total": o.total,
        "shipping_address": o.shipping_address,
        "placed_at": o.placed_at,
        "cancelled_at": o.cancelled_at,
        "cancel_reason": o.cancel_reason,
        "note": o.note,
        "fulfilments": [
            {
                "external_id": f.external_id,
                "status": f.status,
                "carrier": f.carrier,
                "tracking_numbers": f.tracking_numbers,
                "tracking_url": f.tracking_url,
                "items": [
                    {"line_external_id": ext, "quantity": qty} for ext, qty in f.items if ext
                ],
                "shipped_at": f.shipped_at,
                "delivered_at": f.delivered_at,
            }
            for f in o.fulfilments
        ],
        # None leaves the stored transactions alone.
        "transactions": [t.model_dump() for t in o.transactions]
        if o.transactions_complete or not known
        else None,
    }
