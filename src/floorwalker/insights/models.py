"""ORM models of the insights context: stock rules, stored forecasts, lost-demand signals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Base, BigId, IdMixin, StoreScoped, Timestamps


class StockRule(IdMixin, StoreScoped, Timestamps, Base):
    """When a variant counts as low on stock, for the whole store or one category (and below).

    `fixed`: available ≤ `low_stock_threshold`. `cover`: days of cover (available ÷ forecast
    daily demand) below `lead_time_days`; without a forecast it falls back to the threshold.
    Lead time, review period and service level also drive the reorder suggestions.
    """

    __tablename__ = "insight_stock_rules"
    __table_args__ = (UniqueConstraint("store_id", "category_id"),)

    #: None: the store's default rule.
    category_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("categories.id", ondelete="CASCADE"), default=None
    )
    #: fixed or cover.
    mode: Mapped[str] = mapped_column(String(16), default="fixed")
    low_stock_threshold: Mapped[int] = mapped_column(Integer, default=5)
    lead_time_days: Mapped[int] = mapped_column(Integer, default=14)
    #: Days between two orders to the supplier (the order-up-to level covers lead + review).
    review_period_days: Mapped[int] = mapped_column(Integer, default=7)
    #: Probability of not running out during a lead time, e.g. 0.95.
    service_level: Mapped[float] = mapped_column(Float, default=0.95)


class ForecastRun(IdMixin, StoreScoped, Base):
    """One run of the `insights.forecast` job for a store."""

    __tablename__ = "forecast_runs"
    __table_args__ = (Index("ix_forecast_runs_store_created", "store_id", "created_at"),)

    #: running, succeeded or failed.
    status: Mapped[str] = mapped_column(String(16), default="running")
    #: pooled or tsb (too little history for the pooled model); none when nothing sold.
    method: Mapped[str] = mapped_column(String(32), default="")
    #: The first day forecast (the day after the last full week of history), store time.
    starts_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    horizon_weeks: Mapped[int] = mapped_column(Integer, default=8)
    history_weeks: Mapped[int] = mapped_column(Integer, default=0)
    series: Mapped[int] = mapped_column(Integer, default=0)
    #: Digest of the sales history and parameters; an equal digest means nothing to redo.
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    interval_level: Mapped[float] = mapped_column(Float, default=0.9)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class DemandForecast(IdMixin, StoreScoped, Base):
    """A variant's weekly forecast from one run; daily values derive from the weekday shares."""

    __tablename__ = "demand_forecasts"
    __table_args__ = (
        UniqueConstraint("run_id", "variant_id"),
        Index("ix_demand_forecasts_store_variant", "store_id", "variant_id"),
    )

    run_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("forecast_runs.id", ondelete="CASCADE"), index=True
    )
    variant_id: Mapped[int] = mapped_column(BigId, ForeignKey("variants.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(32))
    #: Per week ahead: the median (point), the mean, and the interval bounds, in units.
    point: Mapped[list[Any]] = mapped_column(default=list)
    mean: Mapped[list[Any]] = mapped_column(default=list)
    lower: Mapped[list[Any]] = mapped_column(default=list)
    upper: Mapped[list[Any]] = mapped_column(default=list)
    #: Share of a week's demand on Monday … Sunday (sums to 1).
    weekday_shares: Mapped[list[Any]] = mapped_column(default=list)
    #: Units sold in the last 4 and 13 full weeks (context for the console).
    recent_4w: Mapped[float] = mapped_column(Float, default=0.0)
    recent_13w: Mapped[float] = mapped_column(Float, default=0.0)


class LostDemandSignal(IdMixin, StoreScoped, Base):
    """A shopper asked for something the store could not sell them.

    From searches (no or loosened results, or only out-of-stock matches) and from the
    assistant's conversations (asked for but out of stock, not carried, over budget, size or
    colour unavailable). `phrase` is what they asked, PII redacted.
    """

    __tablename__ = "lost_demand_signals"
    __table_args__ = (
        UniqueConstraint("store_id", "source", "source_ref"),
        Index("ix_lost_demand_store_occurred", "store_id", "occurred_at"),
    )

    #: search, conversation or api.
    source: Mapped[str] = mapped_column(String(16))
    #: The id of what it came from (an event id, a message id): recording twice is a no-op.
    source_ref: Mapped[str] = mapped_column(String(120))
    #: out_of_stock, not_carried, over_budget, size_unavailable, colour_unavailable,
    #: option_unavailable or poor_results.
    reason: Mapped[str] = mapped_column(String(24))
    occurred_at: Mapped[dt.datetime] = mapped_column()
    phrase: Mapped[str] = mapped_column(String(300), default="")
    product_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    variant_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    category_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    #: The option or attribute that could not be met ("size") and the value asked ("XL").
    attribute: Mapped[str | None] = mapped_column(String(64), default=None)
    attribute_value: Mapped[str | None] = mapped_column(String(120), default=None)
    #: The budget the shopper gave, in minor units of `currency`, for over_budget.
    budget: Mapped[int | None] = mapped_column(Integer, default=None)
    currency: Mapped[str | None] = mapped_column(String(3), default=None)


class InsightCursor(IdMixin, StoreScoped, Base):
    """How far a job has read a growing table (e.g. the last event id turned into signals)."""

    __tablename__ = "insight_cursors"
    __table_args__ = (UniqueConstraint("store_id", "name"),)

    name: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
