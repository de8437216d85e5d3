"""Reading a sales file (CSV, TSV or Parquet; one sale line per row) into a SalesHistory."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from floorwalker.insights.errors import SalesFileInvalid
from floorwalker.insights.forecasting.history import Frequency, SalesHistory, build_history

#: Column roles of a sales file; `date` and `sku` are required.
ROLES = ("date", "sku", "quantity", "order_id", "customer_id")
REQUIRED = ("date", "sku")
#: Column names recognised for each role when no mapping is given (case-insensitive).
ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("date", "timestamp", "ordered_at", "placed_at", "order_date", "invoicedate", "day"),
    "sku": ("sku", "stockcode", "item_id", "variant_id", "product_id", "item"),
    "quantity": ("quantity", "qty", "units"),
    "order_id": ("order_id", "invoiceno", "invoice", "order_number", "order"),
    "customer_id": ("customer_id", "customerid", "customer"),
}


@dataclass(frozen=True, slots=True)
class SalesFile:
    """A sales file's usable lines bucketed into full periods, with what was dropped."""

    history: SalesHistory
    rows: int
    kept: int
    dropped_missing: int
    dropped_non_positive: int
    columns: dict[str, str]


def _read_table(path: Path) -> Any:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if not path.exists():
        raise SalesFileInvalid(f"No such file: {path}.", path=str(path))
    suffix = path.suffix.lower()
    try:
        if suffix in {".parquet", ".pq"}:
            return pq.read_table(path)
        if suffix in {".csv", ".tsv", ".txt"}:
            return pacsv.read_csv(
                path,
                parse_options=pacsv.ParseOptions(delimiter="\t" if suffix == ".tsv" else ","),
                # every column as text: SKUs such as "00123" keep their zeros
                convert_options=pacsv.ConvertOptions(
                    column_types=None, strings_can_be_null=True, auto_dict_encode=False
                ),
                read_options=pacsv.ReadOptions(use_threads=False),
            )
    except (OSError, ValueError) as exc:  # pyarrow raises ArrowInvalid (a ValueError)
        raise SalesFileInvalid(f"Cannot read {path.name}: {exc}", path=str(path)) from exc
    raise SalesFileInvalid(f"Unknown file type {suffix!r}: use .csv, .tsv or .parquet.")


def _text(column: Any) -> npt.NDArray[Any]:
    """A column as stripped strings with None for nulls; 17850.0 becomes '17850'."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_floating(column.type):
        whole = pc.equal(column, pc.floor(column))
        as_int = pc.cast(pc.if_else(whole, column, None), pa.int64(), safe=False)
        column = pc.if_else(whole, pc.cast(as_int, pa.string()), pc.cast(column, pa.string()))
    elif not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        column = pc.cast(column, pa.string())
    column = pc.utf8_trim_whitespace(column)
    column = pc.if_else(pc.equal(column, ""), None, column)
    return np.asarray(column.to_pylist(), dtype=object)


def _days(column: Any, name: str) -> npt.NDArray[np.int64]:
    """Day numbers (days since 1970-01-01); -1 for an empty cell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            column = pc.utf8_trim_whitespace(column)
            column = pc.if_else(pc.equal(column, ""), None, column)
            try:
                column = pc.cast(column, pa.timestamp("s", tz="UTC"))
            except pa.ArrowInvalid:
                column = pc.cast(column, pa.timestamp("s"))
        if pa.types.is_timestamp(column.type):
            column = pc.cast(pc.cast(column, pa.timestamp("s", tz=column.type.tz)), pa.date32())
        if not pa.types.is_date(column.type):
            raise TypeError(f"type {column.type}")
        days = pc.cast(pc.cast(column, pa.date32()), pa.int32())
    except (pa.ArrowInvalid, TypeError) as exc:
        raise SalesFileInvalid(
            f"Column {name!r} holds values that are not dates: {exc}", column=name
        ) from exc
    return np.asarray(days.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _numbers(column: Any, name: str) -> npt.NDArray[np.float64]:
    """A numeric column; empty or unreadable cells become nan."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not (pa.types.is_integer(column.type) or pa.types.is_floating(column.type)):
        text = _text(column)
        out = np.full(len(text), np.nan)
        for i, value in enumerate(text.tolist()):
            if value is None:
                continue
            try:
                out[i] = float(value)
            except ValueError as exc:
                raise SalesFileInvalid(
                    f"Column {name!r}, row {i + 1}: {value!r} is not a number.", column=name
                ) from exc
        return out
    return np.asarray(
        pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64
    )


def _resolve(present: list[str], mapping: Mapping[str, str]) -> dict[str, str]:
    unknown = set(mapping) - set(ROLES)
    if unknown:
        raise SalesFileInvalid(
            f"Unknown column role(s) {sorted(unknown)}; roles are {', '.join(ROLES)}."
        )
    lower = {name.lower(): name for name in present}
    found: dict[str, str] = {}
    for role in ROLES:
        if role in mapping:
            if mapping[role] not in present:
                raise SalesFileInvalid(
                    f"Column {mapping[role]!r} (for {role}) is not in the file; it has "
                    f"{', '.join(present)}.",
                    column=mapping[role],
                )
            found[role] = mapping[role]
            continue
        for alias in ALIASES[role]:
            if alias in lower:
                found[role] = lower[alias]
                break
    missing = [r for r in REQUIRED if r not in found]
    if missing:
        raise SalesFileInvalid(
            f"No column for {', '.join(missing)}; the file has {', '.join(present)} "
            "(map one with --column role=name).",
            missing=missing,
        )
    return found


def _codes(values: npt.NDArray[Any]) -> tuple[list[str], npt.NDArray[np.int64]]:
    uniques, index = np.unique(values.astype(str), return_inverse=True)
    return [str(u) for u in uniques.tolist()], index.astype(np.int64)


def read_sales(
    path: Path, *, frequency: Frequency, columns: Mapping[str, str] | None = None
) -> SalesFile:
    """Read a sales file: each row one sale line (date, SKU, quantity, order, customer).

    Rows without a date or SKU, and rows with quantity ≤ 0 (returns and cancellations) are
    dropped and counted. Quantity defaults to 1 when the file has no such column.
    """
    table = _read_table(path)
    roles = _resolve(list(table.column_names), columns or {})
    n = table.num_rows
    days = _days(table.column(roles["date"]), roles["date"])
    skus = _text(table.column(roles["sku"]))
    qty = (
        _numbers(table.column(roles["quantity"]), roles["quantity"])
        if "quantity" in roles
        else np.ones(n)
    )
    missing = (days < 0) | np.array([s is None for s in skus.tolist()], dtype=bool)
    non_positive = ~missing & ~(qty > 0)
    keep = ~missing & ~non_positive
    if not keep.any():
        raise SalesFileInvalid(f"{path.name} has no sale line with a date, a SKU and quantity > 0.")
    keys, key_index = _codes(skus[keep])
    order_index = customer_index = None
    if "order_id" in roles:
        orders = _text(table.column(roles["order_id"]))[keep]
        _, order_index = _codes(np.where(orders == None, "", orders))  # noqa: E711 - elementwise
    if "customer_id" in roles:
        customers = _text(table.column(roles["customer_id"]))[keep]
        guest = np.array([c is None for c in customers.tolist()], dtype=bool)
        _, codes = _codes(np.where(guest, "", customers))
        customer_index = np.where(guest, -1, codes)
    try:
        history = build_history(
            keys=keys,
            key_index=key_index,
            days=days[keep],
            quantity=qty[keep],
            order_index=order_index,
            customer_index=customer_index,
            frequency=frequency,
        )
    except ValueError as exc:
        raise SalesFileInvalid(f"{path.name}: {exc}.") from exc
    return SalesFile(
        history=history,
        rows=n,
        kept=int(keep.sum()),
        dropped_missing=int(missing.sum()),
        dropped_non_positive=int(non_positive.sum()),
        columns=roles,
    )
