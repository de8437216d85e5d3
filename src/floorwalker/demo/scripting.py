"""A small toolkit for scripting the named customers' orders relative to the anchor time."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from floorwalker.demo import outcomes
from floorwalker.demo.characters import PEOPLE
from floorwalker.demo.customers import (
    CustomerInfo,
    PaymentInfo,
    add_addresses,
    add_payment,
)
from floorwalker.demo.drafts import (
    Ledger,
    LineDraft,
    Money,
    OrderDraft,
)
from floorwalker.demo.plan import Plan
from floorwalker.demo.records import Catalog, ProductInfo, VariantInfo
from floorwalker.demo.vocab.people import GIFT_CARD_VALUES


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
