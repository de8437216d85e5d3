"""Plan browsing events: the sessions that led to every order, and the many that led nowhere.

A buying session searches, views the products it buys and a few it doesn't, adds to cart,
checks out and purchases. Browsing sessions search (sometimes for things the store doesn't
carry, or that are sold out, or with a typo), view, and sometimes abandon a cart. Some
sessions start anonymous and are identified at checkout; as the events service does, the
session is then stitched to the customer and its earlier events carry the customer too.
Customers who refused analytics consent are only ever seen anonymously.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from typing import Any

from floorwalker.demo.customers import CustomerInfo
from floorwalker.demo.drafts import LineDraft, OrderDraft
from floorwalker.demo.orders import Shopper, order_times
from floorwalker.demo.plan import Plan, Ref
from floorwalker.demo.records import Catalog, ProductInfo, normalise_words
from floorwalker.demo.vocab.options import COLOURS
from floorwalker.demo.vocab.searches import (
    AUDIENCE_WORDS,
    NATURAL,
    NOT_CARRIED,
    PRICE_WORDS,
    TEMPLATES,
    USE_WORDS,
)

BROWSING_SESSIONS_AT_FULL_SCALE = 7_000

#: Where a product view came from. Shared, never changed, so the writer encodes each once.
VIA: dict[str, dict[str, Any]] = {
    source: {"source": source} for source in ("search", "category", "direct", "recommendation")
}
NO_PROPERTIES: dict[str, Any] = {}


class EventWriter:
    """Adds events with sequential ids; knows the session's customer (if any)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._ids = itertools.count(1)

    def add(
        self,
        kind: str,
        at: dt.datetime,
        session: str,
        customer: Ref | None,
        *,
        product: ProductInfo | None = None,
        variant: Ref | None = None,
        **fields: Any,
    ) -> None:
        """Add one event at `at` in a session."""
        row = {
            "event_id": f"demo-{next(self._ids):07d}",
            "type": kind,
            "occurred_at": at.replace(microsecond=0),
            "received_at": (at + dt.timedelta(seconds=1)).replace(microsecond=0),
            "customer_id": customer,
            "session_id": session,
            "product_id": product.ref if product else None,
            "variant_id": variant,
            "order_id": fields.pop("order", None),
            "query": fields.pop("query", None),
            "quantity": fields.pop("quantity", None),
            "value": fields.pop("value", None),
            "currency": None,
            "properties": fields.pop("properties", NO_PROPERTIES),
        }
        if row["value"] is not None:
            row["currency"] = "USD"
        self.plan.add("events", row)


def _typo(rng: random.Random, text: str) -> str:
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) > 4]
    if not long:
        return text
    i = rng.choice(long)
    word = words[i]
    j = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:
        word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    else:
        word = word[:j] + word[j + 1 :]
    words[i] = word
    return " ".join(words)


def query_for(rng: random.Random, product: ProductInfo, attributes: dict[str, Any]) -> str:
    """What someone looking for this product might type."""
    variant = rng.choice(product.variants)
    colour = COLOURS[variant.colour][0].lower() if variant.colour else ""
    size = next(iter(variant.options.values()), "") if variant.options else ""
    material = str(attributes.get("material", "")).split(" ")[-1]
    text = rng.choice(TEMPLATES).format(
        t=product.ptype.name.lower(),
        a=rng.choice(AUDIENCE_WORDS[product.ptype.audience]),
        c=colour,
        m=material,
        u=rng.choice(USE_WORDS),
        s=size.lower() if size != "One Size" else "",
        b=product.brand.lower(),
        p=rng.choice(PRICE_WORDS),
    )
    text = " ".join(text.split())
    return _typo(rng, text) if rng.random() < 0.08 else text


class Browsing:
    """Plans sessions over the catalog and orders."""

    def __init__(self, plan: Plan, rng: random.Random, catalog: Catalog, now: dt.datetime) -> None:
        self.plan = plan
        self.rng = rng
        self.catalog = catalog
        self.now = now
        self.events = EventWriter(plan)
        self.shopper = Shopper(catalog)
        self.sold_out = [
            p for p in catalog.products if p.status == "active" and p.index not in catalog.in_stock
        ]

    def _session_id(self) -> str:
        return f"sess_{self.rng.getrandbits(64):016x}"

    def _search(self, at: dt.datetime, sid: str, who: Ref | None, query: str) -> int:
        results, in_stock = self.catalog.search(query)
        props = {"results": results, "in_stock_results": in_stock, "source": "storefront"}
        self.events.add("search", at, sid, who, query=query, properties=props)
        return results

    def _attrs(self, product: ProductInfo) -> dict[str, Any]:
        attributes: dict[str, Any] = self.plan.row(product.ref)["attributes"]
        return attributes

    def purchase_session(self, draft: OrderDraft) -> None:
        """The visit in which an order was placed."""
        rng = self.rng
        customer = draft.customer
        tracked = customer is not None and customer.tracked
        who = customer.ref if customer is not None and tracked else None
        sid = self._session_id()
        steps: list[tuple[str, ProductInfo | None, LineDraft | None]] = []
        first = draft.lines[0].variant.product
        if rng.random() < 0.7:
            steps.append(("search", first, None))
        for line in draft.lines:
            steps.append(("view", line.variant.product, None))
            kin = self.catalog.by_type[line.variant.product.ptype.key]
            for similar in rng.sample(kin, min(2, len(kin))):
                # Shoppers only see what was listed then (no drafts, nothing discontinued).
                if (
                    rng.random() < 0.3
                    and similar is not line.variant.product
                    and similar.sellable_at(draft.placed_at)
                ):
                    steps.append(("view", similar, None))
            steps.append(("add_to_cart", line.variant.product, line))
        extra = rng.choice(self.catalog.by_type[first.ptype.key])
        if rng.random() < 0.15 and extra.sellable_at(draft.placed_at):
            steps += [
                ("view", extra, None),
                ("add_to_cart", extra, None),
                ("remove_from_cart", extra, None),
            ]
        identify_late = tracked and rng.random() < 0.3
        if identify_late:
            steps.append(("identify", None, None))
        steps += [("begin_checkout", None, None), ("purchase", None, None)]
        start = draft.placed_at - dt.timedelta(minutes=rng.uniform(4, 45))
        gap = (draft.placed_at - start) / len(steps)
        cart_variant: dict[int, Ref] = {}
        for n, (kind, product, item) in enumerate(steps):
            at = draft.placed_at if kind == "purchase" else start + gap * n
            if kind == "search" and product is not None:
                self._search(at, sid, who, query_for(rng, product, self._attrs(product)))
            elif kind == "view" and product is not None:
                source = rng.choice(("search", "category", "direct", "recommendation"))
                self.events.add("view", at, sid, who, product=product, properties=VIA[source])
            elif kind in ("add_to_cart", "remove_from_cart") and product is not None:
                variant = item.variant if item else rng.choice(product.variants)
                ref = cart_variant.setdefault(product.index, variant.ref)
                quantity = item.quantity if item else 1
                self.events.add(
                    kind,
                    at,
                    sid,
                    who,
                    product=product,
                    variant=ref,
                    quantity=quantity,
                    value=item.unit_price * quantity if item else variant.price,
                )
            elif kind == "identify" and who is not None:
                self.events.add("identify", at, sid, who, properties={"method": "login"})
                self.plan.add(
                    "session_links",
                    {
                        "session_id": sid,
                        "customer_id": who,
                        "identified_at": at.replace(microsecond=0),
                    },
                )
            elif kind == "begin_checkout":
                self.events.add("begin_checkout", at, sid, who, value=draft.subtotal)
            elif kind == "purchase":
                self.events.add(
                    "purchase",
                    at,
                    sid,
                    who,
                    order=draft.ref,
                    value=draft.total,
                    properties={"lines": len(draft.lines)},
                )

    def browsing_session(self, at: dt.datetime, person: CustomerInfo, known: bool) -> None:
        """A visit that bought nothing: searches, views, maybe an abandoned cart."""
        rng = self.rng
        who = person.ref if known and person.tracked else None
        sid = self._session_id()
        for _ in range(rng.choices((0, 1, 2), weights=(30, 55, 15))[0]):
            roll = rng.random()
            if roll < 0.12:
                query = rng.choice(NOT_CARRIED)
            elif roll < 0.18 and self.sold_out:
                sold_out = rng.choice(self.sold_out)
                query = " ".join(normalise_words(sold_out.title.split(" ", 1)[-1]))
            elif roll < 0.26:
                query = rng.choice(NATURAL)
            else:
                key = self.shopper.type_for(rng, person, at.month)
                sample = rng.choice(self.catalog.by_type[key])
                query = query_for(rng, sample, self._attrs(sample))
            self._search(at, sid, who, query)
            at += dt.timedelta(seconds=rng.randint(10, 90))
        viewed: list[ProductInfo] = []
        for _ in range(rng.choices((1, 2, 3, 4, 5), weights=(30, 28, 20, 12, 10))[0]):
            key = self.shopper.type_for(rng, person, at.month)
            product = self.catalog.pick(rng, key, at)
            if product is None:
                continue
            viewed.append(product)
            self.events.add(
                "view",
                at,
                sid,
                who,
                product=product,
                properties=VIA[rng.choice(("search", "category", "direct"))],
            )
            at += dt.timedelta(seconds=rng.randint(15, 180))
        if viewed and rng.random() < 0.22:
            product = rng.choice(viewed)
            variant = self.shopper.variant_for(rng, person, product, 0)
            if variant is not None:
                self.events.add(
                    "add_to_cart",
                    at,
                    sid,
                    who,
                    product=product,
                    variant=variant.ref,
                    quantity=1,
                    value=variant.price,
                )
                if rng.random() < 0.3:
                    at += dt.timedelta(seconds=rng.randint(20, 300))
                    self.events.add(
                        "remove_from_cart",
                        at,
                        sid,
                        who,
                        product=product,
                        variant=variant.ref,
                        quantity=1,
                        value=variant.price,
                    )
        elif viewed and rng.random() < 0.05:
            self.events.add("add_to_wishlist", at, sid, who, product=viewed[0])


def plan_events(
    plan: Plan,
    rng: random.Random,
    *,
    catalog: Catalog,
    customers: list[CustomerInfo],
    drafts: list[OrderDraft],
    now: dt.datetime,
    scale: float,
) -> None:
    """Add the buying sessions of every order and the store's browsing-only sessions."""
    browsing = Browsing(plan, rng, catalog, now)
    for draft in drafts:
        browsing.purchase_session(draft)
    cumulative = list(itertools.accumulate(c.activity for c in customers))
    count = max(200, round(BROWSING_SESSIONS_AT_FULL_SCALE * scale))
    for at in order_times(rng, count, now):
        person = customers[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
        browsing.browsing_session(at, person, known=rng.random() < 0.4)
