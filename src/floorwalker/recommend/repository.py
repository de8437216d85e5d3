"""Queries over the recommend context's own tables (rules, imported interactions)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, delete, false, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.recommend.models import ImportedInteraction, RecommendationRule


class RuleRepository:
    """Pins and blocks of one store."""

    def __init__(self, session: AsyncSession, store_id: int) -> None:
        self.session = session
        self.store_id = store_id

    async def list(self, *, surface: str | None = None) -> Sequence[RecommendationRule]:
        """Rules of the store (those that apply to `surface`, if given), pins in order."""
        statement = select(RecommendationRule).where(RecommendationRule.store_id == self.store_id)
        if surface is not None:
            statement = statement.where(
                or_(RecommendationRule.surface == surface, RecommendationRule.surface == "all")
            )
        statement = statement.order_by(
            RecommendationRule.kind, RecommendationRule.position, RecommendationRule.id
        )
        return (await self.session.execute(statement)).scalars().all()

    async def get(self, rule_id: int) -> RecommendationRule | None:
        """One rule of the store, or None."""
        return (
            await self.session.execute(
                select(RecommendationRule).where(
                    RecommendationRule.store_id == self.store_id,
                    RecommendationRule.id == rule_id,
                )
            )
        ).scalar_one_or_none()

    async def find(self, product_id: int, surface: str) -> RecommendationRule | None:
        """The rule of a product on a surface, or None."""
        return (
            await self.session.execute(
                select(RecommendationRule).where(
                    RecommendationRule.store_id == self.store_id,
                    RecommendationRule.product_id == product_id,
                    RecommendationRule.surface == surface,
                )
            )
        ).scalar_one_or_none()

    async def add(self, rule: RecommendationRule) -> RecommendationRule:
        """Insert a rule."""
        self.session.add(rule)
        await self.session.flush()
        return rule

    async def remove(self, rule: RecommendationRule) -> None:
        """Delete a rule."""
        await self.session.delete(rule)
        await self.session.flush()


class InteractionRepository:
    """Imported interaction history of one store."""

    def __init__(self, session: AsyncSession, store_id: int) -> None:
        self.session = session
        self.store_id = store_id

    async def insert_new(self, rows: Sequence[dict[str, Any]]) -> int:
        """Insert rows whose fingerprint the store does not have yet; returns how many."""
        if not rows:
            return 0
        dialect = self.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        before = await self.count()
        for start in range(0, len(rows), 1000):
            statement = insert(ImportedInteraction).values(list(rows[start : start + 1000]))
            await self.session.execute(
                statement.on_conflict_do_nothing(index_elements=["store_id", "fingerprint"])
            )
        return await self.count() - before

    async def count(self) -> int:
        """Imported rows of the store."""
        return int(
            (
                await self.session.execute(
                    select(func.count(ImportedInteraction.id)).where(
                        ImportedInteraction.store_id == self.store_id
                    )
                )
            ).scalar_one()
        )

    async def delete_for_customer(self, customer_id: int) -> int:
        """Delete a customer's imported rows; returns how many."""
        result = await self.session.execute(
            delete(ImportedInteraction).where(
                ImportedInteraction.store_id == self.store_id,
                ImportedInteraction.customer_id == customer_id,
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    # ------------------------------------------------------------ privacy (issue 6)

    async def of_customer(
        self, customer_id: int | None, refs: Sequence[str], *, limit: int = 100_000
    ) -> Sequence[ImportedInteraction]:
        """A customer's imported rows: linked to them, or naming them by one of `refs` (their
        e-mail or platform id, in rows imported before they were known), oldest first."""
        query = select(ImportedInteraction).where(
            ImportedInteraction.store_id == self.store_id, self._belongs(customer_id, refs)
        )
        rows = await self.session.scalars(query.order_by(ImportedInteraction.id).limit(limit))
        return rows.all()

    async def delete_of_customer(self, customer_id: int | None, refs: Sequence[str]) -> int:
        """Delete a customer's imported rows (linked, or naming them by a ref)."""
        result = await self.session.execute(
            delete(ImportedInteraction).where(
                ImportedInteraction.store_id == self.store_id, self._belongs(customer_id, refs)
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    @staticmethod
    def _belongs(customer_id: int | None, refs: Sequence[str]) -> ColumnElement[bool]:
        conditions: list[ColumnElement[bool]] = []
        if customer_id is not None:
            conditions.append(ImportedInteraction.customer_id == customer_id)
        wanted = sorted({r.strip().lower() for r in refs if r and r.strip()})
        if wanted:
            conditions.append(func.lower(ImportedInteraction.customer_ref).in_(wanted))
        return or_(*conditions) if conditions else false()
