"""Plan thirteen months of orders: when people buy, who buys again, what they buy together.

Orders follow the seasons (jackets in autumn, tents in summer, gifts in December), a weekly
rhythm and a year-on-year growth; customers buy what their persona likes, in their sizes; a
first item often brings its usual companions (boots with socks). An order's status follows
from its age, and so do its shipments, returns, exchanges and refunds.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random

from floorwalker.demo import outcomes
from floorwalker.demo.customers import INTERESTS, CustomerInfo, address_snapshot
from floorwalker.demo.drafts import Ledger, LineDraft, OrderDraft
from floorwalker.demo.records import Catalog, ProductInfo, VariantInfo
from floorwalker.demo.vocab.catalog import BUNDLES, PRODUCT_TYPES
from floorwalker.demo.vocab.people import CITIES, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES

ORDERS_AT_FULL_SCALE = 10_600
HISTORY_DAYS = 395

#: How busy each month is (December peak, a summer bump, a quiet February).
MONTH_WEIGHT = {
    1: 0.8,
    2: 0.7,
    3: 0.85,
    4: 0.95,
    5: 1.05,
    6: 1.1,
    7: 1.05,
    8: 0.95,
    9: 0.9,
    10: 1.0,
    11: 1.45,
    12: 1.7,
}
WEEKDAY_WEIGHT = (0.95, 0.9, 0.9, 0.95, 1.0, 1.15, 1.2)
HOUR_WEIGHT = (2, 1, 1, 1, 1, 2, 3, 5, 6, 7, 7, 8, 9, 8, 7, 7, 7, 8, 9, 10, 11, 10, 7, 4)

NOTES = (
    "Please leave with the concierge.", "Gift - please leave out the packing slip.",
    "Ring the bell, the dog will bark but is friendly.", "Side door, under the porch.",
    "Birthday present, please gift wrap if possible.", "Deliver after 5pm if you can.",
)  # fmt: skip

_SHOE_FAMILIES = frozenset({"boots", "shoes", "sandals", "slippers"})
_TYPES = {t.key: t for t in PRODUCT_TYPES}


def _status(rng: random.Random, age: dt.timedelta) -> str:
    days = age.total_seconds() / 86400
    table: tuple[tuple[str, int], ...]
    if days < 1.5:
        table = (("pending", 62), ("processing", 28), ("cancelled", 10))
    elif days < 3.5:
        table = (("processing", 22), ("shipped", 72), ("cancelled", 6))
    elif days < 9:
        table = (("shipped", 40), ("delivered", 55), ("cancelled", 5))
    elif days < 40:
        table = (
            ("delivered", 75),
            ("return_requested", 7),
            ("returned", 5),
            ("exchange_requested", 4),
            ("exchanged", 4),
            ("cancelled", 5),
        )
    else:
        table = (("delivered", 83), ("returned", 8), ("exchanged", 4), ("cancelled", 5))
    return rng.choices([s for s, _ in table], weights=[w for _, w in table])[0]


def order_times(rng: random.Random, count: int, now: dt.datetime) -> list[dt.datetime]:
    """`count` moments over the last HISTORY_DAYS, following season, weekday and growth."""
    start = (now - dt.timedelta(days=HISTORY_DAYS)).replace(hour=0, minute=0, second=0)
    days = [start + dt.timedelta(days=d) for d in range(HISTORY_DAYS + 1)]
    weights = [
        MONTH_WEIGHT[d.month] * WEEKDAY_WEIGHT[d.weekday()] * (0.8 + 0.4 * i / HISTORY_DAYS)
        for i, d in enumerate(days)
    ]
    times = []
    for day in rng.choices(days, weights=weights, k=count):
        hour = rng.choices(range(24), weights=HOUR_WEIGHT)[0]
        moment = day + dt.timedelta(
            hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60)
        )
        if moment < now - dt.timedelta(minutes=30):
            times.append(moment)
    return sorted(times)


class Shopper:
    """Picks what a customer (or a guest with a made-up persona) buys, month by month."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._cache: dict[tuple[str, tuple[str, ...], int], tuple[list[str], list[float]]] = {}
        self._tastes: dict[int, tuple[str, tuple[str, ...]]] = {}

    def _type_weights(self, person: CustomerInfo, month: int) -> tuple[list[str], list[float]]:
        taste = self._tastes.get(id(person))
        if taste is None:  # people with the same tastes share one table
            taste = self._tastes[id(person)] = (person.audience, tuple(sorted(person.interests)))
        key = (*taste, month)
        if key not in self._cache:
            liked = {k for interest in person.interests for k in INTERESTS[interest]}
            keys, weights = [], []
            for ptype in PRODUCT_TYPES:
                weight = float(ptype.share)
                weight *= 9.0 if ptype.key in liked else 1.0
                if ptype.audience in ("Women's", "Men's") and ptype.audience != person.audience:
                    weight *= 0.1  # gifts for someone else
                if ptype.audience == "Kids'" and "kids" not in person.interests:
                    weight *= 0.05
                if ptype.peak:
                    weight *= 2.2 if month in ptype.peak else 0.4
                keys.append(ptype.key)
                weights.append(weight)
            self._cache[key] = (keys, list(itertools.accumulate(weights)))
        return self._cache[key]

    def type_for(self, rng: random.Random, person: CustomerInfo, month: int) -> str:
        """A product type this person would buy in this month."""
        keys, cumulative = self._type_weights(person, month)
        return keys[bisect.bisect(cumulative, rng.random() * cumulative[-1])]

    def variant_for(
        self, rng: random.Random, person: CustomerInfo, product: ProductInfo, need_stock: int
    ) -> VariantInfo | None:
        """The variant this person picks: their size, often their colour."""
        candidates = product.variants
        if need_stock:
            candidates = [v for v in candidates if v.total_available() >= need_stock]
        if not candidates:
            return None
        family = product.ptype.family
        sizes = person.sizes
        wanted = (
            [sizes["shoe"]]
            if family in _SHOE_FAMILIES
            else [sizes["sock"]]
            if family == "socks"
            else [sizes["kids"], sizes["toddler"]]
            if family == "kids"
            else [sizes["apparel"], sizes["waist"]]
        )
        for name, value in (
            ("size", wanted),
            ("waist", [sizes["waist"]]),
            ("inseam", [sizes["inseam"]]),
        ):
            values = {v.options.get(name) for v in candidates}
            choice = next((w for w in value if w in values), None)
            if choice is not None:
                candidates = [v for v in candidates if v.options.get(name) == choice]
        if rng.random() < 0.45:
            favourite = [v for v in candidates if v.colour in person.colours]
            candidates = favourite or candidates
        return rng.choice(candidates)

    def basket(
        self, rng: random.Random, person: CustomerInfo, at: dt.datetime, *, need_stock: bool
    ) -> list[LineDraft]:
        """What one order contains (one to four products, often bought together)."""
        count = rng.choices((1, 2, 3, 4), weights=(52, 28, 13, 7))[0]
        types = [self.type_for(rng, person, at.month)]
        while len(types) < count:
            companions = BUNDLES.get(types[0])
            if companions and rng.random() < 0.6:
                types.append(rng.choice(companions))
            else:
                types.append(self.type_for(rng, person, at.month))
        lines: list[LineDraft] = []
        seen: set[int] = set()
        for key in types:
            product = self.catalog.pick(rng, key, at, need_stock=1 if need_stock else 0)
            if product is None or product.index in seen:
                continue
            variant = self.variant_for(rng, person, product, 1 if need_stock else 0)
            if variant is None:
                continue
            seen.add(product.index)
            if _TYPES[key].multi:
                quantity = rng.choices((1, 2, 3, 4), weights=(40, 35, 15, 10))[0]
            else:
                quantity = 1 if rng.random() < 0.94 else 2
            if need_stock:
                quantity = min(quantity, variant.total_available())
            lines.append(LineDraft(variant, quantity, variant.price_at(at)))
        return lines


def guest(rng: random.Random, template: CustomerInfo) -> tuple[str, dict[str, object]]:
    """A guest's e-mail and address (they borrow a customer's tastes, not their identity)."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    email = f"{first.lower()}.{last.lower()}{rng.randint(1, 999)}@{rng.choice(EMAIL_DOMAINS)}"
    email = "".join(c for c in email if c.isascii())
    return email, address_snapshot(rng, f"{first} {last}", rng.choice(CITIES), None)


def plan_orders(
    rng: random.Random,
    *,
    catalog: Catalog,
    customers: list[CustomerInfo],
    now: dt.datetime,
    scale: float,
    cancel_reasons: list[str],
    window_days: int,
    ledger: Ledger,
) -> list[OrderDraft]:
    """Orders of the last thirteen months, in the order they were placed."""
    shopper = Shopper(catalog)
    cumulative = list(itertools.accumulate(c.activity for c in customers))
    drafts: list[OrderDraft] = []
    for at in order_times(rng, max(60, round(ORDERS_AT_FULL_SCALE * scale)), now):
        ledger.settle(at)
        person = customers[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
        status = _status(rng, now - at)
        is_guest = rng.random() < 0.05
        need_stock = status in ("pending", "processing")
        lines = shopper.basket(rng, person, at, need_stock=need_stock)
        if not lines:
            continue
        if is_guest:
            email, address = guest(rng, person)
        else:
            email = person.email
            # The customer's own address dict, shared (never changed): written once per chunk.
            address = (
                rng.choice(person.addresses[1:])
                if len(person.addresses) > 1 and rng.random() < 0.15
                else person.default_address
            )
        draft = OrderDraft(
            customer=None if is_guest else person,
            email=email,
            placed_at=at,
            status=status,
            address=address,
            lines=lines,
            discount_pct=rng.choice((10, 15, 20)) if rng.random() < 0.07 else 0,
            express=rng.random() < 0.04,
            note=rng.choice(NOTES) if rng.random() < 0.03 else "",
        )
        draft.price()
        outcomes.pay(draft, rng, ledger)
        if draft.customer is not None and draft.customer.first_order_at is None:
            draft.customer.first_order_at = at
        settle_status(draft, rng, ledger, now, cancel_reasons, window_days)
        drafts.append(draft)
    return drafts


def settle_status(
    draft: OrderDraft,
    rng: random.Random,
    ledger: Ledger,
    now: dt.datetime,
    cancel_reasons: list[str],
    window_days: int,
) -> None:
    """Bring a paid order to its status: reserve, ship, deliver, cancel, return or exchange."""
    status = draft.status
    if status == "cancelled":
        outcomes.cancel(draft, rng, ledger, now, cancel_reasons)
        return
    if status in ("pending", "processing"):
        outcomes.reserve(draft)
        if status == "pending" and draft.customer is not None and rng.random() < 0.08:
            when = min(draft.placed_at + dt.timedelta(minutes=rng.randint(5, 240)), now)
            outcomes.change_items(draft, rng, ledger, now, at=when.replace(microsecond=0))
        return
    split = rng.random() < 0.12
    outcomes.ship(draft, rng, now, delivered=status != "shipped", split=split)
    if status in ("shipped", "delivered"):
        return
    if status in ("return_requested", "returned"):
        done = outcomes.request_return(
            draft, rng, ledger, now, completed=status == "returned", window_days=window_days
        )
    else:
        done = outcomes.request_exchange(
            draft, rng, ledger, now, completed=status == "exchanged", window_days=window_days
        )
    if not done:
        draft.status = "delivered"
