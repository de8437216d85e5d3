"""Fast bulk writes for the demo generator: the one place that knows each backend's fast path.

Core `insert()` executemany costs about 0.2 ms a row on PostgreSQL (psycopg sends one
statement per row) and `RETURNING` in parameter order several times that; a demo store has
~300,000 rows. So ids are reserved up front (the table's sequence on PostgreSQL; on SQLite the
writer already holds the write lock, so the next ids are max(id)+1…), and rows go in with
`COPY … FROM STDIN` on PostgreSQL and the driver's `executemany` on SQLite. Values are adapted
exactly as the column types would adapt them (aware UTC datetimes; JSON documents), and
Python-side column defaults are applied for omitted columns, as Core would.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

from psycopg.types.json import Jsonb
from sqlalchemy import JSON, Column, Connection, Table, text

from floorwalker.kit.db import UTCDateTime
from floorwalker.kit.fields import ENCRYPTED_TYPES, EncryptedText

Adapter = Callable[[Any], Any]


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    # SQLAlchemy's SQLite DATETIME storage format, as naive UTC (see kit.db.UTCDateTime).
    if value is None:
        return None
    if value.tzinfo is dt.UTC:  # the usual case: drop the "+00:00" of the ISO form
        return value.isoformat(" ", "microseconds")[:26]
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _sqlite_json() -> Adapter:
    """A JSON encoder that encodes each object once: plans share many small documents."""
    seen: dict[int, tuple[Any, str]] = {}

    def encode(value: Any) -> str | None:
        if value is None:
            return None
        hit = seen.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        text = json.dumps(value)
        seen[id(value)] = (value, text)  # holding the value keeps its id from being reused
        return text

    return encode


def _pg_json(value: Any) -> Jsonb | None:
    return None if value is None else Jsonb(value)


def _pg_datetime(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError("naive datetimes are not stored; use an aware UTC datetime")
    return value


def _adapter(column: Column[Any], dialect: str) -> Adapter | None:
    type_ = column.type
    if isinstance(type_, ENCRYPTED_TYPES):  # personal data is stored encrypted (kit.fields)
        return lambda value: type_.process_bind_param(value, None)
    if isinstance(column.type, UTCDateTime):
        return _sqlite_datetime if dialect == "sqlite" else _pg_datetime
    if isinstance(column.type, JSON):
        return _sqlite_json() if dialect == "sqlite" else _pg_json
    return None


def _default(column: Column[Any]) -> Any:
    default = column.default
    if default is None:
        return None
    arg = getattr(default, "arg", None)
    if callable(arg):
        return arg(None)  # SQLAlchemy wraps plain callables to take an (unused) context
    return arg


def reserve_ids(conn: Connection, table: Table, count: int) -> list[int]:
    """`count` fresh ids for `table` that no other writer will use."""
    if count == 0:
        return []
    if conn.dialect.name == "postgresql":
        result = conn.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
            ),
            {"table": table.name, "n": count},
        )
        reserved: list[Any] = list(result.scalars())
        return sorted(int(value) for value in reserved)
    # SQLite: the generator's transaction began IMMEDIATE, so nobody else inserts meanwhile.
    start = int(conn.execute(text(f'SELECT coalesce(max(id), 0) FROM "{table.name}"')).scalar_one())
    return list(range(start + 1, start + 1 + count))


def _with_blind_indexes(
    table: Table, names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> tuple[Sequence[str], Sequence[Sequence[Any]]]:
    """Add the blind index of each encrypted column that has one (an e-mail's lookup key)."""
    extra = [
        (names.index(c.name), c.type)
        for c in table.columns
        if isinstance(c.type, EncryptedText)
        and c.type.blind_index
        and c.name in names
        and c.type.blind_index not in names
    ]
    if not extra:
        return names, rows
    new_names = [*names, *(str(t.blind_index) for _, t in extra)]
    return new_names, [(*row, *(t.digest(row[i]) for i, t in extra)) for row in rows]


def insert_rows(
    conn: Connection, table: Table, names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert rows given as value tuples in the order of `names` (other columns: defaults)."""
    if not rows:
        return
    names, rows = _with_blind_indexes(table, names, rows)
    dialect = conn.dialect.name
    missing = [c for c in table.columns if c.name not in names and c.name != "id"]
    columns = [table.c[name] for name in names] + missing
    defaults = tuple(_default(c) for c in missing)
    adapted = [(i, a) for i, c in enumerate(columns) if (a := _adapter(c, dialect)) is not None]

    def values(row: Sequence[Any]) -> list[Any]:
        out = [*row, *defaults]
        for i, adapt in adapted:
            out[i] = adapt(out[i])
        return out

    preparer = conn.dialect.identifier_preparer
    target = f"{preparer.quote(table.name)} ({', '.join(preparer.quote(c.name) for c in columns)})"
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        if dialect == "postgresql":
            with cursor.copy(f"COPY {target} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
        else:
            marks = ", ".join("?" for _ in columns)
            cursor.executemany(f"INSERT INTO {target} VALUES ({marks})", [values(r) for r in rows])
    finally:
        cursor.close()
