"""What the index holds about a product: its text, its facets and what a product card shows.

Documents are plain frozen dataclasses built from the catalog (see `loader.py`), so the engine
never touches the database and can be built and tested from data alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from floorwalker.search.text import normalise

#: Option and attribute names that mean the same facet ("color" and "colour" are one facet).
_FACET_ALIASES = {
    "color": "colour",
    "colors": "colour",
    "colours": "colour",
    "colourway": "colour",
    "sizes": "size",
    "shoe size": "size",
    "clothing size": "size",
    "fabric": "material",
    "materials": "material",
}

#: Attribute names whose string values also become facets (and variant-level filters).
FACET_ATTRIBUTES = frozenset({"colour", "material", "size"})


def facet_name(name: str) -> str:
    """The facet an option or attribute name belongs to ("Color" → "colour")."""
    key = " ".join(normalise(name).replace("_", " ").split())
    return _FACET_ALIASES.get(key, key)


def value_key(value: str) -> str:
    """How an option value is compared ("Navy  Blue" → "navy blue")."""
    return " ".join(normalise(value).split())


@dataclass(frozen=True, slots=True)
class VariantDoc:
    """A buyable variant as the index keeps it."""

    id: int
    sku: str | None
    title: str
    #: Option values by facet name, e.g. {"size": "M", "colour": "Blue"}.
    options: dict[str, str]
    price: int
    compare_at_price: int | None
    available: int
    image_url: str | None = None

    @property
    def in_stock(self) -> bool:
        """Whether at least one unit can be sold."""
        return self.available > 0


@dataclass(frozen=True, slots=True)
class ProductDoc:
    """An active product with its active variants, ready to index."""

    id: int
    handle: str
    title: str
    description: str
    currency: str
    created_at: dt.datetime
    variants: tuple[VariantDoc, ...]
    brand: str | None = None
    category_id: int | None = None
    #: The category's names from the root down, "Women > Dresses".
    category_path: str | None = None
    #: The category and all its ancestors, so a filter on "Women" finds "Women > Dresses".
    category_ids: tuple[int, ...] = ()
    product_type: str | None = None
    tags: tuple[str, ...] = ()
    #: Attribute values as text, by facet name ({"material": "Linen", "fit": "Relaxed"}).
    attributes: dict[str, str] = field(default_factory=dict)
    image_url: str | None = None

    @property
    def in_stock(self) -> bool:
        """Whether any variant can be sold."""
        return any(v.in_stock for v in self.variants)

    def facet_values(self, variant: VariantDoc) -> dict[str, str]:
        """The facet values a variant stands for: its options, then product attributes."""
        values = {
            name: value for name, value in self.attributes.items() if name in FACET_ATTRIBUTES
        }
        values.update(variant.options)
        return values

    def fingerprint(self) -> str:
        """A digest of everything indexed; equal digests mean nothing to re-index."""
        digest = hashlib.blake2b(repr(self).encode(), digest_size=16)
        return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class CategoryEntry:
    """A category as the parser and the facets see it."""

    id: int
    name: str
    slug: str
    path: str
    parent_id: int | None


def clean_attributes(raw: dict[str, Any]) -> dict[str, str]:
    """Attribute values fit for text and facets: strings and numbers; booleans by their name.

    `{"waterproof": True, "material": "Gore-Tex"}` → `{"waterproof": "waterproof",
    "material": "Gore-Tex"}`; nested structures and false flags are left out.
    """
    out: dict[str, str] = {}
    for name, value in raw.items():
        key = facet_name(str(name))
        if isinstance(value, bool):
            if value:
                out[key] = key
        elif isinstance(value, str | int | float) and str(value).strip():
            out[key] = str(value).strip()
        elif isinstance(value, list) and all(isinstance(v, str) for v in value) and value:
            out[key] = ", ".join(value)
    return out
