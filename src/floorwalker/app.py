"""The HTTP composition root: `create_app(settings)` and its lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from floorwalker import __version__
from floorwalker.api.handlers import install_handlers
from floorwalker.api.router import api_router
from floorwalker.config import Settings
from floorwalker.kit.db import Database


def create_app(settings: Settings | None = None, *, database: Database | None = None) -> FastAPI:
    """Build the application. Nothing connects until the lifespan starts."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owns_db = database is None
        db = database or Database.from_url(settings.resolved_database_url, echo=settings.db_echo)
        app.state.db = db
        try:
            yield
        finally:
            if owns_db:
                await db.dispose()

    app = FastAPI(
        title="Floorwalker",
        version=__version__,
        summary="An open-source, self-hostable AI shopping assistant API.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_handlers(app)
    app.include_router(api_router)
    return app
