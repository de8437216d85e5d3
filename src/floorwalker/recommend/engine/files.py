"""Reading interaction files: CSV, TSV or Parquet with one interaction per row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from floorwalker.recommend.engine.data import EVENT_KINDS, IntArray, InteractionLog
from floorwalker.recommend.errors import InteractionFileInvalid

#: Canonical column names of an interactions file; `order_id` and `title` are optional.
COLUMNS = ("customer_id", "item_id", "timestamp", "event_type", "quantity", "order_id", "title")
REQUIRED_COLUMNS = ("customer_id", "item_id", "timestamp")


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


@dataclass(frozen=True, slots=True)
class InteractionRows:
    """The usable rows of a file, as parallel columns of text, times and numbers."""

    customers: npt.NDArray[Any]
    items: npt.NDArray[Any]
    times: IntArray
    kinds: npt.NDArray[np.int8]
    quantities: npt.NDArray[np.float32]
    #: The file's order ids (None when the file has no order_id column).
    orders: npt.NDArray[Any] | None
    titles: dict[str, str]
    summary: ReadSummary

    def __len__(self) -> int:
        return int(self.customers.shape[0])


def read_rows(path: Path, *, columns: Mapping[str, str] | None = None) -> InteractionRows:
    """Read a CSV or Parquet file of interactions, keeping the rows the recommender can use.

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
    return InteractionRows(
        customers=users[keep],
        items=items[keep],
        times=times[keep],
        kinds=kinds[keep],
        quantities=quantity[keep],
        orders=None if baskets is None else baskets[keep],
        titles=titles,
        summary=summary,
    )


def read_interactions(
    path: Path, *, columns: Mapping[str, str] | None = None
) -> tuple[InteractionLog, ReadSummary]:
    """Read a file (see `read_rows`) into an interaction log; purchases with an order id form
    one basket per (customer, order), without one per (customer, timestamp)."""
    rows = read_rows(path, columns=columns)
    basket_keys: npt.NDArray[Any] | None = None
    if rows.orders is not None:
        # an order id is only unique per customer in some exports: scope it by the customer
        basket_keys = np.asarray(
            [
                f"{customer}#{order}" if order is not None else f"{customer}@{when}"
                for customer, order, when in zip(
                    rows.customers.tolist(), rows.orders.tolist(), rows.times.tolist(), strict=True
                )
            ],
            dtype=np.str_,
        )
    log = InteractionLog.from_rows(
        users=rows.customers.astype(np.str_),
        items=rows.items.astype(np.str_),
        times=rows.times,
        kinds=rows.kinds,
        quantities=rows.quantities,
        baskets=basket_keys,
        titles=rows.titles,
    )
    return log, rows.summary
