"""Plan the demo customers: who they are, where they live, how they pay and what they like.

Each customer gets a persona (audience, sizes, favourite colours, interests, how often they
buy) that the order and event planners follow, so repeat purchases are consistent (the same
shoe size, the same interests) and recommendations have real signal to learn from.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from floorwalker.demo.plan import Plan, Ref
from floorwalker.demo.vocab.options import COLOURS
from floorwalker.demo.vocab.people import (
    AREA_CODES,
    CARD_BRANDS,
    CITIES,
    EMAIL_DOMAINS,
    FIRST_NAMES,
    GIFT_CARD_VALUES,
    LAST_NAMES,
    STREET_SUFFIXES,
    STREETS,
    UNITS,
)

CUSTOMERS_AT_FULL_SCALE = 1250

#: Interest → the product types people with that interest buy.
INTERESTS: dict[str, tuple[str, ...]] = {
    "hiking": ("w-rain", "m-rain", "w-hike", "m-hike", "w-boot", "m-boot", "hike-sock", "daypack",
               "w-fleece", "m-fleece", "bottle", "sunhat", "w-short", "m-short", "w-sun", "m-sun",
               "w-soft", "m-soft"),
    "backpacking": ("bp-tent", "bag", "quilt", "pad", "bigpack", "stove", "cookset", "headlamp",
                    "m-pack-boot", "tarp", "flask", "w-down", "m-down"),
    "camping": ("camp-tent", "chair", "lantern", "cookset", "stove", "bag", "pad", "tumbler",
                "flask", "fleece-blanket", "w-flannel", "m-flannel"),
    "running": ("w-trail", "m-trail", "hip", "crew-sock", "w-tee", "m-tee", "w-leg", "headlamp",
                "liners", "cap", "w-ls", "m-ls"),
    "winter": ("w-down", "m-down", "w-parka", "m-parka", "beanie", "gloves", "mittens",
               "ski-sock", "w-qzip", "m-qzip", "w-vest", "m-vest", "liners", "w-jog", "m-jog"),
    "home": ("sheets", "duvet", "comforter", "pillow", "wool-throw", "knit-throw",
             "fleece-blanket", "towel", "mat", "robe", "candle", "diffuser", "w-slip", "m-slip"),
    "kitchen": ("skillet", "dutch", "knife", "board", "mug", "dinner", "glass", "tumbler"),
    "everyday": ("w-tee", "m-tee", "w-ls", "m-ls", "w-flannel", "m-flannel", "m-button",
                 "w-dress", "w-skirt", "w-skort", "w-jog", "m-jog", "u-slipon", "w-leg",
                 "crew-sock", "m-work", "m-chore", "travel", "cap", "beanie"),
    "kids": ("k-rain", "k-puffer", "k-bibs", "k-fleece", "k-tee", "k-leg"),
}  # fmt: skip

_APPAREL = ("XS", "S", "M", "L", "XL", "XXL")
_SHOE_W = ("6", "6.5", "7", "7.5", "8", "8.5", "9", "9.5", "10")
_SHOE_M = ("8", "8.5", "9", "9.5", "10", "10.5", "11", "11.5", "12")


@dataclass(slots=True, eq=False)
class PaymentInfo:
    """A customer's payment method, with its running balance for gift cards."""

    ref: Ref
    kind: str
    label: str
    active: bool = True
    balance: int | None = None


@dataclass(slots=True, eq=False)
class CustomerInfo:
    """A planned customer and the persona that drives their orders and browsing."""

    ref: Ref
    first_name: str
    last_name: str
    email: str
    audience: str
    sizes: dict[str, str]
    colours: tuple[str, ...]
    interests: tuple[str, ...]
    activity: float
    region: str
    tax_bp: int
    addresses: list[dict[str, Any]]
    payments: list[PaymentInfo] = field(default_factory=list)
    address_refs: list[Ref] = field(default_factory=list)
    first_order_at: dt.datetime | None = None
    spent: int = 0
    named: bool = False
    #: Whether their analytics consent lets the store keep their browsing events.
    tracked: bool = True

    @property
    def default_address(self) -> dict[str, Any]:
        """The shipping-address snapshot of the default address."""
        return self.addresses[0]

    def methods(self, *kinds: str) -> list[PaymentInfo]:
        """Active methods of the given kinds (all kinds when none are given)."""
        return [p for p in self.payments if p.active and (not kinds or p.kind in kinds)]


def payment_label(kind: str, brand: str | None = None, last4: str | None = None) -> str:
    """How a method is shown ("Visa ending 4242"), as `PaymentMethod.label` spells it."""
    if kind == "card":
        return f"{(brand or 'card').title()} ending {last4 or '????'}"
    if kind == "paypal":
        return "PayPal"
    if kind == "gift_card":
        return "Gift card" + (f" ending {last4}" if last4 else "")
    return "Store credit"


def phone_number(rng: random.Random, state: str) -> str:
    """A US number in the 555-01xx block reserved for fiction."""
    return f"+1 {rng.choice(AREA_CODES[state])}-555-01{rng.randint(0, 99):02d}"


def street_address(rng: random.Random) -> tuple[str, str]:
    """A street line and (sometimes) an apartment line."""
    line1 = f"{rng.randint(100, 9899)} {rng.choice(STREETS)} {rng.choice(STREET_SUFFIXES)}"
    line2 = ""
    if rng.random() < 0.28:
        unit, number = rng.choice(UNITS), rng.randint(1, 40)
        letter = rng.choice("ABCD") if rng.random() < 0.4 else ""
        line2 = f"{unit} {number}{letter}"
    return line1, line2


def address_snapshot(
    rng: random.Random, name: str, city: tuple[str, str, str, int, str], phone: str | None
) -> dict[str, Any]:
    """An address as orders keep it (and as the address row stores it)."""
    line1, line2 = street_address(rng)
    return {
        "name": name,
        "line1": line1,
        "line2": line2,
        "city": city[0],
        "region": city[1],
        "postal_code": f"{city[2]}{rng.randint(0, 99):02d}",
        "country": "US",
        "phone": phone,
    }


def add_addresses(plan: Plan, customer: CustomerInfo, *, created_at: dt.datetime) -> None:
    """Add the customer's address rows (the first is the default)."""
    for position, address in enumerate(customer.addresses):
        ref = plan.add(
            "addresses",
            {
                "customer_id": customer.ref,
                "source": "demo",
                **address,
                "is_default": position == 0,
                "created_at": created_at,
                "updated_at": created_at,
            },
        )
        customer.address_refs.append(ref)


def add_payment(
    plan: Plan,
    rng: random.Random,
    customer: CustomerInfo,
    *,
    kind: str,
    now: dt.datetime,
    created_at: dt.datetime,
    brand: str | None = None,
    last4: str | None = None,
    balance: int | None = None,
    expired: bool = False,
) -> PaymentInfo:
    """Add one payment method (never a card number: brand and last four only)."""
    last4 = last4 or (f"{rng.randint(0, 9999):04d}" if kind in ("card", "gift_card") else None)
    row: dict[str, Any] = {
        "customer_id": customer.ref,
        "source": "demo",
        "kind": kind,
        "brand": brand if kind == "card" else None,
        "last4": last4,
        "exp_month": rng.randint(1, 12) if kind == "card" else None,
        "exp_year": (now.year + rng.randint(1, 5) if not expired else now.year - 1)
        if kind == "card"
        else None,
        "paypal_email": customer.email if kind == "paypal" else None,
        "balance": balance,
        "currency": "USD" if balance is not None else None,
        "active": not expired,
        "created_at": created_at,
        "updated_at": created_at,
    }
    info = PaymentInfo(
        plan.add("payment_methods", row),
        kind,
        payment_label(kind, brand, last4),
        active=not expired,
        balance=balance,
    )
    customer.payments.append(info)
    return info


def _persona(rng: random.Random) -> tuple[str, dict[str, str], tuple[str, ...]]:
    audience = rng.choices(("Women's", "Men's"), weights=(55, 45))[0]
    women = audience == "Women's"
    apparel = rng.choices(
        _APPAREL, weights=(8, 22, 30, 22, 12, 6) if women else (2, 12, 28, 30, 18, 10)
    )[0]
    sizes = {
        "apparel": apparel,
        "shoe": rng.choice(_SHOE_W if women else _SHOE_M),
        "waist": rng.choice(
            ("2", "4", "6", "8", "10", "12") if women else ("30", "32", "34", "36")
        ),
        "inseam": rng.choice(("30", "32", "34")),
        "kids": rng.choice(("4", "5-6", "7-8", "10-12")),
        "toddler": rng.choice(("2T", "3T", "4T")),
        "sock": {"XS": "S", "S": "S", "M": "M", "L": "L", "XL": "XL", "XXL": "XL"}[apparel],
    }
    interests = tuple(rng.sample(sorted(INTERESTS), rng.randint(2, 3)))
    if rng.random() < 0.22 and "kids" not in interests:
        interests += ("kids",)
    return audience, sizes, interests


def plan_customers(
    plan: Plan, rng: random.Random, *, now: dt.datetime, scale: float, named: int
) -> list[CustomerInfo]:
    """Add `CUSTOMERS_AT_FULL_SCALE × scale` customers (after the `named` story customers)."""
    emails: set[str] = set()
    customers: list[CustomerInfo] = []
    palette = sorted(COLOURS)
    for _ in range(max(40, round(CUSTOMERS_AT_FULL_SCALE * scale)) - named):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local = rng.choice(
            (f"{first}.{last}", f"{first[0]}{last}", f"{first}{last[0]}", f"{first}_{last}")
        )
        local = "".join(c for c in local.lower() if c.isalnum() or c in "._")
        email = f"{local}@{rng.choice(EMAIL_DOMAINS)}"
        while email in emails:
            email = f"{local}{rng.randint(2, 99)}@{rng.choice(EMAIL_DOMAINS)}"
        emails.add(email)
        audience, sizes, interests = _persona(rng)
        city = rng.choice(CITIES)
        phone = phone_number(rng, city[1]) if rng.random() < 0.8 else None
        name = f"{first} {last}"
        addresses = [address_snapshot(rng, name, city, phone)]
        for _extra in range(rng.choices((0, 1, 2), weights=(70, 22, 8))[0]):
            other = rng.choice(CITIES) if rng.random() < 0.4 else city
            addresses.append(
                address_snapshot(
                    rng, rng.choice((name, name, f"{first} {rng.choice(LAST_NAMES)}")), other, phone
                )
            )
        # How often they buy: most customers order once or twice, a few very often.
        activity = min(40.0, rng.paretovariate(1.3))
        created_at = (now - dt.timedelta(days=rng.uniform(1, 900))).replace(microsecond=0)
        consent_at = created_at.isoformat()
        personalise = rng.random() < 0.8
        marketing = rng.random() < 0.45
        analytics = rng.random() < 0.85
        customer = CustomerInfo(
            ref=plan.add(
                "customers",
                {
                    "source": "demo",
                    "email": email,
                    "first_name": first,
                    "last_name": last,
                    "phone": phone,
                    "language": "en",
                    "accepts_marketing": marketing,
                    "consent": {
                        "personalisation": {"granted": personalise, "at": consent_at},
                        "analytics": {"granted": analytics, "at": consent_at},
                        "marketing": {"granted": marketing, "at": consent_at},
                    },
                    "preferences": {},
                    "tags": ["newsletter"] if marketing else [],
                    "created_at": created_at,
                    "updated_at": created_at,
                },
            ),
            first_name=first,
            last_name=last,
            email=email,
            audience=audience,
            sizes=sizes,
            colours=tuple(rng.sample(palette, 3)),
            interests=interests,
            activity=activity,
            region=city[4],
            tax_bp=city[3],
            addresses=addresses,
            tracked=analytics,
        )
        if personalise and rng.random() < 0.5:
            plan.row(customer.ref)["preferences"] = {
                "sizes": {"tops": sizes["apparel"], "shoes": sizes["shoe"]},
                "colours": [COLOURS[c][0] for c in customer.colours[:2]],
            }
        add_addresses(plan, customer, created_at=created_at)
        brand = rng.choices([b for b, _ in CARD_BRANDS], weights=[w for _, w in CARD_BRANDS])[0]
        add_payment(plan, rng, customer, kind="card", brand=brand, now=now, created_at=created_at)
        if rng.random() < 0.2:
            add_payment(
                plan,
                rng,
                customer,
                kind="card",
                brand=rng.choice(("visa", "mastercard")),
                now=now,
                created_at=created_at,
                expired=rng.random() < 0.3,
            )
        if rng.random() < 0.35:
            add_payment(plan, rng, customer, kind="paypal", now=now, created_at=created_at)
        if rng.random() < 0.22:
            value = rng.choice(GIFT_CARD_VALUES)
            add_payment(
                plan,
                rng,
                customer,
                kind="gift_card",
                balance=value,
                now=now,
                created_at=created_at,
            )
        if rng.random() < 0.05:
            add_payment(
                plan,
                rng,
                customer,
                kind="store_credit",
                balance=rng.randrange(500, 5000, 100),
                now=now,
                created_at=created_at,
            )
        customers.append(customer)
    return customers


def finalise_customers(
    plan: Plan, rng: random.Random, customers: list[CustomerInfo], spent: dict[int, int]
) -> None:
    """Write final balances, sign-up dates before first orders and the VIP tag."""
    ranked = sorted(spent.values(), reverse=True)
    vip_from = ranked[max(0, len(ranked) // 20 - 1)] if ranked else 0
    for customer in customers:
        row = plan.row(customer.ref)
        if customer.first_order_at is not None and customer.first_order_at < row["created_at"]:
            days = dt.timedelta(days=rng.uniform(0.01, 30))
            joined = (customer.first_order_at - days).replace(microsecond=0)
            row["created_at"] = row["updated_at"] = joined
            for key in (*row["consent"],):
                row["consent"][key] = {**row["consent"][key], "at": joined.isoformat()}
        for ref in customer.address_refs:
            address_row = plan.row(ref)
            address_row["created_at"] = address_row["updated_at"] = row["created_at"]
        for payment in customer.payments:
            payment_row = plan.row(payment.ref)
            payment_row["created_at"] = payment_row["updated_at"] = min(
                payment_row["created_at"], row["created_at"]
            )
            if payment.kind in ("gift_card", "store_credit"):
                payment_row["balance"] = payment.balance
        if spent.get(customer.ref.index, 0) >= vip_from > 0 and not customer.named:
            row["tags"] = sorted({*row["tags"], "vip"})
