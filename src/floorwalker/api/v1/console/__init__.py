"""What the staff console needs beyond the resource APIs, composed from the contexts' services.

`/v1/console/dashboard` (every dashboard figure of a period in one call), the staff list of
conversations with filters and their transcripts (tool traffic, proposals, handoffs, the
shopper as the store knows them), variants ranked by forecast demand with each one's history,
forecast and stock plan, and the counts behind the navigation badges. Every route takes the
console session or an API key like the rest of `/v1`.
"""

from __future__ import annotations

from fastapi import APIRouter

from floorwalker.api.v1.console import conversations, dashboard, forecasts

router = APIRouter(prefix="/console", tags=["console"])
router.include_router(dashboard.router)
router.include_router(conversations.router)
router.include_router(forecasts.router)
