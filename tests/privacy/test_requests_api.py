"""`GET /v1/privacy/requests`: platforms' privacy requests of the store, oldest first, with
how each was answered, filtered by status, a page at a time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from floorwalker.connectors.models import PrivacyRequest
from floorwalker.kit.db import Database
from floorwalker.kit.pagination import encode_cursor
from floorwalker.privacy.models import PrivacyReceipt
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer
from tests.privacy.conftest import Person

RECEIVED = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


def iso(value: dt.datetime | None) -> str | None:
    """A datetime as the API writes it."""
    return None if value is None else value.isoformat().replace("+00:00", "Z")


async def add_request(db: Database, store: Store, **fields: Any) -> int:
    """A platform request as the connectors record it on arrival; returns its id."""
    async with db.transaction() as s:
        request = PrivacyRequest(store_id=store.id, status="received", **fields)
        s.add(request)
        await s.flush()
        return request.id


async def request_row(db: Database, request_id: int) -> PrivacyRequest:
    async with db.reading() as s:
        row = await s.get(PrivacyRequest, request_id)
        assert row is not None
        return row


@pytest.fixture
async def requests(db: Database, store: Store, other_store: Store, person: Person) -> list[int]:
    """A data request and an erasure for the person, one naming no one known, and a request
    to another store."""
    data = await add_request(
        db, store, kind="customer_data_request", customer_id=person.customer_id,
        customer_external_id="191167", received_at=RECEIVED,
    )  # fmt: skip
    redact = await add_request(
        db, store, kind="customer_redact", customer_id=person.customer_id,
        customer_external_id="191167", order_external_ids=["1299"],
        received_at=RECEIVED + dt.timedelta(hours=1),
    )  # fmt: skip
    unknown = await add_request(
        db, store, kind="customer_redact", customer_external_id="404",
        received_at=RECEIVED + dt.timedelta(hours=2),
    )  # fmt: skip
    await add_request(
        db, other_store, kind="customer_redact", customer_external_id="777",
        received_at=RECEIVED,
    )  # fmt: skip
    return [data, redact, unknown]


class TestListing:
    async def test_pending_requests_are_listed_oldest_first_with_exact_values(
        self, admin: httpx.AsyncClient, requests: list[int], person: Person
    ) -> None:
        response = await admin.get("/v1/privacy/requests")

        assert response.status_code == 200
        data, redact, unknown = requests
        pending = {"status": "received", "completed_at": None, "receipt_id": None}
        assert response.json() == {
            "items": [
                {"id": data, "kind": "customer_data_request", "customer_id": person.customer_id,
                 "customer_external_id": "191167", "order_external_ids": [], "detail": "",
                 "received_at": "2026-11-20T09:30:00Z", **pending},
                {"id": redact, "kind": "customer_redact", "customer_id": person.customer_id,
                 "customer_external_id": "191167", "order_external_ids": ["1299"],
                 "detail": "", "received_at": "2026-11-20T10:30:00Z", **pending},
                {"id": unknown, "kind": "customer_redact", "customer_id": None,
                 "customer_external_id": "404", "order_external_ids": [], "detail": "",
                 "received_at": "2026-11-20T11:30:00Z", **pending},
            ],
            "next_cursor": None,
        }  # fmt: skip

    async def test_an_answered_erasure_shows_when_and_its_receipt(
        self,
        db: Database,
        store: Store,
        admin: httpx.AsyncClient,
        requests: list[int],
        person: Person,
    ) -> None:
        data, redact, unknown = requests

        answered = await admin.post(f"/v1/privacy/requests/{redact}/answer")
        completed = await admin.get("/v1/privacy/requests", params={"status": "completed"})
        pending = await admin.get("/v1/privacy/requests", params={"status": "received"})

        assert answered.status_code == 200, answered.text
        receipt_id = answered.json()["receipt"]["id"]
        async with db.reading() as s:
            receipts = list(
                await s.scalars(select(PrivacyReceipt).where(PrivacyReceipt.store_id == store.id))
            )
        assert [(r.public_id, r.kind, r.platform_request_id) for r in receipts] == [
            (receipt_id, "erasure", redact)
        ]
        row = await request_row(db, redact)
        assert row.completed_at is not None
        (item,) = completed.json()["items"]
        assert item == {
            "id": redact,
            "kind": "customer_redact",
            "customer_id": person.customer_id,
            "customer_external_id": "191167",
            "order_external_ids": ["1299"],
            "status": "completed",
            "detail": f"Erased; receipt {receipt_id}.",
            "received_at": "2026-11-20T10:30:00Z",
            "completed_at": iso(row.completed_at),
            "receipt_id": receipt_id,
        }
        assert [i["id"] for i in pending.json()["items"]] == [data, unknown]
        failed = await admin.get("/v1/privacy/requests", params={"status": "failed"})
        assert failed.json() == {"items": [], "next_cursor": None}

    async def test_an_answered_data_request_has_no_receipt_of_its_own(
        self, db: Database, admin: httpx.AsyncClient, requests: list[int], person: Person
    ) -> None:
        data = requests[0]

        await admin.post(f"/v1/privacy/requests/{data}/answer")
        listed = await admin.get("/v1/privacy/requests", params={"status": "completed"})

        (item,) = listed.json()["items"]
        assert (item["id"], item["status"], item["receipt_id"], item["detail"]) == (
            data,
            "completed",
            None,
            "Export ready: download it in the console (Privacy) or from "
            f"GET /v1/customers/{person.customer_id}/export, and send it to the shopper.",
        )

    async def test_pages_follow_the_cursor_to_the_end(
        self, admin: httpx.AsyncClient, requests: list[int]
    ) -> None:
        first = await admin.get("/v1/privacy/requests", params={"limit": 2})
        second = await admin.get(
            "/v1/privacy/requests", params={"limit": 2, "cursor": first.json()["next_cursor"]}
        )

        assert [i["id"] for i in first.json()["items"]] == requests[:2]
        assert first.json()["next_cursor"] == encode_cursor(requests[1])
        assert [i["id"] for i in second.json()["items"]] == requests[2:]
        assert second.json()["next_cursor"] is None


class TestIsolation:
    async def test_another_stores_requests_are_not_listed_nor_answerable(
        self,
        db: Database,
        other_store: Store,
        admin: httpx.AsyncClient,
        live_server: LiveServer,
        requests: list[int],
    ) -> None:
        async with db.transaction() as s:
            other_key = await factories.create_key(s, other_store, scopes=["admin"])
        async with httpx.AsyncClient(
            base_url=live_server.url, headers={"Authorization": f"Bearer {other_key}"}
        ) as other:
            theirs = await other.get("/v1/privacy/requests")
        (their_request,) = theirs.json()["items"]

        ours = await admin.get("/v1/privacy/requests")
        answered = await admin.post(f"/v1/privacy/requests/{their_request['id']}/answer")

        assert [i["id"] for i in ours.json()["items"]] == requests
        assert (their_request["customer_external_id"], their_request["status"]) == (
            "777",
            "received",
        )
        assert answered.status_code == 404
        assert answered.json()["error"] == "privacy_request_not_found"
        row = await request_row(db, their_request["id"])
        assert (row.status, row.completed_at, row.detail) == ("received", None, "")

    async def test_a_read_key_is_refused(
        self, db: Database, store: Store, live_server: LiveServer, requests: list[int]
    ) -> None:
        async with db.transaction() as s:
            read_key = await factories.create_key(s, store, scopes=["read"])
        async with httpx.AsyncClient(
            base_url=live_server.url, headers={"Authorization": f"Bearer {read_key}"}
        ) as reader:
            response = await reader.get("/v1/privacy/requests")

        assert response.status_code == 403
        assert "items" not in response.json()


class TestBadInput:
    @pytest.mark.parametrize(
        ("params", "status", "code"),
        [
            ({"cursor": "not-a-cursor"}, 422, "invalid_cursor"),
            ({"cursor": encode_cursor(1).replace("aWQ6", "eDo")}, 422, "invalid_cursor"),
            ({"limit": 0}, 422, "validation_error"),
            ({"limit": 501}, 422, "validation_error"),
            ({"limit": "ten"}, 422, "validation_error"),
            ({"status": "pending"}, 422, "validation_error"),
        ],
    )
    async def test_bad_parameters_are_a_4xx_with_a_stable_code(
        self,
        admin: httpx.AsyncClient,
        params: dict[str, Any],
        status: int,
        code: str,
    ) -> None:
        response = await admin.get("/v1/privacy/requests", params=params)

        assert response.status_code == status
        assert response.json()["error"] == code
