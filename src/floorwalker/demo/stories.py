"""Named demo customers whose orders set up a support situation each (see docs/demo.md).

Their orders are scripted relative to the anchor time, so "placed three hours ago" and
"delivered forty days ago" hold whenever the store is generated. Together they also cover
every order status, whatever the scale.
"""

from __future__ import annotations

import datetime as dt
import random

from floorwalker.demo import outcomes
from floorwalker.demo.characters import PEOPLE, Person
from floorwalker.demo.customers import CustomerInfo
from floorwalker.demo.drafts import (
    ExchangeDraft,
    Ledger,
    Money,
    OrderDraft,
    ReturnDraft,
    settled_status,
)
from floorwalker.demo.plan import Plan
from floorwalker.demo.records import Catalog
from floorwalker.demo.scripting import Stories, gift_card_value

#: The named customers are also importable from here (the demo shop reads them).
__all__ = ["PEOPLE", "Person", "plan_stories"]


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
