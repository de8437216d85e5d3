"""The console's dashboard in one call, and the counts behind the navigation badges."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.api.deps import ReadActor, SessionDep
from floorwalker.api.v1.insights.common import From, To
from floorwalker.assistant import service as assistant_service
from floorwalker.assistant.schemas import HandoffCounts
from floorwalker.insights import inventory
from floorwalker.insights import service as insights_service
from floorwalker.insights.analytics.schemas import (
    AttributionReport,
    ConversationReport,
    RecommendationReport,
    SearchReport,
    TopicReport,
    TrendingReport,
)
from floorwalker.insights.schemas import PeriodRead
from floorwalker.insights.stock import StockStatus
from floorwalker.kit.actor import Actor
from floorwalker.kit.schemas import Schema

router = APIRouter()

#: Rows of each ranked list the dashboard shows.
TOP = 10


class StockSummary(Schema):
    """Active variants by stock status now, and how many need reordering."""

    variants: int
    out_of_stock: int
    low_stock: int
    reorder: int


class Dashboard(Schema):
    """Every dashboard figure for one period (store dates): the insights reports as
    `/v1/insights/…` returns them, stock now and the handoff queue now."""

    period: PeriodRead
    conversations: ConversationReport
    topics: TopicReport
    searches: SearchReport
    recommendations: RecommendationReport
    attribution: AttributionReport
    trending: TrendingReport
    stock: StockSummary
    handoffs: HandoffCounts


async def stock_summary(session: AsyncSession, actor: Actor) -> StockSummary:
    """Count the store's active variants by stock status, and those to reorder."""
    items = await inventory.stock_items(session, actor)
    statuses = Counter(item.status for item in items)
    return StockSummary(
        variants=len(items),
        out_of_stock=statuses[StockStatus.OUT_OF_STOCK],
        low_stock=statuses[StockStatus.LOW_STOCK],
        reorder=sum(1 for item in items if item.suggested_quantity > 0),
    )


@router.get("/dashboard", response_model=Dashboard)
async def dashboard(
    actor: ReadActor, session: SessionDep, start: From = None, end: To = None
) -> Dashboard:
    """Read the dashboard of a period: conversations, topics, searches, recommendations,
    attributed orders, trending products, stock alerts and waiting handoffs."""
    conversations = await insights_service.conversation_report(session, actor, start=start, end=end)
    period = conversations.period
    first, last = period.start, period.end
    return Dashboard(
        period=period,
        conversations=conversations,
        topics=await insights_service.topic_report(
            session, actor, start=first, end=last, limit=TOP
        ),
        searches=await insights_service.search_report(
            session, actor, start=first, end=last, limit=TOP
        ),
        recommendations=await insights_service.recommendation_report(
            session, actor, start=first, end=last
        ),
        attribution=await insights_service.attribution_report(
            session, actor, start=first, end=last
        ),
        trending=await insights_service.trending_report(
            session, actor, start=first, end=last, limit=TOP
        ),
        stock=await stock_summary(session, actor),
        handoffs=await assistant_service.handoff_counts(session, actor),
    )


@router.get("/stock-summary", response_model=StockSummary)
async def read_stock_summary(actor: ReadActor, session: SessionDep) -> StockSummary:
    """Count active variants out of stock, low on stock, and to reorder, now."""
    return await stock_summary(session, actor)


@router.get("/badges", response_model=HandoffCounts)
async def badges(actor: ReadActor, session: SessionDep) -> HandoffCounts:
    """Count the handoffs waiting for someone and those being handled (the inbox badge)."""
    return await assistant_service.handoff_counts(session, actor)
