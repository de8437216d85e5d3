"""Filters and facet counts over the candidate documents of one segment.

Filters on variants (price, options, stock) must hold for one and the same variant: "red, size
M, under 50" finds products with a red M variant under 50, not a red XL at 40 and a blue M at
90. Facets are disjunctive: the counts of a facet apply every filter except that facet's own,
so choosing "Blue" still shows how many products are red.
"""

from __future__ import annotations

from collections.abc import Callable
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
    var_flat: Int64Array
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


def _any_per_row(owner: Int64Array, hit: BoolArray, rows: int) -> BoolArray:
    out = np.zeros(rows, dtype=np.bool_)
    out[owner[hit]] = True
    return out


def apply_filters(
    seg: Segment, cand: Int32Array, filters: Filters, dictionary: Dictionary, *, facets: bool
) -> Filtered:
    """Filter candidate documents and, if asked, count facets; see the module docstring."""
    rows = len(cand)
    everyone = np.ones(rows, dtype=np.bool_)
    # Documents: brand and category groups.
    d_brand = everyone
    if filters.brands:
        brand_ids = [dictionary.brand_ids[b] for b in filters.brands if b in dictionary.brand_ids]
        d_brand = np.isin(seg.doc_brand[cand], brand_ids)
    cat_flat, cat_owner = expand(seg.cat_indptr, cand)
    cat_vals = seg.cat_ids[cat_flat]
    d_cat = everyone
    for group in filters.category_groups:
        dense = list(dictionary.categories_for(sorted(group)))
        d_cat = d_cat & _any_per_row(cat_owner, np.isin(cat_vals, dense), rows)
    # Variants: price, stock and options, each as a mask over the candidates' variants.
    var_flat, var_owner = expand(seg.var_indptr, cand)
    price = seg.var_price[var_flat]
    stock = seg.var_in_stock[var_flat]
    nv = len(var_flat)
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
    opt_flat, opt_owner = expand(seg.opt_indptr, var_flat)
    opt_vals = seg.opt_values[opt_flat]
    for name, wanted in filters.options:
        ids: set[int] = set()
        for value in wanted:
            ids |= dictionary.matching_values(name, value)
        checks[name] = _any_per_row(opt_owner, np.isin(opt_vals, list(ids)), nv)

    def variants_except(skip: str | None) -> BoolArray:
        ok = np.ones(nv, dtype=np.bool_)
        for key, mask in checks.items():
            if key != skip:
                ok = ok & mask
        return ok

    v_all = variants_except(None)
    d_vars = _any_per_row(var_owner, v_all, rows)
    passed = d_brand & d_cat & d_vars
    var_start = np.cumsum(seg.var_indptr[cand + 1] - seg.var_indptr[cand]) - (
        seg.var_indptr[cand + 1] - seg.var_indptr[cand]
    )
    eff_price = _min_price(price, v_all, var_start)
    in_stock = _any_per_row(var_owner, v_all & stock, rows)
    counts = None
    if facets:
        counts = _facets(
            seg, dictionary, cand, d_brand, d_cat, d_vars, cat_owner, cat_vals, var_owner,
            var_start, price, stock, opt_owner, opt_vals, checks, variants_except, v_all,
        )  # fmt: skip
    return Filtered(
        cand=cand,
        passed=passed,
        price=eff_price,
        in_stock=in_stock,
        var_start=var_start,
        var_flat=var_flat,
        var_pass=v_all,
        facets=counts,
    )


def _min_price(price: Int64Array, ok: BoolArray, starts: Int64Array) -> Int64Array:
    """The lowest price among each document's passing variants (NO_PRICE when none passes)."""
    if len(price) == 0:
        return np.full(len(starts), NO_PRICE, dtype=np.int64)
    masked = np.where(ok, price, NO_PRICE)
    return np.minimum.reduceat(masked, starts).astype(np.int64)


def _facets(
    seg: Segment,
    dictionary: Dictionary,
    cand: Int32Array,
    d_brand: BoolArray,
    d_cat: BoolArray,
    d_vars: BoolArray,
    cat_owner: Int64Array,
    cat_vals: Int32Array,
    var_owner: Int64Array,
    var_start: Int64Array,
    price: Int64Array,
    stock: BoolArray,
    opt_owner: Int64Array,
    opt_vals: Int32Array,
    checks: dict[str, BoolArray],
    variants_except: Callable[[str | None], BoolArray],
    v_all: BoolArray,
) -> FacetCounts:
    """Disjunctive facet counts for one segment (see the module docstring)."""
    rows = len(cand)
    counts = FacetCounts.empty(dictionary)
    brands = seg.doc_brand[cand][d_cat & d_vars]
    brands = brands[brands >= 0]
    counts.brands = np.bincount(brands, minlength=len(dictionary.brand_labels)).astype(np.int64)
    doc_ok = d_brand & d_vars
    counts.categories = np.bincount(
        cat_vals[doc_ok[cat_owner]], minlength=len(dictionary.category_catalog_ids)
    ).astype(np.int64)
    # Stock: documents passing everything but the stock filter, and those among them in stock.
    v_wo_stock = variants_except("@stock")
    docs_wo_stock = d_brand & d_cat & _any_per_row(var_owner, v_wo_stock, rows)
    counts.any_stock = int(docs_wo_stock.sum())
    counts.in_stock = int((docs_wo_stock & _any_per_row(var_owner, v_wo_stock & stock, rows)).sum())
    # Price: effective prices ignoring the price range.
    v_wo_price = variants_except("@price")
    docs_wo_price = d_brand & d_cat & _any_per_row(var_owner, v_wo_price, rows)
    prices = _min_price(price, v_wo_price, var_start)[docs_wo_price]
    counts.prices.append(prices)
    # Options: distinct (document, value) pairs among passing variants.
    n_values = len(dictionary.value_labels)
    value_facet = dictionary.value_facets[opt_vals]
    filtered_facets = {dictionary.facet_ids[n] for n in checks if n in dictionary.facet_ids}
    doc_base = d_brand & d_cat
    pairs = []
    var_ok = v_all[opt_owner]
    plain = var_ok & ~np.isin(value_facet, list(filtered_facets))
    pairs.append(var_owner[opt_owner[plain]] * n_values + opt_vals[plain])
    for name in checks:
        fid = dictionary.facet_ids.get(name)
        if fid is None:
            continue
        ok = variants_except(name)[opt_owner] & (value_facet == fid)
        pairs.append(var_owner[opt_owner[ok]] * n_values + opt_vals[ok])
    keys = np.unique(np.concatenate(pairs)) if pairs else np.array([], np.int64)
    keys = keys[doc_base[keys // max(n_values, 1)]] if len(keys) else keys
    counts.values = np.bincount(keys % max(n_values, 1), minlength=n_values).astype(np.int64)
    return counts
