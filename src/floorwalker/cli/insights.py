"""`floorwalker eval forecast` and `floorwalker insights …`: forecasts, alerts, lost demand."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

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
from floorwalker.insights import inventory, jobs
from floorwalker.insights import service as insights_service
from floorwalker.insights.forecasting.backtest import (
    CANDIDATES,
    Backtest,
    run_backtest,
    write_predictions,
)
from floorwalker.insights.forecasting.history import Frequency
from floorwalker.insights.forecasting.sales_file import ROLES, read_sales
from floorwalker.insights.schemas import LostDemandGroup
from floorwalker.insights.stock import StockStatus
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.stores import service as stores_service

app = typer.Typer(
    help="Retailer insight: forecasts, stock alerts, lost demand.", no_args_is_help=True
)

#: The chosen method must reach this share of the best baseline's WAPE (issue 7).
TARGET_RATIO = 0.9
_HORIZON = re.compile(r"^\s*(\d+)\s*([wd])\s*$", re.IGNORECASE)


def parse_horizon(text: str) -> tuple[int, Frequency]:
    """`8w` → (8, week); `28d` → (28, day)."""
    match = _HORIZON.match(text)
    if not match or int(match.group(1)) < 1:
        raise fail(f"--horizon takes a count and a unit, e.g. 8w or 28d; got {text!r}.", code=2)
    unit = Frequency.WEEK if match.group(2).lower() == "w" else Frequency.DAY
    return int(match.group(1)), unit


def _columns(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        role, sep, name = pair.partition("=")
        if not sep or not role.strip() or not name.strip():
            raise fail(f"--column takes role=name, got {pair!r}.", code=2)
        mapping[role.strip()] = name.strip()
    return mapping


def _fmt(value: float, digits: int) -> str:
    return "—" if math.isnan(value) else f"{value:.{digits}f}"


def backtest_report(backtest: Backtest) -> dict[str, Any]:
    """The backtest as plain data (for --json and the docs)."""
    best = backtest.best_baseline
    chosen = backtest.score(backtest.chosen)
    return {
        "window": "validation" if backtest.validation else "holdout",
        "scored_from": backtest.test_start,
        "scored_until": backtest.test_end,
        "horizon": backtest.horizon,
        "series": len(backtest.keys),
        "training_periods": backtest.train_periods,
        "methods": [
            {
                "method": s.method,
                "kind": s.kind,
                "wape": round(s.wape, 4),
                "mase": None if math.isnan(s.mase) else round(s.mase, 4),
                "mase_excluded": s.mase_excluded,
                "seconds": round(s.seconds, 3),
            }
            for s in backtest.scores
        ],
        "best_baseline": best.method,
        "chosen": chosen.method,
        "ratio_to_best_baseline": round(backtest.ratio, 4),
        "target_ratio": TARGET_RATIO,
        "target_met": backtest.ratio <= TARGET_RATIO,
    }


def _print_backtest(backtest: Backtest, frequency: Frequency) -> None:
    unit = "weeks" if frequency is Frequency.WEEK else "days"
    window = "validation window" if backtest.validation else "held out"
    console.print(
        f"{len(backtest.keys)} SKUs, {backtest.train_periods} {unit} to learn from; "
        f"{window}: {backtest.horizon} {unit} from {backtest.test_start} "
        f"(until {backtest.test_end}, exclusive)."
    )
    table = Table("method", "kind", "WAPE", "MASE", "seconds")
    best = backtest.best_baseline
    for s in sorted(backtest.scores, key=lambda s: (s.kind != "baseline", s.wape)):
        label = s.method
        if s.method == best.method:
            label += " (best baseline)"
        if s.method == backtest.chosen:
            label += " (chosen)"
        table.add_row(label, s.kind, _fmt(s.wape, 4), _fmt(s.mase, 3), f"{s.seconds:.2f}")
    console.print(table)
    excluded = max((s.mase_excluded for s in backtest.scores), default=0)
    if excluded:
        console.print(f"MASE leaves out {excluded} SKU(s) without a scale (see docs/insights.md).")
    verdict = "met" if backtest.ratio <= TARGET_RATIO else "NOT met"
    console.print(
        f"Chosen method [bold]{backtest.chosen}[/bold]: WAPE "
        f"{backtest.score(backtest.chosen).wape:.4f} = {backtest.ratio:.3f} × best baseline "
        f"{best.method} ({best.wape:.4f}); target ≤ {TARGET_RATIO} × best baseline {verdict}."
    )


def eval_command(
    sales: Path = typer.Option(
        ..., "--sales", help="CSV, TSV or Parquet: one sale line per row.", dir_okay=False
    ),
    horizon: str = typer.Option(
        "8w", "--horizon", help="Periods held out: 8w (weeks) or 28d (days)."
    ),
    top: int = typer.Option(500, "--top", help="Score the SKUs with most units (0: all of them)."),
    validate: bool = typer.Option(
        False,
        "--validate",
        help="Score the window just before the held-out one instead (for tuning; never peeks).",
    ),
    methods: str = typer.Option(
        "",
        "--methods",
        help=f"Candidates, comma-separated (default: {', '.join(CANDIDATES)}); baselines run too.",
    ),
    column: list[str] = typer.Option(
        [],
        "--column",
        help=f"Map a role to a column, e.g. --column sku=StockCode (roles: {', '.join(ROLES)}).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    predictions_out: Path = typer.Option(
        None,
        "--predictions-out",
        help="Write every method's forecasts with the actuals as CSV.",
        dir_okay=False,
    ),
) -> None:
    """Backtest demand forecasts: WAPE and MASE per method, with baselines in the same run."""
    periods, frequency = parse_horizon(horizon)
    if top < 0:
        raise fail("--top takes 0 (all SKUs) or a positive count.", code=2)
    wanted = [m.strip() for m in methods.split(",") if m.strip()] or None
    try:
        with err_console.status("reading sales…"):
            sales_file = read_sales(sales, frequency=frequency, columns=_columns(column))
        err_console.print(
            f"Read {sales_file.rows} rows: {sales_file.kept} sale lines kept, "
            f"{sales_file.dropped_non_positive} with quantity ≤ 0 and "
            f"{sales_file.dropped_missing} without a date or SKU left out "
            f"(columns: {', '.join(f'{k}={v}' for k, v in sales_file.columns.items())})."
        )
        with err_console.status("fitting and forecasting…"):
            backtest = run_backtest(
                sales_file.history,
                horizon=periods,
                top=top or None,
                validation=validate,
                methods=wanted,
            )
    except AppError as exc:
        raise fail(f"{exc.detail} ({exc.code})") from exc
    if predictions_out is not None:
        rows = write_predictions(backtest, sales_file.history, predictions_out)
        err_console.print(f"Wrote {rows} forecasts to {predictions_out}.")
    if as_json:
        console.print_json(json.dumps(backtest_report(backtest)))
        return
    _print_backtest(backtest, frequency)


# ---------------------------------------------------------------- floorwalker insights …


async def _stores(db: Database, store: str | None, all_stores: bool) -> list[int]:
    if all_stores:
        async with db.reading() as session:
            return [s.id for s in await stores_service.list_stores(session)]
    if not store:
        raise fail("give --store SLUG or --all.", code=2)
    return [(await resolve_store(db, store)).id]


@app.command("forecast")
@run_async
async def forecast_command(
    store: str = typer.Option(None, "--store", help="The store's slug or id."),
    all_stores: bool = typer.Option(False, "--all", help="Every store."),
    force: bool = typer.Option(False, "--force", help="Refit even if the sales did not change."),
) -> None:
    """Run the insights.forecast job: forecast every variant's demand and store it."""

    async def body(db: Database) -> None:
        for store_id in await _stores(db, store, all_stores):
            with err_console.status(f"forecasting store {store_id}…"):
                outcome = await jobs.forecast(db, store_id=store_id, force=force)
            if outcome.status == "unchanged":
                console.print(
                    f"Store {store_id}: no new full week of sales since run {outcome.run_id}; "
                    "nothing to do (use --force to refit)."
                )
            elif outcome.status == "busy":
                console.print(f"Store {store_id}: a forecast is already running; skipped.")
            elif outcome.status == "no_sales":
                console.print(f"Store {store_id}: no full week of sales yet; nothing to forecast.")
            else:
                console.print(
                    f"Store {store_id}: run {outcome.run_id} forecast {outcome.series} variants "
                    f"with {outcome.method} from {outcome.starts_on} in {outcome.seconds:.1f} s."
                )

    await with_database(load_settings(), body)


@app.command("lost-demand")
@run_async
async def lost_demand_command(
    store: str = typer.Option(..., "--store", help="The store's slug or id."),
    days: int = typer.Option(30, "--days", min=1, max=731, help="Days up to today to report."),
    group_by: LostDemandGroup = typer.Option(LostDemandGroup.REASON, "--by", help="Grouping."),
    limit: int = typer.Option(20, "--limit", min=1, max=1000, help="Rows to show."),
) -> None:
    """Read new searches and conversations into lost demand, then print the report."""

    async def body(db: Database) -> None:
        found = await resolve_store(db, store)
        outcome = await jobs.lost_demand(db, store_id=found.id)
        console.print(
            f"Read {outcome.searches_read} searches and {outcome.answers_read} assistant answers; "
            f"{outcome.signals_added} new signals."
        )
        start = utcnow().astimezone(ZoneInfo(found.timezone)).date() - dt.timedelta(days=days - 1)
        async with db.reading() as session:
            report = await insights_service.lost_demand_report(
                session, Actor.system(found.id), start=start, group_by=group_by, limit=limit
            )
        table = Table(
            group_by.value, "signals", "reasons", "available", "forecast/week", "examples"
        )
        for row in report.rows:
            table.add_row(
                row.label,
                str(row.signals),
                ", ".join(f"{k} {v}" for k, v in row.reasons.items()),
                "" if row.available is None else str(row.available),
                "" if row.forecast_weekly is None else f"{row.forecast_weekly:g}",
                " | ".join(row.examples),
            )
        console.print(
            f"{report.total_signals} signals from {report.period.start} to {report.period.end}:"
        )
        console.print(table)

    await with_database(load_settings(), body)


@app.command("alerts")
@run_async
async def alerts_command(
    store: str = typer.Option(..., "--store", help="The store's slug or id."),
    limit: int = typer.Option(50, "--limit", min=1, max=10_000, help="Rows to show."),
) -> None:
    """Print the variants that are out of stock or low, with days of cover and what to order."""

    async def body(db: Database) -> None:
        found = await resolve_store(db, store)
        async with db.reading() as session:
            items = await inventory.stock_items(
                session,
                Actor.system(found.id),
                statuses=[StockStatus.OUT_OF_STOCK, StockStatus.LOW_STOCK],
                limit=limit,
            )
        table = Table("variant", "sku", "product")
        for column in ("status", "available", "cover (days)", "order"):
            table.add_column(column, no_wrap=True)
        for item in items:
            table.add_row(
                str(item.variant_id),
                item.sku or "",
                f"{item.title} {item.variant_title}".strip(),
                item.status.value,
                str(item.available),
                "" if item.days_of_cover is None else f"{item.days_of_cover:g}",
                str(item.suggested_quantity or ""),
            )
        console.print(table)

    await with_database(load_settings(), body)
