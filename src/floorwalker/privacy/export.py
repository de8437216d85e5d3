"""Export: everything held about a customer, gathered from every context as one document."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.assistant import service as assistant_service
from floorwalker.audit import service as audit_service
from floorwalker.connectors import service as connectors_service
from floorwalker.customers import service as customers_service
from floorwalker.events import service as events_service
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.orders import service as orders_service
from floorwalker.privacy import receipts
from floorwalker.privacy.consent import consent_view
from floorwalker.privacy.models import PrivacyReceipt
from floorwalker.privacy.schemas import EXPORT_FORMAT, CustomerRecord, Origin
from floorwalker.recommend import service as recommend_service
from floorwalker.stores import service as stores_service


def refs_of(customer: CustomerRecord) -> list[str]:
    """How files and platforms may name the customer: their e-mail and platform id."""
    return [r for r in (customer.email, customer.external_id) if r]


def subjects_of(
    customer_id: int, orders: list[dict[str, Any]], conversations: list[dict[str, Any]]
) -> list[tuple[str, str]]:
    """The audit subjects that are about the customer: them, their orders and conversations."""
    subjects = [("customer", str(customer_id))]
    subjects.extend(("order", str(o["id"])) for o in orders)
    subjects.extend(("conversation", str(c["id"])) for c in conversations)
    return subjects


async def export_customer(
    session: AsyncSession, actor: Actor, *, customer_id: int, origin: Origin
) -> tuple[dict[str, Any], PrivacyReceipt]:
    """Everything the store holds about a customer as one JSON document, and its receipt.

    The export is audited (`customer.export`) in the same transaction.
    """
    customer = await customers_service.get_or_raise(session, actor.store_id, customer_id)
    store = await stores_service.get_or_raise(session, actor.store_id)
    orders = await orders_service.export_person(
        session, actor.store_id, customer_id=customer_id, email=customer.email
    )
    assistant = await assistant_service.export_customer(session, actor.store_id, customer_id)
    events = await events_service.export_customer(session, actor, customer_id=customer_id)
    recommendations = await recommend_service.export_customer(
        session, actor, customer_id=customer_id, refs=refs_of(customer)
    )
    platform_requests = await connectors_service.privacy_requests_about(
        session,
        actor,
        customer_id=customer_id,
        external_ids=[customer.external_id] if customer.external_id else [],
    )
    audit = await audit_service.entries_about(
        session, actor, subjects=subjects_of(customer_id, orders, assistant["conversations"])
    )
    counts = {
        "orders": len(orders),
        "conversations": len(assistant["conversations"]),
        "handoffs": len(assistant["handoffs"]),
        "events": len(events["events"]),
        "imported_interactions": len(recommendations["imported_interactions"]),
        "audit_entries": len(audit),
    }
    receipt = await receipts.record(
        session, actor, kind="export", origin=origin, counts=counts, customer_id=customer_id
    )
    await audit_service.record(
        session,
        actor,
        action="customer.export",
        subject_type="customer",
        subject_id=customer_id,
        data={"receipt": receipt.public_id, "origin": origin.value},
    )
    document = {
        "format": EXPORT_FORMAT,
        "request_id": receipt.public_id,
        "generated_at": utcnow().isoformat(),
        "store": {"id": store.id, "name": store.name},
        "customer": customers_service.export_customer(customer),
        "consent": consent_view(customer).model_dump(mode="json"),
        "orders": orders,
        "conversations": assistant["conversations"],
        "proposals": assistant["proposals"],
        "feedback": assistant["feedback"],
        "handoffs": assistant["handoffs"],
        "verifications": assistant["verifications"],
        "events": events["events"],
        "sessions": list(events["sessions"]),
        "recommendations": recommendations,
        "platform_requests": [
            {
                "id": r.id,
                "kind": r.kind,
                "status": r.status,
                "received_at": r.received_at.isoformat(),
                "completed_at": r.completed_at.isoformat() if r.completed_at else None,
            }
            for r in platform_requests
        ],
        "audit": [
            {
                "id": e.id,
                "occurred_at": e.occurred_at.isoformat(),
                "actor": e.actor,
                "action": e.action,
                "subject_type": e.subject_type,
                "subject_id": e.subject_id,
                "data": e.data,
            }
            for e in audit
        ],
    }
    return document, receipt
