"""Building the scenario store from `fixture.yaml` through the same services the API uses.

Each scenario gets a fresh store (tenants isolate, so scenarios cannot disturb each other); the
builder returns the ids scenarios and checks refer to by key.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from floorwalker.catalog import service as catalog_service
from floorwalker.customers import service as customer_service
from floorwalker.inventory import service as inventory_service
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.crypto import Encryptor
from floorwalker.kit.db import Database
from floorwalker.kit.upsert import UpsertSummary
from floorwalker.knowledge import service as knowledge_service
from floorwalker.orders import service as order_service
from floorwalker.stores import service as store_service
from floorwalker.stores.schemas import StoreCreate, StoreSettings

FIXTURE = Path(__file__).with_name("fixture.yaml")
_seq = itertools.count(1)


class FixtureError(RuntimeError):
    """The fixture could not be built (a record was refused)."""


@dataclass
class FixtureStore:
    """A built scenario store and the ids behind its keys."""

    store_id: int
    slug: str
    identity_secret: str
    customers: dict[str, int] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    orders: dict[str, int] = field(default_factory=dict)
    order_owner: dict[str, str] = field(default_factory=dict)
    products: dict[str, int] = field(default_factory=dict)
    variants: dict[str, int] = field(default_factory=dict)


def load_fixture(path: Path = FIXTURE) -> dict[str, Any]:
    """The fixture description."""
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    return data


def _check(summary: UpsertSummary, what: str) -> None:
    if summary.failed:
        problems = [r.model_dump() for r in summary.results if r.status.value == "failed"]
        raise FixtureError(f"{what}: {problems}")


def _days(days: float | None) -> dt.datetime | None:
    return None if days is None else utcnow() - dt.timedelta(days=float(days))


async def build_store(
    db: Database, identity_crypto: Encryptor, spec: dict[str, Any] | None = None
) -> FixtureStore:
    """Create a fresh store with the fixture's catalogue, customers, orders and articles."""
    spec = spec or load_fixture()
    slug = f"scenario-{os.getpid()}-{next(_seq)}-{utcnow().strftime('%H%M%S%f')}"
    async with db.transaction() as session:
        store = await store_service.create(
            session,
            data=StoreCreate(
                slug=slug[:63],
                name=spec["store"]["name"],
                currency=spec["store"].get("currency", "USD"),
                settings=StoreSettings.model_validate(spec["store"].get("settings") or {}),
            ),
        )
        actor = Actor.system(store.id, "scenario-fixture")
        secret = await store_service.rotate_identity_secret(
            session, actor, encryptor=identity_crypto
        )
        built = FixtureStore(store_id=store.id, slug=store.slug, identity_secret=secret)
        await _catalog(session, actor, spec, built)
        await _customers(session, actor, spec, built)
        await _orders(session, actor, spec, built)
        articles = [
            {
                "kind": a["kind"],
                "title": a["title"],
                "body": a["body"],
                "tags": a.get("tags", []),
                "published": True,
            }
            for a in spec.get("articles", [])
        ]
        if articles:
            _check(await knowledge_service.upsert_articles(session, actor, articles), "articles")
    return built


async def _catalog(session: Any, actor: Actor, spec: dict[str, Any], built: FixtureStore) -> None:
    records = []
    for product in spec["products"]:
        records.append(
            {
                "external_id": product["key"],
                "handle": product["key"],
                "title": product["title"],
                "brand": product.get("brand"),
                "category_path": product.get("category"),
                "product_type": product.get("product_type"),
                "description": product.get("description", ""),
                "attributes": product.get("attributes", {}),
                "option_names": list(product["variants"][0]["options"].keys()),
                "variants": [
                    {
                        "sku": v["sku"],
                        "external_id": v["sku"],
                        "options": v["options"],
                        "price": v["price"],
                    }
                    for v in product["variants"]
                ],
            }
        )
    summary = await catalog_service.upsert_products(session, actor, records)
    _check(summary, "products")
    for product, result in zip(spec["products"], summary.results, strict=True):
        assert result.id is not None
        built.products[product["key"]] = result.id
    _check(
        await inventory_service.upsert_locations(
            session, actor, [{"code": "MAIN", "name": "Main warehouse"}]
        ),
        "locations",
    )
    levels = [
        {"sku": v["sku"], "on_hand": v.get("stock", 0)}
        for p in spec["products"]
        for v in p["variants"]
    ]
    _check(await inventory_service.set_levels(session, actor, levels), "stock")
    by_sku = await catalog_service.get_variants_by_sku(
        session, actor.store_id, [level["sku"] for level in levels]
    )
    built.variants = {sku: v.id for sku, v in by_sku.items()}


async def _customers(session: Any, actor: Actor, spec: dict[str, Any], built: FixtureStore) -> None:
    records = [
        {k: v for k, v in c.items() if k not in {"key", "consent"}}
        for c in spec.get("customers", [])
    ]
    summary = await customer_service.upsert_customers(session, actor, records)
    _check(summary, "customers")
    for customer, result in zip(spec.get("customers", []), summary.results, strict=True):
        assert result.id is not None
        built.customers[customer["key"]] = result.id
        built.emails[customer["key"]] = customer["email"]
        for purpose, granted in (customer.get("consent") or {}).items():
            await customer_service.set_consent(session, actor, result.id, purpose, bool(granted))


async def _orders(session: Any, actor: Actor, spec: dict[str, Any], built: FixtureStore) -> None:
    prices = {v["sku"]: v["price"] for p in spec["products"] for v in p["variants"]}
    records = []
    for order in spec.get("orders", []):
        customer_id = built.customers[order["customer"]]
        customer = await customer_service.get_or_raise(session, actor.store_id, customer_id)
        lines = [
            {"sku": ln["sku"], "quantity": ln["quantity"], "unit_price": prices[ln["sku"]]}
            for ln in order["lines"]
        ]
        total = sum(ln["quantity"] * ln["unit_price"] for ln in lines)
        method = next(
            m for m in customer.payment_methods if m.kind == order.get("paid_with", "card")
        )
        default = customer_service.default_address(customer)
        record: dict[str, Any] = {
            "number": order["number"],
            "customer_id": customer_id,
            "email": customer.email,
            "status": order["status"],
            "lines": lines,
            "placed_at": _days(order.get("days_ago", 1)),
            "item_modifications": order.get("item_modifications", 0),
            "shipping_address": {
                "name": default.name,
                "line1": default.line1,
                "city": default.city,
                "region": default.region,
                "postal_code": default.postal_code,
                "country": default.country,
            }
            if default
            else {},
            "transactions": [
                {
                    "kind": "payment",
                    "amount": total,
                    "payment_method_id": method.id,
                    "reason": "order placed",
                    "created_at": _days(order.get("days_ago", 1)),
                }
            ],
        }
        if order["status"] == "cancelled":
            record["cancelled_at"] = _days(max(0.0, float(order.get("days_ago", 1)) - 0.5))
            record["cancel_reason"] = "no longer needed"
            record["transactions"].append(
                {
                    "kind": "refund",
                    "amount": total,
                    "payment_method_id": method.id,
                    "reason": "order cancelled",
                }
            )
        shipment = order.get("fulfilment")
        if shipment:
            delivered = _days(shipment.get("delivered_days_ago"))
            eta = shipment.get("eta_days")
            record["fulfilments"] = [
                {
                    "status": "delivered" if delivered else "in_transit",
                    "carrier": shipment["carrier"],
                    "tracking_numbers": [shipment["tracking"]],
                    "tracking_url": f"https://track.example/{shipment['tracking']}",
                    "items": [
                        {"line_index": i, "quantity": ln["quantity"]} for i, ln in enumerate(lines)
                    ],
                    "shipped_at": _days(shipment.get("shipped_days_ago")),
                    "delivered_at": delivered,
                    "estimated_delivery_at": utcnow() + dt.timedelta(days=eta) if eta else None,
                }
            ]
        records.append(record)
        built.order_owner[order["number"]] = order["customer"]
    summary = await order_service.upsert_orders(session, actor, records)
    _check(summary, "orders")
    for order, result in zip(spec.get("orders", []), summary.results, strict=True):
        assert result.id is not None
        built.orders[order["number"]] = result.id
