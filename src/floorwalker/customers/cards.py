"""Card numbers are never stored: spot anything in a record that looks like one.

A primary account number (PAN) is 13-19 digits, optionally grouped by spaces or dashes,
starting with an issuer digit 2-6 and passing the Luhn check. Phone numbers, ids and
external ids are not scanned: they are digits by nature and never carry a card number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_CANDIDATE = re.compile(r"(?<![\d+])\d(?:[ -]?\d){12,18}(?!\d)")
_NOT_SCANNED = frozenset({"id", "external_id", "phone", "exp_month", "exp_year", "balance"})
#: Field names that only ever hold card data; a record carrying one is refused outright.
CARD_FIELDS = frozenset(
    {"card_number", "cardnumber", "number", "pan", "cvv", "cvc", "cvv2", "security_code"}
)


def luhn_valid(digits: str) -> bool:
    """Whether a digit string passes the Luhn checksum."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def looks_like_pan(text: str) -> bool:
    """Whether `text` contains something that looks like a card number."""
    for match in _CANDIDATE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn_valid(digits):
            return True
    return False


def find_card_data(value: Any, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """The path of the first field holding card data in a record (None when clean)."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            name = str(key)
            if name.lower() in CARD_FIELDS:
                return (*path, name)
            if name in _NOT_SCANNED:
                continue
            found = find_card_data(item, (*path, name))
            if found is not None:
                return found
        return None
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = find_card_data(item, (*path, str(index)))
            if found is not None:
                return found
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | str) and looks_like_pan(str(value)):
        return path
    return None
