"""Pydantic schemas of the analytics reports."""

from __future__ import annotations

import datetime as dt

from floorwalker.insights.schemas import PeriodRead
from floorwalker.kit.schemas import Schema


class Count(Schema):
    """A label and how many."""

    key: str
    count: int


class ConversationDay(Schema):
    """One store day of conversations."""

    date: dt.date
    conversations: int
    handed_off: int
    resolved_automatically: int


class Resolution(Schema):
    """Automated resolution: settled conversations the assistant resolved on its own.

    Settled: closed, or no activity for 72 hours. Resolved automatically: settled, answered by
    the assistant, never handed off, and not reopened (the shopper did not come back after a
    pause of 30 minutes or more). `rate` = resolved_automatically / settled.
    """

    settled: int
    resolved_automatically: int
    pending: int
    rate: float | None


class Satisfaction(Schema):
    """Feedback on replies: helpful (+1) and not helpful (−1); rate = helpful share."""

    helpful: int
    not_helpful: int
    rate: float | None
    conversations_with_feedback: int


class ConversationReport(Schema):
    """Conversations started in the period."""

    period: PeriodRead
    conversations: int
    answered: int
    messages_from_shoppers: int
    by_channel: list[Count]
    by_status: list[Count]
    handed_off: int
    handoff_rate: float | None
    handoff_reasons: list[Count]
    resolution: Resolution
    satisfaction: Satisfaction
    prompt_tokens: int
    completion_tokens: int
    days: list[ConversationDay]


class Topic(Schema):
    """A topic (what the assistant had to do) or an intent, and how often."""

    key: str
    label: str
    conversations: int
    uses: int


class TopicReport(Schema):
    """What conversations were about: topics from the tools used; intents when recorded."""

    period: PeriodRead
    conversations: int
    topics: list[Topic]
    intents: list[Topic]


class QueryStat(Schema):
    """A search query (lower-cased, spaces collapsed) and what it found."""

    query: str
    searches: int
    zero_results: int
    average_results: float
    clicks: int
    last_seen: dt.datetime


class SearchReport(Schema):
    """Searches in the period."""

    period: PeriodRead
    searches: int
    distinct_queries: int
    zero_result_searches: int
    zero_result_rate: float | None
    clicks: int
    click_through_rate: float | None
    top: list[QueryStat]
    zero_results: list[QueryStat]


class SurfaceStat(Schema):
    """Recommendations on one surface: views, clicks and the purchases that followed."""

    surface: str
    views: int
    clicks: int
    click_through_rate: float | None
    converted_clicks: int
    conversion_rate: float | None
    revenue: int


class RecommendationReport(Schema):
    """Recommendation click-through and conversion in the period."""

    period: PeriodRead
    window_days: int
    currency: str
    total: SurfaceStat
    surfaces: list[SurfaceStat]


class AttributedOrder(Schema):
    """An order that followed an assistant recommendation or cart add."""

    order_id: int
    number: str
    customer_id: int
    placed_at: dt.datetime
    total: int
    matched_revenue: int
    product_ids: list[int]
    via: str


class AttributionReport(Schema):
    """Orders placed within the window after the assistant showed or added their products."""

    period: PeriodRead
    window_hours: int
    currency: str
    orders: int
    revenue: int
    attributed_orders: int
    attributed_revenue: int
    attributed_line_revenue: int
    order_share: float | None
    revenue_share: float | None
    by_recommendation: int
    by_cart_add: int
    recent: list[AttributedOrder]


class SegmentStat(Schema):
    """One RFM segment."""

    segment: str
    customers: int
    share: float
    average_recency_days: float
    average_orders: float
    average_spend: float
    revenue: int


class CustomerScore(Schema):
    """A customer's RFM values, scores (1–5) and segment."""

    customer_id: int
    recency_days: int
    orders: int
    spend: int
    r: int
    f: int
    m: int
    segment: str


class SegmentReport(Schema):
    """Customers by RFM segment as of the period's last day."""

    as_of: dt.date
    lookback_days: int
    currency: str
    customers: int
    segments: list[SegmentStat]
    scores: list[CustomerScore]


class TrendingProduct(Schema):
    """A product selling (or viewed) more in the period than in the one before."""

    product_id: int
    title: str
    units: int
    units_before: int
    growth: float
    views: int
    views_before: int
    revenue: int


class TrendingReport(Schema):
    """Products by growth of units sold against the previous period of equal length."""

    period: PeriodRead
    previous: PeriodRead
    min_units: int
    products: list[TrendingProduct]
