"""Write-back: order changes made in Floorwalker, pushed to where the order came from.

The retail core never imports connectors. Instead, every order operation leaves an audit
entry (`order.cancel`, `order.return`, ...); `enqueue_new` reads the entries after a stored
cursor and, in one transaction with moving the cursor, queues one delivery per change: to the
order's source platform (Shopify, WooCommerce) when a connection owns that source, and to every
outbound webhook endpoint subscribed to the event. The delivery job then pushes them with
retries (`connectors.delivery`). See docs/decisions/0018-write-back-reads-the-audit-log.md.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.catalog import service as catalog_service
from floorwalker.connectors.base import WriteBackChange
from floorwalker.connectors.outbound import announce
from floorwalker.connectors.repository import ConnectorRepository
from floorwalker.errors import NotFound
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.orders import service as orders_service

JOB = "writeback"
BATCH = 200

#: Audit actions that change an order, and the event type endpoints receive for each.
EVENTS = {
    "order.cancel": "order.cancelled",
    "order.modify_address": "order.address_changed",
    "order.modify_payment": "order.payment_changed",
    "order.modify_items": "order.items_changed",
    "order.return": "order.return_requested",
    "order.exchange": "order.exchange_requested",
    "order.complete_return": "order.return_completed",
    "order.complete_exchange": "order.exchange_completed",
}

#: Platforms whose connector writes order changes back.
WRITES_BACK = frozenset({"shopify", "woocommerce"})


async def enqueue_new(session: AsyncSession, store_id: int) -> int:
    """Queue deliveries for the store's order changes since the cursor; returns how many.

    Runs in the caller's transaction: the deliveries and the moved cursor commit together,
    so each change is queued exactly once even if the job runs twice at the same time
    (the unique (event, target) key refuses the second).
    """
    actor = Actor.system(store_id, "writeback")
    repo = ConnectorRepository(session, store_id)
    cursor = await repo.cursor(JOB)
    queued = 0
    while True:
        entries = await audit_service.list_entries(
            session, actor, subject_type="order", after_id=cursor, limit=BATCH
        )
        for entry in entries:
            if entry.action in EVENTS:
                queued += await _enqueue(
                    session,
                    actor,
                    repo,
                    entry.id,
                    entry.action,
                    entry.subject_id,
                    entry.data,
                    entry.occurred_at.isoformat(),
                )
        if entries:
            cursor = entries[-1].id
            await repo.move_cursor(JOB, cursor)
        if len(entries) < BATCH:
            return queued


async def _enqueue(
    session: AsyncSession,
    actor: Actor,
    repo: ConnectorRepository,
    entry_id: int,
    action: str,
    subject_id: str,
    data: dict[str, Any],
    occurred_at: str,
) -> int:
    try:
        order = await orders_service.get_order(session, actor, order_id=int(subject_id))
    except (NotFound, ValueError):
        return 0  # the order is gone; nothing left to tell anyone
    operation = action.removeprefix("order.")
    event_id = f"audit-{entry_id}"
    plan = data.get("plan") if isinstance(data.get("plan"), dict) else {}
    queued = await announce(
        session,
        actor,
        event_type=EVENTS[action],
        payload={
            "order_id": order.id,
            "order_number": order.number,
            "source": order.source,
            "external_id": order.external_id,
            "operation": operation,
            "status": order.status,
            "plan": plan,
        },
        event_id=event_id,
        audit_entry_id=entry_id,
    )
    connection = await repo.connection_by_source(order.source) if order.external_id else None
    if connection is None or connection.platform not in WRITES_BACK:
        return queued
    now = utcnow()
    queued += await repo.enqueue(
        [
            {
                "store_id": actor.store_id,
                "endpoint_id": None,
                "connection_id": connection.id,
                "target": f"connection:{connection.id}",
                "event_type": EVENTS[action],
                "event_id": event_id,
                "audit_entry_id": entry_id,
                "payload": {"order_id": order.id, "operation": operation, "data": data},
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
                "result": {},
            }
        ]
    )
    # Until the platform has it, an older platform payload must not undo this change.
    versions = await repo.versions(connection.id, "order", [order.external_id or ""])
    known = versions.get(order.external_id or "")
    await repo.save_versions(
        connection.id,
        [
            {
                "kind": "order",
                "external_id": order.external_id,
                "source_updated_at": known.source_updated_at if known else None,
                "ref": {
                    **(known.ref if known else {}),
                    "id": order.id,
                    "local_change_at": occurred_at,
                },
                "deleted": False,
            }
        ],
    )
    return queued


async def build_change(
    session: AsyncSession, store_id: int, source: str, payload: dict[str, Any], event_id: str
) -> WriteBackChange:
    """The platform-facing description of a queued change, from the order as it is now."""
    actor = Actor.system(store_id, "writeback")
    order = await orders_service.get_order(session, actor, order_id=int(payload["order_id"]))
    data = payload.get("data") or {}
    plan = data.get("plan") or {}
    variant_ids = {
        int(s[k])
        for s in plan.get("swaps") or []
        for k in ("from_variant_id", "to_variant_id")
        if s.get(k)
    }
    variant_ext: dict[int, str] = {}
    product_ext: dict[int, str] = {}
    if variant_ids:
        refs = await catalog_service.resolve_variants(session, store_id, ids=variant_ids)
        for ref in refs:
            if ref.get("source") == source and ref.get("external_id"):
                variant_ext[int(ref["id"])] = str(ref["external_id"])
                product = await catalog_service.get_product(
                    session, store_id, int(ref["product_id"])
                )
                if product is not None and product.source == source and product.external_id:
                    product_ext[int(ref["id"])] = product.external_id
    return WriteBackChange(
        operation=str(payload["operation"]),
        order_external_id=str(order.external_id),
        order=order.model_dump(mode="json"),
        data=data,
        event_id=event_id,
        line_external_ids={line.id: line.external_id for line in order.lines if line.external_id},
        variant_external_ids=variant_ext,
        product_external_ids=product_ext,
    )
