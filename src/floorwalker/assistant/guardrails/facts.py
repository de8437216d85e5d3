"""Facts: what the turn's tool results established, for checking the reply against them.

Every successful tool result is absorbed here (generically, by key names), so the reply check
knows which amounts, prices, stock levels, order statuses, tracking numbers and executed changes
are true — and anything else a reply claims is suspect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_AMOUNT_KEYS = ("price", "amount", "total", "balance", "difference", "subtotal", "refund")
_QUOTED = re.compile(r"[$£€]\s?\d[\d,]*(?:\.\d{1,2})?")


def quoted_amounts(text: str) -> set[str]:
    """Money as written in a text, normalised ("$ 6.95" → "$6.95")."""
    return {re.sub(r"[\s,]", "", m.group(0)) for m in _QUOTED.finditer(text)}


@dataclass(slots=True)
class ProductFact:
    """What is known about one product."""

    id: int
    title: str
    prices: set[int] = field(default_factory=set)
    available: int | None = None
    #: Some options are out of stock while others are not (so "out of stock" can be true).
    mixed_stock: bool = False


@dataclass(slots=True)
class OrderFact:
    """What is known about one order."""

    number: str
    status: str | None = None
    tracking_numbers: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Facts:
    """Everything the tool results of a turn (and earlier turns' carried facts) establish."""

    amounts: set[int] = field(default_factory=set)
    products: dict[int, ProductFact] = field(default_factory=dict)
    orders: dict[str, OrderFact] = field(default_factory=dict)
    #: Tools whose change was executed this turn (cancel_order, ...).
    executed: set[str] = field(default_factory=set)
    #: Proposals made this turn, by tool.
    proposed: set[str] = field(default_factory=set)
    #: Amounts the shopper mentioned (a budget they gave may be repeated back).
    stated_amounts: set[int] = field(default_factory=set)
    tool_names: set[str] = field(default_factory=set)
    #: Amounts as written in tool text (articles, policy): "$6.95", "£75".
    quoted: set[str] = field(default_factory=set)
    #: URLs tools returned in URL fields (`url`, `tracking_url`…), never ones inside free text.
    links: set[str] = field(default_factory=set)

    def absorb(self, tool: str, data: Any) -> None:
        """Take in one tool result."""
        self.tool_names.add(tool)
        self._walk(data)

    def _walk(self, node: Any) -> None:
        if isinstance(node, dict):
            self._product(node)
            self._order(node)
            for key, value in node.items():
                if (
                    isinstance(value, str)
                    and (key == "url" or key.endswith("_url"))
                    and value.startswith(("https://", "http://"))
                ):
                    self.links.add(value)
                if isinstance(value, int) and not isinstance(value, bool):
                    if any(part in key for part in _AMOUNT_KEYS):
                        self.amounts.add(abs(value))
                else:
                    self._walk(value)
        elif isinstance(node, list):
            for item in node:
                self._walk(item)
        elif isinstance(node, str) and any(s in node for s in "$£€"):
            self.quoted.update(quoted_amounts(node))

    def _product(self, node: dict[str, Any]) -> None:
        product_id = node.get("product_id")
        title = node.get("title")
        if not isinstance(product_id, int) or not isinstance(title, str):
            return
        if "order_number" in node or "line_id" in node:
            return
        fact = self.products.setdefault(product_id, ProductFact(product_id, title))
        for key in ("price", "price_min", "price_max", "compare_at_price"):
            value = node.get(key)
            if isinstance(value, int):
                fact.prices.add(value)
        stocked: set[bool] = set()
        for variant in node.get("variants") or []:
            if isinstance(variant, dict) and isinstance(variant.get("price"), int):
                fact.prices.add(variant["price"])
            if isinstance(variant, dict):
                level = variant.get("available", variant.get("in_stock"))
                if isinstance(level, bool | int):
                    stocked.add(bool(level))
        if len(stocked) == 2:
            fact.mixed_stock = True
        available = node.get("available", node.get("in_stock"))
        if isinstance(available, bool):
            fact.available = int(available)
        elif isinstance(available, int):
            fact.available = available

    def _order(self, node: dict[str, Any]) -> None:
        number = node.get("order_number")
        if not isinstance(number, str):
            return
        fact = self.orders.setdefault(number, OrderFact(number))
        status = node.get("status")
        if isinstance(status, str):
            fact.status = status
        for fulfilment in node.get("fulfilments") or []:
            if isinstance(fulfilment, dict):
                fact.tracking_numbers.update(
                    str(n) for n in fulfilment.get("tracking_numbers") or []
                )

    def to_state(self) -> dict[str, Any]:
        """The facts worth carrying into the next turn (a reply may refer back)."""
        return {
            "amounts": sorted(self.amounts)[:200],
            "products": {
                str(p.id): {
                    "title": p.title,
                    "prices": sorted(p.prices),
                    "available": p.available,
                    "mixed": p.mixed_stock,
                }
                for p in list(self.products.values())[:50]
            },
            "orders": {
                o.number: {"status": o.status, "tracking": sorted(o.tracking_numbers)}
                for o in list(self.orders.values())[:20]
            },
        }

    @classmethod
    def from_state(cls, value: dict[str, Any] | None) -> Facts:
        """Facts carried from earlier turns."""
        facts = cls()
        if not value:
            return facts
        facts.amounts = {int(a) for a in value.get("amounts", [])}
        for key, item in (value.get("products") or {}).items():
            facts.products[int(key)] = ProductFact(
                int(key),
                item["title"],
                set(item.get("prices", [])),
                item.get("available"),
                bool(item.get("mixed")),
            )
        for number, item in (value.get("orders") or {}).items():
            facts.orders[number] = OrderFact(number, item.get("status"), set(item.get("tracking")))
        return facts
