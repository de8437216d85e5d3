"""What other contexts and the faces call: lost demand and the analytics reports.

The assistant records what a shopper asked for and could not get with `record_lost_demand`
(idempotent by `ref`); searches are turned into signals by the `insights.lost_demand` job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.insights import queries as stock_queries
from floorwalker.insights.analytics import commerce, conversations, rfm
from floorwalker.insights.analytics.schemas import (
    AttributionReport,
    ConversationReport,
    RecommendationReport,
    SearchReport,
    SegmentReport,
    TopicReport,
    TrendingReport,
)
from floorwalker.insights.errors import LostDemandInvalid, VariantNotFound
from floorwalker.insights.lost_demand import classify, derive, queries, report
from floorwalker.insights.periods import DEFAULT_DAYS, Period, period_of
from floorwalker.insights.schemas import (
    LostDemandGroup,
    LostDemandReport,
    LostDemandSignalIn,
    RecordedSignals,
    SalesHistory,
    SalesPoint,
    SignalSource,
)
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.stores import service as stores_service

#: Most signals one call may record.
MAX_SIGNALS = 500


async def record_lost_demand(
    session: AsyncSession, actor: Actor, *, signals: Sequence[LostDemandSignalIn]
) -> RecordedSignals:
    """Store lost-demand signals; one whose (source, ref) is stored already is skipped.

    Phrases are redacted again (e-mail addresses, phone and card numbers) before storing.
    """
    if len(signals) > MAX_SIGNALS:
        raise LostDemandInvalid(f"Record at most {MAX_SIGNALS} signals at once.")
    store = await stores_service.get_or_raise(session, actor.store_id)
    products = sorted({s.product_id for s in signals if s.product_id is not None})
    facts = await queries.product_facts(session, actor.store_id, products)
    unknown = [p for p in products if p not in facts]
    if unknown:
        raise LostDemandInvalid(
            f"No product {', '.join(map(str, unknown))} in this store.", product_ids=unknown
        )
    asked_variants = sorted({s.variant_id for s in signals if s.variant_id is not None})
    product_of = {
        v.variant_id: v.product_id
        for v in await stock_queries.variant_stock(
            session, actor.store_id, variant_ids=asked_variants, include_inactive=True
        )
    }
    for s in signals:
        if s.variant_id is None:
            continue
        if s.variant_id not in product_of or s.product_id not in (None, product_of[s.variant_id]):
            raise LostDemandInvalid(
                f"No variant {s.variant_id} of that product in this store.",
                variant_id=s.variant_id,
            )
    now = utcnow()
    rows = [
        (
            SignalSource(s.source),
            classify.Signal(
                source_ref=s.ref,
                reason=classify.Reason(s.reason),
                phrase=classify.redact(s.phrase),
                product_id=s.product_id if s.variant_id is None else product_of[s.variant_id],
                variant_id=s.variant_id,
                attribute=s.attribute,
                attribute_value=s.attribute_value,
                budget=s.budget,
            ),
            (s.occurred_at or now).astimezone(dt.UTC),
        )
        for s in signals
    ]
    added = await derive.store_signals(session, actor.store_id, rows, currency=store.currency)
    return RecordedSignals(added=added, duplicates=len(signals) - added)


async def lost_demand_report(
    session: AsyncSession,
    actor: Actor,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    group_by: LostDemandGroup = LostDemandGroup.REASON,
    limit: int = 100,
) -> LostDemandReport:
    """Lost demand in a period (store dates, both included), grouped, with stock and forecast."""
    store = await stores_service.get_or_raise(session, actor.store_id)
    period = period_of(store.timezone, start, end)
    return await report.build(
        session, actor.store_id, period=period, group_by=group_by, limit=limit
    )


# ---------------------------------------------------------------- analytics


async def _store_period(
    session: AsyncSession,
    actor: Actor,
    start: dt.date | None,
    end: dt.date | None,
    default_days: int = DEFAULT_DAYS,
) -> tuple[Period, str]:
    store = await stores_service.get_or_raise(session, actor.store_id)
    return period_of(store.timezone, start, end, default_days=default_days), store.currency


async def conversation_report(
    session: AsyncSession, actor: Actor, *, start: dt.date | None = None, end: dt.date | None = None
) -> ConversationReport:
    """Conversations started in the period: volume, resolution, handoffs, satisfaction."""
    period, _ = await _store_period(session, actor, start, end)
    return await conversations.conversation_report(session, actor.store_id, period=period)


async def topic_report(
    session: AsyncSession,
    actor: Actor,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    limit: int = 20,
) -> TopicReport:
    """Top topics and intents of the conversations started in the period."""
    period, _ = await _store_period(session, actor, start, end)
    return await conversations.topic_report(session, actor.store_id, period=period, limit=limit)


async def search_report(
    session: AsyncSession,
    actor: Actor,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    limit: int = 20,
) -> SearchReport:
    """Top and zero-result searches of the period."""
    period, _ = await _store_period(session, actor, start, end)
    return await commerce.search_report(session, actor.store_id, period=period, limit=limit)


async def recommendation_report(
    session: AsyncSession,
    actor: Actor,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    window_days: int = 7,
) -> RecommendationReport:
    """Recommendation click-through and conversion by surface."""
    period, currency = await _store_period(session, actor, start, end)
    return await commerce.recommendation_report(
        session, actor.store_id, period=period, currency=currency, window_days=window_days
    )


async def attribution_report(
    session: AsyncSession,
    actor: Actor,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    window_hours: int = 168,
) -> AttributionReport:
    """Orders and revenue that followed the assistant's recommendations or cart adds."""
    period, currency = await _store_period(session, actor, start, end)
    return await commerce.attribution_report(
        session, actor.store_id, period=period, currency=currency, window_hours=window_hours
    )


async def segment_report(
    session: AsyncSession,
    actor: Actor,
    *,
    end: dt.date | None = None,
    lookback_days: int = 365,
) -> SegmentReport:
    """Customers by RFM segment as of `end` (default today)."""
    period, currency = await _store_period(session, actor, None, end, default_days=1)
    return await rfm.segment_report(
        session, actor.store_id, period=period, currency=currency, lookback_days=lookback_days
    )


async def trending_report(
    session: AsyncSession,
    actor: Actor,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    min_units: int = 3,
    limit: int = 20,
) -> TrendingReport:
    """Products selling more in the period (default: the last 7 days) than in the one before."""
    period, _ = await _store_period(session, actor, start, end, default_days=7)
    return await commerce.trending_report(
        session, actor.store_id, period=period, min_units=min_units, limit=limit
    )


# ---------------------------------------------------------------- sales history (console)


async def sales_history(
    session: AsyncSession,
    actor: Actor,
    *,
    variant_id: int,
    frequency: str = "week",
    periods: int = 26,
) -> SalesHistory:
    """A variant's units sold per week (Monday to Sunday) or per day, store time, the last
    `periods` periods up to and including the current one (the forecast's demand definition:
    cancelled orders are not demand)."""
    if not await stock_queries.variant_stock(
        session, actor.store_id, variant_ids=[variant_id], include_inactive=True
    ):
        raise VariantNotFound(variant_id)
    store = await stores_service.get_or_raise(session, actor.store_id)
    tz = ZoneInfo(store.timezone)
    today = utcnow().astimezone(tz).date()
    step = dt.timedelta(weeks=1) if frequency == "week" else dt.timedelta(days=1)
    current = today - dt.timedelta(days=today.weekday()) if frequency == "week" else today
    first = current - step * (periods - 1)
    since = dt.datetime.combine(first, dt.time(), tzinfo=tz).astimezone(dt.UTC)
    until = dt.datetime.combine(current + step, dt.time(), tzinfo=tz).astimezone(dt.UTC)
    units = [0] * periods
    for placed, quantity in await stock_queries.variant_sales(
        session, actor.store_id, variant_id=variant_id, since=since, until=until
    ):
        index = (placed.astimezone(tz).date() - first) // step
        if 0 <= index < periods:
            units[index] += quantity
    return SalesHistory(
        variant_id=variant_id,
        frequency=frequency,
        timezone=store.timezone,
        points=[SalesPoint(start=first + step * i, units=n) for i, n in enumerate(units)],
    )
