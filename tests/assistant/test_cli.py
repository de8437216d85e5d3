"""`floorwalker chat` and `floorwalker eval assistant` through typer's CliRunner."""

from __future__ import annotations

import asyncio
import json

import jwt
import pytest
from click.testing import Result
from typer.testing import CliRunner

from floorwalker.assistant.scenarios.fixtures import FixtureStore
from floorwalker.cli.main import app
from floorwalker.config import Settings
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.orders import service as order_service


async def invoke(args: list[str], input: str | None = None) -> Result:
    """Run the CLI in a worker thread: it calls asyncio.run, which needs a loop-free thread."""
    return await asyncio.to_thread(CliRunner().invoke, app, args, input=input)


@pytest.fixture(autouse=True)
def cli_env(monkeypatch: pytest.MonkeyPatch, database_url: str, settings: Settings) -> None:
    monkeypatch.setenv("FLOORWALKER_DATABASE_URL", database_url)
    monkeypatch.setenv("FLOORWALKER_SECRET_KEY", settings.secret_key.get_secret_value())
    monkeypatch.setenv("FLOORWALKER_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("COLUMNS", "200")


class TestChat:
    async def test_scripted_messages_get_streamed_replies(self, shop: FixtureStore) -> None:
        result = await invoke(
            ["chat", "--store", shop.slug, "-m", "do you have red dresses?", "-m", "thanks"]
        )

        assert result.exit_code == 0, result.output
        assert "AI shopping assistant" in result.output
        assert "you> do you have red dresses?" in result.output
        assert "1. Red Linen Summer Dress by Coastline — $59.00" in result.output
        assert "[product] Red Linen Summer Dress — $59.00" in result.output
        assert "You're welcome!" in result.output

    async def test_as_a_customer_the_order_tools_work_and_yes_confirms(
        self, shop: FixtureStore, db: Database
    ) -> None:
        result = await invoke(
            [
                "chat", "--store", shop.slug, "--customer", "ada@example.com",
                "-m", "cancel W1001, ordered by mistake", "-m", "yes",
            ]
        )  # fmt: skip

        assert result.exit_code == 0, result.output
        assert "talking as customer ada@example.com" in result.output
        assert "[proposal] Cancel order W1001 (ordered by mistake)" in result.output
        assert "Done — order W1001 is cancelled." in result.output
        async with db.reading() as session:
            order = await order_service.get_order_by_number(
                session, Actor.system(shop.store_id), number="W1001"
            )
        assert order.status == "cancelled"

    async def test_an_unknown_customer_is_a_message_not_a_traceback(
        self, shop: FixtureStore
    ) -> None:
        result = await invoke(["chat", "--store", shop.slug, "--customer", "no@one.example"])

        assert result.exit_code == 1
        assert "no customer 'no@one.example' in this store" in result.output


class TestHelpers:
    async def test_the_outbox_shows_the_code_that_was_sent(self, shop: FixtureStore) -> None:
        await invoke(
            [
                "chat",
                "--store",
                shop.slug,
                "-m",
                "check my order",
                "-m",
                "send a code to bob@example.com",
            ]
        )

        result = await invoke(["chat", "outbox", "--store", shop.slug])

        assert result.exit_code == 0, result.output
        assert "to bob@example.com: Your Harbor & Pine verification code" in result.output

    async def test_rotating_the_secret_and_signing_a_token(self, shop: FixtureStore) -> None:
        rotated = await invoke(["chat", "identity-secret", "--store", shop.slug, "--yes"])
        signed = await invoke(["chat", "token", "--store", shop.slug, "--customer", "cust-ada"])

        assert rotated.exit_code == 0, rotated.output
        secret = rotated.output.splitlines()[1].strip()
        claims = jwt.decode(signed.output.strip(), secret, algorithms=["HS256"], audience=shop.slug)
        assert claims["sub"] == "cust-ada"


class TestEval:
    async def test_eval_runs_the_scenarios_and_reports_the_gate(self) -> None:
        result = await invoke(["eval", "assistant", "--only", "cancel a pending order", "--json"])

        assert result.exit_code == 0, result.output
        report = json.loads(result.output[result.output.index("{") :])
        assert report["model"] == "local"
        assert report["scenarios"] == 1
        assert report["task_success"] == 1.0
        assert report["unauthorised_reads"] == 0
        assert report["actions_without_confirmation"] == 0

    async def test_a_missed_gate_exits_with_1(self, tmp_path: object) -> None:
        from pathlib import Path

        suite = Path(str(tmp_path)) / "failing.yaml"
        suite.write_text('- name: never\n  turns:\n    - say: hi\n      says: ["unsaid words"]\n')

        result = await invoke(["eval", "assistant", "--scenarios", str(suite)])

        assert result.exit_code == 1
        assert "Task success 0.0% (0/1)" in result.output
        assert "never" in result.output
