"""Orders from flat rows (CSV, Parquet): one row per line, an order's rows adjacent."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from floorwalker.connectors.files.convert import (
    Item,
    drop_none,
    grouped,
    integer,
    money,
    prefixed,
    text,
)
from floorwalker.connectors.files.readers import Row


def _order_key(values: dict[str, Any]) -> str | None:
    for key in ("external_id", "number"):
        if key in values:
            return f"{key}:{values[key]}"
    return None


def _order(values: dict[str, Any], source: str, currency: str) -> dict[str, Any]:
    order_currency = str(values.get("currency") or currency).upper()
    ship = prefixed(values, "ship_")
    record = drop_none(
        {
            "source": source,
            "external_id": text(values, "external_id"),
            "number": text(values, "number"),
            "email": text(values, "email"),
            "status": text(values, "status"),
            "currency": text(values, "currency"),
            "placed_at": text(values, "placed_at"),
            "cancelled_at": text(values, "cancelled_at"),
            "cancel_reason": text(values, "cancel_reason"),
            "shipping_total": money(values, "shipping_total", order_currency),
            "tax_total": money(values, "tax_total", order_currency),
            "discount_total": money(values, "discount_total", order_currency),
            "total": money(values, "total", order_currency),
            "note": text(values, "note"),
            "shipping_address": ship or None,
            # Resolved to a customer id by the importer (by external id of the source, or e-mail).
            "_customer_external_id": text(values, "customer_external_id"),
            "_customer_email": text(values, "customer_email"),
            "_payment": drop_none(
                {
                    "method_kind": text(values, "payment_method"),
                    "method_label": text(values, "payment_label"),
                    "amount": money(values, "paid", order_currency),
                }
            )
            or None,
        }
    )
    record["lines"] = []
    return record


def _line(values: dict[str, Any], currency: str) -> dict[str, Any]:
    return drop_none(
        {
            "external_id": text(values, "line_external_id"),
            "sku": text(values, "sku"),
            "title": text(values, "line_title"),
            "variant_title": text(values, "variant_title"),
            "quantity": integer(values, "quantity"),
            "unit_price": money(values, "unit_price", currency),
        }
    )


def orders(rows: Iterator[Row], source: str, currency: str) -> Iterator[Item]:
    """Orders from one row per line; an order's rows must be adjacent."""
    return grouped(
        rows,
        key_of=_order_key,
        no_key=("number", "a row needs external_id or number"),
        not_adjacent="this order's rows are not adjacent; keep an order's lines together",
        parent=lambda values: _order(values, source, currency),
        child=lambda values: _line(values, str(values.get("currency") or currency).upper()),
        children="lines",
    )
