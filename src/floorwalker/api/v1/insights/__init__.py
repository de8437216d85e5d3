"""Retailer insight: stock, alerts, reorder, forecasts, stock rules, lost demand, analytics.

One router under /v1/insights, assembled from the modules of this package; its lifespan runs
the in-process insights jobs (see floorwalker.insights.jobs).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from floorwalker.api.v1.insights import analytics, demand, stock
from floorwalker.insights import jobs


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    scheduler = jobs.InsightsScheduler(app.state.db, app.state.settings)
    scheduler.start()
    try:
        yield
    finally:
        await scheduler.stop()


router = APIRouter(prefix="/insights", tags=["insights"], lifespan=_lifespan)
router.include_router(stock.router)
router.include_router(demand.router)
router.include_router(analytics.router)
