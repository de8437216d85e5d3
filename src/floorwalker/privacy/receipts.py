"""Receipts: proof of what a privacy request did, kept without personal data."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.security import new_token
from floorwalker.privacy.models import PrivacyReceipt
from floorwalker.privacy.repository import ReceiptRepository
from floorwalker.privacy.schemas import Origin, Receipt


async def record(
    session: AsyncSession,
    actor: Actor,
    *,
    kind: str,
    origin: Origin,
    counts: dict[str, Any],
    customer_id: int | None = None,
    platform_request_id: int | None = None,
    detail: str = "",
    status: str = "completed",
) -> PrivacyReceipt:
    """Store the receipt of a request carried out now."""
    now = utcnow()
    return await ReceiptRepository(session, actor.store_id).add(
        PrivacyReceipt(
            store_id=actor.store_id,
            public_id=new_token("prv_", 12),
            kind=kind,
            status=status,
            origin=origin.value,
            requested_by=actor.label,
            customer_id=customer_id,
            platform_request_id=platform_request_id,
            requested_at=now,
            completed_at=now,
            counts=counts,
            detail=detail,
        )
    )


def to_read(receipt: PrivacyReceipt) -> Receipt:
    """The API shape of a receipt."""
    return Receipt(
        id=receipt.public_id,
        kind=receipt.kind,
        status=receipt.status,
        origin=receipt.origin,
        requested_by=receipt.requested_by,
        customer_id=receipt.customer_id,
        platform_request_id=receipt.platform_request_id,
        requested_at=receipt.requested_at,
        completed_at=receipt.completed_at,
        counts=receipt.counts,
        detail=receipt.detail,
    )
