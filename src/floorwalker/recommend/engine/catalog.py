"""What the engine knows of each item besides interactions: text, category, brand, facets, price.

Built from the store's catalog when training from the database, or from an interactions file's
titles when evaluating offline. Facets are lower-cased tokens such as `brand:acme`,
`colour:blue`, `size:m`; stated preferences are matched against them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from floorwalker.recommend.engine.data import InteractionLog, KeyArray

#: Option names that mean colour or size, as retailers spell them.
COLOUR_OPTIONS = frozenset({"colour", "color", "farbe", "couleur", "shade"})
SIZE_OPTIONS = frozenset({"size", "größe", "taille", "talla", "shoe size"})


def normalise(text: str) -> str:
    """Lower-case, accents folded, whitespace collapsed: 'Bleu  Océan' → 'bleu ocean'."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", folded).strip().lower()


def facet_name(option: str) -> str:
    """The facet an option name maps to: colour, size, or the option's own normalised name."""
    name = normalise(option)
    if name in COLOUR_OPTIONS:
        return "colour"
    if name in SIZE_OPTIONS:
        return "size"
    return name


@dataclass(frozen=True, slots=True)
class ItemInfo:
    """One item as the recommender sees it."""

    key: str
    title: str = ""
    text: str = ""
    category: str | None = None
    brand: str | None = None
    #: Lowest price of its variants, in minor units (None when unknown).
    price: int | None = None
    #: Option values by option name, e.g. {"size": ["S", "M"], "colour": ["Blue"]}.
    options: Mapping[str, Sequence[str]] = field(default_factory=dict)
    tags: Sequence[str] = ()

    def facets(self) -> set[str]:
        """Tokens preferences match against: brand, category, option values, tags."""
        found: set[str] = set()
        if self.brand:
            found.add(f"brand:{normalise(self.brand)}")
        if self.category:
            for part in self.category.split(">"):
                if part.strip():
                    found.add(f"category:{normalise(part)}")
        for option, values in self.options.items():
            name = facet_name(option)
            found.update(f"{name}:{normalise(str(v))}" for v in values if str(v).strip())
        found.update(f"tag:{normalise(t)}" for t in self.tags if t.strip())
        return found

    def document(self) -> str:
        """The text content similarity reads: title, brand, category, options, tags, text."""
        parts: list[str] = [self.title, self.title]  # the title counts twice
        if self.brand:
            parts.append(self.brand)
        if self.category:
            parts.append(self.category.replace(">", " "))
        for values in self.options.values():
            parts.extend(str(v) for v in values)
        parts.extend(self.tags)
        parts.append(self.text)
        return " ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class ItemCatalog:
    """Items in index order, with their categories, brands and facets as arrays."""

    keys: KeyArray
    titles: list[str]
    documents: list[str]
    category: np.ndarray  # int32 index into category_names, -1 for none
    category_names: list[str]
    brand: np.ndarray  # int32 index into brand_names, -1 for none
    brand_names: list[str]
    price: np.ndarray  # int64 minor units, -1 when unknown
    facets: sp.csr_matrix  # items × facet vocabulary, 1.0 where the item has the facet
    facet_names: list[str]

    def __len__(self) -> int:
        return int(self.keys.shape[0])

    @classmethod
    def build(cls, items: Iterable[ItemInfo]) -> ItemCatalog:
        """Index a sequence of items (keys must be unique)."""
        rows = list(items)
        keys = np.asarray([r.key for r in rows], dtype=np.str_)
        if len(set(keys.tolist())) != len(rows):
            raise ValueError("item keys must be unique")
        cat_index: dict[str, int] = {}
        brand_index: dict[str, int] = {}
        facet_index: dict[str, int] = {}
        cats = np.full(len(rows), -1, dtype=np.int32)
        brands = np.full(len(rows), -1, dtype=np.int32)
        prices = np.full(len(rows), -1, dtype=np.int64)
        indptr = [0]
        indices: list[int] = []
        for i, row in enumerate(rows):
            if row.category:
                cats[i] = cat_index.setdefault(row.category, len(cat_index))
            if row.brand:
                brands[i] = brand_index.setdefault(row.brand, len(brand_index))
            if row.price is not None:
                prices[i] = row.price
            for token in sorted(row.facets()):
                indices.append(facet_index.setdefault(token, len(facet_index)))
            indptr.append(len(indices))
        facets = sp.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), np.asarray(indices, np.int32), indptr),
            shape=(len(rows), len(facet_index)),
        )
        return cls(
            keys=keys,
            titles=[r.title for r in rows],
            documents=[r.document() for r in rows],
            category=cats,
            category_names=list(cat_index),
            brand=brands,
            brand_names=list(brand_index),
            price=prices,
            facets=facets,
            facet_names=list(facet_index),
        )

    @classmethod
    def from_log(cls, log: InteractionLog) -> ItemCatalog:
        """A catalog of the items of an interactions log, titled from the file if it had titles."""
        return cls.build(
            ItemInfo(key=key, title=log.titles.get(key, ""), text="")
            for key in log.item_keys.tolist()
        )

    def describe(self, index: int) -> dict[str, Any]:
        """Key, title, category and brand of one item (for reasons and debugging)."""
        cat = int(self.category[index])
        brand = int(self.brand[index])
        return {
            "key": str(self.keys[index]),
            "title": self.titles[index],
            "category": self.category_names[cat] if cat >= 0 else None,
            "brand": self.brand_names[brand] if brand >= 0 else None,
        }
