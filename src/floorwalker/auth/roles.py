"""Staff roles, from most to least powerful, and what each may do."""

from __future__ import annotations

from enum import StrEnum

from floorwalker.kit.actor import Scope


class Role(StrEnum):
    """owner: everything; admin: everything but owners; agent: conversations, handoffs, order
    support; analyst: read-only insight."""

    OWNER = "owner"
    ADMIN = "admin"
    AGENT = "agent"
    ANALYST = "analyst"


_RANK = {Role.OWNER: 4, Role.ADMIN: 3, Role.AGENT: 2, Role.ANALYST: 1}

ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.OWNER: frozenset({Scope.ADMIN}),
    Role.ADMIN: frozenset({Scope.ADMIN}),
    Role.AGENT: frozenset({Scope.WRITE}),
    Role.ANALYST: frozenset({Scope.READ}),
}


def at_least(role: str | None, needed: Role) -> bool:
    """Whether `role` is `needed` or more powerful."""
    if role is None:
        return False
    try:
        return _RANK[Role(role)] >= _RANK[needed]
    except ValueError:
        return False
