"""Reading tool results: the local model's reply, or its next tool call.

Every reply here is filled from the results in hand (see `templates`); refusals quote the
service's own reason, so what the shopper reads is what the store's rules decided.
"""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz

from floorwalker.assistant.local import refusals, tasks, templates
from floorwalker.assistant.local.entities import match_options, ordinal
from floorwalker.assistant.local.frame import Call, Step, View
from floorwalker.assistant.tools.base import ToolRun

_STOP = frozenset(
    [
        "is",
        "it",
        "the",
        "a",
        "an",
        "this",
        "that",
        "does",
        "do",
        "what",
        "how",
        "are",
        "they",
        "of",
        "in",
        "on",
        "for",
        "with",
        "and",
        "or",
        "me",
        "tell",
        "about",
        "any",
        "there",
        "which",
        "can",
        "you",
        "your",
        "its",
        "has",
        "have",
        "be",
        "made",
    ]
)


NOT_UNDERSTOOD = (
    "Sorry, I didn't quite follow. I can help you find products, answer questions about them, "
    "or help with an order — what would you like to do?"
)


def next_step(view: View, then: str) -> Step:
    """What to do with the last round's results."""
    run = view.runs[-1]
    if not run.ok:
        return refusals.error_step(view, run)
    data = run.result
    store = view.ctx.store
    if then == "search_unclear":
        if data.get("products") and not data.get("relaxed"):
            return Step(text=_search(view, run))
        return Step(text=NOT_UNDERSTOOD, failed=True)
    if then == "search":
        # Nothing found for words the model barely understood: that did not help the shopper.
        lost = not data.get("products") and float(view.scratch.get("confidence", 1.0)) < 0.6
        return Step(text=_search(view, run), failed=lost)
    if then == "answer":
        return Step(text=_answer(view, data))
    if then == "compare":
        return Step(text=templates.comparison(store, data.get("products", [])))
    if then == "recommend":
        return Step(text=_recommend(view, data))
    if then in {"cart", "cart_add", "checkout"}:
        return Step(text=templates.cart(store, data, added=then == "cart_add"))
    if then == "cart_remove_pick":
        return _remove_pick(view, data)
    if then == "orders":
        view.state["orders_listed"] = [o["order_number"] for o in data.get("orders", [])]
        view.reset_task()
        return Step(text=templates.orders_list(store, data))
    if then == "pick_order":
        return _pick_order(view, data)
    if then == "order_status":
        view.reset_task()
        return Step(text=templates.order_status(store, data))
    if then == "task":
        view.scratch["order_details"] = data
        return tasks.task_step(view)
    if then == "proposal":
        view.frame["awaiting"] = "confirmation"
        return Step(text=templates.proposal(store, data))
    if then == "after_verify":
        return _after_verify(view)
    if then == "code_sent":
        view.frame["awaiting"] = "code"
        return Step(
            text="If that address belongs to an account here, I've just e-mailed it a six-digit "
            "code. Please type the code here when it arrives."
        )
    if then in {"handoff", "handoff_upset", "handoff_scope"}:
        sorry = {
            "handoff_upset": "I'm sorry this has been frustrating. ",
            "handoff_scope": "That's something our team handles directly. ",
        }.get(then, "")
        return Step(
            text=sorry + "I've asked a member of our team to join this conversation. They'll "
            "reply here as soon as they can, and you can keep writing in the meantime."
        )
    if then == "policy":
        return Step(text=_policy(view))
    if then == "search_answer":
        return _search_answer(view, run)
    if then == "compare_search":
        tops = [r.result["products"][0] for r in view.runs if r.ok and r.result.get("products")]
        ids = list(dict.fromkeys(int(p["product_id"]) for p in tops))
        if len(ids) < 2:
            return Step(text="I could only find one of those. Could you tell me the other's name?")
        view.state["last_products"] = [
            {k: p.get(k) for k in ("product_id", "title", "price_min", "price_max", "options")}
            for p in tops
        ]
        return Step(calls=[Call("compare_products", {"product_ids": ids})], then="compare")
    if then == "ask_payment":
        methods = ", ".join(m["label"] for m in data.get("payment_methods", []))
        order = view.frame.get("order")
        return Step(
            text=f"Which payment method should order {order} use instead? You have: {methods}."
        )
    if then == "preference":
        return Step(text=_preferences(data))
    return Step(text="Done.")


def _search(view: View, run: ToolRun) -> str:
    data = run.result
    products = data.get("products", [])[:5]
    refined = view.scratch.get("refined")
    if not products and refined:
        query = run.arguments.get("query", "that")
        store = view.ctx.store
        if refined == "cheaper":
            shown = view.state.get("last_products") or []
            floor = min((int(p.get("price_min") or 0) for p in shown), default=0)
            return (
                f'That\'s the least expensive I have for "{query}": nothing costs less than '
                f"{store.money(floor)}. Shall I look for something else?"
            )
        return f'That\'s the most expensive I have for "{query}". Shall I look for something else?'

    view.state["last_products"] = [
        {k: p.get(k) for k in ("product_id", "title", "price_min", "price_max", "options")}
        for p in products
    ]
    view.state["last_search"] = {
        k: run.arguments.get(k)
        for k in ("query", "max_price", "min_price", "in_stock_only", "page")
        if run.arguments.get(k) is not None
    }
    if len(products) == 1:
        view.state["focus_product"] = products[0]["product_id"]
    return templates.search_results(view.ctx.store, {**data, "products": products})


def _answer(view: View, product: dict[str, Any]) -> str:
    view.state["focus_product"] = product["product_id"]
    store = view.ctx.store
    question = str(view.scratch.get("question") or view.text).lower()
    if re.search(
        r"\b(?:in stock|available|availability|have (?:it|one|this) in|left|sold out)\b", question
    ):
        wanted = match_options(question, [v["options"] for v in product.get("variants", [])])
        if wanted:
            return templates.availability(store, product, wanted)
        stocked = templates.in_stock_variants(product)
        if not stocked:
            return f"{product['title']} is out of stock right now."
        return f"Yes — {product['title']} is in stock: {', '.join(stocked)}."
    if re.search(r"\b(?:price|cost|how much|expensive)\b", question):
        return f"{product['title']} costs {templates.price_range(store, product)}."
    if re.search(r"\b(?:sizes?|colou?rs?|options|come in|variants)\b", question) and product.get(
        "options"
    ):
        return f"{product['title']} comes in {templates.options_text(product)}."
    words = [w for w in re.findall(r"[a-z]{3,}", question) if w not in _STOP]
    for key, value in (product.get("attributes") or {}).items():
        name = str(key).lower().replace("_", " ")
        if any(w in name or fuzz.ratio(w, name) >= 85 for w in words):
            return templates.attribute_answer(product, str(key), value)
    title_words = set(re.findall(r"[a-z]{3,}", product["title"].lower()))
    wanted_words = [w for w in words if w not in title_words]
    if wanted_words and not re.search(r"\b(?:tell me|more|details|describe|about)\b", question):
        for sentence in re.split(r"(?<=[.!?])\s+", product.get("description") or ""):
            if any(re.search(rf"\b{re.escape(w)}", sentence.lower()) for w in wanted_words):
                return f"From the product description of {product['title']}: {sentence.strip()}"
        return templates.unknown_fact(product)
    return templates.product_details(store, product)


_POLICY_TOPICS = re.compile(r"\b(?:cancel|return|refund|exchang|chang|modif|swap)", re.I)


def _policy(view: View) -> str:
    policy = next((r.result for r in view.runs if r.name == "store_policy" and r.ok), {})
    helps = next((r.result for r in view.runs if r.name == "search_help" and r.ok), {})
    articles = helps.get("articles") or []
    if articles and not _POLICY_TOPICS.search(view.text):
        article = articles[0]
        sentences = re.split(r"(?<=[.!?])\s+", article["body"].strip())
        return f"From our help pages ({article['title']}): " + " ".join(sentences[:3])
    return " ".join(policy.get("policy", [])) or "I couldn't find that in the store's policies."


def _search_answer(view: View, run: ToolRun) -> Step:
    """A question about a product not shown yet: find it, then answer about the best match."""
    products = run.result.get("products") or []
    if products:
        top = products[0]
        asked = str(view.scratch.get("question") or view.text).lower()
        if fuzz.partial_token_set_ratio(top["title"].lower(), asked) >= 80:
            _search(view, run)
            return Step(
                calls=[Call("product_details", {"product_id": top["product_id"]})], then="answer"
            )
    return Step(text=_search(view, run))


def _recommend(view: View, data: dict[str, Any]) -> str:
    products = data.get("products", [])[:5]
    if not products:
        return (
            "I don't have suggestions right now — tell me what you're looking for and I'll search."
        )
    view.state["last_products"] = [
        {k: p.get(k) for k in ("product_id", "title", "price_min", "price_max", "options")}
        for p in products
    ]
    store = view.ctx.store
    lines = []
    for index, product in enumerate(products, start=1):
        line = templates.product_line(store, index, product)
        if product.get("reason"):
            line += f" — {product['reason']}"
        lines.append(line)
    return "\n".join(["You might like:", *lines])


def _remove_pick(view: View, data: dict[str, Any]) -> Step:
    lines = data.get("lines", [])
    ref = str(view.scratch.get("remove_ref") or view.text).lower()
    position = ordinal(ref)
    chosen = None
    if position is not None and lines:
        index = position - 1 if position > 0 else len(lines) - 1
        chosen = lines[index] if 0 <= index < len(lines) else None
    if chosen is None:
        scored = sorted(lines, key=lambda ln: -fuzz.token_set_ratio(ln["title"].lower(), ref))
        if scored and fuzz.token_set_ratio(scored[0]["title"].lower(), ref) >= 60:
            chosen = scored[0]
        elif len(lines) == 1:
            chosen = lines[0]
    if chosen is None:
        return Step(text=templates.cart(view.ctx.store, data) + "\nWhich item should I remove?")
    return Step(calls=[Call("remove_from_cart", {"variant_id": chosen["variant_id"]})], then="cart")


_FITS = {
    "cancel": {"pending"},
    "modify_address": {"pending"},
    "modify_payment": {"pending"},
    "modify_items": {"pending"},
    "return": {"delivered"},
    "exchange": {"delivered"},
}


def _pick_order(view: View, data: dict[str, Any]) -> Step:
    orders = data.get("orders", [])
    task = str(view.frame.get("task") or "order_status")
    fitting = [o for o in orders if o["status"] in _FITS.get(task, {o["status"]})]
    if len(fitting) == 1 or len(orders) == 1:
        chosen = (fitting or orders)[0]
        view.frame["order"] = chosen["order_number"].lstrip("#")
        return tasks.task_step(view)
    view.state["orders_listed"] = [o["order_number"] for o in orders]
    view.frame["awaiting"] = "order_number"
    if not orders:
        view.reset_task()
        return Step(text="I can't find any orders on your account.")
    return Step(text=templates.orders_list(view.ctx.store, data))


def _after_verify(view: View) -> Step:
    prefix = "Thanks — you're verified. "
    view.frame.pop("awaiting", None)
    if view.frame.get("task"):
        step = tasks.task_step(view)
        if step.text is not None:
            step.text = prefix + step.text
        else:
            view.scratch["prefix"] = prefix
        return step
    return Step(text=prefix + "How can I help with your orders?")


def _preferences(data: dict[str, Any]) -> str:
    saved = data.get("saved_to_profile")
    noted = "I'll keep that in mind"
    if saved:
        return f"{noted} — I've saved it to your profile for next time too."
    return f"{noted} for this conversation."
