"""`floorwalker stores …`: tenants."""

from __future__ import annotations

import typer
from pydantic import ValidationError
from rich.table import Table

from floorwalker.cli.common import (
    console,
    fail,
    load_settings,
    run_async,
    validation_message,
    with_database,
)
from floorwalker.kit.db import Database
from floorwalker.stores import service as store_service
from floorwalker.stores.schemas import StoreCreate

app = typer.Typer(help="Stores (tenants): create and list.", no_args_is_help=True)


@app.command("create")
@run_async
async def create_command(
    slug: str = typer.Argument(..., help="Short unique name, e.g. `acme`."),
    name: str = typer.Option(..., "--name", help="The shop's name."),
    currency: str = typer.Option("USD", help="ISO 4217 currency code."),
    timezone: str = typer.Option("UTC", help="IANA display timezone."),
) -> None:
    """Create a store."""
    try:
        data = StoreCreate(slug=slug, name=name, currency=currency, timezone=timezone)
    except ValidationError as exc:
        raise fail(validation_message(exc)) from exc

    async def body(db: Database) -> None:
        async with db.transaction() as session:
            store = await store_service.create(session, data=data)
        console.print(f"Created store [bold]{store.slug}[/bold] (id {store.id}).")

    await with_database(load_settings(), body)


@app.command("list")
@run_async
async def list_command() -> None:
    """List every store."""

    async def body(db: Database) -> None:
        async with db.reading() as session:
            stores = await store_service.list_stores(session)
        table = Table("id", "slug", "name", "currency", "timezone")
        for store in stores:
            table.add_row(str(store.id), store.slug, store.name, store.currency, store.timezone)
        console.print(table)

    await with_database(load_settings(), body)
