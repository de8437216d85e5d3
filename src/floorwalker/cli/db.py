"""`floorwalker db …`: schema management."""

from __future__ import annotations

import typer

from floorwalker.cli.common import console, load_settings
from floorwalker.database import current_revision, head_revision, upgrade

app = typer.Typer(help="Database schema: upgrade and status.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command(
    revision: str = typer.Argument("head", help="Target revision (default: the newest)."),
) -> None:
    """Apply migrations so the database schema is current."""
    settings = load_settings()
    settings.ensure_data_dir()
    url = settings.resolved_database_url
    upgrade(url, revision)
    console.print(f"Database at revision [bold]{current_revision(url)}[/bold].")


@app.command("status")
def status_command() -> None:
    """Show the database's revision and the newest one this version ships."""
    settings = load_settings()
    url = settings.resolved_database_url
    current = current_revision(url)
    head = head_revision()
    console.print(f"current: {current or 'not migrated'}\nnewest:  {head}")
    if current != head:
        console.print("Run `floorwalker db upgrade`.")
        raise typer.Exit(1)
