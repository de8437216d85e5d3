"""Batch upsert of customers: matching, addresses with one default, payment references."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from floorwalker.audit.models import AuditEntry
from floorwalker.customers import service as customers_service
from floorwalker.customers.models import Address, Customer, PaymentMethod
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.kit.upsert import UpsertStatus, UpsertSummary
from floorwalker.stores.models import Store


def ada(**overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "source": "shopify",
        "external_id": "C1",
        "email": "Ada@Example.com",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "phone": "+44 20 7946 0958",
        "accepts_marketing": True,
        "tags": ["vip"],
        "addresses": [
            {"line1": "12 St James's Square", "city": "London", "postal_code": "SW1Y 4JH",
             "country": "gb"},
            {"line1": "1 Rue de Rivoli", "city": "Paris", "country": "FR", "is_default": True},
        ],
        "payment_methods": [
            {"kind": "card", "brand": "Visa", "last4": "4242", "exp_month": 4, "exp_year": 2030},
            {"kind": "paypal", "paypal_email": "ada@example.com"},
            {"kind": "gift_card", "last4": "7777", "balance": 2500},
        ],
    }  # fmt: skip
    record.update(overrides)
    return record


async def upsert(db: Database, store: Store, records: list[Any]) -> UpsertSummary:
    async with db.transaction() as session:
        return await customers_service.upsert_customers(session, Actor.system(store.id), records)


async def snapshot(db: Database, store: Store) -> dict[str, Any]:
    async with db.reading() as session:

        async def rows(*columns: Any) -> list[Any]:
            table = columns[0].class_
            found = await session.execute(select(*columns).where(table.store_id == store.id))
            return sorted(tuple(r) for r in found.all())

        return {
            "customers": await rows(Customer.id, Customer.email, Customer.updated_at),
            "addresses": await rows(Address.id, Address.line1, Address.is_default),
            "methods": await rows(PaymentMethod.id, PaymentMethod.balance, PaymentMethod.active),
            "audits": await session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.store_id == store.id)
            ),
        }


class TestCreate:
    async def test_creates_customer_with_addresses_and_payment_references(
        self, db: Database, store: Store
    ) -> None:
        summary = await upsert(db, store, [ada()])

        assert summary.created == 1
        async with db.reading() as session:
            customer = await customers_service.get_or_raise(
                session, store.id, summary.results[0].id or 0
            )
            read = customers_service.to_read(customer)
        assert (read.email, read.name, read.source, read.external_id) == (
            "ada@example.com",
            "Ada Lovelace",
            "shopify",
            "C1",
        )
        assert read.accepts_marketing is True
        assert read.consent["marketing"]["granted"] is True
        assert [(a.city, a.country, a.is_default) for a in read.addresses] == [
            ("London", "GB", False),
            ("Paris", "FR", True),
        ]
        assert [(m.kind, m.label, m.balance, m.currency) for m in read.payment_methods] == [
            ("card", "Visa ending 4242", None, None),
            ("paypal", "PayPal", None, None),
            ("gift_card", "Gift card ending 7777", 2500, "USD"),
        ]
        assert [(g.label, g.balance) for g in read.gift_card_balances] == [
            ("Gift card ending 7777", 2500)
        ]

    async def test_the_same_payload_twice_changes_nothing(self, db: Database, store: Store) -> None:
        await upsert(db, store, [ada()])
        before = await snapshot(db, store)

        summary = await upsert(db, store, [ada()])

        assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 1)
        assert await snapshot(db, store) == before

    async def test_email_matches_within_a_source_only(self, db: Database, store: Store) -> None:
        first = await upsert(db, store, [{"email": "bo@example.com", "first_name": "Bo"}])

        same_source = await upsert(db, store, [{"email": "BO@example.com", "last_name": "Diddley"}])
        other_source = await upsert(
            db, store, [{"source": "woo", "email": "bo@example.com", "first_name": "Bo"}]
        )

        assert same_source.results[0].status is UpsertStatus.UPDATED
        assert same_source.results[0].id == first.results[0].id
        assert other_source.results[0].status is UpsertStatus.CREATED
        async with db.reading() as session:
            found = await customers_service.find_by_email(session, store.id, " Bo@Example.COM ")
        assert found is not None
        assert found.id == first.results[0].id
        assert found.name == "Bo Diddley"

    async def test_a_new_customer_needs_an_email_or_an_external_id(
        self, db: Database, store: Store
    ) -> None:
        summary = await upsert(db, store, [{"first_name": "Nobody"}])

        assert summary.results[0].error == "validation_error"
        assert summary.results[0].errors is not None
        assert [(e.loc, e.type) for e in summary.results[0].errors] == [(["email"], "missing")]
        assert (await snapshot(db, store))["customers"] == []


class TestCardNumbers:
    async def test_a_card_number_anywhere_fails_the_record_and_stores_nothing(
        self, db: Database, store: Store
    ) -> None:
        records = [
            ada(payment_methods=[{"kind": "card", "brand": "visa", "last4": "4242",
                                  "card_number": "4242424242424242"}]),
            ada(external_id="C2", email="b@example.com",
                addresses=[{"line1": "4111 1111 1111 1111", "city": "X", "country": "GB"}]),
            ada(external_id="C3", email="c@example.com", tags=[5555555555554444]),
            ada(external_id="C4", email="d@example.com",
                payment_methods=[{"kind": "card", "brand": "visa", "last4": "42"}]),
        ]  # fmt: skip

        summary = await upsert(db, store, records)

        assert [[(e.type, e.msg) for e in r.errors or []] for r in summary.results] == [
            [("card_number_rejected", "card numbers are never stored; send the card brand and "
              "last four digits (found in payment_methods.0.card_number)")],
            [("card_number_rejected", "card numbers are never stored; send the card brand and "
              "last four digits (found in addresses.0.line1)")],
            [("card_number_rejected", "card numbers are never stored; send the card brand and "
              "last four digits (found in tags.0)")],
            [("invalid_last4", "last4 is exactly four digits")],
        ]  # fmt: skip
        assert await snapshot(db, store) == {
            "customers": [], "addresses": [], "methods": [], "audits": 0
        }  # fmt: skip

    async def test_long_numbers_that_are_not_cards_pass(self, db: Database, store: Store) -> None:
        summary = await upsert(
            db,
            store,
            [
                ada(
                    phone="+1 415 555 0132 4567",
                    tags=["order 1234567890123", "ref 4242424242424241"],
                )
            ],
        )

        assert summary.created == 1


class TestAddresses:
    async def test_two_default_addresses_are_refused(self, db: Database, store: Store) -> None:
        both = ada(
            addresses=[
                {"line1": "1 A St", "city": "A", "country": "GB", "is_default": True},
                {"line1": "2 B St", "city": "B", "country": "GB", "is_default": True},
            ]
        )

        summary = await upsert(db, store, [both])

        assert summary.results[0].errors is not None
        assert [e.type for e in summary.results[0].errors] == ["multiple_default_addresses"]
        assert (await snapshot(db, store))["addresses"] == []

    async def test_without_a_flag_the_current_default_stays_and_removed_ones_go(
        self, db: Database, store: Store
    ) -> None:
        created = await upsert(db, store, [ada()])
        paris_only_unflagged = ada(
            addresses=[{"line1": "1 Rue de Rivoli", "city": "Paris", "country": "FR"},
                       {"line1": "5 Via Roma", "city": "Rome", "country": "IT"}]
        )  # fmt: skip

        summary = await upsert(db, store, [paris_only_unflagged])

        assert summary.results[0].status is UpsertStatus.UPDATED
        async with db.reading() as session:
            customer = await customers_service.get_or_raise(
                session, store.id, created.results[0].id or 0
            )
        assert [(a.city, a.is_default) for a in customer.addresses] == [
            ("Paris", True),
            ("Rome", False),
        ]
        assert customers_service.default_address(customer) is customer.addresses[0]

    async def test_exactly_one_default_when_none_is_flagged_on_creation(
        self, db: Database, store: Store
    ) -> None:
        record = ada(
            addresses=[{"line1": "1 A St", "city": "A", "country": "GB"},
                       {"line1": "2 B St", "city": "B", "country": "GB"}]
        )  # fmt: skip

        summary = await upsert(db, store, [record])

        async with db.reading() as session:
            customer = await customers_service.get_or_raise(
                session, store.id, summary.results[0].id or 0
            )
        assert [a.is_default for a in customer.addresses] == [True, False]


class TestPaymentMethods:
    async def test_methods_left_out_are_deactivated_and_balances_follow_the_source(
        self, db: Database, store: Store
    ) -> None:
        created = await upsert(db, store, [ada()])
        fewer = ada(payment_methods=[{"kind": "gift_card", "last4": "7777", "balance": 1000}])

        summary = await upsert(db, store, [fewer])

        assert summary.results[0].status is UpsertStatus.UPDATED
        async with db.reading() as session:
            customer = await customers_service.get_or_raise(
                session, store.id, created.results[0].id or 0
            )
        assert [(m.kind, m.active, m.balance) for m in customer.payment_methods] == [
            ("card", False, None),
            ("paypal", False, None),
            ("gift_card", True, 1000),
        ]
        assert [
            (g.balance, g.currency) for g in customers_service.gift_card_balances(customer)
        ] == [(1000, "USD")]

    async def test_a_card_without_brand_is_refused(self, db: Database, store: Store) -> None:
        summary = await upsert(
            db, store, [ada(payment_methods=[{"kind": "card", "last4": "1111"}])]
        )

        assert summary.results[0].errors is not None
        assert [e.type for e in summary.results[0].errors] == ["card_incomplete"]
