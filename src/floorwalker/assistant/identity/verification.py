"""Verifying a shopper in the chat: order number + e-mail, or a one-time code by e-mail.

Answers never reveal whether an order or an address exists ("that did not match" for every
failure; "if that address is known, a code is on its way" for every request). Attempts are
counted per conversation and capped; codes are stored hashed, expire after ten minutes and
allow a few tries each.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.assistant.errors import IdentityMismatch, TooManyVerificationAttempts
from floorwalker.assistant.identity.mail import Mail
from floorwalker.assistant.models import Conversation, ShopperVerification
from floorwalker.assistant.repository import AssistantRepository
from floorwalker.customers import service as customer_service
from floorwalker.errors import NotFound
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.security import constant_time_equals, token_digest
from floorwalker.orders import service as order_service

MAX_ATTEMPTS_PER_HOUR = 6
CODE_TTL = dt.timedelta(minutes=10)
CODE_TRIES = 5

FAILED = "That did not match our records. Please check the order number and e-mail address."


@dataclass(frozen=True, slots=True)
class Outcome:
    """A verification attempt: the customer on success, else what to tell the shopper.

    Failures are returned, not raised, so the caller commits the counted attempt.
    """

    customer_id: int | None
    message: str = ""


@dataclass(frozen=True, slots=True)
class CodeRequest:
    """The outcome of asking for a code: the mail to send after commit (None if unknown)."""

    mail: Mail | None


async def _count_attempt(session: AsyncSession, conversation: Conversation) -> None:
    repo = AssistantRepository(session, conversation.store_id)
    since = utcnow() - dt.timedelta(hours=1)
    if await repo.verification_attempts(conversation.id, since) >= MAX_ATTEMPTS_PER_HOUR:
        raise TooManyVerificationAttempts(
            "Too many verification attempts; please try again later or ask for a person.",
            retry_after=3600,
        )


def _code_digest(conversation: Conversation, code: str) -> str:
    return token_digest(f"{conversation.public_id}:{code}")


async def by_order_and_email(
    session: AsyncSession, conversation: Conversation, *, order_number: str, email: str
) -> Outcome:
    """The customer whose order has this number and this e-mail."""
    await _count_attempt(session, conversation)
    repo = AssistantRepository(session, conversation.store_id)
    customer_id: int | None = None
    try:
        order = await order_service.get_order_by_number(
            session,
            Actor.system(conversation.store_id, "assistant-verification"),
            number=order_number,
        )
    except NotFound:
        order = None
    if (
        order is not None
        and order.customer_id is not None
        and order.email is not None
        and constant_time_equals(order.email.strip().lower(), email.strip().lower())
    ):
        customer_id = order.customer_id
    await repo.add(
        ShopperVerification(
            conversation_id=conversation.id,
            method="order_email",
            status="verified" if customer_id else "failed",
            customer_id=customer_id,
        )
    )
    return Outcome(customer_id, "" if customer_id else FAILED)


async def request_code(
    session: AsyncSession, conversation: Conversation, *, email: str, store_name: str
) -> CodeRequest:
    """Prepare a one-time code for the customer with this e-mail (if there is one)."""
    await _count_attempt(session, conversation)
    repo = AssistantRepository(session, conversation.store_id)
    customer = await customer_service.find_by_email(session, conversation.store_id, email)
    code = f"{secrets.randbelow(1_000_000):06d}"
    await repo.add(
        ShopperVerification(
            conversation_id=conversation.id,
            method="email_code",
            status="pending" if customer is not None else "failed",
            customer_id=customer.id if customer is not None else None,
            code_digest=_code_digest(conversation, code) if customer is not None else None,
            expires_at=utcnow() + CODE_TTL,
        )
    )
    if customer is None:
        return CodeRequest(mail=None)
    body = (
        f"Your {store_name} verification code is {code}.\n\n"
        "Type it in the chat to let the assistant help with your orders. It expires in ten "
        "minutes. If you did not ask for it, you can ignore this message."
    )
    return CodeRequest(
        mail=Mail(
            store_id=conversation.store_id,
            to=email,
            subject=f"Your {store_name} verification code",
            body=body,
            purpose="verification_code",
        )
    )


async def check_code(session: AsyncSession, conversation: Conversation, *, code: str) -> Outcome:
    """The customer a correct, fresh code belongs to."""
    repo = AssistantRepository(session, conversation.store_id)
    pending = await repo.pending_code(conversation.id)
    if pending is None or pending.code_digest is None or pending.customer_id is None:
        return Outcome(None, "There is no code waiting; ask for a new one.")
    if pending.expires_at is not None and pending.expires_at <= utcnow():
        pending.status = "expired"
        await session.flush()
        return Outcome(None, "That code has expired; ask for a new one.")
    pending.attempts += 1
    if not constant_time_equals(pending.code_digest, _code_digest(conversation, code.strip())):
        if pending.attempts >= CODE_TRIES:
            pending.status = "failed"
        await session.flush()
        return Outcome(None, "That code is not right.")
    pending.status = "verified"
    await session.flush()
    return Outcome(pending.customer_id)


async def apply_identity(
    session: AsyncSession, conversation: Conversation, *, customer_id: int, via: str
) -> None:
    """Make the conversation a verified shopper's; refuses to switch to another customer.

    Open proposals expire: they were prepared for whoever the shopper was before.
    """
    if conversation.customer_id is not None and conversation.customer_id != customer_id:
        raise IdentityMismatch
    repo = AssistantRepository(session, conversation.store_id)
    if conversation.customer_id is None:
        for proposal in await repo.open_proposals(conversation.id):
            await repo.claim_proposal(proposal.id, status="expired")
    conversation.customer_id = customer_id
    conversation.actor_kind = "shopper"
    conversation.verified_via = conversation.verified_via or via
    await session.flush()
