"""One store's index: a large base segment, a small delta segment, and what they share.

Changes never modify a segment. A changed or removed product is masked out of the base (its
`live` flag drops) and its new version goes into the delta, which is rebuilt from its few
documents in milliseconds. When the delta grows past a threshold the owner rebuilds the whole
index in the background and swaps it in. Every change returns a new `StoreIndex` that shares
the unchanged parts, so a search in flight keeps a consistent snapshot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from floorwalker.kit.clock import utcnow
from floorwalker.search.documents import CategoryEntry, ProductDoc
from floorwalker.search.engine.dictionary import Dictionary
from floorwalker.search.engine.lexicon import Lexicon
from floorwalker.search.engine.query import SynonymTable
from floorwalker.search.engine.segment import Segment, build_segment

#: The delta is merged into a new base when it holds more than this share of the documents.
MERGE_SHARE = 0.1
MERGE_MIN = 2_000

#: Looks up a document's unit embedding (computed beforehand; None when it has none).
VectorLookup = Callable[[ProductDoc], npt.NDArray[np.float32] | None]


@dataclass(frozen=True, slots=True)
class StoreMeta:
    """What the index knows about its store besides products."""

    store_id: int
    currency: str
    product_url_template: str | None = None
    categories: dict[int, CategoryEntry] = field(default_factory=dict)
    synonyms: SynonymTable = field(default_factory=SynonymTable)


class StoreIndex:
    """An immutable snapshot of a store's searchable catalog."""

    def __init__(
        self,
        *,
        meta: StoreMeta,
        dictionary: Dictionary,
        lexicon: Lexicon,
        base: Segment,
        base_live: npt.NDArray[np.bool_],
        delta: Segment,
        built_at: dt.datetime,
    ) -> None:
        self.meta = meta
        self.dictionary = dictionary
        self.lexicon = lexicon
        self.base = base
        self.base_live = base_live
        self.delta = delta
        self.built_at = built_at
        self.refreshed_at = utcnow()
        self.base_pos = _positions(base)
        self.delta_pos = _positions(delta)
        self.size = int(base_live.sum()) + delta.size
        self._df_cache: dict[str, int] = {}
        #: Data derived from this snapshot by higher layers (the query parser's gazetteer).
        self.memo: dict[str, object] = {}

    @classmethod
    def build(
        cls,
        meta: StoreMeta,
        docs: Sequence[ProductDoc],
        *,
        vectors: VectorLookup | None = None,
    ) -> StoreIndex:
        """Index a whole catalog (CPU-bound: run it in a worker thread for large stores)."""
        dictionary = Dictionary()
        lexicon = Lexicon()
        base = build_segment(docs, dictionary)
        lexicon.add(base.surface)
        if vectors is not None:
            base.vectors = stack_vectors(base.docs, vectors)
        delta = build_segment([], dictionary, avg_lengths=base.avg_lengths)
        return cls(
            meta=meta,
            dictionary=dictionary,
            lexicon=lexicon,
            base=base,
            base_live=np.ones(base.size, dtype=np.bool_),
            delta=delta,
            built_at=utcnow(),
        )

    @property
    def segments(self) -> tuple[tuple[Segment, npt.NDArray[np.bool_] | None], ...]:
        """The segments and their live masks (None: every document is live)."""
        return ((self.base, self.base_live), (self.delta, None))

    @property
    def delta_size(self) -> int:
        """Documents changed since the base was built."""
        return self.delta.size

    @property
    def needs_merge(self) -> bool:
        """Whether the delta has grown enough to rebuild the whole index."""
        return self.delta.size > max(MERGE_MIN, MERGE_SHARE * self.size)

    def df(self, term: str) -> int:
        """Documents containing a term, over both segments (masked base documents included)."""
        found = self._df_cache.get(term)
        if found is None:
            found = self._df_cache[term] = self.base.df(term) + self.delta.df(term)
        return found

    def get(self, product_id: int) -> ProductDoc | None:
        """The indexed version of a product, or None when it is not searchable."""
        pos = self.delta_pos.get(product_id)
        if pos is not None:
            return self.delta.docs[pos]
        pos = self.base_pos.get(product_id)
        if pos is not None and self.base_live[pos]:
            return self.base.docs[pos]
        return None

    def documents(self) -> list[ProductDoc]:
        """Every live document (for a rebuild)."""
        live = [doc for doc, ok in zip(self.base.docs, self.base_live, strict=True) if ok]
        return live + list(self.delta.docs)

    def with_meta(self, meta: StoreMeta) -> StoreIndex:
        """The same documents with new store metadata (synonyms, categories, URL template)."""
        clone = StoreIndex(
            meta=meta,
            dictionary=self.dictionary,
            lexicon=self.lexicon,
            base=self.base,
            base_live=self.base_live,
            delta=self.delta,
            built_at=self.built_at,
        )
        return clone

    def apply(
        self,
        changed: Iterable[ProductDoc],
        removed: Iterable[int],
        *,
        vectors: VectorLookup | None = None,
    ) -> StoreIndex:
        """A new snapshot with products changed (added or updated) and removed."""
        changed = list(changed)
        gone = set(removed) | {doc.id for doc in changed}
        live = self.base_live.copy()
        for pid in gone:
            pos = self.base_pos.get(pid)
            if pos is not None:
                live[pos] = False
        kept = {doc.id: doc for doc in self.delta.docs if doc.id not in gone}
        kept.update((doc.id, doc) for doc in changed)
        # Scored with the base's field lengths, so both segments rank alike.
        delta = build_segment(
            list(kept.values()), self.dictionary, avg_lengths=self.base.avg_lengths
        )
        self.lexicon.add(delta.surface)
        if vectors is not None:
            delta.vectors = stack_vectors(delta.docs, vectors)
        return StoreIndex(
            meta=self.meta,
            dictionary=self.dictionary,
            lexicon=self.lexicon,
            base=self.base,
            base_live=live,
            delta=delta,
            built_at=self.built_at,
        )


def _positions(segment: Segment) -> dict[int, int]:
    return {int(pid): i for i, pid in enumerate(segment.product_ids)}


def stack_vectors(
    docs: Sequence[ProductDoc], lookup: VectorLookup
) -> npt.NDArray[np.float32] | None:
    """One row per document (zeros for a document without a vector); None if none has one."""
    rows = [lookup(doc) for doc in docs]
    dim = next((len(r) for r in rows if r is not None), 0)
    if dim == 0:
        return None
    out = np.zeros((len(docs), dim), dtype=np.float32)
    for i, row in enumerate(rows):
        if row is not None and len(row) == dim:
            out[i] = row
    return out
