"""Generated utterances: the written set, varied the way shoppers vary it.

Deterministic (no randomness): the same set every time, so training is reproducible.
"""

from __future__ import annotations

import itertools

from floorwalker.assistant.local.utterances import WRITTEN

_PREFIXES = ("", "hi, ", "please ", "can you ", "could you please ", "hey ", "ok ")
_SUFFIXES = ("", " please", "?", " thanks", " asap")

_PRODUCTS = (
    "dress",
    "shirt",
    "t-shirt",
    "jeans",
    "jacket",
    "coat",
    "boots",
    "sneakers",
    "sandals",
    "backpack",
    "bag",
    "wallet",
    "sweater",
    "hoodie",
    "shorts",
    "skirt",
    "scarf",
    "hat",
    "watch",
    "sunglasses",
    "socks",
    "trousers",
    "blouse",
    "raincoat",
    "trainers",
    "belt",
    "lamp",
    "mug",
    "candle",
    "headphones",
    "tent",
    "sleeping bag",
    "yoga mat",
    "water bottle",
)
_COLOURS = ("red", "blue", "black", "white", "green", "navy", "grey", "pink", "beige", "brown")
_MATERIALS = ("linen", "cotton", "wool", "leather", "denim", "silk", "waterproof", "organic")
_SIZES = ("size M", "size L", "size S", "size 10", "size 8", "a medium", "XL", "size 42")
_SEARCH_FRAMES = (
    "do you have {x}",
    "show me {x}",
    "I'm looking for {x}",
    "I need {x}",
    "find {x}",
    "any {x}",
    "{x}",
    "looking for {x} under MONEY",
    "{x} under MONEY",
    "I want to buy {x}",
    "have you got {x} in {size}",
    "cheap {x}",
)
_ORDER_FRAMES = {
    "order_status": ("where is ORDERNUM", "status ORDERNUM", "track ORDERNUM", "ORDERNUM status"),
    "cancel": ("cancel ORDERNUM", "cancel order ORDERNUM please", "I want ORDERNUM cancelled"),
    "return": ("return ORDERNUM", "I want to return ORDERNUM", "refund for ORDERNUM"),
    "exchange": ("exchange ORDERNUM", "I want to exchange an item from ORDERNUM"),
}


def _search() -> list[str]:
    out: list[str] = []
    pairs = itertools.product(_COLOURS[:6], _PRODUCTS)
    for index, (colour, product) in enumerate(pairs):
        frame = _SEARCH_FRAMES[index % len(_SEARCH_FRAMES)]
        material = _MATERIALS[index % len(_MATERIALS)]
        size = _SIZES[index % len(_SIZES)]
        x = f"{colour} {product}" if index % 3 else f"{material} {product}"
        out.append(frame.format(x=x, size=size))
    for product in _PRODUCTS:
        out.append(f"{product}s")
        out.append(f"do you sell {product}s")
    return out


def _refine() -> list[str]:
    out = [f"in {colour}?" for colour in _COLOURS]
    out += [f"do you have that in {colour}" for colour in _COLOURS[:5]]
    out += [f"what about {size}" for size in _SIZES]
    out += [f"any in {size}?" for size in _SIZES[:4]]
    return out


def _product_question() -> list[str]:
    out = []
    for product in _PRODUCTS[:12]:
        out.append(f"is the {product} waterproof")
        out.append(f"what is the {product} made of")
        out.append(f"what sizes does the {product} come in")
        out.append(f"is the {product} in stock")
    return out


def generated() -> dict[str, list[str]]:
    """Every intent's utterances: the written ones, their variations, and generated ones."""
    data: dict[str, list[str]] = {}
    for intent, block in WRITTEN.items():
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        varied = list(lines)
        if intent not in {"affirm", "deny", "verify", "jailbreak", "greet", "thanks"}:
            for index, line in enumerate(lines):
                prefix = _PREFIXES[index % len(_PREFIXES)]
                suffix = _SUFFIXES[(index * 3) % len(_SUFFIXES)]
                varied.append(f"{prefix}{line}{suffix}")
        data[intent] = varied
    data["search"] += _search()
    data["refine"] += _refine()
    data["product_question"] += _product_question()
    for intent, frames in _ORDER_FRAMES.items():
        data[intent] += list(frames)
    return data
