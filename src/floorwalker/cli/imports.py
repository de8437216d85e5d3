"""`floorwalker import …`: load products, stock, customers, orders, events or a product feed."""

from __future__ import annotations

import csv
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from floorwalker.cli.common import (
    console,
    err_console,
    load_settings,
    resolve_store,
    run_async,
    with_database,
)
from floorwalker.connectors.files.importer import ImportReport, import_file
from floorwalker.connectors.merchant_feed.importer import import_feed
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database

app = typer.Typer(
    help="Import a file (CSV, JSON Lines or Parquet); see docs/import-formats.md.",
    no_args_is_help=True,
)

StoreOption = typer.Option(..., "--store", "-s", help="Store slug or id.")
FormatOption = typer.Option(
    None, "--format", "-f", help="csv, jsonl or parquet (default: from the extension)."
)
SourceOption = typer.Option("file", "--source", help="The source recorded on the imported records.")
StrictOption = typer.Option(
    False, "--strict", help="All or nothing: any bad row rolls the whole file back."
)
DryRunOption = typer.Option(False, "--dry-run", help="Check and count everything, then roll back.")
ErrorsOption = typer.Option(
    None, "--errors", help="Write every bad row (line, field, reason) to this CSV."
)
FileArgument = typer.Argument(..., exists=False, help="The file to import.")


def print_report(report: ImportReport) -> None:
    """The summary of an import, and its first errors."""
    verb = "Would import" if report.dry_run else "Imported"
    what = "products" if report.resource == "merchant_feed" else report.resource
    table = Table(
        "created",
        "updated",
        "unchanged",
        "failed",
        title=f"{verb} {what} from {Path(report.path).name}",
    )
    table.add_row(
        str(report.created),
        str(report.updated),
        str(report.unchanged + report.skipped),
        str(report.failed),
    )
    console.print(table)
    if report.skipped:
        console.print(
            f"{report.skipped} events skipped: their customers refused analytics consent."
        )
    for error in report.errors[:20]:
        where = f"line {error.line}" + (f", {error.field}" if error.field else "")
        err_console.print(f"[yellow]{where}:[/yellow] {error.reason}", highlight=False)
    if report.failed > 20:
        err_console.print(f"… and {report.failed - 20} more (use --errors FILE to get them all).")
    if report.strict and not report.committed and not report.dry_run:
        err_console.print(
            "[red]Nothing was imported:[/red] the import is strict and some rows failed."
        )
    elif report.dry_run:
        console.print("Dry run: nothing was changed.")
    if report.run_id is not None:
        console.print(f"Recorded as sync run {report.run_id}.", style="dim")


def write_errors(report: ImportReport, path: Path) -> None:
    """Every kept row error as CSV."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "field", "reason"])
        for error in report.errors:
            writer.writerow([error.line, error.field or "", error.reason])


async def run_import(
    resource: str,
    file: Path,
    *,
    store: str,
    fmt: str | None,
    source: str,
    strict: bool,
    dry_run: bool,
    errors: Path | None,
) -> None:
    """Run one import with a progress bar; exit 1 when any row failed."""

    async def body(db: Database) -> ImportReport:
        target = await resolve_store(db, store)
        size = file.stat().st_size if file.is_file() else 0
        columns = (BarColumn(), DownloadColumn(), TimeElapsedColumn(), TimeRemainingColumn())
        with Progress(
            "[progress.description]{task.description}",
            *columns,
            console=err_console,
            transient=True,
        ) as bar:
            task = bar.add_task(f"{resource} ← {file.name}", total=size or None)
            return await import_file(
                db,
                Actor.system(target.id, "cli"),
                resource=resource,
                path=file,
                fmt=fmt,
                source=source,
                strict=strict,
                dry_run=dry_run,
                progress=lambda n: bar.advance(task, n),
            )

    report = await with_database(load_settings(), body)
    print_report(report)
    if errors is not None:
        write_errors(report, errors)
    if report.failed:
        raise typer.Exit(1)


def _command(resource: str, summary: str) -> None:
    @run_async
    async def command(
        file: Path = FileArgument,
        store: str = StoreOption,
        fmt: str | None = FormatOption,
        source: str = SourceOption,
        strict: bool = StrictOption,
        dry_run: bool = DryRunOption,
        errors: Path | None = ErrorsOption,
    ) -> None:
        await run_import(
            resource,
            file,
            store=store,
            fmt=fmt,
            source=source,
            strict=strict,
            dry_run=dry_run,
            errors=errors,
        )

    command.__doc__ = summary
    app.command(resource)(command)


_command("products", "Import products with their variants (one row per variant).")
_command("inventory", "Import stock levels (on hand per variant per location).")
_command("customers", "Import customers with an address.")
_command("orders", "Import orders (one row per line).")
_command("events", "Import browsing and commerce events.")


@app.command("merchant-feed")
@run_async
async def merchant_feed_command(
    file: Path = FileArgument,
    store: str = StoreOption,
    source: str = typer.Option("merchant_feed", "--source", help="The source recorded."),
    in_stock: int = typer.Option(
        100, "--in-stock", min=0, help="Units on hand for items the feed says are available."
    ),
    strict: bool = StrictOption,
    dry_run: bool = DryRunOption,
    errors: Path | None = ErrorsOption,
) -> None:
    """Import a Google Merchant Center feed (RSS 2.0 XML or TSV)."""

    async def body(db: Database) -> ImportReport:
        target = await resolve_store(db, store)
        with err_console.status(f"Importing {file.name}…"):
            return await import_feed(
                db,
                Actor.system(target.id, "cli"),
                path=file,
                source=source,
                in_stock=in_stock,
                strict=strict,
                dry_run=dry_run,
            )

    report = await with_database(load_settings(), body)
    print_report(report)
    if errors is not None:
        write_errors(report, errors)
    if report.failed:
        raise typer.Exit(1)
