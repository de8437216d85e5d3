"""Knowledge articles: batch upsert by id, external id or slug, and what the assistant reads."""

from __future__ import annotations

from typing import Any

from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.kit.upsert import UpsertStatus, UpsertSummary
from floorwalker.knowledge import service as knowledge_service
from floorwalker.stores.models import Store

RETURNS = {"kind": "policy", "title": "Returns", "body": "30 days.", "tags": ["returns"]}
SHIPPING = {"kind": "faq", "title": "How long is shipping?", "body": "3-5 days."}


async def upsert(db: Database, store: Store, records: list[Any]) -> UpsertSummary:
    async with db.transaction() as session:
        return await knowledge_service.upsert_articles(session, Actor.system(store.id), records)


async def articles(db: Database, store: Store) -> list[tuple[str, str, str, str, bool]]:
    async with db.reading() as session:
        found = await knowledge_service.list_articles(session, store.id)
    return [(a.kind, a.slug, a.title, a.body, a.published) for a in found]


class TestUpsertArticles:
    async def test_creates_then_reports_unchanged_then_updates_by_slug(
        self, db: Database, store: Store
    ) -> None:
        created = await upsert(db, store, [RETURNS, SHIPPING])
        again = await upsert(db, store, [RETURNS, SHIPPING])
        updated = await upsert(db, store, [{"slug": "returns", "body": "60 days."}])

        assert [r.status for r in created.results] == [UpsertStatus.CREATED] * 2
        assert [r.status for r in again.results] == [UpsertStatus.UNCHANGED] * 2
        assert [(r.status, r.id) for r in updated.results] == [
            (UpsertStatus.UPDATED, created.results[0].id)
        ]
        assert await articles(db, store) == [
            ("policy", "returns", "Returns", "60 days.", True),
            ("faq", "how-long-is-shipping", "How long is shipping?", "3-5 days.", True),
        ]

    async def test_a_new_article_needs_kind_title_and_body(
        self, db: Database, store: Store
    ) -> None:
        summary = await upsert(db, store, [{"slug": "empty"}])

        assert summary.results[0].errors is not None
        assert [(e.loc, e.type) for e in summary.results[0].errors] == [
            (["kind"], "missing"),
            (["title"], "missing"),
            (["body"], "missing"),
        ]
        assert await articles(db, store) == []

    async def test_renaming_to_a_taken_slug_is_refused(self, db: Database, store: Store) -> None:
        created = await upsert(db, store, [RETURNS, SHIPPING])

        summary = await upsert(db, store, [{"id": created.results[1].id, "slug": "returns"}])

        assert summary.results[0].error == "slug_taken"
        assert [slug for _, slug, *_ in await articles(db, store)] == [
            "returns",
            "how-long-is-shipping",
        ]

    async def test_the_assistant_reads_only_published_articles(
        self, db: Database, store: Store
    ) -> None:
        await upsert(db, store, [RETURNS, {**SHIPPING, "published": False}])

        async with db.reading() as session:
            published = await knowledge_service.published_articles(session, store.id)
            policies = await knowledge_service.published_articles(session, store.id, kind="policy")
            faqs = await knowledge_service.published_articles(session, store.id, kind="faq")

        assert [a.slug for a in published] == ["returns"]
        assert [a.slug for a in policies] == ["returns"]
        assert faqs == []
