"""Key rotation: re-encrypt everything stored encrypted under the first configured key.

Two kinds of column hold ciphertext, both keyed from FLOORWALKER_SECRET_KEY:

- personal data typed `EncryptedText` / `EncryptedJSON` (kit.fields: AES-GCM, some with a
  blind index, which is recomputed under the first key with the value);
- secrets sealed with an `Encryptor` (kit.crypto: Fernet), declared with
  `info=sealed(purpose)`: platform credentials and webhook secrets, outbound webhook signing
  secrets, stores' identity secrets, the assistant's vaults.

`encrypted_columns` finds both kinds in the metadata, so a new encrypted column is rotated as
soon as it is declared (tests/kit/test_rotation.py fails for a column holding ciphertext that
is neither). `rotate` first reads everything to check that every value opens with a configured
key, and changes nothing if one does not; then it rewrites, a batch of rows per transaction,
only the values not already under the first key. An interrupted run is finished by running it
again, and a run after a complete one rewrites nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import MetaData, Table, Text, bindparam, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.errors import AppError
from floorwalker.kit.crypto import SEALED, DecryptionFailed, Encryptor
from floorwalker.kit.fields import ENCRYPTED_TYPES, EncryptedText, FieldCipher

#: How many locations a failed check lists (the count covers them all).
MAX_LISTED = 50


@dataclass(frozen=True)
class EncryptedColumn:
    """A column holding ciphertext: `purpose` names the Encryptor of a sealed secret; None
    means personal data of kit.fields (with `blind_index`, the sibling holding its digest)."""

    table: Table
    name: str
    purpose: str | None
    blind_index: str | None = None

    @property
    def location(self) -> str:
        """`table.column`."""
        return f"{self.table.name}.{self.name}"


def encrypted_columns(metadata: MetaData) -> list[EncryptedColumn]:
    """Every column of every table that stores ciphertext, in table dependency order."""
    found: list[EncryptedColumn] = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            type_ = column.type
            if isinstance(type_, ENCRYPTED_TYPES):
                index = type_.blind_index if isinstance(type_, EncryptedText) else None
                found.append(EncryptedColumn(table, column.name, None, index))
            elif SEALED in column.info:
                found.append(EncryptedColumn(table, column.name, str(column.info[SEALED])))
    for spec in found:
        if "id" not in spec.table.c:
            raise TypeError(f"{spec.location} is encrypted but its table has no id to page by")
    return found


class Keys:
    """The configured keys (comma-separated, newest first) as each kind of column uses them."""

    def __init__(self, secret_keys: str) -> None:
        self._secret_keys = secret_keys
        self.fields = FieldCipher(secret_keys)
        self._sealed: dict[str, Encryptor] = {}

    def _encryptor(self, purpose: str) -> Encryptor:
        if purpose not in self._sealed:
            self._sealed[purpose] = Encryptor(self._secret_keys, purpose=purpose)
        return self._sealed[purpose]

    def is_current(self, column: EncryptedColumn, stored: str) -> bool:
        """Whether a stored value is already under the first key."""
        if column.purpose is None:
            return self.fields.is_current(stored)
        return self._encryptor(column.purpose).is_current(stored)

    def decrypt(self, column: EncryptedColumn, stored: str) -> str:
        """The plaintext (plaintext of kit.fields left from before encryption passes through);
        raises DecryptionFailed when no key opens it."""
        if column.purpose is None:
            return self.fields.decrypt(stored, context=self._context(column))
        return self._encryptor(column.purpose).decrypt(stored)

    def encrypt(self, column: EncryptedColumn, plaintext: str) -> str:
        """The stored form of `plaintext` under the first key."""
        if column.purpose is None:
            return self.fields.encrypt(plaintext, context=self._context(column))
        return self._encryptor(column.purpose).encrypt(plaintext)

    def digest(self, column: EncryptedColumn, plaintext: str) -> str:
        """The blind index of a value of an indexed column under the first key."""
        type_ = column.table.c[column.name].type
        assert isinstance(type_, EncryptedText)
        return type_.digest(plaintext, using=self.fields) or ""

    @staticmethod
    def _context(column: EncryptedColumn) -> str:
        type_ = column.table.c[column.name].type
        assert isinstance(type_, ENCRYPTED_TYPES)
        return type_.context


@dataclass(frozen=True)
class Undecryptable:
    """A stored value that no configured key opens: where it is (never what it is)."""

    location: str
    row_id: int

    def __str__(self) -> str:
        return f"{self.location} of row {self.row_id}"


class KeysMissing(AppError):
    """Stored values do not decrypt with any configured key; nothing more was rewritten."""

    code = "keys_missing"
    status = 500

    def __init__(self, failures: Sequence[Undecryptable], total: int) -> None:
        self.failures = list(failures)
        self.total = total
        super().__init__(
            f"{total} stored value(s) do not decrypt with any key in FLOORWALKER_SECRET_KEY; "
            "add the key they were encrypted with (after the new one) and run again."
        )


@dataclass
class Batch:
    """One batch of a table: rows read, rewritten and already current, the values no key
    opens, and the last id read (None when the table is done)."""

    read: int = 0
    rewritten: int = 0
    current: int = 0
    failures: list[Undecryptable] = field(default_factory=list)
    after_id: int | None = None


@dataclass
class TableRotation:
    """What rotation did to one table."""

    rewritten: int = 0
    current: int = 0


@dataclass
class Rotation:
    """What rotation did, per table."""

    tables: dict[str, TableRotation] = field(default_factory=dict)

    @property
    def rewritten(self) -> int:
        """Rows re-encrypted in all tables."""
        return sum(t.rewritten for t in self.tables.values())

    @property
    def current(self) -> int:
        """Rows that were already under the first key in all tables."""
        return sum(t.current for t in self.tables.values())


def _by_table(columns: Sequence[EncryptedColumn]) -> dict[str, list[EncryptedColumn]]:
    tables: dict[str, list[EncryptedColumn]] = {}
    for column in columns:
        tables.setdefault(column.table.name, []).append(column)
    return tables


async def rotate_batch(
    session: AsyncSession,
    columns: Sequence[EncryptedColumn],
    keys: Keys,
    *,
    after_id: int = 0,
    limit: int = 500,
    write: bool = True,
) -> Batch:
    """Re-encrypt the values of one table's encrypted `columns` (all of one table) in the
    rows with ids after `after_id` (at most `limit`) that are not under the first key, and
    recompute their blind indexes. With `write=False`, or when a value of the batch opens
    with no key, nothing is written and the batch reports what it would have done.

    An update only applies while the row still holds what was read, so a value a concurrent
    writer changed in the meantime is left to it.
    """
    table = columns[0].table
    raw = [type_coerce(table.c[c.name], Text).label(c.name) for c in columns]
    result = await session.execute(
        select(table.c.id, *raw).where(table.c.id > after_id).order_by(table.c.id).limit(limit)
    )
    rows = result.all()
    batch = Batch(read=len(rows), after_id=int(rows[-1][0]) if len(rows) == limit else None)
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        row_id = int(row[0])
        params: dict[str, Any] = {"_pk": row_id}
        changed: list[str] = []
        failed = False
        for column, stored in zip(columns, row[1:], strict=True):
            if stored is None or keys.is_current(column, stored):
                continue
            try:
                plain = keys.decrypt(column, stored)
            except DecryptionFailed:
                batch.failures.append(Undecryptable(column.location, row_id))
                failed = True
                continue
            changed.append(column.name)
            params[f"_old_{column.name}"] = stored
            params[f"_v_{column.name}"] = keys.encrypt(column, plain)
            if column.blind_index is not None:
                params[f"_v_{column.blind_index}"] = keys.digest(column, plain)
        if failed:
            continue
        if not changed:
            batch.current += 1
            continue
        batch.rewritten += 1
        updates.setdefault(tuple(changed), []).append(params)
    if not write or batch.failures:
        return batch
    indexes = {c.name: c.blind_index for c in columns if c.blind_index is not None}
    for names, group in updates.items():
        targets = [*names, *(indexes[n] for n in names if n in indexes)]
        unchanged = [
            type_coerce(table.c[n], Text) == bindparam(f"_old_{n}", type_=Text()) for n in names
        ]
        statement = (
            table.update()
            .where(table.c.id == bindparam("_pk"), *unchanged)
            # Text, not the column's type: the values are already in their stored form.
            .values({n: bindparam(f"_v_{n}", type_=Text()) for n in targets})
        )
        await session.execute(statement, group)
    return batch


Transaction = Callable[[], AbstractAsyncContextManager[AsyncSession]]


async def _each_batch(
    open_session: Transaction,
    columns: Sequence[EncryptedColumn],
    keys: Keys,
    *,
    limit: int,
    write: bool,
    visit: Callable[[str, Batch], Awaitable[None]],
) -> None:
    for name, of_table in _by_table(columns).items():
        after_id: int | None = 0
        while after_id is not None:
            async with open_session() as session:
                batch = await rotate_batch(
                    session, of_table, keys, after_id=after_id, limit=limit, write=write
                )
            await visit(name, batch)
            after_id = batch.after_id


async def check(
    reading: Transaction, metadata: MetaData, keys: Keys, *, limit: int = 500
) -> tuple[list[Undecryptable], int]:
    """The values no configured key opens (the first MAX_LISTED) and how many there are."""
    listed: list[Undecryptable] = []
    total = 0

    async def visit(_name: str, batch: Batch) -> None:
        nonlocal total
        total += len(batch.failures)
        listed.extend(batch.failures[: MAX_LISTED - len(listed)])

    await _each_batch(
        reading, encrypted_columns(metadata), keys, limit=limit, write=False, visit=visit
    )
    return listed, total


async def rotate(
    reading: Transaction,
    transaction: Transaction,
    metadata: MetaData,
    keys: Keys,
    *,
    limit: int = 500,
) -> Rotation:
    """Check that every stored value opens (raises KeysMissing, having changed nothing, if
    not), then re-encrypt every value not under the first key, a batch per transaction."""
    failures, total = await check(reading, metadata, keys, limit=limit)
    if total:
        raise KeysMissing(failures, total)
    rotation = Rotation()
    columns = encrypted_columns(metadata)
    for name in _by_table(columns):
        rotation.tables[name] = TableRotation()

    async def visit(name: str, batch: Batch) -> None:
        if batch.failures:  # written after the check by a process with other keys
            raise KeysMissing(batch.failures[:MAX_LISTED], len(batch.failures))
        rotation.tables[name].rewritten += batch.rewritten
        rotation.tables[name].current += batch.current

    await _each_batch(transaction, columns, keys, limit=limit, write=True, visit=visit)
    return rotation
