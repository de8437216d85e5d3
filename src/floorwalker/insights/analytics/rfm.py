"""RFM segments: recency, frequency and monetary value scored 1–5 against the other customers.

Scores are ranks, not fixed cut-offs: a customer's R score is 1 + ⌊5 × (customers who bought
longer ago) / n⌋, F is 1 + ⌊5 × (customers with fewer orders) / n⌋, M likewise with spend. Ties
share a score. Segments are read off the scores in this order:

    champions            R ≥ 4, F ≥ 4, M ≥ 4       cant_lose        R ≤ 2, F ≥ 4
    loyal                F ≥ 4                     at_risk          R ≤ 2, F ≥ 3
    new                  R ≥ 4, one order          potential_loyal  R ≥ 4
    hibernating          R ≤ 2                     needs_attention  everyone else
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.insights.analytics import queries
from floorwalker.insights.analytics.schemas import CustomerScore, SegmentReport, SegmentStat
from floorwalker.insights.periods import Period

SEGMENTS = (
    "champions",
    "loyal",
    "potential_loyal",
    "new",
    "needs_attention",
    "at_risk",
    "cant_lose",
    "hibernating",
)


@dataclass(frozen=True, slots=True)
class Buyer:
    """A customer's recency (days since the last order), orders and spend."""

    customer_id: int
    recency_days: int
    orders: int
    spend: int


def _below(sorted_values: list[int], value: int) -> int:
    return bisect_left(sorted_values, value)


def _above(sorted_values: list[int], value: int) -> int:
    return len(sorted_values) - bisect_right(sorted_values, value)


def segment_of(r: int, f: int, m: int, orders: int) -> str:
    """The segment of a customer's scores (see the module doc)."""
    if r >= 4 and f >= 4 and m >= 4:
        return "champions"
    if r <= 2 and f >= 4:
        return "cant_lose"
    if f >= 4:
        return "loyal"
    if r <= 2 and f >= 3:
        return "at_risk"
    if r >= 4 and orders == 1:
        return "new"
    if r >= 4:
        return "potential_loyal"
    if r <= 2:
        return "hibernating"
    return "needs_attention"


def score(buyers: list[Buyer]) -> list[CustomerScore]:
    """Each buyer's R, F, M scores and segment, by customer id."""
    n = len(buyers)
    recency = sorted(b.recency_days for b in buyers)
    orders = sorted(b.orders for b in buyers)
    spend = sorted(b.spend for b in buyers)
    out = []
    for b in sorted(buyers, key=lambda b: b.customer_id):
        r = 1 + (5 * _above(recency, b.recency_days)) // n
        f = 1 + (5 * _below(orders, b.orders)) // n
        m = 1 + (5 * _below(spend, b.spend)) // n
        out.append(
            CustomerScore(
                customer_id=b.customer_id,
                recency_days=b.recency_days,
                orders=b.orders,
                spend=b.spend,
                r=r,
                f=f,
                m=m,
                segment=segment_of(r, f, m, b.orders),
            )
        )
    return out


def summarise(scores: list[CustomerScore]) -> list[SegmentStat]:
    """Customers, shares and averages per segment, in SEGMENTS order (empty ones left out)."""
    groups: dict[str, list[CustomerScore]] = defaultdict(list)
    for s in scores:
        groups[s.segment].append(s)
    total = len(scores)
    return [
        SegmentStat(
            segment=name,
            customers=len(members),
            share=round(len(members) / total, 4),
            average_recency_days=round(sum(m.recency_days for m in members) / len(members), 2),
            average_orders=round(sum(m.orders for m in members) / len(members), 2),
            average_spend=round(sum(m.spend for m in members) / len(members), 2),
            revenue=sum(m.spend for m in members),
        )
        for name in SEGMENTS
        if (members := groups.get(name))
    ]


async def segment_report(
    session: AsyncSession,
    store_id: int,
    *,
    period: Period,
    currency: str,
    lookback_days: int = 365,
) -> SegmentReport:
    """Customers who ordered in the `lookback_days` up to the period's last day, by segment.

    Orders that were cancelled, guest orders and orders in another currency are left out.
    """
    since = period.until - dt.timedelta(days=lookback_days)
    buyers: dict[int, list[int]] = {}
    last: dict[int, dt.date] = {}
    for order in await queries.orders(session, store_id, since=since, until=period.until):
        if order.customer_id is None or order.currency != currency:
            continue
        entry = buyers.setdefault(order.customer_id, [0, 0])
        entry[0] += 1
        entry[1] += order.total
        day = period.local_date(order.placed_at)
        last[order.customer_id] = max(last.get(order.customer_id, day), day)
    scores = score(
        [
            Buyer(cid, (period.end - last[cid]).days, count, spend)
            for cid, (count, spend) in buyers.items()
        ]
    )
    return SegmentReport(
        as_of=period.end,
        lookback_days=lookback_days,
        currency=currency,
        customers=len(scores),
        segments=summarise(scores),
        scores=scores,
    )
