"""Text analysis shared by indexing and querying: normalisation, tokens, stems, stopwords.

Index and query must analyse text the same way, or terms will not meet; everything that turns
text into terms lives here.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable

import Stemmer

#: Words that carry no meaning for product search; dropped from documents and queries.
STOPWORDS = frozenset(
    str.split(
        """
    a an and are as at be but by for from has have i if in into is it its me my of on or our
    so some that the their them then there these they this to was we were what which who will
    with you your yours any all also just very can could would should do does did please show
    find get want need looking look searching search something thing things anything item items
    """
    )
)

_TOKEN_RE = re.compile(r"[0-9]+\.[0-9]+|[a-z0-9]+")
_COMPOUND_RE = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)+")
_POSSESSIVE_RE = re.compile(r"['’]s\b")
_APOSTROPHE_RE = re.compile(r"['’]")


def normalise(text: str) -> str:
    """Lower-case, strip accents and fold compatibility characters ("Café" → "cafe")."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def words(text: str, *, join_compounds: bool = False) -> list[str]:
    """The surface words of a text, normalised; possessives dropped ("women's" → "women").

    Hyphenated compounds give their parts and, for documents, also the joined word
    ("t-shirt" → "t", "shirt", "tshirt"); a query keeps only the joined word
    (`join_compounds=True`) so that it matches both spellings. Decimals stay whole ("10.5").
    Everything is done by regular expressions: this runs for every word of every product.
    """
    folded = normalise(text)
    if "'" in folded or "’" in folded:
        folded = _APOSTROPHE_RE.sub("", _POSSESSIVE_RE.sub("", folded))
    if "-" not in folded:
        return _TOKEN_RE.findall(folded)
    if join_compounds:
        return _TOKEN_RE.findall(_COMPOUND_RE.sub(lambda m: m.group(0).replace("-", ""), folded))
    # Documents: the parts, then each compound joined (only the few hyphenated words are
    # looked at in Python; word order does not matter to the index).
    tokens = _TOKEN_RE.findall(folded)
    for chunk in folded.split():
        if "-" in chunk:
            tokens.extend(c.replace("-", "") for c in _COMPOUND_RE.findall(chunk))
    return tokens


class Analyzer:
    """Turns text into index terms: words, minus stopwords, stemmed (English Snowball).

    Stems are cached: product text repeats the same few thousand words endlessly. One
    analyzer per thread; PyStemmer objects are not thread-safe.
    """

    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("english")
        self._cache: dict[str, str] = {}

    def stem(self, word: str) -> str:
        """The stem of one normalised word (numbers and short words are kept as they are)."""
        cached = self._cache.get(word)
        if cached is None:
            cached = word if len(word) < 3 or word[0].isdigit() else self._stemmer.stemWord(word)
            if len(self._cache) < 500_000:
                self._cache[word] = cached
        return cached

    def terms(self, text: str) -> list[str]:
        """Index terms of a document field, in order."""
        stem = self.stem
        return [stem(w) for w in words(text) if w not in STOPWORDS]

    def query_words(self, text: str) -> list[str]:
        """Surface words of a query, stopwords dropped, compounds joined."""
        return [w for w in words(text, join_compounds=True) if w not in STOPWORDS]

    def stems(self, items: Iterable[str]) -> list[str]:
        """Stems of several words."""
        return [self.stem(w) for w in items]


_local = threading.local()


def analyzer() -> Analyzer:
    """This thread's analyzer."""
    found: Analyzer | None = getattr(_local, "analyzer", None)
    if found is None:
        found = Analyzer()
        _local.analyzer = found
    return found


def phrase_key(text: str) -> tuple[str, ...]:
    """A phrase as a tuple of stems (gazetteer and synonym keys).

    Stopwords are dropped as in queries, unless the phrase is nothing but stopwords (a brand
    called "On" must still be recognisable).
    """
    a = analyzer()
    surface = words(text, join_compounds=True)
    kept = [w for w in surface if w not in STOPWORDS] or surface
    return tuple(a.stem(w) for w in kept)
