"""Customers, consent and preferences over real HTTP."""

from __future__ import annotations

from typing import Any

import httpx

from floorwalker.catalog import service as catalog_service
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer


def customer(n: int = 1, **overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "source": "shopify",
        "external_id": f"C{n}",
        "email": f"shopper{n}@example.com",
        "first_name": "Grace",
        "last_name": "Hopper",
        "addresses": [{"line1": "1 Navy Way", "city": "Arlington", "country": "US"}],
        "payment_methods": [
            {"kind": "card", "brand": "mastercard", "last4": "4444"},
            {"kind": "store_credit", "balance": 1500},
        ],
    }
    record.update(overrides)
    return record


class TestUpsertCustomer:
    async def test_create_read_and_unchanged(self, admin: httpx.AsyncClient) -> None:
        created = await admin.post("/v1/customers", json=customer())
        again = await admin.post("/v1/customers", json=customer())

        assert created.status_code == 201
        shown = created.json()["customer"]
        assert (shown["email"], shown["name"], shown["order_count"]) == (
            "shopper1@example.com",
            "Grace Hopper",
            0,
        )
        assert [(a["city"], a["is_default"]) for a in shown["addresses"]] == [("Arlington", True)]
        assert [(m["label"], m["balance"]) for m in shown["payment_methods"]] == [
            ("Mastercard ending 4444", None),
            ("Store credit", 1500),
        ]
        assert shown["gift_card_balances"] == [
            {"payment_method_id": shown["payment_methods"][1]["id"], "kind": "store_credit",
             "label": "Store credit", "balance": 1500, "currency": "USD"}
        ]  # fmt: skip
        assert (again.status_code, again.json()["status"]) == (200, "unchanged")
        assert (await admin.get(f"/v1/customers/{shown['id']}")).json() == shown

    async def test_a_card_number_is_422_and_nothing_is_stored(
        self, admin: httpx.AsyncClient
    ) -> None:
        response = await admin.post(
            "/v1/customers",
            json=customer(payment_methods=[{"kind": "card", "brand": "visa", "last4": "1111",
                                            "number": "4111111111111111"}]),
        )  # fmt: skip

        assert response.status_code == 422
        assert [e["type"] for e in response.json()["errors"]] == ["card_number_rejected"]
        assert (await admin.get("/v1/customers")).json()["items"] == []

    async def test_batch_keeps_good_records(self, admin: httpx.AsyncClient) -> None:
        records = [customer(1), customer(2, email="not-an-email"), customer(3)]

        body = (await admin.post("/v1/customers/batch", json={"records": records})).json()

        assert [(r["status"], r["error"]) for r in body["results"]] == [
            ("created", None),
            ("failed", "validation_error"),
            ("created", None),
        ]
        assert body["results"][1]["errors"][0]["type"] == "invalid_email"
        listed = (await admin.get("/v1/customers")).json()["items"]
        assert [c["external_id"] for c in listed] == ["C1", "C3"]

    async def test_order_count_counts_the_customers_orders(
        self, admin: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        async with db.transaction() as session:
            shopper = await factories.create_customer(session, store)
            location = await factories.create_location(session, store)
            product = await factories.create_product(session, store, location=location)
            (variant, *_) = await catalog_service.variants_of_product(session, store.id, product.id)
            for _ in range(2):
                await factories.create_order(session, store, shopper, lines=[(variant, 1)])

        shown = (await admin.get(f"/v1/customers/{shopper.id}")).json()

        assert shown["order_count"] == 2


class TestListAndFilters:
    async def test_pages_and_filters(self, admin: httpx.AsyncClient) -> None:
        records = [customer(n) for n in range(5)] + [customer(9, source="woo", external_id="W9")]
        ids = [
            r["id"]
            for r in (await admin.post("/v1/customers/batch", json={"records": records})).json()[
                "results"
            ]
        ]

        first = (await admin.get("/v1/customers", params={"limit": 4})).json()
        second = (
            await admin.get("/v1/customers", params={"limit": 4, "cursor": first["next_cursor"]})
        ).json()
        by_email = (
            await admin.get("/v1/customers", params={"email": "SHOPPER2@example.com"})
        ).json()
        by_source = (await admin.get("/v1/customers", params={"source": "woo"})).json()

        assert [c["id"] for c in first["items"] + second["items"]] == ids
        assert second["next_cursor"] is None
        assert [c["id"] for c in by_email["items"]] == [ids[2]]
        assert [c["external_id"] for c in by_source["items"]] == ["W9"]


class TestConsentAndPreferences:
    async def test_consent_and_preferences_through_the_api(self, admin: httpx.AsyncClient) -> None:
        created = (await admin.post("/v1/customers", json=customer())).json()["customer"]

        consent = await admin.put(
            f"/v1/customers/{created['id']}/consent/personalisation", json={"granted": True}
        )
        bad_purpose = await admin.put(
            f"/v1/customers/{created['id']}/consent/telepathy", json={"granted": True}
        )
        preferences = await admin.patch(
            f"/v1/customers/{created['id']}/preferences",
            json={"sizes": {"shoes": "38"}, "brands_disliked": ["Zeta"]},
        )

        assert consent.status_code == 200
        assert consent.json()["consent"]["personalisation"]["granted"] is True
        assert bad_purpose.status_code == 422
        assert preferences.status_code == 200
        stated = preferences.json()["preferences"]
        assert (stated["sizes"], stated["brands_disliked"]) == ({"shoes": "38"}, ["Zeta"])

    async def test_another_stores_customer_is_404_and_unchanged(
        self, admin: httpx.AsyncClient, db: Database, other_store: Store, live_server: LiveServer
    ) -> None:
        async with db.transaction() as session:
            key = await factories.create_key(session, other_store, scopes=["admin"])
        async with httpx.AsyncClient(
            base_url=live_server.url, headers={"Authorization": f"Bearer {key}"}
        ) as them:
            theirs = (await them.post("/v1/customers", json=customer())).json()["customer"]

            responses = [
                await admin.get(f"/v1/customers/{theirs['id']}"),
                await admin.patch(f"/v1/customers/{theirs['id']}", json={"first_name": "X"}),
                await admin.put(
                    f"/v1/customers/{theirs['id']}/consent/marketing", json={"granted": True}
                ),
                await admin.delete(f"/v1/customers/{theirs['id']}"),
            ]
            still = (await them.get(f"/v1/customers/{theirs['id']}")).json()

        assert [r.status_code for r in responses] == [404, 404, 404, 404]
        assert {r.json()["error"] for r in responses} == {"customer_not_found"}
        assert still == theirs
