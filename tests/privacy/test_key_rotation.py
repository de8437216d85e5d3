"""`floorwalker privacy rotate-keys` moves everything stored encrypted to the newest key: with
only that key configured afterwards, every kind of encrypted data still works end to end."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import String, Text, select, type_coerce
from sqlalchemy.types import TypeDecorator, TypeEngine
from typer.testing import CliRunner

from floorwalker.assistant import service as assistant_service
from floorwalker.assistant.engine.persistence import prepare
from floorwalker.assistant.guardrails.redaction import Vault
from floorwalker.assistant.identity.tokens import issue_token
from floorwalker.assistant.models import Conversation
from floorwalker.assistant.runtime import Runtime
from floorwalker.catalog.models import Variant
from floorwalker.cli import common
from floorwalker.cli.main import app
from floorwalker.config import Environment, JobsMode, Settings
from floorwalker.connectors import outbound
from floorwalker.connectors import service as connectors_service
from floorwalker.connectors.models import Connection, WebhookEndpoint
from floorwalker.connectors.schemas import ConnectionCreate, EndpointCreate
from floorwalker.customers import service as customers_service
from floorwalker.customers.models import Customer
from floorwalker.database import upgrade
from floorwalker.kit import fields, rotation
from floorwalker.kit.actor import Actor
from floorwalker.kit.crypto import ASSISTANT_VAULT, IDENTITY_SECRET, Encryptor
from floorwalker.kit.db import Database
from floorwalker.kit.fields import FieldCipher
from floorwalker.kit.security import new_token, token_digest
from floorwalker.models import metadata
from floorwalker.orders.models import Order
from floorwalker.stores import service as stores_service
from tests import factories
from tests.conftest import create_empty_database, drop_database

KEY_A = "key-a-the-old-one-long-enough-0123456789"
KEY_B = "key-b-the-new-one-long-enough-0123456789"
KEY_C = "key-c-nobody-configured-it-0123456789abc"

EMAIL = "Rot.Ate@Example.com"
ACCESS_TOKEN = "shpat_rotation_0123456789"
WEBHOOK_SECRET = "whsec-inbound-rotation"
IDENTITY = "fw_id_rotation-secret-0123456789abcdef"
TYPED = "typed.by.shopper@example.com"


@dataclass
class Populated:
    """Ids and secrets of one of every kind of encrypted data, written under KEY_A."""

    store_id: int
    store_slug: str
    customer_id: int
    order_id: int
    connection_id: int
    endpoint_id: int
    endpoint_secret: str
    conversation: str


async def invoke(args: list[str]) -> Result:
    """Run the CLI in a worker thread: it calls asyncio.run, which needs a loop-free thread."""
    return await asyncio.to_thread(CliRunner().invoke, app, args)


def use_field_keys(monkeypatch: pytest.MonkeyPatch, keys: str) -> None:
    """Make the process read and write personal data with exactly these keys (restored after
    the test: kit.fields.configure would keep earlier keys readable)."""
    monkeypatch.setitem(fields._state, "cipher", FieldCipher(keys))


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common.console, "width", 240)
    monkeypatch.setattr(common.err_console, "width", 240)


@pytest.fixture
async def own_db(
    run_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[str, Database]]:
    name = f"{run_id}_keyrot"
    url = create_empty_database(name, tmp_path)
    upgrade(url)
    monkeypatch.setenv("FLOORWALKER_DATABASE_URL", url)
    monkeypatch.setitem(fields._state, "cipher", fields.cipher())
    database = Database.from_url(url)
    yield url, database
    await database.dispose()
    drop_database(name)


def settings_with(url: str, keys: str, tmp_path: Path) -> Settings:
    return Settings(
        environment=Environment.TEST,
        database_url=url,
        data_dir=tmp_path,
        secret_key=keys,  # type: ignore[arg-type]
        jobs=JobsMode.OFF,
        _env_file=None,  # type: ignore[call-arg]
    )


async def populate(db: Database, monkeypatch: pytest.MonkeyPatch) -> Populated:
    """One of every kind of encrypted data, all under KEY_A."""
    use_field_keys(monkeypatch, KEY_A)
    connectors = connectors_service.connector_encryptor(KEY_A)
    async with db.transaction() as s:
        store = await factories.create_store(s)
        actor = Actor.system(store.id)
        customer = await factories.create_customer(s, store, email=EMAIL)
        customer.phone = "+44 20 7946 0001"
        location = await factories.create_location(s, store)
        product = await factories.create_product(s, store, location=location)
        variant = await s.scalar(select(Variant).where(Variant.product_id == product.id))
        assert variant is not None
        order = await factories.create_order(s, store, customer, lines=[(variant, 1)])
        await stores_service.rotate_identity_secret(
            s, actor, encryptor=Encryptor(KEY_A, purpose=IDENTITY_SECRET), secret=IDENTITY
        )
        connection = await connectors_service.add_connection(
            s,
            actor,
            data=ConnectionCreate(
                platform="shopify",
                name="shop",
                base_url="https://rotation.myshopify.com",
                credentials={"access_token": ACCESS_TOKEN},
                webhook_secret=WEBHOOK_SECRET,
            ),
            encryptor=connectors,
        )
        endpoint, endpoint_secret = await outbound.create_endpoint(
            s,
            actor,
            data=EndpointCreate(url="https://hooks.example.com/in"),
            encryptor=connectors,
        )
        conversation = Conversation(
            store_id=store.id,
            public_id=new_token("conv_", 16),
            token_digest=token_digest(new_token("ct_", 16)),
            customer_id=customer.id,
            vault_encrypted=Encryptor(KEY_A, purpose=ASSISTANT_VAULT).encrypt(
                Vault({"[EMAIL_1]": TYPED}).dumps()
            ),
        )
        s.add(conversation)
        await s.flush()
        return Populated(
            store_id=store.id,
            store_slug=store.slug,
            customer_id=customer.id,
            order_id=order.id,
            connection_id=connection.id,
            endpoint_id=endpoint.id,
            endpoint_secret=endpoint_secret,
            conversation=conversation.public_id,
        )


async def stored_values(db: Database) -> dict[tuple[str, int], tuple[str | None, ...]]:
    """Every encrypted column (and blind index) of every row, as stored."""
    found: dict[tuple[str, int], tuple[str | None, ...]] = {}
    columns = rotation.encrypted_columns(metadata)
    async with db.reading() as s:
        for table in {c.table for c in columns}:
            names = [c.name for c in columns if c.table is table]
            names += [c.blind_index for c in columns if c.table is table and c.blind_index]
            rows = await s.execute(
                select(table.c.id, *(type_coerce(table.c[n], Text) for n in names))
            )
            for row in rows:
                found[(table.name, int(row[0]))] = tuple(row[1:])
    return found


async def rows_under_b(db: Database) -> dict[str, int]:
    """Per table, the rows whose every encrypted value is empty or under KEY_B alone."""
    only_b = rotation.Keys(KEY_B)
    columns = rotation.encrypted_columns(metadata)
    counts: dict[str, int] = {}
    async with db.reading() as s:
        for table in {c.table for c in columns}:
            of_table = [c for c in columns if c.table is table]
            result = await s.execute(
                select(*(type_coerce(table.c[c.name], Text) for c in of_table))
            )
            counts[table.name] = sum(
                all(
                    v is None or only_b.is_current(c, v) for c, v in zip(of_table, row, strict=True)
                )
                for row in result
            )
    return counts


def summary(output: str) -> dict[str, tuple[int, int]]:
    """The per-table rows of rotate-keys' table: name → (re-encrypted, already current)."""
    rows: dict[str, tuple[int, int]] = {}
    for line in output.splitlines():
        match = re.match(r"^\W*([a-z_]+)\W+(\d+)\W+(\d+)\W*$", line)
        if match:
            rows[match.group(1)] = (int(match.group(2)), int(match.group(3)))
    return rows


class TestRotateEverything:
    async def test_after_rotation_the_new_key_alone_opens_everything(
        self,
        own_db: tuple[str, Database],
        monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path,
    ) -> None:
        url, db = own_db
        made = await populate(db, monkeypatch)
        monkeypatch.setenv("FLOORWALKER_SECRET_KEY", f"{KEY_B},{KEY_A}")
        use_field_keys(monkeypatch, f"{KEY_B},{KEY_A}")

        first = await invoke(["privacy", "rotate-keys", "--yes"])
        after_first = await stored_values(db)
        second = await invoke(["privacy", "rotate-keys", "--yes"])
        after_second = await stored_values(db)

        assert first.exit_code == 0, first.output
        # a customer with an address and three payment methods (no PayPal e-mail: nothing
        # encrypted in them), an order, a store, a connection, an endpoint, a conversation
        assert summary(first.stdout) == {
            "stores": (1, 0),
            "customers": (1, 0),
            "addresses": (1, 0),
            "payment_methods": (0, 3),
            "orders": (1, 0),
            "connections": (1, 0),
            "webhook_endpoints": (1, 0),
            "conversations": (1, 0),
        }
        assert "Re-encrypted 7 rows with the first key; 3 were already under it." in first.stdout
        assert second.exit_code == 0, second.output
        assert "Re-encrypted 0 rows with the first key; 10 were already under it." in (
            second.stdout
        )
        assert after_second == after_first

        # Only the new key from now on.
        use_field_keys(monkeypatch, KEY_B)
        assert await rows_under_b(db) == {
            "stores": 1,
            "customers": 1,
            "addresses": 1,
            "payment_methods": 3,
            "orders": 1,
            "connections": 1,
            "webhook_endpoints": 1,
            "conversations": 1,
        }
        runtime = Runtime.build(db, settings_with(url, KEY_B, tmp_path))
        try:
            async with db.reading() as s:
                # customer lookup by e-mail (blind index) and the decrypted fields
                found = await customers_service.find_by_email(
                    s, made.store_id, "rot.ate@example.com"
                )
                order = await s.get(Order, made.order_id)
                # the connector code path reads the credentials and the webhook secret
                connection = await s.get(Connection, made.connection_id)
                assert connection is not None
                encryptor = connectors_service.connector_encryptor(KEY_B)
                connector = await connectors_service.build_connector(s, connection, encryptor)
                webhook_secret = connectors_service.webhook_secret_of(connection, encryptor)
                endpoint = await s.get(WebhookEndpoint, made.endpoint_id)
                assert endpoint is not None
                # an identity token signed with the store's secret
                token = issue_token(
                    secret=IDENTITY, audience=made.store_slug, subject=f"fw:{made.customer_id}"
                )
                identified = await assistant_service.customer_for_token(
                    s, runtime, made.store_id, token
                )
            # the conversation's vault restores what the shopper typed
            prepared = await prepare(
                runtime, store_id=made.store_id, public_id=made.conversation, text="hello"
            )
        finally:
            await runtime.close()
        headers = connector.http._client.headers  # type: ignore[attr-defined]
        await connector.aclose()
        assert found is not None
        assert (found.id, found.email, found.phone) == (
            made.customer_id,
            EMAIL,
            "+44 20 7946 0001",
        )
        assert order is not None
        assert order.email == EMAIL
        assert headers["X-Shopify-Access-Token"] == ACCESS_TOKEN
        assert webhook_secret == WEBHOOK_SECRET
        assert encryptor.decrypt(endpoint.secret_encrypted) == made.endpoint_secret
        assert identified == made.customer_id
        assert prepared.ctx.vault.restore("send it to [EMAIL_1]") == f"send it to {TYPED}"

    async def test_every_column_holding_ciphertext_is_rotated(
        self, own_db: tuple[str, Database], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A new column that stores ciphertext without being declared (EncryptedText,
        EncryptedJSON or info=sealed(…)) would be left under the old key: none exists."""
        _url, db = own_db
        await populate(db, monkeypatch)
        covered = {c.location for c in rotation.encrypted_columns(metadata)}
        holding: set[str] = set()
        async with db.reading() as s:
            for table in metadata.sorted_tables:
                texts = [c for c in table.columns if _textual(c.type)]
                for column in texts:
                    values = await s.scalars(select(type_coerce(column, Text)))
                    if any(v and v.startswith(("gAAAAA", "fw1:")) for v in values):
                        holding.add(f"{table.name}.{column.name}")

        assert holding - covered == set()
        assert holding >= {
            "stores.identity_secret_encrypted",
            "customers.email",
            "orders.email",
            "connections.credentials_encrypted",
            "connections.webhook_secret_encrypted",
            "webhook_endpoints.secret_encrypted",
            "conversations.vault_encrypted",
        }


class TestInterruptedAndBlocked:
    async def test_an_interrupted_run_is_finished_by_the_next(
        self, own_db: tuple[str, Database], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _url, db = own_db
        await populate(db, monkeypatch)
        async with db.transaction() as s:
            store = await factories.create_store(s)
            for i in range(4):
                await factories.create_customer(s, store, email=f"more{i}@example.com")
        use_field_keys(monkeypatch, f"{KEY_B},{KEY_A}")
        keys = rotation.Keys(f"{KEY_B},{KEY_A}")
        real = rotation.rotate_batch
        written = 0

        async def failing(*args: object, **kwargs: object) -> rotation.Batch:
            nonlocal written
            batch = await real(*args, **kwargs)  # type: ignore[arg-type]
            if kwargs.get("write") and batch.rewritten:
                written += 1
                if written == 3:
                    raise ConnectionError("the database went away")
            return batch

        monkeypatch.setattr(rotation, "rotate_batch", failing)
        with pytest.raises(ConnectionError):
            await rotation.rotate(db.reading, db.transaction, metadata, keys, limit=2)
        monkeypatch.setattr(rotation, "rotate_batch", real)
        done_before = await rows_under_b(db)

        resumed = await rotation.rotate(db.reading, db.transaction, metadata, keys, limit=2)

        # the first run stopped after its third written batch, with rows left under KEY_A
        assert resumed.rewritten > 0
        assert {n: t.current for n, t in resumed.tables.items()} == done_before
        # 2 stores, 5 customers, their 5 addresses and 15 payment methods, an order, a
        # connection, an endpoint, a conversation
        assert resumed.rewritten + resumed.current == 31
        assert await rows_under_b(db) == {
            "stores": 2,
            "customers": 5,
            "addresses": 5,
            "payment_methods": 15,
            "orders": 1,
            "connections": 1,
            "webhook_endpoints": 1,
            "conversations": 1,
        }

    @pytest.mark.parametrize("kind", ["sealed", "field"])
    async def test_a_value_under_an_unknown_key_stops_it_before_any_change(
        self, own_db: tuple[str, Database], monkeypatch: pytest.MonkeyPatch, kind: str
    ) -> None:
        _url, db = own_db
        made = await populate(db, monkeypatch)
        secret_credentials = "shpat_unknown_key_value"
        secret_phone = "+44 20 7946 0999"
        async with db.transaction() as s:
            if kind == "sealed":
                connection = await s.get(Connection, made.connection_id)
                assert connection is not None
                connection.credentials_encrypted = connectors_service.connector_encryptor(
                    KEY_C
                ).encrypt(f'{{"access_token": "{secret_credentials}"}}')
                where = f"connections.credentials_encrypted of row {made.connection_id}"
            else:
                table = Customer.__table__
                await s.execute(
                    table.update()  # type: ignore[attr-defined]
                    .where(table.c.id == made.customer_id)  # type: ignore[attr-defined]
                    .values(
                        phone=type_coerce(
                            FieldCipher(KEY_C).encrypt(secret_phone, context="customers.phone"),
                            Text,
                        )
                    )
                )
                where = f"customers.phone of row {made.customer_id}"
        before = await stored_values(db)
        monkeypatch.setenv("FLOORWALKER_SECRET_KEY", f"{KEY_B},{KEY_A}")
        use_field_keys(monkeypatch, f"{KEY_B},{KEY_A}")

        result = await invoke(["privacy", "rotate-keys", "--yes"])

        assert result.exit_code == 1
        assert f"Cannot decrypt {where}." in result.output
        assert "1 stored value(s) do not decrypt with any key in FLOORWALKER_SECRET_KEY" in (
            " ".join(result.output.split())
        )
        assert secret_credentials not in result.output
        assert secret_phone not in result.output
        assert "Re-encrypted" not in result.output
        assert await stored_values(db) == before


def _textual(type_: TypeEngine[object]) -> bool:
    """Whether a column type stores text (directly or through a TypeDecorator)."""
    if isinstance(type_, TypeDecorator):
        return _textual(type_.impl_instance)
    return isinstance(type_, String)
