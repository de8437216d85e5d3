"""`floorwalker staff create|list|disable` through typer's CliRunner."""

from __future__ import annotations

import asyncio

import pytest
from click.testing import Result
from sqlalchemy import select
from typer.testing import CliRunner

from floorwalker.auth.models import StaffUser
from floorwalker.auth.passwords import verify_password
from floorwalker.cli.main import app
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store


async def invoke(runner: CliRunner, args: list[str], input: str | None = None) -> Result:
    """Run the CLI in a worker thread: it calls asyncio.run, which needs a loop-free thread."""
    return await asyncio.to_thread(runner.invoke, app, args, input=input)


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("FLOORWALKER_DATABASE_URL", database_url)


@pytest.mark.usefixtures("cli_env")
class TestStaffCli:
    async def test_create_list_disable(self, db: Database, store: Store) -> None:
        runner = CliRunner()

        created = await invoke(
            runner,
            ["staff", "create", "ops@shop.example", "--store", store.slug, "--role", "admin"],
            input="a long password\na long password\n",
        )
        listed = await invoke(runner, ["staff", "list", "--store", store.slug])

        assert created.exit_code == 0, created.output
        assert "Created admin ops@shop.example" in created.output
        assert "ops@shop.example" in listed.output
        async with db.reading() as s:
            user = await s.scalar(select(StaffUser).where(StaffUser.store_id == store.id))
        assert user is not None
        assert user.role == "admin"

        disabled = await invoke(runner, ["staff", "disable", str(user.id), "--store", store.slug])
        assert disabled.exit_code == 0, disabled.output
        async with db.reading() as s:
            after = await s.get(StaffUser, user.id)
        assert after is not None
        assert after.disabled_at is not None

    async def test_short_password_is_a_clear_error(self, db: Database, store: Store) -> None:
        result = await invoke(
            CliRunner(),
            ["staff", "create", "ops@shop.example", "--store", store.slug],
            input="short\nshort\n",
        )

        assert result.exit_code == 1
        assert "password" in result.output
        assert "at least 10 characters" in result.output
        async with db.reading() as s:
            count = len(
                (await s.scalars(select(StaffUser).where(StaffUser.store_id == store.id))).all()
            )
        assert count == 0

    async def test_unknown_store_is_a_clear_error(self) -> None:
        result = await invoke(CliRunner(), ["staff", "list", "--store", "no-such-store"])

        assert result.exit_code == 1
        assert "no store 'no-such-store'" in result.output

    async def test_reset_password_replaces_the_old_one(self, db: Database, store: Store) -> None:
        runner = CliRunner()
        user = await _created_agent(runner, db, store)
        old_hash = user.password_hash

        reset = await invoke(
            runner,
            ["staff", "reset-password", str(user.id), "--store", store.slug],
            input="another long one\nanother long one\n",
        )

        assert reset.exit_code == 0, reset.output
        assert "New password set for ops@shop.example" in reset.output
        async with db.reading() as s:
            after = await s.get(StaffUser, user.id)
        assert after is not None
        assert after.password_hash != old_hash
        assert verify_password(after.password_hash, "another long one")

    async def test_reset_password_refuses_a_short_one_and_keeps_the_old(
        self, db: Database, store: Store
    ) -> None:
        runner = CliRunner()
        user = await _created_agent(runner, db, store)

        reset = await invoke(
            runner,
            ["staff", "reset-password", str(user.id), "--store", store.slug],
            input="short\nshort\n",
        )

        assert reset.exit_code == 1
        assert "(invalid_password)" in reset.output
        async with db.reading() as s:
            after = await s.get(StaffUser, user.id)
        assert after is not None
        assert after.password_hash == user.password_hash


async def _created_agent(runner: CliRunner, db: Database, store: Store) -> StaffUser:
    """An agent made with `staff create`, read back from the database."""
    await invoke(
        runner,
        ["staff", "create", "ops@shop.example", "--store", store.slug],
        input="a long password\na long password\n",
    )
    async with db.reading() as s:
        user = await s.scalar(select(StaffUser).where(StaffUser.store_id == store.id))
    assert user is not None
    return user
