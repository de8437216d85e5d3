"""What the planners know about the planned catalog: products, variants, stock, a word index."""

from __future__ import annotations

import bisect
import datetime as dt
import random
import re
from dataclasses import dataclass, field

from floorwalker.demo.plan import Ref
from floorwalker.demo.vocab.catalog import ProductType

_STOPWORDS = frozenset(
    (
        "a", "an", "and", "the", "for", "of", "to", "in", "with", "on", "under", "best", "cheap",
        "sale", "gift", "gifts", "ideas", "something", "what", "wear", "who", "likes", "that",
        "my", "size", "people", "two", "ladies",
    )
)  # fmt: skip


@dataclass(slots=True, eq=False)
class VariantInfo:
    """A planned variant, with the stock the orders draw on."""

    ref: Ref
    product: ProductInfo
    options: dict[str, str]
    colour: str | None
    price: int
    compare_at: int | None
    sku: str
    title: str
    on_hand: dict[str, int] = field(default_factory=dict)
    reserved: dict[str, int] = field(default_factory=dict)

    def available(self, code: str) -> int:
        """Units that can still be promised from one location."""
        return max(0, self.on_hand.get(code, 0) - self.reserved.get(code, 0))

    def total_available(self) -> int:
        """Units that can still be promised from anywhere."""
        return sum(self.available(code) for code in self.on_hand)

    def price_at(self, when: dt.datetime) -> int:
        """The price a shopper paid at `when` (before a sale started, the full price)."""
        sale_since = self.product.sale_since
        if self.compare_at is not None and sale_since is not None and when < sale_since:
            return self.compare_at
        return self.price


@dataclass(slots=True, eq=False)
class ProductInfo:
    """A planned product and what orders and events need to know about it."""

    ref: Ref
    index: int
    ptype: ProductType
    title: str
    handle: str
    brand: str
    status: str
    created_at: dt.datetime
    sale_since: dt.datetime | None
    #: When an archived (discontinued) product stopped selling.
    retired_at: dt.datetime | None = None
    #: Always listed, full price and stocked (see `products.plan_product`).
    evergreen: bool = False
    variants: list[VariantInfo] = field(default_factory=list)

    def sellable_at(self, when: dt.datetime) -> bool:
        """Whether shoppers could buy it at `when` (listed, and not yet discontinued)."""
        if self.status == "draft" or self.created_at > when:
            return False
        return self.retired_at is None or when < self.retired_at


@dataclass(slots=True)
class Catalog:
    """The planned catalog, indexed for the order and event planners."""

    products: list[ProductInfo]
    by_type: dict[str, list[ProductInfo]]
    cumulative: dict[str, list[float]]
    locations: dict[str, Ref]
    tokens: dict[str, set[int]]
    in_stock: set[int]

    def pick(
        self, rng: random.Random, type_key: str, when: dt.datetime, *, need_stock: int = 0
    ) -> ProductInfo | None:
        """A product of a type, by popularity, sellable at `when` (and in stock if asked)."""
        products = self.by_type[type_key]
        cum = self.cumulative[type_key]
        for _ in range(8):
            product = products[bisect.bisect(cum, rng.random() * cum[-1])]
            if not product.sellable_at(when):
                continue
            if need_stock and not any(v.total_available() >= need_stock for v in product.variants):
                continue
            return product
        return None

    def search(self, query: str) -> tuple[int, int]:
        """(matching products, matching products in stock) for a naive AND search."""
        words = [w for w in normalise_words(query) if w not in _STOPWORDS and not w.isdigit()]
        if not words:
            return 0, 0
        hits: set[int] | None = None
        for word in words:
            found = self.tokens.get(word, set())
            hits = set(found) if hits is None else hits & found
            if not hits:
                return 0, 0
        assert hits is not None
        return len(hits), len(hits & self.in_stock)


def normalise_words(text: str) -> list[str]:
    """Lower-case words with a trailing plural `s` dropped (jackets → jacket)."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words]


def slugify(text: str) -> str:
    """A URL-safe handle: lower-case words joined by dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "").replace("&", "and")).strip("-")
