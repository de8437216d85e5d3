"""Turning a search or an assistant's availability answer into lost-demand signals (pure).

A search event says how many results it had, which parts of the query search had to loosen
(`relaxed`: price, size, colour, material, category, terms, brand) and its top products:

    no results                             → not_carried
    price loosened                         → over_budget (with the budget read from the text)
    size / colour / material loosened      → size_unavailable / colour_unavailable /
                                             option_unavailable (with the value asked for)
    only category, terms or brand loosened → poor_results
    results, but the top ones all sold out → out_of_stock (for the top product)

An availability answer in a conversation (the assistant's `check_availability` or
`product_details` tool) counts as out_of_stock when nothing of the product is left, or as
size / colour unavailable when the option the shopper named in their message is sold out or
not offered at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Reason(StrEnum):
    """Why a shopper could not buy what they asked for."""

    OUT_OF_STOCK = "out_of_stock"
    NOT_CARRIED = "not_carried"
    OVER_BUDGET = "over_budget"
    SIZE_UNAVAILABLE = "size_unavailable"
    COLOUR_UNAVAILABLE = "colour_unavailable"
    OPTION_UNAVAILABLE = "option_unavailable"
    POOR_RESULTS = "poor_results"


#: How many of a search's top products must all be sold out for an out_of_stock signal.
TOP_CHECKED = 3
PHRASE_LIMIT = 200
_OPTION_REASONS = {
    "size": Reason.SIZE_UNAVAILABLE,
    "colour": Reason.COLOUR_UNAVAILABLE,
    "color": Reason.COLOUR_UNAVAILABLE,
}
#: Common colour words, for colours a store does not carry at all (so not in its catalogue).
COLOURS = [
    "black",
    "white",
    "grey",
    "gray",
    "silver",
    "gold",
    "red",
    "maroon",
    "burgundy",
    "pink",
    "rose",
    "orange",
    "coral",
    "yellow",
    "mustard",
    "beige",
    "cream",
    "ivory",
    "tan",
    "brown",
    "khaki",
    "olive",
    "green",
    "mint",
    "teal",
    "turquoise",
    "blue",
    "navy",
    "cobalt",
    "purple",
    "violet",
    "lilac",
    "lavender",
    "magenta",
    "charcoal",
]
_SIZE = re.compile(r"\b(xxs|xs|s|m|l|xl|xxl|xxxl|[2-5]xl|one size|\d{1,2}(?:\.5)?)\b", re.I)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_LONG_DIGITS = re.compile(r"(?<![\w#])\+?\d[\d\s().-]{6,22}\d(?!\w)")
_BUDGET = re.compile(
    r"(?:under|below|less than|cheaper than|max(?:imum)?|up to|budget(?: of)?|<)\s*"
    r"[£$€]?\s*(\d+(?:[.,]\d{1,2})?)",
    re.I,
)


def redact(text: str) -> str:
    """A phrase without e-mail addresses or long digit runs (phones, cards), trimmed."""
    text = _EMAIL.sub("[email]", text or "")
    text = _LONG_DIGITS.sub("[number]", text)
    text = " ".join(text.split())
    return text[:PHRASE_LIMIT]


def budget_of(text: str, minor_per_unit: int = 100) -> int | None:
    """The price cap in a query ("under 50" → 5000 minor units), or None."""
    match = _BUDGET.search(text or "")
    if not match:
        return None
    return round(float(match.group(1).replace(",", ".")) * minor_per_unit)


def value_in(text: str, option: str, known: Iterable[str]) -> str | None:
    """The value of `option` the text names: a known catalogue value first, else a common one."""
    lowered = f" {(text or '').lower()} "
    for value in sorted({str(v) for v in known}, key=len, reverse=True):
        if value and re.search(rf"(?<!\w){re.escape(value.lower())}(?!\w)", lowered):
            return value
    if option in ("colour", "color"):
        for word in COLOURS:
            if re.search(rf"\b{word}\b", lowered):
                return word
    if option == "size":
        match = _SIZE.search(lowered)
        if match:
            return match.group(1).upper()
    return None


@dataclass(frozen=True, slots=True)
class Signal:
    """A lost-demand signal before it is stored."""

    source_ref: str
    reason: Reason
    phrase: str
    product_id: int | None = None
    variant_id: int | None = None
    attribute: str | None = None
    attribute_value: str | None = None
    budget: int | None = None


def from_search(
    ref: str,
    query: str,
    properties: Mapping[str, Any],
    *,
    sold_out: set[int],
    option_values: Mapping[str, Sequence[str]],
    minor_per_unit: int = 100,
) -> list[Signal]:
    """Signals of one search event (see the module doc); `sold_out` are product ids."""
    phrase = redact(query)
    if not phrase:
        return []
    results = properties.get("results")
    if not isinstance(results, int):
        return []
    if results == 0:
        return [Signal(f"{ref}:not_carried", Reason.NOT_CARRIED, phrase)]
    relaxed = [str(step) for step in properties.get("relaxed") or []]
    signals: list[Signal] = []
    for step in relaxed:
        if step == "price":
            signals.append(
                Signal(
                    f"{ref}:over_budget",
                    Reason.OVER_BUDGET,
                    phrase,
                    budget=budget_of(query, minor_per_unit),
                )
            )
        elif step in ("size", "colour", "material"):
            reason = _OPTION_REASONS.get(step, Reason.OPTION_UNAVAILABLE)
            known = option_values.get(step, ())
            signals.append(
                Signal(
                    f"{ref}:{reason.value}",
                    reason,
                    phrase,
                    attribute=step,
                    attribute_value=value_in(query, step, known),
                )
            )
    if relaxed and not signals:
        signals.append(Signal(f"{ref}:poor_results", Reason.POOR_RESULTS, phrase))
    top = [int(p) for p in properties.get("top_product_ids") or [] if isinstance(p, int)]
    checked = top[:TOP_CHECKED]
    if not relaxed and checked and all(p in sold_out for p in checked):
        signals.append(
            Signal(f"{ref}:out_of_stock", Reason.OUT_OF_STOCK, phrase, product_id=checked[0])
        )
    return signals


def from_availability(ref: str, asked: str, result: Mapping[str, Any]) -> list[Signal]:
    """Signals of an assistant's availability answer to the shopper's message `asked`."""
    phrase = redact(asked)
    product_id = result.get("product_id")
    variants = [v for v in result.get("variants") or [] if isinstance(v, Mapping)]
    if not phrase or not isinstance(product_id, int) or not variants:
        return []
    if all(int(v.get("available") or 0) <= 0 for v in variants):
        return [Signal(f"{ref}:out_of_stock", Reason.OUT_OF_STOCK, phrase, product_id=product_id)]
    signals: list[Signal] = []
    for option in ("size", "colour", "color"):
        offered: dict[str, list[Mapping[str, Any]]] = {}
        for v in variants:
            options = v.get("options") or {}
            value = options.get(option) if isinstance(options, Mapping) else None
            if value is not None:
                offered.setdefault(str(value), []).append(v)
        if not offered:
            continue
        wanted = value_in(asked, option, offered)
        if wanted is None:
            continue
        matching = offered.get(wanted, [])
        if matching and any(int(v.get("available") or 0) > 0 for v in matching):
            continue
        reason = _OPTION_REASONS[option]
        signals.append(
            Signal(
                f"{ref}:{reason.value}",
                reason,
                phrase,
                product_id=product_id,
                variant_id=int(matching[0]["variant_id"]) if matching else None,
                attribute="colour" if option == "color" else option,
                attribute_value=wanted,
            )
        )
    return signals
