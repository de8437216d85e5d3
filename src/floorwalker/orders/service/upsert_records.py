"""Turning an order record into the rows it means, and telling whether anything changed.

Pure functions: the upsert resolves every record of a batch against what is already stored
(variants, customers, payment methods, the matched order) before writing anything, so a bad
record fails alone and a repeated record is reported unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from floorwalker.kit.clock import ensure_aware
from floorwalker.orders.errors import InvalidOrderRecord
from floorwalker.orders.models import Order
from floorwalker.orders.schemas import MAX_INT, FulfilmentItemRecord, OrderRecord

ORDER_FIELDS = (
    "source", "external_id", "number", "customer_id", "email", "status", "currency", "subtotal",
    "shipping_total", "tax_total", "discount_total", "total", "shipping_address", "placed_at",
    "cancelled_at", "cancel_reason", "item_modifications", "note",
)  # fmt: skip
LINE_FIELDS = (
    "external_id", "variant_id", "product_id", "sku", "title", "variant_title", "options",
    "quantity", "unit_price",
)  # fmt: skip
FULFILMENT_FIELDS = (
    "external_id", "status", "carrier", "tracking_numbers", "tracking_url", "items",
    "shipped_at", "estimated_delivery_at", "delivered_at",
)  # fmt: skip
TRANSACTION_FIELDS = (
    "external_id", "kind", "amount", "currency", "payment_method_id", "method_kind",
    "method_label", "status", "reason", "created_at",
)  # fmt: skip


@dataclass(frozen=True)
class VariantRef:
    """What a line needs to know about a catalog variant."""

    id: int
    product_id: int
    sku: str | None
    title: str
    options: dict[str, Any]
    product_title: str


@dataclass(frozen=True)
class MethodInfo:
    """A payment method of the store, as a transaction names it."""

    id: int
    customer_id: int
    kind: str
    label: str


@dataclass
class Lookups:
    """What a batch's records refer to, loaded once per batch."""

    variants_by_id: dict[int, VariantRef] = field(default_factory=dict)
    variants_by_sku: dict[str, VariantRef] = field(default_factory=dict)
    customers: set[int] = field(default_factory=set)
    methods: dict[int, MethodInfo] = field(default_factory=dict)


@dataclass
class Wanted:
    """The rows a record means. Fulfilment items name lines by position (`line_index`)."""

    order: dict[str, Any]
    lines: list[dict[str, Any]]
    fulfilments: list[dict[str, Any]] | None
    transactions: list[dict[str, Any]] | None


def _fail(detail: str, code: str, **data: Any) -> InvalidOrderRecord:
    return InvalidOrderRecord(detail, code=code, **data)


def _time(value: dt.datetime | None) -> dt.datetime | None:
    return ensure_aware(value) if value is not None else None


def _line(rec: OrderRecord, index: int, lookups: Lookups) -> dict[str, Any]:
    spec = rec.lines[index]
    variant: VariantRef | None = None
    if spec.variant_id is not None:
        variant = lookups.variants_by_id.get(spec.variant_id)
        if variant is None:
            raise _fail(
                f"Line {index}: variant {spec.variant_id} not found.",
                "variant_not_found",
                line_index=index,
                variant_id=spec.variant_id,
            )
    elif spec.sku:
        variant = lookups.variants_by_sku.get(spec.sku)
        if variant is None and not spec.title:
            raise _fail(
                f"Line {index}: no variant has SKU {spec.sku!r}; give a title to keep the line "
                "without a catalog variant.",
                "sku_not_found",
                line_index=index,
                sku=spec.sku,
            )
    return {
        "external_id": spec.external_id,
        "variant_id": variant.id if variant else None,
        "product_id": variant.product_id if variant else None,
        "sku": spec.sku if spec.sku is not None else (variant.sku if variant else None),
        "title": spec.title or (variant.product_title if variant else ""),
        "variant_title": (
            spec.variant_title
            if spec.variant_title is not None
            else (variant.title if variant else "")
        ),
        "options": (
            spec.options if spec.options is not None else dict(variant.options if variant else {})
        ),
        "quantity": spec.quantity,
        "unit_price": spec.unit_price,
    }


def _line_index(item: FulfilmentItemRecord, lines: list[dict[str, Any]], where: str) -> int:
    if item.line_index is not None:
        if item.line_index >= len(lines):
            raise _fail(f"{where}: there is no line {item.line_index}.", "line_not_found")
        return item.line_index
    for index, line in enumerate(lines):
        if item.line_external_id is not None and line["external_id"] == item.line_external_id:
            return index
        if item.sku and line["sku"] == item.sku:
            return index
    ref = item.line_external_id if item.line_external_id is not None else item.sku
    raise _fail(f"{where}: no line matches {ref!r}.", "line_not_found")


def _fulfilments(rec: OrderRecord, lines: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    if rec.fulfilments is None:
        return None
    shipped = [0] * len(lines)
    out = []
    for f_index, spec in enumerate(rec.fulfilments):
        items = []
        for item in spec.items:
            index = _line_index(item, lines, f"Fulfilment {f_index}")
            shipped[index] += item.quantity
            if shipped[index] > lines[index]["quantity"]:
                raise _fail(
                    f"Line {index} ships {shipped[index]} units but has "
                    f"{lines[index]['quantity']}.",
                    "fulfilment_exceeds_order",
                    line_index=index,
                )
            items.append({"line_index": index, "quantity": item.quantity})
        out.append(
            {
                "external_id": spec.external_id,
                "status": spec.status.value,
                "carrier": spec.carrier,
                "tracking_numbers": list(spec.tracking_numbers),
                "tracking_url": spec.tracking_url,
                "items": items,
                "shipped_at": _time(spec.shipped_at),
                "estimated_delivery_at": _time(spec.estimated_delivery_at),
                "delivered_at": _time(spec.delivered_at),
            }
        )
    return out


def _transactions(rec: OrderRecord, currency: str, lookups: Lookups) -> list[dict[str, Any]] | None:
    if rec.transactions is None:
        return None
    out = []
    for index, spec in enumerate(rec.transactions):
        method: MethodInfo | None = None
        if spec.payment_method_id is not None:
            method = lookups.methods.get(spec.payment_method_id)
            if method is None or (
                rec.customer_id is not None and method.customer_id != rec.customer_id
            ):
                raise _fail(
                    f"Transaction {index}: payment method {spec.payment_method_id} is not one of "
                    "the order's customer's.",
                    "payment_method_not_found",
                    transaction_index=index,
                    payment_method_id=spec.payment_method_id,
                )
        kind = spec.method_kind or (method.kind if method else "other")
        out.append(
            {
                "external_id": spec.external_id,
                "kind": spec.kind.value,
                "amount": spec.amount,
                "currency": currency,
                "payment_method_id": method.id if method else None,
                "method_kind": kind,
                "method_label": spec.method_label
                or (method.label if method else kind.replace("_", " ").capitalize()),
                "status": spec.status.value,
                "reason": spec.reason,
                "created_at": _time(spec.created_at),
            }
        )
    return out


def resolve(
    rec: OrderRecord, lookups: Lookups, *, store_currency: str, existing: Order | None
) -> Wanted:
    """The rows `rec` means; raises InvalidOrderRecord (with a specific code) when it can't."""
    if rec.customer_id is not None and rec.customer_id not in lookups.customers:
        raise _fail(
            f"Customer {rec.customer_id} not found.",
            "customer_not_found",
            customer_id=rec.customer_id,
        )
    currency = rec.currency or (existing.currency if existing else store_currency)
    lines = [_line(rec, i, lookups) for i in range(len(rec.lines))]
    subtotal = sum(line["quantity"] * line["unit_price"] for line in lines)
    computed = max(0, subtotal + rec.shipping_total + rec.tax_total - rec.discount_total)
    if max(subtotal, computed) > MAX_INT:
        raise _fail("The order's amounts are too large to store.", "amount_out_of_range")
    order = {
        "source": rec.source,
        "external_id": rec.external_id,
        "number": rec.number,
        "customer_id": rec.customer_id,
        "email": rec.email,
        "status": rec.status.value,
        "currency": currency,
        "subtotal": subtotal,
        "shipping_total": rec.shipping_total,
        "tax_total": rec.tax_total,
        "discount_total": rec.discount_total,
        "total": rec.total if rec.total is not None else computed,
        "shipping_address": dict(rec.shipping_address),
        "placed_at": _time(rec.placed_at),
        "cancelled_at": _time(rec.cancelled_at),
        "cancel_reason": rec.cancel_reason,
        "item_modifications": rec.item_modifications,
        "note": rec.note,
    }
    return Wanted(
        order=order,
        lines=lines,
        fulfilments=_fulfilments(rec, lines),
        transactions=_transactions(rec, currency, lookups),
    )


def current(order: Order) -> Wanted:
    """The rows stored for an order, in the shape `resolve` produces."""
    index_of = {line.id: i for i, line in enumerate(order.lines)}
    return Wanted(
        order={name: _norm(getattr(order, name)) for name in ORDER_FIELDS},
        lines=[{name: getattr(line, name) for name in LINE_FIELDS} for line in order.lines],
        fulfilments=[
            {
                **{name: _norm(getattr(f, name)) for name in FULFILMENT_FIELDS},
                "items": [
                    {"line_index": index_of.get(int(i["line_id"]), -1), "quantity": i["quantity"]}
                    for i in f.items
                ],
            }
            for f in order.fulfilments
        ],
        transactions=[
            {name: _norm(getattr(t, name)) for name in TRANSACTION_FIELDS}
            for t in order.transactions
        ],
    )


def _norm(value: Any) -> Any:
    return ensure_aware(value) if isinstance(value, dt.datetime) else value


def differences(wanted: Wanted, stored: Wanted) -> list[str]:
    """Names of what `wanted` changes (order fields, "lines", "fulfilments", "transactions").

    Values a record leaves out (no `placed_at`, a transaction without `created_at`) keep what
    is stored and do not count as changes.
    """
    changed = [
        name
        for name in ORDER_FIELDS
        if not (name == "placed_at" and wanted.order[name] is None)
        and wanted.order[name] != stored.order[name]
    ]
    if wanted.lines != stored.lines:
        changed.append("lines")
    if wanted.fulfilments is not None and wanted.fulfilments != stored.fulfilments:
        changed.append("fulfilments")
    if wanted.transactions is not None:
        old = stored.transactions or []
        same = len(wanted.transactions) == len(old) and all(
            {**w, "created_at": w["created_at"] or o["created_at"]} == o
            for w, o in zip(wanted.transactions, old, strict=True)
        )
        if not same:
            changed.append("transactions")
    return changed


def match_children(
    stored_external_ids: list[str | None], wanted: list[dict[str, Any]]
) -> list[int | None]:
    """For each wanted child, the position of the stored child it updates (None: a new one).

    A child with an external id matches the stored child with the same external id; one
    without matches the stored child at the same position if that one has none either.
    """
    by_external = {ext: i for i, ext in enumerate(stored_external_ids) if ext is not None}
    taken: set[int] = set()
    out: list[int | None] = []
    for position, child in enumerate(wanted):
        ext = child.get("external_id")
        found: int | None
        if ext is not None:
            found = by_external.get(ext)
        elif position < len(stored_external_ids) and stored_external_ids[position] is None:
            found = position
        else:
            found = None
        if found is not None and found in taken:
            found = None
        if found is not None:
            taken.add(found)
        out.append(found)
    return out
