"""Analytics: conversations, topics, searches, recommendations, attribution, segments,
trending products."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from floorwalker.api.deps import ReadActor, SessionDep
from floorwalker.api.v1.insights.common import Format, From, To, csv_response
from floorwalker.insights import service as insights_service
from floorwalker.insights.analytics.schemas import (
    AttributionReport,
    ConversationReport,
    RecommendationReport,
    SearchReport,
    SegmentReport,
    TopicReport,
    TrendingReport,
)

router = APIRouter()


@router.get("/conversations", response_model=ConversationReport)
async def conversations(
    actor: ReadActor, session: SessionDep, start: From = None, end: To = None, fmt: Format = "json"
) -> ConversationReport | Response:
    """Report conversations: volume, automated resolution, handoffs and reasons, satisfaction."""
    result = await insights_service.conversation_report(session, actor, start=start, end=end)
    if fmt == "csv":
        return csv_response(result.days, "conversations-by-day")
    return result


@router.get("/topics", response_model=TopicReport)
async def topics(
    actor: ReadActor,
    session: SessionDep,
    start: From = None,
    end: To = None,
    limit: int = Query(default=20, ge=1, le=200),
    fmt: Format = "json",
) -> TopicReport | Response:
    """Report the top topics and intents of conversations."""
    result = await insights_service.topic_report(session, actor, start=start, end=end, limit=limit)
    if fmt == "csv":
        return csv_response(
            [{"kind": "topic", **t.model_dump()} for t in result.topics]
            + [{"kind": "intent", **t.model_dump()} for t in result.intents],
            "topics",
        )
    return result


@router.get("/searches", response_model=SearchReport)
async def searches(
    actor: ReadActor,
    session: SessionDep,
    start: From = None,
    end: To = None,
    limit: int = Query(default=20, ge=1, le=500),
    fmt: Format = "json",
) -> SearchReport | Response:
    """Report the top searches and the searches that found nothing."""
    result = await insights_service.search_report(session, actor, start=start, end=end, limit=limit)
    if fmt == "csv":
        return csv_response(
            [{"list": "top", **q.model_dump(mode="json")} for q in result.top]
            + [{"list": "zero_results", **q.model_dump(mode="json")} for q in result.zero_results],
            "searches",
        )
    return result


@router.get("/recommendations", response_model=RecommendationReport)
async def recommendations(
    actor: ReadActor,
    session: SessionDep,
    start: From = None,
    end: To = None,
    window_days: int = Query(default=7, ge=1, le=90, description="Days a click may convert in."),
    fmt: Format = "json",
) -> RecommendationReport | Response:
    """Report recommendation views, click-through and conversion by surface."""
    result = await insights_service.recommendation_report(
        session, actor, start=start, end=end, window_days=window_days
    )
    if fmt == "csv":
        return csv_response([result.total, *result.surfaces], "recommendations")
    return result


@router.get("/attribution", response_model=AttributionReport)
async def attribution(
    actor: ReadActor,
    session: SessionDep,
    start: From = None,
    end: To = None,
    window_hours: int = Query(default=168, ge=1, le=2160, description="Hours after a touch."),
    fmt: Format = "json",
) -> AttributionReport | Response:
    """Report orders and revenue that followed the assistant's recommendations or cart adds."""
    result = await insights_service.attribution_report(
        session, actor, start=start, end=end, window_hours=window_hours
    )
    if fmt == "csv":
        return csv_response(result.recent, "assistant-attributed-orders")
    return result


@router.get("/segments", response_model=SegmentReport)
async def segments(
    actor: ReadActor,
    session: SessionDep,
    end: To = None,
    lookback_days: int = Query(default=365, ge=1, le=1095),
    fmt: Format = "json",
) -> SegmentReport | Response:
    """Report customers by RFM segment (recency, frequency, monetary) as of a day."""
    result = await insights_service.segment_report(
        session, actor, end=end, lookback_days=lookback_days
    )
    if fmt == "csv":
        return csv_response(result.scores, "customer-segments")
    return result


@router.get("/trending", response_model=TrendingReport)
async def trending(
    actor: ReadActor,
    session: SessionDep,
    start: From = None,
    end: To = None,
    min_units: int = Query(default=3, ge=1, le=100_000),
    limit: int = Query(default=20, ge=1, le=500),
    fmt: Format = "json",
) -> TrendingReport | Response:
    """Report products selling more than in the previous period of the same length."""
    result = await insights_service.trending_report(
        session, actor, start=start, end=end, min_units=min_units, limit=limit
    )
    if fmt == "csv":
        return csv_response(result.products, "trending-products")
    return result
