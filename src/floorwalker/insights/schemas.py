"""Pydantic schemas of the insights context: stock, forecasts, rules, jobs, lost demand."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from floorwalker.insights.stock import RuleMode, StockStatus
from floorwalker.kit.ids import MAX_ID
from floorwalker.kit.schemas import InputSchema, Schema


class JobStatus(StrEnum):
    """What a job run did."""

    DONE = "done"
    UNCHANGED = "unchanged"
    BUSY = "busy"
    NO_SALES = "no_sales"


class SignalSource(StrEnum):
    """Where a lost-demand signal came from."""

    SEARCH = "search"
    CONVERSATION = "conversation"
    API = "api"


class LostDemandOutcome(Schema):
    """The result of one `insights.lost_demand` run for a store."""

    store_id: int
    searches_read: int = 0
    answers_read: int = 0
    signals_added: int = 0


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

    category_id: int | None = Field(default=None, gt=0, le=MAX_ID)


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


# ---------------------------------------------------------------- lost demand and reports


class PeriodRead(Schema):
    """The dates a report covers (both included) in the store's timezone."""

    start: dt.date
    end: dt.date
    timezone: str


class LostDemandGroup(StrEnum):
    """How the lost-demand report groups signals."""

    REASON = "reason"
    PRODUCT = "product"
    CATEGORY = "category"
    ATTRIBUTE = "attribute"
    PHRASE = "phrase"


class LostDemandRow(Schema):
    """One group of the lost-demand report, with stock and forecast where it has a product."""

    key: str
    label: str
    signals: int
    reasons: dict[str, int]
    #: The most recent distinct phrases, PII redacted.
    examples: list[str]
    last_seen: dt.datetime
    product_id: int | None = None
    category_id: int | None = None
    attribute: str | None = None
    attribute_value: str | None = None
    #: Units available now over the group's variants (None when the group has no products).
    available: int | None = None
    #: Forecast mean units per week over the next four weeks, summed over the group's variants.
    forecast_weekly: float | None = None
    #: Variants the stock and forecast figures cover.
    variants: int | None = None


class LostDemandReport(Schema):
    """Lost demand in a period, grouped."""

    period: PeriodRead
    group_by: LostDemandGroup
    total_signals: int
    rows: list[LostDemandRow]


class LostDemandSignalIn(InputSchema):
    """A lost-demand signal recorded by the assistant or another system."""

    ref: str = Field(
        min_length=1,
        max_length=100,
        description="Your id for it; recording the same ref again does nothing.",
    )
    source: str = Field(default="api", pattern="^(api|conversation)$")
    reason: str = Field(
        pattern="^(out_of_stock|not_carried|over_budget|size_unavailable|colour_unavailable"
        "|option_unavailable|poor_results)$"
    )
    phrase: str = Field(min_length=1, max_length=500, description="What the shopper asked.")
    occurred_at: dt.datetime | None = Field(default=None, description="Default: now.")
    product_id: int | None = Field(default=None, gt=0, le=MAX_ID)
    variant_id: int | None = Field(default=None, gt=0, le=MAX_ID)
    attribute: str | None = Field(default=None, max_length=64)
    attribute_value: str | None = Field(default=None, max_length=120)
    budget: int | None = Field(default=None, ge=0, description="Minor units.")

    @model_validator(mode="after")
    def _aware(self) -> Self:
        if self.occurred_at is not None and self.occurred_at.tzinfo is None:
            raise ValueError("occurred_at needs a timezone offset")
        return self


class RecordedSignals(Schema):
    """How many signals were new and how many were already recorded."""

    added: int
    duplicates: int


class SalesPoint(Schema):
    """Units sold in one week (from its Monday) or one day, in the store's timezone."""

    start: dt.date
    units: int


class SalesHistory(Schema):
    """A variant's recent sales by week or by day, oldest first, up to the current period."""

    variant_id: int
    frequency: str
    timezone: str
    points: list[SalesPoint]
