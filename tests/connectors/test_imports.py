"""File imports: CSV, JSON Lines and Parquet; row errors, strict, dry run, idempotence, CLI."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from floorwalker.cli.main import app
from floorwalker.connectors.files.importer import RowError
from floorwalker.connectors.files.readers import UnreadableFile, read_csv
from floorwalker.connectors.models import SyncRun
from floorwalker.customers.models import Address, Customer
from floorwalker.events.models import Event
from floorwalker.kit.db import Database
from floorwalker.orders.models import Order, OrderLine, PaymentTransaction
from floorwalker.stores.models import Store
from tests.connectors.helpers import catalog_snapshot, count, run_import, stock_snapshot

PRODUCTS_CSV = """\
external_id,title,brand,category,tags,option.Size,option.Colour,variant_external_id,sku,price,\
compare_at_price
P1,Linen Shirt,Northwind,Women > Shirts,"linen,summer",M,Blue,V1,LS-M-BLU,45.00,
P1,Linen Shirt,Northwind,Women > Shirts,"linen,summer",L,Blue,V2,LS-L-BLU,45.00,55.00
P2,Canvas Tote,Northwind,Bags,,,,V3,TOTE,19.99,
"""


ORDER = "O1,#1001,ada@example.com,delivered,2024-05-02T09:00:00Z,card,Visa ending 4242"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


class TestProducts:
    async def test_a_csv_of_variant_rows_becomes_products(
        self, db: Database, store: Store, tmp_path: Path
    ) -> None:
        report = await run_import(db, store, "products", write(tmp_path, "p.csv", PRODUCTS_CSV))

        assert (report.records, report.created, report.failed, report.status) == (
            2,
            2,
            0,
            "succeeded",
        )
        assert await catalog_snapshot(db, store) == [
            ("P1", "Linen Shirt", "active", "V1", "LS-M-BLU", 4500, None),
            ("P1", "Linen Shirt", "active", "V2", "LS-L-BLU", 4500, 5500),
            ("P2", "Canvas Tote", "active", "V3", "TOTE", 1999, None),
        ]

    async def test_importing_the_same_file_again_changes_nothing(
        self, db: Database, store: Store, tmp_path: Path
    ) -> None:
        path = write(tmp_path, "p.csv", PRODUCTS_CSV)
        await run_import(db, store, "products", path)
        before = await catalog_snapshot(db, store)

        again = await run_import(db, store, "products", path)

        assert (again.created, again.updated, again.unchanged, again.failed) == (0, 0, 2, 0)
        assert await catalog_snapshot(db, store) == before

    async def test_bad_rows_are_reported_with_line_and_field_and_good_rows_still_load(
        self, db: Database, store: Store, tmp_path: Path
    ) -> None:
        text = (
            PRODUCTS_CSV
            + "P3,Wool Socks,,,,,,V4,SOCK,not-a-price,\nP4,Rain Hat,,,,,,V5,HAT,-3.00,\n"
        )

        report = await run_import(db, store, "products", write(tmp_path, "p.csv", text))

        assert (report.records, report.created, report.failed, report.status) == (
            4,
            2,
            2,
            "partial",
        )
        assert report.errors == [
            RowError(5, "price", "not an amount, e.g. 19.99"),
            RowError(6, "price", "Input should be greater than or equal to 0"),
        ]
        assert [row[0] for row in await catalog_snapshot(db, store)] == ["P1", "P1", "P2"]

    async def test_strict_imports_nothing_when_a_row_fails(
        self, db: Database, store: Store, tmp_path: Path
    ) -> None:
        text = PRODUCTS_CSV + "P3,Wool Socks,,,,,,V4,SOCK,not-a-price,\n"

        report = await run_import(
            db, store, "products", write(tmp_path, "p.csv", text), strict=True
        )

        assert (report.created, report.failed, report.committed, report.status) == (
            2,
            1,
            False,
            "failed",
        )
        assert await catalog_snapshot(db, store) == []
        async with db.reading() as s:
            runs = (await s.scalars(select(SyncRun).where(SyncRun.store_id == store.id))).all()
        assert [(r.kind, r.status, r.failed, r.detail) for r in runs] == [
            ("import", "failed", 1, "rolled back: the import is strict and some rows failed")
        ]

    async def test_a_dry_run_counts_everything_and_changes_nothing(
        self, db: Database, store: Store, tmp_path: Path
    ) -> None:
        report = await run_import(
            db, store, "products", write(tmp_path, "p.csv", PRODUCTS_CSV), dry_run=True
        )

        assert (report.created, report.status) == (2, "dry_run")
        assert await catalog_snapshot(db, store) == []

    async def test_a_products_rows_must_be_adjacent(
        self, db: Database, store: Store, tmp_path: Path
    ) -> None:
        text = PRODUCTS_CSV + "P1,Linen Shirt,,,,S,Blue,V9,LS-S-BLU,45.00,\n"

        report = await run_import(db, store, "products", write(tmp_path, "p.csv", text))

        assert report.errors == [
            RowError(
                5, "external_id", "this product's rows are not adjacent; keep its variants together"
            )
        ]

    async def test_json_lines_carry_records_in_the_api_shape(
        self, db: Database, store: Store, tmp_path: Path
    ) -> None:
        lines = [
            {
                "external_id": "J1",
                "title": "Trail Shoe",
                "variants": [
                    {
                        "external_id": "JV1",
                        "sku": "TS-42",
                        "price": 12000,
                        "options": {"size": "42"},
                    }
                ],
            },
            {"external_id": "J2", "title": "Broken"},
        ]
        text = "\n".join(json.dumps(x) for x in lines) + "\nnot json\n"

        report = await run_import(db, store, "products", write(tmp_path, "p.jsonl", text))

        assert (report.created, report.failed) == (1, 2)
        assert [(e.line, e.field) for e in report.errors] == [(2, "variants"), (3, None)]
        assert report.errors[1].reason.startswith("not JSON")
        assert await catalog_snapshot(db, store) == [
            ("J1", "Trail Shoe", "active", "JV1", "TS-42", 12000, None)
        ]

    async def test_parquet_columns_are_read_like_csv_columns(
        self, db: Database, store: Store, tmp_path: Path
    ) -> None:
        table = pa.table(
            {
                "external_id": ["Q1", "Q1"],
                "title": ["Merino Jumper", "Merino Jumper"],
                "option.Size": ["S", "M"],
                "variant_external_id": ["QV1", "QV2"],
                "sku": ["MJ-S", "MJ-M"],
                "price": ["80.00", "85.00"],
            }
        )
        path = tmp_path / "p.parquet"
        pq.write_table(table, path)

        report = await run_import(db, store, "products", path)

        assert (report.created, report.failed) == (1, 0)
        assert await catalog_snapshot(db, store) == [
            ("Q1", "Merino Jumper", "active", "QV1", "MJ-S", 8000, None),
            ("Q1", "Merino Jumper", "active", "QV2", "MJ-M", 8500, None),
        ]


class TestOtherResources:
    async def test_stock_levels_by_sku_and_location_code(
        self, db: Database, store: Store, tmp_path: Path
    ) -> None:
        await run_import(db, store, "products", write(tmp_path, "p.csv", PRODUCTS_CSV))
        from tests import factories

        async with db.transaction() as s:
            await factories.create_location(s, store, code="WH1")
        text = "sku,location,on_hand\nLS-M-BLU,WH1,5\nTOTE,WH1,12\nNOPE,WH1,3\nLS-L-BLU,WH1,many\n"

        report = await run_import(db, store, "inventory", write(tmp_path, "s.csv", text))

        assert (report.created, report.failed) == (2, 2)
        assert [(e.line, e.field) for e in report.errors] == [(4, None), (5, "on_hand")]
        assert await stock_snapshot(db, store) == [("V1", 5, 0), ("V3", 12, 0)]

    async def test_customers_with_an_address(
        self, db: Database, store: Store, tmp_path: Path
    ) -> None:
        text = (
            "external_id,email,first_name,last_name,accepts_marketing,"
            "address_line1,address_city,address_country\n"
            "C1,ada@example.com,Ada,Lovelace,yes,12 St James's Square,London,gb\n"
            "C2,not-an-email,Bob,,no,,,\n"
        )

        report = await run_import(db, store, "customers", write(tmp_path, "c.csv", text))

        assert (report.created, report.failed) == (1, 1)
        assert report.errors[0].line == 3
        async with db.reading() as s:
            customer = await s.scalar(select(Customer).where(Customer.store_id == store.id))
            address = await s.scalar(select(Address).where(Address.store_id == store.id))
        assert customer is not None
        assert address is not None
        assert (customer.external_id, customer.email, customer.accepts_marketing) == (
            "C1",
            "ada@example.com",
            True,
        )
        assert (address.city, address.country, address.is_default) == ("London", "GB", True)

    async def test_orders_with_lines_payment_and_customer_by_email(
        self, db: Database, store: Store, tmp_path: Path
    ) -> None:
        await run_import(db, store, "products", write(tmp_path, "p.csv", PRODUCTS_CSV))
        await run_import(
            db,
            store,
            "customers",
            write(tmp_path, "c.csv", "external_id,email\nC1,ada@example.com\n"),
        )
        text = (  # two lines of one order
            "external_id,number,customer_email,status,placed_at,payment_method,payment_label,"
            "sku,quantity,unit_price,line_external_id\n"
            f"{ORDER},LS-M-BLU,2,45.00,L1\n"
            f"{ORDER},TOTE,1,19.99,L2\n"
        )

        report = await run_import(db, store, "orders", write(tmp_path, "o.csv", text))

        assert (report.created, report.failed) == (1, 0)
        async with db.reading() as s:
            order = await s.scalar(select(Order).where(Order.store_id == store.id))
            assert order is not None
            lines = (
                await s.execute(
                    select(OrderLine.sku, OrderLine.quantity, OrderLine.unit_price)
                    .where(OrderLine.order_id == order.id)
                    .order_by(OrderLine.position)
                )
            ).all()
            payments = (
                await s.execute(
                    select(
                        PaymentTransaction.kind,
                        PaymentTransaction.amount,
                        PaymentTransaction.method_label,
                    ).where(PaymentTransaction.order_id == order.id)
                )
            ).all()
            customer = await s.scalar(select(Customer.id).where(Customer.store_id == store.id))
        assert (order.number, order.status, order.total, order.customer_id) == (
            "#1001",
            "delivered",
            10999,
            customer,
        )
        assert [tuple(r) for r in lines] == [("LS-M-BLU", 2, 4500), ("TOTE", 1, 1999)]
        assert [tuple(p) for p in payments] == [("payment", 10999, "Visa ending 4242")]

    async def test_events_with_duplicates_and_bad_rows(
        self, db: Database, store: Store, tmp_path: Path
    ) -> None:
        text = (
            "id,type,timestamp,session_id,product_id,query,properties\n"
            "e1,view,2024-05-01T10:00:00Z,s1,7,,\n"
            'e2,search,2024-05-01T10:01:00Z,s1,,rain jacket,"{""results"": 0}"\n'
            "e1,view,2024-05-01T10:00:00Z,s1,7,,\n"
            "e3,view,2024-05-01T10:02:00Z,s1,,,\n"
        )

        report = await run_import(db, store, "events", write(tmp_path, "e.csv", text))

        assert (report.created, report.unchanged, report.failed) == (2, 1, 1)
        assert report.errors == [RowError(5, None, "a view event needs product_id or variant_id")]
        assert await count(db, Event, store) == 2


class TestCsvReading:
    def test_blank_cells_lines_and_extra_cells_keep_the_editors_line_numbers(
        self, tmp_path: Path
    ) -> None:
        text = (
            " id , type ,note\n"
            "e1,view,  \n"
            "\n"
            "e2,,x\n"
            "e3,view,x,extra\n"
            ",,\n"
            '"e4","multi\nline",\n'
            "e5,view\n"
        )

        rows = list(read_csv(write(tmp_path, "r.csv", text)))

        assert [(r.line, r.values, r.problem) for r in rows] == [
            (2, {"id": "e1", "type": "view"}, None),
            (4, {"id": "e2", "note": "x"}, None),
            (5, {}, "more cells than header columns"),
            (8, {"id": "e4", "type": "multi\nline"}, None),
            (9, {"id": "e5", "type": "view"}, None),
        ]

    def test_a_header_that_repeats_a_column_is_refused(self, tmp_path: Path) -> None:
        with pytest.raises(UnreadableFile, match="repeats a column"):
            list(read_csv(write(tmp_path, "r.csv", "id, id\n1,2\n")))

    def test_an_empty_file_has_no_rows(self, tmp_path: Path) -> None:
        assert list(read_csv(write(tmp_path, "r.csv", ""))) == []


class TestCommandLine:
    @pytest.fixture(autouse=True)
    def _env(self, monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
        monkeypatch.setenv("FLOORWALKER_DATABASE_URL", database_url)

    async def test_prints_a_summary_and_fails_when_a_row_failed(
        self, db: Database, store: Store, tmp_path: Path
    ) -> None:
        good = write(tmp_path, "p.csv", PRODUCTS_CSV)
        bad = write(tmp_path, "bad.csv", PRODUCTS_CSV + "P3,Wool Socks,,,,,,V4,SOCK,x,\n")
        errors = tmp_path / "errors.csv"
        runner = CliRunner()

        ok = await asyncio.to_thread(
            runner.invoke, app, ["import", "products", str(good), "--store", store.slug]
        )
        failed = await asyncio.to_thread(
            runner.invoke,
            app,
            ["import", "products", str(bad), "--store", store.slug, "--errors", str(errors)],
        )
        missing = await asyncio.to_thread(
            runner.invoke,
            app,
            ["import", "products", str(tmp_path / "nope.csv"), "--store", store.slug],
        )

        assert ok.exit_code == 0, ok.output
        assert "Imported products from p.csv" in ok.output
        assert failed.exit_code == 1
        assert "line 5, price: not an amount, e.g. 19.99" in failed.output
        assert errors.read_text().splitlines() == [
            "line,field,reason",
            '5,price,"not an amount, e.g. 19.99"',
        ]
        assert missing.exit_code == 1
        assert "No such file" in missing.output
        assert "Traceback" not in missing.output
