"""The local model's shopping steps: search, refine, product questions, compare, recommend,
cart, and preferences the shopper states.
"""

from __future__ import annotations

import re
from typing import Any

from floorwalker.assistant.local.entities import ordinal
from floorwalker.assistant.local.frame import Call, Step, View, last_products, resolve_product
from floorwalker.kit.money import to_major

_CHEAPER = re.compile(
    r"\b(?:cheaper|less expensive|lower price|budget|inexpensive|cheapest)\b", re.I
)
_PRICIER = re.compile(r"\b(?:more expensive|pricier|premium|higher end|better quality)\b", re.I)
_MORE = re.compile(r"\b(?:more|next|other options|anything else|others|different ones)\b", re.I)
_FILLER = re.compile(
    r"\b(?:what about|how about|do you have|have you got|any|anything|it|that|them|those|in|"
    r"please|show me|one|ones|instead|also|only|the|a|an|\?)\b",
    re.I,
)
_COMPARE = re.compile(
    r"^\s*(?:can you |please )?(?:compare|difference between|what'?s the difference between)\s+",
    re.I,
)
_ALL_ORDINALS = re.compile(r"\b(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)\b", re.I)


def _major(view: View, minor: int | None) -> float | None:
    if minor is None:
        return None
    return float(to_major(minor, view.ctx.store.currency))


_POINTER = re.compile(r"\b(?:it|that|this|they|them|these|those|one)\b", re.I)
_CHATTER = re.compile(
    r"^(?:(?:hi|hello|hey|ok|okay|so|well|and|also|please|pls|can you|could you|would you)"
    r"[,!]?\s+)*(?:(?:please\s+)?(?:tell me (?:more )?about|what about|show me|"
    r"do you (?:have|sell|carry|stock)|have you got|is there|are there|is|are|does|do|"
    r"i'?m (?:looking|searching) for|i am looking for|i need|i'?d like|i want(?: to buy)?|"
    r"looking for|find(?: me)?|search(?: for)?|any|got any)\s+)?",
    re.I,
)
_TAIL = re.compile(r"\s*(?:please|thanks|thank you|in stock|available)?\s*[?!.]*\s*$", re.I)


def query_text(text: str) -> str:
    """The shopper's words without the conversational wrapping ("do you have …?")."""
    core = _CHATTER.sub("", text.strip(), count=1)
    core = re.sub(r"^(?:the|a|an|some)\s+", "", core, flags=re.I)
    return _TAIL.sub("", core)[:300] or text[:300]


def search_step(view: View) -> Step:
    """Search with the shopper's own words (the search service reads the filters out of them)."""
    args: dict[str, Any] = {"query": query_text(view.text)}
    return Step(calls=[Call("search_products", args)], then="search")


def refine_step(view: View) -> Step:
    """Change the last search: cheaper, pricier, more, or with another option."""
    last: dict[str, Any] | None = view.state.get("last_search")
    if not last:
        return search_step(view)
    args: dict[str, Any] = {"query": last.get("query", "")}
    args.pop("page", None)
    for key in ("max_price", "min_price", "in_stock_only"):
        if last.get(key) is not None:
            args[key] = last[key]
    shown = last_products(view)
    e = view.entities
    if _CHEAPER.search(view.text) and shown:
        # Cheaper than the product being looked at (the one in focus, else the first shown).
        focus = view.state.get("focus_product")
        anchor = next((p for p in shown if p["product_id"] == focus), shown[0])
        args["max_price"] = _major(view, max(0, int(anchor.get("price_min", 0)) - 1))
        args["sort"] = "price_asc"
        view.scratch["refined"] = "cheaper"
    elif _PRICIER.search(view.text) and shown:
        dearest = max(int(p.get("price_max", p.get("price_min", 0))) for p in shown)
        args["min_price"] = _major(view, dearest + 1)
        view.scratch["refined"] = "pricier"
    elif e.price_max is not None or e.price_min is not None:
        if e.price_max is not None:
            args["max_price"] = _major(view, e.price_max)
        if e.price_min is not None:
            args["min_price"] = _major(view, e.price_min)
    elif "in stock" in view.text.lower():
        args["in_stock_only"] = True
    elif _MORE.search(view.text) and not re.search(r"\b(?:in|size)\b", view.text, re.I):
        args["page"] = int(last.get("page", 1)) + 1
    else:
        extra = " ".join(_FILLER.sub(" ", view.text).split())
        args["query"] = f"{args['query']} {extra}".strip()
    return Step(calls=[Call("search_products", args)], then="search")


def product_question_step(view: View) -> Step:
    """Look the product up, then answer from its data."""
    product_id = resolve_product(view)
    view.scratch["question"] = view.text
    if (
        product_id is not None
        and not _POINTER.search(view.text)
        and _names_another(view, product_id)
    ):
        product_id = None
    if product_id is None:
        if _POINTER.search(view.text) and last_products(view):
            return Step(text='Which product do you mean? You can say "the first one", or its name.')
        if _POINTER.search(view.text) and not query_text(view.text).strip():
            return Step(text="Which product would you like to know about?")
        args = {"query": query_text(view.text)}
        return Step(calls=[Call("search_products", args)], then="search_answer")
    return Step(calls=[Call("product_details", {"product_id": product_id})], then="answer")


_QUESTION_WORDS = frozenset(
    (
        "waterproof",
        "material",
        "made",
        "fit",
        "size",
        "sizes",
        "colour",
        "color",
        "colours",
        "colors",
        "price",
        "cost",
        "much",
        "stock",
        "available",
        "washable",
        "hood",
        "wash",
        "care",
        "long",
        "big",
        "small",
        "large",
        "weight",
        "does",
        "have",
        "has",
        "what",
        "how",
    )
)


def _names_another(view: View, product_id: int) -> bool:
    """Whether the message names a product other than the one it would point at."""
    shown = {int(p["product_id"]): p for p in last_products(view)}
    product = shown.get(product_id)
    if product is None:
        return False
    words = [
        w
        for w in re.findall(r"[a-z]{3,}", query_text(view.text).lower())
        if w not in _QUESTION_WORDS
    ]
    title = str(product["title"]).lower()
    return bool(words) and not any(w.rstrip("s") in title for w in words)


def compare_step(view: View) -> Step:
    """Compare the products pointed at (default: the first two shown)."""
    shown = last_products(view)
    names = [
        query_text(part)
        for part in re.split(r"\s+(?:and|vs\.?|versus|or|with)\s+|,", _COMPARE.sub("", view.text))
        if part.strip()
    ]
    named = [n for n in names if n and not _POINTER.search(n) and not _ALL_ORDINALS.search(n)]
    if len(named) >= 2 and not _ALL_ORDINALS.search(view.text):
        calls = [Call("search_products", {"query": n}) for n in named[:4]]
        return Step(calls=calls, then="compare_search")
    if len(shown) < 2:
        return Step(text="Let me find some products first — what are you looking for?")
    positions = [ordinal(m.group(1)) for m in _ALL_ORDINALS.finditer(view.text)]
    indexes = sorted({(p - 1 if p and p > 0 else len(shown) - 1) for p in positions if p})
    count = 3 if re.search(r"\b(?:three|3)\b", view.text) else 2
    if re.search(r"\bfirst (?:two|three|2|3)\b", view.text, re.I) or len(indexes) < 2:
        indexes = list(range(min(count, len(shown))))
    ids = [int(shown[i]["product_id"]) for i in indexes if 0 <= i < len(shown)]
    return Step(calls=[Call("compare_products", {"product_ids": ids})], then="compare")


def recommend_step(view: View) -> Step:
    """Recommendations, around the product in focus when the shopper asks for similar ones."""
    args: dict[str, Any] = {}
    goes_with = _GOES_WITH.search(view.text)
    if goes_with or _SIMILAR.search(view.text):
        product_id = resolve_product(view)
        if product_id is not None:
            args = {"kind": "goes_with" if goes_with else "similar", "product_id": product_id}
    return Step(calls=[Call("recommend_products", args)], then="recommend")


_GOES_WITH = re.compile(r"\b(?:goes? with|go with|pairs? with|match(?:es)?|complete)", re.I)
_SIMILAR = re.compile(r"\b(?:similar|like (?:this|that|it|the)|alternatives?)\b", re.I)


def add_step(view: View) -> Step:
    """Add the product pointed at, with the options the message names."""
    product_id = resolve_product(view)
    if product_id is None:
        return Step(text='Which product would you like me to add? You can say "the first one".')
    quantity = view.entities.quantity or 1
    view.frame["cart_product"] = product_id
    view.frame["cart_quantity"] = quantity
    args = {"product_id": product_id, "options": view.text[:200], "quantity": quantity}
    return Step(calls=[Call("add_to_cart", args)], then="cart_add")


def remove_step(view: View) -> Step:
    """Take something out of the cart (everything, or the line the message names)."""
    if re.search(r"\b(?:empty|clear|everything|all)\b", view.text, re.I):
        return Step(calls=[Call("remove_from_cart")], then="cart")
    view.scratch["remove_ref"] = view.text
    return Step(calls=[Call("view_cart")], then="cart_remove_pick")


_SIZE = re.compile(
    r"\b(?:size|i'?m an?|i wear(?: an?)?|wear a)\s+(xxs|xs|s|m|l|xl|xxl|\d{1,2}(?:\.5)?)\b"
    r"(?:\s+(?:in|for)\s+([a-z]+))?",
    re.I,
)
_DISLIKE = re.compile(
    r"\b(?:don'?t like|do not like|hate|never wear|avoid|no more|not a fan of|allergic to)\s+"
    r"([a-z][a-z -]{1,30}?)(?=[,.!;]| and |$)",
    re.I,
)
_LIKE = re.compile(
    r"\b(?:love|prefer|like|favou?rite brand is|only buy|big fan of)\s+([a-z][a-z -]{1,30}?)"
    r"(?=[,.!;]| and |$)",
    re.I,
)


def preference_step(view: View) -> Step:
    """Remember what the shopper says they like, wear, avoid or can spend."""
    text = view.text
    args: dict[str, Any] = {
        "sizes": {(m.group(2) or "any").lower(): m.group(1).upper() for m in _SIZE.finditer(text)},
        "likes": [m.group(1).strip() for m in _LIKE.finditer(text) if "don" not in m.group(0)],
        "dislikes": [m.group(1).strip() for m in _DISLIKE.finditer(text)],
    }
    budget = view.entities.price_max or (
        view.entities.amounts[0] if view.entities.amounts else None
    )
    if budget is not None:
        args["budget_max"] = _major(view, budget)
    args = {k: v for k, v in args.items() if v}
    if not args:
        return Step(text="Noted! What are you looking for today?")
    return Step(calls=[Call("remember_preferences", args)], then="preference")
