"""Symmetric encryption for secrets at rest (platform credentials, identity secrets, PII fields).

Keys derive from FLOORWALKER_SECRET_KEY. To rotate, put the new key first and the old ones after
it (comma-separated): new data is encrypted with the first; everything decrypts with any.

Every column holding an Encryptor's ciphertext is declared with `info=sealed(purpose)`, so
`floorwalker privacy rotate-keys` (kit.rotation) finds it and re-encrypts it under the first key.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from floorwalker.errors import AppError

#: Purposes the application's Encryptors are made for; each names its own derived keys.
CONNECTORS = "connectors"
ASSISTANT_VAULT = "assistant-vault"
IDENTITY_SECRET = "identity-secret"
PURPOSES = frozenset({CONNECTORS, ASSISTANT_VAULT, IDENTITY_SECRET})

#: The key of a column's `info` that names the purpose its values are encrypted for.
SEALED = "sealed"


def sealed(purpose: str) -> dict[str, Any]:
    """The `info` of a column that stores ciphertext of an Encryptor made for `purpose`
    (key rotation re-encrypts every column so marked)."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown encryption purpose {purpose!r}")
    return {SEALED: purpose}


class DecryptionFailed(AppError):
    """Stored ciphertext does not decrypt with any configured key."""

    code = "decryption_failed"
    status = 500


def _fernet_key(secret: str, purpose: str) -> bytes:
    digest = hashlib.sha256(f"floorwalker:{purpose}:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


class Encryptor:
    """Encrypts and decrypts short strings with keys derived from the secret key(s)."""

    def __init__(self, secret_keys: str, *, purpose: str = "data") -> None:
        secrets = [s.strip() for s in secret_keys.split(",") if s.strip()]
        if not secrets:
            raise ValueError("at least one secret key is needed")
        keys = [Fernet(_fernet_key(s, purpose)) for s in secrets]
        self._first = keys[0]
        self._fernet = MultiFernet(keys)

    def encrypt(self, plaintext: str) -> str:
        """Ciphertext (URL-safe text) of `plaintext`."""
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        """The plaintext; raises DecryptionFailed if no key fits."""
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken as exc:
            raise DecryptionFailed("Stored secret could not be decrypted with any key.") from exc

    def is_current(self, ciphertext: str) -> bool:
        """Whether `ciphertext` is already encrypted with the first (newest) key."""
        try:
            self._first.decrypt(ciphertext.encode())
        except InvalidToken:
            return False
        return True

    def rotate(self, ciphertext: str) -> str:
        """Re-encrypt with the first (newest) key."""
        try:
            return self._fernet.rotate(ciphertext.encode()).decode()
        except InvalidToken as exc:
            raise DecryptionFailed("Stored secret could not be decrypted with any key.") from exc
