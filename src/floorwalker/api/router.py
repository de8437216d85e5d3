"""All /v1 routes, one router per context."""

from __future__ import annotations

from fastapi import APIRouter

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
    recommendations,
    search,
    staff,
    stores,
    webhooks,
)

api_router = APIRouter(prefix="/v1")
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
