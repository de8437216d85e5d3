"""The turn's short transactions: before the model (store the message, load the context) and
after it (store the reply, its tool traffic, cards and corrections; update the state).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from floorwalker.assistant import handoff as handoff_rules
from floorwalker.assistant import proposals
from floorwalker.assistant.context import StoreInfo, TurnContext
from floorwalker.assistant.engine.turn import Turn
from floorwalker.assistant.errors import ConversationClosed, ConversationNotFound
from floorwalker.assistant.events import Event, EventType
from floorwalker.assistant.guardrails.checker import Correction
from floorwalker.assistant.guardrails.facts import Facts
from floorwalker.assistant.guardrails.redaction import Vault, redact, redact_data
from floorwalker.assistant.live import conversation_channel, staff_channel
from floorwalker.assistant.models import Conversation, Message
from floorwalker.assistant.repository import AssistantRepository
from floorwalker.assistant.runtime import Runtime
from floorwalker.errors import AppError
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.search import service as search_service
from floorwalker.stores import service as store_service

#: Consecutive turns without help after which the conversation goes to people.
FAILURES_BEFORE_HANDOFF = 2


@dataclass
class Prepared:
    """What the turn starts from."""

    ctx: TurnContext
    redacted: str
    user_message_id: int
    first: bool
    history: list[dict[str, Any]]
    open_proposal: str | None
    with_staff: bool = False
    staff_events: list[Event] = field(default_factory=list)


@dataclass
class Outcome:
    """What the turn produced."""

    text: str = ""
    model: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cards: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    failed: bool = False
    fell_back: str | None = None
    turn: Turn | None = None

    def reset(self) -> None:
        """Forget a failed attempt's reply (token counts stay: they were spent)."""
        self.text, self.cards, self.corrections, self.failed, self.turn = "", [], [], False, None


@dataclass
class Saved:
    """The stored reply and the events its storing caused (a handoff)."""

    message_id: int
    events: list[Event] = field(default_factory=list)


def store_info(store: Any) -> StoreInfo:
    """The assistant's view of a store."""
    return StoreInfo(
        id=store.id,
        slug=store.slug,
        name=store.name,
        currency=store.currency,
        timezone=store.timezone,
        settings=store_service.settings_of(store),
        policy=store_service.policy_of(store),
    )


def actor_of(conversation: Conversation) -> Actor:
    """The conversation's actor: a verified shopper, or an anonymous one."""
    if conversation.customer_id is not None and conversation.actor_kind == "shopper":
        return Actor.shopper(conversation.store_id, conversation.customer_id)
    return Actor.anonymous(conversation.store_id, conversation.session_id or conversation.public_id)


def history_of(messages: list[Message]) -> list[dict[str, Any]]:
    """Stored messages in the Chat Completions format, starting at a shopper message."""
    out: list[dict[str, Any]] = []
    for message in messages:
        if message.role == "user":
            out.append({"role": "user", "content": message.text})
        elif message.role == "assistant" and message.tool_calls:
            out.append(
                {
                    "role": "assistant",
                    "content": message.text or None,
                    "tool_calls": [
                        {
                            "id": c["id"],
                            "type": "function",
                            "function": {
                                "name": c["name"],
                                "arguments": json.dumps(c["arguments"]),
                            },
                        }
                        for c in message.tool_calls
                    ],
                }
            )
        elif message.role == "assistant" and message.text:
            out.append({"role": "assistant", "content": message.text})
        elif message.role == "tool" and out and out[-1].get("tool_calls"):
            out.append(
                {
                    "role": "tool",
                    "tool_call_id": message.tool_call_id,
                    "content": json.dumps(message.content, default=str),
                }
            )
        elif message.role == "tool":
            continue
        elif message.role == "staff":
            out.append(
                {
                    "role": "assistant",
                    # Staff labels (`staff:12`) stay out of prompts: a model may repeat them.
                    "content": f"[A member of staff]: {message.text}",
                }
            )
    while out and out[0]["role"] != "user":
        out.pop(0)
    return out


async def prepare(runtime: Runtime, *, store_id: int, public_id: str, text: str) -> Prepared:
    """Load what the turn needs (a read-only session) and redact the shopper's message.

    The message is stored with the reply, in the turn's one writing transaction (`save`);
    while staff handle the conversation it is stored at once and goes to them.
    """
    async with runtime.db.reading() as session:
        repo = AssistantRepository(session, store_id)
        conversation = await repo.conversation(public_id)
        if conversation is None:
            raise ConversationNotFound(public_id)
        if conversation.status == "closed":
            raise ConversationClosed(public_id)
        store = store_info(await store_service.get_or_raise(session, store_id))
        earlier = await repo.recent_messages(conversation.id, limit=runtime.history_messages)
        open_proposal = await _shown_proposal(repo, conversation.id, earlier)
        vault = Vault.loads(
            runtime.vault_crypto.decrypt(conversation.vault_encrypted)
            if conversation.vault_encrypted
            else None
        )
        redacted = redact(text, vault)
        ctx = TurnContext(
            runtime=runtime,
            store=store,
            conversation_id=conversation.id,
            conversation_public_id=conversation.public_id,
            actor=actor_of(conversation),
            vault=vault,
            state=dict(conversation.state or {}),
            cart=[dict(line) for line in conversation.cart or []],
            facts=Facts.from_state((conversation.state or {}).get("facts")),
            user_texts=[*(m.text for m in earlier if m.role == "user"), redacted],
            language=conversation.language,
            channel=conversation.channel,
        )
        prepared = Prepared(
            ctx=ctx,
            redacted=redacted,
            user_message_id=0,
            first=conversation.turns == 0,
            history=history_of(earlier),
            open_proposal=open_proposal,
        )
        with_staff = conversation.status in {"waiting_for_human", "with_human"}
        status = conversation.status
    if with_staff:
        await _to_staff(runtime, prepared, status)
    return prepared


async def _to_staff(runtime: Runtime, prepared: Prepared, status: str) -> None:
    """Store a message written while staff handle the conversation, and pass it to them."""
    ctx = prepared.ctx
    async with runtime.db.transaction() as session:
        repo = AssistantRepository(session, ctx.store.id)
        message = await repo.add(
            Message(conversation_id=ctx.conversation_id, role="user", text=prepared.redacted)
        )
        conversation = await repo.conversation_or_raise(ctx.conversation_id)
        conversation.last_activity_at = utcnow()
        conversation.vault_encrypted = runtime.vault_crypto.encrypt(ctx.vault.dumps())
    prepared.user_message_id = message.id
    prepared.with_staff = True
    event = Event(
        EventType.SHOPPER_MESSAGE,
        {
            "conversation_id": ctx.conversation_public_id,
            "message_id": message.id,
            "text": prepared.redacted,
        },
    )
    notice = "Your message is with our team; they'll reply here."
    if status != "with_human":
        notice = "A member of our team will join soon; your message is with them."
    prepared.staff_events = [Event(EventType.NOTICE, {"code": "with_staff", "text": notice})]
    await runtime.broker.publish(staff_channel(ctx.store.id), event)
    await runtime.broker.publish(conversation_channel(ctx.store.id, ctx.conversation_id), event)


async def _shown_proposal(
    repo: AssistantRepository, conversation_id: int, earlier: list[Message]
) -> str | None:
    """The open proposal the previous reply showed (the only one a "yes" may confirm)."""
    replies = [m for m in earlier if m.role == "assistant" and not m.tool_calls]
    if not replies:
        return None
    shown = {c.get("proposal_id") for c in replies[-1].cards if c.get("type") == "proposal"}
    if not shown:
        return None
    for proposal in await repo.open_proposals(conversation_id):
        if proposal.public_id in shown and proposal.expires_at > utcnow():
            return proposal.public_id
    return None


async def answer_open_proposal(
    runtime: Runtime, prepared: Prepared, *, confirm: bool
) -> dict[str, Any]:
    """Execute (on a yes) or drop (on a no) the proposal the previous reply showed."""
    assert prepared.open_proposal is not None
    ctx = prepared.ctx
    async with runtime.db.transaction() as session:
        repo = AssistantRepository(session, ctx.store.id)
        conversation = await repo.conversation_or_raise(ctx.conversation_id)
        try:
            if confirm:
                proposal = await proposals.confirm(
                    session, conversation, actor_of(conversation), public_id=prepared.open_proposal
                )
            else:
                proposal = await proposals.decline(
                    session, conversation, public_id=prepared.open_proposal
                )
        except AppError as exc:
            return {
                "proposal_id": prepared.open_proposal,
                "tool": "",
                "status": "failed",
                "summary": "",
                "result": exc.to_dict(),
            }
        return proposals.proposal_view(proposal)


async def save(runtime: Runtime, prepared: Prepared, outcome: Outcome) -> Saved:
    """Store the message, the reply and its tool traffic, the state; hand over if needed.

    One writing transaction, its rows added together and flushed once.
    """
    ctx = prepared.ctx
    events: list[Event] = []
    notify: dict[str, Any] | None = None
    async with runtime.db.transaction() as session:
        repo = AssistantRepository(session, ctx.store.id)
        conversation = await repo.conversation(ctx.conversation_public_id, lock=True)
        assert conversation is not None
        rows: list[Message] = []
        if not prepared.with_staff:
            rows.append(Message(role="user", text=prepared.redacted))
        for round_ in outcome.turn.rounds if outcome.turn is not None else []:
            calls = [
                {"id": c.id, "name": c.name, "arguments": _parsed(c.arguments)}
                for c in round_.calls
            ]
            rows.append(
                Message(role="assistant", text=round_.text, tool_calls=calls, model=outcome.model)
            )
            rows.extend(
                Message(
                    role="tool",
                    tool_call_id=run.call_id,
                    tool_name=run.name,
                    content=redact_data(run.result),
                )
                for run in round_.runs
            )
        reply = Message(
            role="assistant",
            text=outcome.text,
            cards=redact_data(outcome.cards),
            corrections=[c.to_dict() for c in outcome.corrections],
            model=outcome.model,
            content={"fell_back": outcome.fell_back} if outcome.fell_back else {},
        )
        rows.append(reply)
        for row in rows:
            row.store_id = ctx.store.id
            row.conversation_id = conversation.id
        session.add_all(rows)
        await session.flush()
        if rows[0].role == "user" and not prepared.with_staff:
            prepared.user_message_id = rows[0].id
        await repo.attach_proposals(ctx.proposals, reply.id)
        for response in ctx.pending_searches:
            await search_service.log_search(
                session,
                ctx.actor,
                response=response,
                session_id=conversation.session_id or ctx.conversation_public_id,
            )
        conversation.state = {**ctx.state, "facts": ctx.facts.to_state()}
        conversation.cart = [dict(line) for line in ctx.cart]
        conversation.vault_encrypted = runtime.vault_crypto.encrypt(ctx.vault.dumps())
        conversation.prompt_tokens += outcome.prompt_tokens
        conversation.completion_tokens += outcome.completion_tokens
        conversation.turns += 1
        conversation.model = outcome.model or conversation.model
        conversation.language = ctx.language
        conversation.last_activity_at = utcnow()
        conversation.failed_turns = conversation.failed_turns + 1 if outcome.failed else 0
        if conversation.failed_turns >= FAILURES_BEFORE_HANDOFF and conversation.status == "open":
            handoff, created = await handoff_rules.open_handoff(
                session, conversation, reason="repeated_failure"
            )
            events.append(handoff_rules.handoff_event(handoff, conversation))
            if created:
                notify = handoff_rules.notification(handoff, conversation)
        message_id = reply.id
    channel = conversation_channel(ctx.store.id, ctx.conversation_id)
    for event in events:
        await runtime.broker.publish(channel, event)
        await runtime.broker.publish(staff_channel(ctx.store.id), event)
    if notify is not None:
        await runtime.notifier.notify(ctx.store.id, notify)
    await runtime.broker.publish(
        channel,
        Event(
            EventType.DONE, {"message_id": message_id, "text": outcome.text, "model": outcome.model}
        ),
    )
    return Saved(message_id=message_id, events=events)


async def save_message_only(runtime: Runtime, prepared: Prepared) -> None:
    """Keep the shopper's message when the turn failed before it could be answered."""
    if prepared.with_staff:
        return
    async with runtime.db.transaction() as session:
        await AssistantRepository(session, prepared.ctx.store.id).add(
            Message(
                conversation_id=prepared.ctx.conversation_id, role="user", text=prepared.redacted
            )
        )


def _parsed(arguments: str) -> Any:
    try:
        return redact_data(json.loads(arguments)) if arguments.strip() else {}
    except ValueError:
        return {"raw": redact(arguments[:500])}
