"""Small text helpers with no domain knowledge."""

from __future__ import annotations

import re
import unicodedata

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, *, max_length: int = 200, fallback: str = "item") -> str:
    """A URL-safe lowercase slug: "Café Crème 2" → "cafe-creme-2"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NON_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or fallback


def unique_strings(values: list[str]) -> list[str]:
    """Strip, drop empties and drop case-insensitive repeats, keeping the first spelling."""
    seen: set[str] = set()
    kept: list[str] = []
    for value in values:
        text = value.strip()
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            kept.append(text)
    return kept
