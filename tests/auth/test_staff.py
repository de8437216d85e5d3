"""Console staff: sign-in, sessions with CSRF protection, roles, disabling."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from sqlalchemy import select

from floorwalker.auth import staff as staff_service
from floorwalker.auth.models import StaffSession, StaffUser
from floorwalker.auth.passwords import verify_password
from floorwalker.auth.roles import Role
from floorwalker.auth.schemas import StaffUserCreate
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests.conftest import LiveServer

PASSWORD = "correct horse battery"


async def _create_user(db: Database, store: Store, *, email: str, role: Role) -> StaffUser:
    async with db.transaction() as s:
        return await staff_service.create_user(
            s,
            Actor.system(store.id),
            data=StaffUserCreate(email=email, name="Sam", role=role, password=PASSWORD),
        )


@asynccontextmanager
async def _signed_in(
    live_server: LiveServer, store: Store, email: str
) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    async with httpx.AsyncClient(base_url=live_server.url, timeout=30) as client:
        response = await client.post(
            "/v1/staff/sign-in", json={"store": store.slug, "email": email, "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        yield client, response.json()["csrf_token"]


class TestSignIn:
    async def test_password_is_hashed_with_argon2(self, db: Database, store: Store) -> None:
        user = await _create_user(db, store, email="sam@shop.example", role=Role.AGENT)

        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        assert verify_password(user.password_hash, PASSWORD) is True
        assert verify_password(user.password_hash, "wrong") is False

    async def test_sign_in_sets_an_httponly_cookie_and_returns_csrf(
        self, live_server: LiveServer, db: Database, store: Store
    ) -> None:
        await _create_user(db, store, email="sam@shop.example", role=Role.AGENT)

        async with httpx.AsyncClient(base_url=live_server.url) as client:
            response = await client.post(
                "/v1/staff/sign-in",
                json={"store": store.slug, "email": "SAM@shop.example", "password": PASSWORD},
            )
            me = await client.get("/v1/staff/me")

        assert response.status_code == 200
        cookie = response.headers["set-cookie"]
        assert "fw_session=" in cookie
        assert "HttpOnly" in cookie
        assert "SameSite=strict" in cookie
        assert len(response.json()["csrf_token"]) >= 32
        assert response.json()["user"]["role"] == "agent"
        assert me.status_code == 200
        assert me.json()["email"] == "sam@shop.example"

    @pytest.mark.parametrize(
        ("email", "password"),
        [("sam@shop.example", "wrong password"), ("nobody@shop.example", PASSWORD)],
    )
    async def test_wrong_email_or_password_gives_the_same_answer(
        self, http: httpx.AsyncClient, db: Database, store: Store, email: str, password: str
    ) -> None:
        await _create_user(db, store, email="sam@shop.example", role=Role.AGENT)

        response = await http.post(
            "/v1/staff/sign-in", json={"store": store.slug, "email": email, "password": password}
        )

        assert response.status_code == 401
        assert response.json() == {
            "error": "login_failed",
            "detail": "The e-mail or password is not correct.",
        }
        async with db.reading() as s:
            sessions = (
                await s.scalars(select(StaffSession).where(StaffSession.store_id == store.id))
            ).all()
        assert sessions == []

    async def test_a_user_of_one_store_cannot_sign_in_to_another(
        self, http: httpx.AsyncClient, db: Database, store: Store, other_store: Store
    ) -> None:
        await _create_user(db, store, email="sam@shop.example", role=Role.OWNER)

        response = await http.post(
            "/v1/staff/sign-in",
            json={"store": other_store.slug, "email": "sam@shop.example", "password": PASSWORD},
        )

        assert response.status_code == 401
        assert response.json()["error"] == "login_failed"


class TestCsrf:
    async def test_unsafe_request_with_cookie_needs_the_token(
        self, live_server: LiveServer, db: Database, store: Store
    ) -> None:
        await _create_user(db, store, email="owner@shop.example", role=Role.OWNER)
        async with _signed_in(live_server, store, "owner@shop.example") as (client, csrf):
            without = await client.post("/v1/keys", json={"name": "no-token"})
            wrong = await client.post(
                "/v1/keys", json={"name": "wrong"}, headers={"X-CSRF-Token": "nope"}
            )
            keys_after_refusals = await client.get("/v1/keys")
            with_token = await client.post(
                "/v1/keys", json={"name": "ok"}, headers={"X-CSRF-Token": csrf}
            )

        assert without.status_code == 403
        assert without.json()["error"] == "csrf_failed"
        assert wrong.status_code == 403
        assert keys_after_refusals.json() == []
        assert with_token.status_code == 201
        assert with_token.json()["name"] == "ok"


class TestRoles:
    async def test_analyst_reads_but_cannot_manage(
        self, live_server: LiveServer, db: Database, store: Store
    ) -> None:
        await _create_user(db, store, email="ann@shop.example", role=Role.ANALYST)
        async with _signed_in(live_server, store, "ann@shop.example") as (client, csrf):
            read = await client.get("/v1/store")
            manage = await client.post(
                "/v1/staff",
                json={"email": "x@shop.example", "password": PASSWORD, "role": "agent"},
                headers={"X-CSRF-Token": csrf},
            )

        assert read.status_code == 200
        assert manage.status_code == 403
        assert manage.json()["error"] == "insufficient_scope"

    async def test_admin_cannot_create_an_owner(
        self, live_server: LiveServer, db: Database, store: Store
    ) -> None:
        await _create_user(db, store, email="ad@shop.example", role=Role.ADMIN)
        async with _signed_in(live_server, store, "ad@shop.example") as (client, csrf):
            response = await client.post(
                "/v1/staff",
                json={"email": "boss@shop.example", "password": PASSWORD, "role": "owner"},
                headers={"X-CSRF-Token": csrf},
            )

        assert response.status_code == 403
        assert response.json()["error"] == "role_not_allowed"
        async with db.reading() as s:
            emails = (
                await s.scalars(select(StaffUser.email).where(StaffUser.store_id == store.id))
            ).all()
        assert emails == ["ad@shop.example"]


class TestSignOutAndDisable:
    async def test_sign_out_ends_the_session(
        self, live_server: LiveServer, db: Database, store: Store
    ) -> None:
        await _create_user(db, store, email="sam@shop.example", role=Role.AGENT)
        async with _signed_in(live_server, store, "sam@shop.example") as (client, _csrf):
            token = client.cookies["fw_session"]
            out = await client.post("/v1/staff/sign-out")
        async with httpx.AsyncClient(
            base_url=live_server.url, cookies={"fw_session": token}
        ) as fresh:
            replay = await fresh.get("/v1/store")

        assert out.status_code == 204
        assert replay.status_code == 401
        assert replay.json()["error"] == "session_expired"

    async def test_disabling_a_user_ends_their_sessions_at_once(
        self, live_server: LiveServer, db: Database, store: Store
    ) -> None:
        user = await _create_user(db, store, email="sam@shop.example", role=Role.AGENT)
        async with _signed_in(live_server, store, "sam@shop.example") as (client, _csrf):
            async with db.transaction() as s:
                await staff_service.disable_user(s, Actor.system(store.id), user_id=user.id)
            after = await client.get("/v1/store")

        assert after.status_code == 401
        assert after.json()["error"] == "session_expired"

    async def test_an_owner_cannot_disable_themselves_and_stays_signed_in(
        self, live_server: LiveServer, db: Database, store: Store
    ) -> None:
        owner = await _create_user(db, store, email="own@shop.example", role=Role.OWNER)
        async with _signed_in(live_server, store, "own@shop.example") as (client, csrf):
            refused = await client.delete(f"/v1/staff/{owner.id}", headers={"X-CSRF-Token": csrf})
            after = await client.get("/v1/store")

        assert refused.status_code == 409
        assert refused.json()["error"] == "cannot_disable_self"
        assert after.status_code == 200
        async with db.reading() as s:
            stored = await s.get(StaffUser, owner.id)
            sessions = (
                await s.scalars(select(StaffSession).where(StaffSession.user_id == owner.id))
            ).all()
        assert stored is not None
        assert stored.disabled_at is None
        assert [x.revoked_at for x in sessions] == [None]


class TestResetPassword:
    async def test_a_new_password_ends_the_sessions_and_enables_the_user_again(
        self, db: Database, store: Store
    ) -> None:
        # given a disabled owner with an open session
        user = await _create_user(db, store, email="owner@shop.example", role=Role.OWNER)
        async with db.transaction() as s:
            await staff_service.sign_in(
                s, store_id=store.id, email="owner@shop.example", password=PASSWORD
            )
            await staff_service.disable_user(s, Actor.system(store.id), user_id=user.id)

        # when the system gives them a new password
        async with db.transaction() as s:
            await staff_service.reset_password(
                s, Actor.system(store.id), user_id=user.id, password="a brand new one"
            )

        # then only the new password signs in, and no old session is open
        async with db.reading() as s:
            stored = await s.get(StaffUser, user.id)
            open_sessions = (
                await s.scalars(
                    select(StaffSession).where(
                        StaffSession.user_id == user.id, StaffSession.revoked_at.is_(None)
                    )
                )
            ).all()
        assert stored is not None
        assert stored.disabled_at is None
        assert verify_password(stored.password_hash, "a brand new one") is True
        assert verify_password(stored.password_hash, PASSWORD) is False
        assert open_sessions == []

    async def test_a_short_password_is_refused_and_nothing_changes(
        self, db: Database, store: Store
    ) -> None:
        from floorwalker.errors import Invalid

        user = await _create_user(db, store, email="sam@shop.example", role=Role.AGENT)

        with pytest.raises(Invalid) as caught:
            async with db.transaction() as s:
                await staff_service.reset_password(
                    s, Actor.system(store.id), user_id=user.id, password="short"
                )

        assert caught.value.code == "invalid_password"
        async with db.reading() as s:
            stored = await s.get(StaffUser, user.id)
        assert stored is not None
        assert stored.password_hash == user.password_hash

    async def test_an_admin_cannot_reset_an_owners_password(
        self, db: Database, store: Store
    ) -> None:
        from floorwalker.auth.errors import RoleNotAllowed

        owner = await _create_user(db, store, email="owner@shop.example", role=Role.OWNER)
        admin = await _create_user(db, store, email="admin@shop.example", role=Role.ADMIN)

        with pytest.raises(RoleNotAllowed):
            async with db.transaction() as s:
                await staff_service.reset_password(
                    s, staff_service.actor_for(admin), user_id=owner.id, password="taken over!"
                )

        async with db.reading() as s:
            stored = await s.get(StaffUser, owner.id)
        assert stored is not None
        assert stored.password_hash == owner.password_hash
