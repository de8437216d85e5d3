"""Queries of the privacy context."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.privacy.models import PrivacyReceipt


class ReceiptRepository:
    """Receipts of one store."""

    def __init__(self, session: AsyncSession, store_id: int) -> None:
        self.session = session
        self.store_id = store_id

    async def add(self, receipt: PrivacyReceipt) -> PrivacyReceipt:
        """Store a receipt."""
        self.session.add(receipt)
        await self.session.flush()
        return receipt

    async def by_public_id(self, public_id: str) -> PrivacyReceipt | None:
        """A receipt by the id people quote, or None."""
        return await self.session.scalar(
            select(PrivacyReceipt).where(
                PrivacyReceipt.store_id == self.store_id, PrivacyReceipt.public_id == public_id
            )
        )

    async def erasure_of(self, customer_id: int) -> PrivacyReceipt | None:
        """The completed erasure of a customer, or None."""
        return await self.session.scalar(
            select(PrivacyReceipt)
            .where(
                PrivacyReceipt.store_id == self.store_id,
                PrivacyReceipt.customer_id == customer_id,
                PrivacyReceipt.kind == "erasure",
                PrivacyReceipt.status == "completed",
            )
            .order_by(PrivacyReceipt.id)
            .limit(1)
        )

    async def page(
        self,
        *,
        kind: str | None,
        customer_id: int | None,
        before_id: int | None,
        limit: int,
    ) -> Sequence[PrivacyReceipt]:
        """Receipts, newest first, optionally of one kind or customer."""
        query = select(PrivacyReceipt).where(PrivacyReceipt.store_id == self.store_id)
        if kind is not None:
            query = query.where(PrivacyReceipt.kind == kind)
        if customer_id is not None:
            query = query.where(PrivacyReceipt.customer_id == customer_id)
        if before_id is not None:
            query = query.where(PrivacyReceipt.id < before_id)
        rows = await self.session.scalars(query.order_by(PrivacyReceipt.id.desc()).limit(limit))
        return rows.all()

    async def first_of_platform_requests(self, request_ids: Sequence[int]) -> dict[int, str]:
        """The first receipt's public id of each platform request that has one."""
        if not request_ids:
            return {}
        rows = await self.session.execute(
            select(PrivacyReceipt.platform_request_id, PrivacyReceipt.public_id)
            .where(
                PrivacyReceipt.store_id == self.store_id,
                PrivacyReceipt.platform_request_id.in_(list(request_ids)),
            )
            .order_by(PrivacyReceipt.id)
        )
        first: dict[int, str] = {}
        for request_id, public_id in rows:
            if request_id is not None:
                first.setdefault(request_id, public_id)
        return first
