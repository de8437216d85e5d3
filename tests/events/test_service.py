"""The events service as other contexts call it: actors, stitching, consent, erasure."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from floorwalker.customers.models import Customer
from floorwalker.events import service as events_service
from floorwalker.events.errors import InvalidEvents
from floorwalker.events.models import Event, SessionLink
from floorwalker.events.schemas import EventType
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories


def event(event_id: str, minutes_ago: int = 5, **fields: Any) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "view",
        "timestamp": (utcnow() - dt.timedelta(minutes=minutes_ago)).isoformat(),
        "product_id": 3,
        **fields,
    }


async def stored(db: Database, store: Store) -> list[tuple[str, int | None, str | None]]:
    async with db.reading() as s:
        rows = await s.execute(
            select(Event.event_id, Event.customer_id, Event.session_id)
            .where(Event.store_id == store.id)
            .order_by(Event.event_id)
        )
        return [(r[0], r[1], r[2]) for r in rows.all()]


async def customers(
    db: Database, store: Store, count: int, refusing: set[int] = frozenset()
) -> list[int]:  # type: ignore[assignment]
    ids = []
    async with db.transaction() as s:
        for n in range(count):
            customer = await factories.create_customer(s, store)
            if n in refusing:
                row = await s.get(Customer, customer.id)
                assert row is not None
                row.consent = {"analytics": {"granted": False}}
            ids.append(customer.id)
    return ids


class TestActors:
    async def test_a_verified_shopper_s_events_carry_their_customer(
        self, db: Database, store: Store
    ) -> None:
        (shopper,) = await customers(db, store, 1)
        async with db.transaction() as s:
            result = await events_service.ingest(
                s, Actor.shopper(store.id, shopper), events=[event("a", session_id="s1")]
            )

        assert result.accepted == 1
        assert await stored(db, store) == [("a", shopper, "s1")]

    async def test_a_shopper_cannot_send_events_for_someone_else(
        self, db: Database, store: Store
    ) -> None:
        shopper, other = await customers(db, store, 2)
        async with db.transaction() as s:
            result = await events_service.ingest(
                s, Actor.shopper(store.id, shopper), events=[event("b", customer_id=other)]
            )

        assert [(r.field, r.reason) for r in result.rejected] == [
            ("customer_id", "must be the verified shopper's own id")
        ]
        assert await stored(db, store) == []

    async def test_an_anonymous_actor_records_under_its_own_session_only(
        self, db: Database, store: Store
    ) -> None:
        actor = Actor.anonymous(store.id, "sess-9")
        async with db.transaction() as s:
            first = await events_service.record(
                s,
                actor,
                event_type=EventType.SEARCH,
                event_id="q1",
                query="tent",
                properties={"results": 0},
            )
            again = await events_service.record(
                s, actor, event_type=EventType.SEARCH, event_id="q1", query="tent"
            )
            with pytest.raises(InvalidEvents):
                await events_service.record(
                    s,
                    actor,
                    event_type=EventType.VIEW,
                    event_id="v1",
                    product_id=1,
                    session_id="other",
                )

        assert (first, again) == (True, False)
        assert await stored(db, store) == [("q1", None, "sess-9")]


class TestStitching:
    async def test_the_earliest_identification_in_a_batch_wins(
        self, db: Database, store: Store
    ) -> None:
        first, second = await customers(db, store, 2)
        batch = [
            event("late", minutes_ago=1, session_id="s", customer_id=second),
            event("early", minutes_ago=9, session_id="s", customer_id=first),
            event("anon", minutes_ago=5, session_id="s"),
        ]
        async with db.transaction() as s:
            result = await events_service.ingest(s, Actor.system(store.id), events=batch)

        assert result.stitched_sessions == 1
        assert await stored(db, store) == [
            ("anon", first, "s"),
            ("early", first, "s"),
            ("late", second, "s"),
        ]

    async def test_a_customer_who_refused_analytics_is_never_stitched(
        self, db: Database, store: Store
    ) -> None:
        (refuser,) = await customers(db, store, 1, refusing={0})
        async with db.transaction() as s:
            await events_service.ingest(
                s, Actor.system(store.id), events=[event("x1", session_id="s")]
            )
            result = await events_service.ingest(
                s,
                Actor.system(store.id),
                events=[{**event("x2", session_id="s", customer_id=refuser), "type": "identify"}],
            )

        assert (result.accepted, result.skipped_no_consent, result.stitched_sessions) == (0, 1, 0)
        assert await stored(db, store) == [("x1", None, "s")]
        async with db.reading() as s:
            assert (
                await s.scalars(select(SessionLink).where(SessionLink.store_id == store.id))
            ).all() == []

    async def test_many_customers_in_one_run_are_read_in_pages_with_their_consent(
        self, db: Database, store: Store
    ) -> None:
        ids = await customers(db, store, 12, refusing={3, 7})
        batch = [event(f"m{n}", customer_id=cid) for n, cid in enumerate(ids)]
        context = events_service.IngestContext()
        async with db.transaction() as s:
            result = await events_service.ingest(
                s, Actor.system(store.id), events=batch, context=context
            )

        assert (result.accepted, result.skipped_no_consent) == (10, 2)
        assert context.refused == {ids[3], ids[7]}
        assert context.known == set(ids)

    async def test_a_session_stitched_earlier_keeps_its_refusing_customer_out_of_a_later_batch(
        self, db: Database, store: Store
    ) -> None:
        refuser, shopper = await customers(db, store, 2)
        async with db.transaction() as s:
            for n, (sid, cid) in enumerate([("s1", refuser), ("s2", shopper)]):
                await events_service.ingest(
                    s,
                    Actor.system(store.id),
                    events=[
                        {**event(f"i{n}", session_id=sid, customer_id=cid), "type": "identify"}
                    ],
                )
            row = await s.get(Customer, refuser)
            assert row is not None
            row.consent = {"analytics": {"granted": False}}
        events_service.consent_changed(store.id, refuser)

        context = events_service.IngestContext()
        results = []
        for batch in (
            [event("a1", session_id="s9")],
            [event("a2", session_id="s1"), event("a3", session_id="s2")],
        ):
            async with db.transaction() as s:
                results.append(
                    await events_service.ingest(
                        s, Actor.system(store.id), events=batch, context=context
                    )
                )

        # The refuser's session keeps its events anonymous; the other one is attributed.
        assert [r.accepted for r in results] == [1, 2]
        assert context.refused == {refuser}
        assert (await stored(db, store))[:3] == [
            ("a1", None, "s9"),
            ("a2", None, "s1"),
            ("a3", shopper, "s2"),
        ]


class TestConsentChanges:
    async def test_a_refusal_applies_at_once_when_the_change_is_announced(
        self, db: Database, store: Store
    ) -> None:
        (shopper,) = await customers(db, store, 1)
        async with db.transaction() as s:
            before = await events_service.ingest(
                s, Actor.system(store.id), events=[event("c1", customer_id=shopper)]
            )
            row = await s.get(Customer, shopper)
            assert row is not None
            row.consent = {"analytics": {"granted": False}}
        events_service.consent_changed(store.id, shopper)
        async with db.transaction() as s:
            after = await events_service.ingest(
                s, Actor.system(store.id), events=[event("c2", customer_id=shopper)]
            )

        assert (before.accepted, after.accepted, after.skipped_no_consent) == (1, 0, 1)
        assert await stored(db, store) == [("c1", shopper, None)]


class TestErasure:
    async def test_a_customers_events_and_stitched_sessions_are_erased(
        self, db: Database, store: Store
    ) -> None:
        ada, bob = await customers(db, store, 2)
        async with db.transaction() as s:
            await events_service.ingest(
                s,
                Actor.system(store.id),
                events=[
                    event("e1", session_id="s-ada"),
                    event("e2", session_id="s-ada", customer_id=ada),
                    event("e3", session_id="s-bob", customer_id=bob),
                ],
            )
            erased = await events_service.erase_customer(s, Actor.system(store.id), customer_id=ada)

        assert erased == 2
        assert await stored(db, store) == [("e3", bob, "s-bob")]
        async with db.reading() as s:
            links = (
                await s.scalars(
                    select(SessionLink.session_id).where(SessionLink.store_id == store.id)
                )
            ).all()
        assert links == ["s-bob"]
