"""Key rotation finds every encrypted column: no column can hold ciphertext unrotated.

(That every column holding ciphertext in a populated database is covered is proven with data
in tests/privacy/test_key_rotation.py.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from floorwalker.kit.crypto import PURPOSES, DecryptionFailed, Encryptor, sealed
from floorwalker.kit.rotation import Keys, encrypted_columns
from floorwalker.models import metadata

SRC = Path(__file__).resolve().parents[2] / "src" / "floorwalker"


def _encryptor_purposes() -> dict[str, str]:
    """Each `Encryptor(…, purpose=…)` made in the source: where → the purpose (or the
    expression, when it is not a literal). kit.rotation, which makes them for the purposes of
    the declared columns, is not a user."""
    found: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        if path == SRC / "kit" / "rotation.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Encryptor"):
                continue
            where = f"{path.relative_to(SRC)}:{node.lineno}"
            purpose = next((k.value for k in node.keywords if k.arg == "purpose"), None)
            if isinstance(purpose, ast.Constant) and isinstance(purpose.value, str):
                found[where] = purpose.value
            else:
                found[where] = ast.unparse(purpose) if purpose is not None else "<default>"
    return found


def test_the_registry_lists_every_encrypted_column() -> None:
    locations = {(c.location, c.purpose) for c in encrypted_columns(metadata)}

    assert {(where, p) for where, p in locations if p is not None} == {
        ("stores.identity_secret_encrypted", "identity-secret"),
        ("connections.credentials_encrypted", "connectors"),
        ("connections.webhook_secret_encrypted", "connectors"),
        ("webhook_endpoints.secret_encrypted", "connectors"),
        ("conversations.vault_encrypted", "assistant-vault"),
    }
    assert {
        ("customers.email", None),
        ("customers.phone", None),
        ("addresses.line1", None),
        ("orders.email", None),
        ("orders.shipping_address", None),
    } <= locations


def test_a_column_named_encrypted_is_declared_so() -> None:
    covered = {c.location for c in encrypted_columns(metadata)}
    named = {
        f"{table.name}.{column.name}"
        for table in metadata.sorted_tables
        for column in table.columns
        if "encrypted" in column.name or "secret" in column.name
    }

    assert named - covered == set()


def test_every_encryptor_of_the_code_has_a_declared_purpose_with_columns() -> None:
    made = _encryptor_purposes()
    sealed_purposes = {c.purpose for c in encrypted_columns(metadata) if c.purpose}

    assert made, "no Encryptor found in the source: the scan is broken"
    assert {where: p for where, p in made.items() if p not in PURPOSES} == {}
    assert set(made.values()) == set(PURPOSES) == sealed_purposes


def test_an_unknown_purpose_cannot_be_declared() -> None:
    with pytest.raises(ValueError, match="unknown encryption purpose 'mail'"):
        sealed("mail")


def test_is_current_tells_the_first_key_from_the_others() -> None:
    old = Encryptor("old-key", purpose="connectors").encrypt("x")
    new = Encryptor("new-key", purpose="connectors").encrypt("x")
    both = Encryptor("new-key,old-key", purpose="connectors")

    assert (both.is_current(new), both.is_current(old), both.is_current("not a token")) == (
        True,
        False,
        False,
    )
    with pytest.raises(DecryptionFailed):
        Encryptor("new-key", purpose="connectors").decrypt(old)


def test_keys_rotate_a_sealed_value_and_a_field_value() -> None:
    columns = {c.location: c for c in encrypted_columns(metadata)}
    sealed_column = columns["connections.credentials_encrypted"]
    field_column = columns["customers.email"]
    old, both, new = Keys("old-key"), Keys("new-key,old-key"), Keys("new-key")
    stored = {c: old.encrypt(c, "v@example.com") for c in (sealed_column, field_column)}

    moved = {c: both.encrypt(c, both.decrypt(c, s)) for c, s in stored.items()}

    assert [both.is_current(c, s) for c, s in stored.items()] == [False, False]
    assert [new.decrypt(c, s) for c, s in moved.items()] == ["v@example.com"] * 2
    assert new.digest(field_column, " V@Example.com ") == new.fields.blind_index(
        "v@example.com", context="customers.email"
    )
