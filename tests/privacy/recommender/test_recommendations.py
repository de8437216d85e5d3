"""The recommender honours consent at once and keeps nothing personal after erasure."""

from __future__ import annotations

import json
from typing import Any

import httpx
import numpy as np

from floorwalker.config import Settings
from floorwalker.kit.db import Database
from floorwalker.recommend import service as recommend_service
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer
from tests.recommend.conftest import train
from tests.recommend.shop import Shop
from tests.recommend.test_service import NON_PERSONAL


async def client(
    db: Database, store: Store, live_server: LiveServer, scope: str
) -> httpx.AsyncClient:
    async with db.transaction() as s:
        token = await factories.create_key(s, store, scopes=[scope])
    return httpx.AsyncClient(
        base_url=live_server.url, timeout=30, headers={"Authorization": f"Bearer {token}"}
    )


async def for_you(http: httpx.AsyncClient, customer_id: int) -> httpx.Response:
    return await http.get(
        "/v1/recommendations", params={"surface": "for_you", "customer_id": customer_id}
    )


def names(fixture: Shop, body: dict[str, Any]) -> list[str]:
    return fixture.names([item["product_id"] for item in body["items"]])


class TestConsent:
    async def test_withdrawing_personalisation_makes_the_list_non_personal_at_once(
        self,
        db: Database,
        trained: Shop,
        live_server: LiveServer,
    ) -> None:
        ada = trained.customers["ada"]
        async with await client(db, trained.store, live_server, "admin") as http:
            before = await for_you(http, ada)
            withdrawn = await http.put(
                f"/v1/customers/{ada}/consent", json={"personalisation": False}
            )
            after = await for_you(http, ada)
            granted = await http.put(f"/v1/customers/{ada}/consent", json={"personalisation": True})
            again = await for_you(http, ada)

        assert before.json()["personalised"] is True
        assert before.json()["items"][0]["reason"]["text"] == "Because you bought Linen Shirt"
        assert withdrawn.json()["personalisation"]["allowed"] is False
        assert after.json()["personalised"] is False
        assert names(trained, after.json()) == NON_PERSONAL
        assert granted.json()["personalisation"]["allowed"] is True
        assert again.json()["personalised"] is True


class TestErasure:
    async def test_an_erased_customer_gets_no_personal_list_and_models_hold_nothing_of_them(
        self,
        db: Database,
        settings: Settings,
        trained: Shop,
        live_server: LiveServer,
    ) -> None:
        ada = trained.customers["ada"]
        async with await client(db, trained.store, live_server, "admin") as http:
            confirm = (await http.get(f"/v1/customers/{ada}/erasure")).json()["confirm_with"]
            erased = await http.post(f"/v1/customers/{ada}/erase", json={"confirm": confirm})
            personal = await for_you(http, ada)
            anonymous = await http.get("/v1/recommendations", params={"surface": "for_you"})
        outcome = await train(db, settings, trained, force=True)

        assert erased.status_code == 200, erased.text
        assert personal.status_code == 404
        assert personal.json()["error"] == "customer_not_found"
        assert anonymous.json()["personalised"] is False
        assert outcome.status == "trained"
        # the served model's files name products only: no customer id, e-mail or user key
        models = recommend_service.models_for(settings)
        version = models.files.current_version(trained.store.id)
        assert version is not None
        folder = models.files.store_dir(trained.store.id) / "versions" / version
        manifest = json.loads((folder / "manifest.json").read_text())
        with np.load(folder / "arrays.npz", allow_pickle=False) as arrays:
            text_arrays = [arrays[k].tolist() for k in arrays.files if arrays[k].dtype.kind in "US"]
        written = json.dumps([manifest, text_arrays])
        assert f"c:{ada}" not in written
        assert "@" not in written
