"""All /v1 routes, one router per context."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from floorwalker.api.access import audit_access
from floorwalker.api.v1 import (
    catalog,
    connectors,
    console,
    conversations,
    customers,
    events,
    handoffs,
    health,
    insights,
    inventory,
    knowledge,
    orders,
    privacy,
    recommendations,
    search,
    staff,
    stores,
    webhooks,
)

# Every back-office read of customer data is recorded in the audit log (api/access.py).
api_router = APIRouter(prefix="/v1", dependencies=[Depends(audit_access, scope="function")])
api_router.include_router(health.router)
api_router.include_router(stores.router)
api_router.include_router(staff.router)
api_router.include_router(events.router)
api_router.include_router(search.router)
api_router.include_router(catalog.router)
api_router.include_router(inventory.router)
api_router.include_router(customers.router)
api_router.include_router(knowledge.router)
api_router.include_router(orders.router)
api_router.include_router(conversations.router)
api_router.include_router(handoffs.router)
api_router.include_router(recommendations.router)
api_router.include_router(connectors.router)
api_router.include_router(webhooks.router)
api_router.include_router(insights.router)
api_router.include_router(console.router)
api_router.include_router(privacy.router)
