"""`floorwalker eval …`: offline evaluations, one command per area.

Each area keeps its command in its own module and registers it here with one line, so this
file stays a list: `app.command("search")(search.eval_command)`.
"""

from __future__ import annotations

import typer

from floorwalker.cli import chat, insights, recommend, search

app = typer.Typer(
    help="Measure quality offline: recommendations, search, forecasts, the assistant.",
    no_args_is_help=True,
)
app.command("recommend")(recommend.eval_command)
app.command("assistant")(chat.eval_command)
app.command("search")(search.eval_command)
app.command("forecast")(insights.eval_command)
