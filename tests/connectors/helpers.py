"""Shared helpers of the connector tests: connections, the encryptor, reading what was stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from floorwalker.catalog.models import Product, Variant
from floorwalker.config import Settings
from floorwalker.connectors import service as connectors_service
from floorwalker.connectors.files.importer import ImportReport, import_file
from floorwalker.connectors.models import Connection
from floorwalker.connectors.schemas import ConnectionCreate
from floorwalker.inventory.models import InventoryLevel
from floorwalker.kit.actor import Actor
from floorwalker.kit.crypto import Encryptor
from floorwalker.kit.db import Database
from floorwalker.orders.models import Order
from floorwalker.stores.models import Store

WEBHOOK_SECRET = "shpss_webhook_secret_for_tests"
#: Quick, deterministic retries for tests (the fakes' virtual clock does the waiting).
FAST = {"retry_attempts": 3, "retry_base_delay": 1.0, "retry_jitter": 0.0, "timeout": 5.0}


def encryptor(settings: Settings) -> Encryptor:
    """The connectors' encryptor for the test settings."""
    return connectors_service.connector_encryptor(settings.secret_key.get_secret_value())


async def connect(
    db: Database,
    settings: Settings,
    store: Store,
    *,
    platform: str,
    base_url: str,
    credentials: dict[str, str],
    name: str | None = None,
    webhook_secret: str | None = WEBHOOK_SECRET,
    extra: dict[str, Any] | None = None,
) -> Connection:
    """A connection of the store to a fake platform."""
    async with db.transaction() as session:
        return await connectors_service.add_connection(
            session,
            Actor.system(store.id),
            data=ConnectionCreate(
                platform=platform,  # type: ignore[arg-type]
                name=name or platform,
                base_url=base_url,
                credentials=credentials,
                webhook_secret=webhook_secret,
                settings={**FAST, **(extra or {})},
            ),
            encryptor=encryptor(settings),
        )


async def run_import(
    db: Database, store: Store, resource: str, path: Path, **options: Any
) -> ImportReport:
    """`import_file` of one file into the store, as its system actor (options as the CLI's)."""
    return await import_file(db, Actor.system(store.id), resource=resource, path=path, **options)


async def catalog_snapshot(db: Database, store: Store) -> list[tuple[Any, ...]]:
    """Every variant of the store: product external id, title, status, variant id, sku, price."""
    async with db.reading() as s:
        rows = await s.execute(
            select(
                Product.external_id,
                Product.title,
                Product.status,
                Variant.external_id,
                Variant.sku,
                Variant.price,
                Variant.compare_at_price,
            )
            .join(Variant, Variant.product_id == Product.id)
            .where(Product.store_id == store.id)
            .order_by(Product.external_id, Variant.position, Variant.external_id)
        )
        return [tuple(r) for r in rows.all()]


async def stock_snapshot(db: Database, store: Store) -> list[tuple[Any, ...]]:
    """(variant external id, on hand, reserved) of every stock level of the store."""
    async with db.reading() as s:
        rows = await s.execute(
            select(Variant.external_id, InventoryLevel.on_hand, InventoryLevel.reserved)
            .join(Variant, Variant.id == InventoryLevel.variant_id)
            .where(InventoryLevel.store_id == store.id)
            .order_by(Variant.external_id)
        )
        return [tuple(r) for r in rows.all()]


async def count(db: Database, model: Any, store: Store) -> int:
    """Rows of a model in the store."""
    async with db.reading() as s:
        return int(
            await s.scalar(
                select(func.count()).select_from(model).where(model.store_id == store.id)
            )
            or 0
        )


async def order_by_external(db: Database, store: Store, external_id: str) -> Order | None:
    """An order of the store by its platform id."""
    async with db.reading() as s:
        return await s.scalar(
            select(Order).where(Order.store_id == store.id, Order.external_id == external_id)
        )
