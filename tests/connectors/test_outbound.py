"""Outbound webhooks: endpoints, signed JSON, retries with backoff, the log and hand retries."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from floorwalker.config import Settings
from floorwalker.connectors import service as connectors_service
from floorwalker.connectors.delivery import MAX_ATTEMPTS, deliver_due
from floorwalker.connectors.models import Delivery
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests.connectors.fakes.receiver import Receiver
from tests.connectors.helpers import encryptor


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    fake = Receiver().start()
    yield fake
    fake.stop()


async def endpoint(
    admin: httpx.AsyncClient, receiver: Receiver, events: list[str] | None = None
) -> dict[str, object]:
    response = await admin.post(
        "/v1/webhook-endpoints",
        json={"url": receiver.url, "events": events or ["*"], "description": "ERP"},
    )
    assert response.status_code == 201
    return dict(response.json())


async def announce(db: Database, store: Store, event_type: str = "order.cancelled") -> None:
    async with db.transaction() as s:
        await connectors_service.announce(
            s,
            Actor.system(store.id),
            event_type=event_type,
            payload={"order_id": 7},
            event_id="evt-1",
        )


async def the_delivery(db: Database, store: Store) -> Delivery:
    async with db.reading() as s:
        row = await s.scalar(select(Delivery).where(Delivery.store_id == store.id))
    assert row is not None
    return row


class TestEndpoints:
    async def test_the_secret_is_shown_once_and_never_listed(
        self, admin: httpx.AsyncClient, receiver: Receiver
    ) -> None:
        created = await endpoint(admin, receiver)

        listed = await admin.get("/v1/webhook-endpoints")

        assert str(created["secret"]).startswith("whsec_")
        assert listed.json() == [
            {k: created[k] for k in ("id", "url", "events", "description", "active", "created_at")}
        ]

    async def test_unknown_event_types_and_bad_urls_are_refused(
        self, admin: httpx.AsyncClient
    ) -> None:
        bad_event = await admin.post(
            "/v1/webhook-endpoints",
            json={"url": "https://erp.example/hook", "events": ["order.teleported"]},
        )
        bad_url = await admin.post("/v1/webhook-endpoints", json={"url": "ftp://erp.example/hook"})

        assert bad_event.status_code == 422
        assert bad_url.status_code == 422
        assert (await admin.get("/v1/webhook-endpoints")).json() == []


class TestDelivery:
    async def test_a_delivery_is_signed_json_that_the_receiver_can_verify(
        self,
        admin: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        receiver: Receiver,
    ) -> None:
        created = await endpoint(admin, receiver)
        await announce(db, store)

        report = await deliver_due(db, encryptor(settings), store_id=store.id)

        assert (report.attempted, report.delivered) == (1, 1)
        (request,) = receiver.received
        body = request["body"]
        timestamp, mac = (
            part.split("=", 1)[1] for part in request["headers"]["floorwalker-signature"].split(",")
        )
        expected = hmac.new(
            str(created["secret"]).encode(), f"{timestamp}.".encode() + body, hashlib.sha256
        ).hexdigest()
        assert hmac.compare_digest(mac, expected)
        assert request["headers"]["floorwalker-event"] == "order.cancelled"
        assert request["headers"]["floorwalker-delivery"] == "evt-1"
        envelope = json.loads(body)
        assert (envelope["id"], envelope["type"], envelope["store_id"], envelope["data"]) == (
            "evt-1",
            "order.cancelled",
            store.id,
            {"order_id": 7},
        )
        row = await the_delivery(db, store)
        assert (row.status, row.attempts, row.last_status_code) == ("delivered", 1, 200)

    async def test_an_endpoint_gets_only_the_events_it_subscribed_to(
        self,
        admin: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        receiver: Receiver,
    ) -> None:
        await endpoint(admin, receiver, events=["order.return_requested"])

        await announce(db, store, "order.cancelled")

        async with db.reading() as s:
            rows = (await s.scalars(select(Delivery).where(Delivery.store_id == store.id))).all()
        assert rows == []

    async def test_a_failing_receiver_is_retried_with_growing_waits(
        self,
        admin: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        receiver: Receiver,
    ) -> None:
        await endpoint(admin, receiver)
        await announce(db, store)
        receiver.answer(500, 503)
        now = utcnow()

        first = await deliver_due(db, encryptor(settings), store_id=store.id, now=now)
        too_early = await deliver_due(
            db, encryptor(settings), store_id=store.id, now=now + dt.timedelta(seconds=29)
        )
        second = await deliver_due(
            db, encryptor(settings), store_id=store.id, now=now + dt.timedelta(seconds=30)
        )
        row = await the_delivery(db, store)

        assert (first.retrying, too_early.attempted, second.retrying) == (1, 0, 1)
        assert (row.status, row.attempts, row.last_status_code) == ("pending", 2, 503)
        assert row.next_attempt_at == now + dt.timedelta(seconds=30) + dt.timedelta(seconds=60)
        assert row.last_error is not None
        assert row.last_error.startswith("HTTP 503")

        third = await deliver_due(
            db, encryptor(settings), store_id=store.id, now=now + dt.timedelta(seconds=90)
        )
        assert third.delivered == 1
        assert len(receiver.received) == 3
        assert len({r["headers"]["floorwalker-delivery"] for r in receiver.received}) == 1

    async def test_after_the_last_attempt_it_fails_visibly_and_can_be_retried_by_hand(
        self,
        admin: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        receiver: Receiver,
    ) -> None:
        await endpoint(admin, receiver)
        await announce(db, store)
        receiver.answer(*([500] * MAX_ATTEMPTS))
        moment = utcnow()
        for _ in range(MAX_ATTEMPTS):
            moment += dt.timedelta(days=1)
            await deliver_due(db, encryptor(settings), store_id=store.id, now=moment)

        failed = await admin.get("/v1/deliveries", params={"status": "failed"})
        (item,) = failed.json()["items"]
        retried = await admin.post(f"/v1/deliveries/{item['id']}/retry")
        again = await admin.post(f"/v1/deliveries/{item['id']}/retry")
        report = await deliver_due(
            db, encryptor(settings), store_id=store.id, now=moment + dt.timedelta(days=1)
        )

        assert (item["status"], item["attempts"], item["last_status_code"]) == (
            "failed",
            MAX_ATTEMPTS,
            500,
        )
        assert (retried.json()["status"], retried.json()["attempts"]) == ("pending", 0)
        assert again.status_code == 409
        assert again.json()["error"] == "delivery_not_retryable"
        assert report.delivered == 1
        assert (await the_delivery(db, store)).status == "delivered"

    async def test_another_stores_delivery_is_not_found(
        self, admin: httpx.AsyncClient, db: Database, other_store: Store
    ) -> None:
        async with db.transaction() as s:
            s.add(
                Delivery(
                    store_id=other_store.id,
                    target="endpoint:0",
                    event_type="order.cancelled",
                    event_id="x",
                    payload={},
                    status="failed",
                )
            )
        async with db.reading() as s:
            foreign = await s.scalar(select(Delivery.id).where(Delivery.store_id == other_store.id))

        response = await admin.post(f"/v1/deliveries/{foreign}/retry")

        assert response.status_code == 404
        assert response.json()["error"] == "delivery_not_found"
        async with db.reading() as s:
            row = await s.get(Delivery, foreign)
        assert row is not None
        assert row.status == "failed"
