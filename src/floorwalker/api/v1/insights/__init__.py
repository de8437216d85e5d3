"""Retailer insight: stock, alerts, reorder, forecasts, stock rules, lost demand, analytics.

One router under /v1/insights, assembled from the modules of this package (the scheduled
insights jobs are run by `floorwalker.jobs`).
"""

from __future__ import annotations

from fastapi import APIRouter

from floorwalker.api.v1.insights import analytics, demand, stock

router = APIRouter(prefix="/insights", tags=["insights"])
router.include_router(stock.router)
router.include_router(demand.router)
router.include_router(analytics.router)
