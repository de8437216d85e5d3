"""Secrets at rest: encrypted, decryptable with any configured key, rotatable."""

from __future__ import annotations

import pytest

from floorwalker.kit.crypto import DecryptionFailed, Encryptor


def test_round_trip_and_ciphertext_hides_the_value() -> None:
    box = Encryptor("a-long-secret-key")

    token = box.encrypt("shpat_123")

    assert "shpat_123" not in token
    assert box.decrypt(token) == "shpat_123"


def test_rotation_keeps_old_data_readable_and_moves_it_to_the_new_key() -> None:
    old = Encryptor("old-key")
    token = old.encrypt("value")
    both = Encryptor("new-key,old-key")

    rotated = both.rotate(token)

    assert both.decrypt(token) == "value"
    assert Encryptor("new-key").decrypt(rotated) == "value"
    with pytest.raises(DecryptionFailed):
        Encryptor("new-key").decrypt(token)


def test_purposes_do_not_share_keys() -> None:
    token = Encryptor("k", purpose="credentials").encrypt("x")

    with pytest.raises(DecryptionFailed):
        Encryptor("k", purpose="pii").decrypt(token)
