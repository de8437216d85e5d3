"""The order operations over real HTTP: preview, execute, idempotency keys, scopes, tenants."""

from __future__ import annotations

import httpx

from floorwalker.kit.db import Database
from tests.orders.http import (  # noqa: F401 - fixtures
    outsider_fixture,
    reader_fixture,
    shop_fixture,
    writer_fixture,
)
from tests.orders.shop import Shop, balance, place_order, reload, snapshot, stock


class TestCancelOverHttp:
    async def test_preview_then_cancel_with_a_key_retried(
        self, db: Database, shop: Shop, writer: httpx.AsyncClient
    ) -> None:
        order = await place_order(
            db, shop, lines=[(shop.m_blue, 1)], pay_with=[(shop.gift_card, 4500)]
        )
        before = await snapshot(db, shop.store)
        url = f"/v1/orders/{order.id}/cancel"

        preview = await writer.post(
            url, params={"preview": "true"}, json={"reason": "no longer needed"}
        )
        assert await snapshot(db, shop.store) == before
        first = await writer.post(
            url, json={"reason": "no longer needed"}, headers={"Idempotency-Key": "c-1"}
        )
        retry = await writer.post(
            url, json={"reason": "no longer needed"}, headers={"Idempotency-Key": "c-1"}
        )
        reused = await writer.post(
            url, json={"reason": "ordered by mistake"}, headers={"Idempotency-Key": "c-1"}
        )

        assert preview.status_code == 200
        assert preview.json()["executed"] is False
        assert preview.json()["refund_total"] == 4500
        assert first.status_code == 200
        assert first.json()["executed"] is True
        assert retry.json() == first.json()
        assert reused.status_code == 409
        assert reused.json()["error"] == "idempotency_key_reused"
        assert await balance(db, shop.gift_card) == 10000
        assert (await reload(db, order)).status == "cancelled"

    async def test_a_refusal_is_a_typed_error_and_changes_nothing(
        self, db: Database, shop: Shop, writer: httpx.AsyncClient
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])
        before = await snapshot(db, shop.store)

        response = await writer.post(f"/v1/orders/{order.id}/cancel", json={"reason": "meh"})

        assert response.status_code == 422
        assert response.json() == {
            "error": "invalid_cancel_reason",
            "detail": 'The reason must be one of: "no longer needed", "ordered by mistake".',
            "reason": "meh",
            "allowed": ["no longer needed", "ordered by mistake"],
        }
        assert await snapshot(db, shop.store) == before

    async def test_a_read_key_may_not_cancel(
        self, db: Database, shop: Shop, reader: httpx.AsyncClient
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])

        response = await reader.post(
            f"/v1/orders/{order.id}/cancel", json={"reason": "no longer needed"}
        )

        assert response.status_code == 403
        assert response.json()["error"] == "insufficient_scope"

    async def test_another_stores_order_is_not_found(
        self, db: Database, shop: Shop, outsider: httpx.AsyncClient
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])
        before = await snapshot(db, shop.store)

        response = await outsider.post(
            f"/v1/orders/{order.id}/cancel", json={"reason": "no longer needed"}
        )

        assert response.status_code == 404
        assert response.json()["error"] == "order_not_found"
        assert await snapshot(db, shop.store) == before


class TestModificationsOverHttp:
    async def test_address_payment_and_items(
        self, db: Database, shop: Shop, writer: httpx.AsyncClient
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)], hold_stock=True)
        line_id = (await reload(db, order)).lines[0].id
        base = f"/v1/orders/{order.id}"

        address = await writer.post(
            f"{base}/modify-address",
            json={"address": {"line1": "1 Park Row", "city": "Leeds", "country": "GB"}},
        )
        payment = await writer.post(
            f"{base}/modify-payment", json={"payment_method_id": shop.gift_card.id}
        )
        items = await writer.post(
            f"{base}/modify-items",
            json={"items": [{"line_id": line_id, "variant_id": shop.m_white.id}]},
        )

        assert address.status_code == 200, address.text
        assert address.json()["address_after"]["city"] == "Leeds"
        assert payment.status_code == 200, payment.text
        assert items.status_code == 200, items.text
        assert items.json()["price_difference"] == 300
        assert await balance(db, shop.gift_card) == 10000 - 4500 - 300
        assert await stock(db, shop.m_white) == (3, 1)
        stored = await reload(db, order)
        assert (stored.total, stored.item_modifications) == (4800, 1)

    async def test_bad_input_is_a_validation_error(
        self, db: Database, shop: Shop, writer: httpx.AsyncClient
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])

        zero = await writer.post(
            f"/v1/orders/{order.id}/modify-items",
            json={"items": [{"line_id": 1, "variant_id": shop.m_white.id, "quantity": 0}]},
        )
        country = await writer.post(
            f"/v1/orders/{order.id}/modify-address",
            json={"address": {"line1": "x", "city": "y", "country": "Britain"}},
        )

        assert (zero.status_code, zero.json()["error"]) == (422, "validation_error")
        assert (country.status_code, country.json()["error"]) == (422, "validation_error")


class TestReturnsAndExchangesOverHttp:
    async def test_a_return_requested_then_received(
        self, db: Database, shop: Shop, writer: httpx.AsyncClient
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 2)], status="delivered")
        line_id = (await reload(db, order)).lines[0].id

        requested = await writer.post(
            f"/v1/orders/{order.id}/returns",
            json={
                "items": [{"line_id": line_id, "quantity": 1}],
                "refund_payment_method_id": shop.gift_card.id,
                "reason": "too big",
            },
        )
        return_id = requested.json()["return_id"]
        preview = await writer.post(
            f"/v1/orders/{order.id}/returns/{return_id}/complete",
            params={"preview": "true"},
            json={"location_id": shop.location.id},
        )
        done = await writer.post(
            f"/v1/orders/{order.id}/returns/{return_id}/complete",
            json={"location_id": shop.location.id},
        )

        assert requested.status_code == 200, requested.text
        assert requested.json()["status_after"] == "return_requested"
        assert preview.json()["executed"] is False
        assert done.status_code == 200, done.text
        assert done.json()["status_after"] == "delivered"
        assert await balance(db, shop.gift_card) == 14500
        assert await stock(db, shop.m_blue) == (6, 0)

    async def test_an_exchange_requested_then_completed(
        self, db: Database, shop: Shop, writer: httpx.AsyncClient
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)], status="delivered")
        line_id = (await reload(db, order)).lines[0].id

        requested = await writer.post(
            f"/v1/orders/{order.id}/exchanges",
            json={"items": [{"line_id": line_id, "variant_id": shop.m_white.id}]},
        )
        exchange_id = requested.json()["exchange_id"]
        done = await writer.post(f"/v1/orders/{order.id}/exchanges/{exchange_id}/complete")

        assert requested.status_code == 200, requested.text
        assert done.status_code == 200, done.text
        assert done.json()["status_after"] == "exchanged"
        assert await stock(db, shop.m_white) == (3, 0)
        assert await stock(db, shop.m_blue) == (6, 0)

    async def test_a_pending_order_cannot_be_returned(
        self, db: Database, shop: Shop, writer: httpx.AsyncClient
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])
        line_id = (await reload(db, order)).lines[0].id

        response = await writer.post(
            f"/v1/orders/{order.id}/returns", json={"items": [{"line_id": line_id}]}
        )

        assert response.status_code == 409
        assert response.json()["error"] == "order_not_delivered"


class TestDefaultAddressOverHttp:
    async def test_preview_then_update(
        self, db: Database, shop: Shop, writer: httpx.AsyncClient
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])
        url = f"/v1/customers/{shop.customer.id}/default-address"
        body = {"address": {"line1": "1 Park Row", "city": "Leeds", "country": "GB"}}
        before = await snapshot(db, shop.store)

        preview = await writer.post(url, params={"preview": "true"}, json=body)
        assert await snapshot(db, shop.store) == before
        done = await writer.post(url, json=body)
        customer = (await writer.get(f"/v1/customers/{shop.customer.id}")).json()

        assert preview.status_code == 200, preview.text
        assert preview.json()["reuses_saved_address"] is False
        assert done.status_code == 200, done.text
        assert [a["city"] for a in customer["addresses"] if a["is_default"]] == ["Leeds"]
        assert (await reload(db, order)).shipping_address["city"] == "London"

    async def test_another_stores_customer_is_not_found(
        self, shop: Shop, outsider: httpx.AsyncClient
    ) -> None:
        response = await outsider.post(
            f"/v1/customers/{shop.customer.id}/default-address",
            json={"address": {"line1": "1 Park Row", "city": "Leeds", "country": "GB"}},
        )

        assert response.status_code == 404
        assert response.json()["error"] == "customer_not_found"
