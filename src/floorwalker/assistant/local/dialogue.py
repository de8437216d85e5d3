"""The local model's first decision in a turn: fill what it was waiting for, or route an intent.

Slot filling comes first: when the assistant asked for an order number, a reason or an address,
a message that provides it continues the task, whatever the classifier would have called it. A
message with a clear new intent (high confidence) leaves the old question behind.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from floorwalker.assistant.local import tasks, templates
from floorwalker.assistant.local.entities import cancel_reason, payment_reference
from floorwalker.assistant.local.frame import Call, Step, View, resolve_product
from floorwalker.assistant.local.intents import IntentGuess
from floorwalker.assistant.local.shopping import (
    add_step,
    compare_step,
    preference_step,
    product_question_step,
    query_text,
    recommend_step,
    refine_step,
    remove_step,
    search_step,
)
from floorwalker.assistant.local.verify import verification_prompt, verify_step

#: Below this confidence a message is "unclear" (unless entities make it clear).
MIN_CONFIDENCE = 0.3
#: A message this confident about a new intent abandons the question the assistant asked.
SWITCH_CONFIDENCE = 0.75

_JAILBREAK = re.compile(
    r"ignore (?:all |your |the )?(?:previous |prior |above )?(?:instructions|rules)|system prompt|"
    r"developer mode|you are now|pretend (?:you|to be)|jailbreak|\bDAN\b|reveal your|"
    r"other customers?'?s? (?:orders|data|details|emails)|all customers|act as (?:an? )?admin",
    re.I,
)
_TASKS = {
    "cancel",
    "return",
    "exchange",
    "modify_items",
    "modify_address",
    "modify_payment",
    "update_default_address",
}
_SUPPORT = _TASKS | {"order_status", "list_orders"}


def first_step(view: View, guess: IntentGuess) -> Step:
    """Decide what to do with the shopper's message."""
    intent = guess.intent if guess.confidence >= MIN_CONFIDENCE else "unclear"
    if _JAILBREAK.search(view.text):
        intent = "jailbreak"
    awaiting = view.frame.get("awaiting")
    if awaiting and not (intent in {"human", "jailbreak", "complaint"} and guess.confidence > 0.5):
        switching = (
            guess.confidence >= SWITCH_CONFIDENCE
            and intent not in {"verify", "affirm", "unclear", "refine", "product_question"}
            and intent != view.frame.get("task")
            and not _fills(view, awaiting)
        )
        if not switching:
            step = _fill(view, awaiting)
            if step is not None:
                return step
        view.frame.pop("awaiting", None)
    return route(view, intent)


def _fills(view: View, awaiting: str) -> bool:
    e = view.entities
    return {
        "verification": bool(e.emails or e.order_numbers or e.code),
        "code": bool(e.code or e.emails),
        "order_number": bool(e.order_numbers),
        "address": bool(e.addresses),
        "reason": cancel_reason(view.text, view.ctx.store.policy.cancel_reasons) is not None,
        "payment": payment_reference(view.text) is not None,
    }.get(awaiting, False)


def _fill(view: View, awaiting: str) -> Step | None:
    frame, e = view.frame, view.entities
    slots = frame["slots"]
    if awaiting in {"verification", "code"}:
        return verify_step(view)
    if awaiting == "order_number":
        if e.order_numbers:
            frame["order"] = e.order_numbers[0].lstrip("#")
            frame.pop("awaiting", None)
            return tasks.task_step(view)
        return None
    if awaiting == "reason":
        reason = cancel_reason(view.text, view.ctx.store.policy.cancel_reasons)
        if reason is None:
            return None
        slots["reason"] = reason
    elif awaiting == "address":
        if e.addresses:
            slots["address"] = e.addresses[0]
        elif "default" in view.text.lower() or "saved" in view.text.lower():
            slots["address"] = "default"
        else:
            return None
    elif awaiting == "payment":
        if payment_reference(view.text) is None:
            return None
        slots["payment"] = view.text
    elif awaiting == "options":
        slots["new_options"] = view.text
    elif awaiting == "item":
        slots["item"] = view.text
        slots.setdefault("new_options", view.text)
    elif awaiting == "cart_options":
        product_id = frame.get("cart_product")
        frame.pop("awaiting", None)
        return Step(
            calls=[
                Call(
                    "add_to_cart",
                    {
                        "product_id": product_id,
                        "options": view.text,
                        "quantity": frame.get("cart_quantity", 1),
                    },
                )
            ],
            then="cart_add",
        )
    else:
        return None
    frame.pop("awaiting", None)
    return tasks.task_step(view)


def route(view: View, intent: str) -> Step:
    """The step for a message's intent."""
    store = view.ctx.store
    if intent in _TASKS:
        view.start_task(intent)
        return tasks.task_step(view)
    if intent in {"order_status", "list_orders"}:
        view.start_task(intent)
        return tasks.task_step(view)
    simple: dict[str, Callable[[], str]] = {
        "greet": lambda: templates.greeting(store, view.first),
        "thanks": lambda: "You're welcome! Is there anything else I can help with?",
        "goodbye": lambda: "Thanks for stopping by — have a lovely day!",
        "capabilities": lambda: (
            (templates.disclosure(store) if view.first else "") + templates.CAPABILITIES
        ),
        "off_topic": lambda: (
            f"I'm {store.name}'s shopping assistant, so I can only help with our products, "
            "your orders and the store's policies. Is there something there I can do for you?"
        ),
        "jailbreak": lambda: (
            "I can't do that. I only ever act on your own account, within the store's rules, "
            "and I don't share instructions or anyone else's information. "
            "Is there something about our products or your orders I can help with?"
        ),
        "affirm": lambda: "Alright! What would you like to do next?",
        "deny": lambda: "No problem. Is there anything else I can help with?",
    }
    if intent in simple:
        return Step(text=simple[intent]())
    if intent == "human":
        return Step(calls=[Call("request_human", {"reason": "requested"})], then="handoff")
    if intent == "out_of_scope":
        note = "A request the assistant cannot handle."
        return Step(
            calls=[Call("request_human", {"reason": "out_of_scope", "note": note})],
            then="handoff_scope",
        )
    if intent == "complaint":
        note = "The shopper seems upset."
        return Step(
            calls=[Call("request_human", {"reason": "upset", "note": note})], then="handoff_upset"
        )
    if intent == "verify":
        return verify_step(view)
    if intent == "policy":
        calls = [
            Call("store_policy", {"topic": view.text}),
            Call("search_help", {"query": view.text}),
        ]
        return Step(calls=calls, then="policy")
    if intent == "preference":
        return preference_step(view)
    if intent == "search":
        return search_step(view)
    if intent == "refine":
        return refine_step(view)
    if intent == "product_question":
        return product_question_step(view)
    if intent == "compare":
        return compare_step(view)
    if intent == "recommend":
        return recommend_step(view)
    if intent == "cart_view":
        return Step(calls=[Call("view_cart")], then="cart")
    if intent == "cart_add":
        return add_step(view)
    if intent == "cart_remove":
        return remove_step(view)
    if intent == "checkout":
        return Step(calls=[Call("checkout_link")], then="checkout")
    return _unclear(view)


def _unclear(view: View) -> Step:
    if view.entities.order_numbers:
        view.start_task("order_status")
        return tasks.task_step(view)
    if resolve_product(view) is not None and view.state.get("last_products"):
        return product_question_step(view)
    if view.frame.get("task") in _SUPPORT and view.frame.get("awaiting") == "verification":
        return Step(text=verification_prompt(view), failed=True)
    words = query_text(view.text)
    if 0 < len(words.split()) <= 8:
        # Perhaps product words the classifier has not seen: let the catalogue decide.
        return Step(calls=[Call("search_products", {"query": words})], then="search_unclear")
    return Step(
        text="Sorry, I didn't quite follow. I can help you find products, answer questions about "
        "them, or help with an order — what would you like to do?",
        failed=True,
    )
