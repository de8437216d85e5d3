"""The widget on the demo storefront, in headless Chromium, against the live server.

The journeys a shopper takes: search, add to cart, ask about an order as a named demo customer,
cancel it through the confirmation card; and the rest a serious widget must do: disclose the AI,
hand over to people live, keep the conversation across reloads, take feedback, verify in the
chat, and stay silent on a site whose origin the key does not allow. Each step's screenshot goes
to docs/screenshots/ (docs/widget.md shows them).
"""

from __future__ import annotations

import re
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from playwright.async_api import Page, Request, expect
from sqlalchemy import select

from floorwalker.assistant.models import Conversation, Feedback, Handoff, Message, Proposal
from floorwalker.auth import service as auth_service
from floorwalker.auth.schemas import ApiKeyCreate, KeyKind
from floorwalker.customers.models import Customer
from floorwalker.kit.actor import Actor, Scope
from floorwalker.kit.db import Database
from floorwalker.orders.models import Order, PaymentTransaction
from tests.conftest import LiveServer
from tests.web.conftest import SCREENSHOTS
from tests.web.test_demo_api import DemoShop, generate_demo

pytestmark = pytest.mark.browser

#: Milliseconds to wait for a reply: two cores are shared by the whole test run.
WAIT = 45_000
WELCOME = (
    "Hi! I'm Scout, Alder & Pine Outfitters's AI shopping assistant — an automated assistant, "
    "not a person. "
)


@pytest.fixture(autouse=True)
def patient_expectations() -> Iterator[None]:
    """Wait for replies as long as a loaded machine needs (and restore the default after)."""
    expect.set_options(timeout=WAIT)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
async def demo_shop(database_url: str, live_server: LiveServer) -> DemoShop:
    """A fresh small demo store for this test."""
    return await generate_demo(database_url, live_server.url)


@pytest.fixture
async def shop_page(page: Page, demo_shop: DemoShop) -> Page:
    """The demo storefront's home page, products shown."""
    page.set_default_timeout(WAIT)
    await page.goto(demo_shop.url("/demo"))
    await expect(page.locator(".tile").first).to_be_visible(timeout=WAIT)
    return page


async def shot(page: Page, name: str) -> None:
    """What the shopper sees now (the viewport), for the docs."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


async def open_widget(page: Page) -> None:
    await page.click(".fw-launcher")
    await expect(page.locator(".fw-msg[data-role=assistant]").first).to_be_visible(timeout=WAIT)


async def ask(page: Page, text: str) -> None:
    """Type a message, send it, and wait until the reply has finished streaming."""
    replies = await page.locator(".fw-msg[data-role=user]").count()
    await page.fill("#fw-input", text)
    await page.press("#fw-input", "Enter")
    await expect(page.locator(".fw-msg[data-role=user]")).to_have_count(replies + 1)
    await expect(page.locator(".fw-log")).to_have_attribute("aria-busy", "false", timeout=WAIT)


async def conversation_of(page: Page, db: Database) -> Conversation:
    public_id = await page.evaluate("window.Floorwalker.conversationId")
    async with db.reading() as s:
        found = await s.scalar(select(Conversation).where(Conversation.public_id == public_id))
    assert found is not None
    return found


async def last_reply(db: Database, conversation: Conversation) -> Message:
    async with db.reading() as s:
        message = await s.scalar(
            select(Message)
            .where(Message.conversation_id == conversation.id, Message.role == "assistant")
            .order_by(Message.id.desc())
            .limit(1)
        )
    assert message is not None
    return message


async def customer(db: Database, shop: DemoShop, email: str) -> Customer:
    async with db.reading() as s:
        found = await s.scalar(
            select(Customer).where(Customer.store_id == shop.store_id, Customer.email == email)
        )
    assert found is not None
    return found


async def pending_order(db: Database, shop: DemoShop, email: str) -> Order:
    who = await customer(db, shop, email)
    async with db.reading() as s:
        found = await s.scalar(
            select(Order).where(
                Order.store_id == shop.store_id,
                Order.customer_id == who.id,
                Order.status == "pending",
            )
        )
    assert found is not None
    return found


class TestShoppingJourney:
    async def test_search_add_to_cart_from_a_card_and_check_out_on_the_shops_cart(
        self, shop_page: Page, db: Database, demo_shop: DemoShop
    ) -> None:
        page = shop_page
        await page.wait_for_load_state("networkidle")
        await shot(page, "demo-storefront")

        await open_widget(page)
        await ask(page, "rain jacket")

        conversation = await conversation_of(page, db)
        reply = await last_reply(db, conversation)
        products = [c for c in reply.cards if c["type"] == "product"]
        titles = page.locator(".fw-card[data-product-id] h3")
        await expect(titles).to_have_text([c["title"] for c in products])
        await shot(page, "widget-search")

        first = products[0]
        in_stock = [v for v in first["variants"] if v["in_stock"]]
        chosen = in_stock[min(1, len(in_stock) - 1)]
        card = page.locator(".fw-card[data-product-id]").first
        if len(first["variants"]) > 1:
            await card.locator("select").select_option(str(chosen["variant_id"]))
        await card.get_by_role("button", name="Add to cart").click()
        cart = page.locator("[data-card=cart]").last
        await expect(cart).to_be_visible(timeout=WAIT)
        await expect(page.locator(".fw-log")).to_have_attribute("aria-busy", "false", timeout=WAIT)

        line = f"1 × {first['title']} ({chosen['label']})"
        await expect(cart.locator(".fw-rows li span").first).to_have_text(line)
        checkout = cart.get_by_role("link", name="Go to checkout")
        href = f"{demo_shop.base}/demo/cart/{chosen['variant_id']}:1"
        await expect(checkout).to_have_attribute("href", href)
        async with db.reading() as s:
            stored = await s.get(Conversation, conversation.id)
        assert stored is not None
        assert stored.cart == [{"variant_id": chosen["variant_id"], "quantity": 1}]
        await shot(page, "widget-add-to-cart")

        # The link fills the shop's own cart; the conversation comes along to the next page.
        await checkout.click()
        await expect(page.locator(".cart-line")).to_have_count(1, timeout=WAIT)
        await expect(page.locator(".cart-line h3")).to_have_text(first["title"])
        await expect(page.locator(".cart-line .quantity")).to_have_text("1")
        await expect(page.locator("#bag-count")).to_have_text("1")
        await expect(page.locator(".fw-panel")).to_be_visible()
        assert await page.evaluate("window.Floorwalker.conversationId") == conversation.public_id
        await expect(page.locator(".fw-msg[data-role=user]")).to_have_count(2)
        await page.get_by_role("button", name="Close the chat").click()
        await expect(page.locator(".fw-launcher")).to_be_focused()
        await shot(page, "demo-cart")

    async def test_a_card_from_an_earlier_answer_adds_that_product_and_no_other(
        self, shop_page: Page, db: Database
    ) -> None:
        page = shop_page
        await open_widget(page)
        await ask(page, "rain jacket")
        conversation = await conversation_of(page, db)
        jackets = [c for c in (await last_reply(db, conversation)).cards if c["type"] == "product"]
        await ask(page, "hiking socks")

        jacket = jackets[0]
        variant = next(v for v in jacket["variants"] if v["in_stock"])
        card = page.locator(f".fw-card[data-product-id='{jacket['product_id']}']").first
        if len(jacket["variants"]) > 1:
            await card.locator("select").select_option(str(variant["variant_id"]))
        await card.get_by_role("button", name="Add to cart").click()

        await expect(page.locator("[data-card=cart]")).to_have_count(1)
        await expect(page.locator(".fw-log")).to_have_attribute("aria-busy", "false")
        asked = await page.locator(".fw-msg[data-role=user] .fw-bubble").all_text_contents()
        assert asked[-2:] == [
            f"Show me the {jacket['title']}",
            f"Add the {jacket['title']} in {phrase(variant['label'])} to my cart",
        ]
        async with db.reading() as s:
            stored = await s.get(Conversation, conversation.id)
        assert stored is not None
        assert stored.cart == [{"variant_id": variant["variant_id"], "quantity": 1}]


def phrase(label: str) -> str:
    """How the widget names a variant's options to the assistant: sizes after "size"."""
    parts = label.split(" / ")
    if re.fullmatch(r"[A-Za-z]{1,3}|\d.*", parts[0]):
        parts[0] = f"size {parts[0]}"
    return ", ".join(parts)


class TestOrderSupport:
    async def test_a_named_customer_checks_an_order_and_cancels_it_with_one_confirmation(
        self, shop_page: Page, db: Database, demo_shop: DemoShop
    ) -> None:
        page = shop_page
        order = await pending_order(db, demo_shop, "maya.chen@example.com")
        number = order.number.lstrip("#")
        maya = await customer(db, demo_shop, "maya.chen@example.com")

        await page.select_option("#shop-as", "maya")
        await expect(page.locator("#persona")).to_contain_text("Signed in as Maya Chen")
        await open_widget(page)
        conversation = await conversation_of(page, db)
        assert (conversation.customer_id, conversation.verified_via) == (maya.id, "token")

        await ask(page, f"Where is my order #{number}?")
        card = page.locator("[data-card=order]").last
        await expect(card.locator("h3")).to_have_text(f"Order #{number}")
        await expect(card.locator(".fw-status")).to_have_text("Pending")
        await expect(card.locator(".fw-total span").last).to_have_text(f"${order.total / 100:,.2f}")
        await shot(page, "widget-order-status")

        await ask(page, f"Please cancel order #{number}")
        await ask(page, "no longer needed")
        proposal = page.locator("[data-card=proposal]").last
        await expect(proposal.locator("h3")).to_have_text(f"Cancel order #{number}")
        refund = proposal.get_by_role("list", name="Money").locator("li")
        await expect(refund).to_have_text(
            [re.compile(rf"Refund to Visa ending 4242.*\${order.total / 100:,.2f}")]
        )
        await shot(page, "widget-confirmation")

        confirms: list[Request] = []
        page.on("request", lambda r: confirms.append(r) if r.url.endswith("/confirm") else None)
        await proposal.get_by_role("button", name="Confirm").dblclick()
        await expect(proposal.locator(".fw-status")).to_have_text("Done", timeout=WAIT)
        await expect(proposal.get_by_role("button")).to_have_count(0)
        await expect(page.locator(".fw-msg[data-role=assistant]").last).to_contain_text(
            f"order #{number} is cancelled"
        )
        await shot(page, "widget-cancelled")

        assert len(confirms) == 1
        async with db.reading() as s:
            after = await s.get(Order, order.id)
            refunds = (
                await s.scalars(
                    select(PaymentTransaction).where(
                        PaymentTransaction.order_id == order.id,
                        PaymentTransaction.kind == "refund",
                    )
                )
            ).all()
            proposals = (
                await s.scalars(select(Proposal).where(Proposal.conversation_id == conversation.id))
            ).all()
        assert after is not None
        assert (after.status, after.cancel_reason) == ("cancelled", "no longer needed")
        assert [(r.amount, r.method_label, r.status) for r in refunds] == [
            (order.total, "Visa ending 4242", "pending")
        ]
        assert [p.status for p in proposals] == ["executed"]


class TestDisclosure:
    async def test_the_first_message_says_it_is_an_ai_and_not_a_person(
        self, shop_page: Page, db: Database
    ) -> None:
        await open_widget(shop_page)

        first = shop_page.locator(".fw-msg").first
        await expect(first).to_have_attribute("data-role", "assistant")
        await expect(first.locator(".fw-bubble")).to_contain_text(WELCOME.strip())
        await expect(shop_page.locator(".fw-sub")).to_have_text(
            "AIAutomated assistant, not a person"
        )
        conversation = await conversation_of(shop_page, db)
        welcome = await last_reply(db, conversation)
        assert welcome.text.startswith(WELCOME)
        await shot(shop_page, "widget-welcome")


class TestKeyboardAndSmallScreens:
    async def test_it_opens_and_closes_from_the_keyboard_and_hands_focus_back(
        self, shop_page: Page
    ) -> None:
        page = shop_page
        await page.focus(".fw-launcher")
        await page.keyboard.press("Enter")

        await expect(page.locator("#fw-input")).to_be_focused()
        await expect(page.locator(".fw-launcher")).to_have_attribute("aria-expanded", "true")
        await page.keyboard.type("Do you have tents?")
        await page.keyboard.press("Enter")
        await expect(page.locator(".fw-log")).to_have_attribute("aria-busy", "false")
        await expect(page.locator(".fw-log")).to_have_attribute("role", "log")
        await page.keyboard.press("Escape")

        await expect(page.locator(".fw-panel")).to_be_hidden()
        await expect(page.locator(".fw-launcher")).to_be_focused()
        await expect(page.locator(".fw-launcher")).to_have_attribute("aria-expanded", "false")

    async def test_on_a_phone_the_panel_fills_the_screen(self, shop_page: Page) -> None:
        page = shop_page
        await page.set_viewport_size({"width": 390, "height": 844})
        await open_widget(page)
        await ask(page, "warm socks for hiking")

        box = await page.locator(".fw-panel").bounding_box()
        assert box == {"x": 0, "y": 0, "width": 390, "height": 844}
        await shot(page, "widget-mobile")


@pytest.fixture
async def staff(
    live_server: LiveServer, db: Database, demo_shop: DemoShop
) -> AsyncIterator[httpx.AsyncClient]:
    """The store's staff, through the API with a secret key that can write."""
    async with db.transaction() as s:
        _key, token = await auth_service.create_key(
            s,
            Actor.system(demo_shop.store_id),
            data=ApiKeyCreate(name="staff", kind=KeyKind.SECRET, scopes=[Scope.WRITE]),
        )
    async with httpx.AsyncClient(
        base_url=live_server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    ) as client:
        yield client


class TestHandoff:
    async def test_talk_to_a_human_then_staff_replies_arrive_live(
        self, shop_page: Page, db: Database, staff: httpx.AsyncClient
    ) -> None:
        page = shop_page
        await open_widget(page)

        await page.get_by_role("button", name="Talk to a human").click()

        await expect(page.locator(".fw-banner")).to_have_text(
            "Waiting for a member of our team. You can keep writing; they'll see your messages."
        )
        await expect(page.locator(".fw-human")).to_have_text("Team notified")
        await expect(page.locator(".fw-human")).to_be_disabled()
        conversation = await conversation_of(page, db)
        async with db.reading() as s:
            handoffs = (
                await s.scalars(select(Handoff).where(Handoff.conversation_id == conversation.id))
            ).all()
        assert [(h.status, h.reason) for h in handoffs] == [("waiting", "requested")]

        taken = await staff.post(f"/v1/handoffs/{handoffs[0].id}/take")
        reply = await staff.post(
            f"/v1/handoffs/{handoffs[0].id}/reply",
            json={"text": "Hi, I'm Sam from the shop. How can I help?"},
        )
        assert (taken.status_code, reply.status_code) == (200, 201)

        staff_message = page.locator(".fw-msg[data-role=staff]")
        await expect(staff_message.locator(".fw-bubble")).to_have_text(
            "Hi, I'm Sam from the shop. How can I help?", timeout=WAIT
        )
        await expect(staff_message.locator(".fw-who")).to_have_text("Store team")
        await expect(page.locator(".fw-banner")).to_have_text(
            "You're talking with a member of our team."
        )
        await shot(page, "widget-handoff")

        back = await staff.post(f"/v1/handoffs/{handoffs[0].id}/hand-back")
        assert back.status_code == 200
        await expect(page.locator(".fw-human")).to_have_text("Talk to a human", timeout=WAIT)
        await expect(page.locator(".fw-banner")).to_be_hidden()


class TestReload:
    async def test_the_conversation_and_its_cards_survive_a_reload(
        self, shop_page: Page, db: Database
    ) -> None:
        page = shop_page
        await open_widget(page)
        await ask(page, "hiking socks")
        before = await page.locator(".fw-msg .fw-bubble").all_text_contents()
        cards = await page.locator(".fw-card[data-product-id] h3").all_text_contents()
        conversation_id = await page.evaluate("window.Floorwalker.conversationId")

        await page.reload()

        await expect(page.locator(".fw-panel")).to_be_visible(timeout=WAIT)
        await expect(page.locator(".fw-msg .fw-bubble")).to_have_text(before, timeout=WAIT)
        await expect(page.locator(".fw-card[data-product-id] h3")).to_have_text(cards)
        assert await page.evaluate("window.Floorwalker.conversationId") == conversation_id
        async with db.reading() as s:
            count = len(
                (
                    await s.scalars(
                        select(Conversation).where(Conversation.public_id == conversation_id)
                    )
                ).all()
            )
        assert count == 1


class TestFeedback:
    async def test_a_thumb_is_stored_and_a_second_one_replaces_it(
        self, shop_page: Page, db: Database
    ) -> None:
        page = shop_page
        await open_widget(page)
        await ask(page, "Do you sell tents?")
        conversation = await conversation_of(page, db)
        reply = await last_reply(db, conversation)
        thumbs = page.locator(".fw-msg[data-role=assistant]").last.locator(".fw-feedback")

        await thumbs.get_by_role("button", name="Helpful", exact=True).click()
        await expect(thumbs.get_by_role("button", name="Helpful", exact=True)).to_have_attribute(
            "aria-pressed", "true"
        )
        await thumbs.get_by_role("button", name="Not helpful", exact=True).click()
        await expect(
            thumbs.get_by_role("button", name="Not helpful", exact=True)
        ).to_have_attribute("aria-pressed", "true")
        await expect(thumbs.get_by_role("button", name="Helpful", exact=True)).to_have_attribute(
            "aria-pressed", "false"
        )

        async with db.reading() as s:
            rows = (
                await s.scalars(select(Feedback).where(Feedback.conversation_id == conversation.id))
            ).all()
        assert [(f.message_id, f.rating) for f in rows] == [(reply.id, -1)]


class TestVerificationInChat:
    async def test_an_order_number_and_its_email_verify_a_guest(
        self, shop_page: Page, db: Database, demo_shop: DemoShop
    ) -> None:
        page = shop_page
        order = await pending_order(db, demo_shop, "maya.chen@example.com")
        await open_widget(page)

        await page.get_by_role("button", name="Verify it's you").click()
        form = page.get_by_role("form", name="Verify it's you")
        await form.get_by_placeholder("Order number").fill(order.number)
        await form.get_by_placeholder("E-mail").fill("someone.else@example.com")
        await form.get_by_role("button", name="Verify").click()
        await expect(form.get_by_role("alert")).not_to_be_empty(timeout=WAIT)
        conversation = await conversation_of(page, db)
        assert conversation.customer_id is None

        await form.get_by_placeholder("E-mail").fill("maya.chen@example.com")
        await form.get_by_role("button", name="Verify").click()

        await expect(page.locator(".fw-msg[data-role=system]").last).to_have_text(
            "You're verified — I can help with your orders now.", timeout=WAIT
        )
        await expect(form).to_be_hidden()
        await expect(page.get_by_role("button", name="Verify it's you")).to_be_hidden()
        maya = await customer(db, demo_shop, "maya.chen@example.com")
        after = await conversation_of(page, db)
        assert (after.customer_id, after.verified_via) == (maya.id, "order_email")


class RetailerSite:
    """Another web site on this machine (its own origin), serving pages that embed the widget."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = site.pages.get(self.path, "not found").encode()
                self.send_response(200 if self.path in site.pages else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture
def retailer_site() -> Iterator[RetailerSite]:
    """A second origin, served over real HTTP so the browser applies real CORS."""
    site = RetailerSite()
    site.thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()


class TestOrigins:
    async def test_a_site_the_key_does_not_allow_gets_an_explanation_and_no_conversation(
        self,
        page: Page,
        db: Database,
        demo_shop: DemoShop,
        live_server: LiveServer,
        retailer_site: RetailerSite,
    ) -> None:
        async with db.transaction() as s:
            _key, key = await auth_service.create_key(
                s,
                Actor.system(demo_shop.store_id),
                data=ApiKeyCreate(
                    name="widget", kind=KeyKind.PUBLISHABLE, allowed_origins=[live_server.url]
                ),
            )
        retailer_site.pages["/"] = (
            "<!doctype html><html><body><h1>Another shop</h1>"
            f'<script src="{live_server.url}/widget.js" data-key="{key}" async></script>'
            "</body></html>"
        )
        await page.goto(retailer_site.url + "/")

        await page.click(".fw-launcher")

        error = page.locator(".fw-msg[data-role=error]")
        await expect(error).to_contain_text("The assistant isn't enabled on this website yet.")
        await expect(error.get_by_role("button")).to_have_count(0)
        await shot(page, "widget-origin-refused")
        async with db.reading() as s:
            conversations = (
                await s.scalars(
                    select(Conversation).where(Conversation.store_id == demo_shop.store_id)
                )
            ).all()
        assert conversations == []

    async def test_a_shop_page_with_an_identity_token_starts_a_verified_conversation(
        self,
        page: Page,
        db: Database,
        http: httpx.AsyncClient,
        demo_shop: DemoShop,
        live_server: LiveServer,
        retailer_site: RetailerSite,
    ) -> None:
        async with db.transaction() as s:
            _key, key = await auth_service.create_key(
                s,
                Actor.system(demo_shop.store_id),
                data=ApiKeyCreate(
                    name="widget", kind=KeyKind.PUBLISHABLE, allowed_origins=[retailer_site.url]
                ),
            )
        signed = await http.post(
            "/demo/api/identity", params={"store": demo_shop.slug}, json={"customer": "daniel"}
        )
        token = signed.json()["token"]
        retailer_site.pages["/account"] = (
            "<!doctype html><html><body><h1>Your account</h1>"
            f'<script src="{live_server.url}/widget.js" data-key="{key}" '
            f'data-identity-token="{token}" data-position="left" data-accent="#f2c94c" '
            'data-title="Help" data-label="Questions?" async></script></body></html>'
        )
        await page.goto(retailer_site.url + "/account")

        await page.get_by_role("button", name="Questions?").click()

        await expect(page.locator(".fw-title")).to_have_text("Help")
        await expect(page.locator(".fw-msg[data-role=assistant]").first).to_contain_text(
            WELCOME.strip()
        )
        host = page.locator("#floorwalker-widget")
        await expect(host).to_have_css("--fw-accent", "#f2c94c")
        await expect(host).to_have_css("--fw-on-accent", "#111111")
        box = await page.locator(".fw-panel").bounding_box()
        assert box is not None
        assert box["x"] == 20
        daniel = await customer(db, demo_shop, "daniel.okafor@example.org")
        conversation = await conversation_of(page, db)
        assert (conversation.customer_id, conversation.verified_via) == (daniel.id, "token")
