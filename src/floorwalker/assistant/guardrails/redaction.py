"""PII redaction: what the shopper types is masked before any prompt or transcript.

E-mail addresses, phone numbers, postal addresses and card-like numbers become placeholders
(`[EMAIL_1]`, `[PHONE_1]`, `[ADDRESS_1]`, `[CARD_NUMBER]`). The values behind the first three are
kept in a `Vault` (stored encrypted on the conversation) and restored only inside tool arguments,
so a tool can verify an e-mail or change an address while no model and no log ever sees them.
Card numbers are never kept: nothing in Floorwalker needs one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

CARD_PLACEHOLDER = "[CARD_NUMBER]"

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_CARD = re.compile(r"(?<![\w-])(?:\d[ -]?){12,18}\d(?![\w-])")
_PHONE = re.compile(r"(?<![\w#])(?:\+|\(?0)?[\d(][\d\s().-]{7,18}\d(?![\w-])")
_STREET_SUFFIX = (
    r"street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|"
    r"square|sq|terrace|close|crescent|parkway|pkwy|highway|hwy|row|gardens|hill|mews|walk|"
    r"strasse|straße|rue|via|calle"
)
_FUNCTION_WORDS = "in|of|for|with|size|a|an|the|and|or|to|my|at|on|by|from|is|are|x"
_STREET = re.compile(
    rf"\b(?:\d{{1,5}}[a-z]?,?\s+(?:(?!(?:{_FUNCTION_WORDS})\b)[a-z][\w'.-]*\s+){{1,4}}?"
    rf"(?:{_STREET_SUFFIX})\b\.?(?:\s+(?:n|s|e|w|ne|nw|se|sw)\b)?"
    r"|p\.?\s?o\.?\s+box\s+\d+)",
    re.IGNORECASE,
)
#: Words that end an address: a trailing part containing one is a new thought, not a place.
_NOT_PLACE = frozenset(
    [
        "and",
        "or",
        "but",
        "please",
        "my",
        "the",
        "to",
        "i",
        "it",
        "can",
        "you",
        "could",
        "would",
        "want",
        "also",
        "then",
        "thanks",
        "thank",
        "instead",
        "cancel",
        "return",
        "order",
        "change",
        "is",
        "was",
        "be",
    ]
)
_PLACEHOLDER = re.compile(r"\[(EMAIL|PHONE|ADDRESS)_(\d+)\]")
_KIND_WORDS = {
    "EMAIL": "the e-mail address you gave",
    "PHONE": "the phone number you gave",
    "ADDRESS": "the address you gave",
}
#: Keys of structured data (tool results) whose values are personal and never reach a model.
PII_KEYS = frozenset(
    {
        "email",
        "phone",
        "line1",
        "line2",
        "postal_code",
        "paypal_email",
        "to_address",
        "first_name",
        "last_name",
    }
)


def luhn_valid(digits: str) -> bool:
    """Whether a digit string passes the Luhn check that card numbers carry."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _address_end(text: str, start: int) -> int:
    """Extend a street match over the comma-separated place parts that follow it."""
    end = start
    while True:
        match = re.match(r",\s*([^,.!?;\n]{1,40})", text[end:])
        if match is None:
            return end
        part = match.group(1)
        words = re.findall(r"[\w'-]+", part.lower())
        stop = next((i for i, w in enumerate(words) if w in _NOT_PLACE), None)
        if stop is not None or len(words) > 5:
            if stop is None or stop == 0:
                return end
            # Keep the place words before the new thought ("…, UK instead please").
            last = words[stop - 1]
            cut = part.lower().index(last) + len(last)
            return end + match.start(1) + cut
        if not words:
            return end
        end += match.end()


class Vault:
    """Placeholders and the values behind them, for one conversation."""

    def __init__(self, values: dict[str, str] | None = None) -> None:
        self.values: dict[str, str] = dict(values or {})

    def placeholder(self, kind: str, value: str) -> str:
        """The placeholder for `value` (the same value always gets the same one)."""
        for key, existing in self.values.items():
            if existing == value and key.startswith(f"[{kind}_"):
                return key
        count = sum(1 for key in self.values if key.startswith(f"[{kind}_")) + 1
        key = f"[{kind}_{count}]"
        self.values[key] = value
        return key

    def restore(self, value: Any) -> Any:
        """Put the real values back into tool arguments (strings, lists and dicts)."""
        if isinstance(value, str):
            return _PLACEHOLDER.sub(lambda m: self.values.get(m.group(0), m.group(0)), value)
        if isinstance(value, list):
            return [self.restore(item) for item in value]
        if isinstance(value, dict):
            return {key: self.restore(item) for key, item in value.items()}
        return value

    def knows(self, placeholder: str) -> bool:
        """Whether the shopper typed the value behind this placeholder."""
        return placeholder in self.values

    def dumps(self) -> str:
        """The vault as JSON (to be encrypted before it is stored)."""
        return json.dumps(self.values, sort_keys=True)

    @classmethod
    def loads(cls, text: str | None) -> Vault:
        """A vault from `dumps` output (an empty one for None)."""
        return cls(json.loads(text) if text else None)


def redact(text: str, vault: Vault | None = None) -> str:
    """The text with PII replaced by placeholders; values go into `vault` if given."""
    store = vault if vault is not None else Vault()

    def card(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            return CARD_PLACEHOLDER
        return match.group(0)

    def keep(kind: str) -> Callable[[re.Match[str]], str]:
        def replace(match: re.Match[str]) -> str:
            return store.placeholder(kind, match.group(0).strip())

        return replace

    def phone(match: re.Match[str]) -> str:
        raw = match.group(0)
        digits = re.sub(r"\D", "", raw)
        if not 9 <= len(digits) <= 15 or re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip()):
            return raw
        return store.placeholder("PHONE", raw.strip())

    text = _EMAIL.sub(keep("EMAIL"), text)
    text = _CARD.sub(card, text)
    pieces: list[str] = []
    cursor = 0
    for match in _STREET.finditer(text):
        if match.start() < cursor:
            continue
        end = _address_end(text, match.end())
        pieces.append(text[cursor : match.start()])
        pieces.append(store.placeholder("ADDRESS", text[match.start() : end].strip(" ,")))
        cursor = end
    pieces.append(text[cursor:])
    text = "".join(pieces)
    return _PHONE.sub(phone, text)


def redact_data(value: Any) -> Any:
    """Structured data (a tool result) with personal fields masked and free text redacted."""
    if isinstance(value, dict):
        return {
            key: ("[redacted]" if key in PII_KEYS and item else redact_data(item))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact_data(item) for item in value]
    if isinstance(value, str):
        return redact(value)
    return value


def describe_placeholders(text: str) -> str:
    """Reply text with placeholders turned into plain words for the shopper."""
    text = text.replace(CARD_PLACEHOLDER, "(card number removed)")
    return _PLACEHOLDER.sub(lambda m: _KIND_WORDS[m.group(1)], text)


def placeholders_in(text: str) -> list[str]:
    """The placeholders that occur in a text, in order."""
    return [m.group(0) for m in _PLACEHOLDER.finditer(text)]
