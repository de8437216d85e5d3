"""Pages served by Floorwalker itself: the staff console (and, later, the widget and demo)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from floorwalker.web import demo_shop, storefront

STATIC_DIR = Path(__file__).parent / "static"

router = APIRouter(include_in_schema=False)


@router.get("/")
async def root() -> RedirectResponse:
    """Send visitors to the console."""
    return RedirectResponse("/console", status_code=307)


@router.get("/console")
async def console() -> FileResponse:
    """The staff console (a single page; it routes on the URL fragment)."""
    return FileResponse(STATIC_DIR / "console" / "index.html", headers=_NO_STORE)


_NO_STORE = {"Cache-Control": "no-store"}


def install_web(app: FastAPI) -> None:
    """Mount the static files and the page routes on an app."""
    # Before the /static mount: demo pictures are drawn on request under /static/demo/.
    app.include_router(storefront.router)
    app.include_router(demo_shop.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(router)
