"""The demo store's policy pages and FAQ, written from its policy object so they always agree.

Numbers a shopper might ask about (return window, cancel reasons, how often items can change,
shipping thresholds, gift-card values) come from `StorePolicy` and the order planner's
constants, the same values the services enforce and the orders were generated with.
"""

from __future__ import annotations

import datetime as dt

from floorwalker.demo.drafts import EXPRESS_SHIPPING, FREE_SHIPPING_FROM, STANDARD_SHIPPING
from floorwalker.demo.plan import Plan
from floorwalker.demo.vocab.people import GIFT_CARD_VALUES
from floorwalker.kit.money import format_money
from floorwalker.stores.policy import StorePolicy

SUPPORT_EMAIL = "help@alderandpine.example.com"
SUPPORT_PHONE = "+1 503-555-0100"


def _usd(minor: int) -> str:
    return format_money(minor, "USD")


def _statuses(statuses: list[str]) -> str:
    return " or ".join(s.replace("_", " ") for s in statuses)


def articles(policy: StorePolicy) -> list[tuple[str, str, str, str, list[str]]]:
    """(kind, slug, title, body, tags) of every article."""
    window = policy.return_window_days
    window_text = f"within {window} days of delivery" if window is not None else "at any time"
    refund_to = " or ".join(
        "the original payment method" if d == "original" else "an Alder & Pine gift card"
        for d in policy.return_refund_destinations
    )
    reasons = ", ".join(f'"{r}"' for r in policy.cancel_reasons)
    changes = policy.max_item_modifications
    change_text = (
        f"once ({changes} change per order)"
        if changes == 1
        else f"up to {changes} times"
        if changes
        else "not at all"
    )
    gift_values = ", ".join(_usd(v) for v in GIFT_CARD_VALUES)
    free, standard, express = (
        _usd(FREE_SHIPPING_FROM),
        _usd(STANDARD_SHIPPING),
        _usd(EXPRESS_SHIPPING),
    )
    return [
        (
            "policy",
            "returns",
            "Returns and refunds",
            f"""\
You can return unworn, unwashed items {window_text} for a refund to {refund_to}.

**How to return.** Ask our assistant or e-mail {SUPPORT_EMAIL} with your order number. Orders \
that are {_statuses(policy.returnable_statuses)} can be returned; we e-mail a prepaid UPS label \
and the return shows as *return requested* on your order.

**Refunds.** We refund the price you paid for the items once they reach our warehouse, usually \
within 5 business days of drop-off. Refunds to a gift card arrive immediately; card and PayPal \
refunds take 5-7 business days to appear. Shipping is refunded only when the item arrived \
damaged or we sent the wrong thing.

**Exchanges.** Prefer another size or colour of the same product? Ask for an exchange instead \
(same window). We reserve the replacement straight away; if it costs more we charge the \
difference to one of your payment methods when you request the exchange (a gift card must \
cover the whole difference), and if it costs less we refund the difference once your return \
arrives.

{policy.describe(currency="USD")}
""",
            ["returns", "refunds", "exchanges"],
        ),
        (
            "policy",
            "shipping",
            "Shipping and delivery",
            f"""\
We ship to all 50 US states and DC from our distribution centres in Reno, Nevada and Columbus, \
Ohio; your order ships from the one closer to you when it has everything in stock.

| Service | Cost | Delivery after dispatch |
|---|---|---|
| Standard (UPS, USPS or FedEx) | {standard}, free on orders of {free} or more | 2-5 business days |
| Express | {express} | 1-2 business days |

Orders placed before 1 pm Pacific on a business day usually leave the warehouse the same or \
the next business day. You get an e-mail with the carrier and tracking number as soon as a \
parcel ships; orders with items from both warehouses arrive in two parcels, each with its own \
tracking number. We don't ship internationally yet, and express can't go to PO boxes.
""",
            ["shipping", "delivery", "tracking"],
        ),
        (
            "policy",
            "cancellations-and-changes",
            "Cancelling or changing an order",
            f"""\
**Cancelling.** An order can be cancelled while it is {_statuses(policy.cancellable_statuses)}. \
Tell us why — one of {reasons} — and every payment goes back to the method it came from: gift \
card refunds are immediate, card and PayPal refunds take 5-7 business days.

**Changing.** While an order is {_statuses(policy.modifiable_statuses)} you can change the \
shipping address, switch to another payment method (when the order was paid with a single \
method; a gift card must cover the whole amount), and swap items for another size or colour of \
the same product that is in stock. Items can be swapped {change_text}; after that the order can \
no longer be changed or cancelled, because it is being picked. A price difference is charged or \
refunded on one of your payment methods.

Once an order is processing or shipped it can't be cancelled — return it when it arrives \
instead.
""",
            ["cancellation", "order changes"],
        ),
        (
            "policy",
            "payment",
            "Payment methods",
            """\
We accept Visa, Mastercard, American Express and Discover cards, PayPal, Alder & Pine gift \
cards and store credit. Your payment is taken when you place the order. A gift card can pay \
part of an order and a card or PayPal the rest; each is refunded to itself if you cancel. We \
never see or store your full card number — only the brand and last four digits, so you can \
tell your cards apart.
""",
            ["payment", "paypal", "cards"],
        ),
        (
            "policy",
            "gift-cards",
            "Gift cards",
            f"""\
Alder & Pine gift cards come in {gift_values}, never expire and carry no fees. Use one or \
several at checkout; what a card doesn't cover can be paid by card or PayPal. Refunds for \
orders paid by gift card go straight back onto the gift card and can be spent again \
immediately. You can also choose to receive the refund for a return on a gift card. Ask our \
assistant for your balance at any time. Gift cards can't be exchanged for cash.
""",
            ["gift cards", "balance"],
        ),
        (
            "policy",
            "sizing",
            "Size guide",
            """\
**Women's clothing** (inches)

| Size | XS | S | M | L | XL |
|---|---|---|---|---|---|
| Bust | 32-33 | 34-35 | 36-37 | 38-40 | 41-43 |
| Waist | 25-26 | 27-28 | 29-30 | 31-33 | 34-36 |
| Hip | 35-36 | 37-38 | 39-40 | 41-43 | 44-46 |
| Numeric | 0-2 | 4-6 | 8-10 | 12-14 | 16 |

**Men's clothing** (inches)

| Size | S | M | L | XL | XXL |
|---|---|---|---|---|---|
| Chest | 35-37 | 38-40 | 41-43 | 44-46 | 47-49 |
| Waist | 29-31 | 32-34 | 35-37 | 38-40 | 41-43 |

Men's pants come in waist sizes 28-40 and inseams of 30, 32 and 34 inches.

**Footwear** follows US sizing. Most of our boots run true to size with a midweight sock; a few \
run half a size small — the product page says so. Wide widths are available in many boots.

**Socks**: S (shoe 5-7.5), M (8-10.5), L (11-13), XL (13.5-15).

**Kids**: 4, 5-6, 7-8, 10-12 and 14-16 cover ages 4-16; toddler sizes 2T-6.

Between sizes? Size up for layering and outerwear, down for base layers.
""",
            ["sizing", "fit"],
        ),
        (
            "policy",
            "contact",
            "Contact us",
            f"""\
Our assistant can answer most questions and handle cancellations, changes, returns and \
exchanges any time. To reach a person: e-mail {SUPPORT_EMAIL} or call {SUPPORT_PHONE}, \
Monday to Friday 7 am-7 pm and weekends 9 am-5 pm Pacific. Our flagship store is at \
1120 NW Alder Street, Portland, Oregon, open daily 10 am-7 pm.
""",
            ["contact", "support"],
        ),
        (
            "policy",
            "warranty",
            "The Ironclad Guarantee",
            """\
If anything from Alder & Pine's own line fails because of how it was made, we repair or \
replace it, for the life of the product. Other brands are covered by their makers' warranties, \
and we help you claim. Normal wear and tear, accidents and misuse aren't covered, but our \
repair partners can often fix them at a fair price.
""",
            ["warranty", "repairs"],
        ),
        *_faq(policy, window_text, refund_to, free, standard, express, reasons),
    ]


def _faq(
    policy: StorePolicy,
    window_text: str,
    refund_to: str,
    free: str,
    standard: str,
    express: str,
    reasons: str,
) -> list[tuple[str, str, str, str, list[str]]]:
    entries = [
        ("where-is-my-order", "Where is my order?",
         "Every parcel gets a tracking number the moment it ships; the assistant shows it with "
         "the carrier's tracking link. Orders with items from both warehouses arrive in two "
         "parcels. If tracking hasn't moved for three business days, contact us.",
         ["tracking", "delivery"]),
        ("cancel-order", "Can I cancel my order?",
         f"Yes, while it is {_statuses(policy.cancellable_statuses)}. The reason must be one of "
         f"{reasons}. Every payment is refunded to the method it came from.",
         ["cancellation"]),
        ("change-address", "Can I change my shipping address?",
         f"Yes, while the order is {_statuses(policy.modifiable_statuses)}. Changing the address "
         "on an order doesn't change your saved default address; you can update that "
         "separately.", ["order changes", "address"]),
        ("change-size", "Can I change the size or colour before my order ships?",
         "Yes, for another option of the same product that is in stock, while the order is "
         f"{_statuses(policy.modifiable_statuses)}. Items can be changed "
         f"{policy.max_item_modifications} time(s) per order; after that the order can no "
         "longer be changed or cancelled.", ["order changes", "sizing"]),
        ("how-to-return", "How do I return something?",
         f"Returns are accepted {window_text}. Ask the assistant with your order number; we "
         f"e-mail a prepaid label and refund to {refund_to} once the parcel arrives.",
         ["returns"]),
        ("exchange", "Can I exchange for a different size?",
         f"Yes — {window_text}, for another size or colour of the same product. We reserve the "
         "replacement when you ask and ship it when your return is on its way.",
         ["exchanges", "sizing"]),
        ("refund-timing", "When will I get my refund?",
         "Gift card refunds are immediate. Card and PayPal refunds take 5-7 business days after "
         "we process them; returns are processed when the parcel reaches our warehouse.",
         ["refunds"]),
        ("shipping-cost", "How much does shipping cost?",
         f"Standard shipping is {standard}, free on orders of {free} or more; express is "
         f"{express}.", ["shipping"]),
        ("international", "Do you ship outside the US?",
         "Not yet — we ship to the 50 states and DC only.", ["shipping"]),
        ("split-payment", "Can I pay with a gift card and a card?",
         "Yes. The gift card pays as much as it holds and a card or PayPal pays the rest. If you "
         "cancel, each is refunded separately.", ["payment", "gift cards"]),
        ("gift-card-balance", "How do I check my gift card balance?",
         "Ask the assistant after signing in, or e-mail us the last four digits of the card.",
         ["gift cards"]),
        ("damaged-item", "My item arrived damaged. What now?",
         "We're sorry! Send a photo to our support team; we ship a replacement right away (or "
         "refund you, shipping included) and you don't need to return the damaged item.",
         ["returns", "damage"]),
        ("price-adjustment", "The price dropped after I ordered. Can I get the difference?",
         "Yes, once, within 14 days of your order, if the same item and option is sold for "
         "less on our site. Contact us and we refund the difference to your payment method.",
         ["price", "refunds"]),
        ("merino-care", "How do I care for merino wool?",
         "Wash cold on a wool cycle with a mild detergent, skip the fabric softener and dry flat. "
         "Merino resists odour, so airing it out between wears is often enough.",
         ["care", "merino"]),
        ("rewaterproof", "My rain jacket is wetting out. How do I restore it?",
         "Wash it with a technical cleaner, then tumble dry on low for 20 minutes: the heat "
         "revives the water-repellent finish. If water still soaks in, use a spray-on DWR.",
         ["care", "waterproof"]),
        ("temperature-ratings", "How do sleeping bag temperature ratings work?",
         "Our bags list the ISO 23537 limit rating: the lowest temperature at which a typical "
         "sleeper stays warm in a curled position. If you sleep cold, choose a bag rated 10°F "
         "lower than the coldest night you expect, and use an insulated pad.",
         ["sleeping bags", "camping"]),
        ("flagship-store", "Do you have a store I can visit?",
         "Yes — our flagship store is in Portland, Oregon (1120 NW Alder Street). Online orders "
         "ship from our warehouses; returns by mail are easiest, but the store accepts them too.",
         ["store", "returns"]),
    ]  # fmt: skip
    return [("faq", slug, title, body, tags) for slug, title, body, tags in entries]


def plan_articles(plan: Plan, policy: StorePolicy, *, now: dt.datetime) -> None:
    """Add the policy pages and the FAQ."""
    written = now - dt.timedelta(days=90)
    for kind, slug, title, body, tags in articles(policy):
        plan.add(
            "articles",
            {
                "kind": kind,
                "slug": slug,
                "title": title,
                "body": body.strip(),
                "tags": tags,
                "published": True,
                "source": "demo",
                "created_at": written,
                "updated_at": written,
            },
        )
