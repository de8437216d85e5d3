"""Who is acting. Identity comes from the edge (a key, a session, a signed token), never a model."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ActorKind(StrEnum):
    """The kinds of caller a request, job or conversation can carry."""

    API_KEY = "api_key"
    STAFF = "staff"
    SHOPPER = "shopper"
    ANONYMOUS = "anonymous"
    SYSTEM = "system"


class Scope(StrEnum):
    """API key scopes. `admin` implies every other scope."""

    ADMIN = "admin"
    WRITE = "write"
    READ = "read"
    PUBLISHABLE = "publishable"


@dataclass(frozen=True, slots=True)
class Actor:
    """The caller of a service: its store, its kind, and what it may do.

    `customer_id` is set only for a verified shopper; services use it to check ownership.
    """

    store_id: int
    kind: ActorKind
    id: str
    scopes: frozenset[Scope] = field(default_factory=frozenset)
    customer_id: int | None = None
    #: A staff member's role (owner, admin, agent, analyst); None for other kinds.
    role: str | None = None

    @property
    def label(self) -> str:
        """How the audit log names this actor, e.g. `api_key:12` or `shopper:301`."""
        return f"{self.kind.value}:{self.id}"

    def has_scope(self, scope: Scope) -> bool:
        """Whether the actor holds `scope` (admin holds them all; write implies read)."""
        if Scope.ADMIN in self.scopes or scope in self.scopes:
            return True
        return scope is Scope.READ and Scope.WRITE in self.scopes

    @classmethod
    def system(cls, store_id: int, name: str = "system") -> Actor:
        """A background job or CLI command acting with full rights on one store."""
        return cls(
            store_id=store_id, kind=ActorKind.SYSTEM, id=name, scopes=frozenset({Scope.ADMIN})
        )

    @classmethod
    def shopper(cls, store_id: int, customer_id: int) -> Actor:
        """A shopper whose identity the retailer (or an in-chat check) has verified."""
        return cls(
            store_id=store_id,
            kind=ActorKind.SHOPPER,
            id=str(customer_id),
            customer_id=customer_id,
        )

    @classmethod
    def anonymous(cls, store_id: int, session_id: str) -> Actor:
        """A shopper who has not been identified: may browse, search and build a cart."""
        return cls(store_id=store_id, kind=ActorKind.ANONYMOUS, id=session_id)
