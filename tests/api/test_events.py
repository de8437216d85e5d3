"""POST /v1/events over real HTTP: batches, duplicates, validation, keys, consent, stitching."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from sqlalchemy import func, select

from floorwalker.auth.schemas import KeyKind
from floorwalker.customers.models import Customer
from floorwalker.events.models import Event, SessionLink
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories


def _at(minutes_ago: int) -> str:
    return (utcnow() - dt.timedelta(minutes=minutes_ago)).isoformat()


def view(event_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "view",
        "timestamp": _at(10),
        "session_id": "s-1",
        "product_id": 7,
        **extra,
    }


async def _events(db: Database, store: Store) -> list[tuple[str, str, int | None, str | None]]:
    async with db.reading() as s:
        rows = await s.execute(
            select(Event.event_id, Event.type, Event.customer_id, Event.session_id)
            .where(Event.store_id == store.id)
            .order_by(Event.event_id)
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows.all()]


async def _key(db: Database, store: Store, **kwargs: Any) -> dict[str, str]:
    async with db.transaction() as s:
        token = await factories.create_key(s, store, **kwargs)
    return {"Authorization": f"Bearer {token}"}


class TestPostEvents:
    async def test_a_valid_batch_is_stored_and_counted(
        self, admin: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        batch = [
            view("e1"),
            {"id": "e2", "type": "search", "timestamp": _at(9), "session_id": "s-1",
             "query": "rain jacket", "properties": {"results": 0}},
            {"id": "e3", "type": "add_to_cart", "timestamp": _at(8), "session_id": "s-1",
             "variant_id": 70, "value": 4500, "currency": "usd"},
        ]  # fmt: skip

        response = await admin.post("/v1/events", json={"events": batch})

        assert response.status_code == 200
        assert response.json() == {
            "received": 3,
            "accepted": 3,
            "duplicates": 0,
            "skipped_no_consent": 0,
            "stitched_sessions": 0,
            "rejected": [],
        }
        assert await _events(db, store) == [
            ("e1", "view", None, "s-1"),
            ("e2", "search", None, "s-1"),
            ("e3", "add_to_cart", None, "s-1"),
        ]
        async with db.reading() as s:
            cart = await s.scalar(
                select(Event).where(Event.store_id == store.id, Event.event_id == "e3")
            )
        assert cart is not None
        assert (cart.quantity, cart.value, cart.currency) == (1, 4500, "USD")

    async def test_sending_the_same_batch_twice_stores_it_once(
        self, admin: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        batch = [view("d1"), view("d2")]
        await admin.post("/v1/events", json={"events": batch})

        again = await admin.post("/v1/events", json={"events": batch})

        assert again.status_code == 200
        assert again.json()["accepted"] == 0
        assert again.json()["duplicates"] == 2
        assert len(await _events(db, store)) == 2

    async def test_a_repeated_id_inside_one_batch_is_a_duplicate(
        self, admin: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        response = await admin.post("/v1/events", json={"events": [view("x"), view("x")]})

        assert response.json()["accepted"] == 1
        assert response.json()["duplicates"] == 1
        assert await _events(db, store) == [("x", "view", None, "s-1")]

    async def test_a_bad_event_is_reported_and_does_not_stop_the_good_ones(
        self, admin: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        batch = [
            view("ok-1"),
            {"id": "bad-1", "type": "view", "timestamp": _at(1), "session_id": "s-1"},
            {"id": "bad-2", "type": "teleport", "timestamp": _at(1), "session_id": "s-1"},
            {"id": "bad-3", "type": "search", "timestamp": "2026-01-01T10:00:00",
             "session_id": "s-1", "query": "boots"},
            view("ok-2"),
        ]  # fmt: skip

        response = await admin.post("/v1/events", json={"events": batch})

        assert response.status_code == 200
        body = response.json()
        assert (body["received"], body["accepted"]) == (5, 2)
        assert [(r["index"], r["id"], r["field"]) for r in body["rejected"]] == [
            (1, "bad-1", None),
            (2, "bad-2", "type"),
            (3, "bad-3", "timestamp"),
        ]
        assert body["rejected"][0]["reason"] == "a view event needs product_id or variant_id"
        assert [e[0] for e in await _events(db, store)] == ["ok-1", "ok-2"]

    async def test_strict_mode_stores_nothing_when_one_event_is_bad(
        self, admin: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        batch = [view("s-ok"), {"id": "s-bad", "type": "purchase", "timestamp": _at(1),
                                "session_id": "s-1"}]  # fmt: skip

        response = await admin.post("/v1/events?strict=true", json={"events": batch})

        assert response.status_code == 422
        assert response.json()["error"] == "invalid_events"
        assert response.json()["rejected"] == [
            {"index": 1, "id": "s-bad", "field": None,
             "reason": "a purchase event needs order_id or value"}
        ]  # fmt: skip
        assert await _events(db, store) == []

    async def test_future_and_ancient_timestamps_are_refused(
        self, admin: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        future = (utcnow() + dt.timedelta(hours=1)).isoformat()
        batch = [view("f", timestamp=future), view("a", timestamp="1999-12-31T23:00:00+00:00")]

        response = await admin.post("/v1/events", json={"events": batch})

        assert [r["reason"] for r in response.json()["rejected"]] == [
            "is in the future",
            "is before 2000-01-01",
        ]
        assert await _events(db, store) == []

    async def test_an_empty_or_oversized_batch_is_422(
        self, admin: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        empty = await admin.post("/v1/events", json={"events": []})
        huge = await admin.post("/v1/events", json={"events": [view(f"h{i}") for i in range(1001)]})

        assert (empty.status_code, empty.json()["error"]) == (422, "validation_error")
        assert (huge.status_code, huge.json()["error"]) == (422, "validation_error")
        assert await _events(db, store) == []


class TestWhoMaySend:
    async def test_the_widget_key_may_send_anonymous_events(
        self, http: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        headers = await _key(db, store, kind=KeyKind.PUBLISHABLE)

        response = await http.post("/v1/events", json={"events": [view("w1")]}, headers=headers)

        assert response.status_code == 200
        assert response.json()["accepted"] == 1
        assert await _events(db, store) == [("w1", "view", None, "s-1")]

    async def test_the_widget_key_cannot_claim_to_be_a_customer(
        self, http: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        async with db.transaction() as s:
            customer = await factories.create_customer(s, store)
        headers = await _key(db, store, kind=KeyKind.PUBLISHABLE)
        batch = [view("w2", customer_id=customer.id)]

        response = await http.post("/v1/events", json={"events": batch}, headers=headers)

        assert response.status_code == 200
        assert response.json()["accepted"] == 0
        assert response.json()["rejected"][0]["field"] == "customer_id"
        assert await _events(db, store) == []
        async with db.reading() as s:
            links = await s.scalar(
                select(func.count())
                .select_from(SessionLink)
                .where(SessionLink.store_id == store.id)
            )
        assert links == 0

    async def test_a_read_key_may_not_send(
        self, http: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        headers = await _key(db, store, scopes=["read"])

        response = await http.post("/v1/events", json={"events": [view("r1")]}, headers=headers)

        assert response.status_code == 403
        assert response.json()["error"] == "insufficient_scope"
        assert await _events(db, store) == []

    async def test_no_key_is_401(self, http: httpx.AsyncClient) -> None:
        response = await http.post("/v1/events", json={"events": [view("n1")]})

        assert response.status_code == 401

    async def test_a_customer_of_another_store_is_refused(
        self, admin: httpx.AsyncClient, db: Database, store: Store, other_store: Store
    ) -> None:
        async with db.transaction() as s:
            stranger = await factories.create_customer(s, other_store)

        response = await admin.post(
            "/v1/events", json={"events": [view("o1", customer_id=stranger.id)]}
        )

        assert response.json()["rejected"] == [
            {"index": 0, "id": "o1", "field": "customer_id", "reason": "no such customer"}
        ]
        assert await _events(db, store) == []
        assert await _events(db, other_store) == []


class TestConsent:
    async def test_events_of_a_customer_who_refused_analytics_are_not_stored(
        self, admin: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        async with db.transaction() as s:
            refuser = await factories.create_customer(s, store)
            refuser_row = await s.get(Customer, refuser.id)
            assert refuser_row is not None
            refuser_row.consent = {"analytics": {"granted": False, "at": _at(100)}}
            agreer = await factories.create_customer(s, store)
        batch = [
            view("c1", customer_id=refuser.id, session_id="s-r"),
            view("c2", customer_id=agreer.id, session_id="s-a"),
        ]

        response = await admin.post("/v1/events", json={"events": batch})

        assert response.json()["accepted"] == 1
        assert response.json()["skipped_no_consent"] == 1
        assert await _events(db, store) == [("c2", "view", agreer.id, "s-a")]
        async with db.reading() as s:
            linked = (
                await s.scalars(
                    select(SessionLink.session_id).where(SessionLink.store_id == store.id)
                )
            ).all()
        assert linked == ["s-a"]


class TestStitching:
    async def test_an_identified_session_takes_its_past_and_future_events_along(
        self, admin: httpx.AsyncClient, http: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        async with db.transaction() as s:
            customer = await factories.create_customer(s, store)
        widget = await _key(db, store, kind=KeyKind.PUBLISHABLE)
        await http.post(
            "/v1/events",
            json={"events": [view("a1", session_id="s-9"), view("a2", session_id="s-9")]},
            headers=widget,
        )

        identify = await admin.post(
            "/v1/events",
            json={"events": [{"id": "i1", "type": "identify", "timestamp": _at(5),
                              "session_id": "s-9", "customer_id": customer.id}]},
        )  # fmt: skip
        later = await http.post(
            "/v1/events", json={"events": [view("a3", session_id="s-9")]}, headers=widget
        )

        assert identify.json()["stitched_sessions"] == 1
        assert later.json()["accepted"] == 1
        assert await _events(db, store) == [
            ("a1", "view", customer.id, "s-9"),
            ("a2", "view", customer.id, "s-9"),
            ("a3", "view", customer.id, "s-9"),
            ("i1", "identify", customer.id, "s-9"),
        ]

    async def test_a_session_stays_with_the_first_customer_it_was_identified_as(
        self, admin: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        async with db.transaction() as s:
            first = await factories.create_customer(s, store)
            second = await factories.create_customer(s, store)
        await admin.post("/v1/events", json={"events": [view("p0", session_id="s-x")]})
        await admin.post(
            "/v1/events", json={"events": [view("p1", session_id="s-x", customer_id=first.id)]}
        )

        response = await admin.post(
            "/v1/events", json={"events": [view("p2", session_id="s-x", customer_id=second.id)]}
        )

        assert response.json()["stitched_sessions"] == 0
        assert await _events(db, store) == [
            ("p0", "view", first.id, "s-x"),
            ("p1", "view", first.id, "s-x"),
            ("p2", "view", second.id, "s-x"),
        ]


class TestReadBack:
    async def test_events_are_listed_by_session_in_pages(
        self, admin: httpx.AsyncClient, store: Store
    ) -> None:
        await admin.post(
            "/v1/events",
            json={"events": [view(f"l{i}", session_id="s-l") for i in range(3)] + [view("z")]},
        )

        first = await admin.get("/v1/events", params={"session_id": "s-l", "limit": 2})
        second = await admin.get(
            "/v1/events",
            params={"session_id": "s-l", "limit": 2, "cursor": first.json()["next_cursor"]},
        )

        assert [e["event_id"] for e in first.json()["items"]] == ["l0", "l1"]
        assert [e["event_id"] for e in second.json()["items"]] == ["l2"]
        assert second.json()["next_cursor"] is None
