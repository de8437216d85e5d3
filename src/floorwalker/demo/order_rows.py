"""Turn order drafts into rows: orders, lines, fulfilments, transactions, returns, exchanges."""

from __future__ import annotations

from typing import Any

from floorwalker.demo.drafts import OrderDraft
from floorwalker.demo.plan import Plan, Ref

FIRST_ORDER_NUMBER = 1001


def _line(draft: OrderDraft, index: int) -> Ref:
    ref = draft.lines[index].ref
    assert ref is not None
    return ref


def emit_orders(plan: Plan, drafts: list[OrderDraft], locations: dict[str, Ref]) -> None:
    """Number the orders by the time they were placed and add their rows."""
    drafts.sort(key=lambda d: d.placed_at)
    for number, draft in enumerate(drafts, start=FIRST_ORDER_NUMBER):
        customer = draft.customer
        order = plan.add(
            "orders",
            {
                "source": "demo",
                "number": f"#{number}",
                "customer_id": customer.ref if customer else None,
                "email": draft.email,
                "status": draft.status,
                "currency": "USD",
                "subtotal": draft.subtotal,
                "shipping_total": draft.shipping,
                "tax_total": draft.tax,
                "discount_total": draft.discount,
                "total": draft.total,
                "shipping_address": draft.address,
                "placed_at": draft.placed_at,
                "cancelled_at": draft.cancelled_at,
                "cancel_reason": draft.cancel_reason,
                "item_modifications": draft.item_modifications,
                "note": draft.note,
                "created_at": draft.placed_at,
                "updated_at": draft.updated_at,
            },
        )
        draft.ref = order
        for position, line in enumerate(draft.lines):
            variant = line.variant
            line.ref = plan.add(
                "order_lines",
                {
                    "order_id": order,
                    "variant_id": variant.ref,
                    "product_id": variant.product.ref,
                    "position": position,
                    "sku": variant.sku,
                    "title": variant.product.title,
                    "variant_title": variant.title,
                    "options": variant.options,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                    "reserved_location_id": locations[line.reserved_at]
                    if line.reserved_at
                    else None,
                },
            )
        for shipment in draft.shipments:
            plan.add(
                "fulfilments",
                {
                    "order_id": order,
                    "status": shipment.status,
                    "carrier": shipment.carrier,
                    "tracking_numbers": shipment.tracking_numbers,
                    "tracking_url": shipment.tracking_url,
                    "items": [
                        {"line_id": _line(draft, i), "quantity": q} for i, q in shipment.items
                    ],
                    "shipped_at": shipment.shipped_at,
                    "estimated_delivery_at": shipment.estimated_at,
                    "delivered_at": shipment.delivered_at,
                    "created_at": shipment.shipped_at,
                    "updated_at": shipment.delivered_at or shipment.shipped_at,
                },
            )
        for money in draft.money:
            plan.add(
                "payment_transactions",
                {
                    "order_id": order,
                    "kind": money.kind,
                    "amount": money.amount,
                    "currency": "USD",
                    "payment_method_id": money.method.ref if money.method else None,
                    "method_kind": money.method_kind,
                    "method_label": money.method_label,
                    "status": money.status,
                    "reason": money.reason,
                    "created_at": money.at,
                },
            )
        for ret in draft.returns:
            method_ref = ret.destination.ref if ret.destination else None
            refunds: list[dict[str, Any]] = []
            if ret.refund_amount:
                refunds.append(
                    {
                        "payment_method_id": method_ref,
                        "method_kind": ret.method_kind,
                        "method_label": ret.method_label,
                        "amount": ret.refund_amount,
                    }
                )
            plan.add(
                "order_returns",
                {
                    "order_id": order,
                    "status": ret.status,
                    "items": [{"line_id": _line(draft, i), "quantity": q} for i, q in ret.items],
                    "refund_amount": ret.refund_amount,
                    "refund_payment_method_id": method_ref,
                    "refund_method_label": ret.method_label,
                    "refunds": refunds,
                    "reason": ret.reason,
                    "completed_at": ret.completed_at,
                    "created_at": ret.requested_at,
                    "updated_at": ret.completed_at or ret.requested_at,
                },
            )
        for exchange in draft.exchanges:
            new = exchange.new_variant
            method = exchange.method
            plan.add(
                "order_exchanges",
                {
                    "order_id": order,
                    "status": exchange.status,
                    "items": [
                        {
                            "line_id": _line(draft, exchange.line),
                            "quantity": exchange.quantity,
                            "new_variant_id": new.ref,
                            "new_sku": new.sku,
                            "new_variant_title": new.title,
                            "new_options": new.options,
                            "new_unit_price": exchange.new_unit_price,
                            "reserved_location_id": locations[exchange.reserved_at]
                            if exchange.reserved_at
                            else None,
                        }
                    ],
                    "price_difference": exchange.difference,
                    "settlement_payment_method_id": method.ref if method else None,
                    "settlement_method_kind": method.kind if method else "",
                    "settlement_method_label": method.label if method else "",
                    "reason": exchange.reason,
                    "completed_at": exchange.completed_at,
                    "created_at": exchange.requested_at,
                    "updated_at": exchange.completed_at or exchange.requested_at,
                },
            )
