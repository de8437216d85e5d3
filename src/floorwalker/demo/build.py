"""Build a whole demo store as a plan: catalog, customers, stories, orders, stock, events, FAQ.

`build_plan(seed=…, scale=…, now=…)` is pure: the same arguments give a byte-identical plan
(`Plan.checksum`). `now` is the anchor the store's history ends at; the command uses the start
of the current UTC day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from floorwalker.demo.articles import SUPPORT_EMAIL, plan_articles
from floorwalker.demo.catalog import emit_inventory, plan_catalog
from floorwalker.demo.customers import finalise_customers, plan_customers
from floorwalker.demo.drafts import Ledger
from floorwalker.demo.events import plan_events
from floorwalker.demo.order_rows import emit_orders
from floorwalker.demo.orders import plan_orders
from floorwalker.demo.plan import Plan, rng_for
from floorwalker.demo.stories import plan_stories
from floorwalker.stores.policy import StorePolicy
from floorwalker.stores.schemas import StoreSettings

DEMO_SLUG = "demo"
DEMO_NAME = "Alder & Pine Outfitters"
DEFAULT_SEED = 42
#: The plan is held in memory: at 3 it is about a million rows (a gigabyte or so).
MAX_SCALE = 3.0


def store_settings(base_url: str) -> StoreSettings:
    """The demo store's storefront settings: links to Floorwalker's own /demo pages."""
    base = base_url.rstrip("/")
    return StoreSettings(
        storefront_url=f"{base}/demo",
        product_url_template=f"{base}/demo/products/{{handle}}",
        cart_url_template=f"{base}/demo/cart/{{items}}",
        allowed_origins=[base],
        support_email=SUPPORT_EMAIL,
        assistant_name="Scout",
    )


def anchor_for(moment: dt.datetime) -> dt.datetime:
    """The start of `moment`'s UTC day: the demo history ends there."""
    return moment.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def build_plan(
    *,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    now: dt.datetime,
    base_url: str = "http://127.0.0.1:8000",
    slug: str = DEMO_SLUG,
    step: Callable[[str], None] = lambda _name: None,
) -> Plan:
    """Every row of a demo store; `step` is told what is being planned (for progress)."""
    if now.tzinfo is None:
        raise ValueError("the anchor time must be timezone-aware")
    if not 0 < scale <= MAX_SCALE:
        raise ValueError(f"scale must be greater than 0 and at most {MAX_SCALE}")
    policy = StorePolicy()
    plan = Plan(
        store={
            "slug": slug,
            "name": DEMO_NAME,
            "currency": "USD",
            "timezone": "America/Los_Angeles",
            "language": "en",
            "policy": policy.model_dump(mode="json"),
            "settings": store_settings(base_url).model_dump(mode="json"),
            "created_at": now - dt.timedelta(days=1200),
            "updated_at": now,
        }
    )
    step("catalog")
    catalog = plan_catalog(plan, rng_for(seed, "catalog"), now=now, scale=scale)
    step("customers")
    ledger = Ledger()
    named, stories = plan_stories(
        plan,
        rng_for(seed, "stories"),
        catalog=catalog,
        ledger=ledger,
        now=now,
        cancel_reasons=policy.cancel_reasons,
    )
    customers = plan_customers(
        plan, rng_for(seed, "customers"), now=now, scale=scale, named=len(named)
    )
    step("orders")
    drafts = stories + plan_orders(
        rng_for(seed, "orders"),
        catalog=catalog,
        customers=customers,
        now=now,
        scale=scale,
        cancel_reasons=policy.cancel_reasons,
        window_days=policy.return_window_days or 30,
        ledger=ledger,
    )
    ledger.settle(now)
    emit_orders(plan, drafts, catalog.locations)
    spent: dict[int, int] = {}
    for draft in drafts:
        if draft.customer is not None and draft.status != "cancelled":
            spent[draft.customer.ref.index] = spent.get(draft.customer.ref.index, 0) + draft.total
    finalise_customers(plan, rng_for(seed, "finish"), named + customers, spent)
    emit_inventory(plan, catalog, now=now)
    step("events")
    plan_events(
        plan,
        rng_for(seed, "events"),
        catalog=catalog,
        customers=customers,
        drafts=drafts,
        now=now,
        scale=scale,
    )
    plan_articles(plan, policy, now=now)
    return plan
