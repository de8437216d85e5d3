"""From file rows to the records the core services load (docs/import-formats.md).

JSON Lines rows are already records in the API's shape (money in minor units). Flat rows (CSV,
Parquet) use friendly columns: money in major units ("45.00"), comma-separated tags, and one
row per variant (products) or per line (orders), the rows of one product or order adjacent.
A row that cannot become a record yields a problem with its line and field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from floorwalker.connectors.files.readers import Row
from floorwalker.kit.money import MoneyError, to_minor

TRUE = {"1", "true", "yes", "y", "t"}
FALSE = {"0", "false", "no", "n", "f"}


@dataclass
class Problem:
    """Why a row (or a field of it) was refused."""

    line: int
    field: str | None
    reason: str


@dataclass
class Item:
    """One record built from one or more rows (or the problems that prevented it)."""

    line: int
    record: dict[str, Any] | None
    problems: list[Problem] = field(default_factory=list)
    #: For multi-row records: the line of each nested entry, e.g. ("variants", 2) → 14.
    lines: dict[tuple[str, int], int] = field(default_factory=dict)


class FieldError(ValueError):
    """A cell that cannot be read; carries the column."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column


def money(values: dict[str, Any], column: str, currency: str) -> int | None:
    """Minor units of a major-unit amount cell (None when absent)."""
    if column not in values:
        return None
    try:
        return to_minor(str(values[column]).strip(), currency)
    except MoneyError as exc:
        raise FieldError(column, "not an amount, e.g. 19.99") from exc


def integer(values: dict[str, Any], column: str) -> int | None:
    """An integer cell (None when absent)."""
    if column not in values:
        return None
    try:
        return int(str(values[column]).strip())
    except ValueError as exc:
        raise FieldError(column, "not a whole number") from exc


def boolean(values: dict[str, Any], column: str) -> bool | None:
    """A yes/no cell (None when absent)."""
    if column not in values:
        return None
    raw = values[column]
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise FieldError(column, "use true or false")


def listing(values: dict[str, Any], column: str, separator: str = ",") -> list[str] | None:
    """A list cell: comma-separated text (or a real list from Parquet)."""
    if column not in values:
        return None
    raw = values[column]
    if isinstance(raw, list):
        return [str(v).strip() for v in raw if str(v).strip()]
    return [p.strip() for p in str(raw).split(separator) if p.strip()]


def json_object(values: dict[str, Any], column: str) -> dict[str, Any] | None:
    """A JSON object cell (None when absent)."""
    if column not in values:
        return None
    raw = values[column]
    if isinstance(raw, dict):
        return raw
    try:
        loaded = json.loads(str(raw))
    except ValueError as exc:
        raise FieldError(column, "not valid JSON") from exc
    if not isinstance(loaded, dict):
        raise FieldError(column, "must be a JSON object")
    return loaded


def text(values: dict[str, Any], column: str) -> str | None:
    """A text cell, stripped (None when absent)."""
    return str(values[column]).strip() if column in values else None


def prefixed(values: dict[str, Any], prefix: str) -> dict[str, str]:
    """Cells of columns `<prefix><name>`, by name (e.g. option.Size → {"Size": "M"})."""
    return {k[len(prefix) :]: str(v).strip() for k, v in values.items() if k.startswith(prefix)}


def drop_none(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v is not None}


# ---------------------------------------------------------------- records as they are (JSONL)


def as_records(rows: Iterator[Row], source: str, *, with_source: bool = True) -> Iterator[Item]:
    """Rows that already are records (JSON Lines); the import's source fills a missing one."""
    for row in rows:
        if row.problem is not None:
            yield Item(row.line, None, [Problem(row.line, None, row.problem)])
            continue
        record = dict(row.values)
        if with_source:
            record.setdefault("source", source)
        yield Item(row.line, record)


# ---------------------------------------------------------------- products (flat)

_PRODUCT_KEYS = ("external_id", "handle", "title")


def _product_key(values: dict[str, Any]) -> str | None:
    for key in _PRODUCT_KEYS:
        if key in values:
            return f"{key}:{values[key]}"
    return None


def _variant(values: dict[str, Any], currency: str) -> dict[str, Any]:
    variant_currency = str(values.get("currency") or currency).upper()
    return drop_none(
        {
            "external_id": text(values, "variant_external_id"),
            "sku": text(values, "sku"),
            "barcode": text(values, "barcode"),
            "title": text(values, "variant_title"),
            "options": prefixed(values, "option."),
            "price": money(values, "price", variant_currency),
            "compare_at_price": money(values, "compare_at_price", variant_currency),
            "currency": text(values, "currency"),
            "weight_grams": integer(values, "weight_grams"),
            "image_url": text(values, "variant_image_url"),
            "status": text(values, "variant_status"),
        }
    )


def _product(values: dict[str, Any], source: str) -> dict[str, Any]:
    attributes = json_object(values, "attributes") or {}
    attributes.update(prefixed(values, "attribute."))
    images = listing(values, "image_url", "|")
    return drop_none(
        {
            "source": source,
            "external_id": text(values, "external_id"),
            "handle": text(values, "handle"),
            "title": text(values, "title"),
            "description": text(values, "description"),
            "brand": text(values, "brand"),
            "category_path": text(values, "category"),
            "product_type": text(values, "product_type"),
            "status": text(values, "status"),
            "tags": listing(values, "tags"),
            "attributes": attributes or None,
            "images": [{"url": u} for u in images] if images else None,
        }
    )


def grouped(
    rows: Iterator[Row],
    *,
    key_of: Callable[[dict[str, Any]], str | None],
    no_key: tuple[str, str],
    not_adjacent: str,
    parent: Callable[[dict[str, Any]], dict[str, Any]],
    child: Callable[[dict[str, Any]], dict[str, Any]],
    children: str,
) -> Iterator[Item]:
    """Records spread over adjacent rows (a product per variant row, an order per line row).

    Each row with a new key starts a record (`parent`, which holds an empty list under
    `children`); every row adds one `child` to it. A row without a key is refused with `no_key`
    (column, reason); a key met again after other keys is refused with `not_adjacent`.
    """
    current: Item | None = None
    current_key: str | None = None
    finished: set[str] = set()
    for row in rows:
        if row.problem is not None:
            yield Item(row.line, None, [Problem(row.line, None, row.problem)])
            continue
        key = key_of(row.values)
        if key is None:
            yield Item(row.line, None, [Problem(row.line, *no_key)])
            continue
        if key != current_key:
            if current is not None and current_key is not None:
                finished.add(current_key)
                yield current
            current, current_key = None, key
            if key in finished:
                current_key = None
                problem = Problem(row.line, key.split(":")[0], not_adjacent)
                yield Item(row.line, None, [problem])
                continue
            try:
                current = Item(row.line, parent(row.values))
            except FieldError as exc:
                current = Item(row.line, None, [Problem(row.line, exc.column, str(exc))])
        if current is None:
            continue
        try:
            added = child(row.values)
        except FieldError as exc:
            current.problems.append(Problem(row.line, exc.column, str(exc)))
            current.record = None
            continue
        if current.record is not None:
            current.lines[(children, len(current.record[children]))] = row.line
            current.record[children].append(added)
    if current is not None:
        yield current


def products(rows: Iterator[Row], source: str, currency: str) -> Iterator[Item]:
    """Products from one row per variant; a product's rows must be adjacent."""
    return grouped(
        rows,
        key_of=_product_key,
        no_key=("title", "a row needs external_id, handle or title"),
        not_adjacent="this product's rows are not adjacent; keep its variants together",
        parent=lambda values: {**_product(values, source), "variants": []},
        child=lambda values: _variant(values, currency),
        children="variants",
    )


# ---------------------------------------------------------------- inventory, customers (flat)


def levels(rows: Iterator[Row], source: str) -> Iterator[Item]:
    """Stock levels: sku or variant_external_id, location (code) or location_external_id."""
    for row in rows:
        if row.problem is not None:
            yield Item(row.line, None, [Problem(row.line, None, row.problem)])
            continue
        v = row.values
        try:
            record = drop_none(
                {
                    "source": text(v, "source") or source,
                    "sku": text(v, "sku"),
                    "variant_id": integer(v, "variant_id"),
                    "variant_external_id": text(v, "variant_external_id"),
                    "location_code": text(v, "location"),
                    "location_id": integer(v, "location_id"),
                    "location_external_id": text(v, "location_external_id"),
                    "on_hand": integer(v, "on_hand"),
                }
            )
        except FieldError as exc:
            yield Item(row.line, None, [Problem(row.line, exc.column, str(exc))])
            continue
        yield Item(row.line, record)


def customers(rows: Iterator[Row], source: str) -> Iterator[Item]:
    """Customers, each with at most one (default) address from the address_* columns."""
    for row in rows:
        if row.problem is not None:
            yield Item(row.line, None, [Problem(row.line, None, row.problem)])
            continue
        v = row.values
        try:
            record = drop_none(
                {
                    "source": source,
                    "external_id": text(v, "external_id"),
                    "email": text(v, "email"),
                    "first_name": text(v, "first_name"),
                    "last_name": text(v, "last_name"),
                    "phone": text(v, "phone"),
                    "language": text(v, "language"),
                    "accepts_marketing": boolean(v, "accepts_marketing"),
                    "tags": listing(v, "tags"),
                }
            )
        except FieldError as exc:
            yield Item(row.line, None, [Problem(row.line, exc.column, str(exc))])
            continue
        address = prefixed(v, "address_")
        if address:
            record["addresses"] = [
                drop_none(
                    {
                        "name": address.get("name"),
                        "line1": address.get("line1"),
                        "line2": address.get("line2"),
                        "city": address.get("city"),
                        "region": address.get("region"),
                        "postal_code": address.get("postal_code"),
                        "country": address.get("country"),
                        "phone": address.get("phone"),
                        "is_default": True,
                    }
                )
            ]
        yield Item(row.line, record)


# ---------------------------------------------------------------- events (flat)

_EVENT_INTS = ("customer_id", "product_id", "variant_id", "order_id", "quantity", "value")


def events(rows: Iterator[Row]) -> Iterator[Item]:
    """Events: the API's fields as columns; `properties` as a JSON object."""
    for row in rows:
        if row.problem is not None:
            yield Item(row.line, None, [Problem(row.line, None, row.problem)])
            continue
        record = row.values  # each row's own dict, used once
        if isinstance(record.get("properties"), str):
            try:
                record["properties"] = json_object(record, "properties")
            except FieldError as exc:
                yield Item(row.line, None, [Problem(row.line, exc.column, str(exc))])
                continue
        yield Item(row.line, record)
