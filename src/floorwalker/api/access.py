"""Audit of access to customer data: every successful read of a customer, their orders, their
conversations and transcripts, their events or consent by staff or an API key is recorded.

One dependency on the whole `/v1` router looks the matched route up in `ACCESS_RULES` after the
route returned, and appends an audit entry (actor, action, subject; the names of the filters
used, never their values) in its own short transaction before the response goes out. Shoppers
reading their own conversation are not staff access and are not recorded. A route that reads
customer data must be listed here: `tests/privacy/test_access_audit.py` checks the list.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from fastapi import Request

from floorwalker.api.deps import get_database
from floorwalker.audit import service as audit_service
from floorwalker.kit.actor import Actor, ActorKind, Scope

#: Query parameters that only page through results; they are not worth recording.
_PAGING = frozenset({"cursor", "limit", "after", "before"})


@dataclass(frozen=True)
class AccessRule:
    """How a read is recorded: the action, and where its subject comes from."""

    action: str
    subject_type: str
    #: The path parameter naming the subject (None: a list, see `query_param`).
    path_param: str | None = None
    #: For lists: a query parameter that narrows them to one customer (recorded as subject).
    query_param: str | None = None


#: GET routes (path templates) that read customer data, and how each read is recorded.
ACCESS_RULES: dict[str, AccessRule] = {
    "/v1/customers": AccessRule("customer.list", "customers"),
    "/v1/customers/{customer_id}": AccessRule("customer.read", "customer", "customer_id"),
    "/v1/customers/{customer_id}/consent": AccessRule(
        "customer.read_consent", "customer", "customer_id"
    ),
    "/v1/customers/{customer_id}/erasure": AccessRule(
        "customer.read_erasure_preview", "customer", "customer_id"
    ),
    "/v1/orders": AccessRule("order.list", "orders", query_param="customer_id"),
    "/v1/orders/{order_id}": AccessRule("order.read", "order", "order_id"),
    "/v1/events": AccessRule("event.list", "events", query_param="customer_id"),
    "/v1/conversations/{conversation_id}": AccessRule(
        "conversation.read", "conversation", "conversation_id"
    ),
    "/v1/conversations/{conversation_id}/messages": AccessRule(
        "conversation.read_transcript", "conversation", "conversation_id"
    ),
    "/v1/conversations/{conversation_id}/events": AccessRule(
        "conversation.follow", "conversation", "conversation_id"
    ),
    "/v1/conversations/{conversation_id}/consent": AccessRule(
        "customer.read_consent", "conversation", "conversation_id"
    ),
    "/v1/console/conversations": AccessRule(
        "conversation.list", "conversations", query_param="customer_id"
    ),
    "/v1/console/conversations/{conversation_id}": AccessRule(
        "conversation.read_transcript", "conversation", "conversation_id"
    ),
    "/v1/handoffs": AccessRule("handoff.list", "handoffs"),
    "/v1/handoffs/events": AccessRule("handoff.follow", "handoffs"),
    "/v1/handoffs/{handoff_id}": AccessRule("handoff.read", "handoff", "handoff_id"),
    "/v1/mail/outbox": AccessRule("mail.read", "mail"),
    "/v1/insights/segments": AccessRule("customer.read_segments", "customers"),
}

#: GET routes that touch customer data but record their reads themselves (with a receipt).
SELF_AUDITED = frozenset({"/v1/customers/{customer_id}/export", "/v1/audit/export"})


def is_back_office(actor: Actor | None) -> bool:
    """Staff and API keys that can read are back-office callers; widget keys and shoppers
    reading their own conversation are not."""
    if actor is None or actor.kind not in {ActorKind.STAFF, ActorKind.API_KEY}:
        return False
    return actor.has_scope(Scope.READ)


def subject_of(rule: AccessRule, request: Request) -> tuple[str, str]:
    """The (subject type, subject id) a read is about."""
    if rule.path_param is not None:
        return rule.subject_type, str(request.path_params.get(rule.path_param, ""))[:64]
    narrowed = request.query_params.get(rule.query_param) if rule.query_param else None
    if narrowed:
        return "customer", narrowed[:64]
    return rule.subject_type, "*"


def route_template(request: Request) -> str | None:
    """The full path template of the matched route, e.g. `/v1/customers/{customer_id}`.

    A route included through routers knows only its own part of the path; the prefixes are
    the URL's segments before it (path parameters never contain a slash here).
    """
    own = getattr(request.scope.get("route"), "path", None)
    if not isinstance(own, str):
        return None
    segments = request.url.path.rstrip("/").split("/")
    depth = len(own.rstrip("/").split("/")) - 1
    return "/".join(segments[: len(segments) - depth]) + own


async def audit_access(request: Request) -> AsyncIterator[None]:
    """Record a successful back-office read of customer data (see the module doc)."""
    yield
    if request.method != "GET":
        return
    path = route_template(request)
    rule = ACCESS_RULES.get(path) if path is not None else None
    actor: Actor | None = getattr(request.state, "actor", None)
    if rule is None or actor is None or not is_back_office(actor):
        return
    subject_type, subject_id = subject_of(rule, request)
    filters = sorted({name for name in request.query_params if name not in _PAGING})
    async with get_database(request).transaction() as session:
        await audit_service.record(
            session,
            actor,
            action=rule.action,
            subject_type=subject_type,
            subject_id=subject_id,
            data={"route": path, "filters": filters} if filters else {"route": path},
        )
