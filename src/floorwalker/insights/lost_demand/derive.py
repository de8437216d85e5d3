"""The `insights.lost_demand` job: new searches and assistant answers → stored signals.

Each source is read after a stored cursor (the last event or message id seen), so a run only
looks at what is new and running it twice adds nothing. Signals are unique per store, source
and reference; one search can give several (over budget *and* size unavailable).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.insights.lost_demand import classify, queries
from floorwalker.insights.models import LostDemandSignal
from floorwalker.insights.repository import InsightsRepository
from floorwalker.insights.schemas import LostDemandOutcome, SignalSource
from floorwalker.kit.db import Database
from floorwalker.kit.money import exponent
from floorwalker.stores import service as stores_service

CURSOR_SEARCHES = "lost_demand.searches"
CURSOR_ANSWERS = "lost_demand.answers"
#: Rows read per round; a run keeps reading rounds until it has caught up.
BATCH = 2000


async def store_signals(
    session: AsyncSession,
    store_id: int,
    rows: Sequence[tuple[SignalSource, classify.Signal, dt.datetime]],
    *,
    currency: str | None = None,
) -> int:
    """Insert the signals not stored yet (by source and reference); returns how many were new.

    Each row is (source, signal, occurred_at). Products get their category filled in.
    """
    if not rows:
        return 0
    repo = InsightsRepository(session, store_id)
    new: list[tuple[SignalSource, classify.Signal, dt.datetime]] = []
    for source in {r[0] for r in rows}:
        refs = [r[1].source_ref for r in rows if r[0] is source]
        existing = await repo.existing_refs(source.value, refs)
        seen: set[str] = set()
        for row in rows:
            ref = row[1].source_ref
            if row[0] is source and ref not in existing and ref not in seen:
                seen.add(ref)
                new.append(row)
    if not new:
        return 0
    products = sorted({s.product_id for _, s, _ in new if s.product_id is not None})
    categories = await queries.categories_of(session, store_id, products)
    await session.execute(
        insert(LostDemandSignal),
        [
            {
                "store_id": store_id,
                "source": source.value,
                "source_ref": signal.source_ref,
                "reason": signal.reason.value,
                "occurred_at": occurred_at,
                "phrase": signal.phrase,
                "product_id": signal.product_id,
                "variant_id": signal.variant_id,
                "category_id": categories.get(signal.product_id)
                if signal.product_id is not None
                else None,
                "attribute": signal.attribute,
                "attribute_value": signal.attribute_value,
                "budget": signal.budget,
                "currency": currency if signal.budget is not None else None,
            }
            for source, signal, occurred_at in new
        ],
    )
    return len(new)


async def _searches(db: Database, store_id: int, currency: str) -> tuple[int, int]:
    read = added = 0
    option_values: dict[str, list[str]] | None = None
    while True:
        async with db.reading() as session:
            cursor = await InsightsRepository(session, store_id).cursor(CURSOR_SEARCHES)
            rows = await queries.searches_after(
                session, store_id, after_id=cursor.position if cursor else 0, limit=BATCH
            )
            if not rows:
                break
            if option_values is None:
                option_values = await queries.option_values(session, store_id)
            tops = {
                int(p)
                for r in rows
                for p in (r.properties.get("top_product_ids") or [])[: classify.TOP_CHECKED]
                if isinstance(p, int)
            }
            sold_out = await queries.sold_out(session, store_id, sorted(tops))
            chats = await queries.conversation_sessions(
                session, store_id, sorted({r.session_id for r in rows if r.session_id})
            )
        found: list[tuple[SignalSource, classify.Signal, dt.datetime]] = []
        for row in rows:
            source = SignalSource.CONVERSATION if row.session_id in chats else SignalSource.SEARCH
            for signal in classify.from_search(
                f"event:{row.event_id}",
                row.query,
                row.properties,
                sold_out=sold_out,
                option_values=option_values,
                minor_per_unit=10 ** exponent(currency),
            ):
                found.append((source, signal, row.occurred_at))
        async with db.transaction() as session:
            added += await store_signals(session, store_id, found, currency=currency)
            await InsightsRepository(session, store_id).set_cursor(CURSOR_SEARCHES, rows[-1].id)
        read += len(rows)
    return read, added


async def _answers(db: Database, store_id: int) -> tuple[int, int]:
    read = added = 0
    while True:
        async with db.reading() as session:
            cursor = await InsightsRepository(session, store_id).cursor(CURSOR_ANSWERS)
            rows = await queries.answers_after(
                session, store_id, after_id=cursor.position if cursor else 0, limit=BATCH
            )
        if not rows:
            break
        found: list[tuple[SignalSource, classify.Signal, dt.datetime]] = [
            (SignalSource.CONVERSATION, signal, row.created_at)
            for row in rows
            for signal in classify.from_availability(f"message:{row.id}", row.asked, row.result)
        ]
        async with db.transaction() as session:
            added += await store_signals(session, store_id, found)
            await InsightsRepository(session, store_id).set_cursor(CURSOR_ANSWERS, rows[-1].id)
        read += len(rows)
    return read, added


async def derive(db: Database, *, store_id: int) -> LostDemandOutcome:
    """Read a store's new searches and assistant answers and store their signals."""
    async with db.reading() as session:
        store = await stores_service.get_or_raise(session, store_id)
        currency = store.currency
    searches, from_searches = await _searches(db, store_id, currency)
    answers, from_answers = await _answers(db, store_id)
    return LostDemandOutcome(
        store_id=store_id,
        searches_read=searches,
        answers_read=answers,
        signals_added=from_searches + from_answers,
    )
