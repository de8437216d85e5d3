"""Choosing the final list from ranked candidates: pins first, then diversity across categories.

Stock, blocks and other exclusions are applied before (by the service, which knows the live
catalog); this module only orders and caps.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence


def category_cap(limit: int, max_share: float | None) -> int | None:
    """Most items of one category in a list of `limit` (None: no cap)."""
    if max_share is None or max_share >= 1.0:
        return None
    return max(1, math.ceil(limit * max_share))


def choose(
    candidates: Sequence[int],
    *,
    limit: int,
    category_of: Callable[[int], Hashable | None],
    max_share: float | None,
    pinned: Sequence[int] = (),
) -> list[int]:
    """Up to `limit` items: pinned ones first, then candidates in rank order, with at most
    `category_cap` items per category (uncategorised items are not capped). When the cap leaves
    the list short, the best skipped candidates fill it, so diversity never empties a list."""
    cap = category_cap(limit, max_share)
    chosen: list[int] = []
    seen: set[int] = set()
    per_category: dict[Hashable, int] = {}
    skipped: list[int] = []

    def take(item: int) -> None:
        chosen.append(item)
        seen.add(item)
        cat = category_of(item)
        if cat is not None:
            per_category[cat] = per_category.get(cat, 0) + 1

    for item in pinned:
        if len(chosen) == limit:
            return chosen
        if item not in seen:
            take(item)
    for item in candidates:
        if len(chosen) == limit:
            break
        if item in seen:
            continue
        cat = category_of(item)
        if cap is not None and cat is not None and per_category.get(cat, 0) >= cap:
            skipped.append(item)
            continue
        take(item)
    for item in skipped:
        if len(chosen) == limit:
            break
        take(item)
    return chosen
