"""Conversation analytics: volume, automated resolution, handoffs, satisfaction, topics."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.insights.analytics import queries
from floorwalker.insights.analytics.common import period_read, rate
from floorwalker.insights.analytics.schemas import (
    ConversationDay,
    ConversationReport,
    Count,
    Resolution,
    Satisfaction,
    Topic,
    TopicReport,
)
from floorwalker.insights.periods import Period
from floorwalker.kit.clock import utcnow

#: A conversation can still be reopened until it has been quiet this long.
SETTLE_AFTER = dt.timedelta(hours=72)
#: A shopper message after a pause this long reopens the conversation.
REOPEN_GAP = dt.timedelta(minutes=30)
#: What the assistant was asked to do, from the tools it used.
TOPICS: dict[str, tuple[str, str]] = {
    "search_products": ("product_search", "Product search"),
    "search_help": ("product_search", "Product search"),
    "product_details": ("product_questions", "Product questions"),
    "check_availability": ("product_questions", "Product questions"),
    "compare_products": ("comparison", "Comparisons"),
    "recommend_products": ("recommendations", "Recommendations"),
    "view_cart": ("cart", "Cart"),
    "add_to_cart": ("cart", "Cart"),
    "remove_from_cart": ("cart", "Cart"),
    "checkout_link": ("cart", "Cart"),
    "list_orders": ("order_status", "Order status and tracking"),
    "order_details": ("order_status", "Order status and tracking"),
    "cancel_order": ("cancellation", "Cancellations"),
    "change_order_address": ("order_changes", "Order changes"),
    "change_order_payment": ("order_changes", "Order changes"),
    "change_order_items": ("order_changes", "Order changes"),
    "list_payment_methods": ("order_changes", "Order changes"),
    "update_default_address": ("order_changes", "Order changes"),
    "return_items": ("returns", "Returns and exchanges"),
    "exchange_items": ("returns", "Returns and exchanges"),
    "store_policy": ("policies", "Policies and FAQ"),
    "verify_with_order": ("verification", "Identity checks"),
    "send_verification_code": ("verification", "Identity checks"),
    "check_verification_code": ("verification", "Identity checks"),
    "remember_preferences": ("preferences", "Stated preferences"),
    "request_human": ("human", "Asked for a person"),
}


def _counts(counter: Counter[str]) -> list[Count]:
    return [
        Count(key=k, count=v) for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


async def conversation_report(
    session: AsyncSession, store_id: int, *, period: Period, now: dt.datetime | None = None
) -> ConversationReport:
    """Conversations started in the period (see Resolution for the resolution definition)."""
    now = now or utcnow()
    rows = await queries.conversations(session, store_id, since=period.since, until=period.until)
    ids = [r.id for r in rows]
    messages = await queries.messages(session, store_id, ids)
    handoffs = await queries.handoffs(session, store_id, ids)
    ratings = await queries.feedback(session, store_id, ids)

    answered: set[int] = set()
    reopened: set[int] = set()
    from_shoppers = 0
    previous: dict[int, dt.datetime] = {}
    for m in messages:
        if m.role == "assistant":
            answered.add(m.conversation_id)
        if m.role == "user":
            from_shoppers += 1
            before = previous.get(m.conversation_id)
            if before is not None and m.created_at - before >= REOPEN_GAP:
                reopened.add(m.conversation_id)
        previous[m.conversation_id] = m.created_at
    handed = {c for c, _, _ in handoffs}
    settled = {
        r.id for r in rows if r.status == "closed" or now - r.last_activity_at >= SETTLE_AFTER
    }
    resolved = {c for c in settled if c in answered and c not in handed and c not in reopened}

    # every day of the period appears, quiet ones with zeros
    days = {period.start + dt.timedelta(days=i): [0, 0, 0] for i in range(period.days)}
    for r in rows:
        counts = days.setdefault(period.local_date(r.created_at), [0, 0, 0])
        counts[0] += 1
        counts[1] += r.id in handed
        counts[2] += r.id in resolved

    helpful = sum(1 for _, rating in ratings if rating > 0)
    not_helpful = sum(1 for _, rating in ratings if rating < 0)
    return ConversationReport(
        period=period_read(period),
        conversations=len(rows),
        answered=len(answered),
        messages_from_shoppers=from_shoppers,
        by_channel=_counts(Counter(r.channel for r in rows)),
        by_status=_counts(Counter(r.status for r in rows)),
        handed_off=len(handed),
        handoff_rate=rate(len(handed), len(rows)),
        handoff_reasons=_counts(Counter(reason for _, reason, _ in handoffs)),
        resolution=Resolution(
            settled=len(settled),
            resolved_automatically=len(resolved),
            pending=len(rows) - len(settled),
            rate=rate(len(resolved), len(settled)),
        ),
        satisfaction=Satisfaction(
            helpful=helpful,
            not_helpful=not_helpful,
            rate=rate(helpful, helpful + not_helpful),
            conversations_with_feedback=len({c for c, _ in ratings}),
        ),
        prompt_tokens=sum(r.prompt_tokens for r in rows),
        completion_tokens=sum(r.completion_tokens for r in rows),
        days=[
            ConversationDay(
                date=d, conversations=c[0], handed_off=c[1], resolved_automatically=c[2]
            )
            for d, c in sorted(days.items())
        ],
    )


async def topic_report(
    session: AsyncSession, store_id: int, *, period: Period, limit: int = 20
) -> TopicReport:
    """Topics (from the tools the assistant used) and intents (when the assistant records them
    as `intent` in a message's content) of the conversations started in the period."""
    rows = await queries.conversations(session, store_id, since=period.since, until=period.until)
    messages = await queries.messages(session, store_id, [r.id for r in rows])
    topic_uses: Counter[str] = Counter()
    topic_conversations: dict[str, set[int]] = defaultdict(set)
    labels: dict[str, str] = {}
    intent_uses: Counter[str] = Counter()
    intent_conversations: dict[str, set[int]] = defaultdict(set)
    for m in messages:
        if m.role == "assistant":
            for call in m.tool_calls:
                name = str(call.get("name") or "")
                if not name:
                    continue
                key, label = TOPICS.get(name, (name, name.replace("_", " ").capitalize()))
                labels[key] = label
                topic_uses[key] += 1
                topic_conversations[key].add(m.conversation_id)
        intent = m.content.get("intent") if m.role in ("user", "assistant") else None
        if isinstance(intent, str) and intent:
            intent_uses[intent] += 1
            intent_conversations[intent].add(m.conversation_id)

    def ranked(
        uses: Counter[str], convs: dict[str, set[int]], names: dict[str, str]
    ) -> list[Topic]:
        items = [
            Topic(
                key=k, label=names.get(k, k.replace("_", " ")), conversations=len(convs[k]), uses=n
            )
            for k, n in uses.items()
        ]
        return sorted(items, key=lambda t: (-t.conversations, -t.uses, t.key))[:limit]

    return TopicReport(
        period=period_read(period),
        conversations=len(rows),
        topics=ranked(topic_uses, topic_conversations, labels),
        intents=ranked(intent_uses, intent_conversations, {}),
    )
