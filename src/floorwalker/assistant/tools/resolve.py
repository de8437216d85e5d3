"""Turning what a shopper (or a model) says into the ids services take, and back into cards.

"the shirt", "line 2", "the second item" → an order line; "size L in white" → a variant of the
same product; "my gift card", "Visa ending 4242" → one of the shopper's payment methods. The
resolution only ever searches the shopper's own order and own payment methods.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rapidfuzz import fuzz

from floorwalker.assistant.context import StoreInfo
from floorwalker.assistant.local.entities import match_options, ordinal, payment_reference
from floorwalker.assistant.tools.base import ToolFailure
from floorwalker.orders.schemas import Order, OrderLine, format_address

_COUNTRIES = {
    "uk": "GB",
    "united kingdom": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "gb": "GB",
    "usa": "US",
    "us": "US",
    "united states": "US",
    "united states of america": "US",
    "america": "US",
    "canada": "CA",
    "ca": "CA",
    "ireland": "IE",
    "ie": "IE",
    "france": "FR",
    "fr": "FR",
    "germany": "DE",
    "de": "DE",
    "spain": "ES",
    "es": "ES",
    "italy": "IT",
    "it": "IT",
    "netherlands": "NL",
    "nl": "NL",
    "australia": "AU",
    "au": "AU",
    "new zealand": "NZ",
    "nz": "NZ",
    "belgium": "BE",
    "portugal": "PT",
    "sweden": "SE",
    "denmark": "DK",
    "norway": "NO",
    "austria": "AT",
    "switzerland": "CH",
}
_UK_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\b", re.I)
_US_STATE_ZIP = re.compile(r"^\s*([A-Z]{2})\s+(\d{5}(?:-\d{4})?)\s*$", re.I)
_ZIP = re.compile(r"\b(\d{4,6}(?:-\d{4})?)\b")
_LINE2 = re.compile(r"^\s*(?:apt|apartment|flat|suite|unit|floor|room)\b", re.I)


def parse_address(text: str, *, default_country: str, name: str = "") -> dict[str, Any]:
    """A postal address from free text ("221B Baker Street, London NW1 6XE, UK").

    Raises ToolFailure(address_incomplete) when the street or the town is missing.
    """
    parts = [p.strip() for p in re.split(r"[,\n;]+", text) if p.strip()]
    if not parts or (not re.search(r"\d", parts[0]) and not parts[0].lower().startswith("po box")):
        raise ToolFailure(
            "address_incomplete",
            "I need the full address: street and number, town or city, postcode and country.",
        )
    address: dict[str, Any] = {
        "name": name,
        "line1": parts[0],
        "line2": "",
        "city": "",
        "region": "",
        "postal_code": "",
        "country": default_country,
    }
    rest = parts[1:]
    if rest and _COUNTRIES.get(rest[-1].lower()):
        address["country"] = _COUNTRIES[rest.pop().lower()]
    for part in list(rest):
        if _LINE2.match(part):
            address["line2"] = part
            rest.remove(part)
    for part in list(rest):
        state_zip = _US_STATE_ZIP.match(part)
        if state_zip:
            address["region"], address["postal_code"] = (
                state_zip.group(1).upper(),
                state_zip.group(2),
            )
            rest.remove(part)
            continue
        postcode = _UK_POSTCODE.search(part) or _ZIP.search(part)
        if postcode and not address["postal_code"]:
            address["postal_code"] = postcode.group(1).upper()
            remainder = (part[: postcode.start()] + part[postcode.end() :]).strip()
            rest.remove(part)
            if remainder:
                rest.append(remainder)
    if rest:
        address["city"] = rest.pop(0)
    if rest:
        address["region"] = address["region"] or rest.pop(0)
    if not address["city"]:
        raise ToolFailure(
            "address_incomplete",
            "I need the town or city as well as the street (and the postcode).",
            address=format_address(address),
        )
    return address


def _units_left(line: OrderLine) -> int:
    return line.quantity - line.returned_quantity - line.exchanged_quantity


def resolve_line(order: Order, ref: str | int) -> OrderLine:
    """The order line a reference means: a line id, a position, a title, a SKU or options."""
    lines = order.lines
    if isinstance(ref, int) or str(ref).strip().isdigit():
        value = int(ref)
        for line in lines:
            if line.id == value:
                return line
        if 1 <= value <= len(lines):
            return lines[value - 1]
    text = str(ref).strip()
    position = ordinal(text)
    if position is not None and lines:
        index = position - 1 if position > 0 else len(lines) - 1
        if 0 <= index < len(lines):
            return lines[index]
    if len(lines) == 1 and text.lower() in {"it", "item", "the item", "that", "this", "all"}:
        return lines[0]
    scored = sorted(
        (
            (
                max(
                    fuzz.token_set_ratio(
                        text.lower(), f"{line.title} {line.variant_title}".lower()
                    ),
                    100 if line.sku and line.sku.lower() == text.lower() else 0,
                ),
                line,
            )
            for line in lines
        ),
        key=lambda pair: -pair[0],
    )
    if scored and scored[0][0] >= 60 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    raise ToolFailure(
        "line_not_found",
        f"I could not tell which item of order {order.number} {text!r} means.",
        items=[_line_brief(line) for line in lines],
    )


def _line_brief(line: OrderLine) -> dict[str, Any]:
    return {
        "line_id": line.id,
        "title": line.title,
        "variant": line.variant_title,
        "quantity": line.quantity,
        "units_left": _units_left(line),
    }


def pick_variant(
    line_product_variants: Sequence[dict[str, Any]], current: dict[str, Any], wanted: str
) -> dict[str, Any]:
    """The variant of the same product that `wanted` ("size L", "in white") describes.

    Options not mentioned keep the line's current values. Each variant is a mapping with
    `id`, `options` and `available` (units).
    """
    found = match_options(wanted, [v["options"] for v in line_product_variants])
    if not found:
        raise ToolFailure(
            "options_not_understood",
            f"I could not tell which option {wanted!r} means.",
            choices=_choices(line_product_variants),
        )
    target = {**{str(k): str(v) for k, v in current.items()}, **found}
    for variant in line_product_variants:
        options = {str(k): str(v) for k, v in variant["options"].items()}
        if options == target:
            return variant
    raise ToolFailure(
        "variant_not_found",
        "That combination of options does not exist for this product.",
        wanted=target,
        choices=_choices(line_product_variants),
    )


def _choices(variants: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"options": v["options"], "in_stock": v["available"] > 0} for v in variants]


def pick_payment_method(methods: Sequence[dict[str, Any]], wanted: str) -> dict[str, Any]:
    """One of the shopper's payment methods from a description or an id."""
    text = wanted.strip()
    if text.isdigit():
        for method in methods:
            if method["payment_method_id"] == int(text):
                return method
    ref = payment_reference(text) or {}
    candidates = [
        m
        for m in methods
        if (ref.get("kind") is None or m["kind"] == ref["kind"])
        and (ref.get("last4") is None or m.get("last4") == ref["last4"])
        and (ref.get("brand") is None or (m.get("brand") or "").lower() == ref["brand"])
    ]
    if not ref:
        candidates = [
            m for m in methods if fuzz.partial_ratio(text.lower(), m["label"].lower()) >= 80
        ]
    if len(candidates) == 1:
        return candidates[0]
    raise ToolFailure(
        "payment_method_ambiguous" if candidates else "payment_method_not_found",
        "Which of your payment methods do you mean?",
        payment_methods=[{"label": m["label"], "kind": m["kind"]} for m in methods],
    )


def order_data(order: Order) -> dict[str, Any]:
    """What a model sees of an order: facts only, the address reduced to town and country."""
    address = order.shipping_address or {}
    return {
        "order_number": order.number,
        "status": order.status,
        "placed_at": order.placed_at.date().isoformat(),
        "currency": order.currency,
        "total": order.total,
        "ships_to": ", ".join(p for p in (address.get("city"), address.get("country")) if p),
        "lines": [
            {
                "line_id": line.id,
                "title": line.title,
                "variant": line.variant_title,
                "options": line.options,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "returned": line.returned_quantity,
                "exchanged": line.exchanged_quantity,
            }
            for line in order.lines
        ],
        "fulfilments": [
            {
                "status": f.status,
                "carrier": f.carrier,
                "tracking_numbers": f.tracking_numbers,
                "tracking_url": f.tracking_url,
                "shipped_at": f.shipped_at.date().isoformat() if f.shipped_at else None,
                "estimated_delivery": f.estimated_delivery_at.date().isoformat()
                if f.estimated_delivery_at
                else None,
                "delivered_at": f.delivered_at.date().isoformat() if f.delivered_at else None,
            }
            for f in order.fulfilments
        ],
        "payments": [
            {"kind": t.kind, "amount": t.amount, "method": t.method_label, "status": t.status}
            for t in order.transactions
        ],
        "returns": [{"status": r.status, "refund_amount": r.refund_amount} for r in order.returns],
        "exchanges": [{"status": e.status} for e in order.exchanges],
    }


def order_card(order: Order, store: StoreInfo) -> dict[str, Any]:
    """The order card the widget shows."""
    return {
        "type": "order",
        "order_number": order.number,
        "status": order.status,
        "placed_at": order.placed_at.date().isoformat(),
        "total": order.total,
        "currency": order.currency,
        "total_display": store.money(order.total, order.currency),
        "lines": [
            {
                "title": line.title,
                "variant": line.variant_title,
                "quantity": line.quantity,
                "price_display": store.money(line.unit_price, order.currency),
            }
            for line in order.lines
        ],
        "tracking": [
            {
                "carrier": f.carrier,
                "numbers": f.tracking_numbers,
                "url": f.tracking_url,
                "status": f.status,
            }
            for f in order.fulfilments
            if f.tracking_numbers or f.tracking_url
        ],
    }
