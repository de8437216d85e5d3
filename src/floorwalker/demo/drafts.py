"""Orders before they become rows: lines, money, shipments, returns and exchanges.

Drafts are built in the order they happen, so a gift card's balance is known at every moment
(`Ledger`), and turned into rows once every order — random and scripted — has its number.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from dataclasses import dataclass, field
from typing import Any

from floorwalker.demo.catalog import LOCATIONS
from floorwalker.demo.customers import CustomerInfo, PaymentInfo
from floorwalker.demo.plan import Ref
from floorwalker.demo.records import VariantInfo
from floorwalker.demo.vocab.people import CITIES

#: Sales tax in basis points by (city, state) of the shipping address.
TAX_BP: dict[tuple[str, str], int] = {(c[0], c[1]): c[3] for c in CITIES}
#: The distribution centre that ships to a state first.
REGION: dict[str, str] = {c[1]: c[4] for c in CITIES}
DC_FOR_REGION = {region: code for code, _name, region in LOCATIONS if region != "store"}

FREE_SHIPPING_FROM = 7500
STANDARD_SHIPPING = 795
EXPRESS_SHIPPING = 1995
#: Card and PayPal refunds settle within about a week; before that they are pending.
SETTLEMENT = dt.timedelta(days=7)


@dataclass(slots=True, eq=False)
class Money:
    """A payment or refund on one method (a guest's card has no stored method)."""

    kind: str
    amount: int
    method: PaymentInfo | None
    method_kind: str
    method_label: str
    status: str
    reason: str
    at: dt.datetime


@dataclass(slots=True, eq=False)
class LineDraft:
    """A variant, how many, and the price it sold at."""

    variant: VariantInfo
    quantity: int
    unit_price: int
    reserved_at: str | None = None
    ref: Ref | None = None

    @property
    def total(self) -> int:
        """Quantity × unit price."""
        return self.quantity * self.unit_price


@dataclass(slots=True, eq=False)
class ShipmentDraft:
    """One parcel: which lines (by index), with which carrier, when."""

    items: list[tuple[int, int]]
    status: str
    carrier: str
    tracking_numbers: list[str]
    tracking_url: str
    shipped_at: dt.datetime
    estimated_at: dt.datetime
    delivered_at: dt.datetime | None


@dataclass(slots=True, eq=False)
class ReturnDraft:
    """A return request and, once received, its refund."""

    items: list[tuple[int, int]]
    status: str
    refund_amount: int
    destination: PaymentInfo | None
    method_kind: str
    method_label: str
    reason: str
    requested_at: dt.datetime
    completed_at: dt.datetime | None


@dataclass(slots=True, eq=False)
class ExchangeDraft:
    """An exchange of one line for another variant of the same product."""

    line: int
    quantity: int
    new_variant: VariantInfo
    new_unit_price: int
    status: str
    difference: int
    method: PaymentInfo | None
    reason: str
    requested_at: dt.datetime
    completed_at: dt.datetime | None
    reserved_at: str | None = None


@dataclass(slots=True, eq=False)
class OrderDraft:
    """Everything about one order, before numbering and writing."""

    customer: CustomerInfo | None
    email: str
    placed_at: dt.datetime
    status: str
    address: dict[str, Any]
    lines: list[LineDraft]
    discount_pct: int = 0
    express: bool = False
    subtotal: int = 0
    discount: int = 0
    shipping: int = 0
    tax: int = 0
    total: int = 0
    money: list[Money] = field(default_factory=list)
    shipments: list[ShipmentDraft] = field(default_factory=list)
    returns: list[ReturnDraft] = field(default_factory=list)
    exchanges: list[ExchangeDraft] = field(default_factory=list)
    cancelled_at: dt.datetime | None = None
    cancel_reason: str | None = None
    item_modifications: int = 0
    note: str = ""
    story: str | None = None
    ref: Ref | None = None

    @property
    def region(self) -> str:
        """east or west: which distribution centre is closer."""
        return REGION.get(str(self.address.get("region")), "west")

    def price(self) -> None:
        """Compute subtotal, discount, shipping, tax and total from the lines."""
        self.subtotal = sum(line.total for line in self.lines)
        self.discount = self.subtotal * self.discount_pct // 100
        after_discount = self.subtotal - self.discount
        self.shipping = (
            EXPRESS_SHIPPING
            if self.express
            else 0
            if after_discount >= FREE_SHIPPING_FROM
            else STANDARD_SHIPPING
        )
        rate = TAX_BP.get((str(self.address["city"]), str(self.address["region"])), 0)
        self.tax = after_discount * rate // 10000
        self.total = after_discount + self.shipping + self.tax

    def paid_by(self) -> list[tuple[PaymentInfo | None, str, str, int]]:
        """Net amount per method (payments − refunds), methods that still hold money first."""
        net: dict[tuple[int, str], list[Any]] = {}
        for m in self.money:
            key = (id(m.method), m.method_label)
            entry = net.setdefault(key, [m.method, m.method_kind, m.method_label, 0])
            entry[3] += m.amount if m.kind == "payment" else -m.amount
        return [(e[0], e[1], e[2], e[3]) for e in net.values() if e[3] > 0]

    @property
    def updated_at(self) -> dt.datetime:
        """When anything last happened to the order."""
        times = [self.placed_at, self.cancelled_at]
        times += [m.at for m in self.money]
        times += [s.delivered_at or s.shipped_at for s in self.shipments]
        times += [r.completed_at or r.requested_at for r in self.returns]
        times += [x.completed_at or x.requested_at for x in self.exchanges]
        return max(t for t in times if t is not None)


def settled_status(kind: str, at: dt.datetime, now: dt.datetime) -> str:
    """Stored value moves at once; card and PayPal money is pending for about a week."""
    if kind in ("gift_card", "store_credit") or now - at > SETTLEMENT:
        return "succeeded"
    return "pending"


class Ledger:
    """Gift-card and store-credit balances over time: debits now, credits when they happen."""

    def __init__(self) -> None:
        self._credits: list[tuple[dt.datetime, int, PaymentInfo, int]] = []
        self._seq = itertools.count()

    def settle(self, until: dt.datetime) -> None:
        """Apply every credit dated at or before `until`."""
        while self._credits and self._credits[0][0] <= until:
            _at, _seq, method, amount = heapq.heappop(self._credits)
            method.balance = (method.balance or 0) + amount

    def debit(self, method: PaymentInfo, amount: int) -> None:
        """Take `amount` off a balance now (the caller checked it is covered)."""
        balance = method.balance or 0
        if amount > balance:
            raise ValueError(f"{method.label} holds {balance}, cannot pay {amount}")
        method.balance = balance - amount

    def credit(self, method: PaymentInfo, amount: int, at: dt.datetime) -> None:
        """Add `amount` to a balance at `at`."""
        heapq.heappush(self._credits, (at, next(self._seq), method, amount))

    def move(self, draft: OrderDraft, money: Money) -> None:
        """Record a movement on an order, moving stored value as it goes."""
        draft.money.append(money)
        if money.method is not None and money.method.kind in ("gift_card", "store_credit"):
            if money.kind == "payment":
                self.debit(money.method, money.amount)
            else:
                self.credit(money.method, money.amount, money.at)
