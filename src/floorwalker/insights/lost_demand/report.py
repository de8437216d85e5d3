"""The lost-demand report: signals of a period grouped by reason, product, category,
attribute or phrase, with the stock available now and the forecast next to each group."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.insights.lost_demand import queries
from floorwalker.insights.models import DemandForecast, LostDemandSignal
from floorwalker.insights.periods import Period
from floorwalker.insights.repository import InsightsRepository
from floorwalker.insights.schemas import (
    LostDemandGroup,
    LostDemandReport,
    LostDemandRow,
    PeriodRead,
)

EXAMPLES = 3


@dataclass(slots=True)
class _Bucket:
    signals: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    last_seen: dt.datetime | None = None


def _normalise(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _key(signal: LostDemandSignal, group: LostDemandGroup) -> tuple[object, ...] | None:
    if group is LostDemandGroup.REASON:
        return (signal.reason,)
    if group is LostDemandGroup.PRODUCT:
        return (signal.product_id,) if signal.product_id is not None else None
    if group is LostDemandGroup.CATEGORY:
        return (signal.category_id,) if signal.category_id is not None else None
    if group is LostDemandGroup.ATTRIBUTE:
        if signal.attribute is None or signal.attribute_value is None:
            return None
        return (signal.attribute, signal.attribute_value.lower())
    return (_normalise(signal.phrase),)


def _weekly(forecasts: dict[int, DemandForecast], variant_ids: Sequence[int]) -> float | None:
    rows = [forecasts[v] for v in variant_ids if v in forecasts]
    if not rows:
        return None
    weekly = sum(float(sum(r.mean[:4])) / max(1, len(r.mean[:4])) for r in rows)
    return round(weekly, 2)


async def build(
    session: AsyncSession,
    store_id: int,
    *,
    period: Period,
    group_by: LostDemandGroup,
    limit: int = 100,
) -> LostDemandReport:
    """The report (groups by signal count, most first; ties by most recent)."""
    signals = list(
        (
            await session.scalars(
                select(LostDemandSignal)
                .where(
                    LostDemandSignal.store_id == store_id,
                    LostDemandSignal.occurred_at >= period.since,
                    LostDemandSignal.occurred_at < period.until,
                )
                .order_by(LostDemandSignal.occurred_at.desc(), LostDemandSignal.id.desc())
            )
        ).all()
    )
    buckets: dict[tuple[object, ...], _Bucket] = defaultdict(_Bucket)
    labels: dict[tuple[object, ...], str] = {}
    for signal in signals:
        key = _key(signal, group_by)
        if key is None:
            continue
        bucket = buckets[key]
        bucket.signals += 1
        bucket.reasons[signal.reason] += 1
        if bucket.last_seen is None:
            bucket.last_seen = signal.occurred_at
        if len(bucket.examples) < EXAMPLES and signal.phrase not in bucket.examples:
            bucket.examples.append(signal.phrase)
        if group_by is LostDemandGroup.ATTRIBUTE:
            labels.setdefault(key, f"{signal.attribute}: {signal.attribute_value}")
        elif group_by is LostDemandGroup.PHRASE:
            labels.setdefault(key, signal.phrase)
    ordered = sorted(
        buckets.items(),
        key=lambda kv: (-kv[1].signals, -(kv[1].last_seen or period.since).timestamp()),
    )[:limit]

    repo = InsightsRepository(session, store_id)
    run = await repo.latest_run()
    rows: list[LostDemandRow] = []
    variant_sets: dict[tuple[object, ...], list[int]] = {}
    extra: dict[tuple[object, ...], dict[str, object]] = {}
    if group_by is LostDemandGroup.PRODUCT:
        facts = await queries.product_facts(session, store_id, [int(str(k[0])) for k, _ in ordered])
        for key, _ in ordered:
            fact = facts.get(int(str(key[0])))
            labels[key] = fact.title if fact else f"product {key[0]} (deleted)"
            variant_sets[key] = fact.variant_ids if fact else []
            extra[key] = {
                "product_id": key[0],
                "category_id": fact.category_id if fact else None,
            }
    elif group_by is LostDemandGroup.CATEGORY:
        cats = await queries.category_facts(session, store_id, [int(str(k[0])) for k, _ in ordered])
        for key, _ in ordered:
            path, variant_ids = cats.get(int(str(key[0])), (f"category {key[0]} (deleted)", []))
            labels[key] = path
            variant_sets[key] = variant_ids
            extra[key] = {"category_id": key[0]}
    elif group_by is LostDemandGroup.ATTRIBUTE:
        for key, _ in ordered:
            variant_sets[key] = await queries.variants_with_option(
                session, store_id, str(key[0]), str(key[1])
            )
            extra[key] = {"attribute": key[0], "attribute_value": labels[key].split(": ", 1)[1]}
    all_variants = sorted({v for vs in variant_sets.values() for v in vs})
    stock = await queries.available_by_variant(session, store_id, all_variants)
    forecasts = (
        await repo.forecasts(run.id, variant_ids=all_variants) if run and all_variants else {}
    )
    for key, bucket in ordered:
        values: dict[str, object] = dict(extra.get(key, {}))
        if key in variant_sets:
            covered = variant_sets[key]
            values.update(
                available=sum(stock.get(v, 0) for v in covered),
                forecast_weekly=_weekly(forecasts, covered),
                variants=len(covered),
            )
        rows.append(
            LostDemandRow.model_validate(
                {
                    "key": ":".join(str(k) for k in key),
                    "label": labels.get(key, str(key[0])),
                    "signals": bucket.signals,
                    "reasons": dict(sorted(bucket.reasons.items())),
                    "examples": bucket.examples,
                    "last_seen": bucket.last_seen,
                    **values,
                }
            )
        )
    return LostDemandReport(
        period=PeriodRead(start=period.start, end=period.end, timezone=period.timezone),
        group_by=group_by,
        total_signals=len(signals),
        rows=rows,
    )
