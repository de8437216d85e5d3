"""What a customer agreed to and told us: consent by purpose and stated preferences.

Consent is stored per purpose as `{"granted": bool, "at": ISO time, "source": who}`; no entry
means the shopper was never asked. A shopper (verified in chat or by the retailer's site) may
change only their own profile, and stated preferences are remembered for a shopper only with
personalisation consent; the retailer's back office (API keys, staff) may record both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.customers.errors import ConsentRequired, CustomerNotFound
from floorwalker.customers.models import Customer
from floorwalker.customers.repository import CustomerRepository
from floorwalker.customers.schemas import ConsentPurpose, PreferencesUpdate
from floorwalker.kit.actor import Actor, ActorKind
from floorwalker.kit.clock import utcnow
from floorwalker.kit.text import unique_strings

_LISTS = ("brands_liked", "brands_disliked", "colours", "dislikes")
_OPPOSITES = {"brands_liked": "brands_disliked", "brands_disliked": "brands_liked"}


async def _own_customer(session: AsyncSession, actor: Actor, customer_id: int) -> Customer:
    if actor.kind in {ActorKind.SHOPPER, ActorKind.ANONYMOUS} and actor.customer_id != customer_id:
        raise CustomerNotFound(customer_id)
    customer = await CustomerRepository(session, actor.store_id).get(customer_id)
    if customer is None:
        raise CustomerNotFound(customer_id)
    return customer


def has_consent(customer: Customer, purpose: ConsentPurpose | str) -> bool:
    """Whether the customer has granted consent for `purpose` (never asked = no)."""
    entry = (customer.consent or {}).get(ConsentPurpose(purpose).value)
    if isinstance(entry, dict):
        return entry.get("granted") is True
    return entry is True


async def set_consent(
    session: AsyncSession,
    actor: Actor,
    customer_id: int,
    purpose: ConsentPurpose | str,
    granted: bool,
) -> Customer:
    """Record that the customer granted or withdrew consent for one purpose, now."""
    purpose = ConsentPurpose(purpose)
    customer = await _own_customer(session, actor, customer_id)
    previous = (customer.consent or {}).get(purpose.value)
    now = utcnow()
    consent = dict(customer.consent or {})
    consent[purpose.value] = {"granted": granted, "at": now.isoformat(), "source": actor.label}
    customer.consent = consent
    if purpose is ConsentPurpose.MARKETING:
        customer.accepts_marketing = granted
    customer.updated_at = now
    await session.flush()
    await audit_service.record(
        session,
        actor,
        action="customer.consent",
        subject_type="customer",
        subject_id=customer_id,
        data={"purpose": purpose.value, "granted": granted, "previous": previous},
    )
    return customer


async def update_preferences(
    session: AsyncSession, actor: Actor, customer_id: int, preferences: PreferencesUpdate
) -> Customer:
    """Merge stated preferences into the customer's profile; returns the customer.

    A shopper's own preferences are kept only with personalisation consent
    (raises ConsentRequired otherwise).
    """
    customer = await _own_customer(session, actor, customer_id)
    if actor.kind is ActorKind.SHOPPER and not has_consent(
        customer, ConsentPurpose.PERSONALISATION
    ):
        raise ConsentRequired(ConsentPurpose.PERSONALISATION.value)
    before = dict(customer.preferences or {})
    merged = merge_preferences(before, preferences)
    if merged == {k: v for k, v in before.items() if k != "updated_at"}:
        return customer
    merged["updated_at"] = utcnow().isoformat()
    customer.preferences = merged
    customer.updated_at = utcnow()
    await session.flush()
    await audit_service.record(
        session,
        actor,
        action="customer.preferences",
        subject_type="customer",
        subject_id=customer_id,
        data={"changed": sorted(k for k in merged if merged.get(k) != before.get(k))},
    )
    return customer


def merge_preferences(current: dict[str, Any], update: PreferencesUpdate) -> dict[str, Any]:
    """The preferences after applying `update` to `current`, without the `updated_at` stamp."""
    merged: dict[str, Any] = {k: v for k, v in current.items() if k != "updated_at"}
    for cleared in update.clear:
        merged.pop(cleared, None)
    if update.sizes is not None:
        sizes = dict(merged.get("sizes") or {})
        for category, size in update.sizes.items():
            key = category.strip().lower()
            if size is None or not size.strip():
                sizes.pop(key, None)
            else:
                sizes[key] = size.strip()
        merged["sizes"] = sizes
    for name in _LISTS:
        added = getattr(update, name)
        if not added:
            continue
        merged[name] = unique_strings([*(merged.get(name) or []), *added])
        opposite = _OPPOSITES.get(name)
        if opposite and merged.get(opposite):
            folded = {v.casefold() for v in added}
            merged[opposite] = [v for v in merged[opposite] if v.casefold() not in folded]
    if update.budget is not None:
        merged["budget"] = update.budget.model_dump()
    return {k: v for k, v in merged.items() if v not in ({}, [], None)}
