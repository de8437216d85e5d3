"""Loading neutral records into Floorwalker through the core services, newest version only.

Every record is compared with the ledger (`record_versions`) first: a payload older than the
version already applied is `stale` and changes nothing, so webhooks that arrive twice or out of
order are harmless; an order payload older than a change made in Floorwalker (not yet written
back) is stale too. What is left goes through the core batch upserts, which report created,
updated, unchanged or failed per record; the ledger then records what was applied.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.catalog import service as catalog_service
from floorwalker.connectors import records, writeback
from floorwalker.connectors.base import (
    NeutralCustomer,
    NeutralDeletion,
    NeutralLocation,
    NeutralOrder,
    NeutralPrivacyRequest,
    NeutralProduct,
    NeutralRecord,
    NeutralStockLevel,
)
from floorwalker.connectors.ledger import ApplyReport, Ledger, Outcome
from floorwalker.connectors.models import Connection, PrivacyRequest
from floorwalker.connectors.outbound import announce
from floorwalker.connectors.repository import ConnectorRepository
from floorwalker.customers import service as customers_service
from floorwalker.inventory import service as inventory_service
from floorwalker.kit.actor import Actor
from floorwalker.orders import service as orders_service


class Applier:
    """Applies records of one connection within the caller's transaction."""

    def __init__(self, session: AsyncSession, actor: Actor, connection: Connection) -> None:
        self.session = session
        self.actor = actor
        self.connection = connection
        self.source = connection.source
        self.repo = ConnectorRepository(session, actor.store_id)
        self.ledger = Ledger(self.repo, connection)

    async def apply(self, records: Sequence[NeutralRecord], *, force: bool = False) -> ApplyReport:
        """Apply records of any kinds, each kind in dependency order; outcomes in input order."""
        outcomes: dict[int, Outcome] = {}
        groups: dict[str, list[tuple[int, Any]]] = defaultdict(list)
        for index, record in enumerate(records):
            groups[record.kind].append((index, record))
        handlers: list[tuple[str, Callable[..., Awaitable[dict[int, Outcome]]]]] = [
            ("location", self._locations),
            ("product", self._products),
            ("stock_level", self._stock),
            ("customer", self._customers),
            ("order", self._orders),
            ("deletion", self._deletions),
            ("privacy", self._privacy),
        ]
        for kind, handler in handlers:
            if groups.get(kind):
                outcomes.update(await handler(groups[kind], force))
        return ApplyReport([outcomes[i] for i in range(len(records))])

    # ------------------------------------------------------------ kinds

    async def _locations(
        self, items: list[tuple[int, NeutralLocation]], force: bool
    ) -> dict[int, Outcome]:
        payload = [
            {
                "source": self.source,
                "external_id": loc.external_id,
                "code": f"{self.source}-{loc.external_id}"[:64],
                "name": loc.name,
                "active": loc.active,
            }
            for _, loc in items
        ]
        summary = await inventory_service.upsert_locations(self.session, self.actor, payload)
        outcomes = self.ledger.outcomes(items, summary)
        await self.ledger.save("location", items, outcomes, {})
        return outcomes

    async def _products(
        self, items: list[tuple[int, NeutralProduct]], force: bool
    ) -> dict[int, Outcome]:
        keep, outcomes, versions = await self.ledger.filter("product", items, force)
        if keep:
            summary = await catalog_service.upsert_products(
                self.session, self.actor, [records.product_record(self.source, p) for _, p in keep]
            )
            applied = self.ledger.outcomes(keep, summary)
            outcomes.update(applied)
            await self.ledger.save("product", keep, applied, versions)
            await self.repo.save_versions(
                self.connection.id,
                [
                    {
                        "kind": "inventory_item",
                        "external_id": v.inventory_item_id,
                        "ref": {"variant": v.external_id},
                    }
                    for index, p in keep
                    if applied[index].status != "failed"
                    for v in p.variants
                    if v.inventory_item_id
                ],
            )
        return outcomes

    async def _stock(
        self, items: list[tuple[int, NeutralStockLevel]], force: bool
    ) -> dict[int, Outcome]:
        keep, outcomes, versions = await self.ledger.filter("stock_level", items, force)
        if not keep:
            return outcomes
        items_by_id = await self.repo.versions(
            self.connection.id,
            "inventory_item",
            [
                s.inventory_item_id
                for _, s in keep
                if s.inventory_item_id and not s.variant_external_id
            ],
        )
        await self._ensure_locations({s.location_external_id for _, s in keep})
        ready: list[tuple[int, NeutralStockLevel]] = []
        payload: list[dict[str, Any]] = []
        for index, level in keep:
            variant = level.variant_external_id
            if variant is None and level.inventory_item_id in items_by_id:
                variant = items_by_id[level.inventory_item_id].ref.get("variant")
            if variant is None:
                outcomes[index] = Outcome(
                    "failed",
                    "unknown_inventory_item",
                    f"Inventory item {level.inventory_item_id} belongs to no product synced yet.",
                )
                continue
            ready.append((index, level))
            payload.append(
                {
                    "source": self.source,
                    "variant_external_id": variant,
                    "location_external_id": level.location_external_id,
                    "on_hand": level.on_hand,
                }
            )
        if payload:
            summary = await inventory_service.set_levels(self.session, self.actor, payload)
            applied = self.ledger.outcomes(ready, summary)
            outcomes.update(applied)
            await self.ledger.save("stock_level", ready, applied, versions)
        return outcomes

    async def _ensure_locations(self, external_ids: set[str]) -> None:
        known = await self.repo.versions(self.connection.id, "location", external_ids)
        missing = sorted(external_ids - set(known))
        if missing:
            names = {"woocommerce": "WooCommerce stock"}
            await self._locations(
                [
                    (
                        i,
                        NeutralLocation(
                            external_id=ext,
                            name=names.get(
                                self.connection.platform, f"{self.connection.name} location {ext}"
                            ),
                        ),
                    )
                    for i, ext in enumerate(missing)
                ],
                False,
            )

    async def _customers(
        self, items: list[tuple[int, NeutralCustomer]], force: bool
    ) -> dict[int, Outcome]:
        keep, outcomes, versions = await self.ledger.filter("customer", items, force)
        if keep:
            summary = await customers_service.upsert_customers(
                self.session,
                self.actor,
                [records.customer_record(self.source, c) for _, c in keep],
            )
            applied = self.ledger.outcomes(keep, summary)
            outcomes.update(applied)
            await self.ledger.save("customer", keep, applied, versions)
        return outcomes

    async def customer_ids(self, external_ids: set[str]) -> dict[str, int]:
        """Floorwalker ids of customers by their platform id (ledger first, then a lookup)."""
        found = {
            ext: int(v.ref["id"])
            for ext, v in (
                await self.repo.versions(self.connection.id, "customer", external_ids)
            ).items()
            if v.ref.get("id") and not v.deleted
        }
        for ext in sorted(external_ids - set(found)):
            rows = await customers_service.list_customers(
                self.session, self.actor.store_id, source=self.source, external_id=ext, limit=1
            )
            if rows:
                found[ext] = rows[0].id
        return found

    async def _orders(
        self, items: list[tuple[int, NeutralOrder]], force: bool
    ) -> dict[int, Outcome]:
        # Local changes not yet written back must win over older platform payloads.
        await writeback.enqueue_new(self.session, self.actor.store_id)
        keep, outcomes, versions = await self.ledger.filter("order", items, force)
        if not keep:
            return outcomes
        customers = await self.customer_ids(
            {o.customer_external_id for _, o in keep if o.customer_external_id}
        )
        refs = await catalog_service.resolve_variants(
            self.session,
            self.actor.store_id,
            externals={
                self.source: {
                    line.variant_external_id
                    for _, o in keep
                    for line in o.lines
                    if line.variant_external_id
                }
            },
        )
        variants = {
            str(r["external_id"]): int(r["id"]) for r in refs if r.get("source") == self.source
        }
        summary = await orders_service.upsert_orders(
            self.session,
            self.actor,
            [
                records.order_record(
                    self.source, o, customers, variants, known=o.external_id in versions
                )
                for _, o in keep
            ],
        )
        applied = self.ledger.outcomes(keep, summary)
        outcomes.update(applied)
        await self.ledger.save("order", keep, applied, versions)
        return outcomes

    async def _deletions(
        self, items: list[tuple[int, NeutralDeletion]], force: bool
    ) -> dict[int, Outcome]:
        outcomes: dict[int, Outcome] = {}
        for index, record in items:
            versions = await self.repo.versions(
                self.connection.id, record.resource, [record.external_id]
            )
            known = versions.get(record.external_id)
            if known is None or known.deleted:
                outcomes[index] = Outcome("ignored")
                continue
            if record.resource == "product":
                summary = await catalog_service.upsert_products(
                    self.session,
                    self.actor,
                    [
                        {
                            "source": self.source,
                            "external_id": record.external_id,
                            "status": "archived",
                        }
                    ],
                )
                outcomes.update(self.ledger.outcomes([(index, record)], summary))
            elif record.resource == "customer" and known.ref.get("id"):
                await customers_service.delete_customer(
                    self.session, self.actor, int(known.ref["id"])
                )
                outcomes[index] = Outcome("updated", id=int(known.ref["id"]))
            else:
                # Orders are records of a sale: a platform deleting one does not erase ours.
                outcomes[index] = Outcome("ignored")
                continue
            await self.repo.save_versions(
                self.connection.id,
                [
                    {
                        "kind": record.resource,
                        "external_id": record.external_id,
                        "source_updated_at": record.updated_at or known.source_updated_at,
                        "ref": known.ref,
                        "deleted": True,
                    }
                ],
            )
        return outcomes

    async def _privacy(
        self, items: list[tuple[int, NeutralPrivacyRequest]], force: bool
    ) -> dict[int, Outcome]:
        outcomes: dict[int, Outcome] = {}
        customers = await self.customer_ids(
            {r.customer_external_id for _, r in items if r.customer_external_id}
        )
        for index, record in items:
            customer_id = customers.get(record.customer_external_id or "")
            request = await self.repo.add(
                PrivacyRequest(
                    store_id=self.actor.store_id,
                    connection_id=self.connection.id,
                    kind=record.request,
                    customer_external_id=record.customer_external_id,
                    customer_id=customer_id,
                    order_external_ids=record.order_external_ids,
                    status="received",
                    detail="Waiting for the store's privacy team (see docs/integrations.md).",
                )
            )
            await announce(
                self.session,
                self.actor,
                event_type="privacy.request_received",
                payload={
                    "privacy_request_id": request.id,
                    "kind": record.request,
                    "connection": self.connection.name,
                    "customer_id": customer_id,
                    "customer_external_id": record.customer_external_id,
                    "order_external_ids": record.order_external_ids,
                },
                event_id=f"privacy-{request.id}",
            )
            outcomes[index] = Outcome("created", id=request.id)
        return outcomes
