"""`floorwalker webhooks …`: dead letters and replays; outbound endpoints and their deliveries."""

from __future__ import annotations

import typer
from rich.table import Table

from floorwalker.cli.common import (
    console,
    load_settings,
    resolve_store,
    run_async,
    with_database,
)
from floorwalker.cli.connectors import encryptor_of
from floorwalker.connectors import inbound
from floorwalker.connectors import service as connectors_service
from floorwalker.connectors.delivery import deliver_due
from floorwalker.connectors.jobs import queue_writebacks
from floorwalker.connectors.schemas import EndpointCreate
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database

app = typer.Typer(
    help="Webhooks: dead letters and replays in; endpoints and deliveries out.",
    no_args_is_help=True,
)
endpoints_app = typer.Typer(
    help="Your endpoints that receive Floorwalker's webhooks.", no_args_is_help=True
)
app.add_typer(endpoints_app, name="endpoints")

StoreOption = typer.Option(..., "--store", "-s", help="Store slug or id.")


@app.command("dead-letters")
@run_async
async def dead_letters_command(
    store: str = StoreOption,
    status: str = typer.Option("open", "--status", help="open, resolved, discarded or all."),
) -> None:
    """List payloads that could not be applied."""

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        async with db.reading() as session:
            letters = await connectors_service.list_dead_letters(
                session,
                Actor.system(target.id, "cli"),
                status=None if status == "all" else status,
                limit=500,
            )
        table = Table("id", "received", "origin", "topic", "record", "attempts", "status", "error")
        for d in letters:
            table.add_row(
                str(d.id),
                d.created_at.strftime("%Y-%m-%d %H:%M"),
                d.origin,
                d.topic,
                d.external_id or "",
                str(d.attempts),
                d.status,
                d.error[:80],
            )
        console.print(table)

    await with_database(load_settings(), body)


@app.command("replay")
@run_async
async def replay_command(
    ids: list[int] = typer.Argument(None, help="Dead letter ids (default: every open one)."),
    store: str = StoreOption,
) -> None:
    """Apply dead letters again; each is resolved if it goes through now."""
    settings = load_settings()

    async def body(db: Database) -> int:
        target = await resolve_store(db, store)
        actor = Actor.system(target.id, "cli")
        chosen = list(ids or [])
        if not chosen:
            async with db.reading() as session:
                chosen = [
                    d.id
                    for d in await connectors_service.list_dead_letters(session, actor, limit=500)
                ]
        still_open = 0
        for letter_id in chosen:
            letter = await inbound.replay(db, encryptor_of(settings), actor, letter_id)
            console.print(
                f"{letter.id}: {letter.status}"
                + ("" if letter.status == "resolved" else f" ({letter.error})")
            )
            still_open += letter.status != "resolved"
        if not chosen:
            console.print("No open dead letters.")
        return still_open

    if await with_database(settings, body):
        raise typer.Exit(1)


@app.command("deliveries")
@run_async
async def deliveries_command(
    store: str = StoreOption,
    status: str | None = typer.Option(
        None, "--status", help="pending, delivered, failed or unsupported."
    ),
    limit: int = typer.Option(30, "--limit"),
) -> None:
    """The log of outbound webhooks and write-backs, newest first."""

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        async with db.reading() as session:
            rows = await connectors_service.list_deliveries(
                session, Actor.system(target.id, "cli"), status=status, limit=limit
            )
        table = Table(
            "id", "created", "target", "event", "status", "attempts", "next attempt", "last error"
        )
        for d in rows:
            table.add_row(
                str(d.id),
                d.created_at.strftime("%Y-%m-%d %H:%M"),
                d.target,
                d.event_type,
                d.status,
                str(d.attempts),
                d.next_attempt_at.strftime("%H:%M:%S") if d.next_attempt_at else "",
                (d.last_error or "")[:70],
            )
        console.print(table)

    await with_database(load_settings(), body)


@app.command("retry")
@run_async
async def retry_command(delivery_id: int = typer.Argument(...), store: str = StoreOption) -> None:
    """Queue a failed delivery again (the worker sends it on its next round)."""

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        async with db.transaction() as session:
            await connectors_service.retry_delivery(
                session, Actor.system(target.id, "cli"), delivery_id
            )
        console.print(f"Delivery {delivery_id} queued again.")

    await with_database(load_settings(), body)


@app.command("deliver")
@run_async
async def deliver_command(
    store: str | None = typer.Option(None, "--store", "-s", help="Only this store."),
) -> None:
    """Queue new order changes and send what is due, now (one round of the worker)."""
    settings = load_settings()

    async def body(db: Database) -> None:
        store_id = (await resolve_store(db, store)).id if store else None
        queued = await queue_writebacks(db, store_id)
        report = await deliver_due(db, encryptor_of(settings), store_id=store_id)
        console.print(
            f"Queued {queued}; attempted {report.attempted}: delivered {report.delivered}, "
            f"retrying {report.retrying}, failed {report.failed}, unsupported {report.unsupported}."
        )

    await with_database(settings, body)


@endpoints_app.command("add")
@run_async
async def add_endpoint_command(
    url: str = typer.Argument(..., help="https://… of yours."),
    store: str = StoreOption,
    event: list[str] = typer.Option(
        ["*"], "--event", "-e", help="Event type (repeatable; * for all)."
    ),
    description: str = typer.Option("", "--description"),
) -> None:
    """Add an endpoint and print its signing secret (shown only now)."""
    settings = load_settings()
    data = EndpointCreate(url=url, events=event, description=description)

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        async with db.transaction() as session:
            endpoint, secret = await connectors_service.create_endpoint(
                session, Actor.system(target.id, "cli"), data=data, encryptor=encryptor_of(settings)
            )
        console.print(
            f"Endpoint {endpoint.id} receives {', '.join(endpoint.events)}. Signing secret:"
        )
        console.print(secret, markup=False, highlight=False)

    await with_database(settings, body)


@endpoints_app.command("list")
@run_async
async def list_endpoints_command(store: str = StoreOption) -> None:
    """List the store's endpoints."""

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        async with db.reading() as session:
            endpoints = await connectors_service.list_endpoints(
                session, Actor.system(target.id, "cli")
            )
        table = Table("id", "url", "events", "active", "description")
        for e in endpoints:
            table.add_row(
                str(e.id), e.url, ", ".join(e.events), "yes" if e.active else "no", e.description
            )
        console.print(table)

    await with_database(load_settings(), body)


@endpoints_app.command("remove")
@run_async
async def remove_endpoint_command(
    endpoint_id: int = typer.Argument(...), store: str = StoreOption
) -> None:
    """Remove an endpoint and its delivery log."""

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        async with db.transaction() as session:
            await connectors_service.delete_endpoint(
                session, Actor.system(target.id, "cli"), endpoint_id
            )
        console.print(f"Removed endpoint {endpoint_id}.")

    await with_database(load_settings(), body)
