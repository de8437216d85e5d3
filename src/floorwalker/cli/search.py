"""`floorwalker search …` and `floorwalker eval search`: the index and its quality."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer
from rich.table import Table

from floorwalker.cli.common import console, load_settings, resolve_store, run_async, with_database
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.logging import configure_logging
from floorwalker.search import evaluation
from floorwalker.search import service as search_service
from floorwalker.search.schemas import SearchRequest

app = typer.Typer(help="Product search: rebuild the index, try queries.", no_args_is_help=True)

StoreOption = typer.Option(..., "--store", "-s", help="Store slug or id.")


@app.command("reindex")
@run_async
async def reindex_command(store: str = StoreOption) -> None:
    """Rebuild a store's index now, and ask every running worker to rebuild theirs."""
    settings = load_settings()
    # Logs go to stderr, so what a command prints (its report, --json) stays clean.
    configure_logging(settings.log_level, json=settings.log_json)

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        actor = Actor.system(target.id, "cli")
        async with db.transaction() as session:
            await search_service.request_reindex(session, actor)
        registry = search_service.SearchRegistry(db, settings)
        try:
            started = time.perf_counter()
            index = await registry.index_for(target.id)
            elapsed = time.perf_counter() - started
        finally:
            await registry.stop()
        console.print(
            f"Indexed {index.size:,} products of store {target.slug} in {elapsed:.1f} s; "
            "running workers rebuild within a refresh interval."
        )

    await with_database(settings, body)


@app.command("query")
@run_async
async def query_command(
    text: str = typer.Argument(..., help="What a shopper would type."),
    store: str = StoreOption,
    limit: int = typer.Option(10, min=1, max=100, help="Results to show."),
) -> None:
    """Search a store from the command line and show how the query was read."""
    settings = load_settings()
    # Logs go to stderr, so what a command prints (its report, --json) stays clean.
    configure_logging(settings.log_level, json=settings.log_json)

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        registry = search_service.SearchRegistry(db, settings)
        try:
            response = await search_service.search(
                registry,
                Actor.system(target.id, "cli"),
                request=SearchRequest(q=text, limit=limit, facets=False),
            )
        finally:
            await registry.stop()
        parsed = (
            response.parsed.model_dump(exclude_defaults=True, exclude={"text"})
            if response.parsed
            else {}
        )
        console.print(f"{response.total} results; read as {json.dumps(parsed, default=str)}")
        if response.note:
            console.print(response.note)
        table = Table("#", "product", "title", "price", "in stock", "score")
        for rank, hit in enumerate(response.hits, start=1):
            table.add_row(
                str(rank), str(hit.product_id), hit.title, str(hit.price),
                "yes" if hit.in_stock else "no", f"{hit.score:.3f}",
            )  # fmt: skip
        console.print(table)

    await with_database(settings, body)


def eval_command(
    judgments: Path = typer.Option(
        ...,
        "--judgments",
        "-j",
        help="CSV or JSON Lines: query, product_id (or product_handle), grade.",
    ),
    store: str = typer.Option("demo", "--store", "-s", help="Store slug or id."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    per_query: bool = typer.Option(False, "--per-query", help="Also show every query's scores."),
) -> None:
    """Print NDCG@10, MRR and recall@50 of search against relevance judgments."""
    _evaluate(judgments, store, as_json, per_query)


@run_async
async def _evaluate(judgments: Path, store: str, as_json: bool, per_query: bool) -> None:
    rows = evaluation.load_judgments(judgments)
    settings = load_settings()
    # Logs go to stderr, so what a command prints (its report, --json) stays clean.
    configure_logging(settings.log_level, json=settings.log_json)

    async def body(db: Database) -> evaluation.Report:
        target = await resolve_store(db, store)
        registry = search_service.SearchRegistry(db, settings)
        try:
            return await search_service.evaluate(
                registry, Actor.system(target.id, "cli"), judgments=rows
            )
        finally:
            await registry.stop()

    report = await with_database(settings, body)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
        return
    typer.echo(f"queries judged:  {report.queries} ({report.skipped} without a relevant product)")
    typer.echo(f"NDCG@{evaluation.NDCG_AT}:         {report.ndcg:.4f}")
    typer.echo(f"MRR:             {report.mrr:.4f}")
    typer.echo(f"recall@{evaluation.RECALL_AT}:       {report.recall:.4f}")
    if per_query:
        for q in report.per_query:
            typer.echo(f"  {q.ndcg:.4f}  {q.rr:.4f}  {q.recall:.4f}  {q.query}")
