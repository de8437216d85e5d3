"""The reply check: each sentence is compared with what the turn's tool results established.

A sentence that states a price nobody looked up, calls an out-of-stock product available, gives
an order a status it does not have, names an order or tracking number no tool returned, or says
a change was made when none was executed, or links to a site that is not the store's (see
`links`) is corrected (the right fact put in) or, when there is no right fact to put in, left
out — it is never sent as written. Each change is recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from floorwalker.assistant.context import StoreInfo
from floorwalker.assistant.guardrails.facts import Facts, ProductFact, quoted_amounts
from floorwalker.assistant.guardrails.links import filter_links, store_hosts
from floorwalker.assistant.guardrails.redaction import describe_placeholders
from floorwalker.assistant.wording import STATUS_WORDS
from floorwalker.kit.money import MoneyError, format_money, to_minor

_SYMBOL_CURRENCY = {"$": "USD", "£": "GBP", "€": "EUR"}
_MONEY = re.compile(
    r"(?P<sym>[$£€])\s?(?P<a>\d[\d,]*(?:\.\d{1,2})?)"
    r"|(?P<b>\d[\d,]*(?:\.\d{1,2})?)\s?(?P<code>USD|GBP|EUR|dollars|pounds|euros)\b",
    re.I,
)
_IN_STOCK = re.compile(
    r"\b(?:in stock|available now|is available|are available|ready to ship)\b", re.I
)
_OUT_OF_STOCK = re.compile(
    r"\b(?:out of stock|sold out|unavailable|not available|not in stock)\b", re.I
)
_DONE = re.compile(
    r"\b(?:i(?:'ve| have)|we(?:'ve| have)|has been|have been|is now|was|were|successfully)\s+"
    r"(?:now\s+)?(?:cancell?ed|refunded|changed|updated|returned|exchanged|modified|processed)\b",
    re.I,
)
_BARE_DONE = re.compile(
    r"^\s*(?:done|all (?:done|set)|sorted|finished|completed|there you go)\b[.!]*\s*$", re.I
)
_ORDER_REF = re.compile(r"\border\s+#?([A-Za-z]{0,4}-?\d{3,})\b", re.I)
_TRACKING = re.compile(r"\b(?=[A-Z0-9]*\d)[A-Z0-9]{10,30}\b")
_STATUS_CLAIMS = {
    "delivered": re.compile(r"\b(?:has been|was|is) delivered\b", re.I),
    "shipped": re.compile(
        r"\b(?:has shipped|has been shipped|was shipped|is on its way|in transit|dispatched)\b",
        re.I,
    ),
    "cancelled": re.compile(r"\b(?:is|was|has been) cancell?ed\b", re.I),
    "pending": re.compile(r"\b(?:is pending|not (?:yet )?shipped|being prepared)\b", re.I),
}
_COMPATIBLE = {
    "shipped": {"shipped"},
    "delivered": {"delivered", "return_requested", "returned", "exchange_requested", "exchanged"},
    "cancelled": {"cancelled"},
    "pending": {"pending", "processing"},
}


@dataclass(frozen=True, slots=True)
class Correction:
    """One change the check made to a reply."""

    kind: str
    original: str
    corrected: str | None

    def to_dict(self) -> dict[str, str | None]:
        """As stored with the message."""
        return {"kind": self.kind, "original": self.original, "corrected": self.corrected}


def split_sentences(text: str) -> tuple[list[str], str]:
    """Complete sentences (with their trailing space) and the unfinished rest."""
    parts = re.split(r"(?<=[.!?\n])(\s+)", text)
    sentences: list[str] = []
    for index in range(0, len(parts) - 1, 2):
        sentences.append(parts[index] + parts[index + 1])
    rest = parts[-1] if len(parts) % 2 == 1 else ""
    return sentences, rest


def _mentioned_products(sentence: str, facts: Facts) -> list[ProductFact]:
    lowered = sentence.lower()
    found = []
    for product in facts.products.values():
        title = product.title.lower()
        if title in lowered or (len(title) > 8 and fuzz.partial_ratio(title, lowered) >= 90):
            found.append(product)
    return found


def _amount(match: re.Match[str], store: StoreInfo) -> tuple[int, str] | None:
    raw = (match.group("a") or match.group("b") or "").replace(",", "")
    symbol = match.group("sym")
    code = (match.group("code") or "").upper()
    currency = _SYMBOL_CURRENCY.get(symbol or "") or {
        "DOLLARS": "USD",
        "POUNDS": "GBP",
        "EUROS": "EUR",
    }.get(code, code or store.currency)
    try:
        return to_minor(raw, currency), currency
    except MoneyError:
        return None


def _price_text(product: ProductFact, store: StoreInfo) -> str:
    low, high = min(product.prices), max(product.prices)
    if low == high:
        return format_money(low, store.currency)
    return f"{format_money(low, store.currency)}–{format_money(high, store.currency)}"


def check_sentence(
    sentence: str, facts: Facts, store: StoreInfo, *, user_texts: list[str]
) -> tuple[str, list[Correction]]:
    """The sentence as it may be sent, and what was changed."""
    corrections: list[Correction] = []
    text, removed = filter_links(sentence, hosts=store_hosts(store.settings), known=facts.links)
    if removed:
        corrections.append(Correction("outside_link", sentence.strip(), text.strip() or None))
        if not text.strip():
            return "", corrections
    products = _mentioned_products(text, facts)
    known = facts.amounts | facts.stated_amounts
    for product in products:
        known |= product.prices
    for match in list(_MONEY.finditer(text)):
        parsed = _amount(match, store)
        if parsed is None or parsed[0] in known or quoted_amounts(match.group(0)) <= facts.quoted:
            continue
        priced = [p for p in products if p.prices]
        if len(priced) == 1:
            fixed = _price_text(priced[0], store)
            text = text.replace(match.group(0), fixed, 1)
            corrections.append(Correction("price", sentence.strip(), None))
        else:
            corrections.append(Correction("unsupported_amount", sentence.strip(), None))
            return "", corrections
    for product in products:
        if product.available is None:
            continue
        if product.available == 0 and _IN_STOCK.search(text) and not _OUT_OF_STOCK.search(text):
            fixed = f"{product.title} is out of stock at the moment. "
            corrections.append(Correction("stock", sentence.strip(), fixed.strip()))
            return fixed, corrections
        if product.available > 0 and not product.mixed_stock and _OUT_OF_STOCK.search(text):
            fixed = f"{product.title} is in stock. "
            corrections.append(Correction("stock", sentence.strip(), fixed.strip()))
            return fixed, corrections
    for match in _ORDER_REF.finditer(text):
        number = match.group(1)
        fact = facts.orders.get(number) or facts.orders.get(f"#{number}")
        typed = any(number.lower() in t.lower() for t in user_texts)
        if fact is None and not typed:
            corrections.append(Correction("unknown_order", sentence.strip(), None))
            return "", corrections
        if fact is not None and fact.status:
            for claim, pattern in _STATUS_CLAIMS.items():
                if pattern.search(text) and fact.status not in _COMPATIBLE[claim]:
                    fixed = f"Order {number} {STATUS_WORDS.get(fact.status, 'is ' + fact.status)}. "
                    corrections.append(Correction("order_status", sentence.strip(), fixed.strip()))
                    return fixed, corrections
    known_tracking = {n for o in facts.orders.values() for n in o.tracking_numbers}
    for match in _TRACKING.finditer(text) if "track" in text.lower() else ():
        token = match.group(0)
        unknown = token not in known_tracking and not any(token in t for t in user_texts)
        if unknown and (re.fullmatch(r"\d{10,}", token) or re.search(r"[A-Z]", token)):
            corrections.append(Correction("unknown_tracking", sentence.strip(), None))
            return "", corrections
    if (
        (_DONE.search(text) or _BARE_DONE.match(text))
        and not facts.executed
        and not re.search(r"\b(?:will|once|after|if)\b", text, re.I)
    ):
        fixed = (
            "Nothing has been changed yet: I've prepared it, and it happens only once you confirm. "
            if facts.proposed
            else ""
        )
        corrections.append(
            Correction("unconfirmed_action", sentence.strip(), fixed.strip() or None)
        )
        return fixed, corrections
    return describe_placeholders(text), corrections


class ReplyChecker:
    """Checks a streamed reply sentence by sentence."""

    def __init__(self, facts: Facts, store: StoreInfo, user_texts: list[str]) -> None:
        self.facts = facts
        self.store = store
        self.user_texts = user_texts
        self.buffer = ""
        self.corrections: list[Correction] = []
        self.sent: list[str] = []

    def feed(self, delta: str) -> list[str]:
        """Take streamed text; return the checked sentences ready to send."""
        self.buffer += delta
        sentences, self.buffer = split_sentences(self.buffer)
        return [out for s in sentences if (out := self._check(s))]

    def flush(self) -> list[str]:
        """Check whatever is left at the end of the reply."""
        rest, self.buffer = self.buffer, ""
        out = self._check(rest) if rest.strip() else ""
        return [out] if out else []

    def _check(self, sentence: str) -> str:
        checked, corrections = check_sentence(
            sentence, self.facts, self.store, user_texts=self.user_texts
        )
        self.corrections.extend(corrections)
        if checked:
            self.sent.append(checked)
        return checked

    @property
    def text(self) -> str:
        """Everything sent so far."""
        return "".join(self.sent).strip()
