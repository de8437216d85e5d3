"""Named demo customers whose orders set up a support situation each (see docs/demo.md).

Their orders are scripted relative to the anchor time, so "placed three hours ago" and
"delivered forty days ago" hold whenever the store is generated. Together they also cover
every order status, whatever the scale.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from floorwalker.demo import outcomes
from floorwalker.demo.customers import (
    CustomerInfo,
    PaymentInfo,
    add_addresses,
    add_payment,
)
from floorwalker.demo.drafts import (
    ExchangeDraft,
    Ledger,
    LineDraft,
    Money,
    OrderDraft,
    ReturnDraft,
    settled_status,
)
from floorwalker.demo.plan import Plan
from floorwalker.demo.records import Catalog, ProductInfo, VariantInfo
from floorwalker.demo.vocab.people import GIFT_CARD_VALUES


@dataclass(frozen=True, slots=True)
class Person:
    """Who a named customer is and where they live."""

    key: str
    first: str
    last: str
    email: str
    phone: str
    line1: str
    city: str
    state: str
    postal_code: str
    region: str
    audience: str
    sizes: tuple[tuple[str, str], ...]
    story: str


PEOPLE: tuple[Person, ...] = (
    Person(
        "maya",
        "Maya",
        "Chen",
        "maya.chen@example.com",
        "+1 503-555-0142",
        "2314 SE Hawthorne Blvd",
        "Portland",
        "OR",
        "97214",
        "west",
        "Women's",
        (("apparel", "M"), ("shoe", "8")),
        "A pending order placed three hours ago (rain jacket and socks) to cancel, re-address or "
        "re-size; plus a delivered and a cancelled order in her history.",
    ),
    Person(
        "daniel",
        "Daniel",
        "Okafor",
        "daniel.okafor@example.org",
        "+1 303-555-0118",
        "1650 Pearl St",
        "Denver",
        "CO",
        "80203",
        "west",
        "Men's",
        (("apparel", "L"), ("shoe", "10")),
        "Hiking boots delivered six days ago to return (to his Mastercard or his gift card) or "
        "exchange for another size.",
    ),
    Person(
        "priya",
        "Priya",
        "Raman",
        "priya.raman@example.net",
        "+1 206-555-0177",
        "4127 Fremont Ave N",
        "Seattle",
        "WA",
        "98103",
        "west",
        "Women's",
        (("apparel", "S"), ("shoe", "7")),
        "A pending order paid entirely with her gift card (cancelling it credits the card at "
        "once); earlier orders paid by gift card and an exchange that went through.",
    ),
    Person(
        "lucas",
        "Lucas",
        "Martin",
        "lucas.martin@example.com",
        "+1 312-555-0163",
        "2750 N Lincoln Ave",
        "Chicago",
        "IL",
        "60614",
        "east",
        "Men's",
        (("apparel", "M"), ("shoe", "9.5")),
        "A pending down jacket paid with two payments: his whole $50 gift card and his Visa "
        "for the rest. Cancelling refunds both; changing the payment method is refused.",
    ),
    Person(
        "sofia",
        "Sofia",
        "Rossi",
        "sofia.rossi@example.org",
        "+1 718-555-0129",
        "318 Atlantic Ave",
        "Brooklyn",
        "NY",
        "11201",
        "east",
        "Women's",
        (("apparel", "S"), ("shoe", "8")),
        "A pending boot order whose size was already changed once: it can no longer be "
        "changed or cancelled. A completed return in her history.",
    ),
    Person(
        "james",
        "James",
        "Whitaker",
        "james.whitaker@example.com",
        "+1 617-555-0191",
        "77 Beacon St",
        "Boston",
        "MA",
        "02108",
        "east",
        "Men's",
        (("apparel", "XL"), ("shoe", "11")),
        "A rain jacket delivered forty days ago — past the 30-day return window — and a parcel "
        "in transit to track.",
    ),
    Person(
        "elena",
        "Elena",
        "Petrova",
        "elena.petrova@example.net",
        "+1 828-555-0155",
        "52 Haywood St",
        "Asheville",
        "NC",
        "28801",
        "east",
        "Women's",
        (("apparel", "M"), ("shoe", "8")),
        "A return in progress (sheets) and an exchange waiting for her old shoes to come back.",
    ),
    Person(
        "amara",
        "Amara",
        "Nwosu",
        "amara.nwosu@example.com",
        "+1 512-555-0108",
        "1401 S Congress Ave",
        "Austin",
        "TX",
        "78704",
        "east",
        "Women's",
        (("apparel", "L"), ("shoe", "9")),
        "A camping order being packed (processing) and a tent, bag and pad shipped in two "
        "parcels, each with its own tracking number.",
    ),
)


class Stories:
    """Builds the named customers and scripts their orders."""

    def __init__(
        self, plan: Plan, rng: random.Random, catalog: Catalog, ledger: Ledger, now: dt.datetime
    ) -> None:
        self.plan = plan
        self.rng = rng
        self.catalog = catalog
        self.ledger = ledger
        self.now = now
        self.customers: dict[str, CustomerInfo] = {}
        self.drafts: list[OrderDraft] = []

    def ago(self, days: float = 0, hours: float = 0) -> dt.datetime:
        """The anchor time minus a span, to the second (whole days get a time of day)."""
        moment = self.now - dt.timedelta(days=days, hours=hours)
        if days and not hours:
            # A few hours earlier on that day, so scripted orders don't all fall at midnight.
            moment -= dt.timedelta(minutes=self.rng.randrange(60, 600))
        return moment.replace(microsecond=0)

    def add_people(self) -> list[CustomerInfo]:
        """Add the named customers (addresses, cards, PayPal, gift cards)."""
        for person in PEOPLE:
            joined = self.ago(days=700)
            sizes = {
                "apparel": "M",
                "shoe": "9",
                "waist": "32",
                "inseam": "32",
                "kids": "7-8",
                "toddler": "3T",
                "sock": "M",
                **dict(person.sizes),
            }
            address = {
                "name": f"{person.first} {person.last}",
                "line1": person.line1,
                "line2": "",
                "city": person.city,
                "region": person.state,
                "postal_code": person.postal_code,
                "country": "US",
                "phone": person.phone,
            }
            consent = {"granted": True, "at": joined.isoformat()}
            customer = CustomerInfo(
                ref=self.plan.add(
                    "customers",
                    {
                        "source": "demo",
                        "email": person.email,
                        "first_name": person.first,
                        "last_name": person.last,
                        "phone": person.phone,
                        "language": "en",
                        "accepts_marketing": True,
                        "consent": dict.fromkeys(
                            ("personalisation", "analytics", "marketing"), consent
                        ),
                        "preferences": {
                            "sizes": {"tops": sizes["apparel"], "shoes": sizes["shoe"]}
                        },
                        "tags": ["demo-story", "newsletter"],
                        "created_at": joined,
                        "updated_at": joined,
                    },
                ),
                first_name=person.first,
                last_name=person.last,
                email=person.email,
                audience=person.audience,
                sizes=sizes,
                colours=("slate-blue", "moss", "charcoal"),
                interests=("hiking", "camping"),
                activity=1.0,
                region=person.region,
                tax_bp=0,
                addresses=[address],
                named=True,
            )
            add_addresses(self.plan, customer, created_at=joined)
            self.customers[person.key] = customer
        return list(self.customers.values())

    def method(
        self,
        key: str,
        kind: str,
        *,
        brand: str | None = None,
        last4: str | None = None,
        balance: int | None = None,
    ) -> PaymentInfo:
        """Give a named customer a payment method."""
        return add_payment(
            self.plan,
            self.rng,
            self.customers[key],
            kind=kind,
            brand=brand,
            last4=last4,
            balance=balance,
            now=self.now,
            created_at=self.ago(days=700),
        )

    def pick(
        self,
        type_key: str,
        *,
        size: str | None = None,
        stock: int = 0,
        spare: bool = False,
        test: Callable[[ProductInfo], bool] = lambda p: True,
    ) -> VariantInfo:
        """A variant of the most popular long-listed, full-price, active product of a type.

        `size`: in that size; `stock`: that many can be promised; `spare`: another option of
        the same colour is also in stock (so it can be swapped or exchanged).
        """
        for product in self.catalog.by_type[type_key]:
            if not (
                product.status == "active"
                and product.sale_since is None
                and product.created_at < self.ago(days=400)
                and test(product)
            ):
                continue
            for v in product.variants:
                if size is not None and v.options.get("size") != size:
                    continue
                if v.total_available() < stock:
                    continue
                if spare and not any(
                    o is not v and o.colour == v.colour and o.total_available() >= 3
                    for o in product.variants
                ):
                    continue
                return v
        raise LookupError(f"no {type_key} product suits the demo stories")

    def order(
        self,
        key: str,
        placed_at: dt.datetime,
        lines: list[tuple[VariantInfo, int]],
        status: str,
        *,
        story: str,
    ) -> OrderDraft:
        """A priced order of a named customer (not yet paid)."""
        customer = self.customers[key]
        draft = OrderDraft(
            customer=customer,
            email=customer.email,
            placed_at=placed_at,
            status=status,
            address=dict(customer.default_address),
            lines=[LineDraft(v, q, v.price_at(placed_at)) for v, q in lines],
            story=story,
        )
        draft.price()
        if customer.first_order_at is None or placed_at < customer.first_order_at:
            customer.first_order_at = placed_at
        self.drafts.append(draft)
        return draft

    def ship(self, draft: OrderDraft, shipped: dt.datetime, delivered: dt.datetime | None) -> None:
        """Ship every line in one parcel (delivered at `delivered`, or still in transit)."""
        outcomes.ship(draft, self.rng, self.now, delivered=delivered is not None, split=False)
        for shipment in draft.shipments:
            shipment.shipped_at = shipped
            shipment.delivered_at = delivered
            shipment.estimated_at = (delivered or self.ago(hours=-30)).replace(minute=0, second=0)

    def pay(self, draft: OrderDraft, *methods: PaymentInfo) -> None:
        """Pay with the given methods in turn (each stored-value method as far as it goes)."""
        remaining = draft.total
        for i, method in enumerate(methods):
            last = i == len(methods) - 1
            amount = remaining if last else min(remaining, method.balance or 0)
            self.ledger.move(
                draft,
                Money(
                    "payment",
                    amount,
                    method,
                    method.kind,
                    method.label,
                    "succeeded",
                    "order placed",
                    draft.placed_at,
                ),
            )
            remaining -= amount


def gift_card_value(spent: int) -> int:
    """The smallest gift-card value that covers `spent` (the biggest one otherwise)."""
    return next((v for v in GIFT_CARD_VALUES if v >= spent), GIFT_CARD_VALUES[-1])


def plan_stories(
    plan: Plan,
    rng: random.Random,
    *,
    catalog: Catalog,
    ledger: Ledger,
    now: dt.datetime,
    cancel_reasons: list[str],
) -> tuple[list[CustomerInfo], list[OrderDraft]]:
    """The named customers and their scripted orders (placed first, so stock is theirs)."""
    s = Stories(plan, rng, catalog, ledger, now)
    people = s.add_people()

    # Maya: a delivered fleece, a cancelled order, and a pending order to work on.
    visa = s.method("maya", "card", brand="visa", last4="4242")
    s.method("maya", "paypal")
    fleece = s.pick("w-fleece", size="M")
    old = s.order("maya", s.ago(days=80), [(fleece, 1)], "delivered", story="maya-history")
    s.pay(old, visa)
    s.ship(old, s.ago(days=79), s.ago(days=75))
    oops = s.order(
        "maya", s.ago(days=120), [(s.pick("beanie"), 1)], "cancelled", story="maya-cancelled"
    )
    s.pay(oops, visa)
    outcomes.cancel(oops, rng, ledger, now, cancel_reasons[-1:], at=s.ago(days=120, hours=-1))
    rain = s.pick(
        "w-rain",
        size="M",
        stock=3,
        spare=True,
        test=lambda p: len({v.colour for v in p.variants}) > 1,
    )
    pending = s.order(
        "maya",
        s.ago(hours=3),
        [(rain, 1), (s.pick("hike-sock", stock=4), 2)],
        "pending",
        story="maya-pending",
    )
    s.pay(pending, visa)
    outcomes.reserve(pending)

    # Daniel: boots delivered six days ago, ready to return or exchange.
    mastercard = s.method("daniel", "card", brand="mastercard", last4="5454")
    s.method("daniel", "gift_card", last4="7788", balance=2500)
    boots = s.pick("m-boot", size="10", spare=True)
    daniel = s.order(
        "daniel",
        s.ago(days=9),
        [(boots, 1), (s.pick("hike-sock"), 2)],
        "delivered",
        story="daniel-return",
    )
    s.pay(daniel, mastercard)
    s.ship(daniel, s.ago(days=8), s.ago(days=6))

    # Priya: everything on a gift card; a pending order it still fully covers.
    candle = s.pick("candle")
    blanket = s.pick("fleece-blanket", stock=3)
    tee = s.pick("w-tee", size="S", spare=True)
    tee_product = tee.product
    first = s.order("priya", s.ago(days=50), [(candle, 1)], "delivered", story="priya-history")
    second = s.order("priya", s.ago(hours=5), [(blanket, 1)], "pending", story="priya-gift-card")
    card = s.method(
        "priya",
        "gift_card",
        last4="3141",
        balance=gift_card_value(first.total + second.total + 1000),
    )
    priya_visa = s.method("priya", "card", brand="visa", last4="1881")
    s.pay(first, card)
    s.ship(first, s.ago(days=49), s.ago(days=46))
    swapped = s.order("priya", s.ago(days=100), [(tee, 1)], "exchanged", story="priya-exchange")
    s.pay(swapped, priya_visa)
    s.ship(swapped, s.ago(days=99), s.ago(days=96))
    bigger = next(v for v in tee_product.variants if v is not tee and v.colour == tee.colour)
    swapped.exchanges.append(
        ExchangeDraft(
            0,
            1,
            bigger,
            bigger.price_at(s.ago(days=90)),
            "completed",
            0,
            None,
            "Too small",
            s.ago(days=90),
            s.ago(days=82),
        )
    )
    s.pay(second, card)
    outcomes.reserve(second)

    # Lucas: a $50 gift card and a Visa paying one pending order.
    lucas_gift = s.method("lucas", "gift_card", last4="5050", balance=5000)
    lucas_visa = s.method("lucas", "card", brand="visa", last4="4000")
    s.method("lucas", "paypal")
    jacket = s.pick("m-down", size="M", stock=2)
    split = s.order("lucas", s.ago(hours=2), [(jacket, 1)], "pending", story="lucas-two-payments")
    s.pay(split, lucas_gift, lucas_visa)
    outcomes.reserve(split)

    # Sofia: her size was already changed once; a completed return in the past.
    amex = s.method("sofia", "card", brand="amex", last4="1005")
    sofia_boots = s.pick("w-boot", size="8", stock=2, spare=True)
    changed = s.order(
        "sofia", s.ago(hours=20), [(sofia_boots, 1)], "pending", story="sofia-modified"
    )
    s.pay(changed, amex)
    outcomes.reserve(changed)
    outcomes.change_items(changed, rng, ledger, now, at=s.ago(hours=19))
    pants = s.pick("w-hike")
    returned = s.order("sofia", s.ago(days=60), [(pants, 1)], "returned", story="sofia-returned")
    s.pay(returned, amex)
    s.ship(returned, s.ago(days=59), s.ago(days=56))
    returned.returns.append(
        ReturnDraft(
            [(0, 1)],
            "received",
            returned.lines[0].total,
            amex,
            "card",
            amex.label,
            "Too large",
            s.ago(days=50),
            s.ago(days=44),
        )
    )
    ledger.move(
        returned,
        Money(
            "refund",
            returned.lines[0].total,
            amex,
            "card",
            amex.label,
            "succeeded",
            "return received",
            s.ago(days=44),
        ),
    )

    # James: delivered forty days ago (outside the window) and a parcel on its way.
    s.method("james", "card", brand="visa", last4="1111")
    paypal = s.method("james", "paypal")
    late = s.order(
        "james", s.ago(days=44), [(s.pick("m-rain"), 1)], "delivered", story="james-outside-window"
    )
    s.pay(late, paypal)
    s.ship(late, s.ago(days=43), s.ago(days=40))
    moving = s.order(
        "james",
        s.ago(days=2),
        [(s.pick("bottle"), 1), (s.pick("headlamp"), 1)],
        "shipped",
        story="james-in-transit",
    )
    s.pay(moving, paypal)
    s.ship(moving, s.ago(days=1), None)

    # Elena: a return and an exchange both in progress.
    elena_visa = s.method("elena", "card", brand="visa", last4="2222")
    s.method("elena", "gift_card", last4="6060", balance=7500)
    sheets = s.order(
        "elena", s.ago(days=12), [(s.pick("sheets"), 1)], "return_requested", story="elena-return"
    )
    s.pay(sheets, elena_visa)
    s.ship(sheets, s.ago(days=11), s.ago(days=9))
    sheets.returns.append(
        ReturnDraft(
            [(0, 1)],
            "requested",
            sheets.lines[0].total,
            elena_visa,
            "card",
            elena_visa.label,
            "Colour not as expected",
            s.ago(days=2),
            None,
        )
    )
    shoes = s.pick("w-trail", size="8", spare=True)
    trail = shoes.product
    runner = s.order(
        "elena", s.ago(days=15), [(shoes, 1)], "exchange_requested", story="elena-exchange"
    )
    s.pay(runner, elena_visa)
    s.ship(runner, s.ago(days=14), s.ago(days=12))
    half = next(
        v
        for v in trail.variants
        if v is not shoes and v.colour == shoes.colour and v.total_available() >= 1
    )
    swap = ExchangeDraft(
        0,
        1,
        half,
        half.price_at(s.ago(days=1)),
        "requested",
        (half.price_at(s.ago(days=1)) - shoes.price) * 1,
        None,
        "Too small",
        s.ago(days=1),
        None,
    )
    swap.reserved_at = outcomes.reserve_units(half, 1, "east")
    if swap.difference:
        swap.method = elena_visa
        if swap.difference > 0:
            ledger.move(
                runner,
                Money(
                    "payment",
                    swap.difference,
                    elena_visa,
                    "card",
                    elena_visa.label,
                    settled_status("card", swap.requested_at, now),
                    "exchange",
                    swap.requested_at,
                ),
            )
    runner.exchanges.append(swap)

    # Amara: camping kit being packed, and a tent, bag and pad in two parcels.
    amara_card = s.method("amara", "card", brand="mastercard", last4="3333")
    packing = s.order(
        "amara",
        s.ago(days=1),
        [(s.pick("camp-tent", stock=2), 1), (s.pick("chair", stock=3), 2)],
        "processing",
        story="amara-processing",
    )
    s.pay(packing, amara_card)
    outcomes.reserve(packing)
    kit = s.order(
        "amara",
        s.ago(days=3),
        [(s.pick("bp-tent"), 1), (s.pick("bag"), 1), (s.pick("pad"), 1)],
        "shipped",
        story="amara-split",
    )
    s.pay(kit, amara_card)
    outcomes.ship(kit, rng, now, delivered=False, split=True)
    for i, shipment in enumerate(kit.shipments):
        shipment.shipped_at = s.ago(days=2, hours=-3 * i)
    return people, s.drafts
