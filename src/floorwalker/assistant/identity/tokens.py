"""Shopper identity tokens: a JWT the retailer's own site signs for a logged-in customer.

HS256 with the store's identity secret. Claims: `sub` — the customer's id in the retailer's
system (matched to `Customer.external_id`), or `fw:<id>` for a Floorwalker customer id; `aud` —
the store's slug; `exp` (required) and optionally `iat`/`nbf`, checked with a small leeway for
clock skew. Nothing in a chat message or a model's output can produce an identity.
"""

from __future__ import annotations

from dataclasses import dataclass

import jwt

from floorwalker.assistant.errors import InvalidIdentityToken

#: Longest lifetime accepted for a token: a leaked token must not stay useful for long.
MAX_LIFETIME_SECONDS = 24 * 3600


@dataclass(frozen=True, slots=True)
class Subject:
    """Who a verified token names: a retailer's customer id, or a Floorwalker customer id."""

    external_id: str | None = None
    customer_id: int | None = None


def read_token(token: str, *, secret: str, audience: str, leeway: int) -> Subject:
    """Verify a token and return its subject; raises InvalidIdentityToken."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            audience=audience,
            leeway=leeway,
            options={"require": ["exp", "sub", "aud"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidIdentityToken("expired") from exc
    except jwt.InvalidAudienceError as exc:
        raise InvalidIdentityToken("wrong audience") from exc
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
