"""Support tasks of the local model: order status, cancel, change, return, exchange.

Each task gathers what it needs — verification, the order, then its own slots — asking for one
missing thing at a time, and ends by calling the write tool, which returns a proposal.
"""

from __future__ import annotations

import re
from typing import Any

from floorwalker.assistant.local.entities import cancel_reason, ordinal, payment_reference
from floorwalker.assistant.local.frame import Call, Step, View, resolve_order
from floorwalker.assistant.local.verify import verification_prompt, verify_step

_OPTION_WORDS = re.compile(
    r"\b(?:size|sizes|small|medium|large|x{0,2}[sl]|xl|colou?r|red|blue|black|white|green|grey|"
    r"gray|navy|pink|brown|beige|yellow|orange|purple|cream|tan|olive|khaki|bigger|smaller|"
    r"\d{1,2}(?:\.5)?)\b",
    re.I,
)
ITEM_TASKS = frozenset({"return", "exchange", "modify_items"})


def task_step(view: View) -> Step:
    """The next step of the current support task."""
    frame, e = view.frame, view.entities
    task = str(frame.get("task") or "order_status")
    if not view.ctx.verified:
        if e.emails or e.code:
            return verify_step(view)
        if e.order_numbers:
            frame["order"] = e.order_numbers[0].lstrip("#")
        frame["awaiting"] = "verification"
        return Step(text=verification_prompt(view))
    if task == "list_orders":
        return Step(calls=[Call("list_orders")], then="orders")
    if task == "update_default_address":
        return _address_step(view, None)
    order = frame.get("order") or resolve_order(view)
    if not order:
        return Step(calls=[Call("list_orders")], then="pick_order")
    frame["order"] = order
    if task == "order_status":
        return Step(calls=[Call("order_details", {"order_number": order})], then="order_status")
    if task == "cancel":
        return _cancel_step(view, order)
    if task == "modify_address":
        return _address_step(view, order)
    if task == "modify_payment":
        return _payment_step(view, order)
    details = view.scratch.get("order_details")
    if not details or details.get("order_number", "").lstrip("#") != order.lstrip("#"):
        return Step(calls=[Call("order_details", {"order_number": order})], then="task")
    return _items_step(view, task, order, details)


def _cancel_step(view: View, order: str) -> Step:
    slots = view.frame["slots"]
    reasons = view.ctx.store.policy.cancel_reasons
    reason = slots.get("reason") or cancel_reason(view.text, reasons)
    if reason is None:
        view.frame["awaiting"] = "reason"
        options = " or ".join(f'"{r}"' for r in reasons)
        return Step(
            text=f"I can help cancel order {order}. May I ask why? The options are {options}."
        )
    slots["reason"] = reason
    args = {"order_number": order, "reason": reason}
    return Step(calls=[Call("cancel_order", args)], then="proposal")


def _address_step(view: View, order: str | None) -> Step:
    slots, e = view.frame["slots"], view.entities
    address = slots.get("address") or (e.addresses[0] if e.addresses else None)
    if address is None and re.search(r"\b(?:default|saved) address\b", view.text, re.I) and order:
        address = "default"
    if address is None:
        view.frame["awaiting"] = "address"
        where = f"for order {order}" if order else "to save as your default"
        return Step(
            text=f"What's the new address {where}? Please include the street and number, town "
            "or city, postcode and country."
        )
    slots["address"] = address
    if order is None:
        return Step(calls=[Call("update_default_address", {"address": address})], then="proposal")
    args = {"order_number": order, "address": address}
    return Step(calls=[Call("change_order_address", args)], then="proposal")


def _payment_step(view: View, order: str) -> Step:
    slots = view.frame["slots"]
    payment = slots.get("payment") or (view.text if payment_reference(view.text) else None)
    if payment is None:
        view.frame["awaiting"] = "payment"
        return Step(calls=[Call("list_payment_methods")], then="ask_payment")
    slots["payment"] = payment
    args = {"order_number": order, "payment_method": payment[:100]}
    return Step(calls=[Call("change_order_payment", args)], then="proposal")


def mentioned_lines(text: str, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The order lines a message names: by position, title words, or option values."""
    position = ordinal(text)
    if position is not None and re.search(r"\b(?:item|one|line|product)\b", text, re.I):
        index = position - 1 if position > 0 else len(lines) - 1
        if 0 <= index < len(lines):
            return [lines[index]]
    lowered = text.lower()
    found = []
    for line in lines:
        words = re.findall(r"[a-z]{4,}", str(line["title"]).lower())
        if any(re.search(rf"\b{re.escape(w)}s?\b", lowered) for w in words):
            found.append(line)
    return found


def _items_step(view: View, task: str, order: str, details: dict[str, Any]) -> Step:
    frame, e = view.frame, view.entities
    slots = frame["slots"]
    lines = [
        ln
        for ln in details.get("lines", [])
        if ln["quantity"] - ln["returned"] - ln["exchanged"] > 0
    ]
    lines = lines or details.get("lines", [])
    ref = slots.get("item") or view.text
    chosen = mentioned_lines(ref, lines)
    if not chosen and (len(lines) == 1 or e.all_items or (task == "return" and _whole(ref))):
        chosen = lines if task == "return" else lines[:1] if len(lines) == 1 else []
    if not chosen:
        frame["awaiting"] = "item"
        names = "; ".join(
            f"{ln['title']} ({ln['variant']})" if ln["variant"] else ln["title"] for ln in lines
        )
        verb = {"return": "return", "exchange": "exchange", "modify_items": "change"}[task]
        return Step(text=f"Which item of order {order} would you like to {verb}? It has: {names}.")
    slots["item"] = ref
    if task == "return":
        refund_to = slots.get("refund_to") or e.refund_to or "original"
        items = [{"item": str(ln["line_id"]), "quantity": e.quantity} for ln in chosen]
        if len(chosen) > 1 or e.quantity is None:
            items = [{"item": str(ln["line_id"])} for ln in chosen]
        args = {"order_number": order, "items": items, "refund_to": refund_to}
        return Step(calls=[Call("return_items", args)], then="proposal")
    wanted = slots.get("new_options")
    if not wanted and _OPTION_WORDS.search(_strip_titles(view.text, chosen)):
        wanted = view.text
    if not wanted:
        frame["awaiting"] = "options"
        line = chosen[0]
        return Step(
            text=f"What would you like instead of {line['title']} ({line['variant']})? "
            "For example a size or a colour."
        )
    slots["new_options"] = wanted
    changes = [{"item": str(chosen[0]["line_id"]), "new_options": wanted[:200]}]
    tool = "exchange_items" if task == "exchange" else "change_order_items"
    return Step(calls=[Call(tool, {"order_number": order, "changes": changes})], then="proposal")


def _whole(text: str) -> bool:
    return bool(re.search(r"\b(?:order|everything|all|whole|both)\b", text, re.I))


def _strip_titles(text: str, lines: list[dict[str, Any]]) -> str:
    for line in lines:
        for word in re.findall(r"[A-Za-z]{3,}", str(line["title"])):
            text = re.sub(rf"\b{re.escape(word)}\b", " ", text, flags=re.I)
    return text
