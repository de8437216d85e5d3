"""Personal data at rest: encrypted columns, blind indexes, lookups and key rotation."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Table, Text, insert, select, type_coerce

from floorwalker.catalog.models import Variant
from floorwalker.customers import service as customers_service
from floorwalker.customers.models import Address, Customer
from floorwalker.database import upgrade
from floorwalker.kit import fields
from floorwalker.kit.actor import Actor
from floorwalker.kit.crypto import DecryptionFailed
from floorwalker.kit.db import Database
from floorwalker.kit.fields import FieldCipher
from floorwalker.kit.rotation import Keys, encrypted_columns, rotate_batch
from floorwalker.models import metadata
from floorwalker.orders.models import Order
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import TEST_SECRET_KEY, create_empty_database, drop_database

CUSTOMERS: Table = Customer.__table__  # type: ignore[assignment]
ORDERS: Table = Order.__table__  # type: ignore[assignment]
ADDRESSES: Table = Address.__table__  # type: ignore[assignment]
CUSTOMER_COLUMNS = [c for c in encrypted_columns(metadata) if c.table is CUSTOMERS]


def raw(column: str, table: Table = CUSTOMERS) -> object:
    """The column as stored, bypassing decryption."""
    return type_coerce(table.c[column], Text)


class TestFieldCipher:
    def test_a_value_round_trips_and_its_stored_form_hides_it(self) -> None:
        box = FieldCipher("a-long-secret-key")

        stored = box.encrypt("ada@example.com", context="customers.email")

        assert stored.startswith(f"fw1:{box.key_id}:")
        assert "ada" not in stored
        assert box.decrypt(stored, context="customers.email") == "ada@example.com"
        assert box.encrypt("ada@example.com", context="customers.email") != stored

    def test_a_value_moved_to_another_column_does_not_decrypt(self) -> None:
        box = FieldCipher("k")
        stored = box.encrypt("Ada", context="customers.first_name")

        with pytest.raises(DecryptionFailed):
            box.decrypt(stored, context="customers.last_name")

    def test_an_unknown_key_is_refused_and_plaintext_passes_through(self) -> None:
        stored = FieldCipher("old").encrypt("Ada", context="c")

        with pytest.raises(DecryptionFailed):
            FieldCipher("new").decrypt(stored, context="c")
        assert FieldCipher("new").decrypt("written before encryption", context="c") == (
            "written before encryption"
        )

    def test_rotation_reads_with_any_key_and_writes_with_the_first(self) -> None:
        old = FieldCipher("old")
        both = FieldCipher("new,old")
        stored = old.encrypt("Ada", context="c")

        assert both.decrypt(stored, context="c") == "Ada"
        assert not both.is_current(stored)
        assert both.is_current(both.encrypt("Ada", context="c"))
        assert both.blind_candidates("ada@example.com", context="e") == [
            FieldCipher("new").blind_index("ada@example.com", context="e"),
            old.blind_index("ada@example.com", context="e"),
        ]

    def test_blind_indexes_are_keyed_and_per_column(self) -> None:
        box = FieldCipher("k")

        index = box.blind_index("ada@example.com", context="customers.email")

        assert len(index) == 40
        assert index == FieldCipher("k").blind_index("ada@example.com", context="customers.email")
        assert index != FieldCipher("other").blind_index(
            "ada@example.com", context="customers.email"
        )
        assert index != box.blind_index("ada@example.com", context="orders.email")


class TestEncryptedColumns:
    async def test_contact_fields_are_stored_encrypted_and_read_back_plain(
        self, db: Database, store: Store
    ) -> None:
        async with db.transaction() as s:
            customer = await factories.create_customer(s, store, email="zeb@example.com")
            customer.phone = "+44 20 7946 0958"

        async with db.reading() as s:
            stored = (
                await s.execute(
                    select(
                        raw("email"), raw("first_name"), raw("phone"), CUSTOMERS.c.email_index
                    ).where(CUSTOMERS.c.id == customer.id)
                )
            ).one()
            line1 = await s.scalar(
                select(raw("line1", ADDRESSES)).where(ADDRESSES.c.customer_id == customer.id)
            )
            loaded = await customers_service.get(s, store.id, customer.id)
        assert loaded is not None
        assert all(str(v).startswith("fw1:") for v in (*stored[:3], line1))
        assert "zeb" not in str(stored)
        assert "Ada" not in str(stored)
        assert stored[3] == fields.cipher().blind_index(
            "zeb@example.com", context="customers.email"
        )
        assert (loaded.email, loaded.first_name, loaded.phone) == (
            "zeb@example.com",
            "Ada",
            "+44 20 7946 0958",
        )
        assert loaded.addresses[0].line1 == "12 St James's Square"

    async def test_lookups_by_email_match_the_blind_index_whatever_the_case(
        self, db: Database, store: Store, other_store: Store
    ) -> None:
        async with db.transaction() as s:
            mine = await factories.create_customer(s, store, email="kim@example.com")
            await factories.create_customer(s, other_store, email="kim@example.com")

        async with db.reading() as s:
            found = await customers_service.find_by_email(s, store.id, "  KIM@Example.com ")
            by_column = await s.scalar(
                select(Customer.id).where(
                    Customer.store_id == store.id, Customer.email == "Kim@example.com"
                )
            )
            listed = await customers_service.list_customers(s, store.id, email="kim@example.com")
            missing = await customers_service.find_by_email(s, store.id, "nobody@example.com")
        assert found is not None
        assert found.id == mine.id
        assert by_column == mine.id
        assert [c.id for c in listed] == [mine.id]
        assert missing is None

    async def test_an_encrypted_column_without_an_index_cannot_be_compared(self) -> None:
        with pytest.raises(TypeError, match=r"addresses\.line1 is encrypted"):
            select(Address.id).where(Address.line1 == "12 St James's Square")

    async def test_batch_upserts_encrypt_and_index_through_the_bulk_path(
        self, db: Database, store: Store
    ) -> None:
        actor = Actor.system(store.id)
        records = [
            {"email": f"bulk{i}@example.com", "first_name": f"Bulk{i}", "phone": "+1 555 0100"}
            for i in range(3)
        ]
        async with db.transaction() as s:
            summary = await customers_service.upsert_customers(s, actor, records)
        async with db.transaction() as s:
            again = await customers_service.upsert_customers(
                s, actor, [{"email": "BULK1@example.com", "last_name": "Second"}]
            )

        async with db.reading() as s:
            stored = (
                await s.execute(
                    select(raw("email"), CUSTOMERS.c.email_index)
                    .where(CUSTOMERS.c.store_id == store.id)
                    .order_by(CUSTOMERS.c.id)
                )
            ).all()
            second = await customers_service.find_by_email(s, store.id, "bulk1@example.com")
        assert [r.status.value for r in summary.results] == ["created"] * 3
        assert [r.status.value for r in again.results] == ["updated"]
        assert all(str(email).startswith("fw1:") for email, _ in stored)
        assert [index for _, index in stored] == [
            fields.cipher().blind_index(f"bulk{i}@example.com", context="customers.email")
            for i in range(3)
        ]
        assert second is not None
        assert (second.first_name, second.last_name) == ("Bulk1", "Second")

    async def test_an_orders_email_and_address_are_encrypted(
        self, db: Database, store: Store
    ) -> None:
        async with db.transaction() as s:
            customer = await factories.create_customer(s, store, email="ord@example.com")
            product = await factories.create_product(s, store)
            variant = await s.scalar(select(Variant).where(Variant.product_id == product.id))
            assert variant is not None
            order = await factories.create_order(s, store, customer, lines=[(variant, 1)])

        async with db.reading() as s:
            stored = (
                await s.execute(
                    select(raw("email", ORDERS), raw("shipping_address", ORDERS)).where(
                        ORDERS.c.id == order.id
                    )
                )
            ).one()
            loaded = await s.get(Order, order.id)
        assert loaded is not None
        assert all(str(v).startswith("fw1:") for v in stored)
        assert "London" not in str(stored)
        assert loaded.shipping_address["city"] == "London"
        assert loaded.email == "ord@example.com"


@pytest.fixture
def empty_url(run_id: str, tmp_path: Path) -> Iterator[str]:
    name = f"{run_id}_fields"
    url = create_empty_database(name, tmp_path)
    upgrade(url)
    yield url
    drop_database(name)


@pytest.fixture
async def own_db(empty_url: str) -> AsyncIterator[Database]:
    database = Database.from_url(empty_url)
    yield database
    await database.dispose()


@pytest.fixture
def restore_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start from exactly the test key (earlier tests in the process may have configured others,
    e.g. a CLI run with the development key), and put the process's cipher back afterwards."""
    monkeypatch.setitem(fields._state, "cipher", FieldCipher(TEST_SECRET_KEY))


@pytest.mark.usefixtures("restore_keys")
class TestRotation:
    async def test_rotation_moves_every_value_to_the_new_key_once(self, own_db: Database) -> None:
        old_key = TEST_SECRET_KEY
        async with own_db.transaction() as s:
            store = await factories.create_store(s)
            customers = [
                await factories.create_customer(s, store, email=f"r{i}@example.com")
                for i in range(3)
            ]
            # a row written before encryption existed: plaintext, no blind index
            await s.execute(
                insert(CUSTOMERS).values(
                    store_id=store.id,
                    source="legacy",
                    email=type_coerce("legacy@example.com", Text),
                    first_name=type_coerce("Lee", Text),
                    last_name=type_coerce("Gacy", Text),
                    consent={},
                    preferences={},
                    tags=[],
                )
            )
        fields.configure(f"brand-new-key,{old_key}")
        keys = Keys(f"brand-new-key,{old_key}")

        seen: list[tuple[int, int, int]] = []
        for _ in range(2):
            async with own_db.transaction() as s:
                batch = await rotate_batch(s, CUSTOMER_COLUMNS, keys, after_id=0)
            seen.append((batch.read, batch.rewritten, batch.current))
            assert batch.after_id is None

        only_new = FieldCipher("brand-new-key")
        async with own_db.reading() as s:
            rows = (
                await s.execute(select(raw("email"), CUSTOMERS.c.email_index).order_by("id"))
            ).all()
        assert seen == [(4, 4, 0), (4, 0, 4)]
        assert sorted(only_new.decrypt(str(e), context="customers.email") for e, _ in rows) == [
            "legacy@example.com",
            "r0@example.com",
            "r1@example.com",
            "r2@example.com",
        ]
        assert [i for _, i in rows] == [
            only_new.blind_index(only_new.decrypt(str(e), context="customers.email"),
                                 context="customers.email")
            for e, _ in rows
        ]  # fmt: skip
        async with own_db.reading() as s:
            found = await customers_service.find_by_email(s, store.id, "legacy@example.com")
        assert found is not None
        assert found.first_name == "Lee"
        assert len(customers) == 3

    async def test_batches_resume_after_the_last_id(self, own_db: Database) -> None:
        async with own_db.transaction() as s:
            store = await factories.create_store(s)
            made = [
                await factories.create_customer(s, store, email=f"b{i}@example.com")
                for i in range(5)
            ]
        fields.configure(f"another-key,{TEST_SECRET_KEY}")
        keys = Keys(f"another-key,{TEST_SECRET_KEY}")

        async with own_db.transaction() as s:
            first = await rotate_batch(s, CUSTOMER_COLUMNS, keys, after_id=0, limit=2)
        async with own_db.transaction() as s:
            second = await rotate_batch(
                s, CUSTOMER_COLUMNS, keys, after_id=first.after_id or 0, limit=10
            )

        assert (first.read, first.rewritten, first.after_id) == (2, 2, made[1].id)
        assert (second.read, second.rewritten, second.after_id) == (3, 3, None)
