"""The orders API over real HTTP: reads, upserts and every operation with preview and keys."""

from __future__ import annotations

from typing import Any

import httpx

from floorwalker.kit.db import Database
from tests.orders.http import (  # noqa: F401 - fixtures
    outsider_fixture,
    reader_fixture,
    shop_fixture,
    writer_fixture,
)
from tests.orders.shop import Shop, place_order


class TestReadOrders:
    async def test_reads_an_order_with_everything(
        self, db: Database, shop: Shop, reader: httpx.AsyncClient
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 2)], status="delivered")

        response = await reader.get(f"/v1/orders/{order.id}")

        assert response.status_code == 200
        body = response.json()
        assert (body["number"], body["status"], body["total"], body["amount_paid"]) == (
            order.number,
            "delivered",
            9000,
            9000,
        )
        assert [(x["variant_id"], x["quantity"], x["unit_price"]) for x in body["lines"]] == [
            (shop.m_blue.id, 2, 4500)
        ]
        assert [(t["kind"], t["amount"], t["method_label"]) for t in body["transactions"]] == [
            ("payment", 9000, "Visa ending 4242")
        ]
        assert body["fulfilments"][0]["carrier"] == "UPS"
        assert body["delivered_at"] is not None
        assert (body["returns"], body["exchanges"]) == ([], [])

    async def test_another_stores_order_is_not_found(
        self, db: Database, shop: Shop, outsider: httpx.AsyncClient
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])

        response = await outsider.get(f"/v1/orders/{order.id}")

        assert response.status_code == 404
        assert response.json() == {
            "error": "order_not_found",
            "detail": f"Order {order.id} not found.",
            "order": str(order.id),
        }

    async def test_lists_pages_without_gaps_and_filters(
        self, db: Database, shop: Shop, reader: httpx.AsyncClient
    ) -> None:
        ids = [
            (await place_order(db, shop, lines=[(shop.m_blue, 1)], status=status)).id
            for status in ["pending", "delivered", "pending", "pending", "cancelled"]
        ]
        other = await place_order(
            db, shop, lines=[(shop.mug_variant, 1)], customer=shop.other_customer
        )

        seen: list[int] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 2, "customer_id": shop.customer.id}
            if cursor:
                params["cursor"] = cursor
            page = (await reader.get("/v1/orders", params=params)).json()
            seen += [o["id"] for o in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        pending = (await reader.get("/v1/orders", params={"status": "pending"})).json()
        everything = (await reader.get("/v1/orders")).json()

        assert seen == ids
        assert [o["id"] for o in pending["items"]] == [ids[0], ids[2], ids[3], other.id]
        assert len(everything["items"]) == 6

    async def test_an_id_beyond_any_row_is_a_validation_error(
        self, reader: httpx.AsyncClient
    ) -> None:
        response = await reader.get("/v1/orders/99999999999999999999")

        assert response.status_code == 422
        assert response.json()["error"] == "validation_error"

    async def test_a_bad_status_filter_is_a_validation_error(
        self, reader: httpx.AsyncClient
    ) -> None:
        response = await reader.get("/v1/orders", params={"status": "lost"})

        assert response.status_code == 422
        assert response.json()["error"] == "validation_error"


class TestUpsertOrders:
    def _record(self, shop: Shop, **overrides: Any) -> dict[str, Any]:
        record: dict[str, Any] = {
            "source": "woocommerce",
            "external_id": "812",
            "number": "812",
            "customer_id": shop.customer.id,
            "status": "processing",
            "lines": [{"sku": shop.m_white.sku, "quantity": 1, "unit_price": 4800}],
            "transactions": [
                {"kind": "payment", "amount": 4800, "method_kind": "card", "method_label": "Visa"}
            ],
        }
        record.update(overrides)
        return record

    async def test_the_same_order_twice_is_created_then_unchanged(
        self, shop: Shop, writer: httpx.AsyncClient
    ) -> None:
        first = await writer.post("/v1/orders", json=self._record(shop))
        second = await writer.post("/v1/orders", json=self._record(shop))

        assert first.status_code == 201
        assert first.json()["status"] == "created"
        assert first.json()["order"]["lines"][0]["variant_id"] == shop.m_white.id
        assert second.status_code == 200
        assert second.json()["status"] == "unchanged"
        assert second.json()["order"]["id"] == first.json()["order"]["id"]

    async def test_a_batch_reports_each_record(self, shop: Shop, writer: httpx.AsyncClient) -> None:
        bad = self._record(shop, external_id="813", number="813", customer_id=10**9)

        response = await writer.post(
            "/v1/orders/batch", json={"records": [self._record(shop), bad, {"number": "x"}]}
        )

        assert response.status_code == 200
        body = response.json()
        assert (body["created"], body["failed"]) == (1, 2)
        assert [(r["status"], r["error"]) for r in body["results"]] == [
            ("created", None),
            ("failed", "customer_not_found"),
            ("failed", "validation_error"),
        ]

    async def test_a_batch_over_a_thousand_is_refused(
        self, shop: Shop, writer: httpx.AsyncClient
    ) -> None:
        response = await writer.post("/v1/orders/batch", json={"records": [{}] * 1001})

        assert response.status_code == 422
        assert response.json()["error"] == "batch_too_large"

    async def test_a_read_key_cannot_load_orders(
        self, shop: Shop, reader: httpx.AsyncClient
    ) -> None:
        response = await reader.post("/v1/orders", json=self._record(shop))

        assert response.status_code == 403
        assert response.json()["error"] == "insufficient_scope"
