"""Symmetric encryption for secrets at rest (platform credentials, identity secrets, PII fields).

Keys derive from FLOORWALKER_SECRET_KEY. To rotate, put the new key first and the old ones after
it (comma-separated): new data is encrypted with the first; everything decrypts with any.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from floorwalker.errors import AppError


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
        self._fernet = MultiFernet([Fernet(_fernet_key(s, purpose)) for s in secrets])

    def encrypt(self, plaintext: str) -> str:
        """Ciphertext (URL-safe text) of `plaintext`."""
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        """The plaintext; raises DecryptionFailed if no key fits."""
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken as exc:
            raise DecryptionFailed("Stored secret could not be decrypted with any key.") from exc

    def rotate(self, ciphertext: str) -> str:
        """Re-encrypt with the first (newest) key."""
        try:
            return self._fernet.rotate(ciphertext.encode()).decode()
        except InvalidToken as exc:
            raise DecryptionFailed("Stored secret could not be decrypted with any key.") from exc
