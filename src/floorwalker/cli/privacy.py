"""`floorwalker privacy …`: export, erase, purge, platform requests, receipts, key rotation."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from floorwalker.cli.common import (
    console,
    err_console,
    fail,
    load_settings,
    resolve_store,
    run_async,
    with_database,
)
from floorwalker.kit import rotation
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.models import metadata
from floorwalker.privacy import jobs
from floorwalker.privacy import service as privacy_service
from floorwalker.privacy.errors import ErasureBlocked
from floorwalker.privacy.schemas import Origin

app = typer.Typer(
    help="Privacy: export or erase a customer, purge old data, answer platform requests, "
    "rotate the encryption keys.",
    no_args_is_help=True,
)

StoreOption = typer.Option(..., "--store", "-s", help="Store slug or id.")
CustomerOption = typer.Option(..., "--customer", "-c", help="Customer id or e-mail.")


def _actor(store_id: int) -> Actor:
    return Actor.system(store_id, "cli")


@app.command("export")
@run_async
async def export_command(
    store: str = StoreOption,
    customer: str = CustomerOption,
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file instead of standard output."
    ),
) -> None:
    """Print everything held about a customer as one JSON document (recorded, with a receipt)."""

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        actor = _actor(target.id)
        async with db.transaction() as session:
            found = await privacy_service.resolve_customer(session, actor, customer)
            document, receipt = await privacy_service.export_customer(
                session, actor, customer_id=found.id, origin=Origin.CLI
            )
        text = json.dumps(document, indent=2, ensure_ascii=False)
        if output is None:
            typer.echo(text)
        else:
            output.write_text(text + "\n", encoding="utf-8")
        err_console.print(f"Exported customer {found.id} (receipt {receipt.public_id}).")

    await with_database(load_settings(), body)


@app.command("erase")
@run_async
async def erase_command(
    store: str = StoreOption,
    customer: str = CustomerOption,
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    force: bool = typer.Option(
        False, "--force", help="Erase even with orders in progress (their addresses go too)."
    ),
) -> None:
    """Erase everything held about a customer; prints the receipt. Cannot be undone."""

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        actor = _actor(target.id)
        async with db.reading() as session:
            found = await privacy_service.resolve_customer(session, actor, customer)
            preview = await privacy_service.preview_erasure(session, actor, customer_id=found.id)
        console.print(
            f"Customer {found.id}: {preview.orders} orders "
            f"({'anonymised' if preview.keep_order_financials else 'deleted'}), "
            f"{preview.conversations} conversations, {preview.events} events, "
            f"{preview.imported_interactions} imported interactions."
        )
        if preview.open_order_ids and not force:
            raise ErasureBlocked(preview.open_order_ids)
        confirm = preview.confirm_with
        if not yes:
            typed = typer.prompt(f"Type {confirm} to erase this customer for good")
            if typed.strip().lower() != confirm.lower():
                raise fail("Not confirmed; nothing was erased.")
        async with db.transaction() as session:
            receipt = await privacy_service.erase_customer(
                session,
                actor,
                customer_id=found.id,
                origin=Origin.CLI,
                confirm=confirm,
                force=force,
            )
        console.print(f"Erased customer {found.id}. Receipt {receipt.public_id}:")
        console.print_json(json.dumps(receipt.counts))

    await with_database(load_settings(), body)


@app.command("purge")
@run_async
async def purge_command(
    store: str | None = typer.Option(None, "--store", "-s", help="One store (default: all)."),
) -> None:
    """Delete conversations and events older than each store's retention (`privacy.purge`)."""

    async def body(db: Database) -> None:
        if store is None:
            results = await jobs.purge_all(db)
        else:
            target = await resolve_store(db, store)
            results = [await jobs.purge_store(db, store_id=target.id, origin=Origin.CLI)]
        table = Table("store", "conversations deleted", "events deleted")
        for result in results:
            table.add_row(str(result.store_id), str(result.conversations), str(result.events))
        console.print(table)

    await with_database(load_settings(), body)


@app.command("requests")
@run_async
async def requests_command(
    store: str = StoreOption,
    process: bool = typer.Option(False, "--process", help="Answer the pending ones now."),
) -> None:
    """List platforms' privacy requests (Shopify's privacy webhooks); answer pending ones."""

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        actor = _actor(target.id)
        if process:
            answers = await jobs.answer_platform_requests(db, store_id=target.id)
            console.print(f"Answered {len({a.platform_request_id for a in answers})} requests.")
        async with db.reading() as session:
            rows = await privacy_service.list_platform_requests(session, actor)
        table = Table("id", "kind", "customer", "status", "received", "receipt", "detail")
        for row in rows:
            table.add_row(
                str(row.id),
                row.kind,
                str(row.customer_id or row.customer_external_id or ""),
                row.status,
                row.received_at.strftime("%Y-%m-%d %H:%M"),
                row.receipt_id or "",
                row.detail,
            )
        console.print(table)

    await with_database(load_settings(), body)


@app.command("receipts")
@run_async
async def receipts_command(
    store: str = StoreOption,
    limit: int = typer.Option(50, min=1, max=500, help="How many, newest first."),
) -> None:
    """List the receipts of exports, erasures and purges, newest first."""

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        async with db.reading() as session:
            rows = await privacy_service.list_receipts(session, _actor(target.id), limit=limit)
        table = Table("receipt", "kind", "origin", "by", "customer", "at", "counts")
        for row in rows:
            table.add_row(
                row.public_id,
                row.kind,
                row.origin,
                row.requested_by,
                str(row.customer_id or ""),
                row.requested_at.strftime("%Y-%m-%d %H:%M"),
                json.dumps(row.counts, separators=(",", ":")),
            )
        console.print(table)

    await with_database(load_settings(), body)


@app.command("rotate-keys")
@run_async
async def rotate_keys_command(
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    batch: int = typer.Option(500, min=1, max=10_000, help="Rows per transaction."),
) -> None:
    """Re-encrypt everything stored encrypted with the first key of FLOORWALKER_SECRET_KEY.

    Customers' and orders' personal data (and their e-mail lookups), platform credentials and
    webhook secrets, outbound webhook secrets, stores' identity secrets and the assistant's
    vaults. Put the new key first and the old one after it (comma-separated), run this, then
    drop the old key. Nothing changes if a value opens with no key; an interrupted run is
    finished by running it again, and a run after a complete one rewrites nothing.
    """
    settings = load_settings()
    if not yes and not typer.confirm("Re-encrypt everything stored encrypted now?"):
        raise fail("Nothing was changed.")

    async def body(db: Database) -> None:
        try:
            result = await jobs.rotate_keys(
                db, metadata, secret_keys=settings.secret_key.get_secret_value(), batch=batch
            )
        except rotation.KeysMissing as exc:
            for where in exc.failures:
                err_console.print(f"Cannot decrypt {where}.")
            if exc.total > len(exc.failures):
                err_console.print(f"… and {exc.total - len(exc.failures)} more.")
            raise fail(exc.detail) from exc
        table = Table("table", "rows re-encrypted", "rows already current")
        for name, done in result.tables.items():
            table.add_row(name, str(done.rewritten), str(done.current))
        console.print(table)
        console.print(
            f"Re-encrypted {result.rewritten} rows with the first key; "
            f"{result.current} were already under it."
        )

    await with_database(settings, body)
