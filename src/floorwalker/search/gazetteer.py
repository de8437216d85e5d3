"""Per-store gazetteers: the phrases of a store's own catalog that name things shoppers ask for.

Built from the index (categories, brands, product types, colour, material and size values) plus
a list of common colour words, so "purple" is understood as a colour even where the store has
none (the search then relaxes it with a note instead of silently ignoring it). Phrases are
keyed by their stems, so "dresses" finds the category "Dress" and "trainer" finds "Trainers".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from floorwalker.search.documents import value_key
from floorwalker.search.engine.store_index import StoreIndex
from floorwalker.search.text import phrase_key, words

#: Common colour words; "gray" is read as "grey".
COLOURS = frozenset(
    str.split(
        """
    black white grey red blue navy green olive khaki brown tan beige cream ivory yellow orange
    pink purple violet lilac lavender burgundy maroon teal turquoise gold silver charcoal coral
    mint camel rust mustard indigo denim multicolour
    """
    )
)
COLOUR_ALIASES = {"gray": "grey", "multicolor": "multicolour", "multi": "multicolour"}

#: Size codes recognised without the word "size" ("black tee xl").
SIZE_CODES = frozenset({"xxs", "xs", "xl", "xxl", "xxxl", "2xl", "3xl", "4xl"})
#: Size words and the codes they stand for ("in medium" → M).
SIZE_WORDS = {
    "extra small": "xs",
    "small": "s",
    "medium": "m",
    "large": "l",
    "extra large": "xl",
}

_CATEGORY_SPLIT = re.compile(r"\s*(?:&|\+|/|,|\band\b)\s*")


class EntityKind(StrEnum):
    """What a gazetteer phrase names."""

    BRAND = "brand"
    CATEGORY = "category"
    COLOUR = "colour"
    MATERIAL = "material"
    PRODUCT_TYPE = "product_type"


@dataclass(slots=True)
class Entity:
    """A thing a phrase names: its kind, its label and (categories) the catalog ids."""

    kind: EntityKind
    label: str
    ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Gazetteer:
    """Phrase (stem tuple) → entities, plus the store's size values."""

    phrases: dict[tuple[str, ...], list[Entity]] = field(default_factory=dict)
    longest: int = 1
    #: Size value key ("m", "10", "uk 8") → label as the catalog writes it.
    sizes: dict[str, str] = field(default_factory=dict)
    #: Single surface words of brands, categories and values, for matching typos.
    surface: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def add(self, phrase: str, kind: EntityKind, label: str, ids: tuple[int, ...] = ()) -> None:
        """Register a phrase (categories with the same phrase merge their ids)."""
        key = phrase_key(phrase)
        if not key:
            return
        entities = self.phrases.setdefault(key, [])
        for entity in entities:
            if entity.kind is kind:
                # Categories of the same name merge; otherwise the first spelling wins (store
                # values are added before the built-in colour words).
                entity.ids.extend(i for i in ids if i not in entity.ids)
                break
        else:
            entities.append(Entity(kind, label, list(ids)))
        self.longest = max(self.longest, len(key))
        surface = words(phrase, join_compounds=True)
        if len(surface) == 1 and len(surface[0]) >= 4:
            self.surface.setdefault(surface[0], key)

    def lookup(self, key: tuple[str, ...]) -> list[Entity]:
        """Entities a stem phrase names (empty when none)."""
        return self.phrases.get(key, [])


def build_gazetteer(index: StoreIndex) -> Gazetteer:
    """The gazetteer of a store, from its index."""
    gaz = Gazetteer()
    for entry in index.meta.categories.values():
        gaz.add(entry.name, EntityKind.CATEGORY, entry.name, (entry.id,))
        parts = [p for p in _CATEGORY_SPLIT.split(entry.name) if p]
        if len(parts) > 1:
            for part in parts:
                gaz.add(part, EntityKind.CATEGORY, entry.name, (entry.id,))
    for label in index.dictionary.brand_labels:
        gaz.add(label, EntityKind.BRAND, label)
    for seg in (index.base, index.delta):
        for product_type in seg.product_types:
            gaz.add(product_type, EntityKind.PRODUCT_TYPE, product_type)
    dictionary = index.dictionary
    for (fid, key), vid in dictionary.value_ids.items():
        facet = dictionary.facet_names[fid]
        label = dictionary.value_labels[vid]
        if facet == "colour":
            gaz.add(label, EntityKind.COLOUR, label)
        elif facet == "material":
            gaz.add(label, EntityKind.MATERIAL, label)
        elif facet == "size":
            gaz.sizes.setdefault(key, label)
    for colour in sorted(COLOURS):
        gaz.add(colour, EntityKind.COLOUR, colour)
    for alias, colour in COLOUR_ALIASES.items():
        named = [e for e in gaz.lookup(phrase_key(colour)) if e.kind is EntityKind.COLOUR]
        gaz.add(alias, EntityKind.COLOUR, named[0].label if named else colour)
    return gaz


def size_label(gaz: Gazetteer, typed: str) -> str | None:
    """The catalog's spelling of a size the shopper typed ("m" → "M"), or None if unknown."""
    key = value_key(typed)
    if key in gaz.sizes:
        return gaz.sizes[key]
    code = SIZE_WORDS.get(key)
    if code is not None:
        for candidate in (code, key):
            if candidate in gaz.sizes:
                return gaz.sizes[candidate]
    return None
