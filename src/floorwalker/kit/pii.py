"""Finding and removing personal data in text and JSON documents, with no domain knowledge.

Two tools: `redact_text` hides anything that *looks* like an e-mail address, a phone number or
a card number (the log safety net), and `scrub` removes the known values of one person
(their e-mail, name, phone, address lines) wherever they occur in a JSON document (erasure).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Text, cast, false, func, or_
from sqlalchemy.orm import QueryableAttribute

EMAIL_MARK = "[email]"
PHONE_MARK = "[phone]"
CARD_MARK = "[card]"
ERASED_MARK = "[erased]"

_EMAIL = re.compile(r"[\w.+'%-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A digit run of 13-19 digits, optionally grouped by single spaces or dashes.
_CARD = re.compile(r"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])")
# A phone number: an optional +, then 9-15 digits with separators between groups.
_PHONE = re.compile(r"(?<![\w/:.+-])(\+?\(?\d[\d\s().-]{7,20}\d)(?![\w/-])")
_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_SEPARATORS = re.compile(r"[\s().-]+")


def luhn_valid(digits: str) -> bool:
    """Whether a digit string passes the Luhn checksum."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if digits[0] in "23456" and luhn_valid(digits):
        return CARD_MARK
    return match.group(0)


def _phone(match: re.Match[str]) -> str:
    text = match.group(1)
    digits = re.sub(r"\D", "", text)
    if not 9 <= len(digits) <= 15 or _DATE_LIKE.match(text):
        return match.group(0)
    # Plain digit runs are ids far more often than phone numbers; a phone has a + or groups.
    grouped = len(_SEPARATORS.findall(text.strip("()"))) >= 2
    if text.startswith("+") or grouped:
        return PHONE_MARK
    return match.group(0)


def redact_text(text: str) -> str:
    """`text` with e-mail addresses, card numbers and phone numbers replaced by markers."""
    if not text or not any(c.isdigit() or c in "@%" for c in text):
        return text
    text = _EMAIL.sub(EMAIL_MARK, text)
    text = _CARD.sub(_card, text)
    return _PHONE.sub(_phone, text)


def redact_value(value: Any) -> Any:
    """A copy of a JSON-like value with `redact_text` applied to every string in it."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {k: redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(v) for v in value]
    return value


#: Known values shorter than this are not scrubbed: "Al" or "12" would hit unrelated text.
MIN_NEEDLE = 4


def needles_of(values: Iterable[str | None]) -> list[str]:
    """The distinct, long-enough values to scrub, longest first (so "Ada Lovelace" goes
    before "Lovelace")."""
    kept = {v.strip() for v in values if v and len(v.strip()) >= MIN_NEEDLE}
    return sorted(kept, key=lambda v: (-len(v), v))


def _pattern(needles: Sequence[str]) -> re.Pattern[str] | None:
    if not needles:
        return None
    return re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)


def scrub_text(text: str, needles: Sequence[str]) -> tuple[str, int]:
    """`text` with every case-insensitive occurrence of a needle replaced; and how many."""
    pattern = _pattern(needles)
    if pattern is None or not text:
        return text, 0
    return pattern.subn(ERASED_MARK, text)


def scrub(value: Any, needles: Sequence[str]) -> tuple[Any, int]:
    """A copy of a JSON-like value with the needles removed from every string (keys too);
    and the number of replacements made."""
    pattern = _pattern(needles)
    if pattern is None:
        return value, 0

    def walk(item: Any) -> tuple[Any, int]:
        if isinstance(item, str):
            return pattern.subn(ERASED_MARK, item)
        if isinstance(item, Mapping):
            out: dict[str, Any] = {}
            total = 0
            for key, inner in item.items():
                new_key, k = pattern.subn(ERASED_MARK, key) if isinstance(key, str) else (key, 0)
                new_value, n = walk(inner)
                out[new_key] = new_value
                total += k + n
            return out, total
        if isinstance(item, list | tuple):
            results = [walk(v) for v in item]
            return [r[0] for r in results], sum(r[1] for r in results)
        return item, 0

    return walk(value)


def like_patterns(needles: Sequence[str]) -> list[str]:
    """Lower-case SQL LIKE patterns (escape character `\\`) that find each needle in a
    column's text, including JSON text that escapes non-ASCII characters."""
    patterns: set[str] = set()
    for needle in needles:
        for form in {needle, json.dumps(needle)[1:-1]}:
            escaped = form.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            patterns.add(f"%{escaped}%")
    return sorted(patterns)


def mentions(
    column: ColumnElement[Any] | QueryableAttribute[Any], needles: Sequence[str]
) -> ColumnElement[bool]:
    """A SQL condition: the column's text contains one of the needles (case-insensitive).

    A prefilter for `scrub`, which then replaces the exact occurrences in Python.
    """
    text = func.lower(cast(column, Text))
    conditions = [text.like(pattern, escape="\\") for pattern in like_patterns(needles)]
    return or_(*conditions) if conditions else false()
