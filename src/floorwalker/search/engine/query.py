"""What the engine is asked: clauses of alternatives, filters, a sort and a page.

Free text becomes clauses. Each clause is one thing the shopper typed (a word, or a phrase a
synonym rule knows) and holds its alternatives: the word itself, its synonyms, and — when the
word is not in the catalog — near spellings and completions, each with a weight below 1 so an
exact match outranks a guess. A document matches a clause through any alternative; an
alternative of several words needs all of them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from floorwalker.search.engine.lexicon import Lexicon
from floorwalker.search.text import analyzer, phrase_key

#: Weights of guessed alternatives relative to the word as typed.
SYNONYM_WEIGHT = 0.9
PREFIX_WEIGHT = 0.8
TYPO_WEIGHTS = {1: 0.75, 2: 0.55}
#: At most this many guesses per word (nearest and most common first).
MAX_GUESSES = 6


class Sort(StrEnum):
    """Orders of results."""

    RELEVANCE = "relevance"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    NEWEST = "newest"


@dataclass(frozen=True, slots=True)
class Alternative:
    """One way to satisfy a clause: all `terms` (stems) present, scored × `weight`."""

    terms: tuple[str, ...]
    weight: float = 1.0
    kind: str = "exact"


@dataclass(frozen=True, slots=True)
class Clause:
    """Something the shopper typed, and the alternatives that satisfy it."""

    text: str
    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True, slots=True)
class Filters:
    """Constraints on results.

    Category groups: a document must fall (with descendants) under one category of every
    group. Options: per facet, a variant must carry one of the wanted values, and one variant
    must satisfy every option, the price range and the stock constraint at once.
    """

    category_groups: tuple[frozenset[int], ...] = ()
    #: Per category group, stems that also let a product in when its title holds them all
    #: (a category read from words: an uncategorised "Summit Backpack" is still a backpack).
    category_titles: tuple[tuple[str, ...], ...] = ()
    brands: frozenset[str] = frozenset()
    price_min: int | None = None
    price_max: int | None = None
    options: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Option filters that may narrow the candidates before scoring (those read from words);
    #: their facets then drill down instead of staying disjunctive.
    narrow_options: frozenset[str] = frozenset()
    in_stock: bool = False

    @property
    def has_variant_filters(self) -> bool:
        """Whether any constraint applies to variants (price, options, stock)."""
        return (
            bool(self.price_min is not None or self.price_max is not None or self.options)
            or self.in_stock
        )


@dataclass(frozen=True, slots=True)
class EngineQuery:
    """A complete request to the engine."""

    clauses: tuple[Clause, ...] = ()
    require_all: bool = True
    #: Clauses that add to the score without being required (words the parser turned into
    #: filters: "linen dress" filtered to dresses still ranks "Linen Dress" first).
    boosts: tuple[Clause, ...] = ()
    filters: Filters = field(default_factory=Filters)
    sort: Sort = Sort.RELEVANCE
    offset: int = 0
    limit: int = 20
    facets: bool = True
    #: A unit-length query embedding, for fusion with the dense vectors of the index.
    vector: npt.NDArray[np.float32] | None = None


class SynonymTable:
    """Synonym rules compiled to stem phrases: phrase → alternative phrases.

    An equivalence rule ("sneakers, trainers, running shoes") makes every term an alternative
    of every other; a one-way rule ("tee → t-shirt") only expands its first term.
    """

    def __init__(self, rules: Iterable[tuple[Sequence[str], bool]] = ()) -> None:
        self.expansions: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        self.longest = 1
        for terms, one_way in rules:
            keys = [k for k in (phrase_key(t) for t in terms) if k]
            if len(keys) < 2:
                continue
            heads = keys[:1] if one_way else keys
            for head in heads:
                targets = self.expansions.setdefault(head, [])
                targets.extend(k for k in keys if k != head and k not in targets)
                self.longest = max(self.longest, len(head))

    def __bool__(self) -> bool:
        return bool(self.expansions)


def build_clauses(
    text: str,
    *,
    lexicon: Lexicon,
    synonyms: SynonymTable,
    df: Callable[[str], int] | None = None,
    prefix_last: bool = False,
) -> tuple[Clause, ...]:
    """Turn free text into clauses (see the module docstring)."""
    a = analyzer()
    surface = a.query_words(text)
    stems = [a.stem(w) for w in surface]
    known = lexicon.known_stems
    df = df or (lambda _term: 0)
    clauses: list[Clause] = []
    i = 0
    while i < len(stems):
        matched = 0
        for length in range(min(synonyms.longest, len(stems) - i), 0, -1):
            key = tuple(stems[i : i + length])
            if key in synonyms.expansions:
                alternatives = [Alternative(key)] + [
                    Alternative(alt, SYNONYM_WEIGHT, "synonym") for alt in synonyms.expansions[key]
                ]
                clauses.append(Clause(" ".join(surface[i : i + length]), tuple(alternatives)))
                matched = length
                break
        if matched:
            i += matched
            continue
        word, stem = surface[i], stems[i]
        is_last = i == len(stems) - 1
        alternatives = [Alternative((stem,))]
        if stem not in known:
            alternatives.extend(
                _guesses(
                    word, lexicon=lexicon, synonyms=synonyms, df=df, prefix=prefix_last and is_last
                )
            )
        clauses.append(Clause(word, tuple(alternatives)))
        i += 1
    return tuple(clauses)


def _guesses(
    word: str, *, lexicon: Lexicon, synonyms: SynonymTable, df: Callable[[str], int], prefix: bool
) -> list[Alternative]:
    """Completions (for the word being typed) and corrections of an unknown word."""
    found: dict[str, Alternative] = {}
    if prefix and len(word) >= 2:
        completions = [lexicon.stems[w] for w in lexicon.completions(word, limit=50)]
        for stem in sorted(set(completions), key=lambda s: (-df(s), s))[:MAX_GUESSES]:
            found.setdefault(stem, Alternative((stem,), PREFIX_WEIGHT, "prefix"))
    corrections = [(lexicon.stems[w], d) for w, d in lexicon.corrections(word)]
    best: dict[str, int] = {}
    for stem, distance in corrections:
        best[stem] = min(distance, best.get(stem, distance))
    ranked = sorted(best.items(), key=lambda item: (item[1], -df(item[0]), item[0]))
    for stem, distance in ranked[:MAX_GUESSES]:
        if stem not in found:
            found[stem] = Alternative((stem,), TYPO_WEIGHTS[distance], "typo")
            for alt in synonyms.expansions.get((stem,), []):
                weight = TYPO_WEIGHTS[distance] * SYNONYM_WEIGHT
                found.setdefault(" ".join(alt), Alternative(alt, weight, "synonym"))
    return list(found.values())


def idf(df: int, n: int) -> float:
    """BM25's inverse document frequency (positive while df ≤ n)."""
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))
