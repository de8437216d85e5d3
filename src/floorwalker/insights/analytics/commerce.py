"""Commerce analytics: searches, recommendation click-through and conversion, orders the
assistant brought, and trending products."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import Counter, defaultdict

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.insights.analytics import queries
from floorwalker.insights.analytics.common import period_read, rate
from floorwalker.insights.analytics.schemas import (
    AttributedOrder,
    AttributionReport,
    QueryStat,
    RecommendationReport,
    SearchReport,
    SurfaceStat,
    TrendingProduct,
    TrendingReport,
)
from floorwalker.insights.periods import Period, period_of


def normalise(query: str) -> str:
    """How queries are grouped: lower case, single spaces."""
    return " ".join(query.lower().split())


async def search_report(
    session: AsyncSession, store_id: int, *, period: Period, limit: int = 20
) -> SearchReport:
    """Searches of the period: the most frequent queries and those that found nothing."""
    rows = await queries.events(
        session, store_id, types=("search", "search_click"), since=period.since, until=period.until
    )
    searches = [r for r in rows if r.type == "search" and (r.query or "").strip()]
    clicks = Counter(normalise(r.query or "") for r in rows if r.type == "search_click")
    stats: dict[str, list[float]] = {}
    seen: dict[str, dt.datetime] = {}
    zero = 0
    for r in searches:
        key = normalise(r.query or "")
        results = r.properties.get("results")
        count = results if isinstance(results, int) else 0
        entry = stats.setdefault(key, [0, 0, 0])
        entry[0] += 1
        entry[1] += count == 0
        entry[2] += count
        zero += count == 0
        seen[key] = max(seen.get(key, r.occurred_at), r.occurred_at)
    items = [
        QueryStat(
            query=k,
            searches=int(v[0]),
            zero_results=int(v[1]),
            average_results=round(v[2] / v[0], 2),
            clicks=clicks.get(k, 0),
            last_seen=seen[k],
        )
        for k, v in stats.items()
    ]
    total_clicks = sum(clicks.values())
    return SearchReport(
        period=period_read(period),
        searches=len(searches),
        distinct_queries=len(stats),
        zero_result_searches=zero,
        zero_result_rate=rate(zero, len(searches)),
        clicks=total_clicks,
        click_through_rate=rate(total_clicks, len(searches)),
        top=sorted(items, key=lambda q: (-q.searches, q.query))[:limit],
        zero_results=sorted(
            (q for q in items if q.zero_results),
            key=lambda q: (-q.zero_results, -q.last_seen.timestamp(), q.query),
        )[:limit],
    )


def _bought_after(
    purchases: dict[tuple[int, int], list[tuple[dt.datetime, int]]],
    customer: int | None,
    product: int | None,
    at: dt.datetime,
    window: dt.timedelta,
) -> int | None:
    """Revenue of the first purchase of `product` by `customer` in [at, at + window], if any."""
    if customer is None or product is None:
        return None
    bought = purchases.get((customer, product), [])
    i = bisect_left(bought, (at, -1))
    if i < len(bought) and bought[i][0] <= at + window:
        return bought[i][1]
    return None


async def recommendation_report(
    session: AsyncSession, store_id: int, *, period: Period, currency: str, window_days: int = 7
) -> RecommendationReport:
    """Views and clicks of recommendations by surface; a click converts when the same customer
    buys the clicked product within `window_days` (its revenue: that order line's total)."""
    window = dt.timedelta(days=window_days)
    rows = await queries.events(
        session,
        store_id,
        types=("recommendation_view", "recommendation_click"),
        since=period.since,
        until=period.until,
    )
    customers = sorted({r.customer_id for r in rows if r.customer_id is not None})
    orders = await queries.orders(
        session, store_id, since=period.since, until=period.until + window, customer_ids=customers
    )
    purchases: dict[tuple[int, int], list[tuple[dt.datetime, int]]] = defaultdict(list)
    for order in orders:
        if order.customer_id is None or order.currency != currency:
            continue
        for product_id, _, _, line_total in order.lines:
            if product_id is not None:
                purchases[(order.customer_id, product_id)].append((order.placed_at, line_total))
    for bought in purchases.values():
        bought.sort()
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for r in rows:
        surface = str(r.properties.get("surface") or "unknown")
        entry = stats[surface]
        if r.type == "recommendation_view":
            entry[0] += 1
            continue
        entry[1] += 1
        revenue = _bought_after(purchases, r.customer_id, r.product_id, r.occurred_at, window)
        if revenue is not None:
            entry[2] += 1
            entry[3] += revenue

    def stat(surface: str, v: list[int]) -> SurfaceStat:
        return SurfaceStat(
            surface=surface,
            views=v[0],
            clicks=v[1],
            click_through_rate=rate(v[1], v[0]),
            converted_clicks=v[2],
            conversion_rate=rate(v[2], v[1]),
            revenue=v[3],
        )

    total = [sum(v[i] for v in stats.values()) for i in range(4)]
    return RecommendationReport(
        period=period_read(period),
        window_days=window_days,
        currency=currency,
        total=stat("all", total),
        surfaces=sorted(
            (stat(k, v) for k, v in stats.items()), key=lambda s: (-s.views, -s.clicks, s.surface)
        ),
    )


async def attribution_report(
    session: AsyncSession,
    store_id: int,
    *,
    period: Period,
    currency: str,
    window_hours: int = 168,
    recent: int = 50,
) -> AttributionReport:
    """Orders of the period placed by a customer within `window_hours` after the assistant
    showed them (a product card) or added to their cart one of the order's products.

    Conversations count for a customer when verified, or when their browsing session was
    identified as that customer. Only orders in the store's currency are counted.
    """
    window = dt.timedelta(hours=window_hours)
    conversations = await queries.conversations(
        session, store_id, since=period.since - window, until=period.until
    )
    sessions = await queries.customers_of_sessions(
        session, store_id, sorted({c.session_id for c in conversations if c.session_id})
    )
    customer_of = {
        c.id: c.customer_id or (sessions.get(c.session_id) if c.session_id else None)
        for c in conversations
    }
    messages = await queries.messages(
        session, store_id, [cid for cid, customer in customer_of.items() if customer]
    )
    added_variants = {
        int(m.content["added_variant_id"])
        for m in messages
        if m.tool_name == "add_to_cart" and isinstance(m.content.get("added_variant_id"), int)
    }
    product_of = await queries.product_of_variants(session, store_id, sorted(added_variants))
    # (customer, product) → [(time, via)], via: "cart_add" or "recommendation"
    touches: dict[tuple[int, int], list[tuple[dt.datetime, str]]] = defaultdict(list)
    for m in messages:
        customer = customer_of.get(m.conversation_id)
        if customer is None:
            continue
        if m.role == "assistant":
            for card in m.cards:
                if card.get("type") == "product" and isinstance(card.get("product_id"), int):
                    touches[(customer, card["product_id"])].append((m.created_at, "recommendation"))
        elif m.tool_name == "add_to_cart" and isinstance(m.content.get("added_variant_id"), int):
            product = product_of.get(int(m.content["added_variant_id"]))
            if product is not None:
                touches[(customer, product)].append((m.created_at, "cart_add"))
    orders = [
        o
        for o in await queries.orders(session, store_id, since=period.since, until=period.until)
        if o.currency == currency
    ]
    attributed: list[AttributedOrder] = []
    for order in orders:
        if order.customer_id is None:
            continue
        matched: dict[int, str] = {}
        revenue = 0
        for product_id, _, _, line_total in order.lines:
            if product_id is None:
                continue
            hits = [
                via
                for at, via in touches.get((order.customer_id, product_id), [])
                if at <= order.placed_at <= at + window
            ]
            if hits:
                matched[product_id] = "cart_add" if "cart_add" in hits else "recommendation"
                revenue += line_total
        if matched:
            attributed.append(
                AttributedOrder(
                    order_id=order.id,
                    number=order.number,
                    customer_id=order.customer_id,
                    placed_at=order.placed_at,
                    total=order.total,
                    matched_revenue=revenue,
                    product_ids=sorted(matched),
                    via="cart_add" if "cart_add" in matched.values() else "recommendation",
                )
            )
    total_revenue = sum(o.total for o in orders)
    attributed_revenue = sum(a.total for a in attributed)
    return AttributionReport(
        period=period_read(period),
        window_hours=window_hours,
        currency=currency,
        orders=len(orders),
        revenue=total_revenue,
        attributed_orders=len(attributed),
        attributed_revenue=attributed_revenue,
        attributed_line_revenue=sum(a.matched_revenue for a in attributed),
        order_share=rate(len(attributed), len(orders)),
        revenue_share=rate(attributed_revenue, total_revenue),
        by_recommendation=sum(1 for a in attributed if a.via == "recommendation"),
        by_cart_add=sum(1 for a in attributed if a.via == "cart_add"),
        recent=sorted(attributed, key=lambda a: a.placed_at, reverse=True)[:recent],
    )


async def trending_report(
    session: AsyncSession, store_id: int, *, period: Period, min_units: int = 3, limit: int = 20
) -> TrendingReport:
    """Products whose units sold in the period grew most against the period before it.

    growth = (units + 1) / (units before + 1); products below `min_units` in the period are
    left out (a first sale is not a trend). Views come from `view` events.
    """
    before = period_of(
        period.timezone,
        period.start - dt.timedelta(days=period.days),
        period.start - dt.timedelta(days=1),
    )
    units: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for index, span in enumerate((period, before)):
        for order in await queries.orders(session, store_id, since=span.since, until=span.until):
            for product_id, _, quantity, line_total in order.lines:
                if product_id is not None:
                    units[product_id][index] += quantity
                    if index == 0:
                        units[product_id][2] += line_total
    views: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for r in await queries.events(
        session, store_id, types=("view",), since=before.since, until=period.until
    ):
        if r.product_id is not None:
            views[r.product_id][0 if r.occurred_at >= period.since else 1] += 1
    candidates = [p for p, (now, _, _) in units.items() if now >= min_units]
    titles = await queries.product_titles(session, store_id, candidates)
    products = [
        TrendingProduct(
            product_id=p,
            title=titles.get(p, f"product {p}"),
            units=units[p][0],
            units_before=units[p][1],
            growth=round((units[p][0] + 1) / (units[p][1] + 1), 3),
            views=views[p][0],
            views_before=views[p][1],
            revenue=units[p][2],
        )
        for p in candidates
    ]
    products.sort(key=lambda t: (-t.growth, -t.units, t.product_id))
    return TrendingReport(
        period=period_read(period),
        previous=period_read(before),
        min_units=min_units,
        products=products[:limit],
    )
