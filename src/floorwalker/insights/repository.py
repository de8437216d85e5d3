"""Queries over the insights context's own tables."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.insights.models import (
    DemandForecast,
    ForecastRun,
    InsightCursor,
    LostDemandSignal,
    StockRule,
)


class InsightsRepository:
    """Reads and writes of one store's stock rules, forecasts, signals and cursors."""

    def __init__(self, session: AsyncSession, store_id: int) -> None:
        self.session = session
        self.store_id = store_id

    # ------------------------------------------------------------ stock rules

    async def rules(self) -> Sequence[StockRule]:
        """Every stock rule of the store, the store default first."""
        rows = await self.session.scalars(
            select(StockRule)
            .where(StockRule.store_id == self.store_id)
            .order_by(StockRule.category_id.is_not(None), StockRule.category_id, StockRule.id)
        )
        return rows.all()

    async def rule(self, rule_id: int) -> StockRule | None:
        """One stock rule."""
        return await self.session.scalar(
            select(StockRule).where(StockRule.store_id == self.store_id, StockRule.id == rule_id)
        )

    async def rule_for_category(self, category_id: int | None) -> StockRule | None:
        """The rule of a category (None: the store default)."""
        condition = (
            StockRule.category_id.is_(None)
            if category_id is None
            else StockRule.category_id == category_id
        )
        return await self.session.scalar(
            select(StockRule).where(StockRule.store_id == self.store_id, condition)
        )

    # ------------------------------------------------------------ forecasts

    async def latest_run(self, *, succeeded: bool = True) -> ForecastRun | None:
        """The newest forecast run (by default the newest that succeeded)."""
        query = select(ForecastRun).where(ForecastRun.store_id == self.store_id)
        if succeeded:
            query = query.where(ForecastRun.status == "succeeded")
        return await self.session.scalar(
            query.order_by(ForecastRun.created_at.desc(), ForecastRun.id.desc()).limit(1)
        )

    async def runs(self, limit: int = 20) -> Sequence[ForecastRun]:
        """The newest runs first."""
        rows = await self.session.scalars(
            select(ForecastRun)
            .where(ForecastRun.store_id == self.store_id)
            .order_by(ForecastRun.created_at.desc(), ForecastRun.id.desc())
            .limit(limit)
        )
        return rows.all()

    async def forecasts(
        self, run_id: int, *, variant_ids: Sequence[int] | None = None
    ) -> dict[int, DemandForecast]:
        """A run's forecasts by variant id."""
        query = select(DemandForecast).where(
            DemandForecast.store_id == self.store_id, DemandForecast.run_id == run_id
        )
        if variant_ids is not None:
            query = query.where(DemandForecast.variant_id.in_(list(variant_ids)))
        return {f.variant_id: f for f in (await self.session.scalars(query)).all()}

    async def prune_runs(self, keep: int) -> int:
        """Delete all but the newest `keep` runs (their forecasts go with them)."""
        runs = await self.runs(limit=10_000)
        old = [r.id for r in runs[keep:]]
        if old:
            await self.session.execute(
                delete(DemandForecast).where(
                    DemandForecast.store_id == self.store_id, DemandForecast.run_id.in_(old)
                )
            )
            await self.session.execute(
                delete(ForecastRun).where(
                    ForecastRun.store_id == self.store_id, ForecastRun.id.in_(old)
                )
            )
        return len(old)

    # ------------------------------------------------------------ lost demand and cursors

    async def existing_refs(self, source: str, refs: Sequence[str]) -> set[str]:
        """Which of `refs` already have a signal from `source`."""
        if not refs:
            return set()
        rows = await self.session.scalars(
            select(LostDemandSignal.source_ref).where(
                LostDemandSignal.store_id == self.store_id,
                LostDemandSignal.source == source,
                LostDemandSignal.source_ref.in_(list(refs)),
            )
        )
        return set(rows.all())

    async def cursor(self, name: str) -> InsightCursor | None:
        """A job's cursor."""
        return await self.session.scalar(
            select(InsightCursor).where(
                InsightCursor.store_id == self.store_id, InsightCursor.name == name
            )
        )

    async def set_cursor(self, name: str, position: int) -> None:
        """Move a job's cursor (created on first use)."""
        cursor = await self.cursor(name)
        if cursor is None:
            self.session.add(InsightCursor(store_id=self.store_id, name=name, position=position))
        else:
            cursor.position = position
        await self.session.flush()
