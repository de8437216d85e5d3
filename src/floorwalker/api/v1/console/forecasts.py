"""Forecasts for the console: variants ranked by forecast demand, and one variant's history,
forecast and stock plan together."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query

from floorwalker.api.deps import ReadActor, SessionDep
from floorwalker.api.v1.insights.common import MAX_ID, IdPath
from floorwalker.insights import inventory
from floorwalker.insights import service as insights_service
from floorwalker.insights.errors import ForecastNotFound, VariantNotFound
from floorwalker.insights.schemas import (
    ForecastRunRead,
    SalesHistory,
    StockItem,
    VariantForecast,
)
from floorwalker.kit.schemas import Schema

router = APIRouter()


class ForecastList(Schema):
    """Variants by forecast demand, highest first, and the run the figures come from."""

    run: ForecastRunRead | None
    matched: int
    items: list[StockItem]


class VariantPlan(Schema):
    """One variant: stock and plan now, its recent sales, and its forecast (None until the
    forecast job has covered it)."""

    item: StockItem
    history: SalesHistory
    forecast: VariantForecast | None


@router.get("/forecasts", response_model=ForecastList)
async def ranked_forecasts(
    actor: ReadActor,
    session: SessionDep,
    q: str | None = Query(default=None, max_length=200, description="Part of a SKU or title."),
    product_id: int | None = Query(default=None, ge=1, le=MAX_ID),
    limit: int = Query(default=50, ge=1, le=500),
) -> ForecastList:
    """List active variants by forecast demand per day (highest first), with cover and reorder."""
    items = await inventory.stock_items(session, actor)
    if product_id is not None:
        items = [i for i in items if i.product_id == product_id]
    needle = (q or "").strip().lower()
    if needle:
        items = [
            i
            for i in items
            if needle in (i.sku or "").lower()
            or needle in i.title.lower()
            or needle in i.variant_title.lower()
        ]
    items.sort(key=lambda i: (-i.daily_demand, i.variant_id))
    run = await inventory.latest_run(session, actor)
    return ForecastList(
        run=ForecastRunRead.model_validate(run) if run is not None else None,
        matched=len(items),
        items=items[:limit],
    )


@router.get("/forecasts/{variant_id}", response_model=VariantPlan)
async def variant_plan(
    variant_id: IdPath,
    actor: ReadActor,
    session: SessionDep,
    frequency: Literal["week", "day"] = "week",
    history: int = Query(default=26, ge=1, le=104, description="Past periods of sales."),
) -> VariantPlan:
    """Read a variant's sales history, forecast with its interval, stock and reorder plan."""
    found = await inventory.stock_items(session, actor, variant_ids=[variant_id])
    if not found:
        raise VariantNotFound(variant_id)
    try:
        forecast: VariantForecast | None = await inventory.variant_forecast(
            session, actor, variant_id=variant_id, frequency=frequency
        )
    except ForecastNotFound:
        forecast = None
    return VariantPlan(
        item=found[0],
        history=await insights_service.sales_history(
            session, actor, variant_id=variant_id, frequency=frequency, periods=history
        ),
        forecast=forecast,
    )
