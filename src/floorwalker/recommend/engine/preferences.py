"""Stated preferences (from chat or the profile) as facets to boost and limits to respect.

The profile format is kept by the customers context (`Customer.preferences`); this reader is
deliberately tolerant of its shapes:

    {"brands": ["Acme"] | {"liked": [...], "disliked": [...]},
     "colours" | "colors": ["navy"], "sizes": ["M"] | {"tops": "M", "shoes": ["42"]},
     "budget": 5000 | {"max": 5000, "min": 1000, "currency": "EUR"},
     "dislikes": ["wool", "brand:Foo"], "categories": ["Dresses"], "materials": ["linen"]}

Amounts are integer minor units. Unknown keys are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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
    #: Sizes the shopper wears; an item sold in sizes must come in one of them.
    sizes: frozenset[str] = frozenset()
    budget_max: int | None = None
    budget_min: int | None = None

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
        for word in _strings(data.get("dislikes")):
            token = normalise(word)
            if ":" in token:
                facet, _, rest = token.partition(":")
                disliked_facets.add(f"{_LIKED_LISTS.get(facet + 's', facet)}:{rest.strip()}")
            else:
                disliked_words.add(token)
        sizes = frozenset(normalise(s) for s in _strings(data.get("sizes")))
        budget = data.get("budget")
        budget_max = budget_min = None
        if isinstance(budget, Mapping):
            budget_max = _amount(budget.get("max"))
            budget_min = _amount(budget.get("min"))
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
        )

    def merged(self, other: Preferences) -> Preferences:
        """These preferences with `other`'s on top (what was said in chat overrides the profile)."""
        liked = {k: v for k, v in self.liked.items() if k not in other.disliked_facets}
        liked.update(other.liked)
        return Preferences(
            liked=liked,
            disliked_facets=(self.disliked_facets - other.liked.keys()) | other.disliked_facets,
            disliked_words=self.disliked_words | other.disliked_words,
            sizes=other.sizes or self.sizes,
            budget_max=other.budget_max if other.budget_max is not None else self.budget_max,
            budget_min=other.budget_min if other.budget_min is not None else self.budget_min,
        )
