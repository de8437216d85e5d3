"""`floorwalker keys …`: API keys of a store."""

from __future__ import annotations

import typer
from pydantic import ValidationError
from rich.table import Table

from floorwalker.auth import service as auth_service
from floorwalker.auth.schemas import ApiKeyCreate, KeyKind
from floorwalker.cli.common import (
    console,
    fail,
    load_settings,
    resolve_store,
    run_async,
    validation_message,
    with_database,
)
from floorwalker.kit.actor import Actor, Scope
from floorwalker.kit.db import Database

app = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)

StoreOption = typer.Option(..., "--store", "-s", help="Store slug or id.")


@app.command("create")
@run_async
async def create_command(
    store: str = StoreOption,
    name: str = typer.Option("cli", help="A name to tell the key apart."),
    scope: list[Scope] = typer.Option(
        [Scope.ADMIN], "--scope", help="admin, write or read (repeatable)."
    ),
    publishable: bool = typer.Option(
        False, "--publishable", help="A widget key for the storefront instead of a secret key."
    ),
    origin: list[str] = typer.Option(
        [], "--origin", help="Allowed origin of a publishable key (repeatable)."
    ),
) -> None:
    """Create an API key and print it (it is shown only once)."""
    kind = KeyKind.PUBLISHABLE if publishable else KeyKind.SECRET
    try:
        data = ApiKeyCreate(name=name, kind=kind, scopes=scope, allowed_origins=origin)
    except ValidationError as exc:
        raise fail(validation_message(exc)) from exc

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        async with db.transaction() as session:
            key, token = await auth_service.create_key(
                session, Actor.system(target.id, "cli"), data=data
            )
        console.print(f"Key {key.id} ({', '.join(key.scopes)}) for store {target.slug}:")
        console.print(token, markup=False, highlight=False)

    await with_database(load_settings(), body)


@app.command("list")
@run_async
async def list_command(store: str = StoreOption) -> None:
    """List a store's keys (never the keys themselves)."""

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        async with db.reading() as session:
            keys = await auth_service.list_keys(session, Actor.system(target.id, "cli"))
        table = Table("id", "name", "kind", "scopes", "prefix", "created", "revoked")
        for key in keys:
            table.add_row(
                str(key.id),
                key.name,
                key.kind,
                ",".join(key.scopes),
                key.prefix + "…",
                key.created_at.strftime("%Y-%m-%d %H:%M"),
                key.revoked_at.strftime("%Y-%m-%d %H:%M") if key.revoked_at else "",
            )
        console.print(table)

    await with_database(load_settings(), body)


@app.command("revoke")
@run_async
async def revoke_command(
    key_id: int = typer.Argument(..., help="The key's id (see `keys list`)."),
    store: str = StoreOption,
) -> None:
    """Revoke a key; it stops working immediately."""

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        async with db.transaction() as session:
            await auth_service.revoke(session, Actor.system(target.id, "cli"), key_id=key_id)
        console.print(f"Revoked key {key_id}.")

    await with_database(load_settings(), body)
