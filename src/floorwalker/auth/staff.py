"""Staff users and console sessions: sign-in, sessions with CSRF tokens, sign-out, management."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.auth.errors import (
    CannotDisableSelf,
    LoginFailed,
    RoleNotAllowed,
    SessionExpired,
    StaffEmailTaken,
    StaffUserNotFound,
)
from floorwalker.auth.models import StaffSession, StaffUser
from floorwalker.auth.passwords import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    needs_rehash,
    verify_password,
)
from floorwalker.auth.roles import ROLE_SCOPES, Role, at_least
from floorwalker.auth.schemas import StaffUserCreate
from floorwalker.errors import Invalid
from floorwalker.kit.actor import Actor, ActorKind
from floorwalker.kit.clock import utcnow
from floorwalker.kit.security import token_digest

SESSION_LIFETIME = dt.timedelta(hours=12)
#: Longest password accepted (as in `StaffUserCreate`).
MAX_PASSWORD_LENGTH = 1024


def actor_for(user: StaffUser) -> Actor:
    """The actor a signed-in staff member acts as."""
    role = Role(user.role)
    return Actor(
        store_id=user.store_id,
        kind=ActorKind.STAFF,
        id=str(user.id),
        scopes=ROLE_SCOPES[role],
        role=role.value,
    )


async def create_user(session: AsyncSession, actor: Actor, *, data: StaffUserCreate) -> StaffUser:
    """Add a staff user to the actor's store. Only owners create owners."""
    if data.role is Role.OWNER and actor.kind is ActorKind.STAFF and actor.role != Role.OWNER:
        raise RoleNotAllowed(Role.OWNER.value)
    email = data.email.lower()
    taken = await session.scalar(
        select(StaffUser.id).where(StaffUser.store_id == actor.store_id, StaffUser.email == email)
    )
    if taken is not None:
        raise StaffEmailTaken(email)
    user = StaffUser(
        store_id=actor.store_id,
        email=email,
        name=data.name,
        role=data.role.value,
        password_hash=hash_password(data.password),
    )
    session.add(user)
    await session.flush()
    await audit_service.record(
        session,
        actor,
        action="staff.create",
        subject_type="staff_user",
        subject_id=user.id,
        data={"role": user.role},
    )
    return user


async def list_users(session: AsyncSession, actor: Actor) -> Sequence[StaffUser]:
    """The actor's store's staff, oldest first."""
    rows = await session.scalars(
        select(StaffUser).where(StaffUser.store_id == actor.store_id).order_by(StaffUser.id)
    )
    return rows.all()


async def disable_user(session: AsyncSession, actor: Actor, *, user_id: int) -> StaffUser:
    """Disable a staff user and end their sessions at once."""
    user = await _managed_user(session, actor, user_id)
    if actor.kind is ActorKind.STAFF and actor.label == f"staff:{user.id}":
        raise CannotDisableSelf()
    if user.disabled_at is None:
        user.disabled_at = utcnow()
        await _end_sessions(session, user)
        await audit_service.record(
            session, actor, action="staff.disable", subject_type="staff_user", subject_id=user.id
        )
    return user


async def _managed_user(session: AsyncSession, actor: Actor, user_id: int) -> StaffUser:
    """A staff user of the actor's store that the actor may manage (only owners manage owners)."""
    user = await session.scalar(
        select(StaffUser).where(StaffUser.store_id == actor.store_id, StaffUser.id == user_id)
    )
    if user is None:
        raise StaffUserNotFound(user_id)
    if user.role == Role.OWNER and actor.kind is ActorKind.STAFF and actor.role != Role.OWNER:
        raise RoleNotAllowed(Role.OWNER.value)
    return user


async def _end_sessions(session: AsyncSession, user: StaffUser) -> None:
    """Revoke every open session of a staff user (they are signed out at their next request)."""
    for staff_session in await session.scalars(
        select(StaffSession).where(
            StaffSession.user_id == user.id, StaffSession.revoked_at.is_(None)
        )
    ):
        staff_session.revoked_at = utcnow()
    await session.flush()


async def reset_password(
    session: AsyncSession, actor: Actor, *, user_id: int, password: str
) -> StaffUser:
    """Give a staff user a new password and enable them again; their sessions end at once.

    For the system (`floorwalker demo`) and owners: only owners reset an owner's password.
    The password follows the rules of `StaffUserCreate` (10 to 1024 characters).
    """
    user = await _managed_user(session, actor, user_id)
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise Invalid(
            f"A password has {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters.",
            code="invalid_password",
        )
    user.password_hash = hash_password(password)
    user.disabled_at = None
    await _end_sessions(session, user)
    await audit_service.record(
        session, actor, action="staff.reset_password", subject_type="staff_user",
        subject_id=user.id,
    )  # fmt: skip
    return user


async def sign_in(
    session: AsyncSession, *, store_id: int, email: str, password: str
) -> tuple[StaffUser, str, StaffSession]:
    """Check a password and open a session; returns the user, the cookie token and the session."""
    user = await session.scalar(
        select(StaffUser).where(StaffUser.store_id == store_id, StaffUser.email == email.lower())
    )
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or user.disabled_at is not None:
        raise LoginFailed
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    staff_session = StaffSession(
        store_id=store_id,
        user_id=user.id,
        digest=token_digest(token),
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + SESSION_LIFETIME,
    )
    user.last_login_at = now
    session.add(staff_session)
    await session.flush()
    await audit_service.record(
        session, actor_for(user), action="staff.sign_in", subject_type="staff_user",
        subject_id=user.id,
    )  # fmt: skip
    return user, token, staff_session


async def resolve(session: AsyncSession, token: str) -> tuple[StaffUser, StaffSession]:
    """The user and session behind a cookie token; raises SessionExpired."""
    staff_session = await session.scalar(
        select(StaffSession).where(StaffSession.digest == token_digest(token))
    )
    if (
        staff_session is None
        or staff_session.revoked_at is not None
        or staff_session.expires_at <= utcnow()
    ):
        raise SessionExpired
    user = await session.get(StaffUser, staff_session.user_id)
    if user is None or user.disabled_at is not None:
        raise SessionExpired
    return user, staff_session


async def sign_out(session: AsyncSession, token: str) -> None:
    """End the session behind a cookie token (no error if it already ended)."""
    staff_session = await session.scalar(
        select(StaffSession).where(StaffSession.digest == token_digest(token))
    )
    if staff_session is not None and staff_session.revoked_at is None:
        staff_session.revoked_at = utcnow()
        await session.flush()


async def public_names(
    session: AsyncSession, store_id: int, labels: Iterable[str | None]
) -> dict[str, str]:
    """First names shoppers may see for staff labels (`staff:<id>`); others are left out.

    Labels (`staff:12`, `api_key:5`) identify people to the store; to shoppers they are
    meaningless at best and an internal detail at worst, so they are never shown.
    """
    ids = {int(label[6:]) for label in labels if label and re.fullmatch(r"staff:\d+", label)}
    if not ids:
        return {}
    rows = await session.execute(
        select(StaffUser.id, StaffUser.name).where(
            StaffUser.store_id == store_id, StaffUser.id.in_(ids)
        )
    )
    names = {f"staff:{user_id}": (name or "").split() for user_id, name in rows}
    return {label: words[0][:40] for label, words in names.items() if words}


async def public_name(session: AsyncSession, actor: Actor) -> str | None:
    """The first name shoppers may see for the acting staff member (None for keys and jobs)."""
    if actor.kind is not ActorKind.STAFF:
        return None
    return (await public_names(session, actor.store_id, [actor.label])).get(actor.label)


def require_role(actor: Actor, needed: Role) -> None:
    """Raise RoleNotAllowed unless a staff actor has `needed` or more (others pass on scopes)."""
    if actor.kind is ActorKind.STAFF and not at_least(actor.role, needed):
        raise RoleNotAllowed(needed.value)
