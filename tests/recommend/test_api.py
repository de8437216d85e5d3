"""`/v1/recommendations` over real HTTP: keys and scopes, errors, rules, models, tenants."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from floorwalker.auth.schemas import KeyKind
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer
from tests.recommend.shop import Shop
from tests.recommend.test_service import NON_PERSONAL


async def key(db: Database, store: Store, scopes: list[str] | None = None, *,
              publishable: bool = False) -> dict[str, str]:  # fmt: skip
    async with db.transaction() as s:
        token = await factories.create_key(
            s, store, scopes=scopes, kind=KeyKind.PUBLISHABLE if publishable else KeyKind.SECRET
        )
    return {"Authorization": f"Bearer {token}"}


def names(shop: Shop, body: dict[str, Any]) -> list[str]:
    return shop.names([item["product_id"] for item in body["items"]])


class TestRecommendationsEndpoint:
    async def test_a_widget_key_gets_the_non_personal_home_list(
        self, db: Database, trained: Shop, http: httpx.AsyncClient
    ) -> None:
        headers = await key(db, trained.store, publishable=True)

        response = await http.get(
            "/v1/recommendations", params={"surface": "for_you"}, headers=headers
        )

        assert response.status_code == 200, response.text
        body = response.json()
        assert names(trained, body) == NON_PERSONAL
        assert body["personalised"] is False
        assert body["surface"] == "for_you"
        assert body["model_version"] is not None
        assert body["items"][0] == {
            "product_id": trained.products["beans"],
            "title": "Coffee Beans",
            "handle": body["items"][0]["handle"],
            "price": 900,
            "currency": trained.store.currency,
            "image_url": None,
            "score": body["items"][0]["score"],
            "reason": {"kind": "popular_in", "text": "Popular in Pantry", "product_id": None,
                       "label": "Pantry"},
        }  # fmt: skip

    async def test_a_widget_key_may_not_ask_for_a_named_customer(
        self, db: Database, trained: Shop, http: httpx.AsyncClient
    ) -> None:
        headers = await key(db, trained.store, publishable=True)

        response = await http.get(
            "/v1/recommendations",
            params={"surface": "for_you", "customer_id": trained.customers["ada"]},
            headers=headers,
        )

        assert response.status_code == 403
        assert response.json()["error"] == "personal_recommendations_forbidden"

    async def test_a_read_key_gets_a_consenting_customers_personal_list(
        self, db: Database, trained: Shop, http: httpx.AsyncClient
    ) -> None:
        headers = await key(db, trained.store, ["read"])

        response = await http.get(
            "/v1/recommendations",
            params={"surface": "for_you", "customer_id": trained.customers["ada"], "limit": 3},
            headers=headers,
        )

        assert response.status_code == 200, response.text
        body = response.json()
        assert names(trained, body) == ["chinos", "sneakers", "oxford"]
        assert body["personalised"] is True
        assert body["items"][0]["reason"]["text"] == "Because you bought Linen Shirt"

    async def test_product_and_cart_surfaces(
        self, db: Database, trained: Shop, http: httpx.AsyncClient
    ) -> None:
        headers = await key(db, trained.store, publishable=True)
        p = trained.products

        together = await http.get(
            "/v1/recommendations",
            params={"surface": "bought_together", "product_id": p["shirt"], "limit": 2},
            headers=headers,
        )
        cart = await http.get(
            "/v1/recommendations",
            params={"surface": "cart", "cart": f"{p['sneakers']},{p['chinos']}", "limit": 1},
            headers=headers,
        )

        assert names(trained, together.json()) == ["chinos", "sneakers"]
        assert names(trained, cart.json()) == ["shirt"]

    async def test_bad_requests_are_422_with_a_stable_code(
        self, db: Database, trained: Shop, http: httpx.AsyncClient
    ) -> None:
        headers = await key(db, trained.store, ["read"])
        cases = [
            ({"surface": "similar"}, "recommendation_request_invalid"),
            ({"surface": "somewhere"}, "validation_error"),
            ({"surface": "cart", "cart": "a,b"}, "invalid_cart"),
            ({"surface": "for_you", "limit": 51}, "validation_error"),
            ({"surface": "for_you", "customer_id": 0}, "validation_error"),
            ({"surface": "for_you", "customer_id": 2**63}, "validation_error"),
            ({"surface": "cart", "cart": str(2**63)}, "invalid_cart"),
        ]

        found = []
        for params, _ in cases:
            response = await http.get("/v1/recommendations", params=params, headers=headers)
            found.append((response.status_code, response.json()["error"]))

        assert found == [(422, code) for _, code in cases]

    async def test_no_key_is_401(self, trained: Shop, http: httpx.AsyncClient) -> None:
        response = await http.get("/v1/recommendations", params={"surface": "for_you"})

        assert response.status_code == 401
        assert response.json()["error"] == "missing_credentials"


class TestTenantIsolation:
    async def test_another_stores_key_sees_neither_customers_products_nor_rules(
        self,
        db: Database,
        trained: Shop,
        other_store: Store,
        http: httpx.AsyncClient,
        admin: httpx.AsyncClient,
    ) -> None:
        theirs = await key(db, other_store, ["admin"])
        created = await admin.post(
            "/v1/recommendations/rules",
            json={"product_id": trained.products["mug"], "kind": "pin"},
        )
        assert created.status_code == 201

        customer = await http.get(
            "/v1/recommendations",
            params={"surface": "for_you", "customer_id": trained.customers["ada"]},
            headers=theirs,
        )
        product = await http.get(
            "/v1/recommendations",
            params={"surface": "similar", "product_id": trained.products["shirt"]},
            headers=theirs,
        )
        rules = await http.get("/v1/recommendations/rules", headers=theirs)
        deleted = await http.delete(
            f"/v1/recommendations/rules/{created.json()['id']}", headers=theirs
        )
        pin = await http.post(
            "/v1/recommendations/rules",
            json={"product_id": trained.products["mug"], "kind": "pin"},
            headers=theirs,
        )

        assert (customer.status_code, customer.json()["error"]) == (404, "customer_not_found")
        assert (product.status_code, product.json()["error"]) == (404, "product_not_found")
        assert rules.json() == []
        assert (deleted.status_code, deleted.json()["error"]) == (
            404,
            "recommendation_rule_not_found",
        )
        assert (pin.status_code, pin.json()["error"]) == (404, "product_not_found")
        still = await admin.get("/v1/recommendations/rules")
        assert [r["id"] for r in still.json()] == [created.json()["id"]]


class TestRulesEndpoints:
    async def test_pin_list_conflict_and_delete(
        self, db: Database, trained: Shop, admin: httpx.AsyncClient, http: httpx.AsyncClient
    ) -> None:
        reader = await key(db, trained.store, ["read"])
        body = {"product_id": trained.products["mug"], "kind": "pin", "surface": "for_you",
                "note": "Autumn campaign"}  # fmt: skip

        refused = await http.post("/v1/recommendations/rules", json=body, headers=reader)
        created = await admin.post("/v1/recommendations/rules", json=body)
        duplicate = await admin.post("/v1/recommendations/rules", json=body)
        listed = await http.get("/v1/recommendations/rules", headers=reader)
        home = await http.get(
            "/v1/recommendations", params={"surface": "for_you", "limit": 2}, headers=reader
        )

        assert (refused.status_code, refused.json()["error"]) == (403, "insufficient_scope")
        assert created.status_code == 201
        rule = created.json()
        assert {k: rule[k] for k in ("product_id", "kind", "surface", "position", "note")} == {
            "product_id": trained.products["mug"],
            "kind": "pin",
            "surface": "for_you",
            "position": 0,
            "note": "Autumn campaign",
        }
        assert rule["created_by"].startswith("api_key:")
        assert (duplicate.status_code, duplicate.json()["error"]) == (
            409,
            "recommendation_rule_exists",
        )
        assert [r["id"] for r in listed.json()] == [rule["id"]]
        assert names(trained, home.json()) == ["mug", "beans"]

        removed = await admin.delete(f"/v1/recommendations/rules/{rule['id']}")
        after = await http.get(
            "/v1/recommendations", params={"surface": "for_you", "limit": 2}, headers=reader
        )

        assert removed.status_code == 200
        assert names(trained, after.json()) == ["beans", "shirt"]

    async def test_unknown_fields_and_kinds_are_refused(
        self, trained: Shop, admin: httpx.AsyncClient
    ) -> None:
        extra = await admin.post(
            "/v1/recommendations/rules",
            json={"product_id": trained.products["mug"], "kind": "pin", "colour": "red"},
        )
        kind = await admin.post(
            "/v1/recommendations/rules",
            json={"product_id": trained.products["mug"], "kind": "boost"},
        )

        assert (extra.status_code, kind.status_code) == (422, 422)
        assert (await admin.get("/v1/recommendations/rules")).json() == []


class TestModelsEndpoints:
    async def test_lists_versions_and_trains_a_new_one_in_the_background(
        self, trained: Shop, admin: httpx.AsyncClient, live_server: LiveServer
    ) -> None:
        before = (await admin.get("/v1/recommendations/models")).json()

        started = await admin.post("/v1/recommendations/models/train")

        assert started.status_code == 202
        assert started.json() == {"status": "started", "job": "recommend.train"}
        assert before["serving"] == before["current"]
        assert [v["current"] for v in before["versions"]] == [True]
        deadline = time.monotonic() + 60
        while True:
            status = (await admin.get("/v1/recommendations/models")).json()
            published = status["current"] != before["current"]
            if published and status["serving"] == status["current"]:
                break
            assert time.monotonic() < deadline, status
            await asyncio.sleep(0.1)
        assert [v["current"] for v in status["versions"]] == [True, False]
        assert status["versions"][0]["items"] == 8

    async def test_training_needs_an_admin_key(
        self, db: Database, trained: Shop, http: httpx.AsyncClient
    ) -> None:
        writer = await key(db, trained.store, ["write"])

        response = await http.post("/v1/recommendations/models/train", headers=writer)

        assert response.status_code == 403
