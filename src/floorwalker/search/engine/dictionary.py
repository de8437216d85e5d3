"""Dense ids for facet values, shared by every segment of a store's index.

Segments store small integers instead of strings; the dictionary maps them back to what the
shopper sees. It only ever grows while an index lives, so ids stay valid in every segment.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from floorwalker.search.documents import CategoryEntry, value_key


class Dictionary:
    """Brands, categories and option values of one store, each with a dense id."""

    def __init__(self) -> None:
        self.brand_ids: dict[str, int] = {}
        self.brand_labels: list[str] = []
        self.category_ids: dict[int, int] = {}
        self.category_catalog_ids: list[int] = []
        self.facet_ids: dict[str, int] = {}
        self.facet_names: list[str] = []
        self.value_ids: dict[tuple[int, str], int] = {}
        self.value_labels: list[str] = []
        self.value_keys: list[str] = []
        self._value_facets: list[int] = []
        self._value_facet_array: npt.NDArray[np.int32] | None = None

    def brand(self, label: str) -> int:
        """The id of a brand (by its normalised name), added if new."""
        key = value_key(label)
        found = self.brand_ids.get(key)
        if found is None:
            found = self.brand_ids[key] = len(self.brand_labels)
            self.brand_labels.append(label)
        return found

    def category(self, catalog_id: int) -> int:
        """The dense id of a catalog category id, added if new."""
        found = self.category_ids.get(catalog_id)
        if found is None:
            found = self.category_ids[catalog_id] = len(self.category_catalog_ids)
            self.category_catalog_ids.append(catalog_id)
        return found

    def facet(self, name: str) -> int:
        """The id of a facet name ("size", "colour"), added if new."""
        found = self.facet_ids.get(name)
        if found is None:
            found = self.facet_ids[name] = len(self.facet_names)
            self.facet_names.append(name)
        return found

    def value(self, facet: str, label: str) -> int:
        """The id of an option value of a facet, added if new (first spelling is the label)."""
        fid = self.facet(facet)
        key = (fid, value_key(label))
        found = self.value_ids.get(key)
        if found is None:
            found = self.value_ids[key] = len(self.value_labels)
            self.value_labels.append(label)
            self.value_keys.append(key[1])
            self._value_facets.append(fid)
            self._value_facet_array = None
        return found

    @property
    def value_facets(self) -> npt.NDArray[np.int32]:
        """The facet id of every value id."""
        if self._value_facet_array is None or len(self._value_facet_array) != len(
            self._value_facets
        ):
            self._value_facet_array = np.asarray(self._value_facets, dtype=np.int32)
        return self._value_facet_array

    def matching_values(self, facet: str, wanted: str) -> set[int]:
        """Value ids of a facet that a wanted value selects.

        An exact match wins ("M" selects "M" only); otherwise a value containing the wanted
        words matches ("blue" selects "Navy Blue" and "Light Blue").
        """
        fid = self.facet_ids.get(facet)
        if fid is None:
            return set()
        key = value_key(wanted)
        exact = self.value_ids.get((fid, key))
        if exact is not None:
            return {exact}
        wanted_words = key.split()
        found: set[int] = set()
        for (value_facet, value), vid in self.value_ids.items():
            if value_facet != fid:
                continue
            parts = value.replace("/", " ").replace("-", " ").split()
            n = len(wanted_words)
            if any(parts[i : i + n] == wanted_words for i in range(len(parts) - n + 1)):
                found.add(vid)
        return found

    def categories_for(self, catalog_ids: list[int]) -> set[int]:
        """Dense ids of catalog categories (unknown ones are ignored)."""
        return {self.category_ids[c] for c in catalog_ids if c in self.category_ids}


def category_label(categories: dict[int, CategoryEntry], catalog_id: int) -> str:
    """The path of a category, or its id when the category is unknown."""
    entry = categories.get(catalog_id)
    return entry.path or entry.name if entry else str(catalog_id)
