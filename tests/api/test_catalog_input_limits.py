"""Numbers and names larger than the database holds are 422s with a field code, never crashes.

Covers the catalog, inventory, customer and knowledge routes: ids beyond BIGINT, amounts
beyond PostgreSQL INTEGER, derived handles and category paths beyond their columns.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

BIG = 10**20

REFUSED: list[tuple[str, str, Any, list[str], str]] = [
    ("get", f"/v1/products/{BIG}", None, ["path", "product_id"], "less_than_equal"),
    ("get", f"/v1/products?brand_id={BIG}", None, ["query", "brand_id"], "less_than_equal"),
    ("post", "/v1/products", {"title": "x", "variants": [{"price": 3_000_000_000}]},
     ["body", "variants", "0", "price"], "less_than_equal"),
    ("post", "/v1/inventory/levels", {"variant_id": BIG, "on_hand": 1},
     ["body", "variant_id"], "less_than_equal"),
    ("post", "/v1/customers",
     {"email": "a@b.co", "payment_methods": [{"kind": "gift_card", "balance": 9_000_000_000}]},
     ["body", "payment_methods", "0", "balance"], "less_than_equal"),
    ("put", f"/v1/customers/{BIG}/consent/marketing", {"granted": True},
     ["path", "customer_id"], "less_than_equal"),
    ("delete", f"/v1/articles/{BIG}", None, ["path", "article_id"], "less_than_equal"),
    ("post", "/v1/products", {"title": "x", "category_path": "A" * 201, "variants": [{"price": 1}]},
     ["category_path"], "category_name_too_long"),
]  # fmt: skip


class TestInputLimits:
    @pytest.mark.parametrize(("method", "url", "body", "loc", "code"), REFUSED)
    async def test_out_of_range_input_is_422_with_a_field_code(
        self, admin: httpx.AsyncClient, method: str, url: str, body: Any, loc: list[str], code: str
    ) -> None:
        response = await admin.request(method, url, json=body)

        assert response.status_code == 422
        assert [(e["loc"], e["type"]) for e in response.json()["errors"]] == [(loc, code)]
        assert (await admin.get("/v1/products")).json()["items"] == []

    async def test_an_id_beyond_bigint_in_a_batch_fails_only_its_record(
        self, admin: httpx.AsyncClient
    ) -> None:
        records = [{"id": BIG, "title": "x"}, {"title": "Fine", "variants": [{"price": 1}]}]

        body = (await admin.post("/v1/products/batch", json={"records": records})).json()

        assert [(r["status"], r["error"]) for r in body["results"]] == [
            ("failed", "validation_error"),
            ("created", None),
        ]

    async def test_a_long_title_with_an_external_id_gets_a_handle_that_fits(
        self, admin: httpx.AsyncClient
    ) -> None:
        title = "Very " * 99 + "Long"
        records = [
            {"external_id": "E" * 200, "title": title, "variants": [{"price": 1}]},
            {"external_id": "F" * 200, "title": title, "variants": [{"price": 1}]},
        ]

        body = (await admin.post("/v1/products/batch", json={"records": records})).json()

        assert [r["status"] for r in body["results"]] == ["created", "created"]
        handles = [p["handle"] for p in (await admin.get("/v1/products")).json()["items"]]
        assert [len(h) <= 255 for h in handles] == [True, True]
        assert handles[0] != handles[1]
