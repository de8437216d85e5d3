"""Runs an `EngineQuery` over a `StoreIndex`: match, score, fuse, filter, count, sort, page.

Relevance is BM25F summed over clauses. Products that cannot be bought right now keep their
place among matches but are demoted (× OUT_OF_STOCK_FACTOR), because a shopper who finds an
item they cannot buy has not been helped. With dense vectors, lexical and semantic rankings
are combined by reciprocal rank fusion: score(d) = Σ 1 / (RRF_K + rank(d)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from floorwalker.search.documents import ProductDoc
from floorwalker.search.engine.filtering import FacetCounts, Filtered, apply_filters
from floorwalker.search.engine.query import Clause, EngineQuery, Filters, Sort, idf
from floorwalker.search.engine.segment import FloatArray, Int32Array, Segment, docs_mask
from floorwalker.search.engine.store_index import StoreIndex

K1 = 1.2
OUT_OF_STOCK_FACTOR = 0.75
RRF_K = 60
#: Semantic neighbours considered per query, and the least cosine similarity that counts.
DENSE_TOP_K = 100
DENSE_MIN_SIMILARITY = 0.25


@dataclass(frozen=True, slots=True)
class Hit:
    """One result: the document, its score and its variants that satisfy the filters."""

    doc: ProductDoc
    score: float
    price: int
    in_stock: bool
    matched_variant_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class EngineResult:
    """Total matches, one page of hits and (if asked) facet counts."""

    total: int
    hits: list[Hit]
    facets: FacetCounts | None


def execute(index: StoreIndex, query: EngineQuery) -> EngineResult:
    """Answer a query from an index snapshot."""
    # Document frequencies count masked (replaced or removed) base documents too, so the
    # collection size must as well, or a word in every document would weigh less than zero.
    n_docs = max(sum(seg.size for seg, _ in index.segments), 1)
    stages: list[tuple[Segment, Int32Array, FloatArray]] = []
    for seg, live in index.segments:
        if seg.size == 0:
            continue
        cand, scores = _text_stage(index, seg, live, query, n_docs)
        if query.boosts and len(cand):
            for clause in query.boosts:
                scores = scores + _clause_scores(index, seg, clause, n_docs)[cand]
        stages.append((seg, cand, scores))
    if query.vector is not None and (query.clauses or query.boosts):
        stages = _fuse_dense(index, stages, query.vector)
    # Browsing everything (the storefront's landing page) has the same facets until the
    # snapshot changes: count them once per snapshot.
    plain_browse = not query.clauses and not query.boosts and query.filters == Filters()
    cached = index.memo.get("browse_facets") if plain_browse and query.facets else None
    count_facets = query.facets and cached is None
    filtered: list[tuple[Segment, Filtered, FloatArray]] = []
    for seg, cand, scores in stages:
        f = apply_filters(seg, cand, query.filters, index.dictionary, facets=count_facets)
        if len(f.cand) != len(cand):
            # Filtered over the whole segment: scores go to their documents' rows.
            spread = np.zeros(len(f.cand), np.float32)
            spread[cand] = scores
            scores = spread
        filtered.append((seg, f, scores))
    facets = cached if isinstance(cached, FacetCounts) else None
    if count_facets:
        facets = FacetCounts.empty(index.dictionary)
        for _, f, _ in filtered:
            if f.facets is not None:
                facets.add(f.facets)
        if plain_browse:
            index.memo["browse_facets"] = facets
    return _rank(filtered, query, facets)


def _text_stage(
    index: StoreIndex,
    seg: Segment,
    live: npt.NDArray[np.bool_] | None,
    query: EngineQuery,
    n_docs: int,
) -> tuple[Int32Array, FloatArray]:
    """Candidate documents of a segment and their text scores."""
    clauses, require_all = query.clauses, query.require_all
    if not clauses:
        narrowed = _narrow(seg, query.filters, index)
        every: npt.NDArray[np.integer]
        if narrowed is None:
            every = np.flatnonzero(live) if live is not None else np.arange(seg.size)
        else:
            every = narrowed[live[narrowed]] if live is not None else narrowed
        return every.astype(np.int32), np.zeros(len(every), np.float32)
    total = np.zeros(seg.size, np.float32)
    count = np.zeros(seg.size, np.int16)
    for clause in clauses:
        cs = _clause_scores(index, seg, clause, n_docs)
        total += cs
        count += cs > 0
    need = len(clauses) if require_all else 1
    mask = count >= need
    if live is not None:
        mask &= live
    cand = np.flatnonzero(mask).astype(np.int32)
    scores = total[cand]
    if not require_all:
        scores = scores * (count[cand] / len(clauses)).astype(np.float32)
    return cand, scores


def _narrow(seg: Segment, filters: Filters, index: StoreIndex) -> Int32Array | None:
    """Documents in the chosen categories and with the narrowing options (None: no such filter).

    Browsing a category then touches only its documents. The category facet therefore
    drills down (it counts within the chosen categories), and so do the facets of options
    read from words; brand and chosen options stay disjunctive, so they do not narrow.
    """
    # Boolean masks over the segment: unions and intersections without sorting.
    found: npt.NDArray[np.bool_] | None = None
    d = index.dictionary
    titles = filters.category_titles or ((),) * len(filters.category_groups)
    for group, title in zip(filters.category_groups, titles, strict=True):
        mask = docs_mask(
            seg.cat_post_indptr, seg.cat_post_docs, d.categories_for(sorted(group)), seg.size
        )
        if title:
            mask[seg.titled(title)] = True
        found = mask if found is None else found & mask
    for name, wanted in filters.options:
        if name not in filters.narrow_options:
            continue
        ids: set[int] = set()
        for value in wanted:
            ids |= d.matching_values(name, value)
        mask = docs_mask(seg.val_post_indptr, seg.val_post_docs, ids, seg.size)
        found = mask if found is None else found & mask
    return None if found is None else np.flatnonzero(found).astype(np.int32)


def _clause_scores(index: StoreIndex, seg: Segment, clause: Clause, n_docs: int) -> FloatArray:
    """Per document of the segment, the best score of any of the clause's alternatives."""
    best = np.zeros(seg.size, np.float32)
    for alt in clause.alternatives:
        docs: Int32Array | None = None
        scores: FloatArray | None = None
        for term in alt.terms:
            postings = seg.postings(term)
            if postings is None:
                docs = None
                break
            t_docs, tfw = postings
            t_scores = (idf(index.df(term), n_docs) * tfw * (K1 + 1) / (tfw + K1)).astype(
                np.float32
            )
            if docs is None or scores is None:
                docs, scores = t_docs, t_scores
            else:
                docs, left, right = np.intersect1d(
                    docs, t_docs, assume_unique=True, return_indices=True
                )
                scores = scores[left] + t_scores[right]
            if len(docs) == 0:
                break
        if docs is None or scores is None or len(docs) == 0:
            continue
        best[docs] = np.maximum(best[docs], scores * np.float32(alt.weight))
    return best


def _fuse_dense(
    index: StoreIndex,
    stages: list[tuple[Segment, Int32Array, FloatArray]],
    vector: npt.NDArray[np.float32],
) -> list[tuple[Segment, Int32Array, FloatArray]]:
    """Add semantic neighbours to the candidates and score everything by rank fusion."""
    sims: list[tuple[int, int, float]] = []
    for s, (seg, live) in enumerate(index.segments):
        if seg.size == 0 or seg.vectors is None or seg.vectors.shape[1] != len(vector):
            continue
        values = seg.vectors @ vector
        if live is not None:
            values = np.where(live, values, -1.0)
        top = np.argsort(-values, kind="stable")[:DENSE_TOP_K]
        sims.extend((s, int(i), float(values[i])) for i in top if values[i] >= DENSE_MIN_SIMILARITY)
    segment_no = {id(seg): s for s, (seg, _) in enumerate(index.segments)}
    sims.sort(key=lambda item: -item[2])
    dense_rank = {(s, i): r for r, (s, i, _) in enumerate(sims[:DENSE_TOP_K], start=1)}
    lexical = [
        (segment_no[id(seg)], int(i), float(score))
        for seg, cand, scores in stages
        for i, score in zip(cand, scores, strict=True)
    ]
    lexical.sort(key=lambda item: -item[2])
    fused: dict[tuple[int, int], float] = {}
    for rank, (s, i, _) in enumerate(lexical, start=1):
        fused[(s, i)] = 1.0 / (RRF_K + rank)
    for key, rank in dense_rank.items():
        fused[key] = fused.get(key, 0.0) + 1.0 / (RRF_K + rank)
    out = []
    for s, (seg, _) in enumerate(index.segments):
        if seg.size == 0:
            continue
        local = sorted(i for (ss, i) in fused if ss == s)
        cand = np.asarray(local, dtype=np.int32)
        scores = np.asarray([fused[(s, i)] for i in local], dtype=np.float32)
        out.append((seg, cand, scores))
    return out


def _rank(
    filtered: list[tuple[Segment, Filtered, FloatArray]],
    query: EngineQuery,
    facets: FacetCounts | None,
) -> EngineResult:
    """Sort the passing documents of every segment together and cut the page."""
    parts = [
        (s, np.flatnonzero(f.passed)) for s, (_, f, _) in enumerate(filtered) if f.passed.any()
    ]
    if not parts:
        return EngineResult(total=0, hits=[], facets=facets)
    if query.limit == 0:
        # Counting only (a relaxation attempt): no sorting, no hits.
        return EngineResult(total=sum(len(rows) for _, rows in parts), hits=[], facets=facets)
    seg_no = np.concatenate([np.full(len(rows), s, np.int32) for s, rows in parts])
    row = np.concatenate([rows for _, rows in parts])
    pid = np.concatenate(
        [filtered[s][0].product_ids[filtered[s][1].cand[rows]] for s, rows in parts]
    )
    score = np.concatenate([filtered[s][2][rows] for s, rows in parts]).astype(np.float64)
    price = np.concatenate([filtered[s][1].price[rows] for s, rows in parts])
    stock = np.concatenate([filtered[s][1].in_stock[rows] for s, rows in parts])
    created = np.concatenate(
        [filtered[s][0].doc_created[filtered[s][1].cand[rows]] for s, rows in parts]
    )
    score = np.where(stock, score, score * OUT_OF_STOCK_FACTOR)
    browsing = not query.clauses and not query.boosts
    if query.sort is Sort.PRICE_ASC:
        keys: tuple[npt.NDArray[np.generic], ...] = (price, -score, pid)
    elif query.sort is Sort.PRICE_DESC:
        keys = (-price, -score, pid)
    elif query.sort is Sort.NEWEST:
        keys = (-created, -pid)
    elif browsing:
        keys = (-(stock * 1e10 + created), -pid)
    else:
        keys = (-score, pid)
    order = _top(keys, query.offset + query.limit)[query.offset :]
    hits = []
    for k in order:
        seg, f, _ = filtered[int(seg_no[k])]
        r = int(row[k])
        doc = seg.docs[int(f.cand[r])]
        start = int(f.var_start[r])
        passing = f.var_pass[start : start + len(doc.variants)]
        matched = tuple(v.id for v, ok in zip(doc.variants, passing, strict=True) if ok)
        hits.append(Hit(doc, float(score[k]), int(price[k]), bool(stock[k]), matched))
    return EngineResult(total=len(row), hits=hits, facets=facets)


def _top(keys: tuple[npt.NDArray[np.generic], ...], k: int) -> npt.NDArray[np.int64]:
    """Indices of the k smallest rows by the keys (first key first), in order, ties included."""
    primary = keys[0]
    n = len(primary)
    candidates = np.arange(n)
    if 0 < k < n // 4:
        threshold = np.partition(primary, k - 1)[k - 1]
        candidates = np.flatnonzero(primary <= threshold)
    order = np.lexsort(tuple(key[candidates] for key in reversed(keys)))
    return candidates[order][:k].astype(np.int64)
