"""`floorwalker staff …`: console users of a store."""

from __future__ import annotations

import typer
from pydantic import ValidationError
from rich.table import Table

from floorwalker.auth import staff as staff_service
from floorwalker.auth.roles import Role
from floorwalker.auth.schemas import StaffUserCreate
from floorwalker.cli.common import (
    console,
    fail,
    load_settings,
    resolve_store,
    run_async,
    validation_message,
    with_database,
)
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database

app = typer.Typer(
    help="Console staff users: create, list, disable, reset a password.", no_args_is_help=True
)

StoreOption = typer.Option(..., "--store", "-s", help="Store slug or id.")


@app.command("create")
@run_async
async def create_command(
    email: str = typer.Argument(..., help="The person's e-mail (their sign-in name)."),
    store: str = StoreOption,
    role: Role = typer.Option(Role.AGENT, help="owner, admin, agent or analyst."),
    name: str = typer.Option("", help="Display name."),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, help="At least 10 characters."
    ),
) -> None:
    """Add a staff user who can sign in to the console."""
    try:
        data = StaffUserCreate(email=email, name=name, role=role, password=password)
    except ValidationError as exc:
        raise fail(validation_message(exc)) from exc

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        async with db.transaction() as session:
            user = await staff_service.create_user(
                session, Actor.system(target.id, "cli"), data=data
            )
        console.print(f"Created {user.role} {user.email} (id {user.id}) for store {target.slug}.")

    await with_database(load_settings(), body)


@app.command("list")
@run_async
async def list_command(store: str = StoreOption) -> None:
    """List a store's staff users."""

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        async with db.reading() as session:
            users = await staff_service.list_users(session, Actor.system(target.id, "cli"))
        table = Table("id", "email", "name", "role", "last sign-in", "disabled")
        for user in users:
            table.add_row(
                str(user.id),
                user.email,
                user.name,
                user.role,
                user.last_login_at.strftime("%Y-%m-%d %H:%M") if user.last_login_at else "",
                "yes" if user.disabled_at else "",
            )
        console.print(table)

    await with_database(load_settings(), body)


@app.command("disable")
@run_async
async def disable_command(
    user_id: int = typer.Argument(..., help="The user's id (see `staff list`)."),
    store: str = StoreOption,
) -> None:
    """Disable a staff user; their sessions end at once."""

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        async with db.transaction() as session:
            await staff_service.disable_user(
                session, Actor.system(target.id, "cli"), user_id=user_id
            )
        console.print(f"Disabled staff user {user_id}.")

    await with_database(load_settings(), body)


@app.command("reset-password")
@run_async
async def reset_password_command(
    user_id: int = typer.Argument(..., help="The user's id (see `staff list`)."),
    store: str = StoreOption,
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, help="At least 10 characters."
    ),
) -> None:
    """Give a staff user a new password (and enable them again); their sessions end at once."""

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        async with db.transaction() as session:
            user = await staff_service.reset_password(
                session, Actor.system(target.id, "cli"), user_id=user_id, password=password
            )
        console.print(f"New password set for {user.email}; their sessions have ended.")

    await with_database(load_settings(), body)
