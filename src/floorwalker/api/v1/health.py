"""Health check."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from floorwalker import __version__
from floorwalker.api.deps import DatabaseDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """Whether the service and its database answer."""

    status: str
    database: str
    version: str


@router.get("/health", response_model=Health)
async def health(db: DatabaseDep) -> Health:
    """Report that the service is up and its database answers."""
    async with db.reading() as session:
        await session.execute(text("SELECT 1"))
    return Health(status="ok", database=db.dialect, version=__version__)
