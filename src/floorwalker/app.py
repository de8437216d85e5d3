"""The HTTP composition root: `create_app(settings)` and its lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from floorwalker import __version__
from floorwalker.api.handlers import install_handlers
from floorwalker.api.middleware import (
    AddressRateLimitMiddleware,
    BodySizeLimitMiddleware,
    PublicCorsMiddleware,
)
from floorwalker.api.router import api_router
from floorwalker.auth.ratelimit import build_rate_limiter
from floorwalker.config import JobsMode, Settings
from floorwalker.jobs import build_jobs
from floorwalker.kit import fields, heap
from floorwalker.kit.db import Database
from floorwalker.kit.schedule import Scheduler
from floorwalker.web.routes import install_web


def create_app(settings: Settings | None = None, *, database: Database | None = None) -> FastAPI:
    """Build the application. Nothing connects until the lifespan starts."""
    settings = settings or Settings()
    # Customer contact fields are encrypted with keys from the settings (docs/privacy.md).
    fields.configure(settings.secret_key.get_secret_value())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owns_db = database is None
        db = database or Database.from_url(settings.resolved_database_url, echo=settings.db_echo)
        app.state.db = db
        # Everything imported and built so far lives as long as the process.
        heap.freeze_long_lived()
        # The background jobs, unless they run in `floorwalker worker` (FLOORWALKER_JOBS=off).
        jobs = Scheduler(build_jobs(settings, db)) if settings.jobs is JobsMode.IN_PROCESS else None
        app.state.jobs = jobs
        if jobs is not None:
            jobs.start()
        try:
            yield
        finally:
            if jobs is not None:
                await jobs.stop()
            await app.state.rate_limiter.close()
            if owns_db:
                await db.dispose()

    app = FastAPI(
        title="Floorwalker",
        version=__version__,
        summary="An open-source, self-hostable AI shopping assistant API.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.rate_limiter = build_rate_limiter(settings.redis_url)
    install_handlers(app)
    # Added innermost first: CORS wraps everything so even 413/429 answers are readable.
    app.add_middleware(
        AddressRateLimitMiddleware,
        limiter=app.state.rate_limiter,
        per_minute=settings.rate_limit_per_ip,
        trust_proxy=settings.trust_proxy_headers,
    )
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(PublicCorsMiddleware)
    app.include_router(api_router)
    install_web(app)
    return app
