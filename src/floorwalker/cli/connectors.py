"""`floorwalker connectors …`: connect platforms, sync them, read the history, run the worker."""

from __future__ import annotations

import asyncio

import typer
from pydantic import ValidationError
from rich.table import Table

from floorwalker.cli.common import (
    console,
    err_console,
    fail,
    load_settings,
    resolve_store,
    run_async,
    validation_message,
    with_database,
)
from floorwalker.config import Settings
from floorwalker.connectors import jobs, registry
from floorwalker.connectors import service as connectors_service
from floorwalker.connectors.schemas import ConnectionCreate, ConnectionUpdate
from floorwalker.connectors.sync import sync_connection
from floorwalker.kit.actor import Actor
from floorwalker.kit.crypto import Encryptor
from floorwalker.kit.db import Database

app = typer.Typer(help="Platform connections: add, list, sync, remove.", no_args_is_help=True)

StoreOption = typer.Option(..., "--store", "-s", help="Store slug or id.")


def encryptor_of(settings: Settings) -> Encryptor:
    """The connectors' encryptor for the configured secret key."""
    return connectors_service.connector_encryptor(settings.secret_key.get_secret_value())


def _pairs(values: list[str], what: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for value in values:
        key, sep, item = value.partition("=")
        if not sep or not key.strip():
            raise fail(f"{what} must look like name=value, got {value!r}")
        pairs[key.strip()] = item
    return pairs


@app.command("add")
@run_async
async def add_command(
    store: str = StoreOption,
    platform: str = typer.Option(..., "--platform", "-p", help="shopify or woocommerce."),
    name: str = typer.Option(..., "--name", "-n", help="A short name, e.g. main-shop."),
    url: str = typer.Option(
        ..., "--url", help="https://<shop>.myshopify.com or the site's address."
    ),
    credential: list[str] = typer.Option(
        [], "--credential", help="name=value (asked for when left out, without echo)."
    ),
    webhook_secret: str | None = typer.Option(
        None, "--webhook-secret", help="The secret the platform signs webhooks with."
    ),
    source: str | None = typer.Option(
        None, "--source", help="Source of the records (default: the platform)."
    ),
    setting: list[str] = typer.Option([], "--setting", help="name=value, e.g. page_size=50."),
) -> None:
    """Connect a store to Shopify or WooCommerce; credentials are stored encrypted."""
    if platform not in registry.REQUIRED_CREDENTIALS:
        raise fail(f"unknown platform {platform!r}; use one of {', '.join(registry.platforms())}")
    credentials = _pairs(credential, "--credential")
    for needed in registry.REQUIRED_CREDENTIALS[platform]:
        if needed not in credentials:
            credentials[needed] = typer.prompt(needed, hide_input=True)
    try:
        data = ConnectionCreate(
            platform=platform,
            name=name,
            base_url=url,
            source=source,
            credentials=credentials,
            webhook_secret=webhook_secret,
            settings=_pairs(setting, "--setting"),
        )
    except ValidationError as exc:
        raise fail(validation_message(exc)) from exc
    settings = load_settings()

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        async with db.transaction() as session:
            connection = await connectors_service.add_connection(
                session, Actor.system(target.id, "cli"), data=data, encryptor=encryptor_of(settings)
            )
        read = connectors_service.to_read(connection)
        console.print(f"Connected {platform} as {connection.name!r} (id {connection.id}).")
        if read.webhooks_enabled:
            console.print(
                f"Webhook address: {settings.resolved_public_url}{read.webhook_path}",
                soft_wrap=True,
            )
        else:
            console.print("No webhook secret given: webhooks are refused until one is set.")
        console.print(
            f"Next: floorwalker connectors sync {connection.name} --store {target.slug} --full"
        )

    await with_database(settings, body)


@app.command("list")
@run_async
async def list_command(store: str = StoreOption) -> None:
    """List a store's connections and their sync state."""
    settings = load_settings()

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        async with db.reading() as session:
            connections = await connectors_service.list_connections(
                session, Actor.system(target.id, "cli")
            )
        table = Table(
            "id", "name", "platform", "source", "status", "last sync", "last error", "webhook path"
        )
        for c in connections:
            read = connectors_service.to_read(c)
            table.add_row(
                str(c.id),
                c.name,
                c.platform,
                c.source,
                c.status,
                c.last_sync_at.strftime("%Y-%m-%d %H:%M") if c.last_sync_at else "never",
                (c.last_error or "")[:60],
                read.webhook_path if read.webhooks_enabled else "(no secret)",
            )
        console.print(table)

    await with_database(settings, body)


@app.command("sync")
@run_async
async def sync_command(
    name: str = typer.Argument(..., help="The connection's name or id."),
    store: str = StoreOption,
    resource: list[str] = typer.Option(
        [],
        "--resource",
        "-r",
        help="locations, products, inventory, customers or orders (repeatable).",
    ),
    full: bool = typer.Option(
        False, "--full", help="Everything, not only what changed since the last sync."
    ),
) -> None:
    """Sync a connection now and print what changed."""
    settings = load_settings()

    async def body(db: Database) -> bool:
        target = await resolve_store(db, store)
        with err_console.status(f"Syncing {name}…"):
            result = await sync_connection(
                db,
                encryptor_of(settings),
                Actor.system(target.id, "cli"),
                name,
                resources=resource or None,
                full=full,
            )
        table = Table(
            "resource",
            "status",
            "created",
            "updated",
            "unchanged",
            "stale",
            "failed",
            title=f"Sync of {result.connection}",
        )
        for r in result.resources:
            table.add_row(
                r.resource,
                r.status,
                str(r.created),
                str(r.updated),
                str(r.unchanged),
                str(r.stale),
                str(r.failed),
            )
        console.print(table)
        return all(r.status == "succeeded" for r in result.resources)

    if not await with_database(settings, body):
        err_console.print(
            "Not everything went through: see `floorwalker connectors runs` and "
            "`floorwalker webhooks dead-letters`."
        )
        raise typer.Exit(1)


@app.command("runs")
@run_async
async def runs_command(store: str = StoreOption, limit: int = typer.Option(20, "--limit")) -> None:
    """Show the latest imports and syncs with their counts."""
    settings = load_settings()

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        async with db.reading() as session:
            runs = await connectors_service.list_runs(
                session, Actor.system(target.id, "cli"), limit=limit
            )
        table = Table("id", "started", "source", "kind", "resource", "status", "new/upd/same/fail")
        for run in runs:
            table.add_row(
                str(run.id),
                run.started_at.strftime("%m-%d %H:%M"),
                run.source,
                run.kind,
                run.resource,
                run.status,
                f"{run.created}/{run.updated}/{run.unchanged}/{run.failed}",
            )
        console.print(table)

    await with_database(settings, body)


async def _set_status(store: str, name: str, status: str) -> None:
    settings = load_settings()

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        async with db.transaction() as session:
            await connectors_service.update_connection(
                session,
                Actor.system(target.id, "cli"),
                name,
                data=ConnectionUpdate(status=status),
                encryptor=encryptor_of(settings),
            )
        console.print(f"Connection {name} is {status}.")

    await with_database(settings, body)


@app.command("pause")
@run_async
async def pause_command(name: str = typer.Argument(...), store: str = StoreOption) -> None:
    """Stop syncing a connection and refuse its webhooks."""
    await _set_status(store, name, "paused")


@app.command("resume")
@run_async
async def resume_command(name: str = typer.Argument(...), store: str = StoreOption) -> None:
    """Resume a paused connection."""
    await _set_status(store, name, "active")


@app.command("remove")
@run_async
async def remove_command(
    name: str = typer.Argument(..., help="The connection's name or id."),
    store: str = StoreOption,
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Remove a connection (the records it imported stay)."""
    if not yes and not typer.confirm(f"Remove connection {name}?"):
        raise typer.Exit(1)
    settings = load_settings()

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        async with db.transaction() as session:
            removed = await connectors_service.remove_connection(
                session, Actor.system(target.id, "cli"), name
            )
        console.print(f"Removed connection {removed.name}.")

    await with_database(settings, body)


@app.command("worker")
def worker_command(
    interval: float = typer.Option(5.0, "--interval", help="Seconds between rounds."),
    once: bool = typer.Option(False, "--once", help="Run one round and exit."),
) -> None:
    """Run the connector jobs: write-back queueing, deliveries and scheduled syncs."""
    settings = load_settings()

    async def main() -> None:
        db = Database.from_url(settings.resolved_database_url)
        try:
            if once:
                result = await jobs.run_once(db, encryptor_of(settings))
                console.print(
                    f"Queued {result.queued}, attempted {result.deliveries.attempted} "
                    f"(delivered {result.deliveries.delivered}), synced {result.synced}."
                )
            else:
                console.print(f"Connector worker running every {interval:g} s (Ctrl-C stops it).")
                await jobs.run_forever(db, encryptor_of(settings), interval=interval)
        finally:
            await db.dispose()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        console.print("Stopped.")
