"""Batch upserts: per-record results, record validation, key matching and bulk statements.

The importers, the platform connectors and the batch endpoints all load data through the
`upsert_*` functions of the core contexts. Each returns an `UpsertSummary`: one result per
record (created, updated, unchanged or failed with a stable code), so one bad record never
stops the good ones and a second identical call reports everything unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from floorwalker.errors import AppError, Invalid
from floorwalker.kit.bulk import bulk_insert as bulk_insert
from floorwalker.kit.bulk import bulk_insert_returning as bulk_insert_returning
from floorwalker.kit.bulk import bulk_update as bulk_update
from floorwalker.kit.bulk import gc_paused as gc_paused
from floorwalker.kit.ids import MAX_ID as MAX_ID
from floorwalker.kit.ids import MAX_INT as MAX_INT
from floorwalker.kit.ids import Amount as Amount
from floorwalker.kit.ids import RecordId as RecordId

#: Records per statement and per API request.
BATCH_SIZE = 1000

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

    def checkpoint(self) -> int:
        """A mark to `restore` to (the number of results so far)."""
        return len(self.results)

    def restore(self, mark: int) -> None:
        """Forget the results recorded after `mark` (their work was rolled back)."""
        for result in self.results[mark:]:
            setattr(self, result.status.value, getattr(self, result.status.value) - 1)
            self._errors.pop(result.index, None)
        del self.results[mark:]

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


class BatchKeys:
    """Refuses a second record of a batch that claims a key an earlier record claimed."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, Hashable], int] = {}

    def checkpoint(self) -> dict[tuple[str, Hashable], int]:
        """A copy of the claims so far, to `restore` to."""
        return dict(self._seen)

    def restore(self, claims: dict[tuple[str, Hashable], int]) -> None:
        """Go back to the claims of a checkpoint."""
        self._seen = dict(claims)

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


@dataclass(frozen=True)
class Checkpoint:
    """The state of a batch before one chunk, to go back to if the chunk is rolled back."""

    summary: UpsertSummary
    batch: BatchKeys
    changes: dict[int, list[str]]
    mark: int
    claims: dict[tuple[str, Hashable], int]
    known: frozenset[int]

    @classmethod
    def take(
        cls, summary: UpsertSummary, batch: BatchKeys, changes: dict[int, list[str]]
    ) -> Checkpoint:
        """Remember where the summary, the batch's claims and the change log stand."""
        return cls(
            summary, batch, changes, summary.checkpoint(), batch.checkpoint(), frozenset(changes)
        )

    def restore(self) -> None:
        """Forget everything recorded since the checkpoint was taken."""
        self.summary.restore(self.mark)
        self.batch.restore(self.claims)
        for record_id in set(self.changes) - self.known:
            del self.changes[record_id]


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
