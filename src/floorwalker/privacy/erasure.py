"""Erasure: forget a customer everywhere, keeping order financials anonymised when required.

Order of work, all in the caller's transaction: orders (anonymised or deleted, per the store's
`keep_order_financials`), the assistant's conversations and mail, events (with stitched
sessions), imported recommendation history, the customer record with addresses and payment
methods, then the person's values are scrubbed from what stays as a log (deliveries, dead
letters, sync-run errors, idempotency records, audit entries). Trained recommender models hold
no per-customer data, and the search index holds none; ingestion's consent cache is told.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.assistant import service as assistant_service
from floorwalker.audit import service as audit_service
from floorwalker.connectors import service as connectors_service
from floorwalker.customers import service as customers_service
from floorwalker.customers.errors import CustomerNotFound
from floorwalker.events import service as events_service
from floorwalker.kit import idempotency
from floorwalker.kit.actor import Actor
from floorwalker.kit.pii import needles_of
from floorwalker.orders import service as orders_service
from floorwalker.privacy import receipts
from floorwalker.privacy.errors import ConfirmationMismatch, ErasureBlocked
from floorwalker.privacy.export import refs_of
from floorwalker.privacy.models import PrivacyReceipt
from floorwalker.privacy.repository import ReceiptRepository
from floorwalker.privacy.schemas import ErasurePreview, Origin
from floorwalker.recommend import service as recommend_service
from floorwalker.stores import service as stores_service


def confirmation_for(email: str | None, customer_id: int) -> str:
    """What staff type to confirm an erasure: the e-mail, or the id without one."""
    return email or str(customer_id)


async def preview_erasure(
    session: AsyncSession, actor: Actor, *, customer_id: int
) -> ErasurePreview:
    """What erasing the customer would touch, without touching it."""
    customer = await customers_service.get_or_raise(session, actor.store_id, customer_id)
    store = await stores_service.get_or_raise(session, actor.store_id)
    orders = await orders_service.orders_of_person(
        session, actor.store_id, customer_id=customer_id, email=customer.email
    )
    assistant = await assistant_service.export_customer(session, actor.store_id, customer_id)
    events = await events_service.export_customer(session, actor, customer_id=customer_id)
    history = await recommend_service.export_customer(
        session, actor, customer_id=customer_id, refs=refs_of(customer)
    )
    return ErasurePreview(
        customer_id=customer_id,
        confirm_with=confirmation_for(customer.email, customer_id),
        orders=len(orders),
        open_order_ids=[o.id for o in orders_service.open_orders(orders)],
        conversations=len(assistant["conversations"]),
        events=len(events["events"]),
        imported_interactions=len(history["imported_interactions"]),
        keep_order_financials=stores_service.settings_of(store).privacy.keep_order_financials,
    )


async def erase_customer(
    session: AsyncSession,
    actor: Actor,
    *,
    customer_id: int,
    origin: Origin,
    confirm: str | None = None,
    force: bool = False,
    order_ids: list[int] | None = None,
    platform_request_id: int | None = None,
) -> PrivacyReceipt:
    """Erase everything held about a customer; returns the receipt.

    `confirm` must equal the customer's e-mail (or id) when given by a person (API, console,
    CLI); a platform's request passes None. Orders still in progress block the erasure unless
    `force`. Erasing an already erased customer returns the first receipt.
    """
    customer = await customers_service.get(session, actor.store_id, customer_id)
    if customer is None:
        done = await ReceiptRepository(session, actor.store_id).erasure_of(customer_id)
        if done is not None:
            return done
        raise CustomerNotFound(customer_id)
    expected = confirmation_for(customer.email, customer_id)
    if confirm is not None and confirm.strip().lower() != expected.lower():
        raise ConfirmationMismatch
    store = await stores_service.get_or_raise(session, actor.store_id)
    keep = stores_service.settings_of(store).privacy.keep_order_financials
    orders = await orders_service.orders_of_person(
        session, actor.store_id, customer_id=customer_id, email=customer.email
    )
    still_open = [o.id for o in orders_service.open_orders(orders)]
    if still_open and not force:
        raise ErasureBlocked(still_open)

    needles = needles_of(customers_service.personal_values(customer))
    email, refs = customer.email, refs_of(customer)
    conversations = (await assistant_service.export_customer(session, actor.store_id, customer_id))[
        "conversations"
    ]
    counts: dict[str, Any] = {}
    erased_orders = await orders_service.erase_person(
        session,
        actor,
        customer_id=customer_id,
        email=email,
        needles=needles,
        keep_financials=keep,
        order_ids=order_ids or [],
    )
    counts["orders"] = {k: erased_orders[k] for k in ("anonymised", "deleted")}
    counts["assistant"] = {
        "conversations": await assistant_service.erase_customer(
            session, actor, customer_id=customer_id, email=email
        )
    }
    counts["events"] = {
        "events": await events_service.erase_customer(session, actor, customer_id=customer_id)
    }
    counts["recommendations"] = {
        "imported_interactions": await recommend_service.erase_customer_history(
            session, actor, customer_id=customer_id, refs=refs
        )
    }
    counts["customers"] = await customers_service.erase_customer(
        session, actor, customer_id=customer_id
    )
    counts["connectors"] = await connectors_service.erase_person(session, actor, needles=needles)
    counts["idempotency"] = {
        "records_scrubbed": await idempotency.scrub_person(
            session, store_id=actor.store_id, needles=needles
        )
    }
    subjects = [("customer", str(customer_id))]
    subjects += [("order", str(i)) for i in erased_orders["order_ids"]]
    subjects += [("conversation", str(c["id"])) for c in conversations]
    counts["audit"] = {
        "entries_scrubbed": await audit_service.scrub_entries(
            session, actor, subjects=subjects, needles=needles
        )
    }
    receipt = await receipts.record(
        session,
        actor,
        kind="erasure",
        origin=origin,
        counts=counts,
        customer_id=customer_id,
        platform_request_id=platform_request_id,
        detail="Order financials kept, anonymised." if keep else "Orders deleted.",
    )
    await audit_service.record(
        session,
        actor,
        action="customer.erase",
        subject_type="customer",
        subject_id=customer_id,
        data={"receipt": receipt.public_id, "origin": origin.value, "counts": counts},
    )
    events_service.consent_changed(actor.store_id, customer_id)
    return receipt


async def erase_orders(
    session: AsyncSession,
    actor: Actor,
    *,
    order_ids: list[int],
    origin: Origin,
    platform_request_id: int | None = None,
) -> PrivacyReceipt:
    """Anonymise (or delete, per the store's setting) orders of someone with no customer
    record here, such as guest orders a platform asks to redact; returns the receipt."""
    store = await stores_service.get_or_raise(session, actor.store_id)
    keep = stores_service.settings_of(store).privacy.keep_order_financials
    orders = await orders_service.orders_of_person(
        session, actor.store_id, customer_id=None, email=None, order_ids=order_ids
    )
    emails = {o.email for o in orders if o.email}
    needles = needles_of(
        [
            *emails,
            *(str(o.shipping_address.get(k) or "") for o in orders for k in ("name", "line1")),
            *(str(o.shipping_address.get("phone") or "") for o in orders),
        ]
    )
    erased = await orders_service.erase_person(
        session,
        actor,
        customer_id=None,
        email=None,
        needles=needles,
        keep_financials=keep,
        order_ids=order_ids,
    )
    counts: dict[str, Any] = {"orders": {k: erased[k] for k in ("anonymised", "deleted")}}
    counts["connectors"] = await connectors_service.erase_person(session, actor, needles=needles)
    counts["audit"] = {
        "entries_scrubbed": await audit_service.scrub_entries(
            session,
            actor,
            subjects=[("order", str(i)) for i in erased["order_ids"]],
            needles=needles,
        )
    }
    return await receipts.record(
        session,
        actor,
        kind="erasure",
        origin=origin,
        counts=counts,
        platform_request_id=platform_request_id,
        detail="Orders without a customer record.",
    )
