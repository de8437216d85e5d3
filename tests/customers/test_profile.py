"""Consent by purpose and stated preferences, with who may change them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from floorwalker.audit.models import AuditEntry
from floorwalker.customers import service as customers_service
from floorwalker.customers.errors import ConsentRequired, CustomerNotFound
from floorwalker.customers.models import Customer
from floorwalker.customers.schemas import ConsentPurpose
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories


async def customer_of(db: Database, store: Store) -> Customer:
    async with db.transaction() as session:
        return await factories.create_customer(session, store)


async def profile(db: Database, store: Store, customer_id: int) -> Customer:
    async with db.reading() as session:
        return await customers_service.get_or_raise(session, store.id, customer_id)


async def audit_actions(db: Database, store: Store) -> list[tuple[str, str, dict[str, object]]]:
    async with db.reading() as session:
        entries = (
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.store_id == store.id, AuditEntry.subject_type == "customer")
                .order_by(AuditEntry.id)
            )
        ).all()
    return [(e.action, e.actor, e.data) for e in entries]


class TestConsent:
    async def test_granting_and_withdrawing_is_recorded_with_time_actor_and_audit(
        self, db: Database, store: Store
    ) -> None:
        customer = await customer_of(db, store)
        actor = Actor.system(store.id, "console")

        async with db.transaction() as session:
            await customers_service.set_consent(
                session, actor, customer.id, ConsentPurpose.ANALYTICS, True
            )
        async with db.transaction() as session:
            await customers_service.set_consent(session, actor, customer.id, "analytics", False)

        stored = await profile(db, store, customer.id)
        assert customers_service.has_consent(stored, "analytics") is False
        assert customers_service.has_consent(stored, ConsentPurpose.PERSONALISATION) is False
        entry = stored.consent["analytics"]
        assert (entry["granted"], entry["source"]) == (False, "system:console")
        assert entry["at"].endswith("+00:00")
        assert [
            (a, who, d["purpose"], d["granted"]) for a, who, d in await audit_actions(db, store)
        ] == [
            ("customer.consent", "system:console", "analytics", True),
            ("customer.consent", "system:console", "analytics", False),
        ]

    async def test_marketing_consent_keeps_accepts_marketing_in_step(
        self, db: Database, store: Store
    ) -> None:
        customer = await customer_of(db, store)

        async with db.transaction() as session:
            await customers_service.set_consent(
                session, Actor.system(store.id), customer.id, "marketing", True
            )

        stored = await profile(db, store, customer.id)
        assert stored.accepts_marketing is True
        assert customers_service.has_consent(stored, "marketing") is True

    async def test_a_shopper_changes_only_their_own_consent(
        self, db: Database, store: Store
    ) -> None:
        mine = await customer_of(db, store)
        theirs = await customer_of(db, store)

        async with db.transaction() as session:
            await customers_service.set_consent(
                session, Actor.shopper(store.id, mine.id), mine.id, "personalisation", True
            )
        async with db.transaction() as session:
            with pytest.raises(CustomerNotFound):
                await customers_service.set_consent(
                    session, Actor.shopper(store.id, mine.id), theirs.id, "personalisation", True
                )

        assert customers_service.has_consent(await profile(db, store, mine.id), "personalisation")
        assert (await profile(db, store, theirs.id)).consent == {}

    async def test_another_stores_customer_is_not_found(
        self, db: Database, store: Store, other_store: Store
    ) -> None:
        theirs = await customer_of(db, other_store)

        async with db.transaction() as session:
            with pytest.raises(CustomerNotFound):
                await customers_service.set_consent(
                    session, Actor.system(store.id), theirs.id, "marketing", True
                )

        assert (await profile(db, other_store, theirs.id)).consent == {}


class TestPreferences:
    async def test_stated_preferences_merge_into_the_profile(
        self, db: Database, store: Store
    ) -> None:
        customer = await customer_of(db, store)
        actor = Actor.system(store.id)

        async with db.transaction() as session:
            await customers_service.update_preferences(
                session,
                actor,
                customer.id,
                {
                    "sizes": {"Shoes": "42", "shirts": "M"},
                    "brands_liked": ["Acme"],
                    "brands_disliked": ["Zeta"],
                    "budget": {"max": 8000, "currency": "usd"},
                    "colours": ["navy"],
                    "dislikes": ["wool"],
                },
            )
        async with db.transaction() as session:
            await customers_service.update_preferences(
                session,
                actor,
                customer.id,
                {"sizes": {"shoes": "43", "shirts": None}, "brands_liked": ["zeta", "acme"]},
            )

        preferences = dict((await profile(db, store, customer.id)).preferences)
        assert preferences.pop("updated_at").endswith("+00:00")
        assert preferences == {
            "sizes": {"shoes": "43"},
            "brands_liked": ["Acme", "zeta"],
            "budget": {"min": None, "max": 8000, "currency": "USD"},
            "colours": ["navy"],
            "dislikes": ["wool"],
        }

    async def test_clear_forgets_fields_and_repeating_changes_nothing(
        self, db: Database, store: Store
    ) -> None:
        customer = await customer_of(db, store)
        actor = Actor.system(store.id)
        async with db.transaction() as session:
            await customers_service.update_preferences(
                session, actor, customer.id, {"colours": ["navy"], "dislikes": ["wool"]}
            )
        async with db.transaction() as session:
            await customers_service.update_preferences(
                session, actor, customer.id, {"clear": ["colours"]}
            )
        before = await profile(db, store, customer.id)
        audits = len(await audit_actions(db, store))

        async with db.transaction() as session:
            await customers_service.update_preferences(
                session, actor, customer.id, {"dislikes": ["Wool"]}
            )

        after = await profile(db, store, customer.id)
        assert after.preferences == before.preferences
        assert {k for k in after.preferences if k != "updated_at"} == {"dislikes"}
        assert after.updated_at == before.updated_at
        assert len(await audit_actions(db, store)) == audits

    async def test_a_shopper_without_personalisation_consent_is_refused(
        self, db: Database, store: Store
    ) -> None:
        customer = await customer_of(db, store)

        async with db.transaction() as session:
            with pytest.raises(ConsentRequired) as refused:
                await customers_service.update_preferences(
                    session, Actor.shopper(store.id, customer.id), customer.id, {"colours": ["red"]}
                )

        assert refused.value.to_dict() == {
            "error": "consent_required",
            "detail": "The shopper has not consented to personalisation; ask before remembering "
            "this.",
            "purpose": "personalisation",
        }
        assert (await profile(db, store, customer.id)).preferences == {}


class TestDelete:
    async def test_deleting_removes_the_customer_and_is_audited(
        self, db: Database, store: Store
    ) -> None:
        customer = await customer_of(db, store)

        async with db.transaction() as session:
            await customers_service.delete_customer(session, Actor.system(store.id), customer.id)

        async with db.reading() as session:
            assert await customers_service.get(session, store.id, customer.id) is None
        assert [(a, who) for a, who, _ in await audit_actions(db, store)] == [
            ("customer.delete", "system:system")
        ]
