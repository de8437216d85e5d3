"""Write a demo store into a database in bulk, find it again, or delete it.

This module writes other contexts' tables directly (decision 7): a store of a few hundred
thousand rows goes in through SQLAlchemy Core `insert()` with executemany in chunks, in one
transaction, so either the whole store exists or none of it does. Rows that others point at
are inserted with `RETURNING id` (in parameter order) so planned references can be resolved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, delete, event, insert, select
from sqlalchemy.pool import NullPool

import floorwalker.models  # noqa: F401 - every table must be known to delete a whole store
from floorwalker.audit.models import AuditEntry
from floorwalker.catalog.models import Brand, Category, Product, ProductImage, Variant
from floorwalker.customers.models import Address, Customer, PaymentMethod
from floorwalker.demo.build import DEFAULT_SEED, DEMO_SLUG, build_plan
from floorwalker.demo.bulk import insert_rows, reserve_ids
from floorwalker.demo.plan import TABLE_ORDER, Plan, Ref
from floorwalker.events.models import Event, SessionLink
from floorwalker.inventory.models import InventoryLevel, Location
from floorwalker.kit.db import SQLITE_ANALYSIS_LIMIT, Base, sync_database_url
from floorwalker.knowledge.models import Article
from floorwalker.orders.models import (
    Fulfilment,
    Order,
    OrderExchange,
    OrderLine,
    OrderReturn,
    PaymentTransaction,
)
from floorwalker.stores.models import Store

TABLES: dict[str, Table] = {
    model.__tablename__: model.__table__  # type: ignore[misc]
    for model in (
        Category, Brand, Product, Variant, ProductImage, Location, Customer, Address,
        PaymentMethod, Order, OrderLine, Fulfilment, PaymentTransaction, OrderReturn,
        OrderExchange, InventoryLevel, Event, SessionLink, Article,
    )
}  # fmt: skip

STORES: Table = Store.__table__  # type: ignore[assignment]
AUDIT: Table = AuditEntry.__table__  # type: ignore[assignment]

#: Tables other rows point at: their ids come back from the insert.
NEEDS_IDS = frozenset(
    {"categories", "brands", "products", "variants", "locations", "customers",
     "payment_methods", "orders", "order_lines"}
)  # fmt: skip
#: JSON columns that hold references (line ids in shipment items, method ids in refunds).
NESTED = frozenset({"items", "refunds"})
CHUNK = 5000

#: Told (table, rows written so far, rows in the table) as the store is written.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class DemoInfo:
    """An existing demo store and how it was generated."""

    store_id: int
    slug: str
    seed: int | None
    scale: float | None
    anchor: str | None


@contextmanager
def sync_engine(url: str) -> Iterator[Engine]:
    """A synchronous engine for bulk work; SQLite gets the same pragmas as the service."""
    engine = create_engine(sync_database_url(url), poolclass=NullPool)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Connection) -> None:
            # Take the write lock up front (decision 5): we only write.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    try:
        yield engine
    finally:
        engine.dispose()


def _resolve(value: Any, ids: dict[str, list[int]]) -> Any:
    if isinstance(value, Ref):
        return ids[value.table][value.index]
    if isinstance(value, list):
        return [_resolve(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _resolve(v, ids) for k, v in value.items()}
    return value


def _rows(
    plan_rows: list[dict[str, Any]], store_id: int, ids: dict[str, list[int]], own: list[int]
) -> tuple[list[str], list[list[Any]]]:
    """Column names and value lists: the reserved id (if any), the store, the planned values."""
    keys = list(plan_rows[0])
    # References live in foreign-key columns (named *_id) and in the nested JSON columns.
    refs = [i for i, key in enumerate(keys) if key.endswith("_id")]
    nested = [i for i, key in enumerate(keys) if key in NESTED]
    rows = []
    for position, row in enumerate(plan_rows):
        values = [row[key] for key in keys]
        for i in refs:
            ref = values[i]
            if type(ref) is Ref:
                values[i] = ids[ref.table][ref.index]
        for i in nested:
            values[i] = _resolve(values[i], ids)
        rows.append([own[position], store_id, *values] if own else [store_id, *values])
    return (["id", "store_id", *keys] if own else ["store_id", *keys]), rows


def write_plan(
    url: str,
    plan: Plan,
    *,
    record: dict[str, Any] | None = None,
    progress: Progress = lambda _table, _done, _total: None,
) -> int:
    """Write a planned store in one transaction; returns the new store's id."""
    with sync_engine(url) as engine, engine.begin() as conn:
        store_id = int(conn.execute(insert(STORES).returning(Store.id), plan.store).scalar_one())
        # Ids first: then every reference can be resolved before its row is written.
        ids = {
            name: reserve_ids(conn, TABLES[name], len(plan.rows[name]))
            for name in TABLE_ORDER
            if name in NEEDS_IDS
        }
        for name in TABLE_ORDER:
            plan_rows = plan.rows[name]
            own = ids.get(name, [])
            for start in range(0, len(plan_rows), CHUNK):
                end = start + CHUNK
                names, rows = _rows(plan_rows[start:end], store_id, ids, own[start:end])
                insert_rows(conn, TABLES[name], names, rows)
                progress(name, min(start + CHUNK, len(plan_rows)), len(plan_rows))
        conn.execute(
            insert(AUDIT),
            {
                "store_id": store_id,
                "occurred_at": plan.store["updated_at"],
                "actor": "system:demo",
                "actor_kind": "system",
                "action": "demo.generate",
                "subject_type": "store",
                "subject_id": str(store_id),
                "data": {**(record or {}), "counts": plan.counts()},
            },
        )
        _analyse(conn)
    return store_id


def _analyse(conn: Connection) -> None:
    """Give the query planner statistics for the tables just filled.

    Without them SQLite and PostgreSQL (when autovacuum is off or has not run yet) take a
    `store_id` index for as selective as any other and scan a whole store's rows.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        conn.exec_driver_sql("ANALYZE")
    else:
        for name in TABLE_ORDER:
            # Table names come from our own metadata, never from input.
            conn.exec_driver_sql(f"ANALYZE {TABLES[name].name}")


def generate(
    url: str,
    *,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    now: dt.datetime,
    base_url: str = "http://127.0.0.1:8000",
    slug: str = DEMO_SLUG,
    step: Callable[[str], None] = lambda _name: None,
    progress: Progress = lambda _table, _done, _total: None,
) -> int:
    """Plan a demo store and write it; returns its id. `now` is the anchor of its history."""
    plan = build_plan(seed=seed, scale=scale, now=now, base_url=base_url, slug=slug, step=step)
    step("writing")
    return write_plan(url, plan, record=record(seed=seed, scale=scale, now=now), progress=progress)


def record(*, seed: int, scale: float, now: dt.datetime) -> dict[str, Any]:
    """How a store was generated, as its audit entry keeps it (`find` reads it back)."""
    return {"seed": seed, "scale": scale, "anchor": now.isoformat()}


def find(url: str, slug: str = DEMO_SLUG) -> DemoInfo | None:
    """The store with this slug and, if it was generated, how; None if there is none."""
    with sync_engine(url) as engine, engine.connect() as conn:
        store_id = conn.execute(select(Store.id).where(Store.slug == slug)).scalar_one_or_none()
        if store_id is None:
            return None
        data = conn.execute(
            select(AuditEntry.data)
            .where(AuditEntry.store_id == store_id, AuditEntry.action == "demo.generate")
            .order_by(AuditEntry.id.desc())
            .limit(1)
        ).scalar_one_or_none()
    info: dict[str, Any] = data or {}
    scale = info.get("scale")
    return DemoInfo(
        store_id=int(store_id),
        slug=slug,
        seed=info.get("seed"),
        scale=float(scale) if scale is not None else None,
        anchor=info.get("anchor"),
    )


def delete_store(url: str, store_id: int) -> None:
    """Delete a store and every row that belongs to it, children before parents."""
    with sync_engine(url) as engine, engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != "stores" and "store_id" in table.c:
                conn.execute(delete(table).where(table.c.store_id == store_id))
        conn.execute(delete(STORES).where(STORES.c.id == store_id))
