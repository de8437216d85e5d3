"""Entity extraction for the local model: order numbers, amounts, quantities, references.

Product types, brands, colours, sizes and price ranges of a *search* are left to the search
service's own natural-language parser (the search tool receives the shopper's words); this
module finds what the dialogue needs around it: which order, which item, how many, which
reason, which payment method, which option values of a known product.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from floorwalker.kit.money import to_minor

_ORDER_HASH = re.compile(r"#\s?([A-Za-z]{0,4}-?\d{3,})")
_ORDER_PREFIXED = re.compile(r"(?<![\w-])([A-Za-z]{1,4}-?\d{3,})(?![\w-])")
_ORDER_AFTER_WORD = re.compile(
    r"\border\s+(?:number\s+|no\.?\s+|num\s+)?(?:is\s+)?(\d{3,})\b", re.I
)
_BARE_NUMBER = re.compile(r"(?<![\w#.,$£€-])(\d{4,})(?![\w.,-])")
_CODE = re.compile(r"(?<![\w#-])(\d{6})(?![\w-])")
_EMAIL_PLACEHOLDER = re.compile(r"\[EMAIL_\d+\]")
_ADDRESS_PLACEHOLDER = re.compile(r"\[ADDRESS_\d+\]")
_MONEY = re.compile(
    r"(?P<sym>[$£€])\s?(?P<a>\d[\d,]*(?:\.\d{1,2})?)"
    r"|(?P<b>\d[\d,]*(?:\.\d{1,2})?)\s?(?P<word>dollars|bucks|pounds|quid|euros|usd|gbp|eur)\b",
    re.I,
)
_UNDER = re.compile(
    r"\b(?:under|below|less than|cheaper than|max(?:imum)?|up to|no more than|within)\s+"
    r"(?:[$£€]\s?)?(\d[\d,]*(?:\.\d{1,2})?)",
    re.I,
)
_OVER = re.compile(
    r"\b(?:over|above|more than|at least|from)\s+(?:[$£€]\s?)?(\d[\d,]*(?:\.\d{1,2})?)", re.I
)
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a couple of": 2,
    "a pair of": 2,
    "both": 2,
}
_QUANTITY = re.compile(
    r"\b(?:(?:add|take|buy|want|return|exchange|get|need)\s+(\d{1,2}|"
    + "|".join(k for k in _NUMBER_WORDS if " " not in k and k != "both")
    + r")\b(?!\s*(?:dollars|pounds|euros|%))"
    r"|(?:qty|quantity|x)\s*(\d{1,2})\b"
    r"|(\d{1,2})\s+(?:of (?:them|those|these|it)|units?|pieces?|pairs?)\b)",
    re.I,
)
_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "sixth": 6,
    "last": -1,
    "latest": -1,
    "newest": -1,
}
_ORDINAL = re.compile(
    r"\b(" + "|".join(_ORDINALS) + r")\b|\b(?:number|no\.?|option|item)\s+(\d)\b", re.I
)
_ALL = re.compile(
    r"\b(?:both|all|everything|every item|all items|the whole order|entire order)\b", re.I
)
_NEGATION = re.compile(r"\b(?:not|don't|dont|do not|never|no longer|nothing|isn't|won't)\b", re.I)
_LAST4 = re.compile(r"\b(?:ending(?: in| with)?|last four|\*{2,}|x{2,})\s*(\d{4})\b", re.I)
_SIZE_WORDS = {
    "extra small": "XS",
    "small": "S",
    "medium": "M",
    "large": "L",
    "extra large": "XL",
    "double extra large": "XXL",
}

#: Phrases that mean a cancel reason, by the default policy's reasons.
_REASON_HINTS = {
    "no longer needed": (
        "no longer need",
        "don't need",
        "dont need",
        "do not need",
        "not needed",
        "no need",
        "changed my mind",
        "don't want",
        "dont want",
        "no longer want",
        "not want",
        "found it cheaper",
        "too late",
        "won't need",
    ),
    "ordered by mistake": (
        "by mistake",
        "mistake",
        "by accident",
        "accidentally",
        "accident",
        "wrong item",
        "ordered the wrong",
        "didn't mean",
        "did not mean",
        "duplicate",
        "ordered twice",
    ),
}


@dataclass(slots=True)
class Entities:
    """What a message mentions."""

    order_numbers: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    code: str | None = None
    amounts: list[int] = field(default_factory=list)
    price_max: int | None = None
    price_min: int | None = None
    quantity: int | None = None
    ordinal: int | None = None
    all_items: bool = False
    negated: bool = False
    refund_to: str | None = None
    payment: dict[str, Any] | None = None


def _major_to_minor(text: str, currency: str) -> int:
    return to_minor(text.replace(",", ""), currency)


def extract(text: str, *, currency: str, awaiting: str | None = None) -> Entities:
    """Find the entities of a redacted message; `awaiting` says which value is expected."""
    found = Entities()
    found.emails = _EMAIL_PLACEHOLDER.findall(text)
    found.addresses = _ADDRESS_PLACEHOLDER.findall(text)
    money_spans = [m.span() for m in _MONEY.finditer(text)]
    for match in _MONEY.finditer(text):
        amount = match.group("a") or match.group("b")
        found.amounts.append(_major_to_minor(amount, currency))
    if m := _UNDER.search(text):
        found.price_max = _major_to_minor(m.group(1), currency)
    if m := _OVER.search(text):
        found.price_min = _major_to_minor(m.group(1), currency)
    found.order_numbers = _order_numbers(text, money_spans, awaiting)
    code = _CODE.search(text)
    if code and (awaiting == "code" or "code" in text.lower()):
        found.code = code.group(1)
        found.order_numbers = [n for n in found.order_numbers if n != code.group(1)]
    found.quantity = _quantity(text)
    found.ordinal = ordinal(text)
    found.all_items = bool(_ALL.search(text))
    found.negated = bool(_NEGATION.search(text))
    found.refund_to = refund_destination(text)
    found.payment = payment_reference(text)
    return found


def _order_numbers(
    text: str, money_spans: Sequence[tuple[int, int]], awaiting: str | None
) -> list[str]:
    numbers: list[str] = []

    def inside_money(start: int) -> bool:
        return any(a <= start < b for a, b in money_spans)

    for pattern in (_ORDER_HASH, _ORDER_PREFIXED, _ORDER_AFTER_WORD):
        for match in pattern.finditer(text):
            value = match.group(1)
            before = text[max(0, match.start() - 5) : match.start()].lower()
            if inside_money(match.start()) or "sku" in before or "size" in before:
                continue
            if value not in numbers:
                numbers.append(value)
    if not numbers and awaiting == "order_number":
        numbers = [m.group(1) for m in _BARE_NUMBER.finditer(text) if not inside_money(m.start())]
    return numbers


def _quantity(text: str) -> int | None:
    match = _QUANTITY.search(text)
    if not match:
        return None
    raw = next(g for g in match.groups() if g)
    value = _NUMBER_WORDS.get(raw.lower()) if not raw.isdigit() else int(raw)
    return value if value and 0 < value <= 50 else None


def ordinal(text: str) -> int | None:
    """1-based position a message points at ("the second one" → 2, "the last" → -1)."""
    match = _ORDINAL.search(text)
    if not match:
        return None
    if match.group(2):
        return int(match.group(2))
    return _ORDINALS[match.group(1).lower()]


def refund_destination(text: str) -> str | None:
    """Where a shopper wants a refund: `gift_card`, `original` or None."""
    lowered = text.lower()
    if "gift card" in lowered or "giftcard" in lowered or "store credit" in lowered:
        return "gift_card"
    if re.search(
        r"\b(?:original|same (?:card|method|way)|back to my (?:card|paypal)|my card)\b", lowered
    ):
        return "original"
    return None


def payment_reference(text: str) -> dict[str, Any] | None:
    """A payment method the message names: kind and, if given, the last four digits."""
    lowered = text.lower()
    last4 = _LAST4.search(text)
    kind: str | None = None
    if "gift card" in lowered or "giftcard" in lowered:
        kind = "gift_card"
    elif "paypal" in lowered:
        kind = "paypal"
    elif "store credit" in lowered:
        kind = "store_credit"
    elif re.search(r"\b(?:card|visa|mastercard|amex|american express|credit|debit)\b", lowered):
        kind = "card"
    if kind is None and last4 is None:
        return None
    brand = next((b for b in ("visa", "mastercard", "amex", "discover") if b in lowered), None)
    return {"kind": kind, "last4": last4.group(1) if last4 else None, "brand": brand}


def cancel_reason(text: str, reasons: Iterable[str]) -> str | None:
    """The store's cancel reason a message means, if any (exact, hinted or fuzzy)."""
    lowered = text.lower()
    options = list(reasons)
    for reason in options:
        if reason.lower() in lowered:
            return reason
    for reason in options:
        for hint in _REASON_HINTS.get(reason.lower(), ()):
            if hint in lowered:
                return reason
    best = max(options, key=lambda r: fuzz.partial_ratio(r.lower(), lowered), default=None)
    if best is not None and fuzz.partial_ratio(best.lower(), lowered) >= 85:
        return best
    return None


def _value_pattern(value: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w]){re.escape(value.lower())}(?![\w])")


def match_options(text: str, choices: Sequence[dict[str, Any]]) -> dict[str, str]:
    """Option values (size, colour, …) the message names, among those the variants offer."""
    lowered = " " + text.lower() + " "
    for words, size in sorted(_SIZE_WORDS.items(), key=lambda kv: -len(kv[0])):
        lowered = re.sub(rf"\b(?:a |an |size )?{words}\b", f" size {size.lower()} ", lowered)
    values: dict[str, set[str]] = {}
    for options in choices:
        for name, value in options.items():
            values.setdefault(str(name), set()).add(str(value))
    found: dict[str, str] = {}
    for name, candidates in values.items():
        best: str | None = None
        for value in sorted(candidates, key=len, reverse=True):
            pattern = _value_pattern(value)
            if len(value) <= 2 and not value.isdigit():
                # Single letters ("S", "M", "L") count only after "size" or "in".
                pattern = re.compile(rf"\b(?:size|in|an?)\s+{re.escape(value.lower())}(?![\w])")
            elif value.isdigit():
                pattern = re.compile(
                    rf"(?:\bsize\s+|\bin\s+|\ba\s+|^|\s){re.escape(value)}(?![\w.])"
                )
            if pattern.search(lowered):
                best = value
                break
        if best is not None:
            found[name] = best
    return found


def mentions(text: str, phrase: str) -> bool:
    """Whether a message mentions a phrase (whole words, or closely enough for a typo)."""
    lowered = text.lower()
    phrase = phrase.lower().strip()
    if not phrase:
        return False
    if _value_pattern(phrase).search(lowered):
        return True
    return len(phrase) >= 5 and fuzz.partial_ratio(phrase, lowered) >= 88
