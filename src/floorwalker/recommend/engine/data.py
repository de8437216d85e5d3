"""Interactions as arrays: who did what with which item, when, how many, in which basket.

The engine knows nothing of the database: the trainer, the evaluator and the server all work on
an `InteractionLog` (one row per interaction, users and items as indices into key arrays). The
database path (`recommend.queries`) and the file reader (`read_interactions`) both build one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float32]
KeyArray = npt.NDArray[np.str_]


class Kind(IntEnum):
    """What a shopper did with an item; purchases are the strongest signal."""

    PURCHASE = 0
    CART = 1
    VIEW = 2


#: Event type names accepted in files and from the events table (others are ignored).
EVENT_KINDS: dict[str, Kind] = {
    "purchase": Kind.PURCHASE,
    "order": Kind.PURCHASE,
    "buy": Kind.PURCHASE,
    "add_to_cart": Kind.CART,
    "cart": Kind.CART,
    "view": Kind.VIEW,
    "product_view": Kind.VIEW,
    "recommendation_click": Kind.VIEW,
}


def pair_key(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> IntArray:
    """One int64 per (a, b) pair of non-negative-ish integers (b ≥ -1), for fast np.unique."""
    if a.size == 0:
        return np.zeros(0, dtype=np.int64)
    span = int(b.max()) + 2
    return a.astype(np.int64) * span + (b.astype(np.int64) + 1)


@dataclass(frozen=True, slots=True)
class InteractionLog:
    """Interaction rows over fixed user and item key arrays.

    `basket` groups purchases made together (an order): rows with the same basket index were
    bought at once. Non-purchase rows have basket -1.
    """

    user_keys: KeyArray
    item_keys: KeyArray
    user: Int32Array
    item: Int32Array
    time: IntArray
    kind: npt.NDArray[np.int8]
    quantity: FloatArray
    basket: IntArray
    #: Optional display titles by item key (files with a title column; used for content).
    titles: Mapping[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.user.shape[0])

    @property
    def n_users(self) -> int:
        """Number of user keys (not all need rows)."""
        return int(self.user_keys.shape[0])

    @property
    def n_items(self) -> int:
        """Number of item keys (not all need rows)."""
        return int(self.item_keys.shape[0])

    def select(self, mask: npt.NDArray[np.bool_]) -> InteractionLog:
        """The rows where `mask` is true, over the same key arrays."""
        return InteractionLog(
            user_keys=self.user_keys,
            item_keys=self.item_keys,
            user=self.user[mask],
            item=self.item[mask],
            time=self.time[mask],
            kind=self.kind[mask],
            quantity=self.quantity[mask],
            basket=self.basket[mask],
            titles=self.titles,
        )

    def purchases(self) -> InteractionLog:
        """Only the purchase rows."""
        return self.select(self.kind == Kind.PURCHASE)

    def split_at(self, cut: int) -> tuple[InteractionLog, InteractionLog]:
        """Rows before `cut` (epoch seconds) and rows at or after it."""
        before = self.time < cut
        return self.select(before), self.select(~before)

    def reindex_items(self, item_keys: KeyArray) -> InteractionLog:
        """The same rows over another item key array; rows of items not in it are dropped."""
        position = {key: i for i, key in enumerate(item_keys.tolist())}
        mapped = np.fromiter(
            (position.get(key, -1) for key in self.item_keys.tolist()),
            dtype=np.int32,
            count=self.n_items,
        )
        new_item = mapped[self.item] if len(self) else self.item
        keep = new_item >= 0
        return InteractionLog(
            user_keys=self.user_keys,
            item_keys=item_keys,
            user=self.user[keep],
            item=new_item[keep].astype(np.int32),
            time=self.time[keep],
            kind=self.kind[keep],
            quantity=self.quantity[keep],
            basket=self.basket[keep],
            titles=self.titles,
        )

    @classmethod
    def from_rows(
        cls,
        *,
        users: Sequence[str] | npt.NDArray[Any],
        items: Sequence[str] | npt.NDArray[Any],
        times: Sequence[int] | npt.NDArray[Any],
        kinds: Sequence[int] | npt.NDArray[Any],
        quantities: Sequence[float] | npt.NDArray[Any] | None = None,
        baskets: Sequence[str] | npt.NDArray[Any] | None = None,
        titles: Mapping[str, str] | None = None,
    ) -> InteractionLog:
        """Build a log from parallel columns; purchases without a basket key share one per
        (user, timestamp), which is how a till or an order export groups them."""
        user_arr = np.asarray(users, dtype=np.str_)
        item_arr = np.asarray(items, dtype=np.str_)
        time_arr = np.asarray(times, dtype=np.int64)
        kind_arr = np.asarray(kinds, dtype=np.int8)
        n = user_arr.shape[0]
        qty_arr = (
            np.ones(n, dtype=np.float32)
            if quantities is None
            else np.asarray(quantities, dtype=np.float32)
        )
        if not (item_arr.shape[0] == time_arr.shape[0] == kind_arr.shape[0] == n == len(qty_arr)):
            raise ValueError("interaction columns differ in length")
        user_keys, user_idx = np.unique(user_arr, return_inverse=True)
        item_keys, item_idx = np.unique(item_arr, return_inverse=True)
        if baskets is None:
            basket_src = np.char.add(np.char.add(user_arr, "@"), time_arr.astype(np.str_))
        else:
            basket_src = np.asarray(baskets, dtype=np.str_)
        _, basket_idx = np.unique(basket_src, return_inverse=True)
        basket = np.where(kind_arr == Kind.PURCHASE, basket_idx, -1).astype(np.int64)
        return cls(
            user_keys=user_keys,
            item_keys=item_keys,
            user=user_idx.astype(np.int32).reshape(-1),
            item=item_idx.astype(np.int32).reshape(-1),
            time=time_arr,
            kind=kind_arr,
            quantity=qty_arr,
            basket=basket.reshape(-1),
            titles=dict(titles or {}),
        )
