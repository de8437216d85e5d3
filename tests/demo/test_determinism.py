"""Same seed, same anchor → byte-identical store, in the plan and in the database."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest
from sqlalchemy import select

from floorwalker.demo.build import build_plan
from floorwalker.demo.generator import TABLES, sync_engine, write_plan
from floorwalker.demo.plan import TABLE_ORDER
from tests import factories

ANCHOR = dt.datetime(2026, 3, 14, tzinfo=dt.UTC)

#: Integer columns that hold ids of other demo rows without a foreign key (events) or inside
#: JSON documents; the foreign keys are found from the metadata.
PLAIN_IDS = {
    "product_id": "products",
    "variant_id": "variants",
    "customer_id": "customers",
    "order_id": "orders",
    "line_id": "order_lines",
    "new_variant_id": "variants",
    "reserved_location_id": "locations",
    "payment_method_id": "payment_methods",
}


def _normalise(value: Any, ordinals: dict[str, dict[int, int]], key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _normalise(v, ordinals, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v, ordinals, key) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and key in PLAIN_IDS:
        return f"{PLAIN_IDS[key]}#{ordinals[PLAIN_IDS[key]][value]}"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def store_digest(url: str, store_id: int) -> tuple[str, dict[str, int]]:
    """A digest of every demo row of a store with database ids replaced by row ordinals."""
    data: dict[str, list[dict[str, Any]]] = {}
    ordinals: dict[str, dict[int, int]] = {}
    with sync_engine(url) as engine, engine.connect() as conn:
        for name in TABLE_ORDER:
            table = TABLES[name]
            query = select(table).where(table.c.store_id == store_id).order_by(table.c.id)
            data[name] = [dict(row._mapping) for row in conn.execute(query)]
            ordinals[name] = {row["id"]: n for n, row in enumerate(data[name])}
    digest = hashlib.sha256()
    for name in TABLE_ORDER:
        foreign = {fk.parent.name: fk.column.table.name for fk in TABLES[name].foreign_keys}
        for row in data[name]:
            clean: dict[str, Any] = {}
            for key, value in row.items():
                if key in ("id", "store_id"):
                    continue
                if key in foreign and foreign[key] != "stores" and value is not None:
                    clean[key] = f"{foreign[key]}#{ordinals[foreign[key]][value]}"
                else:
                    clean[key] = _normalise(value, ordinals, key)
            digest.update(json.dumps(clean, sort_keys=True, default=str).encode())
    return digest.hexdigest(), {name: len(rows) for name, rows in data.items()}


class TestPlan:
    def test_the_same_seed_and_anchor_plan_byte_identical_stores(self) -> None:
        first = build_plan(seed=7, scale=0.1, now=ANCHOR)
        second = build_plan(seed=7, scale=0.1, now=ANCHOR)

        assert first.checksum() == second.checksum()
        assert first.counts() == second.counts()

    def test_another_seed_or_anchor_plans_another_store(self) -> None:
        base = build_plan(seed=7, scale=0.05, now=ANCHOR).checksum()

        assert build_plan(seed=8, scale=0.05, now=ANCHOR).checksum() != base
        assert build_plan(seed=7, scale=0.05, now=ANCHOR + dt.timedelta(days=1)).checksum() != base


class TestDatabase:
    def test_two_stores_from_one_seed_hold_identical_rows(self, database_url: str) -> None:
        digests = []
        for _ in range(2):
            plan = build_plan(seed=11, scale=0.05, now=ANCHOR, slug=factories.unique("det-"))
            store_id = write_plan(database_url, plan)
            digests.append(store_digest(database_url, store_id))

        (first, counts), (second, _) = digests
        assert first == second
        assert counts == plan.counts()
        assert counts["orders"] > 500

    def test_a_failed_write_leaves_nothing_behind(self, database_url: str) -> None:
        plan = build_plan(seed=12, scale=0.02, now=ANCHOR, slug=factories.unique("broken-"))
        plan.rows["articles"].append(dict(plan.rows["articles"][0]))  # a duplicate slug
        slug = plan.store["slug"]

        with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
            write_plan(database_url, plan)

        stores = TABLES["categories"].metadata.tables["stores"]
        with sync_engine(database_url) as engine, engine.connect() as conn:
            assert conn.execute(select(stores.c.id).where(stores.c.slug == slug)).first() is None
