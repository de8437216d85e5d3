"""Natural-language queries read into filters: "red linen dress under 50 in size M".

Patterns first (prices, sort words, stock, sizes), then the store's gazetteer over what is left
(brands, categories, colours, materials, product types; longest phrase first, with a typo
allowed in long words that the catalog does not contain), and whatever remains is free text.
The assistant's local model reuses `parse_query` for entity extraction.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from floorwalker.kit.money import MoneyError, to_minor
from floorwalker.search.engine.lexicon import max_typos
from floorwalker.search.engine.query import Sort
from floorwalker.search.engine.store_index import StoreIndex
from floorwalker.search.gazetteer import (
    SIZE_CODES,
    Entity,
    EntityKind,
    Gazetteer,
    build_gazetteer,
    size_label,
)
from floorwalker.search.schemas import CategoryMatch, ParsedQuery
from floorwalker.search.text import STOPWORDS, analyzer, normalise, words

#: Words that only carry the shape of a request ("a pair of", "priced").
FILLERS = frozenset(
    str.split(
        """
    im ive id pair pairs one ones kind sort type stuff buy buying shop shopping cost costs costing
    price priced prices dollars dollar bucks euros euro pounds pound quid us usd eur gbp around
    """
    )
)

_CUR = r"[$€£¥]"
_UNIT = r"(?:dollars?|usd|bucks|euros?|eur|pounds?|gbp|quid)"
_AMT = rf"(?:{_CUR}\s*)?\d+(?:[.,]\d{{1,2}})?(?:\s*{_UNIT})?"
_RANGE = re.compile(
    rf"\b(?:between|from)\s+(?P<a>{_AMT})\s+(?:and|to|-|–)\s+(?P<b>{_AMT})"
    rf"|(?P<c>{_CUR}\s*\d+(?:[.,]\d{{1,2}})?)\s*(?:-|–|to)\s*(?P<d>{_AMT})"
)
_MAX = re.compile(
    r"(?:\b(?:under|below|less\s+than|cheaper\s+than|up\s+to|upto|no\s+more\s+than|"
    r"not\s+more\s+than|at\s+most|max(?:imum)?|within|budget(?:\s+(?:of|is))?|for\s+less\s+than)"
    rf"|<=?)\s*(?P<a>{_AMT})"
)
_MIN = re.compile(
    r"(?:\b(?:over|above|more\s+than|at\s+least|min(?:imum)?|starting\s+at|from)|>=?)"
    rf"\s*(?P<a>{_AMT})"
)
_AROUND = re.compile(rf"(?:\b(?:around|about|approximately|approx|roughly)|~)\s*(?P<a>{_AMT})")
_BARE = re.compile(rf"(?P<a>{_CUR}\s*\d+(?:[.,]\d{{1,2}})?|\d+(?:[.,]\d{{1,2}})?\s*{_UNIT})")

_SORTS: tuple[tuple[re.Pattern[str], Sort], ...] = (
    (
        re.compile(
            r"\b(?:(?:the\s+)?cheapest|cheaper|lowest[\s-]priced?|least\s+expensive|"
            r"low(?:est)?\s+to\s+high(?:est)?|inexpensive|affordable|cheap)\b"
        ),
        Sort.PRICE_ASC,
    ),
    (
        re.compile(
            r"\b(?:(?:the\s+)?most\s+expensive|priciest|highest[\s-]priced?|"
            r"high(?:est)?\s+to\s+low(?:est)?)\b"
        ),
        Sort.PRICE_DESC,
    ),
    (
        re.compile(r"\b(?:(?:the\s+)?newest|latest|most\s+recent|new\s+arrivals?|just\s+in)\b"),
        Sort.NEWEST,
    ),
)
_STOCK = re.compile(
    r"\b(?:in[\s-]stock|available\s+(?:now|today)|ready\s+to\s+ship|"
    r"(?:that|which)\s+(?:is|are)\s+available|available)\b"
)
_SIZE_VALUE = (
    r"(?:uk|us|eu|fr|it)?\s*\d{1,2}(?:[.,]5)?|extra\s+(?:small|large)|small|medium|large|"
    r"one\s+size|[a-z0-9]{1,4}"
)
_SIZE = re.compile(
    rf"\b(?:in\s+)?(?:an?\s+)?(?:size|sz|sized)\s*[:=]?\s*(?P<v>{_SIZE_VALUE})(?![\w.])"
)
_IN_SIZE = re.compile(rf"\bin\s+(?:an?\s+)?(?P<v>{_SIZE_VALUE})(?![\w.])")
_CODE = re.compile(r"\b(?P<v>[a-z0-9]{2,4})\b")


def parse_query(index: StoreIndex, text: str) -> ParsedQuery:
    """Read a shopper's query into filters and free text, using the store's own vocabulary."""
    gaz = gazetteer_of(index)
    parsed = ParsedQuery(text=text, currency=index.meta.currency)
    rest = f" {normalise(text)} "
    rest = _prices(rest, parsed)
    for pattern, order in _SORTS:
        rest, found = _take(pattern, rest)
        if found and parsed.sort is None:
            parsed.sort = order
    rest, found = _take(_STOCK, rest)
    parsed.in_stock = bool(found)
    rest = _sizes(rest, gaz, parsed)
    _entities(rest, gaz, index, parsed)
    return parsed


def gazetteer_of(index: StoreIndex) -> Gazetteer:
    """The index's gazetteer, built on first use and kept with the snapshot."""
    found = index.memo.get("gazetteer")
    if not isinstance(found, Gazetteer):
        found = index.memo["gazetteer"] = build_gazetteer(index)
    return found


def _take(pattern: re.Pattern[str], text: str) -> tuple[str, list[re.Match[str]]]:
    """Remove every match of a pattern; returns the rest and the matches."""
    found = list(pattern.finditer(text))
    return pattern.sub(" ", text), found


def _replace(pattern: re.Pattern[str], text: str, keep: Callable[[re.Match[str]], bool]) -> str:
    """Remove the matches for which `keep` (which records them) returns True."""
    return pattern.sub(lambda m: " " if keep(m) else m.group(0), text)


def _amount(raw: str, currency: str) -> int | None:
    number = re.search(r"\d+(?:[.,]\d{1,2})?", raw)
    if number is None:
        return None
    try:
        return to_minor(number.group(0).replace(",", "."), currency)
    except MoneyError:
        return None


def _prices(text: str, parsed: ParsedQuery) -> str:
    currency = parsed.currency

    def on_range(m: re.Match[str]) -> bool:
        low = _amount(m.group("a") or m.group("c"), currency)
        high = _amount(m.group("b") or m.group("d"), currency)
        if low is None or high is None:
            return False
        parsed.price_min, parsed.price_max = min(low, high), max(low, high)
        return True

    def bound(kind: str) -> Callable[[re.Match[str]], bool]:
        def keep(m: re.Match[str]) -> bool:
            value = _amount(m.group("a"), currency)
            if value is None:
                return False
            if kind == "max":
                parsed.price_max = value
            elif kind == "min":
                parsed.price_min = value
            else:
                parsed.price_min, parsed.price_max = value * 8 // 10, value * 12 // 10
            return True

        return keep

    text = _replace(_RANGE, text, on_range)
    text = _replace(_MAX, text, bound("max"))
    text = _replace(_MIN, text, bound("min"))
    text = _replace(_AROUND, text, bound("around"))
    if parsed.price_min is None and parsed.price_max is None:
        text = _replace(_BARE, text, bound("max"))
    return text


def _sizes(text: str, gaz: Gazetteer, parsed: ParsedQuery) -> str:
    sizes: list[str] = []

    def explicit(m: re.Match[str]) -> bool:
        typed = " ".join(m.group("v").split())
        label = size_label(gaz, typed) or (typed.upper() if len(typed) <= 4 else typed)
        if label not in sizes:
            sizes.append(label)
        return True

    def known(m: re.Match[str]) -> bool:
        label = size_label(gaz, " ".join(m.group("v").split()))
        if label is None:
            return False
        if label not in sizes:
            sizes.append(label)
        return True

    def code(m: re.Match[str]) -> bool:
        # Size codes are sizes even where the store has none ("tee xl" → size XL, relaxed
        # with a note when nothing matches).
        return m.group("v") in SIZE_CODES and explicit(m)

    text = _replace(_SIZE, text, explicit)
    text = _replace(_IN_SIZE, text, known)
    text = _replace(_CODE, text, code)
    if sizes:
        parsed.options["size"] = sizes
    return text


def _entities(text: str, gaz: Gazetteer, index: StoreIndex, parsed: ParsedQuery) -> None:
    a = analyzer()
    surface = [w for w in words(text, join_compounds=True) if w not in STOPWORDS | FILLERS]
    stems = [a.stem(w) for w in surface]
    known = index.lexicon.known_stems
    left: list[str] = []
    i = 0
    while i < len(stems):
        for length in range(min(gaz.longest, len(stems) - i), 0, -1):
            key = tuple(stems[i : i + length])
            entities = gaz.lookup(key)
            if not entities and length == 1 and stems[i] not in known:
                entities = gaz.lookup(_near(surface[i], gaz))
            if entities:
                phrase = " ".join(surface[i : i + length])
                if not _record(entities, phrase, index, parsed):
                    left.extend(surface[i : i + length])
                i += length
                break
        else:
            left.append(surface[i])
            i += 1
    parsed.terms = " ".join(left)


def _near(word: str, gaz: Gazetteer) -> tuple[str, ...]:
    """The gazetteer phrase a misspelt single word most likely means (empty if none)."""
    budget = max_typos(word)
    if budget == 0 or len(word) < 5 or not gaz.surface:
        return ()
    best = process.extractOne(word, list(gaz.surface), scorer=OSA.distance, score_cutoff=budget)
    return gaz.surface[best[0]] if best else ()


def _record(entities: list[Entity], phrase: str, index: StoreIndex, parsed: ParsedQuery) -> bool:
    """Add what a phrase names to the parsed query; False when its words stay free text."""
    kinds = {e.kind: e for e in entities}
    for product_type in (e for e in entities if e.kind is EntityKind.PRODUCT_TYPE):
        if product_type.label not in parsed.product_types:
            parsed.product_types.append(product_type.label)
    if EntityKind.BRAND in kinds:
        label = kinds[EntityKind.BRAND].label
        if label not in parsed.brands:
            parsed.brands.append(label)
        return True
    if EntityKind.CATEGORY in kinds:
        ids = sorted(kinds[EntityKind.CATEGORY].ids)
        categories = index.meta.categories
        paths = [categories[c].path or categories[c].name for c in ids if c in categories]
        parsed.categories.append(CategoryMatch(phrase=phrase, ids=ids, paths=paths))
        return True
    for kind, facet in ((EntityKind.COLOUR, "colour"), (EntityKind.MATERIAL, "material")):
        if kind in kinds:
            values = parsed.options.setdefault(facet, [])
            if kinds[kind].label not in values:
                values.append(kinds[kind].label)
            return True
    return False
