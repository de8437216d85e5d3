"""A demo store as a retailer finds it one morning, for the console's browser tests.

The small demo store (catalogue, thirteen months of orders, browsing and searches) plus what a
night of shoppers leaves behind: conversations with the assistant made over HTTP exactly as the
widget makes them (searches, order questions, a cancellation proposal, ratings), handoffs in
every state, lost demand read from the searches, a forecast run, and staff users of every role.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

import httpx
from playwright.async_api import Page, expect
from sqlalchemy import func, select

from floorwalker.auth import staff as staff_service
from floorwalker.auth.roles import Role
from floorwalker.auth.schemas import StaffUserCreate
from floorwalker.catalog.models import Product, Variant
from floorwalker.inventory.models import InventoryLevel
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer
from tests.insights.builders import sell
from tests.web.test_demo_api import DemoShop, generate_demo

PASSWORD = "console password"
#: Milliseconds to wait for the console on a machine shared by the whole test run.
WAIT = 30_000


@dataclass
class Shopper:
    """One shopper's conversation, over the widget's API."""

    client: httpx.AsyncClient
    id: str
    token: str
    replies: list[dict[str, Any]] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        """The conversation token header."""
        return {"X-Conversation-Token": self.token}

    async def say(self, text: str) -> dict[str, Any]:
        """Send a message and wait for the whole reply."""
        response = await self.client.post(
            f"/v1/conversations/{self.id}/messages",
            params={"stream": "false"},
            json={"text": text},
            headers=self.headers,
        )
        assert response.status_code == 200, response.text
        reply: dict[str, Any] = response.json()
        self.replies.append(reply)
        return reply

    async def rate(self, rating: str) -> None:
        """Rate the assistant's last reply."""
        response = await self.client.post(
            f"/v1/conversations/{self.id}/feedback",
            json={"message_id": self.replies[-1]["message_id"], "rating": rating},
            headers=self.headers,
        )
        assert response.status_code == 200, response.text

    async def ask_for_a_person(self) -> dict[str, Any]:
        """Press the widget's "talk to a person" button."""
        response = await self.client.post(
            f"/v1/conversations/{self.id}/handoff", json={}, headers=self.headers
        )
        assert response.status_code == 200, response.text
        handoff: dict[str, Any] = response.json()
        return handoff


@dataclass
class ConsoleStore:
    """The demo store, its keys, its staff (e-mail by role) and HTTP clients."""

    shop: DemoShop
    db: Database
    base: str
    widget_key: str
    admin_key: str
    staff: dict[str, str]

    @property
    def store_id(self) -> int:
        """The store's id."""
        return self.shop.store_id

    def admin(self) -> httpx.AsyncClient:
        """A client with the store's admin key (close it after use)."""
        return httpx.AsyncClient(
            base_url=self.base, timeout=120, headers={"Authorization": f"Bearer {self.admin_key}"}
        )

    def widget(self) -> httpx.AsyncClient:
        """A client with the storefront's publishable key (close it after use)."""
        return httpx.AsyncClient(
            base_url=self.base, timeout=120, headers={"Authorization": f"Bearer {self.widget_key}"}
        )

    async def shopper(self, client: httpx.AsyncClient, customer: str | None = None) -> Shopper:
        """Start a conversation, as a named demo customer signed in on the shop if given."""
        body: dict[str, Any] = {}
        if customer is not None:
            signed = await client.post(
                "/demo/api/identity", params={"store": self.shop.slug}, json={"customer": customer}
            )
            assert signed.status_code == 200, signed.text
            body["identity_token"] = signed.json()["token"]
        started = await client.post("/v1/conversations", json=body)
        assert started.status_code == 201, started.text
        data = started.json()
        return Shopper(client, data["conversation"]["id"], data["token"])


async def build_console_store(
    db: Database, database_url: str, live_server: LiveServer, *, night: bool = True
) -> ConsoleStore:
    """A fresh small demo store with staff; with `night`, also last night's conversations,
    lost demand and a forecast run."""
    shop = await generate_demo(database_url, live_server.url)
    staff: dict[str, str] = {}
    async with db.transaction() as s:
        for role in (Role.OWNER, Role.AGENT, Role.ANALYST):
            email = f"{role.value}@{shop.slug}.example"
            await staff_service.create_user(
                s,
                Actor.system(shop.store_id),
                data=StaffUserCreate(
                    email=email, name=role.value.title(), role=role, password=PASSWORD
                ),
            )
            staff[role.value] = email
        store = await s.get(Store, shop.store_id)
        assert store is not None
        admin_key = await factories.create_key(s, store, scopes=["admin"])
    async with httpx.AsyncClient(base_url=live_server.url, timeout=60) as client:
        opened = await client.post("/demo/api/session", params={"store": shop.slug})
        assert opened.status_code == 200, opened.text
        widget_key = opened.json()["widget_key"]
    built = ConsoleStore(shop, db, live_server.url, widget_key, admin_key, staff)
    if night:
        await best_sellers(db, shop.store_id)
        await last_night(built)
    return built


async def best_sellers(db: Database, store_id: int, *, weeks: int = 56) -> None:
    """Three variants in stock that sell every day (more at weekends, growing), as a shop's
    best sellers do; the small demo store's own sales are too thin to draw a forecast."""
    rng = random.Random(7)
    today = utcnow().date()
    async with db.transaction() as s:
        store = await s.get(Store, store_id)
        assert store is not None
        stocked = await s.scalars(
            select(Variant)
            .join(InventoryLevel, InventoryLevel.variant_id == Variant.id)
            .where(Variant.store_id == store_id, InventoryLevel.on_hand > 20)
            .order_by(Variant.id)
        )
        chosen: list[Variant] = []
        for variant in stocked:
            if all(v.product_id != variant.product_id for v in chosen):
                chosen.append(variant)
            if len(chosen) == 3:
                break
        for rank, variant in enumerate(chosen):
            for back in range(weeks * 7, 0, -1):
                day = today - dt.timedelta(days=back)
                level = (3.0 - rank) * (1.4 if day.weekday() >= 5 else 1.0)
                level *= 1 + 0.5 * (weeks * 7 - back) / (weeks * 7)
                units = sum(1 for _ in range(12) if rng.random() < level / 12)
                if units:
                    await sell(s, store, None, variant, days=[day], quantity=units)


async def last_night(store: ConsoleStore) -> None:
    """Shoppers talk to the assistant; some want a person; staff handled one; jobs ran."""
    async with store.widget() as widget, store.admin() as admin:
        browsing = await store.shopper(widget)
        for text in ("waterproof hiking boots", "warm socks for hiking", "do you sell kayaks?"):
            await browsing.say(text)
        await browsing.rate("up")

        policy = await store.shopper(widget)
        await policy.say("what is your return policy?")
        await policy.rate("up")

        shipping = await store.shopper(widget)
        await shipping.say("do you ship to Canada?")
        await shipping.rate("down")

        tents = await store.shopper(widget)
        await tents.say("a tent for 4 people under 20 dollars")
        await tents.say("linen sheets in king size")

        maya = await store.shopper(widget, "maya")
        await maya.say("where is my order?")
        await maya.say("I'd like to cancel my order")
        await maya.say("no longer needed")
        await maya.ask_for_a_person()

        daniel = await store.shopper(widget, "daniel")
        await daniel.say("I want to return my jacket")
        handed = await daniel.ask_for_a_person()
        taken = await admin.post(f"/v1/handoffs/{handed['id']}/take")
        replied = await admin.post(
            f"/v1/handoffs/{handed['id']}/reply",
            json={"text": "Hi Daniel, I'm looking at your order now."},
        )
        assert (taken.status_code, replied.status_code) == (200, 201)

        priya = await store.shopper(widget, "priya")
        await priya.say("do you have merino base layers?")
        back = await priya.ask_for_a_person()
        for step in ("take", "hand-back"):
            moved = await admin.post(f"/v1/handoffs/{back['id']}/{step}")
            assert moved.status_code == 200, moved.text

        wanting = await store.shopper(widget)
        for title in await sold_out(store):
            await wanting.say(f"is the {title} in stock?")
        for text in ("hiking boots in purple", "rain jacket under 10 dollars"):
            await wanting.say(text)
        again = await store.shopper(widget)
        for title in await sold_out(store):
            await again.say(f"do you have the {title}?")

        refreshed = await admin.post("/v1/insights/lost-demand/refresh")
        forecast = await admin.post("/v1/insights/forecasts/run")
        assert (refreshed.status_code, forecast.status_code) == (200, 200), forecast.text


async def sold_out(store: ConsoleStore, limit: int = 3) -> list[str]:
    """Titles of active products with nothing left to sell (what shoppers ask about anyway)."""
    async with store.db.reading() as s:
        available = (
            select(
                Variant.product_id,
                func.sum(InventoryLevel.on_hand - InventoryLevel.reserved).label("units"),
            )
            .join(InventoryLevel, InventoryLevel.variant_id == Variant.id)
            .where(Variant.store_id == store.store_id)
            .group_by(Variant.product_id)
            .subquery()
        )
        rows = await s.scalars(
            select(Product.title)
            .join(available, available.c.product_id == Product.id)
            .where(available.c.units <= 0, Product.status == "active")
            .order_by(Product.id)
            .limit(limit)
        )
        return list(rows)


async def sign_in(page: Page, store: ConsoleStore, role: str, path: str = "") -> None:
    """Sign in to the console as the store's staff member of `role`, then open `path`."""
    page.set_default_timeout(WAIT)
    await page.goto(f"{store.base}/console")
    await page.fill("#store", store.shop.slug)
    await page.fill("#email", store.staff[role])
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    await expect(page.locator("#who")).to_contain_text(store.staff[role], timeout=WAIT)
    if path:
        await page.goto(f"{store.base}/console#/{path}")
