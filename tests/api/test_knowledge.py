"""Knowledge articles over real HTTP."""

from __future__ import annotations

import httpx

RETURNS = {"kind": "policy", "title": "Returns", "body": "30 days."}


class TestArticles:
    async def test_upsert_read_filter_and_delete(self, admin: httpx.AsyncClient) -> None:
        created = await admin.post("/v1/articles", json=RETURNS)
        again = await admin.post("/v1/articles", json=RETURNS)
        faq = await admin.post(
            "/v1/articles",
            json={"kind": "faq", "title": "Gift wrap?", "body": "Yes.", "published": False},
        )
        article_id = created.json()["article"]["id"]

        patched = await admin.patch(f"/v1/articles/{article_id}", json={"body": "60 days."})
        policies = (await admin.get("/v1/articles", params={"kind": "policy"})).json()["items"]
        unpublished = (await admin.get("/v1/articles", params={"published": "false"})).json()
        deleted = await admin.delete(f"/v1/articles/{article_id}")
        gone = await admin.get(f"/v1/articles/{article_id}")

        assert (created.status_code, again.status_code, faq.status_code) == (201, 200, 201)
        assert again.json()["status"] == "unchanged"
        assert (patched.json()["status"], patched.json()["article"]["body"]) == (
            "updated",
            "60 days.",
        )
        assert [(a["slug"], a["body"]) for a in policies] == [("returns", "60 days.")]
        assert [a["slug"] for a in unpublished["items"]] == ["gift-wrap"]
        assert deleted.status_code == 204
        assert (gone.status_code, gone.json()["error"]) == (404, "article_not_found")

    async def test_batch_and_bad_kind(self, admin: httpx.AsyncClient) -> None:
        body = (
            await admin.post(
                "/v1/articles/batch",
                json={"records": [RETURNS, {"kind": "rumour", "title": "x", "body": "y"}]},
            )
        ).json()

        assert [(r["status"], r["error"]) for r in body["results"]] == [
            ("created", None),
            ("failed", "validation_error"),
        ]
        assert body["results"][1]["errors"][0]["loc"] == ["kind"]
