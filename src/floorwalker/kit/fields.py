"""Personal data encrypted at rest: column types that encrypt on write and decrypt on read,
and keyed blind indexes so an encrypted e-mail can still be looked up.

The keys derive from FLOORWALKER_SECRET_KEY, which every entry point (the app factory, the CLI,
a job's runner) hands to `configure` once at start-up; nothing is read from the environment
here. Several comma-separated keys rotate: values are written with the first and read with
any; kit.rotation re-encrypts stored values (and recomputes their blind indexes) under the
first key so the old one can be dropped.

Stored form: `fw1:<key id>:<base64url(nonce ‖ AES-256-GCM ciphertext ‖ tag)>`; the column's
context (e.g. `customers.email`) is authenticated with it, so a value copied into another
column does not decrypt. A value without the prefix is plaintext written before encryption was
introduced; it reads as is and kit.rotation encrypts it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import ColumnClause, Table, Text, event, inspect
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapper
from sqlalchemy.sql import operators
from sqlalchemy.types import TypeDecorator

from floorwalker.kit.crypto import DecryptionFailed
from floorwalker.kit.db import Base

PREFIX = "fw1:"
_NONCE = 12


class FieldEncryptionNotConfigured(RuntimeError):
    """Personal data was read or written before `configure` was called (a start-up bug)."""


def _derive(secret: str, purpose: str) -> bytes:
    return hashlib.sha256(f"floorwalker:{purpose}:{secret}".encode()).digest()


def normalise_email(value: str) -> str:
    """The form e-mails are compared in: trimmed, lower case."""
    return value.strip().lower()


def _strip(value: str) -> str:
    return value.strip()


_NORMALISERS: dict[str, Callable[[str], str]] = {"email": normalise_email, "text": _strip}


class FieldCipher:
    """AES-256-GCM for column values and HMAC-SHA256 blind indexes, under one or more keys."""

    def __init__(self, secret_keys: str, *, earlier: FieldCipher | None = None) -> None:
        secrets = [s.strip() for s in secret_keys.split(",") if s.strip()]
        if not secrets:
            raise ValueError("at least one secret key is needed")
        self._keys: list[tuple[str, AESGCM, bytes]] = []
        for secret in secrets:
            key = _derive(secret, "fields")
            key_id = hashlib.sha256(key).hexdigest()[:8]
            self._keys.append((key_id, AESGCM(key), _derive(secret, "blind-index")))
        if earlier is not None:
            known = {key_id for key_id, _, _ in self._keys}
            self._keys.extend(k for k in earlier._keys if k[0] not in known)
        self._by_id = {key_id: aead for key_id, aead, _ in self._keys}

    @property
    def key_id(self) -> str:
        """The id of the key new values are written with."""
        return self._keys[0][0]

    def encrypt(self, plaintext: str, *, context: str) -> str:
        """The stored form of `plaintext` under the first key."""
        key_id, aead, _ = self._keys[0]
        nonce = os.urandom(_NONCE)
        sealed = aead.encrypt(nonce, plaintext.encode(), context.encode())
        return f"{PREFIX}{key_id}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def decrypt(self, stored: str, *, context: str) -> str:
        """The plaintext of a stored value (plaintext passes through); raises
        DecryptionFailed when no configured key opens it."""
        if not stored.startswith(PREFIX):
            return stored
        key_id, _, body = stored[len(PREFIX) :].partition(":")
        aead = self._by_id.get(key_id)
        if aead is None:
            raise DecryptionFailed("Stored personal data was encrypted with a key not configured.")
        try:
            raw = base64.urlsafe_b64decode(body)
            return aead.decrypt(raw[:_NONCE], raw[_NONCE:], context.encode()).decode()
        except (InvalidTag, ValueError) as exc:
            raise DecryptionFailed("Stored personal data could not be decrypted.") from exc

    def is_current(self, stored: str | None) -> bool:
        """Whether a stored value is NULL or already encrypted under the first key."""
        return stored is None or stored.startswith(f"{PREFIX}{self.key_id}:")

    def blind_index(self, value: str, *, context: str) -> str:
        """The keyed digest of a normalised value under the first key (what is stored)."""
        return self.blind_candidates(value, context=context)[0]

    def blind_candidates(self, value: str, *, context: str) -> list[str]:
        """The digests of a normalised value under every key (what a lookup matches),
        so lookups keep working while a rotation is under way."""
        message = f"{context}:{value}".encode()
        return [hmac.new(mac, message, hashlib.sha256).hexdigest()[:40] for _, _, mac in self._keys]


_state: dict[str, FieldCipher] = {}


def configure(secret_keys: str) -> FieldCipher:
    """Use these keys for every encrypted column and blind index in this process.

    Keys configured earlier in the same process stay usable for reading (after the given
    ones): a process that hosts two apps, as a test run does, never loses access to data it
    wrote. A deployment configures once, at start-up.
    """
    cipher = FieldCipher(secret_keys, earlier=_state.get("cipher"))
    _state["cipher"] = cipher
    return cipher


def cipher() -> FieldCipher:
    """The process's cipher; raises FieldEncryptionNotConfigured before `configure`."""
    found = _state.get("cipher")
    if found is None:
        raise FieldEncryptionNotConfigured(
            "Field encryption is not configured: call floorwalker.kit.fields.configure("
            "settings.secret_key) at start-up."
        )
    return found


class _EncryptedComparator(TypeDecorator.Comparator[str]):
    """Comparisons with an encrypted column: equality and IN against plain strings become
    lookups of the blind index (ciphertexts differ on every write, so they never match)."""

    def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
        type_ = self.type
        plain = op in (operators.eq, operators.in_op) and other and other[0] is not None
        if plain and isinstance(type_, EncryptedText) and isinstance(self.expr, ColumnClause):
            if not type_.blind_index or self.expr.table is None:
                raise TypeError(f"{type_.context} is encrypted and cannot be compared in SQL")
            values = [other[0]] if op is operators.eq else list(other[0])
            if all(isinstance(v, str) for v in values):
                keys = [key for v in values for key in type_.candidates(v)]
                return self.expr.table.c[type_.blind_index].in_(keys)
        return super().operate(op, *other, **kwargs)


class EncryptedText(TypeDecorator[str]):
    """A text column stored encrypted; `blind_index` names a sibling column that receives the
    keyed digest of the normalised value (see `with_blind_indexes`). `column == "x"` and
    `column.in_([...])` compare through that index."""

    impl = Text
    cache_ok = True
    comparator_factory = _EncryptedComparator

    def __init__(
        self, context: str, *, blind_index: str | None = None, normalise: str = "text"
    ) -> None:
        super().__init__()
        self.context = context
        self.blind_index = blind_index
        self.normalise = normalise

    def process_bind_param(self, value: str | None, dialect: Dialect | None) -> str | None:
        if value is None:
            return None
        return cipher().encrypt(value, context=self.context)

    def process_result_value(self, value: str | None, dialect: Dialect | None) -> str | None:
        if value is None:
            return None
        return cipher().decrypt(value, context=self.context)

    def digest(self, value: str | None, *, using: FieldCipher | None = None) -> str | None:
        """The blind index of a value of this column (None stays None), under the first key
        of `using` (default: the process's cipher)."""
        if value is None:
            return None
        normalised = _NORMALISERS[self.normalise](value)
        return (using or cipher()).blind_index(normalised, context=self.context)

    def candidates(self, value: str) -> list[str]:
        """Blind-index values a lookup of `value` must match (one per configured key)."""
        normalised = _NORMALISERS[self.normalise](value)
        return cipher().blind_candidates(normalised, context=self.context)


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON document stored encrypted as text (read back as the same document)."""

    impl = Text
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def process_bind_param(self, value: Any, dialect: Dialect | None) -> str | None:
        if value is None:
            return None
        return cipher().encrypt(json.dumps(value, separators=(",", ":")), context=self.context)

    def process_result_value(self, value: Any, dialect: Dialect | None) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):  # a JSON column before encryption, read natively
            return value
        return json.loads(cipher().decrypt(value, context=self.context))


ENCRYPTED_TYPES = (EncryptedText, EncryptedJSON)


def encrypted_columns(table: Table) -> list[str]:
    """Names of the table's encrypted columns."""
    return [c.name for c in table.columns if isinstance(c.type, ENCRYPTED_TYPES)]


def _indexed(table: Table) -> list[tuple[str, EncryptedText, str]]:
    return [
        (c.name, c.type, c.type.blind_index)
        for c in table.columns
        if isinstance(c.type, EncryptedText) and c.type.blind_index
    ]


def with_blind_indexes(
    table: Table, rows: Sequence[Mapping[str, Any]]
) -> Sequence[Mapping[str, Any]]:
    """Rows for a Core insert or update with the blind index of every encrypted value they
    carry filled in (rows that do not carry the value are left alone, and tables without a
    blind index get the same rows back)."""
    indexed = _indexed(table)
    if not indexed:
        return rows
    out = []
    for row in rows:
        item = dict(row)
        for name, type_, target in indexed:
            if name in item:
                item[target] = type_.digest(item[name])
        out.append(item)
    return out


def blind_candidates(table: Table, column: str, value: str) -> list[str]:
    """The blind-index values that match `value` of an encrypted column (for a lookup)."""
    type_ = table.c[column].type
    if not isinstance(type_, EncryptedText) or not type_.blind_index:
        raise ValueError(f"{table.name}.{column} has no blind index")
    return type_.candidates(value)


def _fill_blind_indexes(mapper: Mapper[Any], target: Any, *, inserting: bool) -> None:
    table = mapper.local_table
    if not isinstance(table, Table):
        return
    indexed = _indexed(table)
    if not indexed:
        return
    state = inspect(target)
    for name, type_, index_name in indexed:
        key = mapper.get_property_by_column(table.c[name]).key
        if inserting or state.attrs[key].history.has_changes():
            index_key = mapper.get_property_by_column(table.c[index_name]).key
            setattr(target, index_key, type_.digest(state.dict.get(key)))


@event.listens_for(Base, "before_insert", propagate=True)
def _before_insert(mapper: Mapper[Any], _connection: Any, target: Any) -> None:
    _fill_blind_indexes(mapper, target, inserting=True)


@event.listens_for(Base, "before_update", propagate=True)
def _before_update(mapper: Mapper[Any], _connection: Any, target: Any) -> None:
    _fill_blind_indexes(mapper, target, inserting=False)
