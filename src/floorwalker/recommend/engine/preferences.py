"""Stated preferences (from chat or the profile) as facets to boost and limits to respect.

The profile format is kept by the customers context (`Customer.preferences`, written by
`customers.service.update_preferences`); this reader accepts it and a few looser shapes:

    {"brands_liked": ["Acme"], "brands_disliked": ["Foo"],
     "brands": ["Acme"] | {"liked": [...], "disliked": [...]},
     "colours" | "colors": ["navy"], "sizes": {"shoes": "42", "shirts": "M"} | ["M"],
     "budget": {"max": 5000, "min": 1000, "currency": "EUR"} | 5000,
     "dislikes": ["wool", "brand:Foo"], "categories": ["Dresses"], "materials": ["linen"]}

Amounts are integer minor units. Sizes given per category apply to items of that category
only. Unknown keys are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from floorwalker.recommend.engine.catalog import normalise

_LIKED_LISTS = {
    "brands": "brand",
    "colours": "colour",
    "colors": "colour",
    "categories": "category",
    "materials": "material",
    "styles": "tag",
}


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, Mapping):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, Iterable):
        return [str(v) for v in value if str(v).strip()]
    return [str(value)]


def _amount(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float) and value >= 0:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


@dataclass(frozen=True, slots=True)
class Preferences:
    """What a shopper said they like and dislike, normalised to facet tokens."""

    #: Facets to boost, each with the words the shopper used (for the reason text).
    liked: Mapping[str, str] = field(default_factory=dict)
    disliked_facets: frozenset[str] = frozenset()
    disliked_words: frozenset[str] = frozenset()
    #: Sizes the shopper wears by category ("" = any category); an item of that category
    #: sold in sizes must come in one of them.
    sizes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    budget_max: int | None = None
    budget_min: int | None = None
    #: The currency of the budget, when stated; a budget in another currency is not applied.
    budget_currency: str | None = None

    def __bool__(self) -> bool:
        return bool(
            self.liked
            or self.disliked_facets
            or self.disliked_words
            or self.sizes
            or self.budget_max is not None
            or self.budget_min is not None
        )

    @classmethod
    def parse(cls, data: Mapping[str, Any] | None) -> Preferences:
        """Read a preferences document; anything unrecognised is ignored."""
        if not data:
            return cls()
        liked: dict[str, str] = {}
        disliked_facets: set[str] = set()
        disliked_words: set[str] = set()
        for key, facet in _LIKED_LISTS.items():
            value = data.get(key)
            if isinstance(value, Mapping) and ("liked" in value or "disliked" in value):
                for word in _strings(value.get("liked")):
                    liked.setdefault(f"{facet}:{normalise(word)}", word.strip())
                for word in _strings(value.get("disliked")):
                    disliked_facets.add(f"{facet}:{normalise(word)}")
                continue
            for word in _strings(value):
                liked.setdefault(f"{facet}:{normalise(word)}", word.strip())
        for word in _strings(data.get("brands_liked")):
            liked.setdefault(f"brand:{normalise(word)}", word.strip())
        for word in _strings(data.get("brands_disliked")):
            disliked_facets.add(f"brand:{normalise(word)}")
        for word in _strings(data.get("dislikes")):
            token = normalise(word)
            if ":" in token:
                facet, _, rest = token.partition(":")
                disliked_facets.add(f"{_LIKED_LISTS.get(facet + 's', facet)}:{rest.strip()}")
            else:
                disliked_words.add(token)
        sizes: dict[str, frozenset[str]] = {}
        raw_sizes = data.get("sizes")
        if isinstance(raw_sizes, Mapping):
            for category, value in raw_sizes.items():
                found = frozenset(normalise(s) for s in _strings(value))
                if found:
                    sizes[normalise(str(category))] = found
        elif raw_sizes:
            sizes[""] = frozenset(normalise(s) for s in _strings(raw_sizes))
        budget = data.get("budget")
        budget_max = budget_min = None
        currency = None
        if isinstance(budget, Mapping):
            budget_max = _amount(budget.get("max"))
            budget_min = _amount(budget.get("min"))
            currency = str(budget["currency"]).upper() if budget.get("currency") else None
        else:
            budget_max = _amount(budget)
        for facet in disliked_facets:
            liked.pop(facet, None)
        return cls(
            liked=liked,
            disliked_facets=frozenset(disliked_facets),
            disliked_words=frozenset(disliked_words),
            sizes=sizes,
            budget_max=budget_max,
            budget_min=budget_min,
            budget_currency=currency,
        )

    def merged(self, other: Preferences) -> Preferences:
        """These preferences with `other`'s on top (what was said in chat overrides the profile)."""
        liked = {k: v for k, v in self.liked.items() if k not in other.disliked_facets}
        liked.update(other.liked)
        return Preferences(
            liked=liked,
            disliked_facets=(self.disliked_facets - other.liked.keys()) | other.disliked_facets,
            disliked_words=self.disliked_words | other.disliked_words,
            sizes={**self.sizes, **other.sizes},
            budget_max=other.budget_max if other.budget_max is not None else self.budget_max,
            budget_min=other.budget_min if other.budget_min is not None else self.budget_min,
            budget_currency=other.budget_currency or self.budget_currency,
        )

    def in_currency(self, currency: str) -> Preferences:
        """These preferences without the budget when it was stated in another currency."""
        if self.budget_currency is None or self.budget_currency == currency.upper():
            return self
        return replace(self, budget_max=None, budget_min=None, budget_currency=None)
