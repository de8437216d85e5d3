"""Batch upserts: per-record results, record validation, key matching and bulk statements.

The importers, the platform connectors and the batch endpoints all load data through the
`upsert_*` functions of the core contexts. Each returns an `UpsertSummary`: one result per
record (created, updated, unchanged or failed with a stable code), so one bad record never
stops the good ones and a second identical call reports everything unchanged.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError
from sqlalchemy import JSON, DateTime, Table, bindparam
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.types import TypeDecorator

from floorwalker.errors import AppError, Invalid

#: Records per statement and per API request.
BATCH_SIZE = 1000
#: The largest id a row can have (BIGINT), and the largest amount or count a column holds
#: (PostgreSQL INTEGER): larger numbers are refused as input instead of failing in the driver.
MAX_ID = 2**63 - 1
MAX_INT = 2**31 - 1

#: A row id in a record.
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
#: A non-negative amount (minor units) or count that fits the database's INTEGER.
Amount = Annotated[int, Field(ge=0, le=MAX_INT)]

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


class UpsertStatus(StrEnum):
    """What an upsert did to one record."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


class FieldProblem(BaseModel):
    """One field problem of a record: where, what, and a stable code in `type`."""

    loc: list[str]
    msg: str
    type: str


class RecordResult(BaseModel):
    """The outcome of one record of a batch, by its position in the batch."""

    index: int
    status: UpsertStatus
    id: int | None = None
    error: str | None = Field(default=None, description="Stable error code when failed.")
    detail: str | None = None
    errors: list[FieldProblem] | None = Field(
        default=None, description="Field problems, when the record failed validation."
    )


class UpsertSummary(BaseModel):
    """Counts and per-record results of a batch upsert."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    results: list[RecordResult] = Field(default_factory=list)
    _errors: dict[int, AppError] = PrivateAttr(default_factory=dict)

    def add(self, result: RecordResult) -> RecordResult:
        """Count and keep one record's result."""
        self.results.append(result)
        setattr(self, result.status.value, getattr(self, result.status.value) + 1)
        return result

    def done(self, index: int, status: UpsertStatus, record_id: int) -> RecordResult:
        """Record a successful outcome."""
        return self.add(RecordResult(index=index, status=status, id=record_id))

    def fail(self, index: int, error: AppError) -> RecordResult:
        """Record a failed record with the error's code and detail."""
        problems = error.data.get("errors") if isinstance(error, RecordInvalid) else None
        self._errors[index] = error
        return self.add(
            RecordResult(
                index=index,
                status=UpsertStatus.FAILED,
                error=error.code,
                detail=error.detail,
                errors=[FieldProblem.model_validate(p) for p in problems] if problems else None,
            )
        )

    def error_of(self, index: int) -> AppError | None:
        """The error that failed record `index` (None if it did not fail)."""
        return self._errors.get(index)

    def one(self) -> RecordResult:
        """The result of a one-record call; raises that record's error if it failed."""
        (result,) = self.results
        error = self._errors.get(result.index)
        if error is not None:
            raise error
        return result

    def sort(self) -> UpsertSummary:
        """Order the results by record index."""
        self.results.sort(key=lambda r: r.index)
        return self

    def ids_with(self, status: UpsertStatus) -> list[int]:
        """Ids of the records that ended with `status`."""
        return [r.id for r in self.results if r.status is status and r.id is not None]

    def audit_entry(
        self, changes: Mapping[int, list[str]] | None = None
    ) -> tuple[str, dict[str, Any]] | None:
        """Subject id and data of the one audit entry a call records (None if nothing changed).

        The subject is the record's id when one record changed, else `batch:<n>`; the data
        lists the created and updated ids and, per updated id, the fields that changed.
        """
        created = self.ids_with(UpsertStatus.CREATED)
        updated = self.ids_with(UpsertStatus.UPDATED)
        changed = created + updated
        if not changed:
            return None
        data: dict[str, Any] = {"created": created, "updated": updated}
        if changes:
            data["changes"] = {str(k): v for k, v in changes.items() if v}
        subject = str(changed[0]) if len(changed) == 1 else f"batch:{len(changed)}"
        return subject, data


class RecordInvalid(Invalid):
    """A record breaks the schema; `errors` lists each field problem with a stable code."""

    code = "validation_error"

    def __init__(self, problems: Sequence[Mapping[str, Any]], detail: str | None = None) -> None:
        super().__init__(detail or "The record is not valid.", errors=[dict(p) for p in problems])

    @classmethod
    def field(cls, loc: str | Sequence[str], type_: str, msg: str) -> RecordInvalid:
        """One problem with one field."""
        path = [loc] if isinstance(loc, str) else [str(p) for p in loc]
        return cls([{"loc": path, "msg": msg, "type": type_}])


class DuplicateInBatch(Invalid):
    """Two records of one batch name the same record; the later one is refused."""

    code = "duplicate_in_batch"

    def __init__(self, key: str, first_index: int) -> None:
        super().__init__(
            f"An earlier record of this batch (index {first_index}) has the same {key}.",
            first_index=first_index,
        )


class BatchTooLarge(Invalid):
    """A request carries more records than one batch may hold."""

    code = "batch_too_large"

    def __init__(self, size: int, limit: int = BATCH_SIZE) -> None:
        super().__init__(
            f"A batch holds at most {limit} records; this one has {size}.", limit=limit, size=size
        )


class BatchRequest(BaseModel):
    """A batch of up to 1,000 records; each is validated on its own."""

    model_config = ConfigDict(extra="forbid")

    records: list[Any] = Field(description="Up to 1,000 records, each validated on its own.")

    def checked(self, limit: int = BATCH_SIZE) -> list[Any]:
        """The records; raises BatchTooLarge past `limit`."""
        if len(self.records) > limit:
            raise BatchTooLarge(len(self.records), limit)
        return self.records


def problems_of(exc: ValidationError) -> list[dict[str, Any]]:
    """Field problems of a pydantic error, in the shape the API renders."""
    return [
        {
            "loc": [str(part) for part in err.get("loc", ())],
            "msg": str(err.get("msg", "")),
            "type": str(err.get("type", "")),
        }
        for err in exc.errors()
    ]


def parse_record(schema: type[M], record: M | Mapping[str, Any]) -> M:
    """A validated record; raises RecordInvalid with the field problems."""
    if isinstance(record, schema):
        return record
    try:
        return schema.model_validate(record)
    except ValidationError as exc:
        raise RecordInvalid(problems_of(exc)) from exc


def chunks(items: Sequence[T], size: int = BATCH_SIZE) -> Iterator[tuple[int, Sequence[T]]]:
    """Consecutive slices of at most `size` items, with the offset of each."""
    for start in range(0, len(items), size):
        yield start, items[start : start + size]


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


class BatchKeys:
    """Refuses a second record of a batch that claims a key an earlier record claimed."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, Hashable], int] = {}

    def claim(self, index: int, keys: Mapping[str, Hashable | None]) -> None:
        """Claim every non-None key for record `index`; raises DuplicateInBatch."""
        for name, value in keys.items():
            if value is None:
                continue
            first = self._seen.get((name, value))
            if first is not None and first != index:
                raise DuplicateInBatch(name, first)
        for name, value in keys.items():
            if value is not None:
                self._seen[(name, value)] = index


@dataclass(frozen=True, slots=True)
class Keys:
    """How a record names the row it means, in order of precedence.

    `natural_given` is False when the natural key was derived (a handle from a title); a derived
    key identifies records that carry no other key, but never re-links a keyed record.
    """

    id: int | None
    external: tuple[str, str] | None
    natural: Hashable | None
    natural_given: bool = True


Row = dict[str, Any]


class Matcher:
    """Finds the existing row a record means: by id, then `(source, external_id)`, then natural key.

    Rows are plain dicts with `id`, `source`, `external_id` and the natural key's columns.
    A record keyed by `(source, external_id)` that is unknown but whose natural key is taken
    adopts that row when the row has no external id of the same source (the row is re-linked
    to the new source); two different external records of one source never share a row.
    """

    def __init__(
        self,
        rows: Iterable[Row],
        *,
        natural_of: Callable[[Row], Hashable | None],
        not_found: Callable[[int], AppError],
        natural_taken: Callable[[Hashable], AppError],
        external_taken: Callable[[str, str], AppError],
    ) -> None:
        self.by_id: dict[int, Row] = {}
        self.by_external: dict[tuple[str, str], Row] = {}
        self.by_natural: dict[Hashable, Row] = {}
        self._natural_of = natural_of
        self._not_found = not_found
        self._natural_taken = natural_taken
        self._external_taken = external_taken
        for row in rows:
            self.remember(row)

    def remember(self, row: Row) -> None:
        """Index a row (loaded, or created earlier in the batch)."""
        self.by_id[row["id"]] = row
        if row.get("external_id") is not None:
            self.by_external[(row["source"], row["external_id"])] = row
        natural = self._natural_of(row)
        if natural is not None:
            self.by_natural.setdefault(natural, row)

    def forget(self, row: Row) -> None:
        """Drop a row's current keys from the index (before they change)."""
        if row.get("external_id") is not None:
            self.by_external.pop((row["source"], row["external_id"]), None)
        natural = self._natural_of(row)
        if natural is not None and self.by_natural.get(natural) is row:
            del self.by_natural[natural]

    def match(self, keys: Keys) -> Row | None:
        """The row the keys mean, or None for a new record; raises when they contradict."""
        if keys.id is not None:
            row = self.by_id.get(keys.id)
            if row is None:
                raise self._not_found(keys.id)
            return row
        if keys.external is not None:
            row = self.by_external.get(keys.external)
            if row is not None:
                return row
            if keys.natural is None or not keys.natural_given:
                return None
            row = self.by_natural.get(keys.natural)
            linked = row is not None and row.get("external_id") is not None
            if linked and row is not None and row["source"] == keys.external[0]:
                raise self._natural_taken(keys.natural)
            return row
        if keys.natural is not None:
            return self.by_natural.get(keys.natural)
        return None

    def ensure_free(
        self,
        row_id: int | None,
        *,
        natural: Hashable | None = None,
        external: tuple[str, str] | None = None,
    ) -> None:
        """Raise if another row already holds the natural or external key a record claims."""
        if natural is not None:
            holder = self.by_natural.get(natural)
            if holder is not None and holder["id"] != row_id:
                raise self._natural_taken(natural)
        if external is not None:
            holder = self.by_external.get(external)
            if holder is not None and holder["id"] != row_id:
                raise self._external_taken(*external)


def changed_fields(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> dict[str, Any]:
    """The entries of `wanted` whose value differs from `current`."""
    return {k: v for k, v in wanted.items() if current.get(k) != v}


async def bulk_insert(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert rows with one executemany per key set (no per-row round trips)."""
    connection = await session.connection()
    for group in _by_key_set(rows):
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
    for group in _by_key_set(rows):
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
    return returned


async def bulk_update(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Update rows by primary key `id`: one executemany per set of changed columns."""
    for group in _by_key_set(rows):
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
