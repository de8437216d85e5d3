"""Floorwalker order changes written to Shopify with Admin GraphQL mutations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from floorwalker.connectors.base import WriteBackChange, WriteBackResult
from floorwalker.connectors.common import numeric_id
from floorwalker.connectors.errors import PlatformError
from floorwalker.connectors.shopify import queries
from floorwalker.kit.money import to_major

if TYPE_CHECKING:
    from floorwalker.connectors.shopify.client import ShopifyConnector


def gid(kind: str, external_id: str) -> str:
    """A Shopify global id."""
    return f"gid://shopify/{kind}/{external_id}"


def _check(payload: dict[str, Any] | None, operation: str, errors_key: str = "userErrors") -> None:
    errors = (payload or {}).get(errors_key) or []
    if errors:
        messages = "; ".join(str(e.get("message")) for e in errors)
        raise PlatformError(f"Shopify refused {operation}: {messages}", user_errors=errors)


def _plan(change: WriteBackChange) -> dict[str, Any]:
    plan = change.data.get("plan")
    return plan if isinstance(plan, dict) else {}


def mailing_address(address: dict[str, Any]) -> dict[str, Any]:
    """Floorwalker's address snapshot as a Shopify MailingAddressInput."""
    first, _, last = str(address.get("name") or "").partition(" ")
    return {
        "firstName": first,
        "lastName": last,
        "address1": address.get("line1") or "",
        "address2": address.get("line2") or "",
        "city": address.get("city") or "",
        "province": address.get("region") or "",
        "zip": address.get("postal_code") or "",
        "countryCode": address.get("country") or "",
        "phone": address.get("phone"),
    }


async def apply(client: ShopifyConnector, change: WriteBackChange) -> WriteBackResult:
    """Run the mutations that make the Shopify order match the Floorwalker change."""
    order_gid = gid("Order", change.order_external_id)
    plan = _plan(change)
    if change.operation == "cancel":
        data = await client.graphql(
            "OrderCancel",
            queries.ORDER_CANCEL,
            {
                "orderId": order_gid,
                "reason": "CUSTOMER",
                "restock": True,
                "refundMethod": {"originalPaymentMethodsRefund": True},
                "staffNote": f"Cancelled through Floorwalker: {plan.get('reason', '')}".strip(),
                "notifyCustomer": True,
            },
        )
        _check(data.get("orderCancel"), "orderCancel", "orderCancelUserErrors")
        job = (data.get("orderCancel") or {}).get("job") or {}
        return WriteBackResult("delivered", result={"job_id": job.get("id")})
    if change.operation == "modify_address":
        data = await client.graphql(
            "OrderUpdate",
            queries.ORDER_UPDATE,
            {
                "input": {
                    "id": order_gid,
                    "shippingAddress": mailing_address(plan.get("address_after") or {}),
                }
            },
        )
        _check(data.get("orderUpdate"), "orderUpdate")
        return WriteBackResult("delivered", result=_updated(data.get("orderUpdate")))
    if change.operation == "modify_items":
        return await _edit_items(client, change, order_gid, plan)
    if change.operation in {"return", "exchange"}:
        return await _create_return(client, change, order_gid, plan)
    if change.operation == "complete_return":
        return await _refund(client, change, order_gid, plan)
    if change.operation == "modify_payment":
        return WriteBackResult(
            "unsupported",
            "Shopify's Admin API cannot change an order's payment method; the refund and the "
            "new charge are recorded in Floorwalker and must be settled in Shopify's admin.",
        )
    return WriteBackResult(
        "unsupported", f"Shopify has no counterpart for {change.operation}; nothing was sent."
    )


def _updated(payload: Any) -> dict[str, Any]:
    order = (payload or {}).get("order") or {}
    return {"order_updated_at": order.get("updatedAt")}


async def _edit_items(
    client: ShopifyConnector, change: WriteBackChange, order_gid: str, plan: dict[str, Any]
) -> WriteBackResult:
    begun = await client.graphql("OrderEditBegin", queries.ORDER_EDIT_BEGIN, {"id": order_gid})
    _check(begun.get("orderEditBegin"), "orderEditBegin")
    calculated = begun["orderEditBegin"]["calculatedOrder"]
    lines = {
        numeric_id((n.get("variant") or {}).get("id", "")): n
        for n in calculated["lineItems"]["nodes"]
    }
    for swap in plan.get("swaps") or []:
        old = change.variant_external_ids.get(int(swap.get("from_variant_id") or 0))
        new = change.variant_external_ids.get(int(swap["to_variant_id"]))
        if old is None or new is None or old not in lines:
            raise PlatformError(
                "The swapped variants are not both known on Shopify; the edit was not sent.",
                swap=swap,
            )
        line = lines[old]
        remaining = max(0, int(line["quantity"]) - int(swap["quantity"]))
        result = await client.graphql(
            "OrderEditSetQuantity",
            queries.ORDER_EDIT_SET_QUANTITY,
            {"id": calculated["id"], "lineItemId": line["id"], "quantity": remaining},
        )
        _check(result.get("orderEditSetQuantity"), "orderEditSetQuantity")
        result = await client.graphql(
            "OrderEditAddVariant",
            queries.ORDER_EDIT_ADD_VARIANT,
            {
                "id": calculated["id"],
                "variantId": gid("ProductVariant", new),
                "quantity": int(swap["quantity"]),
            },
        )
        _check(result.get("orderEditAddVariant"), "orderEditAddVariant")
    committed = await client.graphql(
        "OrderEditCommit",
        queries.ORDER_EDIT_COMMIT,
        {
            "id": calculated["id"],
            "staffNote": f"Items changed through Floorwalker ({change.event_id})",
        },
    )
    _check(committed.get("orderEditCommit"), "orderEditCommit")
    return WriteBackResult("delivered", result=_updated(committed.get("orderEditCommit")))


async def _order_details(client: ShopifyConnector, order_gid: str) -> dict[str, Any]:
    data = await client.graphql(
        "OrderFulfillmentLines", queries.ORDER_FULFILLMENT_LINES, {"id": order_gid}
    )
    order = data.get("order")
    if not order:
        raise PlatformError("Shopify does not know this order any more.")
    return dict(order)


async def _create_return(
    client: ShopifyConnector, change: WriteBackChange, order_gid: str, plan: dict[str, Any]
) -> WriteBackResult:
    order = await _order_details(client, order_gid)
    by_line: dict[str, str] = {}
    for fulfilment in order.get("fulfillments") or []:
        for item in (fulfilment.get("fulfillmentLineItems") or {}).get("nodes") or []:
            by_line.setdefault(numeric_id(item["lineItem"]["id"]), item["id"])
    items = plan.get("lines") or plan.get("swaps") or []
    return_lines = []
    for item in items:
        external = change.line_external_ids.get(int(item["line_id"]))
        if external is None or external not in by_line:
            raise PlatformError("A returned line was never fulfilled on Shopify.", line=item)
        return_lines.append(
            {
                "fulfillmentLineItemId": by_line[external],
                "quantity": int(item["quantity"]),
                "returnReason": "OTHER",
                "returnReasonNote": str(plan.get("reason") or "")[:255],
            }
        )
    return_input: dict[str, Any] = {
        "orderId": order_gid,
        "returnLineItems": return_lines,
        "notifyCustomer": False,
    }
    if change.operation == "exchange":
        return_input["exchangeLineItems"] = [
            {
                "variantId": gid(
                    "ProductVariant", change.variant_external_ids[int(s["to_variant_id"])]
                ),
                "quantity": int(s["quantity"]),
            }
            for s in plan.get("swaps") or []
        ]
    data = await client.graphql(
        "ReturnCreate", queries.RETURN_CREATE, {"returnInput": return_input}
    )
    _check(data.get("returnCreate"), "returnCreate")
    created = (data.get("returnCreate") or {}).get("return") or {}
    return WriteBackResult("delivered", result={"return_id": created.get("id")})


async def _refund(
    client: ShopifyConnector, change: WriteBackChange, order_gid: str, plan: dict[str, Any]
) -> WriteBackResult:
    order = await _order_details(client, order_gid)
    currency = str(plan.get("currency") or change.order.get("currency") or "USD")
    sale = next(
        (
            t
            for t in order.get("transactions") or []
            if str(t.get("kind")).upper() in {"SALE", "CAPTURE"}
            and str(t.get("status")).upper() == "SUCCESS"
        ),
        None,
    )
    refund_lines = []
    for line in plan.get("lines") or []:
        external = change.line_external_ids.get(int(line["line_id"]))
        if external is None:
            raise PlatformError("A refunded line has no Shopify id.", line=line)
        refund_lines.append(
            {
                "lineItemId": gid("LineItem", external),
                "quantity": int(line["quantity"]),
                "restockType": "RETURN",
            }
        )
    to_platform = sum(
        int(m["amount"])
        for m in plan.get("movements") or []
        if m.get("kind") == "refund" and m.get("method_kind") not in {"gift_card", "store_credit"}
    )
    refund_input: dict[str, Any] = {
        "orderId": order_gid,
        "note": f"Return received through Floorwalker ({change.event_id})",
        "refundLineItems": refund_lines,
        "notify": True,
    }
    if to_platform > 0 and sale is not None:
        refund_input["transactions"] = [
            {
                "orderId": order_gid,
                "parentId": sale["id"],
                "gateway": sale.get("gateway"),
                "kind": "REFUND",
                "amount": str(to_major(to_platform, currency)),
            }
        ]
    data = await client.graphql("RefundCreate", queries.REFUND_CREATE, {"input": refund_input})
    _check(data.get("refundCreate"), "refundCreate")
    refund = (data.get("refundCreate") or {}).get("refund") or {}
    return WriteBackResult("delivered", result={"refund_id": refund.get("id")})
