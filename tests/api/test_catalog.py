"""Products, variants, categories and brands over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer

Client = Callable[[list[str]], Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def client(live_server: LiveServer, db: Database, store: Store) -> AsyncIterator[Client]:
    """Make an HTTP client holding a fresh key of the test's store with the given scopes."""
    opened: list[httpx.AsyncClient] = []

    async def make(scopes: list[str]) -> httpx.AsyncClient:
        async with db.transaction() as session:
            key = await factories.create_key(session, store, scopes=scopes)
        opened.append(
            httpx.AsyncClient(
                base_url=live_server.url, timeout=30, headers={"Authorization": f"Bearer {key}"}
            )
        )
        return opened[-1]

    yield make
    for c in opened:
        await c.aclose()


def product(n: int = 1, **overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "source": "shopify",
        "external_id": f"P{n}",
        "handle": f"shirt-{n}",
        "title": f"Shirt {n}",
        "brand": "Acme",
        "category_path": "Men > Shirts",
        "variants": [
            {"sku": f"S{n}-M", "options": {"Size": "M"}, "price": 4500, "compare_at_price": 5000},
            {"sku": f"S{n}-L", "options": {"Size": "L"}, "price": 4500},
        ],
    }
    record.update(overrides)
    return record


class TestUpsertProduct:
    async def test_create_is_201_and_the_same_body_again_is_200_unchanged(
        self, admin: httpx.AsyncClient
    ) -> None:
        created = await admin.post("/v1/products", json=product())
        again = await admin.post("/v1/products", json=product())

        assert created.status_code == 201
        body = created.json()
        assert body["status"] == "created"
        shown = body["product"]
        assert (shown["handle"], shown["title"], shown["brand"]["name"]) == (
            "shirt-1",
            "Shirt 1",
            "Acme",
        )
        assert shown["category"]["path"] == "Men > Shirts"
        assert [
            (v["sku"], v["price"], v["compare_at_price"], v["currency"], v["stock"]["available"])
            for v in shown["variants"]
        ] == [("S1-M", 4500, 5000, "USD", 0), ("S1-L", 4500, None, "USD", 0)]
        assert again.status_code == 200
        assert again.json()["status"] == "unchanged"
        assert again.json()["product"] == shown

    async def test_patch_changes_only_the_fields_sent(self, admin: httpx.AsyncClient) -> None:
        created = (await admin.post("/v1/products", json=product())).json()["product"]

        response = await admin.patch(
            f"/v1/products/{created['id']}", json={"title": "Oxford Shirt", "status": "draft"}
        )

        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "updated"
        assert (body["product"]["title"], body["product"]["status"]) == ("Oxford Shirt", "draft")
        assert body["product"]["variants"] == created["variants"]

    async def test_unknown_fields_are_422_with_a_code_per_field(
        self, admin: httpx.AsyncClient
    ) -> None:
        response = await admin.post(
            "/v1/products", json=product(colour="red", variants=[{"price": "cheap"}])
        )

        assert response.status_code == 422
        body = response.json()
        assert body["error"] == "validation_error"
        assert [(e["loc"], e["type"]) for e in body["errors"]] == [
            (["body", "variants", "0", "price"], "int_parsing"),
            (["body", "colour"], "extra_forbidden"),
        ]
        assert (await admin.get("/v1/products")).json()["items"] == []

    async def test_a_refused_record_is_its_error_code(self, admin: httpx.AsyncClient) -> None:
        await admin.post("/v1/products", json=product(1))
        await admin.post("/v1/products", json=product(2))

        response = await admin.post("/v1/products", json={**product(2), "handle": "shirt-1"})

        assert response.status_code == 409
        assert response.json() == {
            "error": "handle_taken",
            "detail": "Another product already has the handle 'shirt-1'.",
            "handle": "shirt-1",
        }


class TestBatch:
    async def test_a_bad_record_does_not_stop_the_good_ones(self, admin: httpx.AsyncClient) -> None:
        records = [product(1), {"title": "No variants"}, product(2), "oops", product(1)]

        response = await admin.post("/v1/products/batch", json={"records": records})

        assert response.status_code == 200
        body = response.json()
        assert (body["created"], body["updated"], body["unchanged"], body["failed"]) == (2, 0, 0, 3)
        assert [(r["index"], r["status"], r["error"]) for r in body["results"]] == [
            (0, "created", None),
            (1, "failed", "validation_error"),
            (2, "created", None),
            (3, "failed", "validation_error"),
            (4, "failed", "duplicate_in_batch"),
        ]
        assert body["results"][1]["errors"] == [
            {
                "loc": ["variants"],
                "msg": "A new product needs at least one variant.",
                "type": "missing",
            }
        ]
        listed = (await admin.get("/v1/products")).json()["items"]
        assert [p["id"] for p in listed] == [body["results"][0]["id"], body["results"][2]["id"]]

    async def test_more_than_1000_records_is_refused_whole(self, admin: httpx.AsyncClient) -> None:
        records = [product(n) for n in range(1001)]

        response = await admin.post("/v1/products/batch", json={"records": records})

        assert response.status_code == 422
        assert response.json() == {
            "error": "batch_too_large",
            "detail": "A batch holds at most 1000 records; this one has 1001.",
            "limit": 1000,
            "size": 1001,
        }
        assert (await admin.get("/v1/products")).json()["items"] == []


class TestReads:
    async def test_pages_cover_every_product_once(self, admin: httpx.AsyncClient) -> None:
        batch = {"records": [product(n) for n in range(7)]}
        ids = [
            r["id"] for r in (await admin.post("/v1/products/batch", json=batch)).json()["results"]
        ]

        seen: list[int] = []
        cursor = None
        pages = 0
        while True:
            params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
            page = (await admin.get("/v1/products", params=params)).json()
            seen.extend(p["id"] for p in page["items"])
            pages += 1
            cursor = page["next_cursor"]
            if cursor is None:
                break

        assert seen == ids
        assert pages == 3

    async def test_filters(self, admin: httpx.AsyncClient) -> None:
        records = [
            product(1),
            product(2, status="draft", brand="Zed", category_path="Women > Dresses"),
            product(3, category_path="Men > Shirts > Oxford"),
        ]
        ids = [
            r["id"]
            for r in (await admin.post("/v1/products/batch", json={"records": records})).json()[
                "results"
            ]
        ]
        one = (await admin.get(f"/v1/products/{ids[0]}")).json()

        async def found(**params: Any) -> list[int]:
            response = await admin.get("/v1/products", params=params)
            assert response.status_code == 200
            return [p["id"] for p in response.json()["items"]]

        assert await found(status="draft") == [ids[1]]
        assert await found(sku="S3-L") == [ids[2]]
        assert await found(handle="SHIRT-1") == [ids[0]]
        assert await found(source="shopify", external_id="P2") == [ids[1]]
        assert await found(brand_id=one["brand"]["id"]) == [ids[0], ids[2]]
        assert await found(category_id=one["category"]["id"]) == [ids[0], ids[2]]
        assert await found(updated_since="2999-01-01T00:00:00Z") == []

    async def test_a_product_shows_stock_per_variant_and_location(
        self, admin: httpx.AsyncClient
    ) -> None:
        created = (await admin.post("/v1/products", json=product())).json()["product"]
        await admin.post("/v1/locations", json={"code": "WH1", "name": "North"})
        await admin.post("/v1/locations", json={"code": "WH2", "name": "South"})
        await admin.post(
            "/v1/inventory/levels/batch",
            json={
                "records": [
                    {"sku": "S1-M", "location_code": "WH1", "on_hand": 3},
                    {"sku": "S1-M", "location_code": "WH2", "on_hand": 4},
                ]
            },
        )

        shown = (await admin.get(f"/v1/products/{created['id']}")).json()

        medium = shown["variants"][0]["stock"]
        assert (medium["on_hand"], medium["reserved"], medium["available"]) == (7, 0, 7)
        assert [
            (s["location_code"], s["location_name"], s["available"]) for s in medium["locations"]
        ] == [
            ("WH1", "North", 3),
            ("WH2", "South", 4),
        ]
        assert shown["variants"][1]["stock"] == {
            "on_hand": 0, "reserved": 0, "available": 0, "locations": []
        }  # fmt: skip
        assert shown["available"] == 7

    async def test_a_cursor_we_did_not_issue_is_422(self, admin: httpx.AsyncClient) -> None:
        response = await admin.get("/v1/products", params={"cursor": "bogus!"})

        assert response.status_code == 422
        assert response.json()["error"] == "invalid_cursor"


class TestScopesAndTenants:
    async def test_read_key_reads_but_cannot_write(
        self, admin: httpx.AsyncClient, client: Client
    ) -> None:
        await admin.post("/v1/products", json=product())
        reader = await client(["read"])

        listed = await reader.get("/v1/products")
        refused = await reader.post("/v1/products", json=product(2))

        assert listed.status_code == 200
        assert len(listed.json()["items"]) == 1
        assert refused.status_code == 403
        assert refused.json()["error"] == "insufficient_scope"
        assert len((await admin.get("/v1/products")).json()["items"]) == 1

    async def test_write_key_upserts_but_only_admin_deletes(
        self, admin: httpx.AsyncClient, client: Client
    ) -> None:
        writer = await client(["write"])
        created = (await writer.post("/v1/products", json=product())).json()["product"]

        refused = await writer.delete(f"/v1/products/{created['id']}")
        deleted = await admin.delete(f"/v1/products/{created['id']}")
        gone = await admin.get(f"/v1/products/{created['id']}")

        assert refused.status_code == 403
        assert refused.json()["needed_scope"] == "admin"
        assert deleted.status_code == 204
        assert gone.status_code == 404
        assert gone.json()["error"] == "product_not_found"

    async def test_another_stores_product_is_404_everywhere(
        self, admin: httpx.AsyncClient, db: Database, other_store: Store, live_server: LiveServer
    ) -> None:
        async with db.transaction() as session:
            their_key = await factories.create_key(session, other_store, scopes=["admin"])
        async with httpx.AsyncClient(
            base_url=live_server.url, headers={"Authorization": f"Bearer {their_key}"}
        ) as them:
            theirs = (await them.post("/v1/products", json=product())).json()["product"]

            read = await admin.get(f"/v1/products/{theirs['id']}")
            patched = await admin.patch(f"/v1/products/{theirs['id']}", json={"title": "Mine"})
            deleted = await admin.delete(f"/v1/products/{theirs['id']}")
            listed = await admin.get("/v1/products")
            still = (await them.get(f"/v1/products/{theirs['id']}")).json()

        assert [r.status_code for r in (read, patched, deleted)] == [404, 404, 404]
        assert {r.json()["error"] for r in (read, patched, deleted)} == {"product_not_found"}
        assert listed.json()["items"] == []
        assert still == theirs

    async def test_no_key_is_401(self, http: httpx.AsyncClient) -> None:
        response = await http.get("/v1/products")

        assert response.status_code == 401
        assert response.json()["error"] == "missing_credentials"


class TestTaxonomyRoutes:
    async def test_categories_and_brands_upsert_and_read(self, admin: httpx.AsyncClient) -> None:
        women = await admin.post("/v1/categories", json={"name": "Women"})
        dresses = await admin.post(
            "/v1/categories", json={"name": "Dresses", "parent_id": women.json()["id"]}
        )
        renamed = await admin.post("/v1/categories", json={"slug": "women", "name": "Ladies"})
        brand = await admin.post("/v1/brands", json={"name": "Acme"})
        same = await admin.post("/v1/brands", json={"name": "Acme"})

        assert [women.status_code, dresses.status_code, renamed.status_code] == [201, 201, 200]
        listed = (await admin.get("/v1/categories")).json()["items"]
        assert [(c["slug"], c["path"]) for c in listed] == [
            ("women", "Ladies"),
            ("women-dresses", "Ladies > Dresses"),
        ]
        roots = (await admin.get("/v1/categories", params={"roots": "true"})).json()["items"]
        assert [c["slug"] for c in roots] == ["women"]
        assert (brand.status_code, same.status_code, same.json()["id"]) == (
            201,
            200,
            brand.json()["id"],
        )
        assert (await admin.delete(f"/v1/brands/{brand.json()['id']}")).status_code == 204
        assert (await admin.get("/v1/brands")).json() == {"items": [], "next_cursor": None}

    async def test_variants_are_found_by_sku_and_barcode(self, admin: httpx.AsyncClient) -> None:
        record = product(variants=[{"sku": "A-1", "barcode": "0123456789012", "price": 100}])
        await admin.post("/v1/products", json=record)

        by_sku = (await admin.get("/v1/variants", params={"sku": "A-1"})).json()["items"]
        by_barcode = (await admin.get("/v1/variants", params={"barcode": "0123456789012"})).json()

        assert [v["sku"] for v in by_sku] == ["A-1"]
        assert [v["sku"] for v in by_barcode["items"]] == ["A-1"]
        one = (await admin.get(f"/v1/variants/{by_sku[0]['id']}")).json()
        assert (one["sku"], one["stock"]["available"]) == ("A-1", 0)
