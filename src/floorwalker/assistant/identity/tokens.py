"""Shopper identity tokens: a JWT the retailer's own site signs for a logged-in customer.

HS256 with the store's identity secret, or RS256 with a key of the store's JWKS (`keys`). The
header's `alg` picks which, and each algorithm is checked only against its own kind of key:
`none`, any other algorithm, and an HS256 token "signed" with a public key are all refused.
Claims: `sub` — the customer's id in the retailer's
system (matched to `Customer.external_id`), or `fw:<id>` for a Floorwalker customer id; `aud` —
the store's slug; `exp` (required) and optionally `iat`/`nbf`, checked with a small leeway for
clock skew; `iss` when the store names an issuer. Nothing in a chat message or a model's output
can produce an identity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import jwt

from floorwalker.assistant.errors import InvalidIdentityToken

#: Longest lifetime accepted for a token: a leaked token must not stay useful for long.
MAX_LIFETIME_SECONDS = 24 * 3600


@dataclass(frozen=True, slots=True)
class Subject:
    """Who a verified token names: a retailer's customer id, or a Floorwalker customer id."""

    external_id: str | None = None
    customer_id: int | None = None


Algorithm = Literal["HS256", "RS256"]


@dataclass(frozen=True, slots=True)
class Header:
    """What a token's (unverified) header asks for: an algorithm and maybe a key id."""

    algorithm: Algorithm
    kid: str | None


def header_of(token: str) -> Header:
    """The token's algorithm and key id; raises InvalidIdentityToken for anything else."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as exc:
        raise InvalidIdentityToken("bad signature or format") from exc
    algorithm = header.get("alg")
    if algorithm not in ("HS256", "RS256"):
        raise InvalidIdentityToken("algorithm not allowed")
    kid = header.get("kid")
    return Header(algorithm, str(kid) if kid is not None else None)


def read_token(
    token: str,
    *,
    key: Any,
    algorithm: Algorithm,
    audience: str,
    leeway: int,
    issuer: str | None = None,
) -> Subject:
    """Verify a token with `key` (a secret for HS256, a public key for RS256); its subject.

    Raises InvalidIdentityToken.
    """
    if (algorithm == "HS256") != isinstance(key, str):
        # A public key used as an HMAC secret (or the reverse) is the classic confusion attack.
        raise InvalidIdentityToken("algorithm not allowed")
    required = ["exp", "sub", "aud", *(["iss"] if issuer else [])]
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=audience,
            issuer=issuer,
            leeway=leeway,
            options={"require": required},
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidIdentityToken("expired") from exc
    except jwt.InvalidAudienceError as exc:
        raise InvalidIdentityToken("wrong audience") from exc
    except jwt.InvalidIssuerError as exc:
        raise InvalidIdentityToken("wrong issuer") from exc
    except jwt.ImmatureSignatureError as exc:
        raise InvalidIdentityToken("not yet valid") from exc
    except jwt.MissingRequiredClaimError as exc:
        raise InvalidIdentityToken(f"missing claim {exc.claim}") from exc
    except jwt.InvalidTokenError as exc:
        raise InvalidIdentityToken("bad signature or format") from exc
    issued = claims.get("iat")
    if isinstance(issued, int | float) and claims["exp"] - issued > MAX_LIFETIME_SECONDS:
        raise InvalidIdentityToken("lifetime longer than 24 hours")
    subject = str(claims["sub"]).strip()
    if not subject:
        raise InvalidIdentityToken("empty subject")
    if subject.startswith("fw:"):
        raw = subject.removeprefix("fw:")
        if not raw.isdigit():
            raise InvalidIdentityToken("bad subject")
        return Subject(customer_id=int(raw))
    return Subject(external_id=subject)


def issue_token(
    *, secret: str, audience: str, subject: str, lifetime: int = 3600, now: int | None = None
) -> str:
    """Sign a token the way a retailer's site would (demo page, CLI, tests)."""
    import time

    issued = int(now if now is not None else time.time())
    claims = {"sub": subject, "aud": audience, "iat": issued, "exp": issued + lifetime}
    return jwt.encode(claims, secret, algorithm="HS256")
