"""Password hashing with argon2id (argon2-cffi's recommended parameters)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()

#: A hash of a random password, verified against when the user does not exist, so that a
#: wrong e-mail costs the same time as a wrong password.
_DUMMY_HASH = _hasher.hash("floorwalker-timing-equaliser")

MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    """The argon2id hash of a password."""
    return str(_hasher.hash(password))


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; takes the same time when there is no user."""
    try:
        return bool(_hasher.verify(password_hash or _DUMMY_HASH, password)) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return bool(_hasher.check_needs_rehash(password_hash))
