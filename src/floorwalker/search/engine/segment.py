"""An immutable, column-oriented slice of the index, built in one pass over documents.

Text: BM25F (Robertson & Zaragoza's "simple BM25F"). For every (term, document) pair the
segment stores the field-weighted, length-normalised term frequency

    tfw(t, d) = Σ_f  w_f · tf_f(t, d) / (1 − b_f + b_f · len_f(d) / avglen_f)

so that a query only saturates it: score = idf(t) · tfw · (k1 + 1) / (tfw + k1).
Postings are CSR arrays (term → documents, tfw), which keeps 100,000 products in a few
numpy arrays instead of millions of Python objects.

Facets and filters: per document a brand id, category ids (with ancestors) and a creation time;
per variant a price, a stock flag and option value ids — all as flat arrays, so filters and
counts are vector operations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from floorwalker.search.documents import ProductDoc
from floorwalker.search.engine.dictionary import Dictionary
from floorwalker.search.text import STOPWORDS, analyzer, normalise, words

Int32Array = npt.NDArray[np.int32]
Int64Array = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]

#: Indexed fields: (name, weight w_f, length normalisation b_f).
FIELDS: tuple[tuple[str, float, float], ...] = (
    ("title", 3.0, 0.75),
    ("brand", 2.0, 0.3),
    ("category", 2.0, 0.3),
    ("attributes", 1.5, 0.5),
    ("description", 1.0, 0.75),
)


_ATTRIBUTES = 3
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def sku_word(sku: str) -> str:
    """The single index word of a SKU: lower case, letters and digits only."""
    return _NOT_ALNUM.sub("", normalise(sku))


def field_texts(doc: ProductDoc) -> tuple[str, str, str, str, str]:
    """The text of each indexed field of a product, in FIELDS order."""
    category = " ".join(
        filter(None, [(doc.category_path or "").replace(">", " "), doc.product_type])
    )
    values: dict[str, None] = {}
    for variant in doc.variants:
        for value in variant.options.values():
            values[value] = None
    for value in doc.attributes.values():
        values[value] = None
    for tag in doc.tags:
        values[tag] = None
    return (doc.title, doc.brand or "", category, " ".join(values), doc.description)


@dataclass(slots=True)
class Segment:
    """Documents 0..n-1 of one build; see the module docstring for the layout."""

    docs: list[ProductDoc]
    product_ids: Int64Array
    term_ids: dict[str, int]
    post_indptr: Int64Array
    post_docs: Int32Array
    post_tfw: FloatArray
    #: Average field lengths the length normalisation used (a delta reuses its base's).
    avg_lengths: npt.NDArray[np.float64]
    #: Term → documents with the term in their title.
    title_indptr: Int64Array
    title_docs: Int32Array
    #: Surface words seen in this segment (typo tolerance and prefixes look them up).
    surface: dict[str, str]
    doc_brand: Int32Array
    doc_created: npt.NDArray[np.float64]
    cat_indptr: Int64Array
    cat_ids: Int32Array
    var_indptr: Int64Array
    var_doc: Int32Array
    var_price: Int64Array
    var_in_stock: BoolArray
    opt_indptr: Int64Array
    opt_values: Int32Array
    #: The variant of each option entry; each document's distinct option values (CSR), and
    #: for every option entry its (document, value) pair's index among those.
    opt_var: Int32Array
    dv_indptr: Int64Array
    dv_values: Int32Array
    dv_doc: Int32Array
    opt_group: Int64Array
    cat_doc: Int32Array
    #: Documents per category (with descendants) and per option value, for narrowing.
    cat_post_indptr: Int64Array
    cat_post_docs: Int32Array
    val_post_indptr: Int64Array
    val_post_docs: Int32Array
    #: Product types of the documents ("Dress", "Hiking Boots"), for the query parser.
    product_types: frozenset[str] = frozenset()
    #: Optional dense vectors (one row per document, unit length) for semantic retrieval.
    vectors: FloatArray | None = None

    @property
    def size(self) -> int:
        """Number of documents."""
        return len(self.docs)

    def df(self, term: str) -> int:
        """Number of documents containing a term."""
        tid = self.term_ids.get(term)
        if tid is None:
            return 0
        return int(self.post_indptr[tid + 1] - self.post_indptr[tid])

    def titled(self, terms: Sequence[str]) -> Int32Array:
        """Documents whose title holds every one of the terms."""
        found: Int32Array | None = None
        for term in terms:
            tid = self.term_ids.get(term)
            if tid is None:
                return np.zeros(0, dtype=np.int32)
            docs = self.title_docs[self.title_indptr[tid] : self.title_indptr[tid + 1]]
            found = docs if found is None else np.intersect1d(found, docs, assume_unique=True)
        return found if found is not None else np.zeros(0, dtype=np.int32)

    def postings(self, term: str) -> tuple[Int32Array, FloatArray] | None:
        """Documents containing a term and their weighted term frequencies."""
        tid = self.term_ids.get(term)
        if tid is None:
            return None
        start, end = self.post_indptr[tid], self.post_indptr[tid + 1]
        return self.post_docs[start:end], self.post_tfw[start:end]


def build_segment(
    docs: Sequence[ProductDoc],
    dictionary: Dictionary,
    *,
    avg_lengths: npt.NDArray[np.float64] | None = None,
) -> Segment:
    """Index documents into a new segment (facet values are added to the dictionary).

    A product without a variant cannot be bought, so it is left out.
    """
    docs = [doc for doc in docs if doc.variants]
    n = len(docs)
    nf = len(FIELDS)
    stem = analyzer().stem
    term_ids: dict[str, int] = {}
    surface: dict[str, str] = {}
    # Word → term id (-1 for stopwords): one dictionary lookup per token in the hot loop.
    word_ids: dict[str, int] = dict.fromkeys(STOPWORDS, -1)

    def new_word(word: str, term: str | None = None) -> int:
        surface[word] = term = term or stem(word)
        tid = word_ids[word] = term_ids.setdefault(term, len(term_ids))
        return tid

    token_ids: list[int] = []
    lengths = np.zeros((n, nf), dtype=np.int64)
    lookup = word_ids.get
    for d, doc in enumerate(docs):
        for f, text in enumerate(field_texts(doc)):
            if not text:
                continue
            found = [lookup(w) for w in words(text)]
            if None in found:
                found = [
                    tid if tid is not None else new_word(w)
                    for tid, w in zip(found, words(text), strict=True)
                ]
            ids: list[int] = [tid for tid in found if tid is not None and tid >= 0]
            if f == _ATTRIBUTES:
                # A SKU is one word ("TBP-BLK" → "tbpblk"), as a query spells it.
                for variant in doc.variants:
                    if variant.sku:
                        sku = sku_word(variant.sku)
                        tid = lookup(sku)
                        ids.append(new_word(sku, sku) if tid is None else tid)
            token_ids.extend(ids)
            lengths[d, f] = len(ids)
    if avg_lengths is None:
        avg_lengths = np.maximum(lengths.mean(axis=0), 1e-9) if n else np.ones(len(FIELDS))
    post_indptr, post_docs, post_tfw, title_indptr, title_docs = _postings(
        token_ids, lengths, len(term_ids), avg_lengths
    )

    doc_brand = np.fromiter(
        (dictionary.brand(doc.brand) if doc.brand else -1 for doc in docs), np.int32, n
    )
    doc_created = np.fromiter((doc.created_at.timestamp() for doc in docs), np.float64, n)
    cat_lists = [[dictionary.category(c) for c in doc.category_ids] for doc in docs]
    cat_indptr, cat_ids = _csr(cat_lists)

    var_counts = [len(doc.variants) for doc in docs]
    var_indptr = np.zeros(n + 1, dtype=np.int64)
    var_indptr[1:] = np.cumsum(var_counts)
    var_doc = np.repeat(np.arange(n, dtype=np.int32), var_counts)
    var_price = np.fromiter((v.price for doc in docs for v in doc.variants), np.int64)
    var_in_stock = np.fromiter((v.in_stock for doc in docs for v in doc.variants), np.bool_)
    value_ids: dict[tuple[str, str], int] = {}

    def value_id(item: tuple[str, str]) -> int:
        found = value_ids.get(item)
        if found is None:
            found = value_ids[item] = dictionary.value(*item)
        return found

    opt_lists = [
        [value_id(item) for item in doc.facet_values(v).items() if item[1]]
        for doc in docs
        for v in doc.variants
    ]
    opt_indptr, opt_values = _csr(opt_lists)
    opt_var = _owners(opt_indptr)
    n_values = max(len(dictionary.value_labels), 1)
    pair_keys, opt_group = np.unique(
        var_doc[opt_var].astype(np.int64) * n_values + opt_values, return_inverse=True
    )
    dv_doc = (pair_keys // n_values).astype(np.int32)
    dv_indptr = np.zeros(n + 1, dtype=np.int64)
    dv_indptr[1:] = np.cumsum(np.bincount(dv_doc, minlength=n))
    cat_doc = _owners(cat_indptr)
    cat_post_indptr, cat_post_docs = _postings_by(cat_ids, cat_doc)
    dv_values = (pair_keys % n_values).astype(np.int32)
    val_post_indptr, val_post_docs = _postings_by(dv_values, dv_doc)
    return Segment(
        docs=docs,
        product_ids=np.fromiter((doc.id for doc in docs), np.int64, n),
        term_ids=term_ids,
        post_indptr=post_indptr,
        post_docs=post_docs,
        post_tfw=post_tfw,
        avg_lengths=avg_lengths,
        title_indptr=title_indptr,
        title_docs=title_docs,
        surface=surface,
        doc_brand=doc_brand,
        doc_created=doc_created,
        cat_indptr=cat_indptr,
        cat_ids=cat_ids,
        var_indptr=var_indptr,
        var_doc=var_doc,
        var_price=var_price,
        var_in_stock=var_in_stock,
        opt_indptr=opt_indptr,
        opt_values=opt_values,
        opt_var=opt_var,
        dv_indptr=dv_indptr,
        dv_values=dv_values,
        dv_doc=dv_doc,
        opt_group=opt_group.astype(np.int64).reshape(-1),
        cat_doc=cat_doc,
        cat_post_indptr=cat_post_indptr,
        cat_post_docs=cat_post_docs,
        val_post_indptr=val_post_indptr,
        val_post_docs=val_post_docs,
        product_types=frozenset(doc.product_type for doc in docs if doc.product_type),
    )


def _csr(lists: list[list[int]]) -> tuple[Int64Array, Int32Array]:
    """Row pointers and flat values of a list of integer lists."""
    indptr = np.zeros(len(lists) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(x) for x in lists])
    flat = np.fromiter((v for row in lists for v in row), np.int32, int(indptr[-1]))
    return indptr, flat


def _postings_by(keys: Int32Array, docs: Int32Array) -> tuple[Int64Array, Int32Array]:
    """Documents by key (CSR, documents ascending within a key)."""
    order = np.lexsort((docs, keys))
    indptr = np.zeros(int(keys.max()) + 2 if len(keys) else 1, dtype=np.int64)
    if len(keys):
        indptr[1:] = np.cumsum(np.bincount(keys, minlength=len(indptr) - 1))
    return indptr, docs[order].astype(np.int32)


def docs_mask(indptr: Int64Array, docs: Int32Array, keys: Iterable[int], size: int) -> BoolArray:
    """Which of a segment's documents belong to any of the keys (keys beyond it have none)."""
    mask = np.zeros(size, dtype=np.bool_)
    for k in keys:
        if 0 <= k < len(indptr) - 1:
            mask[docs[indptr[k] : indptr[k + 1]]] = True
    return mask


def _owners(indptr: Int64Array) -> Int32Array:
    """The row of every value of a CSR structure."""
    counts = np.diff(indptr)
    return np.repeat(np.arange(len(counts), dtype=np.int32), counts)


def _postings(
    token_ids: list[int],
    lengths: npt.NDArray[np.int64],
    n_terms: int,
    avg: npt.NDArray[np.float64],
) -> tuple[Int64Array, Int32Array, FloatArray, Int64Array, Int32Array]:
    """CSR postings (term → docs, tfw) from the token stream and the field lengths."""
    n, nf = lengths.shape
    tokens = np.asarray(token_ids, dtype=np.int64)
    flat_lengths = lengths.reshape(-1)
    slot = np.repeat(np.arange(n * nf, dtype=np.int64), flat_lengths)
    # One key per (term, doc, field): counting them gives tf_f(t, d).
    keys, tf = np.unique(tokens * (n * nf) + slot, return_counts=True)
    term = keys // (n * nf)
    rest = keys % (n * nf)
    doc = rest // nf
    fld = rest % nf
    weights = np.array([w for _, w, _ in FIELDS], dtype=np.float64)
    b = np.array([bf for _, _, bf in FIELDS], dtype=np.float64)
    norm = 1.0 - b[fld] + b[fld] * lengths[doc, fld] / avg[fld]
    contrib = weights[fld] * tf / norm
    # Keys are sorted by term, then doc: (term, doc) pairs are contiguous runs.
    pair = term * max(n, 1) + doc
    starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]]) if len(pair) else np.array([], int)
    tfw = np.add.reduceat(contrib, starts) if len(starts) else np.array([], np.float64)
    pair_term = term[starts]
    pair_doc = doc[starts]
    indptr = np.zeros(n_terms + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(np.bincount(pair_term, minlength=n_terms))
    # Title-only postings (field 0): keys of one term are sorted by doc already.
    in_title = fld == 0
    title_indptr = np.zeros(n_terms + 1, dtype=np.int64)
    title_indptr[1:] = np.cumsum(np.bincount(term[in_title], minlength=n_terms))
    title_docs = doc[in_title].astype(np.int32)
    return indptr, pair_doc.astype(np.int32), tfw.astype(np.float32), title_indptr, title_docs
