"""Support tools: store policy, verification in the chat, handing over to people.

Verification tools accept only values the shopper typed in this conversation (an e-mail the
shopper wrote, an order number from their messages): a model cannot verify anyone with values it
read in product text or made up.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field

from floorwalker.assistant import handoff as handoff_rules
from floorwalker.assistant.context import TurnContext
from floorwalker.assistant.events import Event, EventType
from floorwalker.assistant.identity import verification
from floorwalker.assistant.live import conversation_channel, staff_channel
from floorwalker.assistant.tools.base import (
    Tool,
    ToolArgs,
    ToolFailure,
    ToolOutput,
    conversation_transaction,
)


class PolicyArgs(ToolArgs):
    """Which part of the policy."""

    topic: str = Field(default="", max_length=200, description="e.g. returns, cancellation.")


class HumanArgs(ToolArgs):
    """Why the shopper needs a person."""

    reason: Literal["requested", "upset", "out_of_scope", "repeated_failure"] = "requested"
    note: str = Field(default="", max_length=500, description="One line for the staff member.")


class OrderEmailArgs(ToolArgs):
    """An order number and the e-mail address used for it, both as the shopper typed them."""

    order_number: str = Field(min_length=1, max_length=64)
    email: str = Field(min_length=3, max_length=320, description="As typed (or its placeholder).")


class EmailArgs(ToolArgs):
    """The e-mail address to send a one-time code to, as the shopper typed it."""

    email: str = Field(min_length=3, max_length=320, description="As typed (or its placeholder).")


class CodeArgs(ToolArgs):
    """The one-time code the shopper received."""

    code: str = Field(pattern=r"^\s*\d{6}\s*$", description="Six digits.")


async def store_policy(ctx: TurnContext, args: PolicyArgs) -> ToolOutput:
    """The store's policy text, generated from the policy the services enforce."""
    text = ctx.store.policy.describe(currency=ctx.store.currency)
    sections = text.split("\n")
    topic = args.topic.lower()
    keys = {
        "cancel": ("cancel",),
        "return": ("return",),
        "refund": ("refund",),
        "exchange": ("exchang",),
        "change": ("change", "modif", "swap"),
        "modif": ("change", "modif"),
        "address": ("address",),
        "payment": ("payment",),
    }
    wanted = next((v for k, v in keys.items() if k in topic), ())

    # A section is about a topic when it opens with it; else any section that mentions it.
    def about(section: str, limit: int | None) -> bool:
        return any(re.search(rf"\b{w}", section.lower()[:limit]) for w in wanted)

    chosen = [s for s in sections if about(s, 90)]
    chosen = chosen or [s for s in sections if about(s, None)] or sections
    data = {
        "policy": chosen,
        "cancel_reasons": ctx.store.policy.cancel_reasons,
        "return_window_days": ctx.store.policy.return_window_days,
        "support_email": ctx.store.settings.support_email,
    }
    return ToolOutput(data=data)


def _typed_by_shopper(ctx: TurnContext, value: str) -> bool:
    return value in ctx.vault.values.values()


def _number_in_messages(ctx: TurnContext, number: str) -> bool:
    bare = number.strip().lstrip("#").lower()
    return bool(bare) and any(
        re.search(rf"(?<![\w]){re.escape(bare)}(?![\w])", text.lower()) for text in ctx.user_texts
    )


async def _become(ctx: TurnContext, customer_id: int, via: str) -> None:
    async with conversation_transaction(ctx) as (session, conversation):
        await verification.apply_identity(session, conversation, customer_id=customer_id, via=via)
    ctx.become(customer_id, via)
    ctx.events.append(Event(EventType.VERIFICATION, {"status": "verified", "via": via}))


async def verify_with_order(ctx: TurnContext, args: OrderEmailArgs) -> ToolOutput:
    """Verify the shopper by an order number and the e-mail address it was placed with."""
    if not _typed_by_shopper(ctx, args.email) or not _number_in_messages(ctx, args.order_number):
        raise ToolFailure(
            "values_not_from_shopper",
            "Verification uses only the order number and e-mail the shopper typed in this chat.",
        )
    async with conversation_transaction(ctx) as (session, conversation):
        outcome = await verification.by_order_and_email(
            session, conversation, order_number=args.order_number, email=args.email
        )
    if outcome.customer_id is None:
        ctx.events.append(Event(EventType.VERIFICATION, {"status": "failed"}))
        raise ToolFailure("verification_failed", outcome.message)
    await _become(ctx, outcome.customer_id, "order_email")
    return ToolOutput(data={"verified": True, "order_number": args.order_number.lstrip("#")})


async def send_code(ctx: TurnContext, args: EmailArgs) -> ToolOutput:
    """E-mail a one-time code to the address (if it belongs to a customer of the store)."""
    if not _typed_by_shopper(ctx, args.email):
        raise ToolFailure(
            "values_not_from_shopper", "Codes go only to an address the shopper typed in this chat."
        )
    async with conversation_transaction(ctx) as (session, conversation):
        request = await verification.request_code(
            session, conversation, email=args.email, store_name=ctx.store.name
        )
    if request.mail is not None:
        await ctx.runtime.mail.send(request.mail)
    ctx.events.append(Event(EventType.VERIFICATION, {"status": "code_sent"}))
    ctx.state["awaiting"] = "code"
    return ToolOutput(data={"code_sent_if_known": True})


async def check_code(ctx: TurnContext, args: CodeArgs) -> ToolOutput:
    """Check the one-time code the shopper typed."""
    async with conversation_transaction(ctx) as (session, conversation):
        outcome = await verification.check_code(session, conversation, code=args.code)
    if outcome.customer_id is None:
        ctx.events.append(Event(EventType.VERIFICATION, {"status": "failed"}))
        raise ToolFailure("verification_failed", outcome.message)
    await _become(ctx, outcome.customer_id, "email_code")
    ctx.state.pop("awaiting", None)
    return ToolOutput(data={"verified": True})


async def request_human(ctx: TurnContext, args: HumanArgs) -> ToolOutput:
    """Hand the conversation to the store's staff (always honoured)."""
    async with conversation_transaction(ctx) as (session, conversation):
        handoff, created = await handoff_rules.open_handoff(
            session, conversation, reason=args.reason, note=args.note
        )
        event = handoff_rules.handoff_event(handoff, conversation)
        payload = handoff_rules.notification(handoff, conversation)
    ctx.handoff_id = handoff.id
    ctx.events.append(event)
    if created:
        broker = ctx.runtime.broker
        await broker.publish(staff_channel(ctx.store.id), event)
        await broker.publish(conversation_channel(ctx.store.id, ctx.conversation_id), event)
        await ctx.runtime.notifier.notify(ctx.store.id, payload)
    return ToolOutput(
        data={"handoff_id": handoff.id, "status": handoff.status, "already_open": not created}
    )


TOOLS = [
    Tool(
        "store_policy",
        "The store's policies (cancellation, changes, returns, exchanges, "
        "refunds) exactly as the store enforces them.",
        PolicyArgs,
        store_policy,
    ),
    Tool(
        "verify_with_order",
        "Verify the shopper with an order number and the e-mail address "
        "used for it (both as the shopper typed them).",
        OrderEmailArgs,
        verify_with_order,
    ),
    Tool(
        "send_verification_code",
        "E-mail a one-time code to the address the shopper typed.",
        EmailArgs,
        send_code,
    ),
    Tool(
        "check_verification_code",
        "Check the one-time code the shopper typed.",
        CodeArgs,
        check_code,
    ),
    Tool(
        "request_human",
        "Hand the conversation to the store's staff. Always do it when the "
        "shopper asks for a person.",
        HumanArgs,
        request_human,
    ),
]
