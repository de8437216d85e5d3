"""The root `floorwalker` command; each noun is a sub-app."""

from __future__ import annotations

import typer

from floorwalker import __version__
from floorwalker.cli import (
    chat,
    connectors,
    db,
    demo,
    evaluate,
    imports,
    insights,
    keys,
    privacy,
    recommend,
    search,
    serve,
    staff,
    stores,
    train,
    webhooks,
    worker,
)

app = typer.Typer(
    name="floorwalker",
    help="Floorwalker: an open-source, self-hostable AI shopping assistant.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(chat.app, name="chat")
app.add_typer(stores.app, name="stores")
app.add_typer(keys.app, name="keys")
app.add_typer(staff.app, name="staff")
app.add_typer(train.app, name="train")
app.add_typer(evaluate.app, name="eval")
app.add_typer(insights.app, name="insights")
app.add_typer(recommend.app, name="recommend")
app.add_typer(search.app, name="search")
app.add_typer(imports.app, name="import")
app.add_typer(connectors.app, name="connectors")
app.add_typer(webhooks.app, name="webhooks")
app.add_typer(privacy.app, name="privacy")
app.command("serve")(serve.serve_command)
app.command("demo")(demo.demo_command)
app.command("worker")(worker.worker_command)


@app.command("version")
def version_command() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    """Entry point of the `floorwalker` script."""
    app()
