"""The words of a store's catalog, for typo tolerance and search-as-you-type prefixes.

Typos are found SymSpell-style for one edit: every word is stored under each of its one-letter
deletions, and a query word's own deletions meet them, which finds every word within one
insertion, deletion, substitution or transposition with a few dictionary lookups. Two edits
(allowed only for long words) are checked with RapidFuzz's optimal-string-alignment distance
over the words of the same first letter and similar length.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

#: Words longer than this are not indexed for typos (part numbers, URLs).
_MAX_WORD = 24


def max_typos(word: str) -> int:
    """Edits tolerated for a query word: none below 4 letters, 1 up to 7, 2 from 8."""
    if len(word) < 4 or word.isdigit():
        return 0
    return 1 if len(word) < 8 else 2


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Lexicon:
    """Surface words (with their stems) and the structures to find near and prefixed words."""

    def __init__(self) -> None:
        self.stems: dict[str, str] = {}
        #: Every stem of the catalog (what a query term must be to match anything).
        self.known_stems: set[str] = set()
        self._deletes: dict[str, list[str]] = {}
        self._buckets: dict[tuple[str, int], list[str]] = {}
        self._sorted: list[str] = []
        self._dirty = False

    def add(self, surface: dict[str, str]) -> None:
        """Add words (surface → stem); known words are skipped."""
        for word, stem in surface.items():
            if word in self.stems:
                continue
            self.stems[word] = stem
            self.known_stems.add(stem)
            self._dirty = True
            if len(word) > _MAX_WORD or any(ch.isdigit() for ch in word):
                continue
            for key in _deletions(word) | {word}:
                self._deletes.setdefault(key, []).append(word)
            self._buckets.setdefault((word[0], len(word)), []).append(word)

    def corrections(self, word: str) -> list[tuple[str, int]]:
        """Known words within the typo budget of `word`, as (word, edits), nearest first."""
        budget = max_typos(word)
        if budget == 0:
            return []
        found: dict[str, int] = {}
        for key in _deletions(word) | {word}:
            for candidate in self._deletes.get(key, ()):
                if candidate != word and candidate not in found:
                    distance = OSA.distance(word, candidate, score_cutoff=1)
                    if distance <= 1:
                        found[candidate] = distance
        if budget >= 2:
            pool: list[str] = []
            for length in range(len(word) - 2, len(word) + 3):
                pool.extend(self._buckets.get((word[0], length), ()))
            for candidate, distance, _ in process.extract(
                word, pool, scorer=OSA.distance, score_cutoff=2, limit=None
            ):
                if candidate != word and candidate not in found:
                    found[candidate] = int(distance)
        return sorted(found.items(), key=lambda item: (item[1], item[0]))

    def completions(self, prefix: str, limit: int = 20) -> list[str]:
        """Known words that start with `prefix` (the prefix itself excluded)."""
        if self._dirty:
            self._sorted = sorted(self.stems)
            self._dirty = False
        out: list[str] = []
        i = bisect.bisect_left(self._sorted, prefix)
        while i < len(self._sorted) and len(out) < limit:
            word = self._sorted[i]
            if not word.startswith(prefix):
                break
            if word != prefix:
                out.append(word)
            i += 1
        return out

    def __contains__(self, word: object) -> bool:
        return word in self.stems

    def known(self, words: Iterable[str]) -> list[str]:
        """The words of `words` that occur in the catalog."""
        return [w for w in words if w in self.stems]
