"""Consent per purpose: read it with what each purpose currently allows, and change it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.customers import service as customers_service
from floorwalker.customers.errors import CustomerNotFound
from floorwalker.customers.schemas import ConsentPurpose
from floorwalker.events import service as events_service
from floorwalker.kit.actor import Actor
from floorwalker.privacy.schemas import Consent, ConsentChange, CustomerRecord, PurposeConsent


def _purpose(customer: CustomerRecord, purpose: ConsentPurpose) -> PurposeConsent:
    entry: Any = (customer.consent or {}).get(purpose.value)
    granted: bool | None
    if isinstance(entry, Mapping):
        value = entry.get("granted")
        granted = value if isinstance(value, bool) else None
        at, source = entry.get("at"), entry.get("source")
    else:
        granted = entry if isinstance(entry, bool) else None
        at = source = None
    if purpose is ConsentPurpose.ANALYTICS:
        # Event ingestion treats analytics as allowed unless refused (docs/integrations.md).
        allowed = not events_service.refuses_analytics(customer.consent)
    else:
        # As customers.service.has_consent: only an explicit grant allows (never asked = no).
        allowed = granted is True
    return PurposeConsent(
        granted=granted,
        at=str(at) if at is not None else None,
        source=str(source) if source is not None else None,
        allowed=allowed,
    )


def consent_view(customer: CustomerRecord) -> Consent:
    """The customer's consent per purpose, with what each currently allows."""
    return Consent(
        customer_id=customer.id,
        personalisation=_purpose(customer, ConsentPurpose.PERSONALISATION),
        analytics=_purpose(customer, ConsentPurpose.ANALYTICS),
        marketing=_purpose(customer, ConsentPurpose.MARKETING),
    )


async def consent_of(session: AsyncSession, actor: Actor, *, customer_id: int) -> Consent:
    """A customer's consent; a shopper may read only their own (others are "not found")."""
    customer = await customers_service.get_or_raise(session, actor.store_id, customer_id)
    if actor.customer_id is not None and actor.customer_id != customer_id:
        raise CustomerNotFound(customer_id)
    return consent_view(customer)


async def change_consent(
    session: AsyncSession, actor: Actor, *, customer_id: int, change: ConsentChange
) -> Consent:
    """Grant or withdraw consent for the purposes given, now; effective at once everywhere.

    A shopper actor may change only their own consent (the customers service checks it).
    """
    customer: CustomerRecord | None = None
    for purpose in ConsentPurpose:
        granted = getattr(change, purpose.value)
        if granted is not None:
            customer = await customers_service.set_consent(
                session, actor, customer_id, purpose, granted
            )
    if customer is None:
        customer = await customers_service.get_or_raise(session, actor.store_id, customer_id)
        if actor.customer_id is not None and actor.customer_id != customer_id:
            raise CustomerNotFound(customer_id)
    # Ingestion caches what it knows about a customer for a few seconds; forget it now.
    events_service.consent_changed(actor.store_id, customer_id)
    return consent_view(customer)
