"""Migrations build the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from floorwalker.database import alembic_config, current_revision, head_revision, upgrade
from floorwalker.kit.db import sync_database_url
from floorwalker.models import metadata
from tests.conftest import create_empty_database, drop_database


@pytest.fixture
def empty_url(run_id: str, tmp_path: Path) -> object:
    name = f"{run_id}_mig"
    url = create_empty_database(name, tmp_path)
    yield url
    drop_database(name)


def test_upgrade_to_head_leaves_no_drift(empty_url: str) -> None:
    assert current_revision(empty_url) is None

    upgrade(empty_url)

    assert current_revision(empty_url) == head_revision()
    engine = create_engine(sync_database_url(empty_url))
    try:
        with engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), metadata
            )
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert diff == []
    assert set(metadata.tables) <= tables


def test_downgrade_to_base_and_back(empty_url: str) -> None:
    upgrade(empty_url)
    config = alembic_config(empty_url)

    command.downgrade(config, "base")
    engine = create_engine(sync_database_url(empty_url))
    try:
        with engine.connect() as conn:
            remaining = set(inspect(conn).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()
    assert remaining == set()

    upgrade(empty_url)
    assert current_revision(empty_url) == head_revision()


def test_every_constraint_is_named() -> None:
    unnamed = [
        f"{table.name}.{type(constraint).__name__}"
        for table in metadata.tables.values()
        for constraint in table.constraints
        if not constraint.name
    ]
    assert unnamed == []
