"""Filters and facet counts over the candidate documents of one segment.

Filters on variants (price, options, stock) must hold for one and the same variant: "red, size
M, under 50" finds products with a red M variant under 50, not a red XL at 40 and a blue M at
90. Facets are disjunctive: the counts of a facet apply every filter except that facet's own,
so choosing "Blue" still shows how many products are red. The category facet is the exception:
it drills down, counting within the chosen categories.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from floorwalker.search.engine.dictionary import Dictionary
from floorwalker.search.engine.query import Filters
from floorwalker.search.engine.segment import BoolArray, Int32Array, Int64Array, Segment

#: Placeholder price of documents with no matching variant (never shown).
NO_PRICE = np.iinfo(np.int64).max


@dataclass(slots=True)
class FacetCounts:
    """Raw facet counts (dense dictionary ids), summed over segments by the executor."""

    brands: npt.NDArray[np.int64]
    categories: npt.NDArray[np.int64]
    values: npt.NDArray[np.int64]
    #: Effective prices of the documents that pass every filter except the price range.
    prices: list[npt.NDArray[np.int64]] = field(default_factory=list)
    in_stock: int = 0
    any_stock: int = 0

    @classmethod
    def empty(cls, dictionary: Dictionary) -> FacetCounts:
        """Zero counts sized to the dictionary."""
        return cls(
            brands=np.zeros(len(dictionary.brand_labels), np.int64),
            categories=np.zeros(len(dictionary.category_catalog_ids), np.int64),
            values=np.zeros(len(dictionary.value_labels), np.int64),
        )

    def add(self, other: FacetCounts) -> None:
        """Add another segment's counts."""
        self.brands = _add(self.brands, other.brands)
        self.categories = _add(self.categories, other.categories)
        self.values = _add(self.values, other.values)
        self.prices.extend(other.prices)
        self.in_stock += other.in_stock
        self.any_stock += other.any_stock


def _add(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    if len(a) < len(b):
        a = np.pad(a, (0, len(b) - len(a)))
    elif len(b) < len(a):
        b = np.pad(b, (0, len(a) - len(b)))
    return a + b


@dataclass(slots=True)
class Filtered:
    """The outcome of filtering a segment's candidates (arrays are aligned with `cand`)."""

    cand: Int32Array
    passed: BoolArray
    price: Int64Array
    in_stock: BoolArray
    #: Variant positions of each candidate (start into `var_pass`) and whether each passed.
    var_start: Int64Array
    var_pass: BoolArray
    facets: FacetCounts | None


def expand(indptr: Int64Array, rows: npt.NDArray[np.integer]) -> tuple[Int64Array, Int64Array]:
    """The flat positions of the given CSR rows, and the row (index into `rows`) of each."""
    starts = indptr[rows]
    counts = indptr[np.asarray(rows) + 1] - starts
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(rows), dtype=np.int64), counts)
    run_starts = np.cumsum(counts) - counts
    flat = np.repeat(starts, counts) + (np.arange(total, dtype=np.int64) - run_starts[owner])
    return flat, owner


def _any_per_row(owner: npt.NDArray[np.integer], hit: BoolArray, rows: int) -> BoolArray:
    out = np.zeros(rows, dtype=np.bool_)
    out[owner[hit]] = True
    return out


#: Above this share of a segment's documents, work on whole arrays instead of gathering rows.
FULL_SCAN_SHARE = 0.25


@dataclass(slots=True)
class _Rows:
    """The candidates' slice of a segment: per-row, per-variant and per-entry arrays.

    Few candidates: their rows are gathered. Many: the segment's own arrays are used as they
    are (every document is a row) and non-candidates are masked out, which avoids copying.
    """

    rows: int
    doc: npt.NDArray[np.integer]
    mask: BoolArray | None
    var: npt.NDArray[np.integer] | slice
    var_owner: npt.NDArray[np.integer]
    var_start: Int64Array
    opt: npt.NDArray[np.integer] | slice
    opt_owner: npt.NDArray[np.integer]
    cat_vals: Int32Array
    cat_owner: npt.NDArray[np.integer]


def _rows(seg: Segment, cand: Int32Array) -> _Rows:
    if len(cand) > FULL_SCAN_SHARE * seg.size:
        mask = np.zeros(seg.size, dtype=np.bool_)
        mask[cand] = True
        return _Rows(
            rows=seg.size,
            doc=np.arange(seg.size),
            mask=mask,
            var=slice(None),
            var_owner=seg.var_doc,
            var_start=seg.var_indptr[:-1],
            opt=slice(None),
            opt_owner=seg.opt_var,
            cat_vals=seg.cat_ids,
            cat_owner=seg.cat_doc,
        )
    var_flat, var_owner = expand(seg.var_indptr, cand)
    opt_flat, opt_owner = expand(seg.opt_indptr, var_flat)
    cat_flat, cat_owner = expand(seg.cat_indptr, cand)
    counts = seg.var_indptr[cand + 1] - seg.var_indptr[cand]
    return _Rows(
        rows=len(cand),
        doc=cand,
        mask=None,
        var=var_flat,
        var_owner=var_owner,
        var_start=np.cumsum(counts) - counts,
        opt=opt_flat,
        opt_owner=opt_owner,
        cat_vals=seg.cat_ids[cat_flat],
        cat_owner=cat_owner,
    )


def apply_filters(
    seg: Segment, cand: Int32Array, filters: Filters, dictionary: Dictionary, *, facets: bool
) -> Filtered:
    """Filter candidate documents and, if asked, count facets; see the module docstring."""
    r = _rows(seg, cand)
    rows = r.rows
    everyone = r.mask if r.mask is not None else np.ones(rows, dtype=np.bool_)
    # Documents: brand and category groups.
    d_brand = everyone
    if filters.brands:
        brand_ids = [dictionary.brand_ids[b] for b in filters.brands if b in dictionary.brand_ids]
        d_brand = (
            everyone & _table(brand_ids, len(dictionary.brand_labels) + 1)[seg.doc_brand[r.doc]]
        )
    d_cat = everyone
    titles = filters.category_titles or ((),) * len(filters.category_groups)
    for group, title in zip(filters.category_groups, titles, strict=True):
        table = _table(
            dictionary.categories_for(sorted(group)), len(dictionary.category_catalog_ids)
        )
        in_group = _any_per_row(r.cat_owner, table[r.cat_vals], rows)
        if title:
            in_group |= _table(seg.titled(title), seg.size)[r.doc]
        d_cat = d_cat & in_group
    # Variants: price, stock and options, each as a mask over the candidates' variants.
    price = seg.var_price[r.var]
    stock = seg.var_in_stock[r.var]
    nv = len(price)
    checks: dict[str, BoolArray] = {}
    if filters.price_min is not None or filters.price_max is not None:
        ok = np.ones(nv, dtype=np.bool_)
        if filters.price_min is not None:
            ok &= price >= filters.price_min
        if filters.price_max is not None:
            ok &= price <= filters.price_max
        checks["@price"] = ok
    if filters.in_stock:
        checks["@stock"] = stock
    opt_vals = seg.opt_values[r.opt]
    for name, wanted in filters.options:
        ids: set[int] = set()
        for value in wanted:
            ids |= dictionary.matching_values(name, value)
        table = _table(ids, len(dictionary.value_labels))
        checks[name] = _any_per_row(r.opt_owner, table[opt_vals], nv)

    def variants_except(skip: str | None) -> BoolArray | None:
        ok: BoolArray | None = None
        for key, mask in checks.items():
            if key != skip:
                ok = mask if ok is None else ok & mask
        return ok

    v_all = variants_except(None)
    d_vars = everyone if v_all is None else everyone & _any_per_row(r.var_owner, v_all, rows)
    passed = d_brand & d_cat & d_vars
    eff_price = _min_price(price, v_all, r.var_start)
    in_stock = _any_per_row(r.var_owner, stock if v_all is None else v_all & stock, rows)
    counts = None
    if facets:
        counts = _facets(seg, dictionary, r, d_brand, d_cat, d_vars, price, stock, opt_vals,
                         checks, variants_except, everyone, eff_price)  # fmt: skip
    return Filtered(
        cand=r.doc.astype(np.int32, copy=False),
        passed=passed,
        price=eff_price,
        in_stock=in_stock,
        var_start=r.var_start,
        var_pass=np.ones(nv, dtype=np.bool_) if v_all is None else v_all,
        facets=counts,
    )


def _table(ids: Iterable[int] | npt.NDArray[np.integer], size: int) -> BoolArray:
    """A membership table: table[i] is True for the given ids (a fast `isin` on small ids).

    Index -1 (no brand) lands on the last slot, which is never set for a real id.
    """
    table = np.zeros(size + 1, dtype=np.bool_)
    if isinstance(ids, np.ndarray):
        table[ids[(ids >= 0) & (ids < size)]] = True
    else:
        table[[i for i in ids if 0 <= i < size]] = True
    return table


def _min_price(price: Int64Array, ok: BoolArray | None, starts: Int64Array) -> Int64Array:
    """The lowest price among each document's passing variants (NO_PRICE when none passes)."""
    if len(price) == 0:
        return np.full(len(starts), NO_PRICE, dtype=np.int64)
    masked = price if ok is None else np.where(ok, price, NO_PRICE)
    return np.minimum.reduceat(masked, starts).astype(np.int64)


def _facets(
    seg: Segment,
    dictionary: Dictionary,
    r: _Rows,
    d_brand: BoolArray,
    d_cat: BoolArray,
    d_vars: BoolArray,
    price: Int64Array,
    stock: BoolArray,
    opt_vals: Int32Array,
    checks: dict[str, BoolArray],
    variants_except: Callable[[str | None], BoolArray | None],
    everyone: BoolArray,
    eff_price: Int64Array,
) -> FacetCounts:
    """Disjunctive facet counts for one segment (see the module docstring)."""
    rows = r.rows
    counts = FacetCounts.empty(dictionary)
    brands = seg.doc_brand[r.doc][d_cat & d_vars]
    brands = brands[brands >= 0]
    counts.brands = np.bincount(brands, minlength=len(dictionary.brand_labels)).astype(np.int64)
    # Categories drill down: counted among the results (see executor._narrow).
    doc_ok = d_brand & d_cat & d_vars
    counts.categories = np.bincount(
        r.cat_vals[doc_ok[r.cat_owner]], minlength=len(dictionary.category_catalog_ids)
    ).astype(np.int64)

    cache: dict[int, BoolArray] = {}

    def docs_with(variants: BoolArray | None) -> BoolArray:
        if variants is None:
            return everyone
        if variants is v_all:
            return d_vars
        key = id(variants)
        if key not in cache:
            cache[key] = everyone & _any_per_row(r.var_owner, variants, rows)
        return cache[key]

    v_all = variants_except(None)
    # Stock: documents passing everything but the stock filter, and those among them in stock.
    v_wo_stock = variants_except("@stock") if "@stock" in checks else v_all
    docs_wo_stock = d_brand & d_cat & docs_with(v_wo_stock)
    counts.any_stock = int(np.count_nonzero(docs_wo_stock))
    in_stock = stock if v_wo_stock is None else v_wo_stock & stock
    counts.in_stock = int(
        np.count_nonzero(docs_wo_stock & _any_per_row(r.var_owner, in_stock, rows))
    )
    # Price: effective prices ignoring the price range.
    if "@price" in checks:
        v_wo_price = variants_except("@price")
        docs_wo_price = d_brand & d_cat & docs_with(v_wo_price)
        counts.prices.append(_min_price(price, v_wo_price, r.var_start)[docs_wo_price])
    else:
        counts.prices.append(eff_price[d_brand & d_cat & d_vars])
    # Options: documents per value among passing variants (each document counted once).
    n_values = len(dictionary.value_labels)
    doc_base = d_brand & d_cat
    option_checks = [name for name in checks if not name.startswith("@")]
    if not checks:
        # No variant filter: each document's distinct values are precomputed.
        if r.mask is not None:
            picked = seg.dv_values[doc_base[seg.dv_doc]]
        else:
            flat, owner = expand(seg.dv_indptr, r.doc)
            picked = seg.dv_values[flat][doc_base[owner]]
        counts.values = np.bincount(picked, minlength=n_values).astype(np.int64)
        return counts
    value_facet = dictionary.value_facets[opt_vals]
    filtered = [dictionary.facet_ids[n] for n in option_checks if n in dictionary.facet_ids]
    selections: list[tuple[BoolArray | None, BoolArray | None]] = [
        (
            v_all,
            ~_table(filtered, len(dictionary.facet_names))[value_facet] if filtered else None,
        )
    ]
    for name in option_checks:
        fid = dictionary.facet_ids.get(name)
        if fid is not None:
            selections.append((variants_except(name), value_facet == fid))
    groups = seg.opt_group[r.opt]
    entry_docs_ok = doc_base[r.var_owner[r.opt_owner]]
    pairs = np.zeros(len(seg.dv_values), dtype=np.bool_)
    for variants, entries in selections:
        ok = entry_docs_ok
        if variants is not None:
            ok = ok & variants[r.opt_owner]
        if entries is not None:
            ok = ok & entries
        pairs[groups[ok]] = True
    counts.values = np.bincount(seg.dv_values[pairs], minlength=n_values).astype(np.int64)
    return counts
