"""The shopper-facing pages: `/widget.js`, the `/demo` storefront and its product pictures.

`/widget.js` is plain JavaScript served from the package (no build step): the widget's source
with its stylesheet inlined, so a shop adds one script tag and nothing else. The demo storefront
is a single page (`static/demo/`) that routes on the URL path; its data comes from the public
API (`/v1/search`) and from the development-only endpoints in `web/demo_shop.py`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from floorwalker.demo.images import svg_for_path
from floorwalker.errors import NotFound

STATIC_DIR = Path(__file__).parent / "static"
WIDGET_DIR = STATIC_DIR / "widget"
DEMO_PAGE = STATIC_DIR / "demo" / "index.html"

#: Where the widget's source says "put the stylesheet here" (a JSON string literal).
CSS_PLACEHOLDER = '"/*FLOORWALKER_CSS*/"'

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True)
class WidgetBundle:
    """The served script: source with the stylesheet inlined, gzipped once, and its validator."""

    body: bytes
    gzipped: bytes
    etag: str
    stamp: tuple[float, float]


_bundle: WidgetBundle | None = None


def widget_bundle() -> WidgetBundle:
    """The widget script, rebuilt when a source file changes (edits show on reload)."""
    global _bundle
    script, css = WIDGET_DIR / "widget.js", WIDGET_DIR / "widget.css"
    stamp = (script.stat().st_mtime, css.stat().st_mtime)
    if _bundle is None or _bundle.stamp != stamp:
        source = script.read_text(encoding="utf-8")
        if CSS_PLACEHOLDER not in source:
            raise RuntimeError("widget.js lost its stylesheet placeholder")
        styles = json.dumps(css.read_text(encoding="utf-8"), ensure_ascii=False)
        body = source.replace(CSS_PLACEHOLDER, styles, 1).encode("utf-8")
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        _bundle = WidgetBundle(
            body=body, gzipped=gzip.compress(body, 9, mtime=0), etag=etag, stamp=stamp
        )
    return _bundle


@router.get("/widget.js")
async def widget_script(request: Request) -> Response:
    """The shopper widget: one script tag with the store's publishable key."""
    bundle = widget_bundle()
    headers = {
        "ETag": bundle.etag,
        # Short: a shop picks up a new version within minutes; the ETag makes re-checks cheap.
        "Cache-Control": "public, max-age=300",
        # Shops that isolate their pages (COEP) may still load it from our origin.
        "Cross-Origin-Resource-Policy": "cross-origin",
        "X-Content-Type-Options": "nosniff",
        "Vary": "Accept-Encoding",
    }
    if request.headers.get("if-none-match") == bundle.etag:
        return Response(status_code=304, headers=headers)
    body = bundle.body
    if "gzip" in request.headers.get("accept-encoding", ""):
        body = bundle.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)


_PAGE_HEADERS = {"Cache-Control": "no-store"}


@router.get("/demo")
async def demo_home() -> FileResponse:
    """The demo storefront: the demo store's catalogue with the widget on every page."""
    return FileResponse(DEMO_PAGE, headers=_PAGE_HEADERS)


@router.get("/demo/products/{handle}")
async def demo_product(handle: str) -> FileResponse:
    """A product page of the demo storefront (the page loads the product by its handle)."""
    return FileResponse(DEMO_PAGE, headers=_PAGE_HEADERS)


@router.get("/demo/cart")
async def demo_cart() -> FileResponse:
    """The demo storefront's cart."""
    return FileResponse(DEMO_PAGE, headers=_PAGE_HEADERS)


@router.get("/demo/cart/{items}")
async def demo_cart_link(items: str) -> FileResponse:
    """The cart link the assistant gives (`variant:quantity` pairs), filling the demo cart."""
    return FileResponse(DEMO_PAGE, headers=_PAGE_HEADERS)


@router.get("/static/demo/{icon}/{colour}.svg")
async def demo_picture(icon: str, colour: str) -> Response:
    """A placeholder product picture of the demo store, drawn on request."""
    svg = svg_for_path(f"/static/demo/{icon}/{colour}.svg")
    if svg is None:
        raise NotFound("No such picture.", code="picture_not_found")
    return Response(
        svg,
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )
