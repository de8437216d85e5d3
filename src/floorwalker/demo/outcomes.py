"""What happens to an order after it is placed: paying, reserving, shipping, cancelling,
returning, exchanging, changing items. Each follows the rules the order services enforce.
"""

from __future__ import annotations

import datetime as dt
import random

from floorwalker.demo.customers import CustomerInfo, PaymentInfo, payment_label
from floorwalker.demo.drafts import (
    DC_FOR_REGION,
    ExchangeDraft,
    Ledger,
    LineDraft,
    Money,
    OrderDraft,
    ReturnDraft,
    ShipmentDraft,
    settled_status,
)
from floorwalker.demo.records import VariantInfo
from floorwalker.demo.vocab.people import CARD_BRANDS, CARRIERS, RETURN_REASONS

EXCHANGE_REASONS = ("Too small", "Too large", "Colour not as expected", "Wrong size ordered")


def _days(rng: random.Random, low: float, high: float) -> dt.timedelta:
    return dt.timedelta(seconds=int(rng.uniform(low, high) * 86400))


def pay(
    draft: OrderDraft,
    rng: random.Random,
    ledger: Ledger,
    *,
    gift_card_first: bool | None = None,
    method: PaymentInfo | None = None,
) -> None:
    """Charge the order: a gift card (as far as it goes) and a card or PayPal for the rest."""
    at = draft.placed_at
    customer = draft.customer
    if customer is None:
        brand = rng.choice([b for b, _ in CARD_BRANDS])
        label = payment_label("card", brand, f"{rng.randint(0, 9999):04d}")
        draft.money.append(
            Money("payment", draft.total, None, "card", label, "succeeded", "order placed", at)
        )
        return
    remaining = draft.total
    gift = [g for g in customer.methods("gift_card") if (g.balance or 0) > 0]
    use_gift = gift_card_first if gift_card_first is not None else rng.random() < 0.6
    if gift and use_gift and method is None:
        card = gift[0]
        amount = min(card.balance or 0, remaining)
        ledger.move(
            draft,
            Money("payment", amount, card, card.kind, card.label, "succeeded", "order placed", at),
        )
        remaining -= amount
    if remaining:
        primary = method or primary_method(customer, rng)
        ledger.move(
            draft,
            Money(
                "payment",
                remaining,
                primary,
                primary.kind,
                primary.label,
                "succeeded",
                "order placed",
                at,
            ),
        )


def primary_method(customer: CustomerInfo, rng: random.Random) -> PaymentInfo:
    """The card or PayPal account a customer usually pays with."""
    methods = customer.methods("card", "paypal")
    paypal = [m for m in methods if m.kind == "paypal"]
    if paypal and rng.random() < 0.4:
        return paypal[0]
    return methods[0]


def reserve(draft: OrderDraft) -> None:
    """Reserve stock for every line, nearest distribution centre first."""
    for line in draft.lines:
        line.reserved_at = reserve_units(line.variant, line.quantity, draft.region)


def reserve_units(variant: VariantInfo, quantity: int, region: str) -> str:
    """Take `quantity` units of a variant off what can be promised; returns the location."""
    near = DC_FOR_REGION.get(region, "DC-WEST")
    order = [near] + [c for c in ("DC-WEST", "DC-EAST", "PDX") if c != near]
    code = next((c for c in order if variant.available(c) >= quantity), None)
    if code is None:  # the planners only pick variants that can be promised
        raise ValueError(f"{variant.sku} cannot promise {quantity}")
    variant.reserved[code] = variant.reserved.get(code, 0) + quantity
    return code


def _tracking(rng: random.Random, kind: str) -> str:
    if kind == "ups":  # 1Z, the shipper number, the service (03: ground), the parcel
        return f"1Z9A4E21{rng.choice(('03', '02', '12'))}{rng.randrange(10**8):08d}"
    if kind == "usps":
        return f"9400{rng.randrange(10**18):018d}"
    return f"{rng.randrange(10**12):012d}"


def ship(
    draft: OrderDraft, rng: random.Random, now: dt.datetime, *, delivered: bool, split: bool
) -> None:
    """Send the order out (in one parcel, or two from the two distribution centres)."""
    shipped_at = draft.placed_at + _days(rng, 0.3, 1.6)
    shipped_at = min(shipped_at, now - dt.timedelta(hours=2))
    indexes = list(range(len(draft.lines)))
    parcels = [indexes]
    if split and len(indexes) > 1:
        cut = rng.randint(1, len(indexes) - 1)
        parcels = [indexes[:cut], indexes[cut:]]
    for parcel in parcels:
        carrier, kind, url = rng.choice(CARRIERS)
        number = _tracking(rng, kind)
        transit = _days(rng, 1.5, 5.0)
        delivered_at = shipped_at + transit if delivered else None
        if delivered_at is not None and delivered_at > now - dt.timedelta(hours=1):
            delivered_at = shipped_at + (now - shipped_at) * rng.uniform(0.3, 0.9)
        estimated = shipped_at + dt.timedelta(days=4)
        if not delivered and estimated < now:
            estimated = now + _days(rng, 0.2, 2.0)
        status = "delivered" if delivered else "in_transit"
        if not delivered and estimated.date() == now.date():
            status = "out_for_delivery"
        draft.shipments.append(
            ShipmentDraft(
                items=[(i, draft.lines[i].quantity) for i in parcel],
                status=status,
                carrier=carrier,
                tracking_numbers=[number],
                tracking_url=url.format(number=number),
                shipped_at=shipped_at.replace(microsecond=0),
                estimated_at=estimated.replace(microsecond=0, second=0, minute=0),
                delivered_at=delivered_at.replace(microsecond=0) if delivered_at else None,
            )
        )
        shipped_at += _days(rng, 0.0, 0.5)


def delivered_at(draft: OrderDraft) -> dt.datetime:
    """When the last parcel arrived."""
    return max(s.delivered_at for s in draft.shipments if s.delivered_at is not None)


def cancel(
    draft: OrderDraft,
    rng: random.Random,
    ledger: Ledger,
    now: dt.datetime,
    reasons: list[str],
    *,
    at: dt.datetime | None = None,
) -> None:
    """Cancel before shipping: every payment goes back to its own method."""
    when = at or min(draft.placed_at + _days(rng, 0.01, 0.8), now - dt.timedelta(minutes=20))
    when = when.replace(microsecond=0)
    draft.status = "cancelled"
    draft.cancelled_at = when
    draft.cancel_reason = rng.choice(reasons)
    for method, kind, label, amount in draft.paid_by():
        status = settled_status(kind, when, now) if method is not None else "succeeded"
        ledger.move(
            draft, Money("refund", amount, method, kind, label, status, "order cancelled", when)
        )


def _within_window(
    draft: OrderDraft,
    rng: random.Random,
    now: dt.datetime,
    window_days: int,
    completed: bool,
    *,
    handling: tuple[float, float],
) -> tuple[dt.datetime, dt.datetime | None] | None:
    """When a return or exchange was asked for (within the window) and, if done, finished.

    None when the window has no room left, or the work could not have finished by now.
    """
    arrived = delivered_at(draft)
    latest = min(arrived + dt.timedelta(days=window_days - 1), now - dt.timedelta(hours=1))
    if latest <= arrived:
        return None
    requested = (arrived + (latest - arrived) * rng.uniform(0.05, 0.9)).replace(microsecond=0)
    finished = requested + _days(rng, *handling) if completed else None
    if finished is not None and finished > now - dt.timedelta(hours=1):
        return None
    return requested, finished


def request_return(
    draft: OrderDraft,
    rng: random.Random,
    ledger: Ledger,
    now: dt.datetime,
    *,
    completed: bool,
    window_days: int,
    to_gift_card: bool | None = None,
) -> bool:
    """Ask to return delivered items within the window (and, if completed, refund them)."""
    timing = _within_window(draft, rng, now, window_days, completed, handling=(4, 12))
    if timing is None:
        return False
    requested, finished = timing
    lines = list(range(len(draft.lines)))
    picked = lines if len(lines) == 1 or rng.random() < 0.35 else [rng.choice(lines)]
    items = [(i, draft.lines[i].quantity) for i in picked]
    value = sum(draft.lines[i].unit_price * q for i, q in items)
    paid = sorted(draft.paid_by(), key=lambda p: -p[3])
    refund = min(value, sum(p[3] for p in paid))
    customer = draft.customer
    gift = customer.methods("gift_card") if customer else []
    wants_gift = to_gift_card if to_gift_card is not None else rng.random() < 0.2
    method: PaymentInfo | None
    if gift and wants_gift:
        method, kind, label = gift[0], "gift_card", gift[0].label
    else:
        method, kind, label, most = paid[0]
        refund = min(refund, most)  # one original method must cover the whole refund
    status = "received" if completed else "requested"
    draft.returns.append(
        ReturnDraft(
            items,
            status,
            refund,
            method,
            kind,
            label,
            rng.choice(RETURN_REASONS),
            requested,
            finished,
        )
    )
    draft.status = "returned" if completed else "return_requested"
    if finished is not None and refund:
        ledger.move(
            draft,
            Money(
                "refund",
                refund,
                method,
                kind,
                label,
                settled_status(kind, finished, now),
                "return received",
                finished,
            ),
        )
    return True


def other_variant(
    rng: random.Random, line: LineDraft, *, need_stock: int, same_colour: bool = True
) -> VariantInfo | None:
    """Another option of the same product (same colour, another size, if there is one)."""
    current = line.variant
    others = [v for v in current.product.variants if v is not current]
    if need_stock:
        others = [v for v in others if v.total_available() >= need_stock]
    if same_colour:
        others = [v for v in others if v.colour == current.colour] or others
    return rng.choice(others) if others else None


def request_exchange(
    draft: OrderDraft,
    rng: random.Random,
    ledger: Ledger,
    now: dt.datetime,
    *,
    completed: bool,
    window_days: int,
) -> bool:
    """Swap one delivered line for another option; the difference is settled on a card."""
    customer = draft.customer
    if customer is None:
        return False
    timing = _within_window(draft, rng, now, window_days, completed, handling=(5, 14))
    if timing is None:
        return False
    requested, finished = timing
    index = rng.randrange(len(draft.lines))
    line = draft.lines[index]
    replacement = other_variant(rng, line, need_stock=0 if completed else line.quantity)
    if replacement is None:
        return False
    new_price = replacement.price_at(requested)
    difference = (new_price - line.unit_price) * line.quantity
    method = primary_method(customer, rng) if difference else None
    exchange = ExchangeDraft(
        index,
        line.quantity,
        replacement,
        new_price,
        "completed" if completed else "requested",
        difference,
        method,
        rng.choice(EXCHANGE_REASONS),
        requested,
        finished,
    )
    if not completed:
        exchange.reserved_at = reserve_units(replacement, line.quantity, draft.region)
    draft.exchanges.append(exchange)
    draft.status = "exchanged" if completed else "exchange_requested"
    if method is not None and difference > 0:
        ledger.move(
            draft,
            Money(
                "payment",
                difference,
                method,
                method.kind,
                method.label,
                settled_status(method.kind, requested, now),
                "exchange",
                requested,
            ),
        )
    if method is not None and difference < 0 and exchange.completed_at is not None:
        ledger.move(
            draft,
            Money(
                "refund",
                -difference,
                method,
                method.kind,
                method.label,
                settled_status(method.kind, exchange.completed_at, now),
                "exchange",
                exchange.completed_at,
            ),
        )
    return True


def change_items(
    draft: OrderDraft, rng: random.Random, ledger: Ledger, now: dt.datetime, *, at: dt.datetime
) -> bool:
    """Swap one line of a pending order for another available option (uses the one change)."""
    for index in rng.sample(range(len(draft.lines)), len(draft.lines)):
        line = draft.lines[index]
        replacement = other_variant(rng, line, need_stock=line.quantity)
        if replacement is None or draft.customer is None:
            continue
        if line.reserved_at is not None:
            line.variant.reserved[line.reserved_at] -= line.quantity
        new_price = replacement.price_at(at)
        difference = (new_price - line.unit_price) * line.quantity
        draft.lines[index] = LineDraft(replacement, line.quantity, new_price)
        draft.lines[index].reserved_at = reserve_units(replacement, line.quantity, draft.region)
        draft.subtotal += difference
        draft.total += difference
        draft.item_modifications += 1
        if difference:
            method = primary_method(draft.customer, rng)
            kind = "payment" if difference > 0 else "refund"
            ledger.move(
                draft,
                Money(
                    kind,
                    abs(difference),
                    method,
                    method.kind,
                    method.label,
                    settled_status(method.kind, at, now),
                    "items changed",
                    at,
                ),
            )
        return True
    return False
