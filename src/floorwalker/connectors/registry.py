"""Which platforms Floorwalker connects to, what credentials each needs, and how to build one."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from floorwalker.connectors.base import Connector
from floorwalker.connectors.errors import InvalidCredentials, UnknownPlatform
from floorwalker.connectors.http import RetryPolicy, Sleep
from floorwalker.connectors.shopify.client import API_VERSION, ShopifyConnector
from floorwalker.connectors.woocommerce.client import WooCommerceConnector

#: Credential fields each platform needs.
REQUIRED_CREDENTIALS: dict[str, tuple[str, ...]] = {
    "shopify": ("access_token",),
    "woocommerce": ("consumer_key", "consumer_secret"),
}


def platforms() -> list[str]:
    """The platforms with a connector."""
    return sorted(REQUIRED_CREDENTIALS)


def check_credentials(platform: str, credentials: Mapping[str, str]) -> dict[str, str]:
    """The credentials a platform needs, stripped; raises if one is missing or unknown."""
    if platform not in REQUIRED_CREDENTIALS:
        raise UnknownPlatform(platform, platforms())
    needed = REQUIRED_CREDENTIALS[platform]
    missing = [k for k in needed if not str(credentials.get(k) or "").strip()]
    unknown = [k for k in credentials if k not in needed]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown {', '.join(unknown)}")
        raise InvalidCredentials(
            f"{platform} credentials: {'; '.join(parts)} (needed: {', '.join(needed)}).",
            missing=missing,
            unknown=unknown,
        )
    return {k: str(credentials[k]).strip() for k in needed}


def _policy(settings: Mapping[str, Any]) -> RetryPolicy:
    return RetryPolicy(
        attempts=int(settings.get("retry_attempts", 5)),
        base_delay=float(settings.get("retry_base_delay", 0.5)),
        max_delay=float(settings.get("retry_max_delay", 30.0)),
        jitter=float(settings.get("retry_jitter", 0.1)),
    )


def build(
    platform: str,
    base_url: str,
    credentials: Mapping[str, str],
    settings: Mapping[str, Any],
    *,
    currency: str,
    sleep: Sleep = asyncio.sleep,
) -> Connector:
    """A connector for one connection (the caller closes it)."""
    timeout = float(settings.get("timeout", 30.0))
    if platform == "shopify":
        return ShopifyConnector(
            base_url,
            access_token=credentials["access_token"],
            api_version=str(settings.get("api_version") or API_VERSION),
            currency=str(settings.get("currency") or currency),
            page_size=int(settings.get("page_size", 50)),
            policy=_policy(settings),
            sleep=sleep,
            timeout=timeout,
        )
    if platform == "woocommerce":
        return WooCommerceConnector(
            base_url,
            consumer_key=credentials["consumer_key"],
            consumer_secret=credentials["consumer_secret"],
            currency=str(settings.get("currency") or currency),
            weight_unit=str(settings.get("weight_unit") or "kg"),
            page_size=int(settings.get("page_size", 100)),
            policy=_policy(settings),
            sleep=sleep,
            timeout=timeout,
        )
    raise UnknownPlatform(platform, platforms())
