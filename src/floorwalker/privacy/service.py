"""Rules of the privacy context: consent, export, erasure, receipts and the store's settings.

The privacy context owns no customer data; it asks every context, through its service, for
what it holds about a person (`export`) and to forget it (`erasure`), and keeps a receipt of
each request without personal data. Erasure and export run in the caller's transaction, so an
erasure that fails half-way leaves nothing half-erased. See docs/privacy.md.

    from floorwalker.privacy import service as privacy_service
    receipt = await privacy_service.erase_customer(
        session, actor, customer_id=7, confirm="ada@example.com", origin=Origin.API
    )
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.connectors import service as connectors_service
from floorwalker.customers import service as customers_service
from floorwalker.kit.actor import Actor
from floorwalker.privacy.consent import change_consent as change_consent
from floorwalker.privacy.consent import consent_of as consent_of
from floorwalker.privacy.consent import consent_view as consent_view
from floorwalker.privacy.erasure import erase_customer as erase_customer
from floorwalker.privacy.erasure import preview_erasure as preview_erasure
from floorwalker.privacy.errors import CustomerRefNotFound, ReceiptNotFound
from floorwalker.privacy.export import export_customer as export_customer
from floorwalker.privacy.models import PrivacyReceipt
from floorwalker.privacy.platform import answer_platform_request as answer_platform_request
from floorwalker.privacy.receipts import to_read as receipt_to_read
from floorwalker.privacy.repository import ReceiptRepository
from floorwalker.privacy.schemas import (
    CustomerRecord,
    PlatformRequest,
    PrivacySettingsUpdate,
    Receipt,
)
from floorwalker.stores import service as stores_service
from floorwalker.stores.schemas import PrivacySettings, StoreUpdate

__all__ = [
    "answer_platform_request",
    "change_consent",
    "consent_of",
    "consent_view",
    "erase_customer",
    "export_customer",
    "get_receipt",
    "list_platform_requests",
    "list_receipts",
    "preview_erasure",
    "privacy_settings",
    "receipt_to_read",
    "resolve_customer",
    "update_privacy_settings",
]


# ----------------------------------------------------------------------------- lookups


async def resolve_customer(session: AsyncSession, actor: Actor, ref: str) -> CustomerRecord:
    """A customer of the store by id or e-mail; raises CustomerRefNotFound."""
    text = ref.strip()
    customer: CustomerRecord | None = None
    if "@" in text:
        customer = await customers_service.find_by_email(session, actor.store_id, text)
    elif text.isdigit() and len(text) < 19:
        customer = await customers_service.get(session, actor.store_id, int(text))
    if customer is None:
        raise CustomerRefNotFound
    return customer


# ----------------------------------------------------------------------------- receipts


async def list_receipts(
    session: AsyncSession,
    actor: Actor,
    *,
    kind: str | None = None,
    customer_id: int | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> Sequence[PrivacyReceipt]:
    """Receipts of the store, newest first."""
    return await ReceiptRepository(session, actor.store_id).page(
        kind=kind, customer_id=customer_id, before_id=before_id, limit=limit
    )


async def get_receipt(session: AsyncSession, actor: Actor, *, receipt_id: str) -> Receipt:
    """One receipt by its `prv_…` id; raises ReceiptNotFound."""
    receipt = await ReceiptRepository(session, actor.store_id).by_public_id(receipt_id)
    if receipt is None:
        raise ReceiptNotFound(receipt_id)
    return receipt_to_read(receipt)


# ----------------------------------------------------------------------------- platform requests


async def list_platform_requests(
    session: AsyncSession,
    actor: Actor,
    *,
    status: str | None = None,
    after_id: int = 0,
    limit: int = 50,
) -> list[PlatformRequest]:
    """Platforms' privacy requests of the store, oldest first, optionally in one status, each
    with the receipt of the erasure that answered it."""
    rows = await connectors_service.list_privacy_requests(
        session, actor, status=status, after_id=after_id, limit=limit
    )
    receipts = await ReceiptRepository(session, actor.store_id).first_of_platform_requests(
        [r.id for r in rows]
    )
    return [
        PlatformRequest(
            id=r.id,
            kind=r.kind,
            customer_id=r.customer_id,
            customer_external_id=r.customer_external_id,
            order_external_ids=list(r.order_external_ids or []),
            status=r.status,
            detail=r.detail,
            received_at=r.received_at,
            completed_at=r.completed_at,
            receipt_id=receipts.get(r.id),
        )
        for r in rows
    ]


# ----------------------------------------------------------------------------- settings


async def privacy_settings(session: AsyncSession, store_id: int) -> PrivacySettings:
    """The store's erasure and retention settings (defaults fill what is not set)."""
    store = await stores_service.get_or_raise(session, store_id)
    return stores_service.settings_of(store).privacy


async def update_privacy_settings(
    session: AsyncSession, actor: Actor, *, update: PrivacySettingsUpdate
) -> PrivacySettings:
    """Change the store's erasure and retention settings; others stay as they are."""
    store = await stores_service.get_or_raise(session, actor.store_id)
    current = stores_service.settings_of(store)
    changes = update.model_dump(exclude_none=True)
    privacy = current.privacy.model_copy(update=changes)
    await stores_service.update(
        session,
        actor,
        data=StoreUpdate(settings=current.model_copy(update={"privacy": privacy})),
    )
    await audit_service.record(
        session,
        actor,
        action="privacy.settings",
        subject_type="store",
        subject_id=actor.store_id,
        data={"changed": changes},
    )
    return privacy
