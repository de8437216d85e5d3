"""Stock, alerts, reorder suggestions, forecasts and stock rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from fastapi import APIRouter, Query, Response

from floorwalker.api.deps import AdminActor, DatabaseDep, ReadActor, SessionDep, WriteActor
from floorwalker.api.v1.insights.common import MAX_ID, Format, IdPath, csv_response
from floorwalker.errors import Invalid
from floorwalker.insights import inventory, jobs
from floorwalker.insights.schemas import (
    ForecastOutcome,
    ForecastRunRead,
    StockItem,
    StockRuleCreate,
    StockRuleRead,
    StockRuleUpdate,
    VariantForecast,
)
from floorwalker.insights.stock import StockStatus
from floorwalker.kit.pagination import Page, clamp_limit, decode_cursor, encode_cursor

router = APIRouter()
Limit = Query(default=50, ge=1, le=500, description="Page size.")


def _statuses(raw: str | None) -> list[StockStatus] | None:
    if not raw:
        return None
    try:
        return [StockStatus(part.strip()) for part in raw.split(",") if part.strip()]
    except ValueError as exc:
        raise Invalid(
            f"status takes a comma-separated list of {', '.join(s.value for s in StockStatus)}.",
            code="invalid_status",
        ) from exc


async def _stock_page(
    actor: ReadActor,
    session: SessionDep,
    *,
    statuses: Sequence[StockStatus] | None,
    reorder_only: bool,
    category_id: int | None,
    cursor: str | None,
    limit: int,
    fmt: str,
    filename: str,
) -> Page[StockItem] | Response:
    if fmt == "csv":
        items = await inventory.stock_items(
            session, actor, statuses=statuses, category_id=category_id, reorder_only=reorder_only
        )
        return csv_response(items, filename)
    size = clamp_limit(limit)
    items = await inventory.stock_items(
        session,
        actor,
        statuses=statuses,
        category_id=category_id,
        reorder_only=reorder_only,
        after_id=decode_cursor(cursor),
        limit=size + 1,
    )
    next_cursor = encode_cursor(items[size - 1].variant_id) if len(items) > size else None
    return Page[StockItem](items=items[:size], next_cursor=next_cursor)


@router.get("/stock", response_model=Page[StockItem])
async def stock(
    actor: ReadActor,
    session: SessionDep,
    status: str | None = Query(default=None, description="e.g. low_stock,out_of_stock"),
    category_id: int | None = Query(default=None, ge=1, le=MAX_ID),
    reorder: bool = Query(default=False, description="Only variants with a reorder suggestion."),
    cursor: str | None = None,
    limit: int = Limit,
    fmt: Format = "json",
) -> Page[StockItem] | Response:
    """List live stock per variant and location with status, days of cover and reorder plan."""
    return await _stock_page(
        actor,
        session,
        statuses=_statuses(status),
        reorder_only=reorder,
        category_id=category_id,
        cursor=cursor,
        limit=limit,
        fmt=fmt,
        filename="stock",
    )


@router.get("/alerts", response_model=Page[StockItem])
async def alerts(
    actor: ReadActor,
    session: SessionDep,
    category_id: int | None = Query(default=None, ge=1, le=MAX_ID),
    cursor: str | None = None,
    limit: int = Limit,
    fmt: Format = "json",
) -> Page[StockItem] | Response:
    """List variants that are out of stock or low on stock by their rule."""
    return await _stock_page(
        actor,
        session,
        statuses=[StockStatus.OUT_OF_STOCK, StockStatus.LOW_STOCK],
        reorder_only=False,
        category_id=category_id,
        cursor=cursor,
        limit=limit,
        fmt=fmt,
        filename="stock-alerts",
    )


@router.get("/reorder", response_model=Page[StockItem])
async def reorder(
    actor: ReadActor,
    session: SessionDep,
    category_id: int | None = Query(default=None, ge=1, le=MAX_ID),
    cursor: str | None = None,
    limit: int = Limit,
    fmt: Format = "json",
) -> Page[StockItem] | Response:
    """List variants at or below their reorder point, with the quantity to order."""
    return await _stock_page(
        actor,
        session,
        statuses=None,
        reorder_only=True,
        category_id=category_id,
        cursor=cursor,
        limit=limit,
        fmt=fmt,
        filename="reorder",
    )


# ---------------------------------------------------------------- forecasts


@router.post("/forecasts/run", response_model=ForecastOutcome)
async def run_forecast(
    actor: WriteActor,
    db: DatabaseDep,
    force: bool = Query(default=False, description="Refit even if the sales did not change."),
) -> ForecastOutcome:
    """Run the `insights.forecast` job for the store now (idempotent)."""
    return await jobs.forecast(db, store_id=actor.store_id, force=force)


@router.get("/forecasts/runs", response_model=list[ForecastRunRead])
async def forecast_runs(actor: ReadActor, session: SessionDep) -> list[ForecastRunRead]:
    """List the store's latest forecast runs, newest first."""
    return [ForecastRunRead.model_validate(r) for r in await inventory.list_runs(session, actor)]


@router.get("/forecasts/{variant_id}", response_model=VariantForecast)
async def variant_forecast(
    variant_id: IdPath,
    actor: ReadActor,
    session: SessionDep,
    frequency: Literal["week", "day"] = "week",
    fmt: Format = "json",
) -> VariantForecast | Response:
    """Read a variant's demand forecast by week or by day, with its interval."""
    result = await inventory.variant_forecast(
        session, actor, variant_id=variant_id, frequency=frequency
    )
    if fmt == "csv":
        return csv_response(result.points, f"forecast-{variant_id}-{frequency}")
    return result


# ---------------------------------------------------------------- stock rules


@router.get("/stock-rules", response_model=list[StockRuleRead])
async def list_stock_rules(actor: ReadActor, session: SessionDep) -> list[StockRuleRead]:
    """List the store's stock alert rules (the store default first)."""
    return [StockRuleRead.model_validate(r) for r in await inventory.list_rules(session, actor)]


@router.post("/stock-rules", response_model=StockRuleRead, status_code=201)
async def create_stock_rule(
    data: StockRuleCreate, actor: AdminActor, session: SessionDep
) -> StockRuleRead:
    """Add the store's default stock rule or a category's rule."""
    return StockRuleRead.model_validate(await inventory.create_rule(session, actor, data=data))


@router.patch("/stock-rules/{rule_id}", response_model=StockRuleRead)
async def update_stock_rule(
    rule_id: IdPath, data: StockRuleUpdate, actor: AdminActor, session: SessionDep
) -> StockRuleRead:
    """Change a stock rule."""
    rule = await inventory.update_rule(session, actor, rule_id=rule_id, data=data)
    return StockRuleRead.model_validate(rule)


@router.delete("/stock-rules/{rule_id}", status_code=204)
async def delete_stock_rule(rule_id: IdPath, actor: AdminActor, session: SessionDep) -> Response:
    """Delete a stock rule; its variants fall back to the next rule up."""
    await inventory.delete_rule(session, actor, rule_id=rule_id)
    return Response(status_code=204)
