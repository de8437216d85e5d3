"""Queries of the search context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.search.models import SearchState, SynonymRule


class SearchRepository:
    """Reads and writes synonym rules and search state of one store."""

    def __init__(self, session: AsyncSession, store_id: int) -> None:
        self.session = session
        self.store_id = store_id

    async def list_rules(self) -> Sequence[SynonymRule]:
        """Every synonym rule of the store, oldest first."""
        rows = await self.session.scalars(
            select(SynonymRule)
            .where(SynonymRule.store_id == self.store_id)
            .order_by(SynonymRule.id)
        )
        return rows.all()

    async def get_rule(self, rule_id: int) -> SynonymRule | None:
        """A synonym rule of the store, or None."""
        return await self.session.scalar(
            select(SynonymRule).where(
                SynonymRule.store_id == self.store_id, SynonymRule.id == rule_id
            )
        )

    async def add(self, rule: SynonymRule) -> SynonymRule:
        """Insert a rule."""
        self.session.add(rule)
        await self.session.flush()
        return rule

    async def delete(self, rule: SynonymRule) -> None:
        """Delete a rule."""
        await self.session.delete(rule)
        await self.session.flush()

    async def state(self) -> SearchState | None:
        """The store's search state row, or None before the first reindex request."""
        return await self.session.scalar(
            select(SearchState).where(SearchState.store_id == self.store_id)
        )

    async def add_state(self, state: SearchState) -> SearchState:
        """Insert the store's state row."""
        self.session.add(state)
        await self.session.flush()
        return state


async def fingerprints(
    session: AsyncSession, store_ids: Collection[int]
) -> dict[int, tuple[int, dt.datetime | None, dt.datetime | None]]:
    """Per store: (rule count, last rule change, last reindex request) — cheap change detection."""
    if not store_ids:
        return {}
    ids = list(store_ids)
    out: dict[int, tuple[int, dt.datetime | None, dt.datetime | None]] = dict.fromkeys(
        ids, (0, None, None)
    )
    rows = await session.execute(
        select(SynonymRule.store_id, func.count(), func.max(SynonymRule.updated_at))
        .where(SynonymRule.store_id.in_(ids))
        .group_by(SynonymRule.store_id)
    )
    for store_id, count, last_change in rows.all():
        out[int(store_id)] = (int(count), last_change, None)
    states = await session.execute(
        select(SearchState.store_id, SearchState.reindex_requested_at).where(
            SearchState.store_id.in_(ids)
        )
    )
    for store_id, requested in states.all():
        count, changed, _ = out[int(store_id)]
        out[int(store_id)] = (count, changed, requested)
    return out
