"""One place turns every failure into a JSON body `{"error": code, "detail": ...}`."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from floorwalker.errors import AppError, RateLimited

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "request_too_large",
    415: "unsupported_media_type",
    # Raised by the request guard while the body is read (see api/middleware.py).
    422: "nul_character",
    429: "rate_limited",
}


def error_response(
    status: int, body: dict[str, Any], headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """A JSON error response."""
    return JSONResponse(status_code=status, content=jsonable_encoder(body), headers=headers)


async def _app_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    if exc.status == 401:
        headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
    return error_response(exc.status, exc.to_dict(), headers)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {
            "loc": [str(part) for part in err.get("loc", ())],
            "msg": str(err.get("msg", "")),
            "type": str(err.get("type", "")),
        }
        for err in exc.errors()
    ]
    return error_response(
        422,
        {"error": "validation_error", "detail": "The request is not valid.", "errors": problems},
    )


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    detail = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    return error_response(exc.status_code, {"error": code, "detail": detail}, exc.headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # The standard library's formatter (not structlog's default pretty renderer, which can hold
    # the event loop for seconds) renders the traceback; the path carries no customer data.
    logging.getLogger("floorwalker.api").error(
        "unhandled error on %s %s", request.method, request.url.path, exc_info=exc
    )
    return error_response(
        500, {"error": "internal_error", "detail": "Something went wrong on our side."}
    )


def install_handlers(app: FastAPI) -> None:
    """Register the error handlers on an app."""
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
