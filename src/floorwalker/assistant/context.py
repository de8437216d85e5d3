"""What one turn knows: the store, the actor, the conversation's state, and the facts so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from floorwalker.assistant.events import Event
from floorwalker.assistant.guardrails.facts import Facts
from floorwalker.assistant.guardrails.redaction import Vault
from floorwalker.kit.actor import Actor, ActorKind
from floorwalker.kit.money import format_money
from floorwalker.stores.policy import StorePolicy
from floorwalker.stores.schemas import StoreSettings

if TYPE_CHECKING:
    from floorwalker.assistant.runtime import Runtime


@dataclass(frozen=True, slots=True)
class StoreInfo:
    """The store a conversation belongs to, as the assistant needs it."""

    id: int
    slug: str
    name: str
    currency: str
    timezone: str
    settings: StoreSettings
    policy: StorePolicy

    @property
    def assistant_name(self) -> str:
        """What the assistant calls itself."""
        return self.settings.assistant_name or "Floorwalker"

    def money(self, minor: int, currency: str | None = None) -> str:
        """An amount for people, in the store's currency unless told otherwise."""
        return format_money(minor, currency or self.currency)


@dataclass(slots=True)
class TurnContext:
    """Everything a turn (its tools, its model and its checks) works with."""

    runtime: Runtime
    store: StoreInfo
    conversation_id: int
    conversation_public_id: str
    actor: Actor
    vault: Vault
    #: The dialogue state carried across turns (the local model's frame, recent results).
    state: dict[str, Any]
    #: Cart lines: [{"variant_id", "quantity"}].
    cart: list[dict[str, Any]]
    facts: Facts = field(default_factory=Facts)
    #: Redacted texts the shopper wrote in this conversation, oldest first (this turn's last).
    user_texts: list[str] = field(default_factory=list)
    #: Events a tool wants sent (verification, handoff) besides its result.
    events: list[Event] = field(default_factory=list)
    #: Public ids of proposals made this turn.
    proposals: list[str] = field(default_factory=list)
    #: Set when this turn handed the conversation to people.
    handoff_id: int | None = None
    #: Searches to record as events with the reply (zero-result searches feed insights).
    pending_searches: list[Any] = field(default_factory=list)
    verified_via: str | None = None
    language: str = "en"
    channel: str = "widget"

    @property
    def verified(self) -> bool:
        """Whether the shopper is a verified customer."""
        return self.actor.kind is ActorKind.SHOPPER and self.actor.customer_id is not None

    def become(self, customer_id: int, via: str) -> None:
        """Switch to a verified shopper (after a successful in-chat verification)."""
        self.actor = Actor.shopper(self.store.id, customer_id)
        self.verified_via = via
