"""Queries of the assistant context. Every query is scoped to one store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, delete, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.assistant.errors import ConversationNotFound
from floorwalker.assistant.models import (
    Conversation,
    Feedback,
    Handoff,
    Message,
    OutboxMail,
    Proposal,
    ShopperVerification,
)
from floorwalker.assistant.schemas import ConversationFilter
from floorwalker.kit.clock import utcnow

Row = TypeVar(
    "Row", Conversation, Message, Proposal, Feedback, Handoff, ShopperVerification, OutboxMail
)


class AssistantRepository:
    """Conversations, messages, proposals, feedback, handoffs and verifications of a store."""

    def __init__(self, session: AsyncSession, store_id: int) -> None:
        self.session = session
        self.store_id = store_id

    async def add(self, row: Row) -> Row:
        """Insert a row of this store and flush it (so it has an id)."""
        row.store_id = self.store_id
        self.session.add(row)
        await self.session.flush()
        return row

    # -- conversations
    async def conversation(self, public_id: str, *, lock: bool = False) -> Conversation | None:
        """A conversation of the store by its public id."""
        query = select(Conversation).where(
            Conversation.store_id == self.store_id, Conversation.public_id == public_id
        )
        if lock:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def conversation_by_id(self, conversation_id: int) -> Conversation | None:
        """A conversation of the store by its integer id."""
        return await self.session.scalar(
            select(Conversation).where(
                Conversation.store_id == self.store_id, Conversation.id == conversation_id
            )
        )

    async def conversation_or_raise(self, conversation_id: int) -> Conversation:
        """A conversation of the store by its integer id; raises if it is gone."""
        conversation = await self.conversation_by_id(conversation_id)
        if conversation is None:
            raise ConversationNotFound(str(conversation_id))
        return conversation

    async def conversations(
        self, *, customer_id: int | None = None, after_id: int = 0, limit: int = 50
    ) -> Sequence[Conversation]:
        """Conversations in id order, optionally of one customer."""
        query = select(Conversation).where(
            Conversation.store_id == self.store_id, Conversation.id > after_id
        )
        if customer_id is not None:
            query = query.where(Conversation.customer_id == customer_id)
        return (await self.session.scalars(query.order_by(Conversation.id).limit(limit))).all()

    # -- messages
    async def messages(
        self, conversation_id: int, *, after_id: int = 0, limit: int = 200
    ) -> Sequence[Message]:
        """Messages of a conversation in order, after `after_id`."""
        return (
            await self.session.scalars(
                select(Message)
                .where(
                    Message.store_id == self.store_id,
                    Message.conversation_id == conversation_id,
                    Message.id > after_id,
                )
                .order_by(Message.id)
                .limit(limit)
            )
        ).all()

    async def recent_messages(self, conversation_id: int, *, limit: int) -> list[Message]:
        """The last `limit` messages of a conversation, oldest first."""
        rows = (
            await self.session.scalars(
                select(Message)
                .where(
                    Message.store_id == self.store_id, Message.conversation_id == conversation_id
                )
                .order_by(Message.id.desc())
                .limit(limit)
            )
        ).all()
        return list(reversed(rows))

    async def message(self, conversation_id: int, message_id: int) -> Message | None:
        """One message of a conversation."""
        return await self.session.scalar(
            select(Message).where(
                Message.store_id == self.store_id,
                Message.conversation_id == conversation_id,
                Message.id == message_id,
            )
        )

    async def last_assistant_message(self, conversation_id: int) -> Message | None:
        """The latest reply of the assistant in a conversation."""
        return await self.session.scalar(
            select(Message)
            .where(
                Message.store_id == self.store_id,
                Message.conversation_id == conversation_id,
                Message.role == "assistant",
            )
            .order_by(Message.id.desc())
            .limit(1)
        )

    # -- proposals
    async def proposal(
        self, conversation_id: int, public_id: str, *, lock: bool = False
    ) -> Proposal | None:
        """A proposal of a conversation by its public id."""
        query = select(Proposal).where(
            Proposal.store_id == self.store_id,
            Proposal.conversation_id == conversation_id,
            Proposal.public_id == public_id,
        )
        if lock:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def open_proposals(self, conversation_id: int) -> Sequence[Proposal]:
        """Proposals of a conversation still waiting for an answer."""
        return (
            await self.session.scalars(
                select(Proposal)
                .where(
                    Proposal.store_id == self.store_id,
                    Proposal.conversation_id == conversation_id,
                    Proposal.status == "proposed",
                )
                .order_by(Proposal.id)
            )
        ).all()

    async def claim_proposal(self, proposal_id: int, *, status: str) -> bool:
        """Move a proposal out of `proposed` if it is still there; False if someone was first."""
        result = await self.session.execute(
            update(Proposal)
            .where(
                Proposal.store_id == self.store_id,
                Proposal.id == proposal_id,
                Proposal.status == "proposed",
            )
            .values(status=status, decided_at=utcnow(), updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    async def attach_proposals(self, public_ids: Sequence[str], message_id: int) -> None:
        """Record which reply showed these proposals."""
        if public_ids:
            await self.session.execute(
                update(Proposal)
                .where(Proposal.store_id == self.store_id, Proposal.public_id.in_(public_ids))
                .values(message_id=message_id)
                .execution_options(synchronize_session=False)
            )

    # -- feedback
    async def feedback(self, message_id: int) -> Feedback | None:
        """The feedback on one message."""
        return await self.session.scalar(
            select(Feedback).where(
                Feedback.store_id == self.store_id, Feedback.message_id == message_id
            )
        )

    # -- handoffs
    async def handoffs(
        self, *, status: str | None = None, after_id: int = 0, limit: int = 50
    ) -> Sequence[Handoff]:
        """Handoffs in id order, optionally in one status."""
        query = select(Handoff).where(Handoff.store_id == self.store_id, Handoff.id > after_id)
        if status is not None:
            query = query.where(Handoff.status == status)
        return (await self.session.scalars(query.order_by(Handoff.id).limit(limit))).all()

    async def handoff(self, handoff_id: int, *, lock: bool = False) -> Handoff | None:
        """One handoff of the store."""
        query = select(Handoff).where(Handoff.store_id == self.store_id, Handoff.id == handoff_id)
        if lock:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def open_handoff(self, conversation_id: int) -> Handoff | None:
        """The conversation's handoff that is not closed, if any."""
        return await self.session.scalar(
            select(Handoff)
            .where(
                Handoff.store_id == self.store_id,
                Handoff.conversation_id == conversation_id,
                Handoff.status != "closed",
            )
            .order_by(Handoff.id.desc())
            .limit(1)
        )

    # -- verification
    async def verification_attempts(self, conversation_id: int, since: dt.datetime) -> int:
        """How many verification attempts a conversation made since a time."""
        count = await self.session.scalar(
            select(func.count())
            .select_from(ShopperVerification)
            .where(
                ShopperVerification.store_id == self.store_id,
                ShopperVerification.conversation_id == conversation_id,
                ShopperVerification.created_at >= since,
            )
        )
        return int(count or 0)

    async def pending_code(self, conversation_id: int) -> ShopperVerification | None:
        """The latest one-time code sent in a conversation and not used up."""
        return await self.session.scalar(
            select(ShopperVerification)
            .where(
                ShopperVerification.store_id == self.store_id,
                ShopperVerification.conversation_id == conversation_id,
                ShopperVerification.method == "email_code",
                ShopperVerification.status == "pending",
            )
            .order_by(ShopperVerification.id.desc())
            .limit(1)
            .with_for_update()
        )

    # -- mail outbox
    async def outbox(
        self, *, to_address: str | None = None, limit: int = 20
    ) -> Sequence[OutboxMail]:
        """The latest kept mail of the store, newest first."""
        query = select(OutboxMail).where(OutboxMail.store_id == self.store_id)
        if to_address is not None:
            query = query.where(func.lower(OutboxMail.to_address) == to_address.lower())
        return (await self.session.scalars(query.order_by(OutboxMail.id.desc()).limit(limit))).all()

    # -- privacy
    async def conversations_of_customer(self, customer_id: int) -> Sequence[Conversation]:
        """Every conversation a customer was verified in."""
        return (
            await self.session.scalars(
                select(Conversation)
                .where(
                    Conversation.store_id == self.store_id, Conversation.customer_id == customer_id
                )
                .order_by(Conversation.id)
            )
        ).all()

    async def in_conversations(
        self,
        model: type[Message]
        | type[Proposal]
        | type[Feedback]
        | type[Handoff]
        | type[ShopperVerification],
        conversation_ids: Sequence[int],
    ) -> Sequence[Any]:
        """Rows of one kind that belong to some conversations, in id order."""
        if not conversation_ids:
            return []
        return (
            await self.session.scalars(
                select(model)
                .where(model.store_id == self.store_id, model.conversation_id.in_(conversation_ids))
                .order_by(model.id)
            )
        ).all()

    async def delete_conversations(self, conversation_ids: Sequence[int]) -> int:
        """Delete conversations with everything in them (messages, proposals, handoffs, …)."""
        if not conversation_ids:
            return 0
        for model in (Feedback, Proposal, Handoff, ShopperVerification, Message):
            await self.session.execute(
                delete(model).where(
                    model.store_id == self.store_id,
                    model.conversation_id.in_(conversation_ids),
                )
            )
        result = await self.session.execute(
            delete(Conversation).where(
                Conversation.store_id == self.store_id, Conversation.id.in_(conversation_ids)
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def idle_conversation_ids(self, before: dt.datetime, *, limit: int) -> list[int]:
        """Conversations with no activity since `before` (retention)."""
        rows = await self.session.scalars(
            select(Conversation.id)
            .where(Conversation.store_id == self.store_id, Conversation.last_activity_at < before)
            .order_by(Conversation.id)
            .limit(limit)
        )
        return list(rows)

    async def delete_outbox_to(self, address: str) -> int:
        """Delete kept mail to an address."""
        result = await self.session.execute(
            delete(OutboxMail).where(
                OutboxMail.store_id == self.store_id,
                func.lower(OutboxMail.to_address) == address.lower(),
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    # -- staff console
    def _matching(self, filters: ConversationFilter) -> Select[Conversation]:
        """Conversations of the store that pass the filters (unordered)."""
        query = select(Conversation).where(Conversation.store_id == self.store_id)
        f = filters
        if f.since is not None:
            query = query.where(Conversation.created_at >= f.since)
        if f.until is not None:
            query = query.where(Conversation.created_at < f.until)
        if f.status is not None:
            query = query.where(Conversation.status == f.status)
        if f.customer_id is not None:
            query = query.where(Conversation.customer_id == f.customer_id)

        def has(model: type[Message] | type[Handoff] | type[Feedback], *conditions: Any) -> Any:
            return exists().where(
                model.store_id == self.store_id,
                model.conversation_id == Conversation.id,
                *conditions,
            )

        if f.tool_names is not None:
            query = query.where(
                has(Message, Message.role == "tool", Message.tool_name.in_(f.tool_names))
            )
        if f.handed_off is not None:
            query = query.where(has(Handoff) if f.handed_off else ~has(Handoff))
        if f.rating == "none":
            query = query.where(~has(Feedback))
        elif f.rating is not None:
            query = query.where(has(Feedback, Feedback.rating == (1 if f.rating == "up" else -1)))
        if f.text:
            pattern = (
                "%"
                + f.text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                + "%"
            )
            query = query.where(
                has(
                    Message,
                    Message.role.in_(("user", "assistant", "staff")),
                    func.lower(Message.text).like(pattern, escape="\\"),
                )
            )
        return query

    async def find_conversations(
        self, filters: ConversationFilter, *, before_id: int | None, limit: int
    ) -> Sequence[Conversation]:
        """Conversations passing the filters, newest first, before `before_id`."""
        query = self._matching(filters)
        if before_id is not None:
            query = query.where(Conversation.id < before_id)
        return (
            await self.session.scalars(query.order_by(Conversation.id.desc()).limit(limit))
        ).all()

    async def count_conversations(self, filters: ConversationFilter) -> int:
        """How many conversations pass the filters."""
        inner = self._matching(filters).with_only_columns(Conversation.id).subquery()
        return int(await self.session.scalar(select(func.count()).select_from(inner)) or 0)

    async def tools_used(self, conversation_ids: Sequence[int]) -> list[tuple[int, str]]:
        """(conversation id, tool name) of every tool run in some conversations, in order."""
        if not conversation_ids:
            return []
        rows = await self.session.execute(
            select(Message.conversation_id, Message.tool_name)
            .where(
                Message.store_id == self.store_id,
                Message.conversation_id.in_(conversation_ids),
                Message.role == "tool",
            )
            .order_by(Message.id)
        )
        return [(int(c), str(name)) for c, name in rows.all() if name]

    async def first_shopper_messages(self, conversation_ids: Sequence[int]) -> dict[int, str]:
        """The first thing the shopper wrote in each of some conversations."""
        if not conversation_ids:
            return {}
        first = (
            select(func.min(Message.id))
            .where(
                Message.store_id == self.store_id,
                Message.conversation_id.in_(conversation_ids),
                Message.role == "user",
            )
            .group_by(Message.conversation_id)
        )
        rows = await self.session.execute(
            select(Message.conversation_id, Message.text).where(
                Message.store_id == self.store_id, Message.id.in_(first)
            )
        )
        return {int(c): text for c, text in rows.all()}

    async def handoff_counts(self) -> dict[str, int]:
        """Handoffs of the store by status."""
        rows = await self.session.execute(
            select(Handoff.status, func.count())
            .where(Handoff.store_id == self.store_id)
            .group_by(Handoff.status)
        )
        return {str(status): int(n) for status, n in rows.all()}
