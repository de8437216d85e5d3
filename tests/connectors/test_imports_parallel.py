"""Large-file imports: staged in a helper process, committed in groups of batches.

Each test runs the same import through the worker thread and the helper process (or compares
them) so the two paths cannot drift apart: same report, same rows, same line numbers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from floorwalker.cli.main import app
from floorwalker.connectors.files import importer
from floorwalker.connectors.files.importer import RowError
from floorwalker.connectors.files.readers import NOT_UTF8_PROBLEM, NUL_PROBLEM, UnreadableFile
from floorwalker.customers.models import Customer
from floorwalker.events.models import Event, SessionLink
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories
from tests.connectors.helpers import catalog_snapshot, count, run_import

MODES = [pytest.param(False, id="thread"), pytest.param(True, id="process")]


async def stored_events(db: Database, store: Store) -> list[tuple[Any, ...]]:
    async with db.reading() as s:
        rows = await s.execute(
            select(
                Event.event_id,
                Event.type,
                Event.occurred_at,
                Event.customer_id,
                Event.session_id,
                Event.product_id,
                Event.query,
                Event.properties,
            )
            .where(Event.store_id == store.id)
            .order_by(Event.id)
        )
        return [tuple(r) for r in rows.all()]


async def links(db: Database, store: Store) -> dict[str, int]:
    async with db.reading() as s:
        rows = await s.execute(
            select(SessionLink.session_id, SessionLink.customer_id).where(
                SessionLink.store_id == store.id
            )
        )
        return {str(r[0]): int(r[1]) for r in rows.all()}


async def two_customers(db: Database, store: Store) -> tuple[int, int]:
    async with db.transaction() as s:
        first = await factories.create_customer(s, store)
        second = await factories.create_customer(s, store)
        return first.id, second.id


def events_csv(tmp_path: Path, ada: int, bob: int) -> Path:
    """Anonymous browsing, an identification in a later batch, a duplicate and bad rows."""
    lines = [
        "id,type,timestamp,session_id,customer_id,product_id,query,properties",
        "e1,view,2024-05-01T10:00:00Z,s1,,7,,",  # line 2: s1, before it is identified
        'e2,search,2024-05-01T10:01:00+02:00,s1,,,rain jacket,"{""results"": 0}"',
        "e3,view,2024-05-01T10:02:00Z,s2,,,,",  # line 4: a view without a product
        f"e4,add_to_cart,2024-05-01T10:03:00Z,s2,{bob},8,,",
        "e1,view,2024-05-01T10:00:00Z,s1,,7,,",  # line 6: a duplicate id
        f"e5,identify,2024-05-01T10:04:00Z,s1,{ada},,,",  # line 7: s1 is Ada
        "e6,view,2024-05-01T10:05:00Z,s1,,9,,",  # after: Ada's too
        "e7,view,2024-05-01T10:06:00Z,s3,999999,9,,",  # line 9: no such customer
        "e8,view,not-a-time,s3,,9,,",  # line 10: not a time
        "e9,view,2024-05-01T10:07:00Z,s3,,9,x\x00y,",  # line 11: a NUL character
    ]
    path = tmp_path / "events.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("parallel", MODES)
class TestEvents:
    async def test_rows_errors_duplicates_and_stitching_across_batches(
        self, db: Database, store: Store, tmp_path: Path, parallel: bool
    ) -> None:
        ada, bob = await two_customers(db, store)
        path = events_csv(tmp_path, ada, bob)

        report = await run_import(db, store, "events", path, parallel=parallel, batch_size=2)

        assert (report.records, report.created, report.unchanged, report.failed) == (10, 5, 1, 4)
        assert [(e.line, e.field) for e in report.errors] == [
            (4, None),
            (9, "customer_id"),
            (10, "timestamp"),
            (11, None),
        ]
        assert report.errors[0].reason == "a view event needs product_id or variant_id"
        assert report.errors[1].reason == "no such customer"
        assert report.errors[2].reason.startswith("Input should be a valid datetime")
        assert report.errors[3].reason == NUL_PROBLEM
        at = dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC)
        assert await stored_events(db, store) == [
            ("e1", "view", at, ada, "s1", 7, None, {}),
            (
                "e2",
                "search",
                at - dt.timedelta(minutes=119),
                ada,
                "s1",
                None,
                "rain jacket",
                {"results": 0},
            ),
            ("e4", "add_to_cart", at + dt.timedelta(minutes=3), bob, "s2", 8, None, {}),
            ("e5", "identify", at + dt.timedelta(minutes=4), ada, "s1", None, None, {}),
            ("e6", "view", at + dt.timedelta(minutes=5), ada, "s1", 9, None, {}),
        ]
        assert await links(db, store) == {"s1": ada, "s2": bob}

    async def test_progress_counts_every_byte_of_the_file(
        self, db: Database, store: Store, tmp_path: Path, parallel: bool
    ) -> None:
        path = events_csv(tmp_path, *await two_customers(db, store))
        seen: list[int] = []

        await run_import(
            db, store, "events", path, parallel=parallel, batch_size=3, progress=seen.append
        )

        assert sum(seen) == path.stat().st_size
        assert all(n > 0 for n in seen)

    async def test_strict_and_dry_run_store_nothing(
        self, db: Database, store: Store, tmp_path: Path, parallel: bool
    ) -> None:
        path = events_csv(tmp_path, *await two_customers(db, store))

        strict = await run_import(
            db, store, "events", path, parallel=parallel, batch_size=2, strict=True
        )
        dry = await run_import(
            db, store, "events", path, parallel=parallel, batch_size=2, dry_run=True
        )

        assert (strict.status, strict.created, strict.failed) == ("failed", 5, 4)
        assert (dry.status, dry.created, dry.failed) == ("dry_run", 5, 4)
        assert await stored_events(db, store) == []
        assert await links(db, store) == {}

    async def test_a_row_that_is_not_utf8_is_reported_and_the_rest_load(
        self, db: Database, store: Store, tmp_path: Path, parallel: bool
    ) -> None:
        path = tmp_path / "latin1.csv"
        path.write_bytes(
            b"id,type,timestamp,session_id,product_id,query\n"
            b"e1,search,2024-05-01T10:00:00Z,s1,,caf\xc3\xa9\n"  # UTF-8: loaded
            b"e2,search,2024-05-01T10:00:00Z,s1,,caf\xe9\n"  # Latin-1: refused
            b"e3,view,2024-05-01T10:00:00Z,s1,7,\n"
        )

        report = await run_import(db, store, "events", path, parallel=parallel)

        assert report.errors == [RowError(3, None, NOT_UTF8_PROBLEM)]
        assert [(r[0], r[6]) for r in await stored_events(db, store)] == [
            ("e1", "café"),
            ("e3", None),
        ]

    async def test_an_unreadable_line_stops_the_import_and_the_open_group_rolls_back(
        self,
        db: Database,
        store: Store,
        tmp_path: Path,
        parallel: bool,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(importer, "ROWS_PER_COMMIT", 4)
        rows = [f"e{i},view,2024-05-01T10:00:00Z,s{i},,7" for i in range(1, 11)]
        rows.insert(6, "e99,search,2024-05-01T10:00:00Z,s1,," + "x" * 200_000)  # line 8
        path = tmp_path / "broken.csv"
        path.write_text(
            "id,type,timestamp,session_id,customer_id,product_id,query\n" + "\n".join(rows)
        )

        with pytest.raises(UnreadableFile, match=r"broken\.csv, line 8: field larger than"):
            await run_import(db, store, "events", path, parallel=parallel, batch_size=2)

        # Two batches of two make a group of four, committed; the next group never completes.
        assert [r[0] for r in await stored_events(db, store)] == ["e1", "e2", "e3", "e4"]


@pytest.mark.parametrize("parallel", MODES)
class TestOtherResources:
    async def test_products_from_csv_are_the_same_either_way(
        self, db: Database, store: Store, tmp_path: Path, parallel: bool
    ) -> None:
        path = tmp_path / "p.csv"
        path.write_text(
            "external_id,title,option.Size,variant_external_id,sku,price\n"
            "P1,Linen Shirt,M,V1,LS-M,45.00\n"
            "P1,Linen Shirt,L,V2,LS-L,45.00\n"
            "P2,Tote,,V3,TOTE,nope\n"
            "P3,Mug,,V4,MUG,9.50\n"
        )

        report = await run_import(db, store, "products", path, parallel=parallel, batch_size=1)
        again = await run_import(db, store, "products", path, parallel=parallel, batch_size=1)

        assert (report.created, report.failed, report.errors) == (
            2,
            1,
            [RowError(4, "price", "not an amount, e.g. 19.99")],
        )
        assert (again.created, again.unchanged, again.failed) == (0, 2, 1)
        assert [(p[0], p[3], p[5]) for p in await catalog_snapshot(db, store)] == [
            ("P1", "V1", 4500),
            ("P1", "V2", 4500),
            ("P3", "V4", 950),
        ]

    async def test_json_lines_and_parquet_refuse_nul_characters_row_by_row(
        self, db: Database, store: Store, tmp_path: Path, parallel: bool
    ) -> None:
        jsonl = tmp_path / "c.jsonl"
        jsonl.write_text(
            json.dumps({"external_id": "C1", "email": "a@example.com"})
            + "\n"
            + json.dumps({"external_id": "C2", "email": "b@example.com", "first_name": "B\x00"})
            + "\n"
            + '{"external_id": "C3", "email": "c@example.com", "first_name": "a \\\\u0000 b"}\n'
        )
        parquet = tmp_path / "c.parquet"
        pq.write_table(
            pa.table({"external_id": ["C4", "C5"], "email": ["d@example.com", "e\x00@x.com"]}),
            parquet,
        )

        first = await run_import(db, store, "customers", jsonl, parallel=parallel)
        second = await run_import(db, store, "customers", parquet, parallel=parallel)

        assert (first.created, [(e.line, e.reason) for e in first.errors]) == (
            2,
            [(2, NUL_PROBLEM)],
        )
        assert (second.created, [(e.line, e.reason) for e in second.errors]) == (
            1,
            [(2, NUL_PROBLEM)],
        )
        assert await count(db, Customer, store) == 3


class TestCommandLine:
    async def test_a_large_file_goes_through_the_helper_process_from_the_cli(
        self,
        db: Database,
        store: Store,
        tmp_path: Path,
        database_url: str,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setenv("FLOORWALKER_DATABASE_URL", database_url)
        monkeypatch.setattr(importer, "PARALLEL_MIN_BYTES", 0)
        path = events_csv(tmp_path, *await two_customers(db, store))

        result = await asyncio.to_thread(
            CliRunner().invoke, app, ["import", "events", str(path), "--store", store.slug]
        )

        assert result.exit_code == 1, result.output
        assert "line 11: contains a NUL character" in result.output
        assert [r[0] for r in await stored_events(db, store)] == ["e1", "e2", "e4", "e5", "e6"]
