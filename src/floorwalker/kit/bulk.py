"""Bulk statements for batch upserts: no per-row round trips, and a collector that waits.

`bulk_insert` and `bulk_update` send one executemany per set of columns; on SQLite the rows go
to the driver as plain tuples (see the note on the fast path). `gc_paused` keeps the cyclic
garbage collector from re-scanning a large heap while a chunk allocates.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import JSON, DateTime, Table, bindparam, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.types import TypeDecorator

from floorwalker.kit.fields import (
    ENCRYPTED_TYPES,
    EncryptedJSON,
    EncryptedText,
    with_blind_indexes,
)


class _Collector:
    """Who paused the cyclic garbage collector, so nested and concurrent pauses compose."""

    depth = 0
    resume = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one chunk of allocation-heavy work.

    Validating and planning a chunk allocates tens of thousands of short-lived objects, and
    with a large heap alive (a connector's page, an importer's buffers) the collector's
    repeated passes cost more than the work (measured: 30-60 % of the CPU time of a chunk).
    Reference counting still frees everything at once; only cycles wait for the chunk's end.
    """
    if _Collector.depth == 0:
        _Collector.resume = gc.isenabled()
        gc.disable()
    _Collector.depth += 1
    try:
        yield
    finally:
        _Collector.depth -= 1
        if _Collector.depth == 0 and _Collector.resume:
            gc.enable()


async def bulk_insert(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert rows with one executemany per key set (no per-row round trips)."""
    connection = await session.connection()
    for group in _by_key_set(with_blind_indexes(table, rows)):
        if connection.dialect.name == "sqlite":
            names, values = _sqlite_params(table, group)
            marks = ", ".join("?" for _ in names)
            await connection.exec_driver_sql(
                f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})", values
            )
        else:
            await session.execute(table.insert(), group)


async def bulk_insert_returning(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]], *columns: str
) -> list[tuple[Any, ...]]:
    """Insert rows and return `columns` of each inserted row (in no particular order).

    Callers map the returned rows back by a unique key they inserted (a handle, a slug).
    """
    returned: list[tuple[Any, ...]] = []
    connection = await session.connection()
    for group in _by_key_set(with_blind_indexes(table, rows)):
        if connection.dialect.name == "sqlite":
            returned.extend(await _sqlite_insert_returning(connection, table, group, columns))
            continue
        cols = [table.c[name] for name in columns]
        result = await session.execute(table.insert().returning(*cols), group)
        returned.extend(tuple(r) for r in result.all())
    return returned


# SQLite fast path. SQLAlchemy's executemany processes every parameter of every row in Python
# (about 30 µs a row for a variant); converting each column once and handing plain tuples to
# the driver makes the catalog load about a third faster. The conversions write exactly what
# the column types would: naive-UTC DATETIME text and JSON text.
_SQLITE_MAX_PARAMS = 32_000


def _sqlite_params(
    table: Table, rows: Sequence[Mapping[str, Any]]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    names = list(rows[0])
    defaults: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        if column.name in names or default is None or column.primary_key:
            continue
        arg: Any = getattr(default, "arg", None)
        # SQLAlchemy wraps a callable default to take the execution context; none is needed.
        defaults[column.name] = arg(None) if getattr(default, "is_callable", False) else arg
    converters = [_sqlite_converter(table.c[name].type) for name in names]
    extra = [_sqlite_converter(table.c[name].type)(value) for name, value in defaults.items()]
    values = [
        (*(convert(row[name]) for convert, name in zip(converters, names, strict=True)), *extra)
        for row in rows
    ]
    return names + list(defaults), values


def _sqlite_converter(type_: Any) -> Callable[[Any], Any]:
    if isinstance(type_, JSON):
        return _json_text
    if isinstance(type_, TypeDecorator) and isinstance(type_.impl, DateTime):
        return _sqlite_datetime
    if isinstance(type_, ENCRYPTED_TYPES):
        return lambda value: type_.process_bind_param(value, None)
    return _same


def _same(value: Any) -> Any:
    return value


def _json_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetimes are not stored; use an aware UTC datetime")
    return f"{value.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S.%f}"


async def _sqlite_insert_returning(
    connection: AsyncConnection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
) -> list[tuple[Any, ...]]:
    names, values = _sqlite_params(table, rows)
    per_row = "(" + ", ".join("?" for _ in names) + ")"
    step = max(1, _SQLITE_MAX_PARAMS // len(names))
    returned: list[tuple[Any, ...]] = []
    for start in range(0, len(values), step):
        chunk = values[start : start + step]
        sql = (
            f"INSERT INTO {table.name} ({', '.join(names)}) VALUES "
            f"{', '.join(per_row for _ in chunk)} RETURNING {', '.join(columns)}"
        )
        flat = tuple(value for row in chunk for value in row)
        result = await connection.exec_driver_sql(sql, flat)
        returned.extend(tuple(r) for r in result.all())
    # Raw driver rows: encrypted columns come back as stored, so decrypt them as a select would.
    readers: dict[int, EncryptedText | EncryptedJSON] = {
        i: type_
        for i, name in enumerate(columns)
        if isinstance(type_ := table.c[name].type, ENCRYPTED_TYPES)
    }
    if readers:
        returned = [
            tuple(
                readers[i].process_result_value(v, None) if i in readers else v
                for i, v in enumerate(row)
            )
            for row in returned
        ]
    return returned


async def bulk_update(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Update rows by primary key `id`: one executemany per set of changed columns."""
    for group in _by_key_set(with_blind_indexes(table, rows)):
        names = [k for k in group[0] if k != "id"]
        statement = (
            table.update()
            .where(table.c.id == bindparam("_pk", type_=table.c.id.type))
            .values({name: bindparam(f"_v_{name}", type_=table.c[name].type) for name in names})
        )
        params = [{"_pk": row["id"], **{f"_v_{n}": row[n] for n in names}} for row in group]
        await session.execute(statement, params)


def _by_key_set(rows: Sequence[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    groups: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return list(groups.values())


async def retry_once_on_conflict(
    session: AsyncSession, work: Callable[[], Awaitable[None]], undo: Callable[[], None]
) -> None:
    """Run `work` in a savepoint; if a concurrent writer took one of its unique keys first,
    roll the savepoint back, `undo` the in-memory effects and run it once more.

    On PostgreSQL two transactions may insert the same new record at once (a webhook during a
    full sync); the second waits for the first to commit and then fails on the unique index.
    Run again, the work finds the committed row and updates it instead. SQLite serialises
    writers, so there the first attempt always succeeds.
    """
    try:
        async with session.begin_nested():
            await work()
        return
    except IntegrityError:
        undo()
    async with session.begin_nested():
        await work()


#: Re-analyse a table once this share of its rows changed since the last analysis.
_STALE_SHARE = 0.5
_STALE_MINIMUM = 1000


async def keep_statistics_fresh(session: AsyncSession, tables: Sequence[str]) -> None:
    """On PostgreSQL, ANALYZE the tables whose planner statistics are missing or stale.

    A bulk load can grow a table from nothing to hundreds of thousands of rows within
    minutes. Without statistics the planner takes `store_id = … AND source = …` for a
    selective prefix and filters a 1,000-item `IN` list over every row of the store (a
    lookup went from milliseconds to 50 s on 400,000 variants). Autovacuum fixes this within
    a minute when it is on; this keeps imports fast when it is off or behind. Cheap when the
    statistics are fresh: one catalog query.
    """
    connection = await session.connection()
    if connection.dialect.name != "postgresql" or not tables:
        return
    rows = await connection.execute(
        text(
            "SELECT c.relname, c.reltuples, s.n_mod_since_analyze "
            "FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid "
            "WHERE s.schemaname = current_schema() AND c.relname = ANY(:names)"
        ),
        {"names": list(tables)},
    )
    stats = cast(list[tuple[str, float, int | None]], rows.all())
    for name, tuples, modified in stats:
        if (modified or 0) > _STALE_MINIMUM + _STALE_SHARE * max(tuples, 0.0):
            # Table names come from our own metadata, never from input.
            await connection.exec_driver_sql(f"ANALYZE {name}")
