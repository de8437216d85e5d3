"""`floorwalker serve`: run the HTTP service."""

from __future__ import annotations

import typer
import uvicorn
from fastapi import FastAPI

from floorwalker.app import create_app
from floorwalker.cli.common import console, load_settings
from floorwalker.database import upgrade
from floorwalker.logging import configure_logging


def serve_command(
    host: str | None = typer.Option(None, help="Bind address (default FLOORWALKER_HOST)."),
    port: int | None = typer.Option(None, help="Port (default FLOORWALKER_PORT)."),
    workers: int = typer.Option(1, min=1, help="Worker processes."),
    migrate: bool = typer.Option(True, help="Apply pending migrations first."),
) -> None:
    """Serve the API, the widget and the console."""
    settings = load_settings()
    if host:
        settings.host = host
    if port:
        settings.port = port
    settings.ensure_data_dir()
    configure_logging(settings.log_level, json=settings.log_json)
    if migrate:
        upgrade(settings.resolved_database_url)
    console.print(f"Floorwalker at [bold]{settings.resolved_public_url}[/bold]")
    if workers > 1:
        uvicorn.run(
            "floorwalker.cli.serve:worker_app",
            factory=True,
            log_config=None,
            host=settings.host,
            port=settings.port,
            workers=workers,
            log_level=settings.log_level.lower(),
        )
    else:
        uvicorn.run(
            create_app(settings),
            host=settings.host,
            port=settings.port,
            # Ours (configure_logging above): JSON or text, with PII redacted, for every line.
            log_config=None,
            log_level=settings.log_level.lower(),
        )


def worker_app() -> FastAPI:
    """The app of one of several server processes, its logging configured like the parent's."""
    settings = load_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    return create_app(settings)
