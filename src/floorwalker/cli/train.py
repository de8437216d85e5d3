"""`floorwalker train …`: build models from a store's data, one command per kind of model.

Each area registers its command here with one line: `app.command("x")(module.train_command)`.
"""

from __future__ import annotations

import typer

from floorwalker.cli import recommend

app = typer.Typer(help="Train models from a store's data.", no_args_is_help=True)
app.command("recommend")(recommend.train_command)
