"""`floorwalker privacy export|erase|purge|requests|receipts|rotate-keys` through CliRunner."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import Text, select, type_coerce
from typer.testing import CliRunner

from floorwalker.cli import common
from floorwalker.cli.main import app
from floorwalker.customers.models import Customer
from floorwalker.database import upgrade
from floorwalker.kit import fields
from floorwalker.kit.db import Database
from floorwalker.kit.fields import FieldCipher
from floorwalker.privacy.models import PrivacyReceipt
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import TEST_SECRET_KEY, create_empty_database, drop_database
from tests.privacy.conftest import Person, find_pii


async def invoke(args: list[str], input: str | None = None) -> Result:
    """Run the CLI in a worker thread: it calls asyncio.run, which needs a loop-free thread."""
    return await asyncio.to_thread(CliRunner().invoke, app, args, input=input)


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables as wide as their content, as in a wide terminal."""
    monkeypatch.setattr(common.console, "width", 240)


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Iterator[None]:
    monkeypatch.setenv("FLOORWALKER_DATABASE_URL", database_url)
    monkeypatch.setenv("FLOORWALKER_SECRET_KEY", TEST_SECRET_KEY)
    yield
    fields.configure(TEST_SECRET_KEY)


@pytest.mark.usefixtures("cli_env")
class TestExportAndErase:
    async def test_export_prints_the_document_by_email_or_id(
        self, store: Store, person: Person, tmp_path: Path
    ) -> None:
        by_email = await invoke(
            ["privacy", "export", "--store", store.slug, "--customer", person.email]
        )
        target = tmp_path / "export.json"
        to_file = await invoke(
            ["privacy", "export", "-s", str(store.id), "-c", str(person.customer_id),
             "-o", str(target)]
        )  # fmt: skip

        assert by_email.exit_code == 0, by_email.output
        document = json.loads(by_email.stdout)
        assert document["customer"]["email"] == person.email
        assert [o["id"] for o in document["orders"]] == [*person.order_ids, person.guest_order_id]
        assert f"Exported customer {person.customer_id} (receipt " in by_email.stderr
        assert to_file.exit_code == 0, to_file.output
        assert json.loads(target.read_text())["customer"]["id"] == person.customer_id

    async def test_an_unknown_customer_is_a_clear_error(self, store: Store) -> None:
        result = await invoke(
            ["privacy", "export", "--store", store.slug, "--customer", "nobody@example.com"]
        )

        assert result.exit_code == 1
        assert "No customer of this store has that id or e-mail. (customer_not_found)" in (
            result.output
        )

    async def test_erase_asks_for_the_email_and_a_wrong_answer_erases_nothing(
        self, db: Database, store: Store, person: Person
    ) -> None:
        refused = await invoke(
            ["privacy", "erase", "-s", store.slug, "-c", str(person.customer_id)],
            input="not-the-email@example.com\n",
        )
        after_refusal = await find_pii(db, store.id, person.needles)
        erased = await invoke(
            ["privacy", "erase", "-s", store.slug, "-c", str(person.customer_id)],
            input=f"{person.email}\n",
        )

        assert refused.exit_code == 1
        assert "Not confirmed; nothing was erased." in refused.output
        assert len(after_refusal) >= 20
        assert erased.exit_code == 0, erased.output
        assert (
            f"Customer {person.customer_id}: 2 orders (anonymised), 1 conversations, 4 events, "
            "2 imported interactions." in erased.output
        )
        assert await find_pii(db, store.id, person.needles) == []
        async with db.reading() as s:
            receipt = await s.scalar(
                select(PrivacyReceipt).where(PrivacyReceipt.store_id == store.id)
            )
        assert receipt is not None
        assert (receipt.kind, receipt.origin, receipt.requested_by) == (
            "erasure",
            "cli",
            "system:cli",
        )
        assert f"Erased customer {person.customer_id}. Receipt {receipt.public_id}" in (
            erased.output
        )

    async def test_open_orders_stop_the_cli_unless_forced(self, db: Database, store: Store) -> None:
        from tests.privacy.conftest import make_person

        pending = await make_person(db, store, first="Penny", last="Pendleton", status="pending")

        blocked = await invoke(["privacy", "erase", "-s", store.slug, "-c", pending.email, "--yes"])
        forced = await invoke(
            ["privacy", "erase", "-s", store.slug, "-c", pending.email, "--yes", "--force"]
        )

        assert blocked.exit_code == 1
        assert "(erasure_blocked_open_orders)" in blocked.output
        assert forced.exit_code == 0, forced.output
        assert await find_pii(db, store.id, pending.needles) == []


@pytest.mark.usefixtures("cli_env")
class TestJobs:
    async def test_purge_and_receipts(self, db: Database, store: Store, person: Person) -> None:
        async with db.transaction() as s:
            target = await s.get(Store, store.id)
            assert target is not None
            target.settings = {"privacy": {"event_retention_days": 0,
                                           "conversation_retention_days": 0}}  # fmt: skip

        purged = await invoke(["privacy", "purge", "--store", store.slug])
        exported = await invoke(["privacy", "export", "-s", store.slug, "-c", person.email])
        listed = await invoke(["privacy", "receipts", "--store", store.slug])

        assert purged.exit_code == 0, purged.output
        assert f"│ {store.id}" in purged.output
        assert exported.exit_code == 0
        assert listed.exit_code == 0, listed.output
        assert "export" in listed.output
        assert "system:cli" in listed.output

    async def test_requests_lists_and_answers_platform_requests(
        self, db: Database, store: Store
    ) -> None:
        from floorwalker.connectors.models import PrivacyRequest

        async with db.transaction() as s:
            s.add(PrivacyRequest(store_id=store.id, kind="customer_redact",
                                 customer_external_id="404", status="received"))  # fmt: skip

        result = await invoke(["privacy", "requests", "--store", store.slug, "--process"])

        assert result.exit_code == 0, result.output
        assert "Answered 1 requests." in result.output
        assert "customer_redact" in result.output
        assert "completed" in result.output


@pytest.fixture
def own_url(run_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    name = f"{run_id}_rotate"
    url = create_empty_database(name, tmp_path)
    upgrade(url)
    monkeypatch.setenv("FLOORWALKER_DATABASE_URL", url)
    yield url
    fields.configure(TEST_SECRET_KEY)
    drop_database(name)


class TestRotateKeys:
    async def test_rows_move_to_the_new_key_and_a_second_run_changes_nothing(
        self, own_url: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        db = Database.from_url(own_url)
        try:
            async with db.transaction() as s:
                store = await factories.create_store(s)
                for i in range(3):
                    await factories.create_customer(s, store, email=f"rot{i}@example.com")
            monkeypatch.setenv("FLOORWALKER_SECRET_KEY", f"the-new-key,{TEST_SECRET_KEY}")

            first = await invoke(["privacy", "rotate-keys", "--yes"])
            second = await invoke(["privacy", "rotate-keys", "--yes"])

            async with db.reading() as s:
                stored = list(
                    await s.scalars(
                        select(type_coerce(Customer.__table__.c.email, Text)).order_by("id")  # type: ignore[attr-defined]
                    )
                )
        finally:
            await db.dispose()
        assert first.exit_code == 0, first.output
        # three customers and their addresses; their nine payment methods hold nothing
        # encrypted yet, nor does the store (no identity secret)
        assert "Re-encrypted 6 rows with the first key; 10 were already under it." in first.output
        assert "Re-encrypted 0 rows with the first key; 16 were already under it." in (
            second.output
        )
        new_only = FieldCipher("the-new-key")
        assert [new_only.decrypt(v, context="customers.email") for v in stored] == [
            "rot0@example.com",
            "rot1@example.com",
            "rot2@example.com",
        ]

    async def test_it_asks_first(self, own_url: str) -> None:
        result = await invoke(["privacy", "rotate-keys"], input="n\n")

        assert result.exit_code == 1
        assert "Nothing was changed." in result.output
