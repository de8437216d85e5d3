"""A store with one of everything, the callers of every kind, and fresh resources on demand.

The route matrix calls every route of the app with the real ids of this store's resources, so
"another store's admin" is shown to get "not found" (never "forbidden", never data) and each of
the store's own callers gets exactly what its scope or role allows.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import select

from floorwalker.assistant import proposals as proposal_rules
from floorwalker.assistant import service as assistant_service
from floorwalker.assistant.identity.tokens import issue_token
from floorwalker.assistant.models import Conversation
from floorwalker.assistant.runtime import Runtime
from floorwalker.assistant.schemas import ConversationStart
from floorwalker.auth.schemas import KeyKind
from floorwalker.config import Settings
from floorwalker.connectors.models import Connection, DeadLetter, Delivery, PrivacyRequest
from floorwalker.insights.models import DemandForecast, ForecastRun
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.models import metadata
from floorwalker.orders.models import OrderLine
from floorwalker.stores import service as store_service
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer
from tests.orders.shop import Shop, build_shop, place_order

ALLOWED_ORIGIN = "https://shop.example"
EVIL_ORIGIN = "https://evil.example"
STAFF_PASSWORD = "correct horse battery staple"

#: Every kind of caller, in the order of the matrix's columns.
CREDENTIALS = (
    "none",  # no credentials at all
    "pub",  # the store's publishable widget key, from an allowed origin
    "read",  # secret key, read scope
    "write",  # secret key, write scope (an integration)
    "admin",  # secret key, admin scope
    "owner",  # console session of an owner (with its CSRF token)
    "sadmin",  # console session of an admin
    "agent",  # console session of an agent
    "analyst",  # console session of an analyst
    "other",  # another store's admin key
)
ROLES = ("owner", "sadmin", "agent", "analyst")
_seq = itertools.count(1)

#: Tables whose rows are not "the store's data" for the nothing-changed checks: the audit log
#: (access to customer data is audited, even when it is only read) and rate-limit bookkeeping.
UNWATCHED_TABLES = frozenset({"audit_entries"})


@dataclass
class Caller:
    """How one kind of caller authenticates: headers and cookies."""

    name: str
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str | None = None


@dataclass
class World:
    """Store A with one of everything, the callers, and the means to make more."""

    db: Database
    settings: Settings
    runtime: Runtime
    live: LiveServer
    shop: Shop
    other_store: Store
    callers: dict[str, Caller]
    ids: dict[str, Any]
    admin: httpx.AsyncClient
    identity_secret: str
    #: Strings only store A's data contains (slug, e-mails, SKUs, handles, order numbers).
    markers: set[str] = field(default_factory=set)

    @property
    def store(self) -> Store:
        """Store A."""
        return self.shop.store

    def unique(self, prefix: str) -> str:
        """A value unique within the run."""
        return f"{prefix}{next(_seq)}"

    async def post(self, path: str, body: Any = None, **kwargs: Any) -> dict[str, Any]:
        """POST as store A's admin; the JSON answer (fails the test on an error)."""
        response = await self.admin.post(path, json=body, **kwargs)
        assert response.status_code < 300, f"{path}: {response.status_code} {response.text}"
        data: dict[str, Any] = response.json() if response.content else {}
        return data

    async def post_id(self, path: str, body: Any) -> int:
        """POST as store A's admin; the id of what was made (upserts nest the record)."""
        data = await self.post(path, body)
        if "id" in data:
            return int(data["id"])
        [nested] = [v for v in data.values() if isinstance(v, dict) and "id" in v]
        return int(nested["id"])

    # -- fresh resources, for routes that consume what they act on ------------------------

    async def new_product(self) -> int:
        """A new product of store A."""
        handle = self.unique("sec-product-")
        self.markers.add(handle)
        body = {
            "handle": handle,
            "title": "Spare Shirt",
            "option_names": ["size"],
            "variants": [{"sku": self.unique("SEC-SKU-"), "options": {"size": "M"}, "price": 900}],
        }
        return await self.post_id("/v1/products", body)

    async def new_category(self) -> int:
        """A new category of store A."""
        slug = self.unique("sec-cat-")
        return await self.post_id("/v1/categories", {"name": slug, "slug": slug})

    async def new_brand(self) -> int:
        """A new brand of store A."""
        slug = self.unique("sec-brand-")
        return await self.post_id("/v1/brands", {"name": slug, "slug": slug})

    async def new_location(self) -> int:
        """A new (empty) location of store A."""
        code = self.unique("LOC")
        return await self.post_id("/v1/locations", {"code": code, "name": code})

    async def new_customer(self) -> int:
        """A new customer of store A."""
        return (await self.new_customer_with_email())[0]

    async def new_customer_with_email(self) -> tuple[int, str]:
        """A new customer of store A: their id and e-mail."""
        email = f"{self.unique('sec-customer')}@example.com"
        self.markers.add(email)
        body = {"email": email, "first_name": "Grace", "last_name": "Hopper"}
        return await self.post_id("/v1/customers", body), email

    async def new_privacy_request(self) -> int:
        """A platform's request for a customer's data, not answered yet."""
        async with self.db.transaction() as s:
            connection_id = await s.scalar(
                select(Connection.id).where(
                    Connection.store_id == self.store.id,
                    Connection.name == self.ids["connection"],
                )
            )
            request = PrivacyRequest(
                store_id=self.store.id,
                connection_id=connection_id,
                kind="customer_data_request",
                customer_external_id=self.unique("gid-"),
            )
            s.add(request)
            await s.flush()
            return request.id

    async def new_article(self) -> int:
        """A new article of store A."""
        slug = self.unique("sec-article-")
        body = {"kind": "faq", "slug": slug, "title": "Returns", "body": "Thirty days."}
        return await self.post_id("/v1/articles", body)

    async def new_key(self) -> int:
        """A new read key of store A (its id)."""
        return int((await self.post("/v1/keys", {"name": self.unique("spare-")}))["id"])

    async def new_staff(self) -> int:
        """A new agent of store A (their id)."""
        return (await self.new_staff_member())[0]

    async def new_staff_member(self) -> tuple[int, str]:
        """A new agent of store A: their id and e-mail (the password is STAFF_PASSWORD)."""
        email = f"{self.unique('spare')}@shop.example"
        body = {"email": email, "role": "agent", "password": STAFF_PASSWORD}
        return await self.post_id("/v1/staff", body), email

    async def new_synonym(self) -> int:
        """A new synonym rule of store A."""
        body = {"terms": [self.unique("jumper"), "sweater"]}
        return await self.post_id("/v1/search/synonyms", body)

    async def new_rec_rule(self) -> int:
        """A new recommendation pin of store A."""
        body = {"product_id": await self.new_product(), "kind": "pin"}
        return await self.post_id("/v1/recommendations/rules", body)

    async def new_stock_rule(self) -> int:
        """A new stock rule of store A (on a new category: one rule per category)."""
        category = await self.new_category()
        body = {"category_id": category, "low_stock_threshold": 3}
        return await self.post_id("/v1/insights/stock-rules", body)

    async def new_connection(self) -> str:
        """A new (paused) Shopify connection of store A; its name."""
        name = self.unique("spare-shop-")
        await self.post(
            "/v1/connections",
            {
                "platform": "shopify",
                "name": name,
                "source": name,
                "base_url": str(self.ids["shopify_url"]),
                "credentials": {"access_token": "shpat_spare"},
            },
        )
        return name

    async def new_endpoint(self) -> int:
        """A new webhook endpoint of store A."""
        body = {"url": "https://hooks.shop.example/spare", "events": ["order.cancelled"]}
        return await self.post_id("/v1/webhook-endpoints", body)

    async def new_dead_letter(self) -> int:
        """A payload that could not be applied, kept for replay."""
        async with self.db.transaction() as s:
            connection_id = await s.scalar(
                select(Connection.id).where(
                    Connection.store_id == self.store.id,
                    Connection.name == self.ids["connection"],
                )
            )
            letter = DeadLetter(
                store_id=self.store.id,
                connection_id=connection_id,
                origin="webhook",
                topic="customers/update",
                payload={"id": 1},
                error="the customer has no e-mail",
            )
            s.add(letter)
            await s.flush()
            return letter.id

    async def new_forecast(self) -> int:
        """A newest forecast run with a forecast for the blue shirt; the variant's id."""
        async with self.db.transaction() as s:
            run = ForecastRun(
                store_id=self.store.id,
                status="succeeded",
                method="tsb",
                starts_on=utcnow().date(),
                horizon_weeks=2,
                history_weeks=8,
                series=1,
                created_at=utcnow(),
                finished_at=utcnow(),
            )
            s.add(run)
            await s.flush()
            s.add(
                DemandForecast(
                    store_id=self.store.id,
                    run_id=run.id,
                    variant_id=self.shop.m_blue.id,
                    product_id=self.shop.shirt.id,
                    method="tsb",
                    point=[1.0, 1.0],
                    mean=[1.0, 1.0],
                    lower=[0.0, 0.0],
                    upper=[3.0, 3.0],
                    weekday_shares=[1 / 7] * 7,
                )
            )
        return self.shop.m_blue.id

    async def new_order(self, *, status: str = "pending") -> int:
        """A new order of store A's customer (stock held for pending orders)."""
        order = await place_order(
            self.db,
            self.shop,
            lines=[(self.shop.m_blue, 1)],
            status=status,
            hold_stock=status == "pending",
        )
        self.markers.add(order.number)
        return order.id

    async def new_conversation(self, *, verified: bool = False) -> tuple[str, str]:
        """A new conversation of store A: its public id and token."""
        token = (
            issue_token(
                secret=self.identity_secret,
                audience=self.store.slug,
                subject=f"fw:{self.shop.customer.id}",
            )
            if verified
            else None
        )
        async with self.db.transaction() as s:
            conversation, secret, _ = await assistant_service.start(
                s,
                self.runtime,
                Actor.system(self.store.id),
                data=ConversationStart(channel="api", identity_token=token),
            )
            return conversation.public_id, secret

    async def new_proposal(self) -> tuple[str, str, str]:
        """A verified conversation with an open proposal to cancel a new order."""
        public_id, token = await self.new_conversation(verified=True)
        order_id = await self.new_order()
        shopper = Actor.shopper(self.store.id, self.shop.customer.id)
        kwargs = {"order_id": order_id, "reason": "no longer needed"}
        async with self.db.transaction() as s:
            conversation = await s.scalar(
                select(Conversation).where(Conversation.public_id == public_id)
            )
            assert conversation is not None
            plan = await proposal_rules.plan(s, shopper, "cancel_order", kwargs)
            proposal = await proposal_rules.create(
                s,
                conversation,
                shopper,
                tool="cancel_order",
                kwargs=kwargs,
                plan_shown=plan,
                ttl=dt.timedelta(minutes=30),
            )
            return public_id, token, proposal.public_id

    async def new_handoff(self) -> int:
        """A conversation of store A handed to staff; the handoff's id."""
        public_id, token = await self.new_conversation()
        response = await self.admin.post(
            f"/v1/conversations/{public_id}/handoff", headers={"X-Conversation-Token": token}
        )
        assert response.status_code == 200, response.text
        return int(response.json()["id"])

    async def new_failed_delivery(self) -> int:
        """A handoff's webhook delivery, marked failed (only those are retried by hand)."""
        await self.new_handoff()
        async with self.db.transaction() as s:
            delivery = await s.scalar(
                select(Delivery)
                .where(Delivery.store_id == self.store.id)
                .order_by(Delivery.id.desc())
            )
            assert delivery is not None, "the handoff should have queued a delivery"
            delivery.status = "failed"
            return delivery.id

    async def fingerprint(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of store A in every store-scoped table (but the audit log)."""
        out: dict[str, list[tuple[Any, ...]]] = {}
        async with self.db.reading() as s:
            for table in metadata.sorted_tables:
                if "store_id" not in table.c or table.name in UNWATCHED_TABLES:
                    continue
                rows = await s.execute(
                    select(table).where(table.c.store_id == self.store.id).order_by(table.c.id)
                )
                out[table.name] = [tuple(r) for r in rows]
        return out


async def sign_in(live: LiveServer, store: Store, email: str) -> Caller:
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as client:
        response = await client.post(
            "/v1/staff/sign-in",
            json={"store": store.slug, "email": email, "password": STAFF_PASSWORD},
        )
        assert response.status_code == 200, response.text
        cookie = client.cookies.get("fw_session")
        assert cookie is not None
        csrf = response.json()["csrf_token"]
    return Caller(email, cookies={"fw_session": cookie}, csrf=csrf)


@asynccontextmanager
async def build_world(
    db: Database, settings: Settings, live: LiveServer, runtime: Runtime, shopify_url: str
) -> AsyncIterator[World]:
    """Store A with one of everything and a caller of every kind (plus another store)."""
    shop = await build_shop(db)
    async with db.transaction() as s:
        store = await s.get(Store, shop.store.id)
        assert store is not None
        store.settings = {"allowed_origins": [ALLOWED_ORIGIN]}
        secret = await store_service.rotate_identity_secret(
            s, Actor.system(store.id), encryptor=runtime.identity_crypto
        )
        keys = {
            scope: await factories.create_key(s, store, scopes=[scope])
            for scope in ("read", "write", "admin")
        }
        keys["pub"] = await factories.create_key(s, store, kind=KeyKind.PUBLISHABLE)
        other = await factories.create_store(s)
        keys["other"] = await factories.create_key(s, other, scopes=["admin"])
    async with AsyncExitStack() as stack:
        admin = await stack.enter_async_context(
            httpx.AsyncClient(
                base_url=live.url,
                timeout=30,
                headers={"Authorization": f"Bearer {keys['admin']}"},
            )
        )
        callers: dict[str, Caller] = {"none": Caller("none")}
        for name in ("read", "write", "admin", "other"):
            callers[name] = Caller(name, headers={"Authorization": f"Bearer {keys[name]}"})
        callers["pub"] = Caller(
            "pub", headers={"Authorization": f"Bearer {keys['pub']}", "Origin": ALLOWED_ORIGIN}
        )
        world = World(
            db=db,
            settings=settings,
            runtime=runtime,
            live=live,
            shop=shop,
            other_store=other,
            callers=callers,
            ids={"shopify_url": shopify_url},
            admin=admin,
            identity_secret=secret,
        )
        await _populate(world)
        yield world


async def _populate(world: World) -> None:
    shop = world.shop
    ids = world.ids
    world.markers |= {shop.store.slug, shop.customer.email, shop.other_customer.email}
    for role, api_role in (
        ("owner", "owner"),
        ("sadmin", "admin"),
        ("agent", "agent"),
        ("analyst", "analyst"),
    ):
        email = f"{world.unique(role)}@shop.example"
        await world.post(
            "/v1/staff", {"email": email, "role": api_role, "password": STAFF_PASSWORD}
        )
        world.callers[role] = await sign_in(world.live, shop.store, email)
    ids["product_id"] = shop.shirt.id
    ids["variant_id"] = shop.m_blue.id
    ids["location_id"] = shop.location.id
    ids["customer_id"] = shop.customer.id
    ids["category_id"] = await world.new_category()
    ids["brand_id"] = await world.new_brand()
    ids["article_id"] = await world.new_article()
    ids["synonym_id"] = await world.new_synonym()
    ids["rec_rule_id"] = await world.new_rec_rule()
    ids["stock_rule_id"] = await world.new_stock_rule()
    ids["key_id"] = await world.new_key()
    ids["user_id"] = await world.new_staff()
    ids["connection"] = await world.new_connection()
    ids["endpoint_id"] = int(
        (
            await world.post(
                "/v1/webhook-endpoints",
                {"url": "http://127.0.0.1:9/hooks", "events": ["handoff.requested"]},
            )
        )["id"]
    )
    ids["letter_id"] = await world.new_dead_letter()
    ids["order_id"] = await world.new_order()
    ids["pending_line_id"] = await _first_line(world, ids["order_id"])
    delivered = await world.new_order(status="delivered")
    ids["delivered_order_id"] = delivered
    line_id = await _first_line(world, delivered)
    ids["line_id"] = line_id
    returned = await world.post(
        f"/v1/orders/{delivered}/returns", {"items": [{"line_id": line_id, "quantity": 1}]}
    )
    ids["return_id"] = returned["return_id"]
    exchanged_order = await world.new_order(status="delivered")
    exchange_line = await _first_line(world, exchanged_order)
    exchanged = await world.post(
        f"/v1/orders/{exchanged_order}/exchanges",
        {"items": [{"line_id": exchange_line, "variant_id": shop.m_white.id}]},
    )
    ids["exchange_order_id"] = exchanged_order
    ids["exchange_id"] = exchanged["exchange_id"]
    ids["conversation"], ids["conversation_token"] = await world.new_conversation()
    erased, email = await world.new_customer_with_email()
    receipt = await world.post(f"/v1/customers/{erased}/erase", {"confirm": email})
    ids["receipt_id"] = receipt["id"]
    ids["handoff_id"] = await world.new_handoff()
    ids["delivery_id"] = await world.new_failed_delivery()
    ids["returnable_order_id"] = await world.new_order(status="delivered")
    ids["returnable_line_id"] = await _first_line(world, ids["returnable_order_id"])
    async with world.db.reading() as s:
        for product in (shop.shirt, shop.mug):
            world.markers.add(product.handle)
        world.markers |= {shop.m_blue.sku, shop.m_white.sku}
        message = await assistant_service.transcript(
            s, await _conversation(s, world, str(ids["conversation"]))
        )
        ids["message_id"] = message[0].id


async def _first_line(world: World, order_id: int) -> int:
    async with world.db.reading() as s:
        line_id = await s.scalar(
            select(OrderLine.id).where(OrderLine.order_id == order_id).order_by(OrderLine.id)
        )
    assert line_id is not None
    return int(line_id)


async def _conversation(session: Any, world: World, public_id: str) -> Conversation:
    found = await session.scalar(
        select(Conversation).where(
            Conversation.store_id == world.store.id, Conversation.public_id == public_id
        )
    )
    assert found is not None
    return found
