"""Interactions as arrays: who did what with which item, when, how many, in which basket.

The engine knows nothing of the database: the trainer, the evaluator and the server all work on
an `InteractionLog` (one row per interaction, users and items as indices into key arrays). The
database path (`recommend.queries`) and the file reader (`read_interactions`) both build one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from floorwalker.recommend.errors import InteractionFileInvalid

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

#: Canonical column names of an interactions file; `order_id` and `title` are optional.
COLUMNS = ("customer_id", "item_id", "timestamp", "event_type", "quantity", "order_id", "title")
REQUIRED_COLUMNS = ("customer_id", "item_id", "timestamp")


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


@dataclass(frozen=True, slots=True)
class ReadSummary:
    """What reading a file kept and dropped, and why."""

    rows: int
    kept: int
    missing_customer: int = 0
    missing_item: int = 0
    non_positive_quantity: int = 0
    unknown_event_type: int = 0


def _read_table(path: Path) -> Any:
    import pyarrow as pa  # noqa: F401 - imported for its side effect of loading the C++ core
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if not path.exists():
        raise InteractionFileInvalid(f"No such file: {path}.", path=str(path))
    suffix = path.suffix.lower()
    try:
        if suffix in {".parquet", ".pq"}:
            return pq.read_table(path)
        if suffix in {".csv", ".tsv", ".txt"}:
            delimiter = "\t" if suffix == ".tsv" else ","
            return pacsv.read_csv(
                path,
                parse_options=pacsv.ParseOptions(delimiter=delimiter),
                # every column as text: ids such as "00123" must keep their zeros
                convert_options=pacsv.ConvertOptions(
                    column_types=None, strings_can_be_null=True, auto_dict_encode=False
                ),
                read_options=pacsv.ReadOptions(use_threads=False),
            )
    except (OSError, ValueError) as exc:  # pyarrow raises ArrowInvalid (a ValueError)
        raise InteractionFileInvalid(f"Cannot read {path.name}: {exc}", path=str(path)) from exc
    raise InteractionFileInvalid(
        f"Unknown file type {suffix!r}: use .csv, .tsv or .parquet.", path=str(path)
    )


def _as_text(column: Any) -> npt.NDArray[Any]:
    """A column as Python strings with None for nulls; floats like 17850.0 become '17850'."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_floating(column.type):
        whole = pc.equal(column, pc.floor(column))
        as_int = pc.cast(pc.if_else(whole, column, None), pa.int64(), safe=False)
        column = pc.if_else(whole, pc.cast(as_int, pa.string()), pc.cast(column, pa.string()))
    elif not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
        column = pc.cast(column, pa.string())
    column = pc.utf8_trim_whitespace(column)
    column = pc.if_else(pc.equal(column, ""), None, column)
    return np.asarray(column.to_pylist(), dtype=object)


def _as_epoch_seconds(column: Any, name: str) -> IntArray:
    """Timestamps as epoch seconds: ISO 8601 text (no zone = UTC), timestamps, or numbers."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
            values = pc.cast(column, pa.int64(), safe=False)
        else:
            if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                try:
                    column = pc.cast(column, pa.timestamp("s", tz="UTC"))
                except pa.ArrowInvalid:
                    column = pc.cast(column, pa.timestamp("s"))
            if pa.types.is_date(column.type):
                column = pc.cast(column, pa.timestamp("s"))
            if not pa.types.is_timestamp(column.type):
                raise TypeError(str(column.type))
            values = pc.cast(pc.cast(column, pa.timestamp("s", tz=column.type.tz)), pa.int64())
    except (pa.ArrowInvalid, TypeError) as exc:
        raise InteractionFileInvalid(
            f"Column {name!r} holds values that are not timestamps: {exc}", column=name
        ) from exc
    if values.null_count:
        raise InteractionFileInvalid(f"Column {name!r} has empty timestamps.", column=name)
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=np.int64)


def read_interactions(
    path: Path, *, columns: Mapping[str, str] | None = None
) -> tuple[InteractionLog, ReadSummary]:
    """Read a CSV or Parquet file of interactions into a log.

    Columns (renamed from the file's names by `columns`, e.g. {"item_id": "StockCode"}):
    customer_id, item_id, timestamp (required); event_type (default purchase), quantity
    (default 1), order_id (groups a basket), title (item text for content similarity).
    Rows without a customer or item, with quantity ≤ 0 (returns, cancellations) or with an
    event type the recommender does not use are dropped and counted in the summary.
    """
    mapping = dict(columns or {})
    unknown = set(mapping) - set(COLUMNS)
    if unknown:
        raise InteractionFileInvalid(
            f"Unknown column role(s) {sorted(unknown)}; roles are {', '.join(COLUMNS)}."
        )
    table = _read_table(path)
    present = set(table.column_names)

    def source(role: str) -> str | None:
        name = mapping.get(role, role)
        return name if name in present else None

    missing = [mapping.get(role, role) for role in REQUIRED_COLUMNS if source(role) is None]
    if missing:
        raise InteractionFileInvalid(
            f"{path.name} lacks column(s) {', '.join(missing)}; it has "
            f"{', '.join(table.column_names)}.",
            missing=missing,
        )
    n = table.num_rows
    users = _as_text(table.column(source("customer_id")))
    items = _as_text(table.column(source("item_id")))
    times = _as_epoch_seconds(
        table.column(source("timestamp")), mapping.get("timestamp", "timestamp")
    )
    if (name := source("event_type")) is not None:
        names = _as_text(table.column(name))
        kinds = np.array(
            [EVENT_KINDS.get((v or "purchase").lower(), -1) for v in names], dtype=np.int8
        )
    else:
        kinds = np.zeros(n, dtype=np.int8)
    if (name := source("quantity")) is not None:
        raw_qty = _as_text(table.column(name))
        try:
            quantity = np.array([1.0 if v is None else float(v) for v in raw_qty], np.float32)
        except ValueError as exc:
            raise InteractionFileInvalid(
                f"Column {name!r} holds values that are not numbers: {exc}", column=name
            ) from exc
    else:
        quantity = np.ones(n, dtype=np.float32)
    baskets = None
    if (name := source("order_id")) is not None:
        baskets = _as_text(table.column(name))
    titles: dict[str, str] = {}
    if (name := source("title")) is not None:
        for item, title in zip(items.tolist(), _as_text(table.column(name)).tolist(), strict=True):
            if item is not None and title and item not in titles:
                titles[item] = title

    no_user = np.array([u is None for u in users], dtype=bool)
    no_item = np.array([i is None for i in items], dtype=bool)
    bad_qty = quantity <= 0
    bad_kind = kinds < 0
    keep = ~(no_user | no_item | bad_qty | bad_kind)
    summary = ReadSummary(
        rows=n,
        kept=int(keep.sum()),
        missing_customer=int(no_user.sum()),
        missing_item=int((no_item & ~no_user).sum()),
        non_positive_quantity=int((bad_qty & ~no_user & ~no_item).sum()),
        unknown_event_type=int((bad_kind & ~bad_qty & ~no_user & ~no_item).sum()),
    )
    if baskets is not None:
        # an order id is only unique per customer in some exports: scope it by the customer
        basket_keys: npt.NDArray[Any] | None = np.char.add(
            np.char.add(users[keep].astype(np.str_), "#"), baskets[keep].astype(np.str_)
        )
    else:
        basket_keys = None
    log = InteractionLog.from_rows(
        users=users[keep].astype(np.str_),
        items=items[keep].astype(np.str_),
        times=times[keep],
        kinds=kinds[keep],
        quantities=quantity[keep],
        baskets=basket_keys,
        titles=titles,
    )
    return log, summary
