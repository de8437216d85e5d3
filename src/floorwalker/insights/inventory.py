"""Inventory intelligence: live stock with alert status, days of cover and reorder suggestions,
stock rules, and the stored forecasts.

Stock is read live; the demand side comes from the latest `insights.forecast` run. A variant is
judged by the rule of its product's category, or the nearest category above it with a rule, or
the store's default rule, or the built-in default (fixed, 5 units, 14 + 7 days, 95 %).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.insights import queries, stock
from floorwalker.insights.errors import (
    ForecastNotFound,
    StockRuleExists,
    StockRuleInvalid,
    StockRuleNotFound,
    VariantNotFound,
)
from floorwalker.insights.forecasting.production import daily_quantiles
from floorwalker.insights.models import DemandForecast, ForecastRun, StockRule
from floorwalker.insights.repository import InsightsRepository
from floorwalker.insights.schemas import (
    AppliedRule,
    ForecastPoint,
    LocationStock,
    StockItem,
    StockRuleCreate,
    StockRuleUpdate,
    VariantForecast,
)
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.stores import service as stores_service

DEFAULT_RULE = stock.RuleValues()


# ---------------------------------------------------------------- rules


async def list_rules(session: AsyncSession, actor: Actor) -> Sequence[StockRule]:
    """The store's stock rules, the store default first."""
    return await InsightsRepository(session, actor.store_id).rules()


async def create_rule(session: AsyncSession, actor: Actor, *, data: StockRuleCreate) -> StockRule:
    """Add the store's default rule or a category's rule (one each)."""
    repo = InsightsRepository(session, actor.store_id)
    if data.category_id is not None and not await queries.category_exists(
        session, actor.store_id, data.category_id
    ):
        raise StockRuleInvalid(
            f"Category {data.category_id} does not exist.", category_id=data.category_id
        )
    if await repo.rule_for_category(data.category_id) is not None:
        where = f"category {data.category_id}" if data.category_id else "the store"
        raise StockRuleExists(
            f"There is already a stock rule for {where}; change it instead.",
            category_id=data.category_id,
        )
    rule = StockRule(store_id=actor.store_id, **data.model_dump())
    session.add(rule)
    await session.flush()
    await audit_service.record(
        session,
        actor,
        action="insights.stock_rule.create",
        subject_type="stock_rule",
        subject_id=rule.id,
        data=data.model_dump(mode="json"),
    )
    return rule


async def _rule_or_raise(session: AsyncSession, actor: Actor, rule_id: int) -> StockRule:
    rule = await InsightsRepository(session, actor.store_id).rule(rule_id)
    if rule is None:
        raise StockRuleNotFound(rule_id)
    return rule


async def update_rule(
    session: AsyncSession, actor: Actor, *, rule_id: int, data: StockRuleUpdate
) -> StockRule:
    """Change some of a rule's values."""
    rule = await _rule_or_raise(session, actor, rule_id)
    changes = data.model_dump(exclude_unset=True)
    for name, value in changes.items():
        if value is None:
            raise StockRuleInvalid(f"{name} cannot be null.", field=name)
        setattr(rule, name, value)
    rule.updated_at = utcnow()
    await session.flush()
    await audit_service.record(
        session,
        actor,
        action="insights.stock_rule.update",
        subject_type="stock_rule",
        subject_id=rule.id,
        data=data.model_dump(mode="json", exclude_unset=True),
    )
    return rule


async def delete_rule(session: AsyncSession, actor: Actor, *, rule_id: int) -> None:
    """Remove a rule (its variants fall back to the next rule up)."""
    rule = await _rule_or_raise(session, actor, rule_id)
    await session.delete(rule)
    await session.flush()
    await audit_service.record(
        session,
        actor,
        action="insights.stock_rule.delete",
        subject_type="stock_rule",
        subject_id=rule_id,
    )


class RuleBook:
    """Finds the rule that applies to a category: its own, an ancestor's, the store's, built-in."""

    def __init__(self, rules: Sequence[StockRule], parents: dict[int, int | None]) -> None:
        self.by_category = {r.category_id: r for r in rules}
        self.parents = parents
        self._cache: dict[int | None, AppliedRule] = {}

    def for_category(self, category_id: int | None) -> AppliedRule:
        """The applied rule for a product in `category_id`."""
        if category_id in self._cache:
            return self._cache[category_id]
        seen: set[int] = set()
        current = category_id
        found: StockRule | None = None
        while current is not None and current not in seen:
            seen.add(current)
            if current in self.by_category:
                found = self.by_category[current]
                break
            current = self.parents.get(current)
        found = found or self.by_category.get(None)
        if found is None:
            applied = AppliedRule(id=None, category_id=None, **_values_dict(DEFAULT_RULE))
        else:
            applied = AppliedRule.model_validate(found)
        self._cache[category_id] = applied
        return applied


def _values_dict(values: stock.RuleValues) -> dict[str, object]:
    return {
        "mode": values.mode,
        "low_stock_threshold": values.low_stock_threshold,
        "lead_time_days": values.lead_time_days,
        "review_period_days": values.review_period_days,
        "service_level": values.service_level,
    }


def _values(rule: AppliedRule) -> stock.RuleValues:
    return stock.RuleValues(
        mode=rule.mode,
        low_stock_threshold=rule.low_stock_threshold,
        lead_time_days=rule.lead_time_days,
        review_period_days=rule.review_period_days,
        service_level=rule.service_level,
    )


# ---------------------------------------------------------------- stock


def weekly_of(row: DemandForecast, run: ForecastRun, today: dt.date) -> stock.WeeklyForecast | None:
    """The stored forecast in the shape the stock maths takes."""
    if run.starts_on is None:
        return None
    return stock.WeeklyForecast(
        mean=[float(v) for v in row.mean],
        lower=[float(v) for v in row.lower],
        upper=[float(v) for v in row.upper],
        weekday_shares=[float(v) for v in row.weekday_shares],
        first_weekday=run.starts_on.weekday(),
        days_elapsed=max(0, (today - run.starts_on).days),
        interval_level=run.interval_level,
    )


async def store_today(session: AsyncSession, store_id: int) -> dt.date:
    """Today's date in the store's timezone."""
    store = await stores_service.get_or_raise(session, store_id)
    return utcnow().astimezone(ZoneInfo(store.timezone)).date()


async def stock_items(
    session: AsyncSession,
    actor: Actor,
    *,
    statuses: Sequence[stock.StockStatus] | None = None,
    category_id: int | None = None,
    variant_ids: Sequence[int] | None = None,
    reorder_only: bool = False,
    after_id: int = 0,
    limit: int | None = None,
    today: dt.date | None = None,
) -> list[StockItem]:
    """Active variants with stock, status and plan, by variant id after `after_id`.

    Filters: alert statuses, a category (and those below it), variant ids, only variants with
    a reorder suggestion.
    """
    repo = InsightsRepository(session, actor.store_id)
    categories = (
        await queries.descendants(session, actor.store_id, category_id)
        if category_id is not None
        else None
    )
    variants = await queries.variant_stock(
        session, actor.store_id, variant_ids=variant_ids, category_ids=categories
    )
    variants = [v for v in variants if v.variant_id > after_id]
    book = RuleBook(await repo.rules(), await queries.category_parents(session, actor.store_id))
    run = await repo.latest_run()
    forecasts = (
        await repo.forecasts(run.id, variant_ids=[v.variant_id for v in variants])
        if run is not None and variants
        else {}
    )
    today = today or await store_today(session, actor.store_id)
    wanted = set(statuses) if statuses else None
    if wanted is None and not reorder_only and limit is not None:
        variants = variants[:limit]  # nothing is filtered out: plan only the page
    rules = {v.variant_id: book.for_category(v.category_id) for v in variants}
    plans = _plans(variants, rules, forecasts, run, today)
    items: list[StockItem] = []
    for v in variants:
        rule = rules[v.variant_id]
        row = forecasts.get(v.variant_id)
        available = v.available
        plan = plans[v.variant_id]
        state = stock.status(available, _values(rule), plan if row is not None else None)
        if wanted is not None and state not in wanted:
            continue
        if reorder_only and plan.suggested_quantity <= 0:
            continue
        items.append(
            StockItem(
                variant_id=v.variant_id,
                product_id=v.product_id,
                sku=v.sku,
                title=v.title,
                variant_title=v.variant_title,
                category_id=v.category_id,
                on_hand=v.on_hand,
                available=available,
                locations=[
                    LocationStock(
                        location_id=loc,
                        location_code=code,
                        on_hand=on_hand,
                        reserved=reserved,
                        available=max(0, on_hand - reserved),
                    )
                    for loc, code, on_hand, reserved in v.levels
                ],
                status=state,
                rule=rule,
                forecast_method=row.method if row is not None else None,
                daily_demand=plan.daily_demand,
                days_of_cover=plan.days_of_cover,
                lead_time_demand=plan.lead_time_demand,
                safety_stock=plan.safety_stock,
                reorder_point=plan.reorder_point,
                order_up_to=plan.order_up_to,
                suggested_quantity=plan.suggested_quantity,
            )
        )
        if limit is not None and len(items) >= limit:
            break
    return items


def _plans(
    variants: Sequence[queries.VariantStock],
    rules: dict[int, AppliedRule],
    forecasts: dict[int, DemandForecast],
    run: ForecastRun | None,
    today: dt.date,
) -> dict[int, stock.StockPlan]:
    """Every variant's plan, computed per rule for all its variants at once."""
    empty = stock.plan(0, None, DEFAULT_RULE)
    plans = {v.variant_id: empty for v in variants}
    by_rule: dict[tuple[object, ...], list[tuple[int, int, stock.WeeklyForecast]]] = {}
    for v in variants:
        row = forecasts.get(v.variant_id)
        weekly = weekly_of(row, run, today) if row is not None and run is not None else None
        if weekly is None:
            continue
        rule = rules[v.variant_id]
        key = (rule.id, rule.lead_time_days, rule.review_period_days, rule.service_level)
        by_rule.setdefault(key, []).append((v.variant_id, v.available, weekly))
    for members in by_rule.values():
        rule = rules[members[0][0]]
        results = stock.plan_many([m[1] for m in members], [m[2] for m in members], _values(rule))
        for (variant_id, _, _), result in zip(members, results, strict=True):
            plans[variant_id] = result
    return plans


# ---------------------------------------------------------------- forecasts


async def latest_run(session: AsyncSession, actor: Actor) -> ForecastRun | None:
    """The newest successful forecast run of the store."""
    return await InsightsRepository(session, actor.store_id).latest_run()


async def list_runs(
    session: AsyncSession, actor: Actor, *, limit: int = 20
) -> Sequence[ForecastRun]:
    """The store's newest forecast runs (successful or not)."""
    return await InsightsRepository(session, actor.store_id).runs(limit=limit)


async def variant_forecast(
    session: AsyncSession, actor: Actor, *, variant_id: int, frequency: str = "week"
) -> VariantForecast:
    """A variant's latest forecast by week, or by day (weekly values over weekday shares).

    Daily bounds are negative-binomial quantiles whose mean is the day's share of the week's mean
    and whose variance is the same share of the week's variance (read off its interval).
    """
    if not await queries.variant_stock(
        session, actor.store_id, variant_ids=[variant_id], include_inactive=True
    ):
        raise VariantNotFound(variant_id)
    repo = InsightsRepository(session, actor.store_id)
    run = await repo.latest_run()
    row = (await repo.forecasts(run.id, variant_ids=[variant_id])).get(variant_id) if run else None
    if run is None or row is None or run.starts_on is None:
        raise ForecastNotFound(variant_id)
    points: list[ForecastPoint] = []
    if frequency == "week":
        for k in range(len(row.point)):
            points.append(
                ForecastPoint(
                    start=run.starts_on + dt.timedelta(weeks=k),
                    point=row.point[k],
                    mean=row.mean[k],
                    lower=row.lower[k],
                    upper=row.upper[k],
                )
            )
    else:
        weekly = weekly_of(row, run, run.starts_on)
        assert weekly is not None  # starts_on is set
        days = len(row.point) * 7
        means, variances = stock.daily_series(weekly, days)
        tail = (0.5 - run.interval_level / 2, 0.5 + run.interval_level / 2)
        for d in range(days):
            share = weekly.weekday_shares[d % 7] if len(weekly.weekday_shares) == 7 else 1 / 7
            low, high = daily_quantiles(means[d], variances[d], tail)
            points.append(
                ForecastPoint(
                    start=run.starts_on + dt.timedelta(days=d),
                    point=round(float(row.point[d // 7]) * share, 4),
                    mean=round(means[d], 4),
                    lower=float(low),
                    upper=float(high),
                )
            )
    return VariantForecast(
        variant_id=variant_id,
        product_id=row.product_id,
        run_id=run.id,
        method=row.method,
        frequency=frequency,
        interval_level=run.interval_level,
        recent_4w=row.recent_4w,
        recent_13w=row.recent_13w,
        points=points,
    )
