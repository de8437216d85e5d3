"""The storefront faces over real HTTP: `/widget.js`, the `/demo` pages and the demo back end."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import jwt
import pytest
from sqlalchemy import func, select

from floorwalker.app import create_app
from floorwalker.assistant.models import Conversation
from floorwalker.assistant.runtime import Runtime
from floorwalker.auth.models import ApiKey
from floorwalker.catalog.models import Product, Variant
from floorwalker.config import Environment, Settings
from floorwalker.customers.models import Customer
from floorwalker.demo.build import anchor_for, build_plan
from floorwalker.demo.generator import record, write_plan
from floorwalker.demo.stories import PEOPLE
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.stores import service as store_service
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer

#: Small enough to build in about a second; the eight named customers exist at every scale.
SCALE = 0.01


@dataclass(frozen=True)
class DemoShop:
    """A generated demo store of this test, pointing its storefront links at the live server."""

    store_id: int
    slug: str
    base: str

    def url(self, path: str = "/demo") -> str:
        """A storefront URL for this store (the page remembers `?store=` for later links)."""
        joiner = "&" if "?" in path else "?"
        return f"{self.base}{path}{joiner}store={self.slug}"


async def generate_demo(database_url: str, base: str) -> DemoShop:
    """Generate a small demo store, as `floorwalker demo --scale 0.01` would."""
    anchor = anchor_for(utcnow())
    slug = factories.unique("demo-")
    plan = build_plan(seed=42, scale=SCALE, now=anchor, slug=slug, base_url=base)
    store_id = await asyncio.to_thread(
        write_plan, database_url, plan, record=record(seed=42, scale=SCALE, now=anchor)
    )
    return DemoShop(store_id=store_id, slug=slug, base=base)


@pytest.fixture
async def demo_shop(database_url: str, live_server: LiveServer) -> DemoShop:
    """A fresh small demo store for this test."""
    return await generate_demo(database_url, live_server.url)


async def open_session(http: httpx.AsyncClient, shop: DemoShop) -> dict[str, object]:
    response = await http.post("/demo/api/session", params={"store": shop.slug})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


class TestWidgetScript:
    async def test_it_is_javascript_with_its_styles_inlined_and_a_validator(
        self, http: httpx.AsyncClient
    ) -> None:
        response = await http.get("/widget.js")

        assert response.status_code == 200
        assert response.headers["content-type"] == "text/javascript; charset=utf-8"
        assert response.headers["cache-control"] == "public, max-age=300"
        assert response.headers["cross-origin-resource-policy"] == "cross-origin"
        assert response.text.startswith("/*! Floorwalker shopper widget")
        assert "/*FLOORWALKER_CSS*/" not in response.text
        assert ":host {" in response.text

        again = await http.get("/widget.js", headers={"If-None-Match": response.headers["etag"]})
        assert again.status_code == 304
        assert again.content == b""

    async def test_it_travels_gzipped_and_stays_small(self, http: httpx.AsyncClient) -> None:
        plain = await http.get("/widget.js", headers={"Accept-Encoding": "identity"})
        zipped = await http.get("/widget.js", headers={"Accept-Encoding": "gzip, br"})

        assert "content-encoding" not in plain.headers
        assert zipped.headers["content-encoding"] == "gzip"
        assert zipped.headers["vary"] == "Accept-Encoding"
        assert zipped.content == plain.content  # httpx decodes the gzipped body
        assert int(zipped.headers["content-length"]) < 18_000
        assert len(plain.content) < 64_000


class TestDemoPages:
    @pytest.mark.parametrize(
        "path", ["/demo", "/demo/products/some-handle", "/demo/cart", "/demo/cart/12:1,15:2"]
    )
    async def test_every_storefront_path_serves_the_page(
        self, http: httpx.AsyncClient, path: str
    ) -> None:
        response = await http.get(path)

        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-store"
        assert '<script src="/static/demo/shop.js" defer></script>' in response.text

    async def test_product_pictures_are_drawn_and_unknown_ones_are_404(
        self, http: httpx.AsyncClient
    ) -> None:
        picture = await http.get("/static/demo/boot/rust.svg")
        unknown = await http.get("/static/demo/boot/plaid.svg")
        script = await http.get("/static/demo/shop.js")

        assert picture.status_code == 200
        assert picture.headers["content-type"] == "image/svg+xml"
        assert picture.text.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
        assert unknown.status_code == 404
        assert unknown.json() == {"error": "picture_not_found", "detail": "No such picture."}
        assert script.status_code == 200


class TestSession:
    async def test_it_gives_the_store_its_named_customers_and_a_key_for_this_origin(
        self, http: httpx.AsyncClient, db: Database, demo_shop: DemoShop, live_server: LiveServer
    ) -> None:
        first = await open_session(http, demo_shop)
        second = await open_session(http, demo_shop)

        assert first["store"] == {
            "slug": demo_shop.slug,
            "name": "Alder & Pine Outfitters",
            "currency": "USD",
            "assistant_name": "Scout",
            "support_email": "help@alderandpine.example.com",
        }
        assert [c["key"] for c in first["customers"]] == [p.key for p in PEOPLE]  # type: ignore[attr-defined]
        assert first["customers"][0] == {  # type: ignore[index]
            "key": "maya",
            "name": "Maya Chen",
            "email": "maya.chen@example.com",
            "story": PEOPLE[0].story,
        }
        assert [d["name"] for d in first["departments"]] == [  # type: ignore[attr-defined]
            "Women", "Men", "Kids", "Footwear", "Accessories", "Gear", "Home",
        ]  # fmt: skip
        assert second["widget_key"] == first["widget_key"]
        async with db.reading() as s:
            keys = (
                await s.scalars(select(ApiKey).where(ApiKey.store_id == demo_shop.store_id))
            ).all()
        assert [(k.kind, k.allowed_origins) for k in keys] == [("publishable", [live_server.url])]

    async def test_its_key_searches_from_this_origin_and_is_refused_from_another(
        self, http: httpx.AsyncClient, demo_shop: DemoShop, live_server: LiveServer
    ) -> None:
        key = (await open_session(http, demo_shop))["widget_key"]
        auth = {"Authorization": f"Bearer {key}"}

        here = await http.get(
            "/v1/search", params={"q": "rain jacket"}, headers={**auth, "Origin": live_server.url}
        )
        elsewhere = await http.get(
            "/v1/search",
            params={"q": "rain jacket"},
            headers={**auth, "Origin": "https://elsewhere.example"},
        )

        assert here.status_code == 200
        assert here.json()["total"] > 0
        assert elsewhere.status_code == 403
        assert elsewhere.json()["error"] == "origin_not_allowed"

    async def test_a_store_not_made_by_the_generator_is_refused_and_gets_no_key(
        self, http: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        response = await http.post("/demo/api/session", params={"store": store.slug})

        assert response.status_code == 404
        assert response.json() == {
            "error": "demo_unavailable",
            "detail": f"Store {store.slug!r} was not made by the demo generator; the demo page "
            "serves only demo stores.",
            "store": store.slug,
        }
        async with db.reading() as s:
            count = await s.scalar(select(func.count()).where(ApiKey.store_id == store.id))
        assert count == 0

    async def test_an_unknown_store_is_refused(self, http: httpx.AsyncClient) -> None:
        response = await http.post("/demo/api/session", params={"store": "no-such-shop"})

        assert response.status_code == 404
        assert response.json()["error"] == "demo_unavailable"
        assert response.json()["store"] == "no-such-shop"


@pytest.fixture
async def production(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The same database served with FLOORWALKER_ENVIRONMENT=production."""
    app = create_app(settings.model_copy(update={"environment": Environment.PRODUCTION}))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://prod") as c,
    ):
        yield c


class TestProduction:
    async def test_the_demo_back_end_does_not_exist_and_nothing_is_written(
        self, production: httpx.AsyncClient, db: Database, demo_shop: DemoShop
    ) -> None:
        session = await production.post("/demo/api/session", params={"store": demo_shop.slug})
        identity = await production.post(
            "/demo/api/identity", params={"store": demo_shop.slug}, json={"customer": "maya"}
        )

        for response in (session, identity):
            assert response.status_code == 404
            assert response.json() == {
                "error": "demo_unavailable",
                "detail": "The demo storefront is not served in production.",
            }
        async with db.reading() as s:
            keys = await s.scalar(select(func.count()).where(ApiKey.store_id == demo_shop.store_id))
            found = await s.get(Store, demo_shop.store_id)
        assert keys == 0
        assert found is not None
        assert found.identity_secret_encrypted is None


async def maya(db: Database, shop: DemoShop) -> Customer:
    async with db.reading() as s:
        customer = await s.scalar(
            select(Customer).where(
                Customer.store_id == shop.store_id, Customer.email == "maya.chen@example.com"
            )
        )
    assert customer is not None
    return customer


async def secret_of(db: Database, settings: Settings, store_id: int) -> str | None:
    runtime = Runtime.build(db, settings)
    try:
        async with db.reading() as s:
            found = await store_service.get_or_raise(s, store_id)
            return store_service.identity_secret_of(found, runtime.identity_crypto)
    finally:
        await runtime.close()


class TestIdentity:
    async def test_it_signs_a_token_that_starts_a_verified_conversation_for_that_customer(
        self,
        http: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        demo_shop: DemoShop,
        live_server: LiveServer,
    ) -> None:
        key = (await open_session(http, demo_shop))["widget_key"]

        response = await http.post(
            "/demo/api/identity", params={"store": demo_shop.slug}, json={"customer": "maya"}
        )

        assert response.status_code == 200
        body = response.json()
        assert body["expires_in"] == 3600
        assert body["customer"]["email"] == "maya.chen@example.com"
        secret = await secret_of(db, settings, demo_shop.store_id)
        assert secret is not None
        claims = jwt.decode(body["token"], secret, algorithms=["HS256"], audience=demo_shop.slug)
        customer = await maya(db, demo_shop)
        assert claims["sub"] == f"fw:{customer.id}"
        assert claims["exp"] - claims["iat"] == 3600
        started = await http.post(
            "/v1/conversations",
            json={"identity_token": body["token"]},
            headers={"Authorization": f"Bearer {key}", "Origin": live_server.url},
        )
        assert started.status_code == 201
        async with db.reading() as s:
            conversation = await s.scalar(
                select(Conversation).where(
                    Conversation.public_id == started.json()["conversation"]["id"]
                )
            )
        assert conversation is not None
        assert conversation.customer_id == customer.id
        assert conversation.verified_via == "token"

    async def test_an_existing_secret_is_kept(
        self, http: httpx.AsyncClient, db: Database, settings: Settings, demo_shop: DemoShop
    ) -> None:
        runtime = Runtime.build(db, settings)
        async with db.transaction() as s:
            await store_service.rotate_identity_secret(
                s,
                Actor.system(demo_shop.store_id),
                encryptor=runtime.identity_crypto,
                secret="the-shops-own-secret-0123456789abcdef",
            )
        await runtime.close()

        response = await http.post(
            "/demo/api/identity", params={"store": demo_shop.slug}, json={"customer": "daniel"}
        )

        assert response.status_code == 200
        assert await secret_of(db, settings, demo_shop.store_id) == (
            "the-shops-own-secret-0123456789abcdef"
        )
        claims = jwt.decode(
            response.json()["token"],
            "the-shops-own-secret-0123456789abcdef",
            algorithms=["HS256"],
            audience=demo_shop.slug,
        )
        assert claims["sub"].startswith("fw:")

    async def test_someone_who_is_not_a_named_customer_gets_nothing(
        self, http: httpx.AsyncClient, db: Database, demo_shop: DemoShop
    ) -> None:
        response = await http.post(
            "/demo/api/identity", params={"store": demo_shop.slug}, json={"customer": "mallory"}
        )

        assert response.status_code == 404
        assert response.json() == {
            "error": "demo_customer_not_found",
            "detail": "Not one of the demo store's named customers.",
            "customers": [p.key for p in PEOPLE],
        }
        async with db.reading() as s:
            found = await s.get(Store, demo_shop.store_id)
        assert found is not None
        assert found.identity_secret_encrypted is None

    async def test_an_unexpected_field_is_refused(
        self, http: httpx.AsyncClient, demo_shop: DemoShop
    ) -> None:
        response = await http.post(
            "/demo/api/identity",
            params={"store": demo_shop.slug},
            json={"customer": "maya", "customer_id": 1},
        )

        assert response.status_code == 422
        assert response.json()["error"] == "validation_error"


async def first_product(db: Database, shop: DemoShop) -> tuple[Product, list[Variant]]:
    async with db.reading() as s:
        product = await s.scalar(
            select(Product)
            .where(Product.store_id == shop.store_id, Product.status == "active")
            .order_by(Product.id)
            .limit(1)
        )
        assert product is not None
        variants = (
            await s.scalars(
                select(Variant)
                .where(Variant.product_id == product.id, Variant.status == "active")
                .order_by(Variant.position, Variant.id)
            )
        ).all()
    return product, list(variants)


class TestProductPage:
    async def test_it_has_the_product_its_variants_and_their_stock(
        self, http: httpx.AsyncClient, db: Database, demo_shop: DemoShop
    ) -> None:
        product, variants = await first_product(db, demo_shop)

        response = await http.get(
            f"/demo/api/products/{product.handle}", params={"store": demo_shop.slug}
        )

        assert response.status_code == 200
        body = response.json()
        assert (body["id"], body["title"], body["description"]) == (
            product.id,
            product.title,
            product.description,
        )
        assert [v["id"] for v in body["variants"]] == [v.id for v in variants]
        assert body["variants"][0]["price"] == variants[0].price
        assert body["variants"][0]["price_display"] == f"${variants[0].price / 100:,.2f}"
        assert all(isinstance(v["available"], int) for v in body["variants"])

    async def test_an_unknown_handle_is_404(
        self, http: httpx.AsyncClient, demo_shop: DemoShop
    ) -> None:
        response = await http.get(
            "/demo/api/products/no-such-thing", params={"store": demo_shop.slug}
        )

        assert response.status_code == 404
        assert response.json() == {
            "error": "product_not_found",
            "detail": "No such product in this shop.",
            "handle": "no-such-thing",
        }


class TestCartLink:
    async def test_it_prices_the_lines_and_lists_what_it_does_not_know(
        self, http: httpx.AsyncClient, db: Database, demo_shop: DemoShop
    ) -> None:
        product, variants = await first_product(db, demo_shop)
        variant = variants[0]

        response = await http.get(
            "/demo/api/cart",
            params={"store": demo_shop.slug, "items": f"{variant.id}:2,nope:1"},
        )

        assert response.status_code == 200
        body = response.json()
        [line] = body["lines"]
        assert (line["variant_id"], line["title"], line["quantity"]) == (
            variant.id,
            product.title,
            2,
        )
        assert line["line_total"] == variant.price * 2
        assert body["total"] == variant.price * 2
        assert body["missing"] == ["nope"]

    @pytest.mark.parametrize("items", ["12:a", "12:0", "12", "12:100"])
    async def test_malformed_items_are_refused(
        self, http: httpx.AsyncClient, demo_shop: DemoShop, items: str
    ) -> None:
        response = await http.get(
            "/demo/api/cart", params={"store": demo_shop.slug, "items": items}
        )

        assert response.status_code == 422
        assert response.json()["error"] == "invalid_cart_items"
        assert response.json()["item"] == items
