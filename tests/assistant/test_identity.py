"""Who the shopper is: signed identity tokens, verification in the chat, the mail outbox."""

from __future__ import annotations

import asyncio
import re
import time

import httpx
import jwt
import pytest

from floorwalker.assistant.events import EventType
from floorwalker.assistant.identity.tokens import issue_token
from floorwalker.assistant.scenarios.fixtures import FixtureStore
from floorwalker.auth import service as auth_service
from floorwalker.auth.schemas import ApiKeyCreate, KeyKind
from floorwalker.kit.actor import Actor, Scope
from floorwalker.kit.db import Database
from tests.assistant.conftest import Chat, identity_token


async def start(widget: httpx.AsyncClient, **body: object) -> httpx.Response:
    return await widget.post("/v1/conversations", json=body)


@pytest.fixture
async def shop_admin(
    db: Database, shop: FixtureStore, widget: httpx.AsyncClient
) -> httpx.AsyncClient:
    async with db.transaction() as session:
        _key, token = await auth_service.create_key(
            session,
            Actor.system(shop.store_id),
            data=ApiKeyCreate(name="admin", kind=KeyKind.SECRET, scopes=[Scope.ADMIN]),
        )
    return httpx.AsyncClient(
        base_url=str(widget.base_url), headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


class TestIdentityTokens:
    async def test_the_subject_is_the_retailers_customer_id(
        self, widget: httpx.AsyncClient, shop: FixtureStore
    ) -> None:
        response = await start(widget, identity_token=identity_token(shop, "bob"))

        assert response.status_code == 201
        assert response.json()["conversation"]["verified"] is True

    async def test_a_floorwalker_id_subject_is_accepted(
        self, widget: httpx.AsyncClient, shop: FixtureStore
    ) -> None:
        token = issue_token(
            secret=shop.identity_secret, audience=shop.slug, subject=f"fw:{shop.customers['cy']}"
        )

        response = await start(widget, identity_token=token)

        assert response.json()["conversation"]["verified"] is True

    @pytest.mark.parametrize(
        ("claims", "reason"),
        [
            ({"expired_seconds_ago": 120}, "expired"),
            ({"aud": "another-store"}, "wrong audience"),
            ({"sub": "cust-nobody"}, "unknown customer"),
            ({"lifetime": 3 * 24 * 3600}, "lifetime longer than 24 hours"),
            ({"no_exp": True}, "missing claim exp"),
        ],
    )
    async def test_a_token_that_does_not_verify_starts_nothing(
        self, widget: httpx.AsyncClient, shop: FixtureStore, claims: dict[str, object], reason: str
    ) -> None:
        now = int(time.time())
        lifetime = int(str(claims.get("lifetime", 600)))
        payload: dict[str, object] = {
            "sub": claims.get("sub", "cust-ada"),
            "aud": claims.get("aud", shop.slug),
            "iat": now,
            "exp": now + lifetime,
        }
        if "expired_seconds_ago" in claims:
            payload["exp"] = now - int(str(claims["expired_seconds_ago"]))
            payload["iat"] = now - 600
        if claims.get("no_exp"):
            del payload["exp"]
        token = jwt.encode(payload, shop.identity_secret, algorithm="HS256")

        response = await start(widget, identity_token=token)

        assert response.status_code == 401
        assert response.json()["error"] == "invalid_identity_token"
        assert response.json()["reason"] == reason

    async def test_clock_skew_within_the_leeway_is_tolerated(
        self, widget: httpx.AsyncClient, shop: FixtureStore
    ) -> None:
        token = issue_token(
            secret=shop.identity_secret,
            audience=shop.slug,
            subject="cust-ada",
            lifetime=600,
            now=int(time.time()) - 630,
        )

        response = await start(widget, identity_token=token)

        assert response.status_code == 201

    async def test_rotating_the_secret_invalidates_old_tokens_at_once(
        self, widget: httpx.AsyncClient, shop: FixtureStore, shop_admin: httpx.AsyncClient
    ) -> None:
        old = identity_token(shop, "ada")

        rotated = await shop_admin.post("/v1/store/identity-secret", json={})
        new_secret = rotated.json()["secret"]
        refused = await start(widget, identity_token=old)
        accepted = await start(
            widget,
            identity_token=issue_token(secret=new_secret, audience=shop.slug, subject="cust-ada"),
        )

        assert rotated.json()["audience"] == shop.slug
        assert rotated.json()["algorithm"] == "HS256"
        assert refused.status_code == 401
        assert accepted.status_code == 201

    async def test_only_an_admin_can_rotate_the_secret(self, widget: httpx.AsyncClient) -> None:
        response = await widget.post("/v1/store/identity-secret", json={})

        assert response.status_code == 403


class TestVerificationInChat:
    async def test_order_number_and_email_verify_the_shopper(self, chat: Chat) -> None:
        await chat.start()

        reply = await chat.say("order W1002, my email is ADA@example.com")

        assert reply.of(EventType.VERIFICATION) == [{"status": "verified", "via": "order_email"}]

    async def test_someone_elses_order_with_my_email_verifies_nothing(self, chat: Chat) -> None:
        await chat.start()

        reply = await chat.say("order W2001 and my email is ada@example.com")

        assert reply.of(EventType.VERIFICATION) == [{"status": "failed"}]
        assert reply.text == (
            "That did not match our records. Please check the order number and e-mail address."
        )
        follow = await chat.say("show my orders")
        assert follow.tools == []

    async def test_a_code_by_email_verifies_the_shopper(
        self, widget: httpx.AsyncClient, shop_admin: httpx.AsyncClient
    ) -> None:
        started = (await start(widget)).json()
        conversation_id = started["conversation"]["id"]
        headers = {"X-Conversation-Token": started["token"]}

        sent = await widget.post(
            f"/v1/conversations/{conversation_id}/verify",
            json={"email": "cy@example.com"},
            headers=headers,
        )
        mails: list[dict[str, str]] = []
        for _ in range(100):  # the mail is sent after the response, in the background
            mails = (await shop_admin.get("/v1/mail/outbox?to=cy@example.com")).json()
            if mails:
                break
            await asyncio.sleep(0.05)
        [mail] = mails
        code = re.search(r"\b(\d{6})\b", mail["body"])
        assert code is not None
        wrong = await widget.post(
            f"/v1/conversations/{conversation_id}/verify", json={"code": "000000"}, headers=headers
        )
        right = await widget.post(
            f"/v1/conversations/{conversation_id}/verify",
            json={"code": code.group(1)},
            headers=headers,
        )

        assert sent.json()["status"] == "code_sent"
        assert mail["subject"] == "Your Harbor & Pine verification code"
        assert wrong.json()["status"] == "failed"
        assert wrong.json()["conversation"]["verified"] is False
        assert right.json()["status"] == "verified"
        assert right.json()["conversation"]["verified_via"] == "email_code"

    async def test_an_unknown_address_gets_the_same_answer_and_no_mail(
        self, widget: httpx.AsyncClient, shop_admin: httpx.AsyncClient
    ) -> None:
        started = (await start(widget)).json()

        response = await widget.post(
            f"/v1/conversations/{started['conversation']['id']}/verify",
            json={"email": "nobody@example.com"},
            headers={"X-Conversation-Token": started["token"]},
        )

        assert response.json()["status"] == "code_sent"
        assert response.json()["detail"] == (
            "If that address belongs to an account, a six-digit code is on its way."
        )
        assert (await shop_admin.get("/v1/mail/outbox?to=nobody@example.com")).json() == []

    async def test_attempts_are_capped(self, widget: httpx.AsyncClient) -> None:
        started = (await start(widget)).json()
        url = f"/v1/conversations/{started['conversation']['id']}/verify"
        headers = {"X-Conversation-Token": started["token"]}
        wrong = {"order_number": "W1001", "email": "eve@example.com"}

        statuses = [
            (await widget.post(url, json=wrong, headers=headers)).json().get("status")
            for _ in range(6)
        ]
        blocked = await widget.post(
            url, json={"order_number": "W1001", "email": "ada@example.com"}, headers=headers
        )

        assert statuses == ["failed"] * 6
        assert blocked.status_code == 429
        assert blocked.json()["error"] == "too_many_verification_attempts"

    async def test_a_verified_conversation_cannot_become_another_customer(
        self, widget: httpx.AsyncClient, shop: FixtureStore
    ) -> None:
        started = (await start(widget, identity_token=identity_token(shop, "ada"))).json()

        response = await widget.post(
            f"/v1/conversations/{started['conversation']['id']}/verify",
            json={"identity_token": identity_token(shop, "bob")},
            headers={"X-Conversation-Token": started["token"]},
        )

        assert response.status_code == 409
        assert response.json()["error"] == "identity_mismatch"
