"""How to call each route of the app on the one-of-everything store: path, body, parameters.

Routes that consume what they act on (deletes, confirmations, handoff replies, sign-out) get a
fresh resource for every caller, so each caller meets the same starting point. Order operations
are previewed (`preview=true`): the permission checks are the same and the order stays usable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from floorwalker.assistant.identity.tokens import issue_token
from floorwalker.connectors.models import Connection
from tests.security.world import STAFF_PASSWORD, Caller, World, sign_in

PREVIEW = {"preview": "true"}


@dataclass
class Call:
    """One request: the path with real ids, and what to send."""

    path: str
    json: Any = None
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    #: Replaces the caller's cookies (a fresh console session for sign-out).
    cookies: dict[str, str] | None = None


Maker = Callable[[World, Caller], Awaitable[Call]]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def _conv(w: World) -> dict[str, str]:
    return {"X-Conversation-Token": str(w.ids["conversation_token"])}


async def _webhook_token(w: World) -> str:
    async with w.db.reading() as s:
        token = await s.scalar(
            select(Connection.webhook_token).where(
                Connection.store_id == w.store.id, Connection.name == w.ids["connection"]
            )
        )
    assert token is not None
    return str(token)


async def _fresh_session(w: World, caller: Caller) -> dict[str, str] | None:
    if caller.csrf is None:
        return None
    # A staff caller's name is their e-mail; sign-out ends a session of its own.
    return (await sign_in(w.live, w.store, caller.name)).cookies


def _product_body(w: World) -> dict[str, Any]:
    handle = w.unique("sec-new-")
    return {
        "handle": handle,
        "title": "New Shirt",
        "option_names": ["size"],
        "variants": [{"sku": w.unique("SEC-NEW-"), "options": {"size": "S"}, "price": 1000}],
    }


def _order_body(w: World) -> dict[str, Any]:
    return {
        "number": w.unique("#SEC"),
        "customer_id": w.shop.customer.id,
        "lines": [{"sku": w.shop.m_blue.sku, "quantity": 1, "unit_price": 4500}],
    }


def _conversation_call(suffix: str = "", body: Callable[[World], Any] | None = None) -> Maker:
    async def make(w: World, _c: Caller) -> Call:
        return Call(
            f"/v1/conversations/{w.ids['conversation']}{suffix}",
            json=body(w) if body else None,
            headers=_conv(w),
        )

    return make


def _proposal_call(answer: str) -> Maker:
    async def make(w: World, _c: Caller) -> Call:
        public_id, token, proposal = await w.new_proposal()
        return Call(
            f"/v1/conversations/{public_id}/proposals/{proposal}/{answer}",
            headers={"X-Conversation-Token": token},
        )

    return make


def _fresh_conversation_call(suffix: str, body: Callable[[World], Any] | None = None) -> Maker:
    async def make(w: World, _c: Caller) -> Call:
        public_id, token = await w.new_conversation()
        return Call(
            f"/v1/conversations/{public_id}{suffix}",
            json=body(w) if body else None,
            params={"stream": "false"} if suffix == "/messages" else {},
            headers={"X-Conversation-Token": token},
        )

    return make


def _fresh(path: str, resource: str, json: Any = None) -> Maker:
    async def make(w: World, _c: Caller) -> Call:
        made = await getattr(w, f"new_{resource}")()
        return Call(path.format(id=made), json=json)

    return make


def _values(w: World) -> dict[str, Any]:
    values = {k: v for k, v in w.ids.items() if isinstance(v, int | str)}
    return {**values, "slug": w.store.slug}


def _static(path: str, params: dict[str, str] | None = None) -> Maker:
    async def make(w: World, _c: Caller) -> Call:
        values = _values(w)
        filled = {k: v.format(**values) for k, v in (params or {}).items()}
        return Call(path.format(**values), params=filled)

    return make


def _body(path: str, body: Callable[[World], Any], params: dict[str, str] | None = None) -> Maker:
    async def make(w: World, c: Caller) -> Call:
        call = await _static(path, params)(w, c)
        call.json = body(w)
        return call

    return make


def _verified_conversation_call(suffix: str, body: Callable[[World], Any] | None = None) -> Maker:
    async def make(w: World, _c: Caller) -> Call:
        public_id, token = await w.new_conversation(verified=True)
        return Call(
            f"/v1/conversations/{public_id}{suffix}",
            json=body(w) if body else None,
            headers={"X-Conversation-Token": token},
        )

    return make


async def _erase(w: World, _c: Caller) -> Call:
    customer, email = await w.new_customer_with_email()
    return Call(f"/v1/customers/{customer}/erase", json={"confirm": email})


async def _rec_rule(w: World, _c: Caller) -> Call:
    product = await w.new_product()
    return Call("/v1/recommendations/rules", json={"product_id": product, "kind": "block"})


async def _stock_rule(w: World, _c: Caller) -> Call:
    category = await w.new_category()
    return Call(
        "/v1/insights/stock-rules", json={"category_id": category, "low_stock_threshold": 2}
    )


async def _sign_out(w: World, caller: Caller) -> Call:
    return Call("/v1/staff/sign-out", cookies=await _fresh_session(w, caller))


async def _sign_in_call(w: World, _c: Caller) -> Call:
    _id, email = await w.new_staff_member()
    return Call(
        "/v1/staff/sign-in",
        json={"store": w.store.slug, "email": email, "password": STAFF_PASSWORD},
    )


async def _webhook(w: World, _c: Caller) -> Call:
    return Call(f"/v1/webhooks/shopify/{await _webhook_token(w)}", json={"id": 1})


async def _verify(w: World, _c: Caller) -> Call:
    public_id, token = await w.new_conversation()
    identity = issue_token(
        secret=w.identity_secret, audience=w.store.slug, subject=f"fw:{w.shop.customer.id}"
    )
    return Call(
        f"/v1/conversations/{public_id}/verify",
        json={"identity_token": identity},
        headers={"X-Conversation-Token": token},
    )


def _level(w: World) -> dict[str, Any]:
    return {"variant_id": w.shop.m_blue.id, "location_id": w.shop.location.id, "on_hand": 5}


def _event(w: World) -> dict[str, Any]:
    return {
        "events": [
            {"id": w.unique("ev-"), "type": "page_view", "timestamp": _now(), "session_id": "s1"}
        ]
    }


def _address() -> dict[str, Any]:
    return {"address": {"line1": "1 Park Row", "city": "Leeds", "country": "GB"}}


def _staff_body(w: World) -> dict[str, Any]:
    return {"email": f"{w.unique('new')}@shop.example", "role": "agent", "password": "x" * 12}


#: How to call each route; routes left out are called at their path with store A's ids.
CALLS: dict[tuple[str, str], Maker] = {
    ("PATCH", "/v1/store"): _body("/v1/store", lambda w: {"name": "Test Store"}),
    ("POST", "/v1/keys"): _body("/v1/keys", lambda w: {"name": w.unique("k-")}),
    ("DELETE", "/v1/keys/{key_id}"): _fresh("/v1/keys/{id}", "key"),
    ("POST", "/v1/staff/sign-in"): _sign_in_call,
    ("POST", "/v1/staff/sign-out"): _sign_out,
    ("POST", "/v1/staff"): _body("/v1/staff", _staff_body),
    ("DELETE", "/v1/staff/{user_id}"): _fresh("/v1/staff/{id}", "staff"),
    ("POST", "/v1/events"): _body("/v1/events", _event),
    ("GET", "/v1/search"): _static("/v1/search", params={"q": "shirt"}),
    ("GET", "/v1/search/parse"): _static("/v1/search/parse", params={"q": "red shirt"}),
    ("POST", "/v1/search/synonyms"): _body(
        "/v1/search/synonyms", lambda w: {"terms": [w.unique("tee"), "t-shirt"]}
    ),
    ("PUT", "/v1/search/synonyms/{rule_id}"): _body(
        "/v1/search/synonyms/{synonym_id}", lambda w: {"terms": ["jumper", "sweater"]}
    ),
    ("DELETE", "/v1/search/synonyms/{rule_id}"): _fresh("/v1/search/synonyms/{id}", "synonym"),
    ("POST", "/v1/products"): _body("/v1/products", _product_body),
    ("PATCH", "/v1/products/{product_id}"): _body(
        "/v1/products/{product_id}", lambda w: {"title": "Linen Shirt"}
    ),
    ("POST", "/v1/products/batch"): _body(
        "/v1/products/batch", lambda w: {"records": [_product_body(w)]}
    ),
    ("DELETE", "/v1/products/{product_id}"): _fresh("/v1/products/{id}", "product"),
    ("POST", "/v1/categories"): _body(
        "/v1/categories", lambda w: {"name": "Hats", "slug": w.unique("hats-")}
    ),
    ("POST", "/v1/categories/batch"): _body(
        "/v1/categories/batch", lambda w: {"records": [{"name": "Caps", "slug": w.unique("c-")}]}
    ),
    ("DELETE", "/v1/categories/{category_id}"): _fresh("/v1/categories/{id}", "category"),
    ("POST", "/v1/brands"): _body(
        "/v1/brands", lambda w: {"name": "Acme", "slug": w.unique("acme-")}
    ),
    ("POST", "/v1/brands/batch"): _body(
        "/v1/brands/batch", lambda w: {"records": [{"name": "Zed", "slug": w.unique("zed-")}]}
    ),
    ("DELETE", "/v1/brands/{brand_id}"): _fresh("/v1/brands/{id}", "brand"),
    ("POST", "/v1/locations"): _body(
        "/v1/locations", lambda w: {"code": w.unique("L"), "name": "Shop floor"}
    ),
    ("POST", "/v1/locations/batch"): _body(
        "/v1/locations/batch", lambda w: {"records": [{"code": w.unique("B"), "name": "Back"}]}
    ),
    ("DELETE", "/v1/locations/{location_id}"): _fresh("/v1/locations/{id}", "location"),
    ("POST", "/v1/inventory/levels"): _body("/v1/inventory/levels", _level),
    ("POST", "/v1/inventory/levels/batch"): _body(
        "/v1/inventory/levels/batch", lambda w: {"records": [_level(w)]}
    ),
    ("POST", "/v1/customers"): _body(
        "/v1/customers", lambda w: {"email": f"{w.unique('new-customer')}@example.com"}
    ),
    ("PATCH", "/v1/customers/{customer_id}"): _body(
        "/v1/customers/{customer_id}", lambda w: {"first_name": "Ada"}
    ),
    ("POST", "/v1/customers/batch"): _body(
        "/v1/customers/batch",
        lambda w: {"records": [{"email": f"{w.unique('batch')}@example.com"}]},
    ),
    ("DELETE", "/v1/customers/{customer_id}"): _fresh("/v1/customers/{id}", "customer"),
    ("PUT", "/v1/customers/{customer_id}/consent/{purpose}"): _body(
        "/v1/customers/{customer_id}/consent/analytics", lambda w: {"granted": True}
    ),
    ("PATCH", "/v1/customers/{customer_id}/preferences"): _body(
        "/v1/customers/{customer_id}/preferences", lambda w: {"colours": ["blue"]}
    ),
    ("POST", "/v1/customers/{customer_id}/default-address"): _body(
        "/v1/customers/{customer_id}/default-address", lambda w: _address(), params=PREVIEW
    ),
    ("POST", "/v1/articles"): _body(
        "/v1/articles",
        lambda w: {"kind": "faq", "slug": w.unique("faq-"), "title": "Q", "body": "A"},
    ),
    ("PATCH", "/v1/articles/{article_id}"): _body(
        "/v1/articles/{article_id}", lambda w: {"title": "Returns"}
    ),
    ("POST", "/v1/articles/batch"): _body(
        "/v1/articles/batch",
        lambda w: {
            "records": [{"kind": "page", "slug": w.unique("p-"), "title": "T", "body": "B"}]
        },
    ),
    ("DELETE", "/v1/articles/{article_id}"): _fresh("/v1/articles/{id}", "article"),
    ("POST", "/v1/orders"): _body("/v1/orders", _order_body),
    ("POST", "/v1/orders/batch"): _body(
        "/v1/orders/batch", lambda w: {"records": [_order_body(w)]}
    ),
    ("POST", "/v1/orders/{order_id}/cancel"): _body(
        "/v1/orders/{order_id}/cancel", lambda w: {"reason": "no longer needed"}, params=PREVIEW
    ),
    ("POST", "/v1/orders/{order_id}/modify-address"): _body(
        "/v1/orders/{order_id}/modify-address", lambda w: _address(), params=PREVIEW
    ),
    ("POST", "/v1/orders/{order_id}/modify-payment"): _body(
        "/v1/orders/{order_id}/modify-payment",
        lambda w: {"payment_method_id": w.shop.paypal.id},
        params=PREVIEW,
    ),
    ("POST", "/v1/orders/{order_id}/modify-items"): _body(
        "/v1/orders/{order_id}/modify-items",
        lambda w: {
            "items": [{"line_id": w.ids["pending_line_id"], "variant_id": w.shop.m_white.id}]
        },
        params=PREVIEW,
    ),
    ("POST", "/v1/orders/{order_id}/returns"): _body(
        "/v1/orders/{returnable_order_id}/returns",
        lambda w: {"items": [{"line_id": w.ids["returnable_line_id"], "quantity": 1}]},
        params=PREVIEW,
    ),
    ("POST", "/v1/orders/{order_id}/exchanges"): _body(
        "/v1/orders/{returnable_order_id}/exchanges",
        lambda w: {
            "items": [{"line_id": w.ids["returnable_line_id"], "variant_id": w.shop.m_white.id}]
        },
        params=PREVIEW,
    ),
    ("POST", "/v1/orders/{order_id}/returns/{return_id}/complete"): _body(
        "/v1/orders/{delivered_order_id}/returns/{return_id}/complete",
        lambda w: {"location_id": w.shop.location.id},
        params=PREVIEW,
    ),
    ("POST", "/v1/orders/{order_id}/exchanges/{exchange_id}/complete"): _static(
        "/v1/orders/{exchange_order_id}/exchanges/{exchange_id}/complete", params=PREVIEW
    ),
    ("POST", "/v1/conversations"): _body("/v1/conversations", lambda w: {}),
    ("GET", "/v1/conversations/{conversation_id}"): _conversation_call(),
    ("GET", "/v1/conversations/{conversation_id}/messages"): _conversation_call("/messages"),
    ("GET", "/v1/conversations/{conversation_id}/events"): _conversation_call("/events"),
    ("POST", "/v1/conversations/{conversation_id}/messages"): _fresh_conversation_call(
        "/messages", lambda w: {"text": "hello"}
    ),
    ("POST", "/v1/conversations/{conversation_id}/proposals/{proposal_id}/confirm"): (
        _proposal_call("confirm")
    ),
    ("POST", "/v1/conversations/{conversation_id}/proposals/{proposal_id}/decline"): (
        _proposal_call("decline")
    ),
    ("POST", "/v1/conversations/{conversation_id}/feedback"): _conversation_call(
        "/feedback", lambda w: {"message_id": w.ids["message_id"], "rating": "up"}
    ),
    ("POST", "/v1/conversations/{conversation_id}/verify"): _verify,
    ("POST", "/v1/conversations/{conversation_id}/handoff"): _fresh_conversation_call("/handoff"),
    ("POST", "/v1/handoffs/{handoff_id}/take"): _fresh("/v1/handoffs/{id}/take", "handoff"),
    ("POST", "/v1/handoffs/{handoff_id}/reply"): _fresh(
        "/v1/handoffs/{id}/reply", "handoff", json={"text": "Hello, this is Sam."}
    ),
    ("POST", "/v1/handoffs/{handoff_id}/hand-back"): _fresh(
        "/v1/handoffs/{id}/hand-back", "handoff"
    ),
    ("POST", "/v1/store/identity-secret"): _body(
        "/v1/store/identity-secret", lambda w: {"secret": w.identity_secret}
    ),
    ("GET", "/v1/recommendations"): _static("/v1/recommendations", params={"surface": "for_you"}),
    ("POST", "/v1/recommendations/rules"): _rec_rule,
    ("DELETE", "/v1/recommendations/rules/{rule_id}"): _fresh(
        "/v1/recommendations/rules/{id}", "rec_rule"
    ),
    ("POST", "/v1/connections"): _body(
        "/v1/connections",
        lambda w: {
            "platform": "shopify",
            "name": (name := w.unique("shop-")),
            "source": name,
            "base_url": w.ids["shopify_url"],
            "credentials": {"access_token": "shpat_x"},
        },
    ),
    ("GET", "/v1/connections/{ref}"): _static("/v1/connections/{connection}"),
    ("PATCH", "/v1/connections/{ref}"): _body(
        "/v1/connections/{connection}", lambda w: {"settings": {"timeout": 5}}
    ),
    ("DELETE", "/v1/connections/{ref}"): _fresh("/v1/connections/{id}", "connection"),
    ("POST", "/v1/connections/{ref}/sync"): _body(
        "/v1/connections/{connection}/sync", lambda w: {"resources": ["locations"]}
    ),
    ("POST", "/v1/dead-letters/{letter_id}/replay"): _fresh(
        "/v1/dead-letters/{id}/replay", "dead_letter"
    ),
    ("POST", "/v1/dead-letters/{letter_id}/discard"): _fresh(
        "/v1/dead-letters/{id}/discard", "dead_letter"
    ),
    ("POST", "/v1/webhook-endpoints"): _body(
        "/v1/webhook-endpoints", lambda w: {"url": "https://hooks.shop.example/new"}
    ),
    ("PATCH", "/v1/webhook-endpoints/{endpoint_id}"): _body(
        "/v1/webhook-endpoints/{endpoint_id}", lambda w: {"description": "handoffs"}
    ),
    ("DELETE", "/v1/webhook-endpoints/{endpoint_id}"): _fresh(
        "/v1/webhook-endpoints/{id}", "endpoint"
    ),
    ("POST", "/v1/webhooks/{platform}/{token}"): _webhook,
    ("POST", "/v1/deliveries/{delivery_id}/retry"): _fresh(
        "/v1/deliveries/{id}/retry", "failed_delivery"
    ),
    ("POST", "/v1/insights/stock-rules"): _stock_rule,
    ("PATCH", "/v1/insights/stock-rules/{rule_id}"): _body(
        "/v1/insights/stock-rules/{stock_rule_id}", lambda w: {"low_stock_threshold": 4}
    ),
    ("DELETE", "/v1/insights/stock-rules/{rule_id}"): _fresh(
        "/v1/insights/stock-rules/{id}", "stock_rule"
    ),
    ("POST", "/v1/insights/lost-demand"): _body(
        "/v1/insights/lost-demand",
        lambda w: {"signals": [{"ref": w.unique("r"), "reason": "out_of_stock", "phrase": "x"}]},
    ),
    ("GET", "/v1/console/conversations/{conversation_id}"): _static(
        "/v1/console/conversations/{conversation}"
    ),
    ("PUT", "/v1/customers/{customer_id}/consent"): _body(
        "/v1/customers/{customer_id}/consent", lambda w: {"analytics": True}
    ),
    ("GET", "/v1/conversations/{conversation_id}/consent"): _verified_conversation_call("/consent"),
    ("PUT", "/v1/conversations/{conversation_id}/consent"): _verified_conversation_call(
        "/consent", lambda w: {"marketing": False}
    ),
    ("POST", "/v1/customers/{customer_id}/erase"): _erase,
    ("PATCH", "/v1/privacy/settings"): _body(
        "/v1/privacy/settings", lambda w: {"event_retention_days": 730}
    ),
    ("POST", "/v1/privacy/requests/{request_id}/answer"): _fresh(
        "/v1/privacy/requests/{id}/answer", "privacy_request"
    ),
    ("GET", "/demo/products/{handle}"): _static("/demo/products/linen"),
    ("GET", "/demo/cart/{items}"): _static("/demo/cart/{variant_id}:1"),
    ("GET", "/static/demo/{icon}/{colour}.svg"): _static("/static/demo/shirt/navy.svg"),
    ("GET", "/v1/insights/forecasts/{variant_id}"): _fresh(
        "/v1/insights/forecasts/{id}", "forecast"
    ),
    ("POST", "/demo/api/session"): _static("/demo/api/session", params={"store": "{slug}"}),
    ("POST", "/demo/api/identity"): _body(
        "/demo/api/identity", lambda w: {"person": "ada"}, params={"store": "{slug}"}
    ),
    ("GET", "/demo/api/products/{handle}"): _static(
        "/demo/api/products/linen", params={"store": "{slug}"}
    ),
    ("GET", "/demo/api/cart"): _static(
        "/demo/api/cart", params={"store": "{slug}", "items": "1:1"}
    ),
    ("GET", "/static"): _static("/static/widget/widget.css"),
}
