"""The Shopify client against the fake Admin API: pages, throttling, retries, errors."""

from __future__ import annotations

import pytest

from floorwalker.connectors.base import NeutralProduct, Resource
from floorwalker.connectors.errors import PlatformError, PlatformUnavailable
from floorwalker.connectors.http import RetryPolicy
from floorwalker.connectors.shopify.client import ShopifyConnector
from tests.connectors.fakes.server import Fault
from tests.connectors.fakes.shopify import FakeShopify, product_node, variant_node


def client(fake: FakeShopify, **kwargs: object) -> ShopifyConnector:
    return ShopifyConnector(
        fake.url,
        access_token=kwargs.pop("token", fake.token),  # type: ignore[arg-type]
        policy=RetryPolicy(attempts=3, base_delay=1.0, jitter=0.0),
        sleep=fake.clock.sleep,
        clock=fake.clock,
        timeout=kwargs.pop("timeout", 5.0),  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


def shirts(count: int, variants: int = 1) -> list[dict[str, object]]:
    return [
        product_node(
            n,
            title=f"Shirt {n}",
            options=["Size"] if variants > 1 else None,
            updated_at=f"2024-05-{n % 28 + 1:02d}T10:00:00Z",
            variants=[
                variant_node(
                    n * 1000 + v,
                    price="45.00",
                    sku=f"S{n}-{v}",
                    options={"Size": f"S{v}"} if variants > 1 else None,
                    position=v + 1,
                )
                for v in range(variants)
            ],
        )
        for n in range(1, count + 1)
    ]


async def _all(connector: ShopifyConnector, resource: Resource, **kwargs: object) -> list[object]:
    found: list[object] = []
    async for page in connector.fetch(resource, **kwargs):  # type: ignore[arg-type]
        found.extend(page.records)
    return found


class TestPagination:
    async def test_every_product_is_read_across_cursor_pages(self, shopify: FakeShopify) -> None:
        shopify.products = shirts(23)
        connector = client(shopify)

        records = await _all(connector, Resource.PRODUCTS)
        await connector.aclose()

        assert sorted(r.external_id for r in records) == sorted(str(n) for n in range(1, 24))  # type: ignore[attr-defined]
        pages = [r for r in shopify.requests if r["operation"] == "Products"]
        assert [p["variables"]["after"] for p in pages] == [None, "10", "20"]

    async def test_variants_beyond_the_first_page_are_fetched_for_their_product(
        self, shopify: FakeShopify
    ) -> None:
        shopify.products = shirts(1, variants=130)
        connector = client(shopify)

        (product,) = await _all(connector, Resource.PRODUCTS)
        await connector.aclose()

        assert isinstance(product, NeutralProduct)
        assert len(product.variants) == 130
        assert product.variants[129].options == {"Size": "S129"}
        extra = [r for r in shopify.requests if r["operation"] == "ProductVariants"]
        assert [r["variables"]["after"] for r in extra] == ["60"]

    async def test_an_incremental_fetch_asks_only_for_recent_changes(
        self, shopify: FakeShopify
    ) -> None:
        import datetime as dt

        shopify.products = shirts(5)  # updated on May 2nd … 6th
        connector = client(shopify)

        records = await _all(
            connector, Resource.PRODUCTS, since=dt.datetime(2024, 5, 4, 12, tzinfo=dt.UTC)
        )
        await connector.aclose()

        assert sorted(r.external_id for r in records) == ["4", "5"]  # type: ignore[attr-defined]
        query = next(r for r in shopify.requests if r["operation"] == "Products")
        assert query["variables"]["query"] == "updated_at:>'2024-05-04T12:00:00+00:00'"


class TestThrottling:
    async def test_waits_for_the_bucket_to_hold_the_next_querys_cost(
        self, shopify: FakeShopify
    ) -> None:
        shopify.products = shirts(30)
        connector = client(shopify)

        await _all(connector, Resource.PRODUCTS)
        await connector.aclose()

        # 1000 points, Shop costs 1 and a page 620: page 2 finds 379 left → (620-379)/50 s;
        # page 3 finds the bucket empty → 620/50 s.
        assert shopify.clock.sleeps == [4.82, 12.4]
        assert [r["operation"] for r in shopify.requests] == [
            "Shop",
            "Products",
            "Products",
            "Products",
        ]

    async def test_a_throttled_answer_is_waited_out_and_asked_again(
        self, shopify: FakeShopify
    ) -> None:
        shopify.products = shirts(2)
        shopify.server.fail(Fault(throttled=True))
        connector = client(shopify, currency="USD")

        records = await _all(connector, Resource.PRODUCTS)
        await connector.aclose()

        assert len(records) == 2
        # Nothing known about the query's cost yet: wait for one second's worth of points.
        assert shopify.clock.sleeps == [1.0]
        assert [r["operation"] for r in shopify.requests] == ["Products", "Products"]


class TestFailures:
    async def test_server_errors_are_retried_with_backoff(self, shopify: FakeShopify) -> None:
        shopify.products = shirts(1)
        shopify.server.fail(Fault(status=500), Fault(status=503))
        connector = client(shopify)

        records = await _all(connector, Resource.PRODUCTS)
        await connector.aclose()

        assert len(records) == 1
        assert shopify.clock.sleeps == [1.0, 2.0]

    async def test_retry_after_of_a_429_is_honoured(self, shopify: FakeShopify) -> None:
        shopify.server.fail(Fault(status=429, retry_after=7))
        connector = client(shopify)

        assert await connector.currency() == "USD"
        await connector.aclose()

        assert shopify.clock.sleeps == [7.0]

    async def test_a_timeout_is_retried(self, shopify: FakeShopify) -> None:
        shopify.server.fail(Fault(status=200, delay=1.5))
        connector = client(shopify, timeout=0.3)

        assert await connector.currency() == "USD"
        await connector.aclose()

        assert shopify.clock.sleeps == [1.0]

    async def test_gives_up_after_the_last_attempt(self, shopify: FakeShopify) -> None:
        shopify.server.fail(Fault(status=502), Fault(status=502), Fault(status=502))
        connector = client(shopify)

        with pytest.raises(PlatformUnavailable) as raised:
            await connector.currency()
        await connector.aclose()

        assert raised.value.code == "platform_unavailable"
        assert "after 3 attempts (HTTP 502)" in raised.value.detail
        assert len(shopify.requests) == 3

    async def test_a_wrong_token_fails_at_once_without_retrying(self, shopify: FakeShopify) -> None:
        connector = client(shopify, token="shpat_wrong")

        with pytest.raises(PlatformError) as raised:
            await connector.currency()
        await connector.aclose()

        assert raised.value.status_code == 401
        assert len(shopify.requests) == 1
        assert shopify.clock.sleeps == []
