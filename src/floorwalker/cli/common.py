"""What every command shares: settings, the console, running async code, clean errors."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console

from floorwalker.config import Settings
from floorwalker.errors import AppError
from floorwalker.kit import fields
from floorwalker.kit.db import Database
from floorwalker.stores import service as store_service
from floorwalker.stores.models import Store

console = Console()
err_console = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


def validation_message(exc: ValidationError) -> str:
    """One line per problem: `field: message`."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()))
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts)


def load_settings() -> Settings:
    """Read settings from the environment; a bad configuration is a message, not a traceback."""
    try:
        settings = Settings()
    except ValidationError as exc:
        err_console.print(f"[red]Configuration error:[/red] {validation_message(exc)}")
        raise typer.Exit(2) from exc
    # Customer contact fields are encrypted with keys from the settings (docs/privacy.md).
    fields.configure(settings.secret_key.get_secret_value())
    return settings


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print an error and return the Exit to raise."""
    err_console.print(f"[red]Error:[/red] {message}")
    return typer.Exit(code)


def run_async(func: Callable[P, Coroutine[Any, Any, R]]) -> Callable[P, R]:
    """Run an async command body; AppErrors become a message and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return asyncio.run(func(*args, **kwargs))
        except AppError as exc:
            raise fail(f"{exc.detail} ({exc.code})") from exc

    return wrapper


async def with_database(settings: Settings, body: Callable[[Database], Awaitable[R]]) -> R:
    """Open the configured database, run `body`, close it."""
    db = Database.from_url(settings.resolved_database_url)
    try:
        return await body(db)
    finally:
        await db.dispose()


async def resolve_store(db: Database, ref: str) -> Store:
    """A store by slug or numeric id; a clear error if there is none."""
    async with db.reading() as session:
        store = await store_service.get_by_slug(session, ref)
        if store is None and ref.isdigit():
            store = await store_service.get(session, int(ref))
    if store is None:
        raise fail(f"no store {ref!r}; see `floorwalker stores list`")
    return store
