"""Refusals and missing pieces: what the local model says when a tool says no.

Refusals quote the service's own reason (the store's rules decided it); missing pieces (which
item, which option, which payment method, the address) turn into one question each.
"""

from __future__ import annotations

from floorwalker.assistant.local import templates
from floorwalker.assistant.local.frame import Step, View
from floorwalker.assistant.local.verify import verification_prompt
from floorwalker.assistant.tools.base import ToolRun

_TASK_REFUSAL = {
    "cancel_order": "cancel that order",
    "change_order_address": "change that order's address",
    "change_order_payment": "change how that order is paid",
    "change_order_items": "change the items of that order",
    "return_items": "start that return",
    "exchange_items": "start that exchange",
    "update_default_address": "change your default address",
}


def error_step(view: View, run: ToolRun) -> Step:
    """Explain a refusal, or ask for what is missing."""
    code = run.error or "error"
    data = run.result
    frame = view.frame
    detail = str(data.get("detail", ""))
    if code == "verification_required":
        frame["awaiting"] = "verification"
        return Step(text=verification_prompt(view))
    if code in {"verification_failed", "too_many_verification_attempts", "values_not_from_shopper"}:
        if code != "too_many_verification_attempts":
            frame["awaiting"] = "verification"
        return Step(text=detail or "That did not match our records.")
    if code == "order_not_found":
        number = frame.pop("order", None) or run.arguments.get("order_number")
        frame["awaiting"] = "order_number"
        return Step(
            text=f"I couldn't find order {number} on your account. Could you check the number? "
            "I can also list your orders."
        )
    if code in {"cancel_reason_needed", "invalid_cancel_reason"}:
        frame["awaiting"] = "reason"
        options = " or ".join(f'"{r}"' for r in view.ctx.store.policy.cancel_reasons)
        return Step(text=f"Which of these is the reason: {options}?")
    if code in {"line_not_found"}:
        frame["awaiting"] = "item"
        frame["slots"].pop("item", None)
        names = "; ".join(i["title"] for i in data.get("items", []))
        return Step(text=f"Which item do you mean? The order has: {names}.")
    if code in {"options_not_understood", "variant_not_found", "variant_unavailable"}:
        frame["awaiting"] = "options"
        frame["slots"].pop("new_options", None)
        choices = data.get("choices") or []
        stocked = [" / ".join(c["options"].values()) for c in choices if c.get("in_stock")]
        sorry = "That option is out of stock right now. " if code == "variant_unavailable" else ""
        listed = f" In stock: {', '.join(stocked)}." if stocked else ""
        return Step(text=f"{sorry}Which option would you like instead?{listed}")
    if code in {"payment_method_not_found", "payment_method_ambiguous"}:
        frame["awaiting"] = "payment"
        frame["slots"].pop("payment", None)
        methods = ", ".join(m["label"] for m in data.get("payment_methods", []))
        return Step(text=f"Which payment method do you mean? You have: {methods}.")
    if code == "address_incomplete":
        frame["awaiting"] = "address"
        frame["slots"].pop("address", None)
        return Step(text=detail)
    if code == "options_needed":
        frame["awaiting"] = "cart_options"
        labels = ", ".join(
            " / ".join(c["options"].values()) for c in data.get("choices", []) if c.get("in_stock")
        )
        missing = " and ".join(data.get("missing", [])) or "option"
        return Step(text=f"Which {missing} would you like? In stock: {labels}.")
    if code == "product_not_found":
        return Step(text="I can't find that product any more. Shall I search again?")
    if code in {"unknown_tool", "invalid_arguments", "malformed_arguments", "tool_failed"}:
        return Step(
            text="Sorry, something went wrong on my side. Could you try again?", failed=True
        )
    what = _TASK_REFUSAL.get(run.name)
    view.reset_task()
    if what is not None:
        return Step(text=templates.refusal(detail, what) + _alternative(code))
    return Step(text=detail or "Sorry, I couldn't do that.")


def _alternative(code: str) -> str:
    return {
        "order_not_cancellable": " If it has been delivered, I can help you return it instead.",
        "order_not_delivered": " If it hasn't shipped yet, I can help you cancel it instead.",
        "order_not_returnable": "",
        "return_window_expired": " If you think this is wrong, I can ask a colleague to look.",
    }.get(code, "")
