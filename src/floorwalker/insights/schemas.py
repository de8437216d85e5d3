"""Pydantic schemas of the insights context: stock, forecasts, rules, jobs, lost demand."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from floorwalker.insights.stock import RuleMode, StockStatus
from floorwalker.kit.schemas import InputSchema, Schema


class JobStatus(StrEnum):
    """What a job run did."""

    DONE = "done"
    UNCHANGED = "unchanged"
    BUSY = "busy"
    NO_SALES = "no_sales"


class ForecastOutcome(Schema):
    """The result of one `insights.forecast` run for a store."""

    store_id: int
    status: JobStatus
    run_id: int | None = None
    method: str = ""
    series: int = 0
    starts_on: dt.date | None = None
    seconds: float = 0.0


class ForecastRunRead(Schema):
    """A stored forecast run."""

    id: int
    status: str
    method: str
    starts_on: dt.date | None
    horizon_weeks: int
    history_weeks: int
    series: int
    interval_level: float
    seconds: float
    created_at: dt.datetime


# ---------------------------------------------------------------- stock rules


class StockRuleFields(InputSchema):
    """The tunable parts of a stock rule."""

    mode: RuleMode = RuleMode.FIXED
    low_stock_threshold: int = Field(default=5, ge=0, le=1_000_000)
    lead_time_days: int = Field(default=14, ge=0, le=365)
    review_period_days: int = Field(default=7, ge=0, le=365)
    service_level: float = Field(default=0.95, ge=0.5, le=0.999)


class StockRuleCreate(StockRuleFields):
    """A new stock rule: for the whole store (no category) or a category and those below it."""

    category_id: int | None = Field(default=None, gt=0)


class StockRuleUpdate(InputSchema):
    """A change to a stock rule; fields left out keep their value."""

    mode: RuleMode | None = None
    low_stock_threshold: int | None = Field(default=None, ge=0, le=1_000_000)
    lead_time_days: int | None = Field(default=None, ge=0, le=365)
    review_period_days: int | None = Field(default=None, ge=0, le=365)
    service_level: float | None = Field(default=None, ge=0.5, le=0.999)

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not self.model_fields_set:
            raise ValueError("give at least one field to change")
        return self


class StockRuleRead(Schema):
    """A stored stock rule."""

    id: int
    category_id: int | None
    mode: RuleMode
    low_stock_threshold: int
    lead_time_days: int
    review_period_days: int
    service_level: float
    created_at: dt.datetime
    updated_at: dt.datetime


class AppliedRule(Schema):
    """The rule a variant is judged by: its id (None for the built-in default) and values."""

    id: int | None
    category_id: int | None
    mode: RuleMode
    low_stock_threshold: int
    lead_time_days: int
    review_period_days: int
    service_level: float


# ---------------------------------------------------------------- stock and forecasts


class LocationStock(Schema):
    """A variant's stock at one location."""

    location_id: int
    location_code: str
    on_hand: int
    reserved: int
    available: int


class StockItem(Schema):
    """A variant's live stock, alert status, days of cover and reorder suggestion."""

    variant_id: int
    product_id: int
    sku: str | None
    title: str
    variant_title: str
    category_id: int | None
    on_hand: int
    available: int
    locations: list[LocationStock]
    status: StockStatus
    rule: AppliedRule
    forecast_method: str | None
    #: Mean units per day over the next four weeks (0 without a forecast).
    daily_demand: float
    days_of_cover: float | None
    lead_time_demand: float
    safety_stock: float
    reorder_point: float
    order_up_to: float
    suggested_quantity: int


class ForecastPoint(Schema):
    """One period of a forecast: median (point), mean and interval bounds, in units."""

    start: dt.date
    point: float
    mean: float
    lower: float
    upper: float


class VariantForecast(Schema):
    """A variant's stored forecast, weekly or spread over days."""

    variant_id: int
    product_id: int
    run_id: int
    method: str
    frequency: str
    interval_level: float
    recent_4w: float
    recent_13w: float
    points: list[ForecastPoint]
