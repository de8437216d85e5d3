"""What shoppers type into the search box: catalog terms, phrases, things the store doesn't sell.

Queries for things the store does not carry, and for products that are out of stock, are what
lost-demand analysis looks for; typos exercise the search engine's tolerance.
"""

from __future__ import annotations

#: Things outdoor shoppers ask for that Alder & Pine does not sell.
NOT_CARRIED: tuple[str, ...] = (
    "kayak", "paddle board", "ski boots", "snowboard", "bike helmet", "fishing rod",
    "climbing rope", "trekking poles", "crampons", "ice axe", "avalanche beacon", "golf shoes",
    "swimsuit", "wetsuit", "umbrella", "bear spray", "sunscreen", "gps watch", "camping cot",
    "roof box", "dog harness", "dog jacket", "hammock", "snowshoes", "cross country skis",
    "yoga mat", "air fryer", "coffee grinder", "french press", "weighted blanket",
    "electric blanket", "down alternative mattress topper", "kids rain boots", "wellies",
    "snow boots women", "bike shorts", "cycling jersey", "climbing shoes", "chalk bag",
    "water filter", "solar panel", "power bank", "binoculars", "compass", "first aid kit",
)  # fmt: skip

#: Phrases shoppers put around a product word ({t} is the product, {a} the audience).
TEMPLATES: tuple[str, ...] = (
    "{t}", "{t}", "{t}", "{a} {t}", "{a} {t}", "{c} {t}", "{m} {t}", "{t} sale", "best {t}",
    "{t} for {u}", "cheap {t}", "{t} {s}", "{b} {t}", "{a} {c} {t}", "lightweight {t}",
    "warm {t}", "waterproof {t}", "{t} gift", "{t} under {p}",
)  # fmt: skip

#: Whole questions some shoppers type instead of keywords.
NATURAL: tuple[str, ...] = (
    "warm jacket for winter hiking", "gift for dad who likes camping", "something for a rainy "
    "commute", "tent for two people under 400", "what to wear for a spring hike",
    "sheets for hot sleepers", "best boots for wide feet", "birthday gift for a runner",
    "cosy gift under 50", "christmas gift ideas", "housewarming gift", "carry on backpack",
    "jacket that packs small", "shoes for plantar fasciitis", "merino base layer",
    "something warm for the kids", "dutch oven for sourdough", "linen bedding queen",
    "waterproof hiking boots women wide", "rain jacket with pit zips",
)  # fmt: skip

USE_WORDS: tuple[str, ...] = (
    "hiking",
    "camping",
    "travel",
    "winter",
    "running",
    "rain",
    "kids",
    "the beach",
)

PRICE_WORDS: tuple[str, ...] = ("50", "100", "150", "200", "300")

AUDIENCE_WORDS: dict[str | None, tuple[str, ...]] = {
    "Women's": ("womens", "women's", "ladies"),
    "Men's": ("mens", "men's"),
    "Kids'": ("kids", "boys", "girls", "toddler"),
    None: ("",),
}
