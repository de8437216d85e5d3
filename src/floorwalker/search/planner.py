"""From a request and its parsed text to engine queries, and how to relax them.

A plan keeps what the shopper asked explicitly (filters chosen in the storefront, never relaxed)
apart from what was read out of their words (relaxed, in this order, when nothing matches):

1. the price range,  2. the size,  3. the colour,  4. other options (material),
5. the categories (their words go back into the text),  6. every word required → any word,
7. the brand.

Each step keeps the previous ones, and says in plain words what it loosened.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field

from floorwalker.kit.money import format_money
from floorwalker.search.documents import facet_name, value_key
from floorwalker.search.engine.query import EngineQuery, Filters, Sort, build_clauses
from floorwalker.search.engine.store_index import StoreIndex
from floorwalker.search.schemas import ParsedQuery, Relaxation, SearchRequest
from floorwalker.search.text import phrase_key

#: Facets read from words become filters only for these; other words stay text.
PARSED_FACETS = ("size", "colour", "material")


@dataclass(frozen=True, slots=True)
class Plan:
    """A search, split into explicit and parsed parts (see the module docstring)."""

    text: str
    currency: str
    sort: Sort = Sort.RELEVANCE
    in_stock: bool = False
    require_all: bool = True
    categories: tuple[frozenset[int], ...] = ()
    brands: frozenset[str] = frozenset()
    price_min: int | None = None
    price_max: int | None = None
    options: tuple[tuple[str, tuple[str, ...]], ...] = ()
    parsed_categories: tuple[tuple[str, frozenset[int]], ...] = ()
    parsed_brands: tuple[str, ...] = ()
    parsed_price: tuple[int | None, int | None] = (None, None)
    parsed_options: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Words the parser turned into filters; they still count towards relevance.
    boost_text: str = ""
    #: Parsed option values the store has no facet for, matched as text: (facet, words).
    option_words: tuple[tuple[str, str], ...] = field(default=())


def make_plan(request: SearchRequest, parsed: ParsedQuery | None, index: StoreIndex) -> Plan:
    """Combine explicit filters with what the parser read (explicit values win)."""
    meta = index.meta
    slugs = {c.slug: c.id for c in meta.categories.values()}
    explicit_cats: set[int] = set()
    for ref in request.categories:
        ref = ref.strip()
        if ref.isdigit():
            explicit_cats.add(int(ref))
        elif ref in slugs:
            explicit_cats.add(slugs[ref])
        else:
            explicit_cats.add(-1)  # an unknown category matches nothing
    explicit_options = {
        facet_name(name): tuple(v for v in values if v.strip())
        for name, values in request.options.items()
        if any(v.strip() for v in values)
    }
    plan = Plan(
        text=request.q if parsed is None else parsed.terms,
        currency=meta.currency,
        sort=request.sort or (parsed.sort if parsed else None) or Sort.RELEVANCE,
        in_stock=request.in_stock or bool(parsed and parsed.in_stock),
        categories=(frozenset(explicit_cats),) if explicit_cats else (),
        brands=frozenset(value_key(b) for b in request.brands if b.strip()),
        price_min=request.price_min,
        price_max=request.price_max,
        options=tuple(sorted(explicit_options.items())),
    )
    if parsed is None:
        return plan
    facets = index.dictionary.facet_ids
    parsed_options = []
    words: list[tuple[str, str]] = []
    for name, values in parsed.options.items():
        if name in explicit_options:
            continue
        if name in PARSED_FACETS and name in facets:
            parsed_options.append((name, tuple(values)))
        else:
            words.extend((name, value) for value in values)
    explicit_price = request.price_min is not None or request.price_max is not None
    boost = [c.phrase for c in parsed.categories] + parsed.brands
    boost += [v for name, values in parsed_options for v in values if name != "size"]
    return dataclasses.replace(
        plan,
        boost_text=" ".join(boost),
        parsed_categories=tuple((c.phrase, frozenset(c.ids)) for c in parsed.categories),
        parsed_brands=() if request.brands else tuple(parsed.brands),
        parsed_price=(None, None) if explicit_price else (parsed.price_min, parsed.price_max),
        parsed_options=tuple(parsed_options),
        option_words=tuple(words),
    )


def compile_plan(
    plan: Plan, index: StoreIndex, *, limit: int, offset: int, facets: bool
) -> EngineQuery:
    """The engine query of a plan."""
    meta = index.meta
    text = " ".join([plan.text, *(w for _, w in plan.option_words)]).strip()
    clauses = build_clauses(
        text,
        lexicon=index.lexicon,
        synonyms=meta.synonyms,
        df=index.df,
        prefix_last=True,
    )
    boosts = (
        build_clauses(plan.boost_text, lexicon=index.lexicon, synonyms=meta.synonyms)
        if plan.boost_text
        else ()
    )
    price_min = plan.price_min if plan.price_min is not None else plan.parsed_price[0]
    price_max = plan.price_max if plan.price_max is not None else plan.parsed_price[1]
    brands = plan.brands | {value_key(b) for b in plan.parsed_brands}
    return EngineQuery(
        clauses=clauses,
        require_all=plan.require_all,
        boosts=boosts,
        filters=Filters(
            category_groups=plan.categories + tuple(ids for _, ids in plan.parsed_categories),
            category_titles=tuple(() for _ in plan.categories)
            + tuple(phrase_key(phrase) for phrase, _ in plan.parsed_categories),
            brands=brands,
            price_min=price_min,
            price_max=price_max,
            options=plan.options + plan.parsed_options,
            narrow_options=frozenset(name for name, _ in plan.parsed_options),
            in_stock=plan.in_stock,
        ),
        sort=plan.sort,
        offset=offset,
        limit=limit,
        facets=facets,
    )


def relaxations(plan: Plan) -> Iterator[tuple[Plan, Relaxation]]:
    """Ever looser versions of a plan, each with what it loosened (see the module docstring)."""
    low, high = plan.parsed_price
    if low is not None or high is not None:
        plan = dataclasses.replace(plan, parsed_price=(None, None))
        yield plan, Relaxation(step="price", detail=_price_detail(low, high, plan.currency))
    for facet, noun, plural in (
        ("size", "in size {}", "sizes"),
        ("colour", "in {}", "colours"),
        ("material", "in {}", "materials"),
    ):
        values = dict(plan.parsed_options).get(facet)
        words = [w for f, w in plan.option_words if f == facet]
        if not values and not words:
            continue
        plan = dataclasses.replace(
            plan,
            parsed_options=tuple(o for o in plan.parsed_options if o[0] != facet),
            option_words=tuple(o for o in plan.option_words if o[0] != facet),
        )
        shown = " or ".join([*(values or ()), *words])
        yield (
            plan,
            Relaxation(
                step=facet,
                detail=f"Nothing matched {noun.format(shown)}; showing other {plural}.",
            ),
        )
    if plan.parsed_categories:
        phrases = [p for p, _ in plan.parsed_categories]
        plan = dataclasses.replace(
            plan, parsed_categories=(), text=" ".join([*phrases, plan.text]).strip()
        )
        yield (
            plan,
            Relaxation(
                step="category",
                detail=f"Nothing matched in {', '.join(phrases)}; searching every category.",
            ),
        )
    if plan.require_all and len(plan.text.split()) + len(plan.option_words) > 1:
        plan = dataclasses.replace(plan, require_all=False)
        yield (
            plan,
            Relaxation(
                step="terms",
                detail="Nothing matched every word; showing results that match some of them.",
            ),
        )
    if plan.parsed_brands:
        brands = ", ".join(plan.parsed_brands)
        plan = dataclasses.replace(plan, parsed_brands=())
        yield (
            plan,
            Relaxation(
                step="brand", detail=f"Nothing matched from {brands}; showing other brands."
            ),
        )


def _price_detail(low: int | None, high: int | None, currency: str) -> str:
    if low is not None and high is not None:
        span = f"between {format_money(low, currency)} and {format_money(high, currency)}"
    elif high is not None:
        span = f"under {format_money(high, currency)}"
    else:
        span = f"over {format_money(low or 0, currency)}"
    return f"Nothing matched {span}; showing results at any price."
