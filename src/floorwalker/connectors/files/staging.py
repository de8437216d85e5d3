"""Staging an import file: read, convert and validate it batch by batch, without the database.

`staged_batches` is what the importer runs ahead of its loading, in a worker thread or (large
files) a helper process; this module therefore imports only what that needs.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from floorwalker.connectors.files import convert, convert_orders
from floorwalker.connectors.files.readers import read_rows
from floorwalker.events import validation
from floorwalker.kit.actor import Actor


def _items(
    resource: str, fmt: str, rows: Iterator[Any], source: str, currency: str
) -> Iterator[convert.Item]:
    if resource == "events":
        return (
            convert.events(rows)
            if fmt != "jsonl"
            else convert.as_records(rows, source, with_source=False)
        )
    if fmt == "jsonl":
        return convert.as_records(rows, source)
    if resource == "products":
        return convert.products(rows, source, currency)
    if resource == "inventory":
        return convert.levels(rows, source)
    if resource == "customers":
        return convert.customers(rows, source)
    return convert_orders.orders(rows, source, currency)


@dataclass
class Plan:
    """What to read and how: everything the staging of a file needs, and picklable."""

    resource: str
    fmt: str
    path: Path
    source: str
    currency: str
    actor: Actor
    batch_size: int


@dataclass
class Staged:
    """One batch of a file: read, converted and (events) validated, ready to load.

    CPU work only, no database: built in a worker thread or another process, one step ahead
    of the loading, and picklable.
    """

    #: Records made or refused from the batch's rows.
    count: int
    #: Items that could not become records (their problems say why).
    failed: list[convert.Item]
    #: Items with records, to upsert (empty for events: `prepared` holds them).
    items: list[convert.Item]
    #: Events: the line of each record `prepared` indexes, for its rejections.
    lines: list[int]
    prepared: validation.Prepared | None
    #: Bytes of the file read since the previous batch (progress).
    read: int


def stage(plan: Plan, batch: list[convert.Item], read: int) -> Staged:
    """Split a batch into failed and good items; validate events."""
    failed = [item for item in batch if item.record is None]
    good = [item for item in batch if item.record is not None]
    if plan.resource != "events":
        return Staged(len(batch), failed, good, [], None, read)
    prepared = validation.prepare(plan.actor, [item.record for item in good])
    return Staged(len(batch), failed, [], [item.line for item in good], prepared, read)


def staged_batches(plan: Plan) -> Iterator[Staged]:
    """The file's batches, staged one after another (the importer runs this ahead of loading)."""
    read = 0

    def count(n: int) -> None:
        nonlocal read
        read += n

    rows = read_rows(plan.path, plan.fmt, count)
    items = _items(plan.resource, plan.fmt, rows, plan.source, plan.currency)
    while batch := list(itertools.islice(items, plan.batch_size)):
        done, read = read, 0
        yield stage(plan, batch, done)
