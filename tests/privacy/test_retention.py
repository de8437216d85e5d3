"""Retention: `privacy.purge` deletes conversations and events older than the store's windows,
once, and nothing of another store or within the window."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy import func, select

from floorwalker.assistant.models import Conversation, Message
from floorwalker.events.models import Event
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.privacy import jobs
from floorwalker.privacy.models import PrivacyReceipt
from floorwalker.stores.models import Store
from tests import factories


async def seed(db: Database, store: Store, *, days_ago: list[int]) -> None:
    """A conversation (with a message) idle since, and an event that occurred, each age."""
    now = utcnow()
    async with db.transaction() as s:
        for age in days_ago:
            when = now - dt.timedelta(days=age)
            conversation = Conversation(
                store_id=store.id, public_id=factories.unique("conv_r"), token_digest="0" * 64,
                state={}, cart=[], last_activity_at=when, created_at=when, updated_at=when,
            )  # fmt: skip
            s.add(conversation)
            await s.flush()
            s.add(
                Message(store_id=store.id, conversation_id=conversation.id, role="user", text="hi")
            )
            s.add(Event(store_id=store.id, event_id=factories.unique("ev"), type="page_view",
                        occurred_at=when, properties={}))  # fmt: skip


async def ages(db: Database, store: Store) -> tuple[list[int], list[int]]:
    """The ages in days of the store's conversations and events."""
    now = utcnow()
    async with db.reading() as s:
        conversations = await s.scalars(
            select(Conversation.last_activity_at).where(Conversation.store_id == store.id)
        )
        events = await s.scalars(select(Event.occurred_at).where(Event.store_id == store.id))
        return (
            sorted(round((now - t) / dt.timedelta(days=1)) for t in conversations),
            sorted(round((now - t) / dt.timedelta(days=1)) for t in events),
        )


class TestPurge:
    async def test_only_what_is_older_than_the_windows_goes_and_only_once(
        self, db: Database, store: Store, other_store: Store, admin: httpx.AsyncClient
    ) -> None:
        await seed(db, store, days_ago=[10, 40, 100, 800])
        await seed(db, other_store, days_ago=[40, 100])
        await admin.patch(
            "/v1/privacy/settings",
            json={"conversation_retention_days": 30, "event_retention_days": 90},
        )

        first = await admin.post("/v1/privacy/purge")
        second = await admin.post("/v1/privacy/purge")

        assert first.status_code == 200, first.text
        assert (first.json()["conversations"], first.json()["events"]) == (3, 2)
        assert (second.json()["conversations"], second.json()["events"]) == (0, 0)
        assert await ages(db, store) == ([10], [10, 40])
        assert await ages(db, other_store) == ([40, 100], [40, 100])
        async with db.reading() as s:
            messages = await s.scalar(
                select(func.count(Message.id)).where(Message.store_id == store.id)
            )
            receipts = list(
                await s.scalars(select(PrivacyReceipt).where(PrivacyReceipt.store_id == store.id))
            )
        assert messages == 1
        assert [(r.kind, r.origin, r.counts) for r in receipts] == [
            ("purge", "api", {"assistant": {"conversations": 3}, "events": {"events": 2}})
        ]

    async def test_the_defaults_keep_a_year_of_conversations_and_two_of_events(
        self, db: Database, store: Store
    ) -> None:
        await seed(db, store, days_ago=[300, 400, 700, 800])

        result = await jobs.purge_store(db, store_id=store.id)

        assert (result.conversations, result.events) == (3, 1)
        assert await ages(db, store) == ([300], [300, 400, 700])

    async def test_a_window_of_zero_keeps_everything(self, db: Database, store: Store) -> None:
        await seed(db, store, days_ago=[5000])
        async with db.transaction() as s:
            target = await s.get(Store, store.id)
            assert target is not None
            target.settings = {"privacy": {"conversation_retention_days": 0,
                                           "event_retention_days": 0}}  # fmt: skip

        result = await jobs.purge_store(db, store_id=store.id)

        assert (result.conversations, result.events) == (0, 0)
        assert (result.conversation_cutoff, result.event_cutoff) == (None, None)
        assert await ages(db, store) == ([5000], [5000])

    async def test_settings_are_validated(self, admin: httpx.AsyncClient) -> None:
        negative = await admin.patch("/v1/privacy/settings", json={"event_retention_days": -1})
        unknown = await admin.patch("/v1/privacy/settings", json={"keep_forever": True})
        current = await admin.get("/v1/privacy/settings")

        assert (negative.status_code, unknown.status_code) == (422, 422)
        assert current.json() == {
            "keep_order_financials": True,
            "conversation_retention_days": 365,
            "event_retention_days": 730,
        }


class TestPurgeAll:
    async def test_the_scheduled_job_purges_every_store(
        self, db: Database, store: Store, other_store: Store
    ) -> None:
        await seed(db, store, days_ago=[900, 3])
        await seed(db, other_store, days_ago=[800])

        results = {r.store_id: r for r in await jobs.purge_all(db)}

        assert (results[store.id].conversations, results[store.id].events) == (1, 1)
        assert (results[other_store.id].conversations, results[other_store.id].events) == (1, 1)
        assert await ages(db, store) == ([3], [3])
        assert await ages(db, other_store) == ([], [])
