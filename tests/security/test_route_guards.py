"""The guards every authenticated route shares, checked on every one of them.

- a publishable key used from an origin the store has not listed is refused outright;
- an unsafe request made with a console session but without its CSRF token is refused;
- a revoked key, and a disabled staff member's session, stop working at once.

Each refused call must also leave store A exactly as it was.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from fastapi.routing import APIRoute, iter_route_contexts

from floorwalker.auth.models import StaffUser
from tests.security.test_route_matrix import SAFE, call, send
from tests.security.world import EVIL_ORIGIN, Caller, World, sign_in


def authenticated_routes(world: World) -> list[tuple[str, str]]:
    """Every (method, path) whose route authenticates its caller (`get_api_actor`)."""

    def names(dependant: Any) -> set[str]:
        found = set()
        for sub in dependant.dependencies:
            found.add(getattr(sub.call, "__name__", ""))
            found |= names(sub)
        return found

    routes = []
    for context in iter_route_contexts(world.live.app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and "get_api_actor" in names(route.dependant):
            path = context.path
            assert path is not None
            routes.extend((m, path) for m in sorted(context.methods or ()) if m != "HEAD")
    return sorted(routes, key=lambda r: (r[1], r[0]))


def _code(body: str) -> Any:
    try:
        return json.loads(body).get("error")
    except ValueError:
        return None


async def _refused_everywhere(
    world: World, caller: Caller, routes: list[tuple[str, str]], status: int, code: str
) -> list[str]:
    problems = []
    for route in routes:
        method = route[0]
        prepared = await call(world, route, caller)
        before = None if method in SAFE else await world.fingerprint()
        got, body = await send(world, method, prepared, caller)
        if (got, _code(body)) != (status, code):
            problems.append(f"{method} {route[1]}: {got} {body[:120]}")
        if before is not None and await world.fingerprint() != before:
            problems.append(f"{method} {route[1]}: refused, yet store A changed")
    return problems


class TestSharedGuards:
    async def test_a_publishable_key_from_an_unlisted_origin_is_refused_on_every_route(
        self, world: World
    ) -> None:
        # Given the store's widget key, sent from a page the store has not listed
        widget = world.callers["pub"]
        caller = Caller("evil", headers={**widget.headers, "Origin": EVIL_ORIGIN})
        routes = authenticated_routes(world)
        assert len(routes) > 100

        # When it calls every authenticated route, then each answers 403 origin_not_allowed
        problems = await _refused_everywhere(world, caller, routes, 403, "origin_not_allowed")

        assert problems == [], "\n".join(problems)

    async def test_a_console_session_without_its_csrf_token_changes_nothing(
        self, world: World
    ) -> None:
        # Given an owner's console session whose CSRF token is not sent
        owner = world.callers["owner"]
        caller = Caller("owner-no-csrf", cookies=owner.cookies)
        unsafe = [r for r in authenticated_routes(world) if r[0] not in SAFE]

        # When it makes every unsafe request, then each answers 403 csrf_failed
        problems = await _refused_everywhere(world, caller, unsafe, 403, "csrf_failed")

        assert problems == [], "\n".join(problems)

    async def test_a_revoked_key_and_a_disabled_staff_member_stop_working_at_once(
        self, world: World
    ) -> None:
        # Given an admin key and an admin's session that worked a moment ago
        key = await world.post("/v1/keys", {"name": "soon revoked", "scopes": ["admin"]})
        user_id, email = await world.new_staff_member()
        staff = await _admin_session(world, user_id, email)
        revoked = Caller("revoked", headers={"Authorization": f"Bearer {key['key']}"})
        async with httpx.AsyncClient(base_url=world.live.url, headers=revoked.headers) as c:
            assert (await c.get("/v1/store")).status_code == 200

        # When the key is revoked and the member disabled
        await world.admin.delete(f"/v1/keys/{key['id']}")
        await world.admin.delete(f"/v1/staff/{user_id}")
        routes = authenticated_routes(world)

        # Then neither opens any route any more
        problems = await _refused_everywhere(world, revoked, routes, 401, "invalid_credentials")
        problems += await _refused_everywhere(world, staff, routes, 401, "session_expired")
        assert problems == [], "\n".join(problems)


async def _admin_session(world: World, user_id: int, email: str) -> Caller:
    async with world.db.transaction() as s:
        user = await s.get(StaffUser, user_id)
        assert user is not None
        user.role = "admin"
    return await sign_in(world.live, world.store, email)
