"""`floorwalker demo`: create (or reuse) the demo store, print keys and links, and serve it."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import secrets
import socket
import time
from dataclasses import dataclass

import typer
import uvicorn
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.app import create_app
from floorwalker.auth import service as auth_service
from floorwalker.auth import staff as staff_service
from floorwalker.auth.roles import Role
from floorwalker.auth.schemas import ApiKeyCreate, KeyKind, StaffUserCreate
from floorwalker.cli.common import console, fail, load_settings, with_database
from floorwalker.config import Settings
from floorwalker.database import upgrade
from floorwalker.demo import generator
from floorwalker.demo.build import (
    DEFAULT_SEED,
    DEMO_NAME,
    DEMO_SLUG,
    MAX_SCALE,
    anchor_for,
    build_plan,
    store_settings,
)
from floorwalker.demo.characters import PEOPLE
from floorwalker.errors import AppError
from floorwalker.kit.actor import Actor, Scope
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.logging import configure_logging
from floorwalker.recommend import jobs as recommend_jobs
from floorwalker.recommend.schemas import TrainOutcome, TrainStatus
from floorwalker.stores import service as store_service
from floorwalker.stores.schemas import StoreUpdate

_STEPS = {
    "catalog": "Inventing the catalog",
    "customers": "Inviting customers",
    "orders": "Taking thirteen months of orders",
    "events": "Recording browsing sessions",
    "writing": "Writing it to the database",
}


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def _generate(url: str, *, seed: int, scale: float, base_url: str) -> int:
    """Plan and write the demo store, showing progress; returns its id."""
    started = time.perf_counter()
    anchor = anchor_for(utcnow())
    planning = Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console
    )
    with planning:
        task: TaskID | None = None

        def step(name: str) -> None:
            nonlocal task
            if task is not None:
                planning.update(task, completed=1, total=1)
            task = planning.add_task(_STEPS.get(name, name), total=None)

        plan = build_plan(seed=seed, scale=scale, now=anchor, base_url=base_url, step=step)
        if task is not None:
            planning.update(task, completed=1, total=1)
    counts = plan.counts()
    writing = Progress(
        TextColumn("{task.description:<34}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )
    with writing:
        bar = writing.add_task(_STEPS["writing"], total=sum(counts.values()))
        written: dict[str, int] = {}

        def advance(table: str, done: int, _total: int) -> None:
            written[table] = done
            writing.update(bar, completed=sum(written.values()))

        store_id = generator.write_plan(
            url, plan, record=generator.record(seed=seed, scale=scale, now=anchor), progress=advance
        )
    console.print(
        f"{counts['products']:,} products, {counts['customers']:,} customers, "
        f"{counts['orders']:,} orders and {counts['events']:,} events "
        f"in {time.perf_counter() - started:.1f} s."
    )
    return store_id


#: The demo store's console owner; every run gives them a new password.
OWNER_EMAIL = "owner@alderandpine.example"
OWNER_NAME = "Demo Owner"


@dataclass(frozen=True, slots=True)
class Access:
    """What a run of `floorwalker demo` prints: keys and the console sign-in."""

    admin_key: str
    widget_key: str
    owner_email: str
    owner_password: str


async def _owner(session: AsyncSession, actor: Actor) -> str:
    """Create the demo owner, or give them a new password; returns the password."""
    password = secrets.token_urlsafe(12)
    users = await staff_service.list_users(session, actor)
    owner = next((user for user in users if user.email == OWNER_EMAIL), None)
    if owner is None:
        await staff_service.create_user(
            session,
            actor,
            data=StaffUserCreate(
                email=OWNER_EMAIL, name=OWNER_NAME, role=Role.OWNER, password=password
            ),
        )
    else:
        await staff_service.reset_password(session, actor, user_id=owner.id, password=password)
    return password


async def _access(settings: Settings, store_id: int) -> Access:
    """A fresh admin key, widget key and owner password, and storefront links at this run's
    address."""
    public = settings.resolved_public_url
    stamp = utcnow().strftime("%Y-%m-%d %H:%M")

    async def body(db: Database) -> Access:
        actor = Actor.system(store_id, "demo")
        async with db.transaction() as session:
            await store_service.update(
                session, actor, data=StoreUpdate(settings=store_settings(public))
            )
            _key, admin = await auth_service.create_key(
                session,
                actor,
                data=ApiKeyCreate(name=f"demo admin {stamp}", scopes=[Scope.ADMIN]),
            )
            _key, widget = await auth_service.create_key(
                session,
                actor,
                data=ApiKeyCreate(
                    name=f"demo widget {stamp}",
                    kind=KeyKind.PUBLISHABLE,
                    allowed_origins=[public],
                ),
            )
            password = await _owner(session, actor)
        return Access(admin, widget, OWNER_EMAIL, password)

    return await with_database(settings, body)


async def _train(settings: Settings, store_id: int) -> TrainOutcome:
    """Train the store's recommender now (a no-op when its data did not change)."""

    async def body(db: Database) -> TrainOutcome:
        return await recommend_jobs.train(db, settings, store_id=store_id)

    return await with_database(settings, body)


def _train_with_progress(settings: Settings, store_id: int) -> None:
    with console.status("Training the recommender…"):
        outcome = asyncio.run(_train(settings, store_id))
    if outcome.status is TrainStatus.TRAINED:
        console.print(
            f"Recommender trained: version {outcome.version}, {outcome.items:,} products, "
            f"{outcome.interactions:,} interactions in {outcome.seconds:.1f} s."
        )
    elif outcome.status is TrainStatus.UNCHANGED:
        console.print(f"Recommender up to date (version {outcome.version}).")
    else:
        console.print(f"[yellow]Recommender not trained: {outcome.status}.[/yellow]")


def _print_people() -> None:
    table = Table("customer", "e-mail", "what to try", title="Demo customers", show_lines=False)
    for person in PEOPLE:
        table.add_row(f"{person.first} {person.last}", person.email, person.story)
    console.print(table)


def demo_command(
    host: str | None = typer.Option(None, help="Bind address (default FLOORWALKER_HOST)."),
    port: int | None = typer.Option(None, help="Port (default FLOORWALKER_PORT)."),
    seed: int | None = typer.Option(
        None, help=f"Seed of the generated store (default {DEFAULT_SEED})."
    ),
    scale: float = typer.Option(
        1.0, min=0.01, max=MAX_SCALE, help="Size: 1 is ~2,200 products and 10,500 orders."
    ),
    reset: bool = typer.Option(
        False, "--reset", help="Delete the demo store and generate it anew."
    ),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve it when ready."),
) -> None:
    """Create the demo store (or reuse it), train its recommender, print keys, a console
    sign-in and the URLs, and serve it."""
    settings = load_settings()
    if host:
        settings.host = host
    if port:
        settings.port = port
    if serve and not _port_is_free(settings.host, settings.port):
        raise fail(f"port {settings.port} on {settings.host} is in use; pass --port")
    data_dir = settings.ensure_data_dir()
    url = settings.resolved_database_url
    console.print(f"Data directory [bold]{data_dir.resolve()}[/bold]; migrating the database…")
    upgrade(url)
    existing = generator.find(url, DEMO_SLUG)
    if existing is not None and existing.seed is None:
        # Someone's own store: never overwrite its settings, never delete it.
        raise fail(
            f"there is already a store {DEMO_SLUG!r} that `floorwalker demo` did not make; "
            "leaving it alone (use another database, e.g. FLOORWALKER_DATA_DIR=demo-data)"
        )
    if existing is not None and reset:
        console.print("Deleting the demo store (--reset)…")
        generator.delete_store(url, existing.store_id)
        existing = None
    if existing is None:
        store_id = _generate(
            url,
            seed=DEFAULT_SEED if seed is None else seed,
            scale=scale,
            base_url=settings.resolved_public_url,
        )
    else:
        store_id = existing.store_id
        made = f"seed {existing.seed}, scale {existing.scale}, history up to {existing.anchor}"
        console.print(f"Reusing the demo store ({made}); --reset makes a fresh one.")
        if (seed is not None and seed != existing.seed) or (
            scale != 1.0 and scale != existing.scale
        ):
            console.print("[yellow]--seed/--scale apply to a new store: add --reset.[/yellow]")
    try:
        access = asyncio.run(_access(settings, store_id))
        _train_with_progress(settings, store_id)
    except AppError as exc:
        raise fail(f"{exc.detail} ({exc.code})") from exc
    public = settings.resolved_public_url
    console.print(f"\n[bold]{DEMO_NAME}[/bold] is ready (store [bold]{DEMO_SLUG}[/bold]).")
    console.print(f"  API docs:     {public}/docs")
    console.print(f"  Storefront:   {public}/demo")
    console.print(f"  Console:      {public}/console")
    console.print(f"    store:      {DEMO_SLUG}")
    console.print(f"    e-mail:     {access.owner_email}")
    console.print("    password:   ", end="")
    console.print(access.owner_password, markup=False, highlight=False)
    console.print("  Admin key:    ", end="")
    console.print(access.admin_key, markup=False, highlight=False)
    console.print("  Widget key:   ", end="")
    console.print(access.widget_key, markup=False, highlight=False)
    console.print(
        f"  Try:          curl -H 'Authorization: Bearer <admin key>' {public}/v1/products"
    )
    _print_people()
    if not serve:
        return
    configure_logging(settings.log_level, json=settings.log_json)
    console.print(f"Serving at [bold]{public}[/bold] — press Ctrl-C to stop.")
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how a demo ends
        uvicorn.run(
            create_app(settings),
            host=settings.host,
            port=settings.port,
            log_level=settings.log_level.lower(),
            log_config=None,
        )
    console.print("Stopped.")
