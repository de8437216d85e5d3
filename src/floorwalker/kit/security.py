"""Tokens, hashes and signatures that carry no domain knowledge."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token(prefix: str, nbytes: int = 24) -> str:
    """A random URL-safe token with a readable prefix, e.g. `fw_sk_…`."""
    return f"{prefix}{secrets.token_urlsafe(nbytes)}"


def token_digest(token: str) -> str:
    """SHA-256 hex digest of a high-entropy token (what we store instead of the token)."""
    return hashlib.sha256(token.encode()).hexdigest()


def hmac_sha256(secret: bytes | str, message: bytes) -> bytes:
    """HMAC-SHA256 of `message`."""
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, message, hashlib.sha256).digest()


def constant_time_equals(a: bytes | str, b: bytes | str) -> bool:
    """Compare two secrets without leaking where they differ."""
    left = a.encode() if isinstance(a, str) else a
    right = b.encode() if isinstance(b, str) else b
    return hmac.compare_digest(left, right)
