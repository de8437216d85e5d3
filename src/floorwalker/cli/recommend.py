"""`floorwalker train recommend`, `floorwalker eval recommend` and `floorwalker recommend …`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

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
from floorwalker.errors import AppError
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.recommend import jobs
from floorwalker.recommend import service as recommend_service
from floorwalker.recommend.engine.files import COLUMNS, read_interactions
from floorwalker.recommend.evaluation import runner
from floorwalker.recommend.schemas import Surface, TrainOutcome

# OpenBLAS starts a thread per core when first loaded, and implicit's ALS warns about it;
# set before any training imports numpy's BLAS (an explicit environment value wins)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

app = typer.Typer(help="Recommendations: trained versions and lists.", no_args_is_help=True)

_COLUMN_HELP = (
    "Map a column role to the file's column name, e.g. --column item_id=StockCode "
    f"(repeatable; roles: {', '.join(COLUMNS)})."
)


def _columns(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        role, sep, name = pair.partition("=")
        if not sep or not role.strip() or not name.strip():
            raise fail(f"--column takes role=name, got {pair!r}.", code=2)
        mapping[role.strip()] = name.strip()
    return mapping


def _print_outcome(outcome: TrainOutcome) -> None:
    if outcome.status == "trained":
        console.print(
            f"Store {outcome.store_id}: trained version [bold]{outcome.version}[/bold] — "
            f"{outcome.items} products, {outcome.interactions} interactions from "
            f"{outcome.customers} shoppers, {outcome.seconds:.1f} s "
            f"(blend weights: {outcome.blend.get('source', 'defaults')})."
        )
    elif outcome.status == "unchanged":
        console.print(
            f"Store {outcome.store_id}: nothing changed since version {outcome.version}; "
            "not retrained (use --force to retrain anyway)."
        )
    elif outcome.status == "busy":
        console.print(f"Store {outcome.store_id}: a training is already running; skipped.")
    else:
        console.print(f"Store {outcome.store_id}: no active products to recommend; skipped.")


@run_async
async def train_command(
    store: str = typer.Option(None, "--store", help="The store's slug or id."),
    all_stores: bool = typer.Option(False, "--all", help="Train every store."),
    force: bool = typer.Option(False, "--force", help="Retrain even if nothing changed."),
    interactions: Path = typer.Option(
        None,
        "--interactions",
        help="First import this CSV/Parquet history file into the store (idempotent).",
        dir_okay=False,
    ),
    column: list[str] = typer.Option([], "--column", help=_COLUMN_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the outcome as JSON."),
) -> None:
    """Train a new version of a store's recommender from its orders, events and history."""
    if bool(store) == all_stores:
        raise fail("give either --store SLUG or --all.", code=2)
    if interactions is not None and all_stores:
        raise fail("--interactions imports into one store; use it with --store.", code=2)
    mapping = _columns(column)
    settings = load_settings()

    async def body(db: Database) -> list[TrainOutcome]:
        if all_stores:
            with err_console.status("training every store…"):
                return await jobs.train_all(db, settings)
        target = await resolve_store(db, store)
        actor = Actor.system(target.id, "cli")
        if interactions is not None:
            async with db.transaction() as session:
                summary = await recommend_service.import_interactions(
                    session, actor, path=interactions, columns=mapping
                )
            err_console.print(
                f"Imported {summary.imported} interactions ({summary.already_imported} already "
                f"there, {summary.unknown_products} rows naming unknown products)."
            )
        with err_console.status(f"training {target.slug}…"):
            return [await jobs.train(db, settings, store_id=target.id, force=force)]

    outcomes = await with_database(settings, body)
    if as_json:
        console.print_json(json.dumps([o.model_dump(mode="json") for o in outcomes]))
        return
    for outcome in outcomes:
        _print_outcome(outcome)


def _table(report: runner.Report, mode: str, k: int) -> Table:
    what = "all items (repeat purchases count)" if mode == "all" else "new items only"
    table = Table(title=f"{what}, k = {k}")
    table.add_column("model")
    for metric in (f"recall@{k}", f"NDCG@{k}", f"hit rate@{k}", f"coverage@{k}", "novelty"):
        table.add_column(metric, justify="right")
    for name, by_k in report.results[mode].items():
        m = by_k[k]
        table.add_row(
            name,
            f"{m['recall']:.4f}",
            f"{m['ndcg']:.4f}",
            f"{m['hit_rate']:.4f}",
            f"{m['coverage']:.4f}",
            f"{m['novelty']:.2f}",
            style="bold" if name == runner.BLEND else None,
        )
    return table


def eval_command(
    interactions: Path = typer.Option(
        None, "--interactions", help="One file to split in time.", dir_okay=False
    ),
    train: Path = typer.Option(
        None, "--train", help="Training file (with --test).", dir_okay=False
    ),
    test: Path = typer.Option(None, "--test", help="Test file (with --train).", dir_okay=False),
    split: str = typer.Option("temporal", "--split", help="How to split --interactions."),
    test_days: float = typer.Option(30.0, "--test-days", help="Days held out at the end."),
    k: str = typer.Option("10,20", "--k", help="Cut-offs, comma-separated."),
    column: list[str] = typer.Option([], "--column", help=_COLUMN_HELP),
    components: bool = typer.Option(
        True, "--components/--no-components", help="Also score each blend component alone."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    predictions_out: Path = typer.Option(
        None, "--predictions-out", help="Write the blend's lists as JSON Lines.", dir_okay=False
    ),
) -> None:
    """Evaluate the recommender against baselines on held-out purchases (offline)."""
    if (interactions is None) == (train is None and test is None):
        raise fail("give --interactions FILE, or --train FILE and --test FILE.", code=2)
    if interactions is None and (train is None or test is None):
        raise fail("--train and --test go together.", code=2)
    if split != "temporal":
        raise fail("--split takes `temporal` (the last --test-days days are held out).", code=2)
    try:
        ks = sorted({int(part) for part in k.split(",") if part.strip()})
    except ValueError as exc:
        raise fail(f"--k takes comma-separated integers, got {k!r}.", code=2) from exc
    if not ks or ks[0] < 1:
        raise fail("--k takes positive integers.", code=2)
    mapping = _columns(column)
    try:
        with err_console.status("reading interactions…"):
            if interactions is not None:
                log, _summary = read_interactions(interactions, columns=mapping)
                data = runner.temporal_split(log, test_days=test_days)
            else:
                train_log, _ = read_interactions(train, columns=mapping)
                test_log, _ = read_interactions(test, columns=mapping)
                data = runner.given_split(train_log, test_log)
        with err_console.status("evaluating…") as status:
            report = runner.run(
                data,
                ks=ks,
                include_components=components,
                progress=lambda message: status.update(message + "…"),
            )
    except AppError as exc:
        raise fail(f"{exc.detail} ({exc.code})") from exc
    if predictions_out is not None:
        lines = runner.write_predictions(
            report, data, data.train.item_keys.tolist(), predictions_out
        )
        err_console.print(f"Wrote {lines} lists to {predictions_out}.")
    if as_json:
        console.print_json(json.dumps(report.as_dict()))
        return
    console.print(f"split: {json.dumps(data.description)}")
    for mode in runner.MODES:
        for cut in report.ks:
            console.print(_table(report, mode, cut))
    console.print(f"timings (s): {json.dumps(report.timings)}")
    console.print(f"blend: {json.dumps(report.blend)}")


@app.command("versions")
@run_async
async def versions_command(
    store: str = typer.Option(..., "--store", help="The store's slug or id."),
) -> None:
    """List a store's trained versions (newest first)."""
    settings = load_settings()

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        models = recommend_service.models_for(settings)
        versions = models.files.versions(target.id)
        if not versions:
            console.print(f"Store {target.slug} has no trained version yet.")
        # one line per version, never wrapped: the names are meant to be copied
        for v in versions:
            blend: dict[str, Any] = v.info.get("blend", {})
            console.print(
                f"{v.version}  {'current' if v.current else '       '}  "
                f"{v.trained_at.isoformat(timespec='seconds')}  {v.items} products  "
                f"{v.info.get('interactions', 0)} interactions  "
                f"weights: {blend.get('source', 'defaults')}",
                soft_wrap=True,
                highlight=False,
            )

    await with_database(settings, body)


@app.command("activate")
@run_async
async def activate_command(
    version: str = typer.Argument(..., help="The version to serve (see `versions`)."),
    store: str = typer.Option(..., "--store", help="The store's slug or id."),
) -> None:
    """Serve an earlier version again (roll back); running servers switch within seconds."""
    settings = load_settings()

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        models = recommend_service.models_for(settings)
        models.files.set_current(target.id, version)
        await models.activate(target.id, version)
        console.print(f"Store {target.slug} now serves version [bold]{version}[/bold].")

    await with_database(settings, body)


@app.command("show")
@run_async
async def show_command(
    store: str = typer.Option(..., "--store", help="The store's slug or id."),
    surface: Surface = typer.Option(Surface.FOR_YOU, "--surface", help="Which list."),
    customer: int = typer.Option(None, "--customer", help="Customer id (for-you, chat)."),
    product: int = typer.Option(None, "--product", help="Product id (similar, bought_together)."),
    cart: str = typer.Option("", "--cart", help="Cart product ids, comma-separated."),
    limit: int = typer.Option(10, "--limit", min=1, max=recommend_service.MAX_LIMIT),
) -> None:
    """Print a list as a shopper would get it, with reasons (for checking a model)."""
    settings = load_settings()
    try:
        cart_ids = [int(p) for p in cart.split(",") if p.strip()]
    except ValueError as exc:
        raise fail("--cart takes comma-separated product ids.", code=2) from exc

    async def body(db: Database) -> None:
        target = await resolve_store(db, store)
        async with db.reading() as session:
            result = await recommend_service.recommend(
                session,
                Actor.system(target.id, "cli"),
                models=recommend_service.models_for(settings),
                surface=surface,
                customer_id=customer,
                product_id=product,
                cart=cart_ids,
                limit=limit,
            )
        for position, item in enumerate(result.items, start=1):
            console.print(
                f"{position:>2}. {item.title} (product {item.product_id}, score "
                f"{item.score:.3f}) — {item.reason.text}",
                soft_wrap=True,
                highlight=False,
            )
        console.print(
            f"model {result.model_version or '(none yet: best-sellers)'}; "
            f"personalised: {'yes' if result.personalised else 'no'}"
        )

    await with_database(settings, body)
