"""Orders from flat rows (CSV, Parquet): one row per line, an order's rows adjacent."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from floorwalker.connectors.files.convert import (
    FieldError,
    Item,
    Problem,
    drop_none,
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
    current: Item | None = None
    current_key: str | None = None
    finished: set[str] = set()
    for row in rows:
        if row.problem is not None:
            yield Item(row.line, None, [Problem(row.line, None, row.problem)])
            continue
        key = _order_key(row.values)
        if key is None:
            yield Item(
                row.line, None, [Problem(row.line, "number", "a row needs external_id or number")]
            )
            continue
        if key != current_key:
            if current is not None and current_key is not None:
                finished.add(current_key)
                yield current
            current, current_key = None, key
            if key in finished:
                current_key = None
                yield Item(
                    row.line,
                    None,
                    [
                        Problem(
                            row.line,
                            key.split(":")[0],
                            "this order's rows are not adjacent; keep an order's lines together",
                        )
                    ],
                )
                continue
            try:
                current = Item(row.line, _order(row.values, source, currency))
            except FieldError as exc:
                current = Item(row.line, None, [Problem(row.line, exc.column, str(exc))])
        if current is None:
            continue
        line_currency = str(row.values.get("currency") or currency).upper()
        try:
            line = _line(row.values, line_currency)
        except FieldError as exc:
            current.problems.append(Problem(row.line, exc.column, str(exc)))
            current.record = None
            continue
        if current.record is not None:
            current.lines[("lines", len(current.record["lines"]))] = row.line
            current.record["lines"].append(line)
    if current is not None:
        yield current
