"""Console sign-in and staff management."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from floorwalker.api.deps import (
    SESSION_COOKIE,
    AdminActor,
    RateLimiterDep,
    ReadActor,
    SessionDep,
    SettingsDep,
)
from floorwalker.api.params import IdPath
from floorwalker.auth import staff as staff_service
from floorwalker.auth.errors import LoginFailed, MissingCredentials
from floorwalker.auth.roles import Role
from floorwalker.auth.schemas import SignedIn, SignIn, StaffUser, StaffUserCreate
from floorwalker.errors import RateLimited
from floorwalker.kit.actor import ActorKind
from floorwalker.stores import service as store_service

router = APIRouter(prefix="/staff", tags=["staff"])

#: Failed and successful sign-ins per store and e-mail per minute (slows password guessing).
SIGN_IN_ATTEMPTS_PER_MINUTE = 10


@router.post("/sign-in", response_model=SignedIn)
async def sign_in(
    data: SignIn,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    limiter: RateLimiterDep,
) -> SignedIn:
    """Sign in to the console; sets the session cookie and returns the CSRF token."""
    decision = await limiter.hit(
        f"sign-in:{data.store}:{data.email.lower()}", limit=SIGN_IN_ATTEMPTS_PER_MINUTE, window=60
    )
    if not decision.allowed:
        raise RateLimited(
            "Too many sign-in attempts; wait a minute.", retry_after=decision.retry_after
        )
    store = await store_service.get_by_slug(session, data.store)
    if store is None:
        raise LoginFailed
    user, token, staff_session = await staff_service.sign_in(
        session, store_id=store.id, email=data.email, password=data.password
    )
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(staff_service.SESSION_LIFETIME.total_seconds()),
        httponly=True,
        secure=settings.resolved_public_url.startswith("https://"),
        samesite="strict",
        path="/",
    )
    return SignedIn(
        user=StaffUser.model_validate(user),
        csrf_token=staff_session.csrf_token,
        expires_at=staff_session.expires_at,
    )


@router.post("/sign-out", status_code=204)
async def sign_out(request: Request, response: Response, session: SessionDep) -> Response:
    """End the console session and clear its cookie."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise MissingCredentials
    await staff_service.sign_out(session, cookie)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.status_code = 204
    return response


@router.get("/session", response_model=SignedIn)
async def current_session(request: Request, session: SessionDep) -> SignedIn:
    """The console session behind the cookie, with its CSRF token (for a newly opened tab)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise MissingCredentials
    user, staff_session = await staff_service.resolve(session, cookie)
    return SignedIn(
        user=StaffUser.model_validate(user),
        csrf_token=staff_session.csrf_token,
        expires_at=staff_session.expires_at,
    )


@router.get("/me", response_model=StaffUser)
async def me(actor: ReadActor, session: SessionDep) -> StaffUser:
    """The signed-in staff member."""
    if actor.kind is not ActorKind.STAFF:
        raise MissingCredentials
    users = await staff_service.list_users(session, actor)
    return StaffUser.model_validate(next(u for u in users if str(u.id) == actor.id))


@router.get("", response_model=list[StaffUser])
async def list_staff(actor: AdminActor, session: SessionDep) -> list[StaffUser]:
    """List the store's staff users."""
    return [StaffUser.model_validate(u) for u in await staff_service.list_users(session, actor)]


@router.post("", response_model=StaffUser, status_code=201)
async def create_staff(data: StaffUserCreate, actor: AdminActor, session: SessionDep) -> StaffUser:
    """Add a staff user (owners only may add owners)."""
    staff_service.require_role(actor, Role.ADMIN)
    return StaffUser.model_validate(await staff_service.create_user(session, actor, data=data))


@router.delete("/{user_id}", response_model=StaffUser)
async def disable_staff(user_id: IdPath, actor: AdminActor, session: SessionDep) -> StaffUser:
    """Disable a staff user; their sessions end at once."""
    staff_service.require_role(actor, Role.ADMIN)
    return StaffUser.model_validate(
        await staff_service.disable_user(session, actor, user_id=user_id)
    )
