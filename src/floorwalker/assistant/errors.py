"""The assistant's error family. Codes are stable: clients and the widget branch on them."""

from __future__ import annotations

from floorwalker.errors import AppError, Conflict, Invalid, NotFound, RateLimited, Unauthenticated


class AssistantError(AppError):
    """Base of the assistant's errors."""

    code = "assistant_error"


class ConversationNotFound(AssistantError, NotFound):
    """No such conversation in the caller's store (or the token does not match)."""

    code = "conversation_not_found"

    def __init__(self, public_id: str) -> None:
        super().__init__("No such conversation.", conversation_id=public_id)


class ConversationClosed(AssistantError, Conflict):
    """The conversation was closed; start a new one."""

    code = "conversation_closed"

    def __init__(self, public_id: str) -> None:
        super().__init__("This conversation is closed; start a new one.", conversation_id=public_id)


class MessageNotFound(AssistantError, NotFound):
    """No such message in the conversation."""

    code = "message_not_found"

    def __init__(self, message_id: int) -> None:
        super().__init__("No such message in this conversation.", message_id=message_id)


class FeedbackNotAllowed(AssistantError, Invalid):
    """Feedback is given on the assistant's replies only."""

    code = "feedback_not_allowed"

    def __init__(self, message_id: int) -> None:
        super().__init__(
            "Feedback can only be given on the assistant's replies.", message_id=message_id
        )


class ProposalNotFound(AssistantError, NotFound):
    """No such proposal in this conversation: nothing was done."""

    code = "proposal_not_found"

    def __init__(self, public_id: str) -> None:
        super().__init__(
            "There is no such proposal in this conversation; nothing was done.",
            proposal_id=public_id,
        )


class ProposalNotOpen(AssistantError, Conflict):
    """The proposal was already answered (or replaced); nothing was done."""

    code = "proposal_not_open"

    def __init__(self, public_id: str, status: str) -> None:
        super().__init__(
            f"This proposal is already {status}; nothing was done.",
            proposal_id=public_id,
            proposal_status=status,
        )


class ProposalExpired(AssistantError, Conflict):
    """The proposal is too old (or the shopper changed); nothing was done."""

    code = "proposal_expired"

    def __init__(self, public_id: str) -> None:
        super().__init__(
            "This proposal has expired; nothing was done. Ask again to see a fresh one.",
            proposal_id=public_id,
        )


class InvalidIdentityToken(AssistantError, Unauthenticated):
    """A shopper identity token that does not verify (signature, expiry, audience, subject)."""

    code = "invalid_identity_token"

    def __init__(self, reason: str) -> None:
        super().__init__(f"The shopper identity token is not valid: {reason}.", reason=reason)


class IdentityNotConfigured(AssistantError, Invalid):
    """The store has no identity secret nor keys, so identity tokens cannot be checked."""

    code = "identity_not_configured"

    def __init__(self) -> None:
        super().__init__(
            "This store has no identity secret nor keys; set a secret with "
            "`floorwalker chat identity-secret` or POST /v1/store/identity-secret, or public "
            "keys with `floorwalker chat identity-keys` or the store's settings.identity_keys."
        )


class IdentityMismatch(AssistantError, Conflict):
    """The conversation is already verified as another customer."""

    code = "identity_mismatch"

    def __init__(self) -> None:
        super().__init__(
            "This conversation is verified as another customer; start a new conversation."
        )


class VerificationFailed(AssistantError, Invalid):
    """In-chat verification did not succeed (deliberately vague: reveals nothing)."""

    code = "verification_failed"


class TooManyVerificationAttempts(AssistantError, RateLimited):
    """Too many verification attempts in this conversation."""

    code = "too_many_verification_attempts"


class HandoffNotFound(AssistantError, NotFound):
    """No such handoff in the caller's store."""

    code = "handoff_not_found"

    def __init__(self, handoff_id: int) -> None:
        super().__init__("No such handoff.", handoff_id=handoff_id)


class HandoffClosed(AssistantError, Conflict):
    """The handoff is closed."""

    code = "handoff_closed"

    def __init__(self, handoff_id: int) -> None:
        super().__init__("This handoff is closed.", handoff_id=handoff_id)


class MessageTooLong(AssistantError, Invalid):
    """A message longer than the assistant reads."""

    code = "message_too_long"
