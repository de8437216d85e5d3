"""Replies of the local model, composed only from tool results and the store's own settings.

Every number, name, status and date in these texts comes from a tool result; the templates
supply only the connecting words. That is what makes the local model's answers checkable.
"""

from __future__ import annotations

from typing import Any

from floorwalker.assistant.context import StoreInfo
from floorwalker.assistant.wording import STATUS_WORDS

TASK_WORDS = {
    "cancel": "cancel an order",
    "return": "return items",
    "exchange": "exchange items",
    "modify_items": "change the items of an order",
    "modify_address": "change an order's delivery address",
    "modify_payment": "change how an order is paid",
    "update_default_address": "change your saved address",
    "order_status": "check on your orders",
    "list_orders": "look at your orders",
}
CAPABILITIES = (
    "I can search the catalogue, answer questions about products, compare them, suggest things "
    "you might like and build a cart; and, once I've confirmed who you are, check your orders "
    "and tracking, cancel or change pending orders, and start returns or exchanges. You can ask "
    "for a person at any time."
)


def disclosure(store: StoreInfo) -> str:
    """The first message's AI disclosure."""
    return (
        f"Hi! I'm {store.assistant_name}, {store.name}'s AI shopping assistant — an automated "
        "assistant, not a person. "
    )


def greeting(store: StoreInfo, first: bool) -> str:
    """A greeting (the welcome message already disclosed that this is an AI assistant)."""
    head = "Hello! " if first else "Hello again! "
    return head + "What can I help you find or sort out today?"


def money(store: StoreInfo, amount: int | None, currency: str | None = None) -> str:
    """An amount for people."""
    return store.money(int(amount or 0), currency)


def price_range(store: StoreInfo, product: dict[str, Any]) -> str:
    """`£45.00` or `£45.00–£48.00`."""
    low, high = product.get("price_min", product.get("price")), product.get("price_max")
    if high is None or high == low:
        return money(store, low)
    return f"{money(store, low)}–{money(store, high)}"


def product_line(store: StoreInfo, index: int, product: dict[str, Any]) -> str:
    """One numbered line of a product list."""
    brand = f" by {product['brand']}" if product.get("brand") else ""
    stock = "" if product.get("in_stock", product.get("available", 1)) else " (out of stock)"
    return f"{index}. {product['title']}{brand} — {price_range(store, product)}{stock}"


def search_results(store: StoreInfo, data: dict[str, Any]) -> str:
    """The reply to a search."""
    products = data.get("products") or []
    if not products:
        query = data.get("query") or "that"
        return (
            f'I couldn\'t find anything in our catalogue for "{query}". Could you describe it '
            "differently, or would you like me to ask a colleague?"
        )
    head = "Here's what I found:" if len(products) > 1 else "I found this:"
    applied = data.get("preferences_applied") or []
    if applied:
        head = head.rstrip(":") + f" ({'; '.join(applied)}):"
    if data.get("relaxed"):
        note = data.get("note") or "; ".join(r["detail"] for r in data["relaxed"])
        head = f"Nothing matched exactly ({note}), but these come close:"
    lines = [product_line(store, i, p) for i, p in enumerate(products, start=1)]
    tail = "Would you like details on one of them, or shall I add one to your cart?"
    return "\n".join([head, *lines, tail])


def options_text(product: dict[str, Any]) -> str:
    """ "sizes S, M, L and colours Blue, White"."""
    parts = []
    for name, values in (product.get("options") or {}).items():
        parts.append(f"{name} {', '.join(values)}")
    return "; ".join(parts)


def in_stock_variants(product: dict[str, Any]) -> list[str]:
    """Labels of the variants that can be bought now."""
    return [
        " / ".join(v["options"].values()) or "the standard option"
        for v in product.get("variants", [])
        if v.get("available", 0) > 0
    ]


def product_details(store: StoreInfo, product: dict[str, Any]) -> str:
    """A short description of one product."""
    brand = f" by {product['brand']}" if product.get("brand") else ""
    text = [f"{product['title']}{brand} costs {price_range(store, product)}."]
    description = (product.get("description") or "").strip()
    if description:
        first = description.split(". ")[0].rstrip(".")
        text.append(first + ".")
    if product.get("options"):
        text.append(f"It comes in {options_text(product)}.")
    stocked = in_stock_variants(product)
    if not stocked:
        text.append("It's out of stock at the moment.")
    elif len(stocked) < len(product.get("variants", [])):
        text.append(f"In stock now: {', '.join(stocked)}.")
    else:
        text.append("Every option is in stock.")
    return " ".join(text)


def availability(store: StoreInfo, product: dict[str, Any], wanted: dict[str, str]) -> str:
    """Whether the asked-for option of a product is in stock."""
    matching = [
        v
        for v in product.get("variants", [])
        if all(v["options"].get(k) == val for k, val in wanted.items())
    ]
    label = " / ".join(wanted.values())
    if not matching:
        return f"{product['title']} doesn't come in {label}. It comes in {options_text(product)}."
    stocked = [v for v in matching if v["available"] > 0]
    if stocked and len(stocked) < len(matching):

        def name(v: dict[str, Any]) -> str:
            rest = [str(val) for k, val in v["options"].items() if k not in wanted]
            return " / ".join(rest) or label

        have = ", ".join(f"{name(v)} ({money(store, v['price'])})" for v in stocked)
        missing = ", ".join(name(v) for v in matching if v["available"] <= 0)
        return f"{product['title']} in {label}: {have} in stock; {missing} out of stock right now."
    if stocked:
        variant = stocked[0]
        return (
            f"Yes — {product['title']} in {label} is in stock at {money(store, variant['price'])}."
        )
    others = in_stock_variants(product)
    alternative = f" In stock now: {', '.join(others)}." if others else ""
    return f"Sorry, {product['title']} in {label} is out of stock right now.{alternative}"


def attribute_answer(product: dict[str, Any], key: str, value: Any) -> str:
    """An answer from one product attribute."""
    if isinstance(value, bool):
        return f"{product['title']}: {key.replace('_', ' ')} — {'yes' if value else 'no'}."
    return f"{product['title']}'s {key.replace('_', ' ')}: {value}."


def unknown_fact(product: dict[str, Any]) -> str:
    """When the product data does not say."""
    return (
        f"The product information for {product['title']} doesn't say, and I'd rather not guess. "
        "I can ask a colleague if it matters for your decision."
    )


def comparison(store: StoreInfo, products: list[dict[str, Any]]) -> str:
    """Two or more products side by side."""
    lines = []
    for product in products:
        facts = [price_range(store, product)]
        if product.get("brand"):
            facts.append(product["brand"])
        for key, value in list((product.get("attributes") or {}).items())[:3]:
            facts.append(f"{key.replace('_', ' ')}: {value}")
        facts.append("in stock" if product.get("available", 0) > 0 else "out of stock")
        lines.append(f"• {product['title']}: {', '.join(str(f) for f in facts)}")
    cheapest = min(products, key=lambda p: p.get("price_min", 0))
    return "\n".join(
        ["Here's how they compare:", *lines, f"The least expensive is {cheapest['title']}."]
    )


def cart(store: StoreInfo, data: dict[str, Any], *, added: bool = False) -> str:
    """The cart, after a change or when asked."""
    lines = data.get("lines") or []
    if not lines:
        return "Your cart is empty."
    head = "Added! Your cart now has:" if added else "Your cart:"
    items = [
        f"• {line['quantity']} × {line['title']}"
        + (f" ({' / '.join(line['options'].values())})" if line.get("options") else "")
        + f" — {money(store, line['line_total'])}"
        for line in lines
    ]
    total = f"Total: {money(store, data.get('total'))}."
    link = (
        f"When you're ready, check out here: {data['checkout_url']}"
        if data.get("checkout_url")
        else "When you're ready, you can finish on the store's site."
    )
    return "\n".join([head, *items, total, link])


def order_status(store: StoreInfo, order: dict[str, Any]) -> str:
    """Where an order is, with tracking."""
    status = order.get("status", "")
    text = [f"Order {order['order_number']} {STATUS_WORDS.get(status, 'is ' + status)}."]
    for fulfilment in order.get("fulfilments", []):
        if fulfilment.get("delivered_at"):
            by = f" by {fulfilment['carrier']}" if fulfilment.get("carrier") else ""
            text.append(f"It was delivered{by} on {fulfilment['delivered_at']}.")
        elif fulfilment.get("shipped_at"):
            carrier = fulfilment.get("carrier") or "the carrier"
            text.append(f"It shipped on {fulfilment['shipped_at']} with {carrier}.")
            if fulfilment.get("estimated_delivery"):
                text.append(f"Expected delivery: {fulfilment['estimated_delivery']}.")
        numbers = fulfilment.get("tracking_numbers") or []
        if numbers:
            text.append(f"Tracking number: {', '.join(numbers)}.")
        if fulfilment.get("tracking_url"):
            text.append(f"Track it here: {fulfilment['tracking_url']}")
    items = ", ".join(
        f"{line['quantity']} × {line['title']}"
        + (f" ({line['variant']})" if line.get("variant") else "")
        for line in order.get("lines", [])
    )
    if items:
        text.append(
            f"Items: {items}. Total {money(store, order.get('total'), order.get('currency'))}."
        )
    return " ".join(text)


def orders_list(store: StoreInfo, data: dict[str, Any]) -> str:
    """The shopper's recent orders."""
    orders = data.get("orders") or []
    if not orders:
        return "I can't find any orders on your account."
    lines = [
        f"• {o['order_number']} ({o['placed_at']}): {o['status'].replace('_', ' ')}, "
        f"{money(store, o['total'], o.get('currency'))}"
        for o in orders
    ]
    return "\n".join(["Here are your recent orders:", *lines, "Which one can I help with?"])


def proposal(store: StoreInfo, data: dict[str, Any]) -> str:
    """A proposed change, waiting for the shopper's yes."""
    text = [f"Here's what I can do: {data.get('summary', '').strip()}"]
    text.append("Shall I go ahead? Reply yes to confirm, or no to leave everything as it is.")
    return " ".join(text)


def executed(store: StoreInfo, tool: str, plan: dict[str, Any]) -> str:
    """After a confirmed change was carried out."""
    number = plan.get("order_number")
    done = {
        "cancel_order": f"Done — order {number} is cancelled.",
        "change_order_address": f"Done — order {number} will go to the new address.",
        "change_order_payment": f"Done — order {number} is now paid with the new method.",
        "change_order_items": f"Done — the items of order {number} are changed.",
        "return_items": f"Done — your return for order {number} is registered.",
        "exchange_items": f"Done — your exchange for order {number} is registered.",
        "update_default_address": "Done — your default address is updated.",
    }.get(tool, "Done.")
    text = [done]
    for movement in plan.get("movements", []):
        when = "now" if movement.get("status") == "succeeded" else "within 5-7 business days"
        verb = "refunded to" if movement.get("kind") == "refund" else "charged to"
        text.append(
            f"{money(store, movement['amount'], movement.get('currency'))} {verb} "
            f"{movement['method_label']} ({when})."
        )
    for refund in plan.get("refunds", []):
        text.append(
            f"Once we receive the items, {money(store, refund['amount'], refund.get('currency'))} "
            f"will be refunded to {refund['method_label']}."
        )
    return " ".join(text)


def refusal(detail: str, what: str) -> str:
    """A service refusal, framed for the shopper."""
    return f"I'm sorry, I can't {what}: {detail.rstrip('.')}."
